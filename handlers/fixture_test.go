package handlers

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/static"
	"pupns/store"
)

// clock is a settable time source shared by the store and the tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// world is a small office: one province, two SKPDs (one with a nested unit), three PNS and a
// verifier for each level and SKPD. Every account's password is "rahasia123".
type world struct {
	t     *testing.T
	st    *store.Store
	app   *fiber.App
	clock *clock
}

const pw = "rahasia123"

// The PNS: Budi in a nested unit of U01, Sri in U01, Made in U02. Their master data is consistent.
const (
	nipBudi = "198609262015051001" // born 1986-09-26, TMT CPNS 2015-05, male
	nipSri  = "199001152014032002" // born 1990-01-15, TMT CPNS 2014-03, female
	nipMade = "198512302010011003"
)

func masterRec(nip, unit, nama, born, sex, nik, tmtCPNS, tmtPNS string) store.MasterInput {
	return store.MasterInput{Record: store.Record{NIP: nip, InstansiID: "P33", UnitID: unit, Fields: map[string]string{
		"nama": nama, "tempat_lahir": "Semarang", "tanggal_lahir": born, "jenis_kelamin": sex, "agama": "1",
		"status_kawin": "1", "nik": nik, "alamat": "Jl. Pandanaran No. 10, Semarang", "kode_pos": "50241",
		"no_hp": "081234567890", "email": strings.ToLower(strings.Fields(nama)[0]) + "@contoh.go.id", "tmt_cpns": tmtCPNS, "tmt_pns": tmtPNS,
		"kedudukan_hukum": "01", "jenis_pegawai": "10",
	}, Riwayat: map[string][]store.Row{
		"golongan":   {{ID: "g1", Fields: map[string]string{"golongan": "31", "tmt_golongan": tmtCPNS, "jenis_kp": "211"}}},
		"pendidikan": {{ID: "p1", Fields: map[string]string{"tingkat": "40", "jurusan": "Teknik Informatika", "tahun_lulus": "2008"}}},
	}}}
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ck := &clock{t: time.Date(2016, 10, 1, 9, 0, 0, 0, time.UTC)}
	st, err := store.Open(t.TempDir(), store.Options{Now: ck.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.PutInstansi(store.Instansi{ID: "P33", Nama: "Pemerintah Provinsi Jawa Tengah", Jenis: "daerah", KanregID: "I"}))
	must(st.PutUnit(store.Unit{ID: "U01", InstansiID: "P33", Nama: "Dinas Pendidikan"}))
	must(st.PutUnit(store.Unit{ID: "U01.01", InstansiID: "P33", ParentID: "U01", Nama: "Bidang Pembinaan SMA"}))
	must(st.PutUnit(store.Unit{ID: "U02", InstansiID: "P33", Nama: "Dinas Kesehatan"}))
	_, _, bad, err := st.PutMaster([]store.MasterInput{
		masterRec(nipBudi, "U01.01", "Budi Santoso", "1986-09-26", "1", "3374012609860001", "2015-05-01", "2016-06-01"),
		masterRec(nipSri, "U01", "Sri Wahyuni", "1990-01-15", "2", "3374015501900002", "2014-03-01", "2015-04-01"),
		masterRec(nipMade, "U02", "Made Wirawan", "1985-12-30", "1", "3374013012850003", "2010-01-01", "2011-02-01"),
	}, "test", "fixture")
	must(err)
	if len(bad) > 0 {
		t.Fatalf("fixture master data invalid: %v", bad)
	}
	hash := store.HashPassword(pw)
	must(st.PutUsers([]store.User{
		{Login: nipBudi, Role: store.RolePNS, Name: "Budi Santoso", NIP: nipBudi, RegNo: "BUDI2345XY", Hash: hash},
		{Login: nipSri, Role: store.RolePNS, Name: "Sri Wahyuni", NIP: nipSri, Hash: hash},
		{Login: nipMade, Role: store.RolePNS, Name: "Made Wirawan", NIP: nipMade, Hash: hash},
		{Login: "v1-didik", Role: store.RoleV1, Name: "Verifikator Disdik", ScopeID: "U01", Hash: hash},
		{Login: "v1-dinkes", Role: store.RoleV1, Name: "Verifikator Dinkes", ScopeID: "U02", Hash: hash},
		{Login: "v2", Role: store.RoleV2, Name: "Verifikator BKD", ScopeID: "P33", Hash: hash},
		{Login: "v3", Role: store.RoleV3, Name: "Verifikator Kanreg I", ScopeID: "I", Hash: hash},
		{Login: "admin", Role: store.RoleAdmin, Name: "Admin", Hash: hash},
	}))
	h := New(st, Config{Static: static.FS, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	return &world{t: t, st: st, app: h.App(), clock: ck}
}

// client is a browser stand-in for app.Test: it keeps cookies and the CSRF token of the last page.
type client struct {
	w       *world
	cookies map[string]string
	csrf    string
}

type resp struct {
	status int
	body   string
	header http.Header
}

func (w *world) client() *client { return &client{w: w, cookies: map[string]string{}} }

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// do sends a request. form nil means no body; hx true sends the htmx headers with target.
func (c *client) do(method, path string, form url.Values, hxTarget string) resp {
	c.w.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if hxTarget != "" {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", hxTarget)
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := c.w.app.Test(req, -1)
	if err != nil {
		c.w.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	if m := csrfRe.FindStringSubmatch(string(raw)); m != nil {
		c.csrf = m[1]
	}
	return resp{status: res.StatusCode, body: string(raw), header: res.Header}
}

func (c *client) get(path string) resp { return c.do("GET", path, nil, "") }

// post sends a plain form with the CSRF token, as a browser without JavaScript does.
func (c *client) post(path string, form url.Values) resp {
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" {
		form.Set("_csrf", c.csrf)
	}
	return c.do("POST", path, form, "")
}

// hx sends what htmx sends: the token in a header and the target's id.
func (c *client) hx(method, path string, form url.Values, target string) resp {
	if form == nil && method == "POST" {
		form = url.Values{}
	}
	return c.do(method, path, form, target)
}

// login opens the login page and logs in; it fails the test when that does not land at want.
func (c *client) login(login, want string) {
	c.w.t.Helper()
	c.get("/masuk")
	r := c.post("/masuk", url.Values{"login": {login}, "password": {pw}})
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != want {
		c.w.t.Fatalf("login %s: status %d location %q, want 303 %s\n%s", login, r.status, r.header.Get("Location"), want, r.body)
	}
	c.get(want) // pick up the new session's CSRF token
}

func (w *world) as(login string) *client {
	c := w.client()
	u, err := w.st.User(login)
	if err != nil {
		w.t.Fatal(err)
	}
	c.login(login, homeFor(u.Role))
	return c
}

func contains(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("%s: missing %q", what, s)
		}
	}
}
