//go:build torture

package torture

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"pupns/store"
)

// TestBackupUnderLoadRestoresEveryAcknowledgedWrite: 64 PNS write proposals while the admin
// downloads a backup from /admin/cadangan/unduh and `pupns backup` takes one through the server's
// control socket. Each backup restores (`pupns restore`) into a folder that checks clean (`pupns
// check`, exit 0) and holds every write acknowledged before the backup began, and no value that
// was never sent. The same backup with bytes flipped in its middle is refused by restore with a
// sentence saying it is damaged, and restore refuses the folder the running server holds.
func TestBackupUnderLoadRestoresEveryAcknowledgedWrite(t *testing.T) {
	const clients = 64
	dir := t.TempDir()
	makeDemo(t, dir, 600)
	nips := pnsLogins(t, dir, clients)
	s := startServer(t, dir, "--no-captcha", "--backup-every", "0")
	set := newWriters(t, s.URL, nips)
	admin := newWebClient(s.URL)
	if _, _, err := admin.page("/masuk"); err != nil {
		t.Fatal(err)
	}
	if st, err := admin.post("/masuk", url.Values{"login": {"admin"}, "password": {demoPassword}}); err != nil || st != http.StatusSeeOther {
		t.Fatalf("admin login: %d %v", st, err)
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { set.run(s.URL, stop); close(done) }()
	time.Sleep(2 * time.Second)

	out := t.TempDir()
	before := set.ackedNow()
	ackedAtStart := set.acked.Load()
	began := time.Now()
	page := filepath.Join(out, "unduhan.db")
	download(t, admin, page)
	took := time.Since(began)
	duringPage := set.acked.Load() - ackedAtStart

	beforeCLI := set.ackedNow()
	cli := filepath.Join(out, "perintah.db")
	if text, err := exec.Command(bin, "backup", "--data", dir, cli).CombinedOutput(); err != nil ||
		!strings.Contains(string(text), "Cadangan diperiksa: utuh") {
		t.Fatalf("pupns backup while serving: %v\n%s", err, text)
	}
	time.Sleep(time.Second)
	close(stop)
	<-done
	fi, _ := os.Stat(page)
	figure(t, "backup_clients", clients)
	figure(t, "backup_size_bytes", fi.Size())
	figure(t, "backup_download", took.Round(time.Millisecond))
	figure(t, "backup_acked_during_download", duringPage)
	figure(t, "backup_acked_total", set.acked.Load())
	if duringPage == 0 {
		t.Error("no write was acknowledged while the download ran: the server did not keep serving")
	}

	for _, c := range []struct {
		file   string
		before map[string]map[string]int
	}{{page, before}, {cli, beforeCLI}} {
		into := t.TempDir()
		if text, err := exec.Command(bin, "restore", c.file, "--data", into).CombinedOutput(); err != nil ||
			!strings.Contains(string(text), "Cadangan dipulihkan ke") {
			t.Fatalf("restore %s: %v\n%s", c.file, err, text)
		}
		if text, err := exec.Command(bin, "check", "--data", into).CombinedOutput(); err != nil || !strings.HasPrefix(string(text), "UTUH") {
			t.Fatalf("check after restoring %s: %v\n%s", c.file, err, text)
		}
		if missing := set.missingIn(t, into, c.before); missing > 0 {
			t.Fatalf("%s: %d writes acknowledged before the backup began are missing", c.file, missing)
		}
	}

	raw, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(raw)/2 - 32<<10; i < len(raw)/2+32<<10; i++ {
		raw[i] ^= 0xFF
	}
	bad := filepath.Join(out, "rusak.db")
	if err := os.WriteFile(bad, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	into := t.TempDir()
	text, err := exec.Command(bin, "restore", bad, "--data", into).CombinedOutput()
	if err == nil || !strings.Contains(string(text), "berkas cadangan "+bad+" rusak, jadi tidak dipakai") {
		t.Fatalf("restore of a damaged backup: %v\n%s", err, text)
	}
	if _, err := os.Stat(filepath.Join(into, "pupns.db")); err == nil {
		t.Fatal("a refused restore wrote a data file")
	}
	text, err = exec.Command(bin, "restore", page, "--data", dir).CombinedOutput()
	if err == nil || !strings.Contains(string(text), "sedang dipakai") || !strings.Contains(string(text), s.URL) {
		t.Fatalf("restore into the served folder: %v\n%s", err, text)
	}
	if set.ws[0].writeOnce() == false {
		t.Fatal("the server stopped answering after the refused restore")
	}
}

// download saves a backup from the admin page to path and checks its headers.
func download(t *testing.T, admin *webClient, path string) {
	t.Helper()
	res, err := admin.hc.Get(admin.base + "/admin/cadangan/unduh")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="pupns-cadangan-`) {
		t.Fatalf("download: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(f, res.Body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil || n != res.ContentLength {
		t.Fatalf("download: %d of %d bytes, %v", n, res.ContentLength, err)
	}
}

// ackedNow copies, per writer, the last number the server acknowledged per field.
func (set *writerSet) ackedNow() map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, w := range set.ws {
		w.mu.Lock()
		m := map[string]int{}
		for k, v := range w.acked {
			m[k] = v
		}
		out[w.nip] = m
		w.mu.Unlock()
	}
	return out
}

// missingIn opens the office in dir and counts the fields whose stored number is below the one
// acknowledged in before; a number never sent fails the test.
func (set *writerSet) missingIn(t *testing.T, dir string, before map[string]map[string]int) (missing int) {
	t.Helper()
	st := openStore(t, dir)
	defer st.Close()
	for _, w := range set.ws {
		f, err := st.Form(store.Actor{Login: w.nip, Role: store.RolePNS, NIP: w.nip}, w.nip)
		if err != nil {
			t.Fatalf("form of %s: %v", w.nip, err)
		}
		for key, acked := range before[w.nip] {
			got := -1
			if e, ok := f.Entries[key]; ok {
				got, _ = strconv.Atoi(strings.TrimPrefix(e.Reason, "uji ketahanan nomor "))
			}
			if got > w.sent[key] {
				t.Fatalf("%s %s: stored number %d was never sent (last sent %d)", w.nip, key, got, w.sent[key])
			}
			if got < acked {
				t.Errorf("%s %s: acknowledged %d before the backup, restored %d", w.nip, key, acked, got)
				missing++
			}
		}
	}
	return missing
}

// TestSlowBackupDownloadFinishes: a backup downloaded over a slow link takes longer than the
// server's write timeout (30 s) and still arrives whole, a restorable file: each chunk gives the
// connection more time, so only a stalled client is cut off. The file (the 2,000-PNS demo, about
// 40 MB) is much larger than what loopback's socket buffers hold, so the server is still writing
// well after 30 s.
func TestSlowBackupDownloadFinishes(t *testing.T) {
	dir := t.TempDir()
	makeDemo(t, dir, 2000)
	s := startServer(t, dir, "--no-captcha", "--backup-every", "0")
	admin := newWebClient(s.URL)
	admin.hc.Timeout = 5 * time.Minute
	if _, _, err := admin.page("/masuk"); err != nil {
		t.Fatal(err)
	}
	if st, err := admin.post("/masuk", url.Values{"login": {"admin"}, "password": {demoPassword}}); err != nil || st != http.StatusSeeOther {
		t.Fatalf("admin login: %d %v", st, err)
	}
	res, err := admin.hc.Get(s.URL + "/admin/cadangan/unduh")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("download: %v %v", res, err)
	}
	defer res.Body.Close()
	// Read at a rate that makes the whole take about 60 s.
	rate := res.ContentLength / 60
	path := filepath.Join(t.TempDir(), "lambat.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var n int64
	for {
		m, err := io.CopyN(f, res.Body, rate/10)
		n += m
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d of %d bytes in %s: %v", n, res.ContentLength, time.Since(start), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	f.Close()
	took := time.Since(start)
	figure(t, "backup_slow_download_bytes", n)
	figure(t, "backup_slow_download_time", took.Round(time.Second))
	if n != res.ContentLength || took < 31*time.Second {
		t.Fatalf("read %d of %d bytes in %s; want all, over more than the write timeout", n, res.ContentLength, took)
	}
	if text, err := exec.Command(bin, "check", path).CombinedOutput(); err != nil {
		t.Fatalf("check of the slow download: %v\n%s", err, text)
	}
}
