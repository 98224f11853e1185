package handlers

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
)

// TestAccessIsDeniedOutsideOwnRoom walks the routes with each kind of account and checks each allow
// and deny: a PNS reaches only their own form, a verifier only submissions of their level and scope.
func TestAccessIsDeniedOutsideOwnRoom(t *testing.T) {
	w := newWorld(t)
	sub := kirimBudi(t, w) // Budi's submission waits at Level 1 of U01

	cases := []struct {
		who    string // "" = anonymous
		path   string
		status int
	}{
		{"", "/data", fiber.StatusSeeOther},
		{"", "/verifikasi", fiber.StatusSeeOther},
		{"", "/status", fiber.StatusSeeOther},
		{nipBudi, "/data", fiber.StatusOK},
		{nipBudi, "/status", fiber.StatusOK},
		{nipBudi, "/verifikasi", fiber.StatusForbidden},
		{nipBudi, fmt.Sprintf("/verifikasi/%d", sub), fiber.StatusForbidden},
		{nipSri, fmt.Sprintf("/verifikasi/%d", sub), fiber.StatusForbidden},
		{"v1-didik", "/verifikasi", fiber.StatusOK},
		{"v1-didik", fmt.Sprintf("/verifikasi/%d", sub), fiber.StatusOK},
		{"v1-didik", "/data", fiber.StatusForbidden},
		{"v1-dinkes", fmt.Sprintf("/verifikasi/%d", sub), fiber.StatusForbidden}, // other SKPD
		{"v2", fmt.Sprintf("/verifikasi/%d", sub), fiber.StatusForbidden},        // not yet at Level 2
		{"v1-didik", "/verifikasi/999", fiber.StatusNotFound},
		{"v1-didik", "/verifikasi/abc", fiber.StatusNotFound},
		{"v1-didik", "/ringkasan", fiber.StatusOK},
		{"admin", "/ringkasan", fiber.StatusOK},
		{"admin", "/data", fiber.StatusForbidden},
		{"admin", "/verifikasi", fiber.StatusForbidden},
		{nipBudi, "/ringkasan", fiber.StatusForbidden},
		{"", "/ringkasan", fiber.StatusSeeOther},
	}
	clients := map[string]*client{}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s %s", or(tc.who, "anonim"), tc.path), func(t *testing.T) {
			c, ok := clients[tc.who]
			if !ok {
				c = w.client()
				if tc.who != "" {
					c = w.as(tc.who)
				}
				clients[tc.who] = c
			}
			r := c.get(tc.path)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d", r.status, tc.status)
			}
			if tc.status == fiber.StatusSeeOther && !strings.HasPrefix(r.header.Get("Location"), "/masuk") {
				t.Fatalf("anonymous not sent to login: %q", r.header.Get("Location"))
			}
		})
	}

	// Posting into another room is refused as well, and changes nothing.
	v := w.as("v1-dinkes")
	r := v.post(fmt.Sprintf("/verifikasi/%d/baris/nama", sub), url.Values{"putusan": {"setuju"}, "rev": {"1"}})
	if r.status != fiber.StatusForbidden {
		t.Fatalf("out-of-scope decision: status %d, want 403", r.status)
	}
	pns := w.as(nipBudi)
	if r := pns.post(fmt.Sprintf("/verifikasi/%d/teruskan", sub), url.Values{"rev": {"1"}}); r.status != fiber.StatusForbidden {
		t.Fatalf("PNS forwarding: status %d, want 403", r.status)
	}
}

func or(a, b string) string {
	if a == "" {
		return b
	}
	return a
}

// TestStateChangingRequestsNeedCSRF: every POST route refuses a request without the session's token,
// whether the token is missing or belongs to another session.
func TestStateChangingRequestsNeedCSRF(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	other := w.as(nipSri)
	for _, path := range []string{"/data/utama/nama", "/data/utama/nama/sesuai", "/data/utama/nama/batal", "/data/utama/sesuai", "/kirim", "/keluar", "/verifikasi/1/baris/nama", "/verifikasi/1/teruskan"} {
		for name, token := range map[string]string{"missing": "", "foreign": other.csrf} {
			r := pns.do("POST", path, url.Values{"_csrf": {token}, "nilai": {"Budi Santosa"}}, "")
			if r.status != fiber.StatusForbidden {
				t.Errorf("POST %s with %s token: status %d, want 403", path, name, r.status)
			}
		}
	}
	f, err := w.st.Form(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, nipBudi)
	if err != nil || len(f.Entries) != 0 {
		t.Fatalf("a refused request stored something: %v %v", f.Entries, err)
	}
}

// TestProposeValidatesAtTheField: each bad value gets a message at its field (422) and nothing is
// stored; a good value is stored and the row shows old struck through and new.
func TestProposeValidatesAtTheField(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	cases := []struct {
		field, value string
		ok           bool
		msg          string
	}{
		{"nama", "Budi Santosa", true, ""},
		{"nama", "<script>alert(1)</script>", false, "tidak boleh berisi"},
		{"nama", strings.Repeat("a", 101), false, "paling panjang 100"},
		{"nama", "Budi\x07", false, "karakter kendali"},
		{"gelar_depan", "H.", false, "bukan gelar akademik"},
		{"tanggal_lahir", "1986-09-27", false, "sesuai dengan NIP"},
		{"tanggal_lahir", "2999-01-01", false, "masa depan"},
		{"tanggal_lahir", "31-02-1986", false, "tanggal yang benar"},
		{"jenis_kelamin", "2", false, "sesuai dengan NIP"},
		{"agama", "9", false, "dari daftar"},
		{"nik", "33740126098600", false, "16 angka"},
		{"nik", "33740126098600AB", false, "16 angka"},
		{"nik", "3374016609860001", false, "seharusnya 260986"},
		{"nik", "3374012609860009", true, ""},
		{"email", "budi@", false, "e-mail tidak valid"},
		{"no_hp", "12345", false, "diawali 08"},
		{"no_hp", "+62 812-3456-7891", true, ""},
		{"kode_pos", "5024", false, "5 angka"},
		{"npwp", "12.345.678.9-012.345", true, ""},
		{"tmt_pns", "2015-01-01", false, "sesudah TMT CPNS"},
		{"tmt_cpns", "2015-06-01", false, "sesuai dengan NIP"},
		{"alamat", "Jl. Pandanaran No. 10, Semarang", false, "sama dengan data saat ini"},
	}
	for _, tc := range cases {
		t.Run(tc.field+"="+tc.value, func(t *testing.T) {
			r := pns.hx("POST", "/data/utama/"+tc.field, url.Values{"nilai": {tc.value}, "alasan": {"sesuai KTP"}}, "f-"+tc.field)
			f, _ := w.st.Form(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, nipBudi)
			e, stored := f.Entries[tc.field]
			if tc.ok {
				if r.status != fiber.StatusOK || !stored || e.Status != store.EntryUsul {
					t.Fatalf("status %d, stored %v: want 200 and a proposal\n%s", r.status, stored, r.body)
				}
				contains(t, "row", r.body, `data-field="`+tc.field+`"`, `<del class="old">`, `<ins class="new">`, `id="kemajuan"`)
				pns.hx("POST", "/data/utama/"+tc.field+"/batal", nil, "f-"+tc.field)
				return
			}
			if r.status != fiber.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422\n%s", r.status, r.body)
			}
			if stored {
				t.Fatalf("invalid value was stored: %+v", e)
			}
			contains(t, "row with error", r.body, `id="msg-`+tc.field+`"`, tc.msg, `value="`)
		})
	}
}

// TestAutosaveAnswersOnlyTheMessage: htmx autosave targets the message under the input, so the
// input the PNS is typing in is never replaced.
func TestAutosaveAnswersOnlyTheMessage(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	r := pns.hx("POST", "/data/utama/nama", url.Values{"nilai": {"Budi Santosa"}, "alasan": {"sesuai ijazah"}}, "msg-nama")
	if r.status != fiber.StatusOK {
		t.Fatalf("autosave: %d", r.status)
	}
	if strings.Contains(r.body, `name="nilai"`) || !strings.Contains(r.body, "Tersimpan otomatis") {
		t.Fatalf("autosave answer should be the message only:\n%s", r.body)
	}
	r = pns.hx("POST", "/data/utama/nama", url.Values{"nilai": {"Budi <b>"}, "alasan": {""}}, "msg-nama")
	if r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, `class="msg err"`) {
		t.Fatalf("autosave of a bad value: %d\n%s", r.status, r.body)
	}
	f, _ := w.st.Form(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, nipBudi)
	if got := f.Entries["nama"].New; got != "Budi Santosa" {
		t.Fatalf("the bad keystroke replaced the saved value: %q", got)
	}
}

// TestRedCrossWorksWithAndWithoutJavaScript: htmx gets the edit row in place; a plain browser is
// sent to the page with that row open, posts a plain form, and gets the page back.
func TestRedCrossWorksWithAndWithoutJavaScript(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	r := pns.hx("GET", "/data/utama/nama/ubah", nil, "f-nama")
	contains(t, "htmx edit fragment", r.body, `id="f-nama"`, `name="nilai"`, `value="Budi Santoso"`, `name="alasan"`)
	if strings.Contains(r.body, "<html") {
		t.Fatal("htmx got a whole page")
	}

	r = pns.get("/data/utama/nama/ubah")
	if r.status != fiber.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "ubah=nama") {
		t.Fatalf("no-JS red cross: %d %q", r.status, r.header.Get("Location"))
	}
	r = pns.get("/data?tab=utama&ubah=nama")
	contains(t, "page with row open", r.body, "<html", `id="in-nama"`)

	r = pns.post("/data/utama/nama", url.Values{"nilai": {"Budi Susanto"}, "alasan": {"sesuai ijazah"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("no-JS save: %d", r.status)
	}
	r = pns.get("/data?tab=utama")
	contains(t, "page after save", r.body, "Budi Susanto", "sesuai ijazah", `data-state="usul"`)

	r = pns.post("/data/utama/kode_pos", url.Values{"nilai": {"abc"}, "alasan": {""}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("no-JS invalid: %d", r.status)
	}
	contains(t, "no-JS error page", r.body, "<html", "Kode pos harus 5 angka", `id="in-kode_pos"`, `value="abc"`)
}

// TestKirimSaysExactlyWhatIsMissing: Kirim on an unfinished form names each field and problem, with
// a link to it, and sends nothing.
func TestKirimSaysExactlyWhatIsMissing(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	pns.hx("POST", "/data/utama/nama", url.Values{"nilai": {"Budi Susanto"}}, "f-nama")
	pns.hx("POST", "/data/utama/agama/sesuai", nil, "f-agama")
	r := pns.hx("POST", "/kirim", nil, "kirim-panel")
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("incomplete Kirim: %d", r.status)
	}
	contains(t, "missing list", r.body, `id="kekurangan"`, `href="/data?tab=utama#f-nama"`, "alasan perbaikan belum diisi",
		`href="/data?tab=utama#f-npwp"`, "belum diperiksa")
	if strings.Contains(r.body, "#f-agama") {
		t.Error("a confirmed field is listed as missing")
	}
	if subs, _ := w.st.Submissions(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, nipBudi); len(subs) != 0 {
		t.Fatal("an incomplete form was sent")
	}
}

// kirimBudi fills Budi's form (two proposals, the rest Sesuai) and sends it; it returns the submission id.
func kirimBudi(t *testing.T, w *world) uint64 {
	t.Helper()
	pns := w.as(nipBudi)
	for f, v := range map[string]string{"nama": "Budi Susanto", "npwp": "123456789012345"} {
		if r := pns.hx("POST", "/data/utama/"+f, url.Values{"nilai": {v}, "alasan": {"sesuai dokumen"}}, "f-"+f); r.status != 200 {
			t.Fatalf("propose %s: %d %s", f, r.status, r.body)
		}
		pns.attachAll(f)
	}
	pns.confirmAllTabs()
	r := pns.hx("POST", "/kirim", nil, "kirim-panel")
	if r.status != 200 || r.header.Get("HX-Redirect") != "/status" {
		t.Fatalf("kirim: %d %q\n%s", r.status, r.header.Get("HX-Redirect"), r.body)
	}
	subs, err := w.st.Submissions(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, nipBudi)
	if err != nil || len(subs) != 1 {
		t.Fatalf("submissions: %v %v", subs, err)
	}
	return subs[0].ID
}

// TestCorrectionFlowEndToEnd: Kirim locks the form and lands in the SKPD's Level 1 inbox; Level 1
// and Level 2 approve line by line (one TMS); the approved value replaces the master as a new
// version, the rejected one does not, and the PNS's status says selesai.
func TestCorrectionFlowEndToEnd(t *testing.T) {
	w := newWorld(t)
	id := kirimBudi(t, w)
	pns := w.as(nipBudi)
	r := pns.get("/data")
	contains(t, "locked form", r.body, `id="terkunci"`)
	if strings.Contains(r.body, `id="silang-nama"`) {
		t.Error("locked form still offers the red cross")
	}
	if r := pns.hx("POST", "/data/utama/agama/sesuai", nil, "f-agama"); r.status != fiber.StatusConflict {
		t.Errorf("change after Kirim: %d, want 409", r.status)
	}

	v1 := w.as("v1-didik")
	r = v1.get("/verifikasi")
	contains(t, "level 1 inbox", r.body, fmt.Sprintf(`id="usulan-%d"`, id), "Budi Santoso")
	if other := w.as("v1-dinkes").get("/verifikasi"); strings.Contains(other.body, fmt.Sprintf(`id="usulan-%d"`, id)) {
		t.Fatal("another SKPD's inbox shows the submission")
	}
	r = v1.get(fmt.Sprintf("/verifikasi/%d", id))
	contains(t, "review", r.body, `id="line-nama"`, `data-field="npwp"`, "Budi Susanto", "sesuai dokumen")

	// A negative decision without a note is refused at the line.
	r = v1.hx("POST", fmt.Sprintf("/verifikasi/%d/baris/npwp", id), url.Values{"putusan": {"tms"}, "rev": {"1"}, "rev_halaman": {"1"}}, "line-npwp")
	if r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, "Catatan wajib diisi") {
		t.Fatalf("TMS without note: %d\n%s", r.status, r.body)
	}
	decide(t, v1, id, "nama", "setuju", "")
	decide(t, v1, id, "npwp", "setuju", "")
	forward(t, v1, id)

	v2 := w.as("v2")
	r = v2.get("/verifikasi")
	contains(t, "level 2 inbox", r.body, fmt.Sprintf(`id="usulan-%d"`, id))
	decide(t, v2, id, "nama", "setuju", "sesuai SK CPNS")
	decide(t, v2, id, "npwp", "tms", "kartu NPWP tidak dilampirkan")
	forward(t, v2, id)

	// Nama needs BKN's authority: it goes on to the Kanreg of the province; the Kanreg sees only nama.
	r = pns.get("/status")
	contains(t, "status at Level 3", r.body, "Verifikasi Level 3 (Kanreg BKN)", "Level 3 · Kanreg BKN")
	v3 := w.as("v3")
	r = v3.get(fmt.Sprintf("/verifikasi/%d", id))
	contains(t, "level 3 review", r.body, `id="line-nama"`)
	if strings.Contains(r.body, `id="putuskan-npwp"`) {
		t.Error("the Kanreg is offered a decision on npwp, which does not need BKN")
	}
	decide(t, v3, id, "nama", "setuju", "")
	forward(t, v3, id)

	rec, _ := w.st.Record(nipBudi)
	if rec.Fields["nama"] != "Budi Susanto" || rec.Fields["npwp"] != "" || rec.Version != 2 {
		t.Fatalf("master after done: nama %q npwp %q version %d", rec.Fields["nama"], rec.Fields["npwp"], rec.Version)
	}
	vers, _ := w.st.Versions(nipBudi)
	if len(vers) != 2 || vers[0].Record.Fields["nama"] != "Budi Santoso" {
		t.Fatalf("history lost the old value: %+v", vers)
	}
	r = pns.get("/status")
	contains(t, "status", r.body, "Selesai", "kartu NPWP tidak dilampirkan", "sesuai SK CPNS")
	r = pns.get("/data")
	contains(t, "form after done", r.body, "Budi Susanto")

	// The office's summary counts Budi as sent and done.
	r = w.as("admin").get("/ringkasan")
	contains(t, "summary", r.body, `id="jumlah-kirim">1</a>`, `id="jumlah-belum">2</a>`, `<a href="/ringkasan/pns?status=selesai" id="posisi-6">1</a>`)
}

func decide(t *testing.T, c *client, id uint64, field, verdict, note string) {
	t.Helper()
	page := c.get(fmt.Sprintf("/verifikasi/%d", id))
	rev := revOf(t, page.body)
	r := c.hx("POST", fmt.Sprintf("/verifikasi/%d/baris/%s", id, field), url.Values{"putusan": {verdict}, "catatan": {note}, "rev": {rev}, "rev_halaman": {rev}}, "line-"+field)
	if r.status != 200 {
		t.Fatalf("decide %s %s: %d\n%s", field, verdict, r.status, r.body)
	}
	contains(t, "decision answer", r.body, `id="line-`+field+`"`, `id="rev"`, `hx-swap-oob="true"`, `id="teruskan"`)
}

func forward(t *testing.T, c *client, id uint64) {
	t.Helper()
	page := c.get(fmt.Sprintf("/verifikasi/%d", id))
	r := c.post(fmt.Sprintf("/verifikasi/%d/teruskan", id), url.Values{"rev": {revOf(t, page.body)}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("forward: %d\n%s", r.status, r.body)
	}
}

func revOf(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `name="rev_halaman" value="`)
	if i < 0 {
		t.Fatalf("no rev on page:\n%s", body)
	}
	rest := body[i+len(`name="rev_halaman" value="`):]
	return rest[:strings.IndexByte(rest, '"')]
}

// TestStaleDecisionIsRefused: a decision posted from a page older than a colleague's decision is
// refused (409) instead of silently overwriting.
func TestStaleDecisionIsRefused(t *testing.T) {
	w := newWorld(t)
	id := kirimBudi(t, w)
	v1 := w.as("v1-didik")
	rev := revOf(t, v1.get(fmt.Sprintf("/verifikasi/%d", id)).body)
	decide(t, v1, id, "nama", "setuju", "")
	r := v1.post(fmt.Sprintf("/verifikasi/%d/baris/npwp", id), url.Values{"putusan": {"setuju"}, "rev": {rev}})
	if r.status != fiber.StatusConflict {
		t.Fatalf("stale decision: %d, want 409", r.status)
	}
	contains(t, "conflict page", r.body, "diubah oleh petugas lain")
}

// TestBTSReturnsToPNS: a BTS line sends the submission back; the PNS can change the form again.
func TestBTSReturnsToPNS(t *testing.T) {
	w := newWorld(t)
	id := kirimBudi(t, w)
	v1 := w.as("v1-didik")
	decide(t, v1, id, "nama", "bts", "lampirkan ijazah")
	decide(t, v1, id, "npwp", "setuju", "")
	forward(t, v1, id)
	pns := w.as(nipBudi)
	r := pns.get("/status")
	contains(t, "returned status", r.body, "Dikembalikan", "lampirkan ijazah", `id="perlu-perbaikan"`)
	if r := pns.hx("POST", "/data/utama/nama", url.Values{"nilai": {"Budi Susanta"}, "alasan": {"sesuai ijazah"}}, "f-nama"); r.status != 200 {
		t.Fatalf("edit after return: %d", r.status)
	}
	if r := pns.hx("POST", "/kirim", nil, "kirim-panel"); r.header.Get("HX-Redirect") != "/status" {
		t.Fatalf("resend: %d %s", r.status, r.body)
	}
	if r := v1.get("/verifikasi"); !strings.Contains(r.body, "kirim ulang") {
		t.Fatal("resent submission not marked in the Level 1 inbox")
	}
}

// TestExpiredSessionIsRefused: a session past its lifetime no longer logs anyone in.
func TestExpiredSessionIsRefused(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	if r := pns.get("/data"); r.status != 200 {
		t.Fatalf("fresh session: %d", r.status)
	}
	w.clock.Add(8*time.Hour + time.Minute)
	r := pns.get("/data")
	if r.status != fiber.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/masuk") {
		t.Fatalf("expired session: %d %q, want redirect to login", r.status, r.header.Get("Location"))
	}
}

// TestLogoutEndsTheSession: after logout the old cookie is worth nothing, even replayed.
func TestLogoutEndsTheSession(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	old := pns.cookies["pupns_sesi"]
	if r := pns.post("/keluar", nil); r.status != fiber.StatusSeeOther {
		t.Fatalf("logout: %d", r.status)
	}
	replay := w.client()
	replay.cookies["pupns_sesi"] = old
	if r := replay.get("/data"); r.status != fiber.StatusSeeOther {
		t.Fatalf("replayed cookie after logout: %d", r.status)
	}
}

// TestHealthz answers without a session (and without reading the data: TestHealthzTouchesNoData).
func TestHealthz(t *testing.T) {
	w := newWorld(t)
	r := w.client().get("/healthz")
	if r.status != 200 || !strings.Contains(r.body, `"status":"ok"`) {
		t.Fatalf("healthz: %d %s", r.status, r.body)
	}
}

// TestWarningsFollowTheCorrectedRecord: a master birth date that disagrees with the NIP makes the
// (correct) NIK look wrong too; once the PNS proposes the birth date the NIP encodes, the NIK row
// stops warning, because warnings read the record as it will be, not as it was.
func TestWarningsFollowTheCorrectedRecord(t *testing.T) {
	w := newWorld(t)
	rec, _ := w.st.Record(nipBudi)
	rec.Fields["tanggal_lahir"] = "1986-09-27" // the NIP and the NIK both say the 26th
	if _, _, bad, err := w.st.PutMaster([]store.MasterInput{{Record: rec}}, "test", "fixture"); err != nil || len(bad) > 0 {
		t.Fatal(err, bad)
	}
	pns := w.as(nipBudi)
	r := pns.hx("GET", "/data/utama/nik", nil, "f-nik")
	contains(t, "NIK row before", r.body, `class="warn"`, "seharusnya 270986")
	r = pns.hx("GET", "/data/utama/tanggal_lahir", nil, "f-tanggal_lahir")
	contains(t, "birth date row", r.body, `class="warn"`, "sesuai dengan NIP")
	if r := pns.hx("POST", "/data/utama/tanggal_lahir", url.Values{"nilai": {"1986-09-26"}, "alasan": {"sesuai akta"}}, "f-tanggal_lahir"); r.status != 200 {
		t.Fatalf("propose birth date: %d %s", r.status, r.body)
	}
	r = pns.hx("GET", "/data/utama/nik", nil, "f-nik")
	if strings.Contains(r.body, `class="warn"`) {
		t.Fatalf("NIK warning stays after the birth date was corrected:\n%s", r.body)
	}
}

// TestDataUtamaShowsEveryFieldOfTheDomain: the tab carries a row for every Data Utama key of
// store/DOMAIN.md, each with its master value, plus the values derived from the history tables.
func TestDataUtamaShowsEveryFieldOfTheDomain(t *testing.T) {
	w := newWorld(t)
	r := w.as(nipBudi).get("/data?tab=utama")
	for _, key := range []string{"nip", "nama", "gelar_depan", "gelar_belakang", "tempat_lahir", "tanggal_lahir",
		"jenis_kelamin", "agama", "status_kawin", "nik", "npwp", "alamat", "kode_pos", "no_hp", "email", "tmt_cpns",
		"tmt_pns", "kedudukan_hukum", "jenis_pegawai", "no_karpeg"} {
		if !strings.Contains(r.body, `data-field="`+key+`"`) {
			t.Errorf("no row for %s", key)
		}
	}
	contains(t, "master values and derived", r.body, "19860926 201505 1 001", "Budi Santoso", "26-09-1986", "Laki-laki",
		"Islam", "3374012609860001", "III/a Penata Muda", "S-1 Teknik Informatika", "Golongan terakhir")
}
