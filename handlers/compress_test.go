package handlers

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// rawGet sends a GET with the client's cookies and extra headers and returns the raw answer: the
// body as it came over the wire (still compressed) and the headers.
func (c *client) rawGet(path string, headers map[string]string) (status int, body []byte, header func(string) string) {
	c.w.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	for k, v := range c.cookies {
		req.Header.Add("Cookie", k+"="+v)
	}
	res, err := c.w.app.Test(req, -1)
	if err != nil {
		c.w.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw, res.Header.Get
}

// decode undoes a Content-Encoding (none, gzip or br).
func decode(t *testing.T, enc string, body []byte) string {
	t.Helper()
	var r io.Reader
	switch enc {
	case "":
		return string(body)
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	default:
		t.Fatalf("unexpected Content-Encoding %q", enc)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", enc, err)
	}
	return string(out)
}

// TestPagesAreCompressed: a page goes out as gzip to a browser that takes it (even when it also
// takes brotli: gzip 5 is the cheaper of the two for a page made on each request), plain to one
// that takes neither, with Vary: Accept-Encoding, and decodes
// to the same page.
func TestPagesAreCompressed(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	_, plain, hdr := pns.rawGet("/data", nil)
	if hdr("Content-Encoding") != "" || !strings.Contains(string(plain), "<main>") {
		t.Fatalf("without Accept-Encoding: %q, %d bytes", hdr("Content-Encoding"), len(plain))
	}
	for _, tc := range []struct{ accept, want string }{{"gzip, deflate, br, zstd", "gzip"}, {"gzip", "gzip"}} {
		status, body, hdr := pns.rawGet("/data", map[string]string{"Accept-Encoding": tc.accept})
		if status != 200 || hdr("Content-Encoding") != tc.want || !strings.Contains(hdr("Vary"), "Accept-Encoding") {
			t.Fatalf("Accept-Encoding %q: %d, Content-Encoding %q, Vary %q", tc.accept, status, hdr("Content-Encoding"), hdr("Vary"))
		}
		page := decode(t, tc.want, body)
		if !strings.Contains(page, "<main>") || len(body)*3 > len(page) {
			t.Fatalf("%s: %d bytes for a %d-byte page (want under a third)", tc.want, len(body), len(page))
		}
	}
	// The login page of a visitor too.
	_, _, hdr = w.client().rawGet("/masuk", map[string]string{"Accept-Encoding": "gzip, br"})
	if hdr("Content-Encoding") != "gzip" {
		t.Fatalf("/masuk: Content-Encoding %q", hdr("Content-Encoding"))
	}
}

// TestCompressedDocumentsAndImagesGoOutAsTheyAre: an uploaded PDF and the captcha's PNG are
// already compressed; they are sent unchanged whatever the browser accepts.
func TestCompressedDocumentsAndImagesGoOutAsTheyAre(t *testing.T) {
	w := newWorld(t)
	w.addRegistrationData()
	pns := w.as(nipBudi)
	proposeNama(t, pns)
	big := []byte("%PDF-1.4\n" + strings.Repeat("% isi yang mudah dimampatkan\n", 200) + "1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	if r := pns.upload("nama", "Ijazah", "ijazah.pdf", big, "dok-nama"); r.status != 200 {
		t.Fatalf("upload: %d\n%s", r.status, r.body)
	}
	id := docsOf(t, w, "nama")[0].ID
	accept := map[string]string{"Accept-Encoding": "gzip, br"}
	status, body, hdr := pns.rawGet(fmt.Sprintf("/dokumen/%d", id), accept)
	if status != 200 || hdr("Content-Encoding") != "" || !bytes.Equal(body, big) {
		t.Fatalf("document: %d, Content-Encoding %q, %d bytes (want the %d stored)", status, hdr("Content-Encoding"), len(body), len(big))
	}

	visitor := w.client()
	reg := visitor.get("/registrasi/cari?nip=" + nipBaru)
	m := captchaIDRe.FindStringSubmatch(reg.body)
	if m == nil {
		t.Fatalf("no captcha on /registrasi")
	}
	status, body, hdr = visitor.rawGet("/captcha/"+m[1]+".png", accept)
	if status != 200 || hdr("Content-Encoding") != "" || !bytes.HasPrefix(body, []byte("\x89PNG")) {
		t.Fatalf("captcha image: %d, Content-Encoding %q", status, hdr("Content-Encoding"))
	}
}

// TestEventStreamIsNotCompressed: the live stream stays a plain stream even when the browser
// accepts brotli, so each event reaches it at once instead of waiting in a compressor.
func TestEventStreamIsNotCompressed(t *testing.T) {
	w := newWorld(t)
	r, open := w.as(nipBudi).stream("/status/langsung", "Accept-Encoding", "gzip, deflate, br")
	if !open {
		t.Fatalf("no event stream: %d %s", r.status, r.header.Get("Content-Type"))
	}
	if enc := r.header.Get("Content-Encoding"); enc != "" {
		t.Fatalf("the event stream is compressed (%s): events would wait in the compressor", enc)
	}
}
