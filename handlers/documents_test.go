package handlers

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
)

// A minimal JPEG and PNG: the signatures and end markers the store checks.
var (
	jpegDoc = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0}, append(bytes.Repeat([]byte{0x11}, 64), 0xFF, 0xD9)...)
	pngDoc  = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), append(bytes.Repeat([]byte{0}, 17), []byte("\x00\x00\x00\x00IEND\xaeB`\x82")...)...)
)

// proposeNama makes Budi's proposal on nama, which needs SK CPNS, Ijazah and Akta Kelahiran.
func proposeNama(t *testing.T, pns *client) {
	t.Helper()
	if r := pns.hx("POST", "/data/utama/nama", url.Values{"nilai": {"Budi Susanto"}, "alasan": {"sesuai SK CPNS"}}, "f-nama"); r.status != 200 {
		t.Fatalf("propose: %d\n%s", r.status, r.body)
	}
}

func docsOf(t *testing.T, w *world, key string) []store.DocMeta {
	t.Helper()
	f, err := w.st.Form(budiActor(), nipBudi)
	if err != nil {
		t.Fatal(err)
	}
	return f.Docs[key]
}

// TestUploadAbuseIsRefused: the type is decided by the content, never the name or the browser's
// claim; empty and oversized files are refused with a message at the file field; a name with a
// path in it is reduced to a safe display name. Nothing refused is stored.
func TestUploadAbuseIsRefused(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	proposeNama(t, pns)
	html := []byte("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>")
	cases := []struct {
		name, kind, filename string
		content              []byte
		status               int
		msg                  string
	}{
		{"HTML with a PDF name", "Ijazah", "ijazah.pdf", html, 422, "PDF, JPEG atau PNG"},
		{"HTML disguised as an image", "Ijazah", "foto.png", html, 422, "PDF, JPEG atau PNG"},
		{"PNG with HTML after its end", "Ijazah", "foto.png", append(append([]byte{}, pngDoc...), html...), 422, "PDF, JPEG atau PNG"},
		{"PDF signature without its end", "Ijazah", "ijazah.pdf", []byte("%PDF-1.4\n<html><script>x</script>"), 422, "PDF, JPEG atau PNG"},
		{"executable named pdf", "Ijazah", "ijazah.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00"), 422, "PDF, JPEG atau PNG"},
		{"empty file", "Ijazah", "kosong.pdf", nil, 422, "Berkas kosong"},
		{"kind the proposal does not take", "Paspor", "ijazah.pdf", pdfDoc, 422, "jenis dokumen"},
		{"a JPEG", "Ijazah", "ijazah.jpg", jpegDoc, 200, ""},
		{"a PNG", "Akta Kelahiran", "akta.png", pngDoc, 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(docsOf(t, w, "nama"))
			r := pns.upload("nama", tc.kind, tc.filename, tc.content, "dok-nama")
			if r.status != tc.status {
				t.Fatalf("status %d, want %d\n%s", r.status, tc.status, r.body)
			}
			after := len(docsOf(t, w, "nama"))
			if tc.status != 200 {
				if after != before {
					t.Fatal("a refused upload was stored")
				}
				contains(t, "document box", r.body, `id="dok-nama"`, `id="dok-nama-galat"`, tc.msg)
				return
			}
			if after != before+1 {
				t.Fatalf("%d → %d documents", before, after)
			}
		})
	}

	// A name with a path: stored and shown as a plain name, never a path.
	r := pns.upload("nama", "SK CPNS", `../../../etc/passwd..\..\sk cpns.pdf`, pdfDoc, "dok-nama")
	if r.status != 200 {
		t.Fatalf("upload with a path in the name: %d\n%s", r.status, r.body)
	}
	var got store.DocMeta
	for _, d := range docsOf(t, w, "nama") {
		if d.Kind == "SK CPNS" {
			got = d
		}
	}
	if got.Name != "sk cpns.pdf" || strings.ContainsAny(got.Name, `/\`) {
		t.Fatalf("stored name %q, want %q", got.Name, "sk cpns.pdf")
	}
	res := pns.get(fmt.Sprintf("/dokumen/%d", got.ID))
	if cd := res.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `inline; filename="sk cpns.pdf"`) || strings.Contains(cd, "..") {
		t.Fatalf("Content-Disposition %q", cd)
	}
	// The proposal now has all three: nothing more is asked for.
	if page := pns.get("/data").body; strings.Contains(page, `id="dok-nama-perlu"`) {
		t.Fatal("the proposal still shows documents as needed")
	}
}

// TestOversizedUploadIsRefused: a file over the cap is refused whether the request declares its
// length (refused before reading) or is sent in chunks (refused while streaming, at the cap).
func TestOversizedUploadIsRefused(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	proposeNama(t, pns)
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), store.MaxDocSize)...)
	big = append(big, []byte("\n%%EOF\n")...)

	// Just over the cap: read as a stream up to the cap, then refused at the file field.
	r := pns.upload("nama", "Ijazah", "besar.pdf", big, "dok-nama")
	if r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, `id="dok-nama-galat" role="alert">Berkas terlalu besar: paling besar 5 MB.`) {
		t.Fatalf("oversize: %d %q", r.status, r.body)
	}
	// Declared far over what an upload may carry: refused before a byte of it is read.
	huge := append(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), store.MaxDocSize+200<<10)...), "\n%%EOF\n"...)
	r = pns.upload("nama", "Ijazah", "besar.pdf", huge, "dok-nama")
	if r.status != fiber.StatusRequestEntityTooLarge || !strings.Contains(r.body, "paling besar 5 MB") {
		t.Fatalf("declared oversize: %d %q", r.status, r.body)
	}

	// Chunked: no Content-Length, so only the streaming read can stop it.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("jenis", "Ijazah")
	fw, _ := mw.CreateFormFile("berkas", "besar.pdf")
	fw.Write(big[:store.MaxDocSize+1000])
	mw.Close()
	// app.Test always declares a length, so this one goes over a real connection.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go w.app.Listener(ln)
	defer w.app.Shutdown()
	req, _ := http.NewRequest("POST", "http://"+ln.Addr().String()+"/dokumen/usulan/nama", io.MultiReader(&buf)) // length unknown to the client: sent chunked
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "dok-nama")
	req.Header.Set("X-CSRF-Token", pns.csrf)
	for k, v := range pns.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != fiber.StatusUnprocessableEntity || !strings.Contains(string(body), "Berkas terlalu besar") {
		t.Fatalf("chunked oversize: %d\n%s", res.StatusCode, body)
	}
	if n := len(docsOf(t, w, "nama")); n != 0 {
		t.Fatalf("%d documents stored after oversized uploads", n)
	}
}

// TestPlainUploadWorksAndNeedsCSRF: without JavaScript the upload is a plain multipart form whose
// first field is the CSRF token; without it (or with another session's) it is refused.
func TestPlainUploadWorksAndNeedsCSRF(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	proposeNama(t, pns)
	good := pns.csrf
	pns.csrf = "salah"
	if r := pns.upload("nama", "Ijazah", "ijazah.pdf", pdfDoc, ""); r.status != fiber.StatusForbidden {
		t.Fatalf("wrong token: %d", r.status)
	}
	pns.csrf = good
	r := pns.upload("nama", "Ijazah", "ijazah.pdf", pdfDoc, "")
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/data?tab=utama#f-nama" {
		t.Fatalf("plain upload: %d %q", r.status, r.header.Get("Location"))
	}
	if n := len(docsOf(t, w, "nama")); n != 1 {
		t.Fatalf("%d documents, want 1", n)
	}
	// A refused plain upload comes back as the page with the message at the file field.
	r = pns.upload("nama", "Ijazah", "x.pdf", []byte("<html></html>"), "")
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("bad plain upload: %d", r.status)
	}
	contains(t, "page", r.body, `<html lang="id">`, `id="dok-nama-galat"`, "PDF, JPEG atau PNG")
	// Detach takes it off the proposal.
	id := docsOf(t, w, "nama")[0].ID
	if r := pns.post(fmt.Sprintf("/dokumen/%d/lepas", id), nil); r.status != fiber.StatusSeeOther {
		t.Fatalf("detach: %d", r.status)
	}
	if n := len(docsOf(t, w, "nama")); n != 0 {
		t.Fatalf("%d documents after detach", n)
	}
}

// TestDocumentIsServedSafelyToThoseInScope: the PNS and the Level 1 verifier of the SKPD where the
// submission waits can open a document; another PNS, another SKPD's verifier, and anyone before
// Kirim cannot. It is served with its stored type, inline under its safe name, never sniffed.
func TestDocumentIsServedSafelyToThoseInScope(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	proposeNama(t, pns)
	pns.attachAll("nama")
	id := docsOf(t, w, "nama")[0].ID
	path := fmt.Sprintf("/dokumen/%d", id)

	r := pns.get(path)
	if r.status != 200 || r.body != string(pdfDoc) {
		t.Fatalf("own document: %d %q", r.status, r.body)
	}
	for h, want := range map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"} {
		if got := r.header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "inline; filename=") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if r := w.as(nipSri).get(path); r.status != fiber.StatusForbidden {
		t.Fatalf("another PNS: %d", r.status)
	}
	if r := w.as("v1-didik").get(path); r.status != fiber.StatusForbidden {
		t.Fatalf("verifier before Kirim: %d", r.status)
	}
	pns.attachAll("nama")
	pns.confirmAllTabs()
	if r := pns.hx("POST", "/kirim", nil, "kirim-panel"); r.header.Get("HX-Redirect") != "/status" {
		t.Fatalf("kirim: %d\n%s", r.status, r.body)
	}
	sub := latestSub(t, w, nipBudi)
	v1 := w.as("v1-didik")
	if r := v1.get(path); r.status != 200 || r.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("verifier in scope: %d %q", r.status, r.header.Get("Content-Type"))
	}
	contains(t, "review page", v1.get(fmt.Sprintf("/verifikasi/%d", sub.ID)).body, `href="`+path+`"`, "SK CPNS")
	if r := w.as("v1-dinkes").get(path); r.status != fiber.StatusForbidden {
		t.Fatalf("verifier of another SKPD: %d", r.status)
	}
	if r := w.client().get(path); r.status != fiber.StatusSeeOther {
		t.Fatalf("anonymous: %d", r.status)
	}
	if r := pns.get("/dokumen/999999"); r.status != fiber.StatusNotFound {
		t.Fatalf("unknown document: %d", r.status)
	}
	// Locked: no more uploads.
	if r := pns.upload("nama", "Ijazah", "lagi.pdf", pdfDoc, "dok-nama"); r.status != fiber.StatusConflict {
		t.Fatalf("upload to a locked form: %d", r.status)
	}
}

// TestKirimNamesMissingDocumentsAndPrintsTheSummary: Kirim is refused while a proposal lacks a
// document, naming the tab, field and each missing document with a link to the place; once they
// are attached Kirim goes through, and the print page lists every proposal old → new with its
// documents.
func TestKirimNamesMissingDocumentsAndPrintsTheSummary(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	proposeNama(t, pns)
	row := map[string]string{"tingkat": "45", "jurusan": "Ilmu Komputer", "nama_sekolah": "Universitas Diponegoro", "tahun_lulus": "2014"}
	if r := pns.hx("POST", "/data/riwayat/pendidikan", rowForm(row, "lulus S-2"), "f-riwayat-pendidikan"); r.status != 200 {
		t.Fatalf("add row: %d", r.status)
	}
	rowKey := ""
	f, _ := w.st.Form(budiActor(), nipBudi)
	for k := range f.Entries {
		if _, id, ok := store.ParseRowKey(k); ok && id != "" {
			rowKey = k
		}
	}
	pns.upload("nama", "Ijazah", "ijazah.pdf", pdfDoc, "dok-nama")
	pns.upload(rowKey, "Ijazah", "ijazah-s2.pdf", pdfDoc, "x")
	pns.confirmAllTabs()

	r := pns.hx("POST", "/kirim", nil, "kirim-panel")
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("kirim with missing documents: %d", r.status)
	}
	contains(t, "missing list", r.body,
		`<h4 class="missing-tab"><a href="/data?tab=utama">Data Utama</a></h4>`,
		`<a href="/data?tab=utama#f-nama">Nama</a>: dokumen belum dilampirkan: SK CPNS, Akta Kelahiran`,
		`<h4 class="missing-tab"><a href="/data?tab=riwayat">Data Riwayat</a></h4>`,
		`<a href="/data?tab=riwayat#`+strings.ReplaceAll("f-"+rowKey, ".", "-")+`">Riwayat Pendidikan (tambah baris)</a>: dokumen belum dilampirkan: Transkrip Nilai`)
	if strings.Contains(r.body, "belum diperiksa") {
		t.Fatalf("every tab was looked at, yet the list says otherwise:\n%s", r.body)
	}
	pns.attachAll("nama")
	pns.attachAll(rowKey)
	if r := pns.hx("POST", "/kirim", nil, "kirim-panel"); r.header.Get("HX-Redirect") != "/status" {
		t.Fatalf("kirim: %d\n%s", r.status, r.body)
	}
	contains(t, "status", pns.get("/status").body, `href="/status/cetak"`)
	p := pns.get("/status/cetak")
	if p.status != 200 {
		t.Fatalf("print page: %d", p.status)
	}
	contains(t, "print page", p.body, `id="cetak-usulan"`, "Budi Santoso", "Budi Susanto", "sesuai SK CPNS",
		"Riwayat Pendidikan: tambah baris", "Universitas Diponegoro", "ijazah-s2.pdf", "Transkrip Nilai: Transkrip Nilai.pdf", "Akta Kelahiran: Akta Kelahiran.pdf")
	if r := w.as(nipSri).get("/status/cetak"); r.status != fiber.StatusNotFound {
		t.Fatalf("print page without a submission: %d", r.status)
	}
}

// TestOtherRoutesKeepTheBodyLimit: request bodies are streamed (for uploads), so the server's own
// limit no longer refuses a large body; every other route is still held to 4 MiB.
func TestOtherRoutesKeepTheBodyLimit(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	r := pns.hx("POST", "/data/utama/alamat", url.Values{"nilai": {strings.Repeat("a", 5<<20)}, "alasan": {"x"}}, "f-alamat")
	if r.status != fiber.StatusRequestEntityTooLarge {
		t.Fatalf("5 MiB form to a field: %d", r.status)
	}
	if f, _ := w.st.Form(budiActor(), nipBudi); len(f.Entries) != 0 {
		t.Fatal("the oversized form was stored")
	}
}

// TestRefusedUploadDoesNotPoisonTheConnection: an upload refused before its body is read (here:
// a verifier may not upload) still leaves the connection clean for the next request.
func TestRefusedUploadDoesNotPoisonTheConnection(t *testing.T) {
	w := newWorld(t)
	v := w.as("v1-didik")
	big := append(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("y"), 1<<20)...), "\n%%EOF\n"...)
	if r := v.upload("nama", "Ijazah", "x.pdf", big, "dok-nama"); r.status != fiber.StatusForbidden {
		t.Fatalf("verifier upload: %d", r.status)
	}
	if r := v.get("/verifikasi"); r.status != 200 {
		t.Fatalf("the next request: %d", r.status)
	}
}
