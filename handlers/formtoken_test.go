package handlers

import (
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"go.etcd.io/bbolt"

	"pupns/store"
)

// TestLoginRegeneratesSessionAndNeedsCSRF: the login page stores no session (a signed token bound
// to the form cookie protects it); a login form posted without the page's token is refused (login
// CSRF), a wrong password says so at the form, and a good login gets a new session id (no
// fixation) and lands on the PNS's form.
func TestLoginRegeneratesSessionAndNeedsCSRF(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	c.cookies["pupns_sesi"] = "planted-by-someone-else-0000000000000000000" // 43 characters, never stored
	c.get("/masuk")
	before := c.cookies["pupns_sesi"]
	if c.cookies["pupns_formulir"] == "" || c.csrf == "" {
		t.Fatal("login page gave no form cookie or CSRF token")
	}
	r := c.do("POST", "/masuk", url.Values{"login": {nipBudi}, "password": {pw}}, "")
	if r.status != fiber.StatusForbidden {
		t.Fatalf("login without CSRF token: status %d, want 403", r.status)
	}
	r = c.post("/masuk", url.Values{"login": {nipBudi}, "password": {"salah-sandi"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("wrong password: status %d, want 422", r.status)
	}
	contains(t, "wrong password page", r.body, `id="login-error"`, "kata sandi salah")
	r = c.post("/masuk", url.Values{"login": {"BUDI2345XY"}, "password": {pw}})
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/data" {
		t.Fatalf("login by nomor registrasi: %d %q", r.status, r.header.Get("Location"))
	}
	if after := c.cookies["pupns_sesi"]; after == "" || after == before {
		t.Fatalf("session id did not change on login (%q → %q)", before, after)
	}
}

// TestSessionCookieIsHttpOnlyAndSameSite: the form cookie of the login page and the session
// cookie of a login are out of reach of page scripts and not sent on cross-site posts.
func TestSessionCookieIsHttpOnlyAndSameSite(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	r := c.get("/masuk")
	check := func(what, name string, h []string) {
		t.Helper()
		for _, sc := range h {
			if !strings.HasPrefix(sc, name+"=") {
				continue
			}
			for _, want := range []string{"HttpOnly", "SameSite=Lax", "path=/"} {
				if !strings.Contains(strings.ToLower(sc), strings.ToLower(want)) {
					t.Errorf("%s: Set-Cookie %q lacks %s", what, sc, want)
				}
			}
			return
		}
		t.Errorf("%s: no %s cookie in %q", what, name, h)
	}
	check("login page", "pupns_formulir", r.header.Values("Set-Cookie"))
	r = c.post("/masuk", url.Values{"login": {nipBudi}, "password": {pw}})
	check("login", "pupns_sesi", r.header.Values("Set-Cookie"))
}

// storedSessions counts the sessions in the data file.
func storedSessions(t *testing.T, st *store.Store) int {
	t.Helper()
	n := 0
	if err := st.DB().View(func(tx *bbolt.Tx) error { n = tx.Bucket([]byte("sessions")).Stats().KeyN; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAnonymousVisitsStoreNoSession: hundreds of visits to the public pages, by new visitors and
// by one visitor again and again, and a failed login, store no session at all (they used to store
// one 8-hour session each); a login stores exactly one.
func TestAnonymousVisitsStoreNoSession(t *testing.T) {
	w := newWorld(t)
	pages := []string{"/masuk", "/registrasi", "/lupa", "/cek-status", "/", "/data"}
	for i := range 300 {
		w.client().get(pages[i%len(pages)])
	}
	c := w.client()
	for i := range 100 {
		c.get(pages[i%len(pages)])
	}
	if r := c.post("/masuk", url.Values{"login": {nipBudi}, "password": {"salah-sandi"}}); r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("wrong password: %d", r.status)
	}
	if n := storedSessions(t, w.st); n != 0 {
		t.Fatalf("%d sessions stored for visitors who never logged in, want 0", n)
	}
	if r := c.post("/masuk", url.Values{"login": {nipBudi}, "password": {pw}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("login with the signed form token: %d %s", r.status, r.body)
	}
	if n := storedSessions(t, w.st); n != 1 {
		t.Fatalf("%d sessions after one login, want 1", n)
	}
}

// TestLoginFormTokenIsBoundToTheVisitorAndExpires: the login form's token works only with the
// form cookie it was made for, only as made (not altered), and only within FormTokenTTL.
func TestLoginFormTokenIsBoundToTheVisitorAndExpires(t *testing.T) {
	w := newWorld(t)
	a, b := w.client(), w.client()
	a.get("/masuk")
	b.get("/masuk")
	wrong := url.Values{"login": {nipBudi}, "password": {"salah-sandi"}}
	try := func(c *client, token string) int {
		t.Helper()
		f := url.Values{"_csrf": {token}}
		for k, v := range wrong {
			f[k] = v
		}
		return c.do("POST", "/masuk", f, "").status
	}
	if s := try(b, a.csrf); s != fiber.StatusForbidden {
		t.Errorf("A's token with B's cookie: %d, want 403", s)
	}
	altered := []byte(a.csrf)
	altered[len(altered)-2] ^= 1
	if s := try(a, string(altered)); s != fiber.StatusForbidden {
		t.Errorf("an altered token: %d, want 403", s)
	}
	if s := try(a, a.csrf); s != fiber.StatusUnprocessableEntity {
		t.Errorf("A's own token: %d, want 422 (checked, wrong password)", s)
	}
	old := a.csrf
	w.clock.Add(8*time.Hour + time.Minute)
	if s := try(a, old); s != fiber.StatusForbidden {
		t.Errorf("a token past its 8 hours: %d, want 403", s)
	}
	a.get("/masuk")
	if s := try(a, a.csrf); s != fiber.StatusUnprocessableEntity {
		t.Errorf("a fresh token after reloading: %d, want 422", s)
	}
}

// fillHashing holds every place of the store's hashing pool until release is called.
func fillHashing(t *testing.T, p *store.HashPool) (release func()) {
	t.Helper()
	_, places := p.Load()
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for range places {
		wg.Add(1)
		go func() { defer wg.Done(); _ = p.Do(func() { <-gate }) }()
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		if held, _ := p.Load(); held == places {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the hashing pool did not fill")
		}
	}
	return func() { close(gate); wg.Wait() }
}

// TestLoginWhileHashingIsFullSaysBusy: when every hashing place is taken, a login is answered at
// once with 503, Retry-After and the sentence on the login page, and a recovery with 503 and the
// same sentence; neither counts as a failure against the account. Once there is room, the login
// works.
func TestLoginWhileHashingIsFullSaysBusy(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	c.get("/masuk")
	release := fillHashing(t, w.st.Hashing())
	var r resp
	for range 6 { // more than the account's free failures: none of them may count
		r = c.post("/masuk", url.Values{"login": {nipBudi}, "password": {pw}})
	}
	if r.status != fiber.StatusServiceUnavailable || r.header.Get("Retry-After") == "" || !strings.Contains(r.body, busyMessage) {
		t.Errorf("login while busy: %d, Retry-After %q, body has the sentence: %v", r.status, r.header.Get("Retry-After"), strings.Contains(r.body, busyMessage))
	}
	c.get("/lupa")
	r = c.post("/lupa", url.Values{"nip": {nipBudi}, "pertanyaan": {"x"}, "jawaban": {"y"}, "ibu": {"z"}})
	if r.status != fiber.StatusServiceUnavailable || !strings.Contains(r.body, busyMessage) {
		t.Errorf("recovery while busy: %d", r.status)
	}
	release()
	if wait, _ := w.st.LimitWait(acctKey("masuk", nipBudi)); wait > 0 {
		t.Errorf("a busy answer counted as a failure: wait %v", wait)
	}
	c.get("/masuk")
	if r := c.post("/masuk", url.Values{"login": {nipBudi}, "password": {pw}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("login after the pool drained: %d", r.status)
	}
}
