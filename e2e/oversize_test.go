package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pupns/store"
	"pupns/views"
)

// TestOversizedFileIsRefusedInTheServersWords: a file over the cap never ends in a connection
// reset. Without JavaScript the plain form posts it; the server answers 413 before reading it and
// the browser shows the page with the sentence at the file field. With JavaScript the browser
// refuses the file before sending a byte, with the same sentence at the same place.
func TestOversizedFileIsRefusedInTheServersWords(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if _, _, err := w.st.Propose(pnsActor(nipBudi), nipBudi, "nama", "Budi Susanto", "sesuai SK CPNS"); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(t.TempDir(), "sk besar.pdf")
	body := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0123456789abcdef"), (store.MaxDocSize+(1<<20))/16)...)
	if err := os.WriteFile(big, append(body, "\n%%EOF\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	msg := views.TooLargeMessage()
	b := w.newBrowser()

	plain := b.person("PNS Budi without JavaScript", false)
	plain.login(nipBudi, "/data")
	plain.run("choose the oversized file",
		chromedp.SetValue(chromedp.CSS("#dok-nama select[name=jenis]"), "Ijazah"),
		chromedp.SetUploadFiles(chromedp.CSS("#dok-nama input[type=file]"), []string{big}),
	)
	plain.follow("press Unggah", 413, chromedp.Click(chromedp.ID("dok-nama-unggah")))
	if got := plain.text("#dok-nama-galat"); got != msg {
		plain.fatalf("the page says %q at the file field, want %q", got, msg)
	}

	js := b.person("PNS Budi with JavaScript", true)
	js.login(nipBudi, "/data")
	js.run("choose the oversized file and press Unggah",
		chromedp.SetValue(chromedp.CSS("#dok-nama select[name=jenis]"), "Ijazah"),
		chromedp.SetUploadFiles(chromedp.CSS("#dok-nama input[type=file]"), []string{big}),
		chromedp.Click(chromedp.ID("dok-nama-unggah")),
	)
	js.waitText("#dok-nama-galat", msg)
	if got := js.text("#dok-nama-galat"); got != msg {
		js.fatalf("the page says %q at the file field, want %q", got, msg)
	}
	if n := strings.Count(w.log.String(), "path=/dokumen/usulan/nama"); n != 1 {
		t.Fatalf("%d upload requests reached the server, want the plain form's one", n)
	}
	// A page whose check did not run (an older page, a script that failed): htmx sends the file,
	// the server refuses it 413 and the document box comes back with the sentence at the field.
	js.open("/data", 200)
	eval[chromedp.Void](js, `document.querySelector('#dok-nama form.upload').removeAttribute('data-max-bytes')`)
	js.run("send the oversized file past the page's check",
		chromedp.SetValue(chromedp.CSS("#dok-nama select[name=jenis]"), "Ijazah"),
		chromedp.SetUploadFiles(chromedp.CSS("#dok-nama input[type=file]"), []string{big}),
		chromedp.Click(chromedp.ID("dok-nama-unggah")),
	)
	js.waitText("#dok-nama-galat", msg)
	if n := strings.Count(w.log.String(), "path=/dokumen/usulan/nama"); n != 2 {
		t.Fatalf("%d upload requests reached the server, want 2", n)
	}
	if js.exists("#galat:not([hidden])") {
		js.fatalf("the refusal showed as an error banner: %q", js.text("#galat"))
	}
	if docs := w.form(nipBudi).Docs["nama"]; len(docs) != 0 {
		t.Fatalf("%d documents stored", len(docs))
	}
}
