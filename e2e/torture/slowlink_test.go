//go:build torture

package torture

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"pupns/store"
)

// throttled reads from r at rate bytes per second, in small pieces, as a slow link delivers.
type throttled struct {
	r     io.Reader
	rate  float64
	start time.Time
	n     int64
}

func (t *throttled) Read(p []byte) (int, error) {
	if t.start.IsZero() {
		t.start = time.Now()
	}
	if len(p) > 1024 {
		p = p[:1024]
	}
	due := t.start.Add(time.Duration(float64(t.n) / t.rate * float64(time.Second)))
	time.Sleep(time.Until(due))
	n, err := t.r.Read(p)
	t.n += int64(n)
	return n, err
}

// TestUploadAt256kbit: a PNS on a 256 kbit/s link uploads a document just under the cap
// (5 MiB, about 2.7 minutes on the wire, eleven times the server's read timeout). It is taken,
// and stored whole.
func TestUploadAt256kbit(t *testing.T) {
	dir := t.TempDir()
	makeDemo(t, dir, 20)
	nip := pnsLogins(t, dir, 1)[0]
	s := startServer(t, dir, "--no-captcha")
	c := newWebClient(s.URL)
	if err := c.login(nip, demoPassword); err != nil {
		t.Fatal(err)
	}
	st, err := c.post("/data/utama/alamat", url.Values{"nilai": {"Jl. Pemuda No. 1, Semarang"}, "alasan": {"pindah rumah"}})
	if err != nil || st != http.StatusSeeOther {
		t.Fatalf("propose: %d %v", st, err)
	}
	doc := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0123456789abcdef"), (store.MaxDocSize-64)/16)...)
	doc = append(doc, "\n%%EOF\n"...)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("_csrf", c.csrf)
	mw.WriteField("jenis", "KTP")
	fw, _ := mw.CreateFormFile("berkas", "ktp.pdf")
	fw.Write(doc)
	mw.Close()
	req, _ := http.NewRequest("POST", s.URL+"/dokumen/usulan/alamat", &throttled{r: bytes.NewReader(body.Bytes()), rate: 256_000 / 8})
	req.ContentLength = int64(body.Len())
	req.Header.Set("Content-Type", mw.FormDataContentType())
	c.hc.Timeout = 10 * time.Minute
	start := time.Now()
	res, err := c.hc.Do(req)
	took := time.Since(start)
	if err != nil {
		t.Fatalf("upload after %v: %v", took, err)
	}
	res.Body.Close()
	figure(t, "upload_256kbit_bytes", body.Len())
	figure(t, "upload_256kbit_time", took.Round(time.Second))
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/data") {
		t.Fatalf("upload at 256 kbit/s: HTTP %d to %q after %v", res.StatusCode, res.Header.Get("Location"), took)
	}
	s.term(15 * time.Second)
	db := openStore(t, dir)
	defer db.Close()
	a := store.Actor{Login: nip, Role: store.RolePNS, NIP: nip}
	f, err := db.Form(a, nip)
	if err != nil || len(f.Docs["alamat"]) != 1 {
		t.Fatalf("documents on the proposal: %v %v", f.Docs["alamat"], err)
	}
	_, got, err := db.Document(a, f.Docs["alamat"][0].ID)
	if err != nil || !bytes.Equal(got, doc) {
		t.Fatalf("the stored document differs: %d of %d bytes, %v", len(got), len(doc), err)
	}
}

// TestSlowlorisIsDroppedAndTheSiteAnswers: 500 connections send a request's headers one byte
// every 2 seconds. The server drops each at its read timeout (15 s), while a probe keeps loading
// the login page with its p99 close to the p99 without the attack.
func TestSlowlorisIsDroppedAndTheSiteAnswers(t *testing.T) {
	const conns, readTimeout = 500, 15 * time.Second
	dir := t.TempDir()
	makeDemo(t, dir, 20)
	s := startServer(t, dir, "--no-captcha")
	probe := func(d time.Duration) (p99 time.Duration, failed int) {
		var lat []time.Duration
		for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
			t0 := time.Now()
			res, err := http.Get(s.URL + "/masuk")
			if err != nil || res.StatusCode != 200 {
				failed++
				continue
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			lat = append(lat, time.Since(t0))
		}
		slices.Sort(lat)
		if len(lat) == 0 {
			return 0, failed
		}
		return lat[len(lat)*99/100], failed
	}
	base, _ := probe(3 * time.Second)

	start := time.Now()
	dropped := make([]time.Duration, conns)
	var wg sync.WaitGroup
	for i := range conns {
		conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			head := fmt.Sprintf("GET /masuk HTTP/1.1\r\nHost: x\r\nX-Lambat-%d: %s", i, strings.Repeat("a", 100))
			go func() { // the server's close ends the read below
				for j := 0; j < len(head); j++ {
					if _, err := conn.Write([]byte{head[j]}); err != nil {
						return
					}
					time.Sleep(2 * time.Second)
				}
			}()
			conn.SetReadDeadline(time.Now().Add(3 * readTimeout))
			io.Copy(io.Discard, conn)
			dropped[i] = time.Since(start)
		}()
	}
	p99, failed := probe(readTimeout + 2*time.Second)
	wg.Wait()
	peak, _, _ := memory(s.pid())
	latest := slices.Max(dropped)
	figure(t, "slowloris_conns", conns)
	figure(t, "slowloris_dropped_by", latest.Round(100*time.Millisecond))
	figure(t, "slowloris_probe_p99_before", base.Round(100*time.Microsecond))
	figure(t, "slowloris_probe_p99_during", p99.Round(100*time.Microsecond))
	figure(t, "slowloris_probe_failed", failed)
	figure(t, "slowloris_rss_peak_mb", peak>>20)
	if latest > readTimeout+5*time.Second {
		t.Fatalf("the last slow connection was dropped after %v (read timeout %v)", latest, readTimeout)
	}
	if failed > 0 {
		t.Fatalf("%d probe requests failed during the attack", failed)
	}
	if p99 > max(10*base, 500*time.Millisecond) {
		t.Fatalf("probe p99 %v during the attack, %v before", p99, base)
	}
}
