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

// tight are small limits so the tests reach them quickly.
func tight(c *Config) {
	c.NoCaptcha = true
	c.Limits = Limits{
		Account: store.LimitPolicy{Free: 3, Base: time.Minute, Max: 4 * time.Minute, Forget: time.Hour},
		Address: store.LimitPolicy{Free: 6, Base: 2 * time.Minute, Max: 8 * time.Minute, Forget: time.Hour},
		Lookup:  store.LimitPolicy{Free: 5, Base: time.Minute, Max: 4 * time.Minute, Forget: time.Hour},
	}
}

func tryLogin(c *client, login, password string) resp {
	c.get("/masuk")
	return c.post("/masuk", url.Values{"login": {login}, "password": {password}})
}

// TestLoginBacksOffPerAccountAndSaysWhen: after the free failures an account is locked (even the
// right password waits) and the page says when to try again; the lock doubles, is capped, runs
// out, survives a restart, and a success resets the count. The real owner is never locked out
// for longer than the cap.
func TestLoginBacksOffPerAccountAndSaysWhen(t *testing.T) {
	w := newWorldWith(t, func(c *Config) { tight(c); c.Limits.Address.Free = 100 }) // only the account's lock here
	c := w.client()
	for i := 0; i < 2; i++ {
		if r := tryLogin(c, nipBudi, "salah-sandi"); r.status != 422 {
			t.Fatalf("failure %d: %d", i+1, r.status)
		}
	}
	r := tryLogin(c, nipBudi, "salah-sandi") // the third locks for a minute
	if r.status != 422 {
		t.Fatalf("third failure: %d", r.status)
	}
	r = tryLogin(c, "budi2345xy", pw) // the right password, by nomor registrasi: the same account
	if r.status != fiber.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Fatalf("locked account: %d", r.status)
	}
	contains(t, "locked", r.body, `id="login-error"`, "Coba lagi dalam 1 menit")
	if r := tryLogin(c, nipSri, pw); r.status != fiber.StatusSeeOther {
		t.Fatalf("another account from the same address: %d", r.status)
	}

	w.restart()
	c = w.client()
	if r := tryLogin(c, nipBudi, pw); r.status != fiber.StatusTooManyRequests {
		t.Fatalf("after a restart the lock is gone: %d", r.status)
	}
	w.clock.Add(time.Minute)
	if r := tryLogin(c, nipBudi, "salah-lagi"); r.status != 422 {
		t.Fatalf("after the lock: %d", r.status)
	}
	r = tryLogin(c, nipBudi, pw) // the fourth failure doubled the lock
	contains(t, "doubled", r.body, "Coba lagi dalam 2 menit")
	for i := 0; i < 5; i++ { // more failures after each lock: capped at 4 minutes
		w.clock.Add(10 * time.Minute)
		tryLogin(c, nipBudi, "salah-lagi")
	}
	contains(t, "capped", tryLogin(c, nipBudi, pw).body, "Coba lagi dalam 4 menit")
	w.clock.Add(4 * time.Minute)
	if r := tryLogin(c, nipBudi, pw); r.status != fiber.StatusSeeOther {
		t.Fatalf("the owner after the capped lock: %d", r.status)
	}
	c2 := w.client()
	if r := tryLogin(c2, nipBudi, "salah"); r.status != 422 {
		t.Fatalf("after a success the count starts again: %d", r.status)
	}
}

// TestLoginBacksOffPerAddress: failures spread over many accounts from one address lock the address.
func TestLoginBacksOffPerAddress(t *testing.T) {
	w := newWorldWith(t, tight)
	c := w.client()
	for i, login := range []string{"a1", "a2", "a3", "a4", "a5", "a6"} {
		if r := tryLogin(c, login, "x"); r.status != 422 {
			t.Fatalf("failure %d: %d", i+1, r.status)
		}
	}
	r := tryLogin(c, "admin", pw)
	if r.status != fiber.StatusTooManyRequests {
		t.Fatalf("locked address: %d", r.status)
	}
	contains(t, "address lock", r.body, "Coba lagi dalam 2 menit")
}

// TestRecoveryAndRegistrationAreLimited: wrong recovery answers and failed registrations lock the
// NIP, with the same message; look-ups (Cari, cek status) slow down per address.
func TestRecoveryAndRegistrationAreLimited(t *testing.T) {
	w := newWorldWith(t, tight)
	w.addRegistrationData()
	registerBaru(t, w)
	c := w.client()
	c.get("/lupa")
	for i := 0; i < 3; i++ {
		c.post("/lupa", url.Values{"nip": {nipBaru}, "pertanyaan": {"3"}, "jawaban": {"tebakan"}, "ibu": {"Siti"}})
	}
	r := c.post("/lupa", url.Values{"nip": {nipBaru}, "pertanyaan": {"3"}, "jawaban": {"Si Belang"}, "ibu": {"Siti Aminah"}})
	if r.status != fiber.StatusTooManyRequests || strings.Contains(r.body, `id="nomor-registrasi"`) {
		t.Fatalf("recovery after three wrong answers: %d", r.status)
	}
	contains(t, "recovery lock", r.body, "Coba lagi dalam 1 menit")

	c = w.client()
	c.get("/lupa") // a page with the CSRF token
	for i := 0; i < 3; i++ {
		c.post("/registrasi", url.Values{"nip": {nipTunggu}, "nik": {"salah"}})
	}
	r = c.post("/registrasi", url.Values{"nip": {nipTunggu}, "nik": {"salah"}})
	if r.status != fiber.StatusTooManyRequests {
		t.Fatalf("registration after failures: %d", r.status)
	}
	contains(t, "registration lock", r.body, "Coba lagi dalam")

	c = w.client()
	for i := 0; i < 5; i++ {
		c.get("/cek-status?nip=" + nipBudi)
	}
	w2 := newWorldWith(t, func(c *Config) { tight(c); c.NoCaptcha = false })
	c2 := w2.client()
	for i := 0; i < 5; i++ {
		if r := c2.hx("GET", "/registrasi/captcha", nil, "captcha"); r.status != 200 {
			t.Fatalf("captcha image %d: %d", i+1, r.status)
		}
	}
	if r := c2.hx("GET", "/registrasi/captcha", nil, "captcha"); r.status != fiber.StatusTooManyRequests || !strings.Contains(r.body, "Coba lagi") {
		t.Fatalf("new captcha images past the look-up limit: %d %s", r.status, r.body)
	}
	r = c.get("/cek-status?nip=" + nipBudi)
	if r.status != fiber.StatusTooManyRequests || strings.Contains(r.body, `id="hasil-status"`) {
		t.Fatalf("look-ups past the limit: %d", r.status)
	}
}

// TestLogoutEndsEverySessionOfTheAccount: logging out in one browser ends the account's session in
// another too.
func TestLogoutEndsEverySessionOfTheAccount(t *testing.T) {
	w := newWorld(t)
	a := w.as(nipBudi)
	b := w.as(nipBudi)
	other := w.as(nipSri)
	if r := a.post("/keluar", nil); r.status != fiber.StatusSeeOther {
		t.Fatalf("logout: %d", r.status)
	}
	if r := b.get("/data"); r.status != fiber.StatusSeeOther {
		t.Fatalf("the other browser is still logged in: %d", r.status)
	}
	if r := other.get("/data"); r.status != 200 {
		t.Fatalf("another account was logged out: %d", r.status)
	}
}

// TestPasswordChangeEndsOtherSessions: the account's own password change keeps this session and
// ends the others; a wrong current password or a common new one is refused at its field.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	w := newWorld(t)
	a := w.as("v2")
	b := w.as("v2")
	a.get("/akun/sandi")
	r := a.post("/akun/sandi", url.Values{"sandi_lama": {"salah"}, "password": {"Teh-Tarik-Dingin"}, "password2": {"Teh-Tarik-Dingin"}})
	contains(t, "wrong current", r.body, `id="msg-sandi_lama"`, "salah")
	r = a.post("/akun/sandi", url.Values{"sandi_lama": {pw}, "password": {"iloveyou"}, "password2": {"iloveyou"}})
	contains(t, "common", r.body, `id="msg-password"`, "paling sering")
	r = a.post("/akun/sandi", url.Values{"sandi_lama": {pw}, "password": {"Teh-Tarik-Dingin"}, "password2": {"Teh-Tarik-Dingin"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("change: %d\n%s", r.status, r.body)
	}
	if r := a.get("/verifikasi"); r.status != 200 {
		t.Fatalf("the session that changed the password was ended: %d", r.status)
	}
	if r := b.get("/verifikasi"); r.status != fiber.StatusSeeOther {
		t.Fatalf("the other session survived: %d", r.status)
	}
}

// TestOperatorFillsTheFormOnBehalf: an operator finds a PNS of their SKPD, the page says plainly
// for whom, each change is recorded as the operator's for that PNS, links stay under the
// operator's path, Kirim is recorded as sent by the operator; a PNS of another SKPD is refused.
func TestOperatorFillsTheFormOnBehalf(t *testing.T) {
	w := newWorld(t)
	op := w.as("op-didik")
	r := op.get("/operator?nip=" + url.QueryEscape(store.FormatNIP(nipBudi)))
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/operator/pns/"+nipBudi+"/data" {
		t.Fatalf("find in scope: %d %q", r.status, r.header.Get("Location"))
	}
	r = op.get("/operator?nip=" + nipMade)
	if r.status != 422 || !strings.Contains(r.body, "tidak ada di lingkup Anda") {
		t.Fatalf("find out of scope: %d", r.status)
	}
	if r := op.get("/operator/pns/" + nipMade + "/data"); r.status != fiber.StatusForbidden {
		t.Fatalf("form out of scope: %d", r.status)
	}
	base := "/operator/pns/" + nipBudi
	r = op.get(base + "/data")
	contains(t, "form for Budi", r.body, `id="atas-nama"`, "Anda mengisi atas nama", "Budi Santoso (NIP 19860926 201505 1 001)",
		`hx-get="`+base+`/data/utama/nama/ubah"`, `href="`+base+`/data?tab=utama"`, `action="`+base+`/kirim"`)
	if strings.Contains(r.body, `hx-get="/data/`) {
		t.Fatal("a link leads to the operator's own (non-existent) form")
	}
	if r := op.hx("POST", base+"/data/utama/nama", url.Values{"nilai": {"Budi Santosa"}, "alasan": {"sesuai akta"}}, "f-nama"); r.status != 200 {
		t.Fatalf("propose: %d\n%s", r.status, r.body)
	}
	f, _ := w.st.Form(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, nipBudi)
	if e := f.Entries["nama"]; e.By != "op-didik" || e.OnBehalfOf != nipBudi {
		t.Fatalf("entry: %+v", e)
	}
	// The operator attaches the documents the proposal needs, through the operator's own upload route.
	for _, kind := range f.MissingDocs("nama") {
		if r := op.uploadAt(base, "nama", kind, kind+".pdf", pdfDoc, "dok-nama"); r.status != 200 {
			t.Fatalf("operator upload %s: %d %s", kind, r.status, r.body)
		}
	}
	if f, _ = w.st.Form(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, nipBudi); len(f.MissingDocs("nama")) != 0 || len(f.Docs["nama"]) == 0 {
		t.Fatalf("documents after operator upload: missing %v, attached %v", f.MissingDocs("nama"), f.Docs["nama"])
	}
	if r := op.get(base + "/data"); strings.Contains(r.body, `action="/dokumen/`) || strings.Contains(r.body, `hx-get="/data/riwayat`) {
		t.Fatal("the operator's page offers the PNS's own document or history routes")
	}
	if r := op.post(base+"/data/utama/sesuai", nil); r.status != fiber.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), base) {
		t.Fatalf("rest sesuai: %d %q", r.status, r.header.Get("Location"))
	}
	for _, tab := range store.Tabs[1:] {
		op.post(base+"/data/"+tab.Key+"/sesuai", nil)
	}
	r = op.hx("POST", base+"/kirim", nil, "kirim-panel")
	if r.header.Get("HX-Redirect") != base+"/status" {
		t.Fatalf("kirim: %d %q\n%s", r.status, r.header.Get("HX-Redirect"), r.body)
	}
	subs, _ := w.st.Submissions(store.Actor{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi}, nipBudi)
	if len(subs) != 1 || subs[0].SentBy != "op-didik" {
		t.Fatalf("submission: %+v", subs)
	}
	contains(t, "status for Budi", op.get(base+"/status").body, "Budi Santoso")
	// The PNS sees what the operator did for them.
	contains(t, "PNS's own status", w.as(nipBudi).get("/status").body, "Budi Santosa")
}

// TestAdminManagesStaffAccounts: the admin adds an account with a role and a scope from the tree
// (bad input at the fields), resets a password (ending its sessions) and disables an account.
func TestAdminManagesStaffAccounts(t *testing.T) {
	w := newWorld(t)
	admin := w.as("admin")
	r := admin.get("/admin/akun")
	contains(t, "accounts page", r.body, `id="akun-v2"`, `<optgroup label="SKPD (Level 1, operator)">`, `value="U01"`, `value="P33"`, `value="I"`)
	if strings.Contains(r.body, `value="U01.01"`) {
		t.Error("a nested unit is offered as an SKPD scope")
	}
	r = admin.post("/admin/akun", url.Values{"login": {"Op Baru"}, "nama": {"<script>x</script>"}, "peran": {"operator"}, "lingkup": {"P33"},
		"password": {"password"}, "password2": {"password"}})
	if r.status != 422 {
		t.Fatalf("bad account: %d", r.status)
	}
	contains(t, "bad account", r.body, `id="msg-login"`, `id="msg-nama"`, `id="msg-password"`)
	r = admin.post("/admin/akun", url.Values{"login": {"op.baru"}, "nama": {"Rina Wati"}, "peran": {"operator"}, "lingkup": {"P33"},
		"password": {"Teh-Tarik-Dingin"}, "password2": {"Teh-Tarik-Dingin"}})
	contains(t, "wrong scope kind", r.body, `id="msg-lingkup"`, "SKPD")
	r = admin.post("/admin/akun", url.Values{"login": {"op.baru"}, "nama": {"Rina Wati"}, "peran": {"operator"}, "lingkup": {"U02"},
		"password": {"Teh-Tarik-Dingin"}, "password2": {"Teh-Tarik-Dingin"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("add: %d\n%s", r.status, r.body)
	}
	op := w.client()
	if r := tryLogin(op, "op.baru", "Teh-Tarik-Dingin"); r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/operator" {
		t.Fatalf("new operator login: %d %q", r.status, r.header.Get("Location"))
	}
	admin.get("/admin/akun")
	if r := admin.post("/admin/akun/op.baru/sandi", url.Values{"password": {"Wedang-Jahe-Hangat"}, "password2": {"Wedang-Jahe-Hangat"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("reset: %d", r.status)
	}
	if r := op.get("/operator"); r.status != fiber.StatusSeeOther {
		t.Fatalf("the reset left the operator logged in: %d", r.status)
	}
	op = w.client()
	if r := tryLogin(op, "op.baru", "Wedang-Jahe-Hangat"); r.status != fiber.StatusSeeOther {
		t.Fatalf("login with the reset password: %d", r.status)
	}
	admin.get("/admin/akun")
	if r := admin.post("/admin/akun/op.baru/nonaktif", nil); r.status != fiber.StatusSeeOther {
		t.Fatalf("disable: %d", r.status)
	}
	if r := op.get("/operator"); r.status != fiber.StatusSeeOther {
		t.Fatalf("a disabled account is still logged in: %d", r.status)
	}
	contains(t, "disabled login", tryLogin(w.client(), "op.baru", "Wedang-Jahe-Hangat").body, "dinonaktifkan")
	admin.get("/admin/akun")
	if r := admin.post("/admin/akun/"+nipBudi+"/sandi", url.Values{"password": {"Wedang-Jahe-Hangat"}, "password2": {"Wedang-Jahe-Hangat"}}); r.status != fiber.StatusForbidden {
		t.Fatalf("admin reset of a PNS: %d, want 403 (PNS recover themselves)", r.status)
	}
}

// TestAddressLimitUsesTheProxyHeaderFromTrustedProxiesOnly: behind a reverse proxy each client's
// address counts on its own; a client that is not a trusted proxy cannot choose its address.
func TestAddressLimitUsesTheProxyHeaderFromTrustedProxiesOnly(t *testing.T) {
	for _, trusted := range []bool{true, false} {
		w := newWorldWith(t, func(c *Config) {
			tight(c)
			c.ProxyHeader = "X-Real-IP"
			c.TrustedProxies = []string{"192.0.2.1"} // not app.Test's 0.0.0.0
			if trusted {
				c.TrustedProxies = []string{"0.0.0.0"}
			}
		})
		fail := func(ip, login string) int {
			req := url.Values{"login": {login}, "password": {"x"}}
			c := w.client()
			c.get("/masuk")
			req.Set("_csrf", c.csrf)
			return c.doWith("POST", "/masuk", req, map[string]string{"X-Real-IP": ip}).status
		}
		for i := 0; i < 6; i++ {
			fail("203.0.113.7", fmt.Sprintf("akun%d", i))
		}
		got := fail("203.0.113.8", "akun-lain")
		if trusted && got != 422 {
			t.Errorf("trusted proxy: another client is limited too (%d)", got)
		}
		if !trusted && got != fiber.StatusTooManyRequests {
			t.Errorf("untrusted header: the client chose a fresh address (%d)", got)
		}
	}
}
