package handlers

import (
	"net/url"
	"strings"
	"testing"

	"pupns/store"
	"pupns/store/storetest"
)

// TestInboxSearchOnPage: the inbox's search box matches the start of each word of the name in any
// case and with any accents, says so under the box, and refuses a search without two letters at
// the box (422).
func TestInboxSearchOnPage(t *testing.T) {
	w := newWorld(t)
	kirimBudi(t, w)
	v1 := w.as(storetest.LoginV1)
	for _, search := range []string{"BÛDI", "santo", "budi sant", store.FormatNIP(nipBudi)} {
		r := v1.get("/verifikasi?cari=" + url.QueryEscape(search))
		contains(t, search, r.body, store.FormatNIP(nipBudi), `id="cari-petunjuk"`)
	}
	r := v1.get("/verifikasi?cari=antoso")
	contains(t, "the middle of a word", r.body, "Tidak ada usulan yang cocok")
	r = v1.get("/verifikasi?cari=b")
	if r.status != 422 || !strings.Contains(r.body, "Ketik paling sedikit dua huruf") {
		t.Fatalf("a one-letter search: %d\n%s", r.status, r.body)
	}
}
