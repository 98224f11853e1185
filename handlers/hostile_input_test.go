package handlers

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/store/storetest"
)

// TestBidiControlInAlamatRefusedAtTheField: a POST of an address holding U+202E (which would show
// the rest of the line reversed on the form, the review and the print page) is refused with 422,
// the page shows the Indonesian sentence at the field with the input still open, and nothing is
// stored; htmx autosave gets the same message in the field's message slot.
func TestBidiControlInAlamatRefusedAtTheField(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	f, _ := store.FieldByKey("alamat")
	path := "/data/" + f.Tab + "/alamat"
	value := "Jl. Pemuda \u202e21 .oN"
	r := pns.post(path, url.Values{"nilai": {value}, "alasan": {"pindah rumah"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("POST %s with U+202E: %d, want 422", path, r.status)
	}
	msg := regexp.MustCompile(`(?s)<p id="msg-alamat"[^>]*>(.*?)</p>`).FindStringSubmatch(r.body)
	if msg == nil || !strings.Contains(msg[1], "Alamat berisi karakter tak terlihat") {
		t.Fatalf("no message at the field alamat: %v\n%s", msg, r.body)
	}
	contains(t, "refused page", r.body, "<html", `id="in-alamat"`)

	r = pns.hx("POST", path, url.Values{"nilai": {"Jl. Pemuda 12"}, "alasan": {"pindah\u200brumah"}}, "msg-alamat")
	if r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, "karakter tak terlihat") {
		t.Fatalf("htmx autosave with U+200B in the reason: %d %s", r.status, r.body)
	}
	form, err := w.st.Form(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, nipBudi)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := form.Entries["alamat"]; ok {
		t.Fatalf("refused address stored: %+v", e)
	}
}

// TestWritesToTabsThatDoNotApplyAndReadOnlyFields: the writes answer as the GETs do. Data Guru
// does not apply to Budi (no teacher): every POST there is 404, for the PNS and for an operator
// acting for him, and stores nothing; a read-only field refuses a proposal and a Sesuai with 422.
func TestWritesToTabsThatDoNotApplyAndReadOnlyFields(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	for _, path := range []string{"/data?tab=guru", "/data/guru/nuptk", "/data/guru/nuptk/ubah"} {
		if r := pns.get(path); r.status != fiber.StatusNotFound {
			t.Fatalf("GET %s: %d, want 404 (the rule the writes follow)", path, r.status)
		}
		if r := pns.hx("GET", path, nil, "f-nuptk"); r.status != fiber.StatusNotFound {
			t.Fatalf("htmx GET %s: %d, want 404", path, r.status)
		}
	}
	value := url.Values{"nilai": {"1234567890123456"}, "alasan": {"kartu baru"}}
	for _, c := range []struct {
		path string
		form url.Values
	}{
		{"/data/guru/nuptk", value},
		{"/data/guru/nuptk", url.Values{"nilai": {"12"}, "alasan": {"kartu baru"}}},
		{"/data/guru/mata_pelajaran", url.Values{"nilai": {"Fisika"}, "alasan": {""}}},
		{"/data/guru/nuptk/sesuai", nil},
		{"/data/guru/sesuai", nil},
		{"/data/dokter/no_str", url.Values{"nilai": {"STR 1"}, "alasan": {"baru"}}},
		{"/data/dokter/no_str/batal", nil},
	} {
		if r := pns.post(c.path, c.form); r.status != fiber.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", c.path, r.status)
		}
		if r := pns.hx("POST", c.path, c.form, "f-nuptk"); r.status != fiber.StatusNotFound {
			t.Errorf("htmx POST %s: %d, want 404", c.path, r.status)
		}
	}
	op := w.as(storetest.LoginOpDidik)
	if r := op.post("/operator/pns/"+nipBudi+"/data/guru/nuptk", url.Values{"nilai": {"1234567890123456"}, "alasan": {"kartu baru"}}); r.status != fiber.StatusNotFound {
		t.Errorf("operator POST Data Guru for Budi: %d, want 404\n%s", r.status, r.body)
	}

	for _, path := range []string{"/data/utama/nip", "/data/utama/nip/sesuai"} {
		if r := pns.post(path, url.Values{"nilai": {"198609262015051002"}, "alasan": {"salah"}}); r.status != fiber.StatusUnprocessableEntity {
			t.Errorf("POST %s (read-only): %d, want 422", path, r.status)
		}
	}
	form, err := w.st.Form(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, nipBudi)
	if err != nil {
		t.Fatal(err)
	}
	if len(form.Entries) != 0 {
		t.Fatalf("writes refused but stored: %+v", form.Entries)
	}
}

// TestDamagedDataIsASentence: a damaged value reaches the person as a sentence that says nothing
// was changed and who to tell, not the generic server fault.
func TestDamagedDataIsASentence(t *testing.T) {
	err := fmt.Errorf("read: %w", store.ErrDamaged)
	if got := statusOf(err); got != fiber.StatusInternalServerError {
		t.Fatalf("status %d, want 500", got)
	}
	if got := sentence(err, 500); !strings.Contains(got, "rusak") || !strings.Contains(got, "admin") {
		t.Fatalf("sentence %q", got)
	}
}
