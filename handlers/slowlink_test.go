package handlers

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// serveOn runs the world's app on a real socket (deadlines are the kernel's, not app.Test's).
func serveOn(t *testing.T, w *world) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go w.app.Listener(ln)
	t.Cleanup(func() { w.app.Shutdown() })
	return ln.Addr().String()
}

// uploadRequest is an htmx upload of content as raw HTTP: the head and the body apart, so a test
// can send them at its own pace.
func uploadRequest(c *client, key string, content []byte) (head, body []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("jenis", "Ijazah")
	fw, _ := mw.CreateFormFile("berkas", "ijazah.pdf")
	fw.Write(content)
	mw.Close()
	var h strings.Builder
	fmt.Fprintf(&h, "POST /dokumen/usulan/%s HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nContent-Length: %d\r\n", key, mw.FormDataContentType(), buf.Len())
	fmt.Fprintf(&h, "HX-Request: true\r\nHX-Target: dok-%s\r\nX-CSRF-Token: %s\r\n", key, c.csrf)
	for k, v := range c.cookies {
		fmt.Fprintf(&h, "Cookie: %s=%s\r\n", k, v)
	}
	h.WriteString("\r\n")
	return []byte(h.String()), buf.Bytes()
}

// bigPDF is a PDF the store accepts, n bytes of filler long.
func bigPDF(n int) []byte {
	return append(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), n)...), "\n%%EOF\n"...)
}

// TestSlowUploadOutlastsTheReadTimeout: an upload's body that takes several times the read
// timeout, but never pauses for the progress limit, is taken whole. (The torture group sends 5 MiB
// at 256 kbit/s to a real server; this is the same on a small scale.)
func TestSlowUploadOutlastsTheReadTimeout(t *testing.T) {
	w := newWorldWith(t, func(c *Config) { c.ReadTimeout = 300 * time.Millisecond; c.UploadIdle = time.Second })
	pns := w.as(nipBudi)
	proposeNama(t, pns)
	addr := serveOn(t, w)
	doc := bigPDF(20 << 10)
	head, body := uploadRequest(pns, "nama", doc)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write(head)
	start := time.Now()
	for len(body) > 0 { // ~1.5 s: five read timeouts
		n := min(len(body), 1500)
		if _, err := conn.Write(body[:n]); err != nil {
			t.Fatalf("after %v: %v", time.Since(start), err)
		}
		body = body[n:]
		time.Sleep(100 * time.Millisecond)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("after %v: %v", time.Since(start), err)
	}
	if res.StatusCode != 200 {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("slow upload: %d\n%s", res.StatusCode, b)
	}
	docs := docsOf(t, w, "nama")
	if len(docs) != 1 {
		t.Fatalf("%d documents", len(docs))
	}
	_, got, err := w.st.Document(budiActor(), docs[0].ID)
	if err != nil || !bytes.Equal(got, doc) {
		t.Fatalf("stored document differs (%d of %d bytes): %v", len(got), len(doc), err)
	}
}

// TestSlowHeadersAreStillCutOff: the body's progress rule does not loosen the headers: a client
// that trickles the headers of an upload (slowloris) is dropped at the read timeout.
func TestSlowHeadersAreStillCutOff(t *testing.T) {
	w := newWorldWith(t, func(c *Config) { c.ReadTimeout = 300 * time.Millisecond; c.UploadIdle = 10 * time.Second })
	pns := w.as(nipBudi)
	addr := serveOn(t, w)
	head, _ := uploadRequest(pns, "nama", pdfDoc)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	var werr error
	for i := 0; i < len(head)-2 && werr == nil && time.Since(start) < 5*time.Second; i++ {
		_, werr = conn.Write(head[i : i+1])
		time.Sleep(20 * time.Millisecond)
		conn.SetReadDeadline(time.Now().Add(time.Millisecond))
		if _, err := conn.Read(make([]byte, 1)); err != nil && !isTimeout(err) {
			werr = err
		}
	}
	took := time.Since(start)
	if werr == nil {
		t.Fatalf("headers trickled for %v and the server still listened", took)
	}
	if took > 2*time.Second {
		t.Fatalf("cut off after %v, the read timeout is 300ms", took)
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// TestStalledUploadIsCutOff: a body that stops arriving for longer than the progress limit is
// cut off: the upload is refused with a sentence, the connection closes, nothing is stored.
func TestStalledUploadIsCutOff(t *testing.T) {
	w := newWorldWith(t, func(c *Config) { c.ReadTimeout = 5 * time.Second; c.UploadIdle = 400 * time.Millisecond })
	pns := w.as(nipBudi)
	proposeNama(t, pns)
	addr := serveOn(t, w)
	head, body := uploadRequest(pns, "nama", bigPDF(200<<10))
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write(head)
	conn.Write(body[:100<<10]) // half of it, then nothing
	start := time.Now()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled upload after %v: %v", time.Since(start), err)
	}
	b, _ := io.ReadAll(res.Body)
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("stall cut off after %v, the limit is 400ms", took)
	}
	if res.StatusCode != fiber.StatusRequestTimeout || !strings.Contains(string(b), msgUploadCut) || !res.Close {
		t.Fatalf("stalled upload: %d close=%v\n%s", res.StatusCode, res.Close, b)
	}
	if n := len(docsOf(t, w, "nama")); n != 0 {
		t.Fatalf("%d documents stored from a stalled upload", n)
	}
}

// TestUploadBodyEndingEarlyIsNotStored: a connection that closes before the declared length is
// not a whole file, even when the bytes that came form a valid PDF.
func TestUploadBodyEndingEarlyIsNotStored(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	proposeNama(t, pns)
	addr := serveOn(t, w)
	head, body := uploadRequest(pns, "nama", pdfDoc)
	head = bytes.Replace(head, fmt.Appendf(nil, "Content-Length: %d", len(body)), fmt.Appendf(nil, "Content-Length: %d", len(body)+10000), 1)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	conn.Write(head)
	conn.Write(body)
	conn.(*net.TCPConn).CloseWrite()
	io.Copy(io.Discard, conn)
	conn.Close()
	time.Sleep(100 * time.Millisecond)
	if n := len(docsOf(t, w, "nama")); n != 0 {
		t.Fatalf("%d documents stored from a body cut short", n)
	}
}

// TestDeclaredOversizeIsAnsweredNotReset: a body declared over the cap is answered 413 with the
// sentence before it is read, and the client that goes on sending it gets that answer, not a
// connection reset: the server drains what follows after answering.
func TestDeclaredOversizeIsAnsweredNotReset(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	proposeNama(t, pns)
	addr := serveOn(t, w)
	for _, hx := range []bool{true, false} {
		head, body := uploadRequest(pns, "nama", bigPDF(8<<20))
		if !hx {
			head = bytes.Replace(head, []byte("HX-Request: true\r\n"), nil, 1)
			oldLen := len(body)
			var b bytes.Buffer // a plain form: the token as the first field
			b.WriteString("--" + boundaryOf(head) + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + pns.csrf + "\r\n")
			b.Write(body)
			body = b.Bytes()
			head = bytes.Replace(head, fmt.Appendf(nil, "Content-Length: %d", oldLen), fmt.Appendf(nil, "Content-Length: %d", len(body)), 1)
		}
		// A small receive window: the answer leaves the server slowly, as on a slow link, so a
		// server that closed with the body unread would reset the connection before all of it left.
		d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
			return rc.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 2048) })
		}}
		conn, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conn.Write(head)
		go func() { conn.Write(body) }()   // the whole body, as a browser sends it regardless
		time.Sleep(300 * time.Millisecond) // a busy browser reads the answer late
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("hx=%v: %v", hx, err)
		}
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatalf("hx=%v: reading the answer: %v", hx, err)
		}
		if res.StatusCode != fiber.StatusRequestEntityTooLarge || !strings.Contains(string(b), `id="dok-nama-galat" role="alert">`+views.TooLargeMessage()) {
			t.Fatalf("hx=%v: %d\n%s", hx, res.StatusCode, b)
		}
		if !hx && !strings.Contains(string(b), `<html lang="id">`) {
			t.Fatalf("a plain form gets the page back:\n%s", b)
		}
		conn.Close()
	}
	if n := len(docsOf(t, w, "nama")); n != 0 {
		t.Fatalf("%d documents stored", n)
	}
	// The sentence the page gives the browser is the store's own.
	big := bigPDF(store.MaxDocSize)
	if r := pns.upload("nama", "Ijazah", "besar.pdf", big, "dok-nama"); !strings.Contains(r.body, views.TooLargeMessage()) {
		t.Fatalf("the store refuses in other words than the page:\n%s", r.body)
	}
	contains(t, "upload form", pns.get("/data").body, fmt.Sprintf(`data-max-bytes="%d"`, store.MaxDocSize), `data-too-large="`+views.TooLargeMessage()+`"`)
}

func boundaryOf(head []byte) string {
	_, after, _ := strings.Cut(string(head), "boundary=")
	b, _, _ := strings.Cut(after, "\r\n")
	return b
}
