package handlers

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
)

// TestShortcutsSettingReachesTheReviewPage: a verifier's review page says shortcuts "mati" until
// the plain settings form turns them on (303 back to /akun), then "nyala"; a PNS's settings page
// offers no such choice.
func TestShortcutsSettingReachesTheReviewPage(t *testing.T) {
	w := newWorld(t)
	id := kirimBudi(t, w)
	v1 := w.as("v1-didik")
	review := fmt.Sprintf("/verifikasi/%d", id)
	contains(t, "review before", v1.get(review).body, `data-pintasan="mati"`, `id="tautan-pintasan"`)
	contains(t, "settings before", v1.get("/akun").body, `id="pintasan-mati" checked`, `id="nav-pengaturan"`, `href="/akun/sandi"`)
	r := v1.post("/akun/pintasan", url.Values{"pintasan": {"nyala"}})
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/akun" {
		t.Fatalf("saving the setting: %d %q", r.status, r.header.Get("Location"))
	}
	contains(t, "settings after", v1.get("/akun").body, `id="pintasan-nyala" checked`, "Pintasan papan ketik dinyalakan.")
	contains(t, "review after", v1.get(review).body, `data-pintasan="nyala"`)
	// A refused decision answers with the whole page: it keeps the setting.
	page := v1.post(fmt.Sprintf("/verifikasi/%d/baris/nama", id), url.Values{"putusan": {"bts"}, "rev": {revOf(t, v1.get(review).body)}})
	if page.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("BTS without a note: %d", page.status)
	}
	contains(t, "refused decision", page.body, `data-pintasan="nyala"`, `aria-invalid="true" aria-describedby="galat-nama"`)
	if body := w.as(nipBudi).get("/akun").body; strings.Contains(body, "form-pintasan") {
		t.Fatal("a PNS is offered the verifiers' shortcuts")
	}
}

// TestPreviewOnlyOfTheLinesOwnDocument: ?pratinjau= shows a document beside its line, and a
// number that is none of the submission's documents shows nothing.
func TestPreviewOnlyOfTheLinesOwnDocument(t *testing.T) {
	w := newWorld(t)
	id := kirimBudi(t, w)
	v1 := w.as("v1-didik")
	subs, _ := w.st.Submissions(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, nipBudi)
	var doc uint64
	for _, l := range subs[0].Lines {
		if l.Field == "nama" && len(l.Docs) > 0 {
			doc = l.Docs[0].ID
		}
	}
	if doc == 0 {
		t.Fatal("nama has no document")
	}
	body := v1.get(fmt.Sprintf("/verifikasi/%d?pratinjau=%d", id, doc)).body
	contains(t, "preview", body, `id="pratinjau-nama"`, fmt.Sprintf(`<object data="/dokumen/%d"`, doc), `class="line review v-pending has-preview"`)
	if body := v1.get(fmt.Sprintf("/verifikasi/%d?pratinjau=%d", id, doc+1000)).body; strings.Contains(body, "<object") {
		t.Fatal("a document of no line is previewed")
	}
}
