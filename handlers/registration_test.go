package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/static"
	"pupns/store"
)

const newPW = "Kopi-Tubruk-77"

// regForm is a complete, valid registration for nipBaru with the page's captcha solved.
func regForm(t *testing.T, page string) url.Values {
	id, ans := solveCaptcha(t, page)
	return url.Values{"nip": {nipBaru}, "nik": {nikBaru}, "email": {"agus@contoh.go.id"}, "password": {newPW}, "password2": {newPW},
		"ibu": {"Siti Aminah"}, "pertanyaan": {"3"}, "jawaban": {"Si Belang"}, "captcha_id": {id}, "captcha": {ans}}
}

// TestCariSaysPlainlyWhatIsWrongWithTheNIP: Cari answers the master data for an unregistered NIP
// (as an htmx fragment, or a whole page without JavaScript), and a distinct plain message for a
// malformed NIP, an unknown one (hubungi BKD, what to bring) and a registered one (with links to
// cek status and lupa nomor registrasi).
func TestCariSaysPlainlyWhatIsWrongWithTheNIP(t *testing.T) {
	w := newWorld(t)
	w.addRegistrationData()
	c := w.client()
	c.get("/registrasi")
	r := c.hx("GET", "/registrasi/cari?nip="+url.QueryEscape(store.FormatNIP(nipBaru)), nil, "hasil-cari")
	if r.status != 200 || strings.Contains(r.body, "<html") {
		t.Fatalf("htmx Cari: %d, want the fragment\n%s", r.status, r.body)
	}
	contains(t, "found", r.body, `id="hasil-cari"`, `id="induk-nama">Agus Salim`, "Semarang, 10-03-1988", "Pemerintah Provinsi Jawa Tengah", `id="form-registrasi"`, `name="captcha_id"`)
	r = c.get("/registrasi/cari?nip=" + nipBaru)
	contains(t, "Cari without JavaScript", r.body, "<html", `id="induk-nama">Agus Salim`)

	for _, tc := range []struct {
		nip, msg string
		status   int
		extra    []string
	}{
		{"19880310201001100", "18 angka", 422, nil},
		{"19880310201001100X", "tanpa huruf", 422, nil},
		{"198803102010011009", "Hubungi BKD", 200, []string{"SK CPNS", "KTP"}},
		{nipBudi, "sudah terdaftar", 200, []string{`id="tautan-cek-status"`, `href="/cek-status?nip=` + nipBudi, `href="/lupa"`}},
	} {
		r := c.hx("GET", "/registrasi/cari?nip="+tc.nip, nil, "hasil-cari")
		if r.status != tc.status {
			t.Errorf("Cari %s: %d, want %d", tc.nip, r.status, tc.status)
		}
		contains(t, "Cari "+tc.nip, r.body, append([]string{`id="msg-nip"`, tc.msg}, tc.extra...)...)
		if strings.Contains(r.body, `id="form-registrasi"`) {
			t.Errorf("Cari %s offers the registration form", tc.nip)
		}
	}
}

// TestRegisterPrintActivateLogin: a PNS registers (captcha solved), gets the nomor registrasi and
// the bukti with both parts; cannot log in while pending and is told why; the registration
// verifier finds and activates the account; the PNS logs in with the nomor and reaches the form.
func TestRegisterPrintActivateLogin(t *testing.T) {
	w := newWorld(t)
	w.addRegistrationData()
	c := w.client()
	r := c.get("/registrasi/cari?nip=" + nipBaru)
	r = c.post("/registrasi", regForm(t, r.body))
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/registrasi/bukti" {
		t.Fatalf("register: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	u, err := w.st.User(nipBaru)
	if err != nil || u.Status != store.StatusPending {
		t.Fatalf("account: %+v %v", u, err)
	}
	r = c.get("/registrasi/bukti")
	contains(t, "bukti", r.body, `id="nomor-registrasi">`+u.RegNo, `id="bagian-verifikator"`, "Untuk verifikator registrasi",
		`id="garis-potong"`, `id="bagian-pns"`, "Untuk PNS", store.FormatNIP(nipBaru), "Agus Salim", "Pemerintah Provinsi Jawa Tengah", "01-10-2016")
	if n := strings.Count(r.body, u.RegNo); n < 3 {
		t.Errorf("the nomor appears %d times; want the screen and both parts", n)
	}
	// Another browser cannot print it.
	if r := w.client().get("/registrasi/bukti"); r.status != fiber.StatusSeeOther {
		t.Fatalf("bukti without a registration in this session: %d", r.status)
	}

	pns := w.client()
	pns.get("/masuk")
	r = pns.post("/masuk", url.Values{"login": {u.RegNo}, "password": {newPW}})
	if r.status != 422 || !strings.Contains(r.body, "belum diaktifkan") {
		t.Fatalf("pending login: %d\n%s", r.status, r.body)
	}

	vr := w.as("verreg")
	r = vr.get("/aktivasi?q=" + strings.ToLower(u.RegNo))
	contains(t, "queue search", r.body, `id="reg-`+nipBaru+`"`, "Agus Salim", `<span id="jumlah-registrasi">1</span>`)
	r = vr.post("/aktivasi/"+nipBaru+"/aktifkan", nil)
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("activate: %d\n%s", r.status, r.body)
	}
	if other := w.as("verreg-diy").post("/aktivasi/"+nipTunggu+"/aktifkan", nil); other.status != fiber.StatusForbidden {
		t.Fatalf("activation out of scope: %d", other.status)
	}
	pns.get("/masuk")
	r = pns.post("/masuk", url.Values{"login": {strings.ToLower(u.RegNo)}, "password": {newPW}})
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/data" {
		t.Fatalf("login after activation: %d %q", r.status, r.header.Get("Location"))
	}
	contains(t, "form", pns.get("/data").body, `id="f-nama"`, "Agus Salim")
}

// TestRejectionNeedsAReasonAndIsShown: rejecting without a reason is refused at the row; the
// reason reaches the PNS at login and in cek status.
func TestRejectionNeedsAReasonAndIsShown(t *testing.T) {
	w := newWorld(t)
	w.addRegistrationData()
	vr := w.as("verreg")
	vr.get("/aktivasi")
	r := vr.post("/aktivasi/"+nipTunggu+"/tolak", url.Values{"alasan": {"  "}})
	if r.status != 422 {
		t.Fatalf("reject without reason: %d", r.status)
	}
	contains(t, "row message", r.body, `id="msg-alasan-`+nipTunggu+`"`, "wajib diisi")
	if u, _ := w.st.User(nipTunggu); u.Status != store.StatusPending {
		t.Fatalf("status changed: %s", u.Status)
	}
	if r := vr.post("/aktivasi/"+nipTunggu+"/tolak", url.Values{"alasan": {"Foto KTP tidak terbaca"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("reject: %d", r.status)
	}
	c := w.client()
	c.get("/masuk")
	r = c.post("/masuk", url.Values{"login": {nipTunggu}, "password": {pw}})
	contains(t, "rejected login", r.body, "ditolak", "Foto KTP tidak terbaca")
	r = c.get("/cek-status?nip=" + nipTunggu)
	contains(t, "cek status", r.body, `data-state="ditolak"`, "Foto KTP tidak terbaca")
}

// TestRegistrationBadInputIsRefusedAtTheField: over-long values, control characters, HTML and
// mixed scripts, NIK with letters or the wrong length, weak passwords: each message sits at its
// field (422), what was typed stays (never the password), and nothing is stored.
func TestRegistrationBadInputIsRefusedAtTheField(t *testing.T) {
	// Every case fails on the same NIP; the limiter (tested on its own) must not get in the way.
	w := newWorldWith(t, func(c *Config) { c.Limits = DefaultLimits(); c.Limits.Account.Free = 1000 })
	w.addRegistrationData()
	cases := []struct{ field, value, msgField, msg string }{
		{"nik", "33740110038800AB", "nik", "tanpa huruf"},
		{"nik", "33740110038", "nik", "16 angka"},
		{"nik", strings.Repeat("3", 500), "nik", "terlalu panjang"},
		{"nik", "3374011003880009", "nik", "data induk"},
		{"email", "agus@@contoh", "email", "tidak valid"},
		{"email", strings.Repeat("a", 300) + "@contoh.go.id", "email", "paling panjang"},
		{"password", "12345678", "password", "paling sering"},
		{"password", nipBaru, "password", "NIP, NIK"},
		{"password", "pendek", "password", "paling sedikit 8"},
		{"ibu", "<script>alert(1)</script>", "ibu", "tidak boleh berisi"},
		{"ibu", "Siti\u0007Aminah", "ibu", "karakter kendali"},
		{"ibu", "Sіti Aminah", "ibu", "aksara berbeda"}, // a Cyrillic і
		{"ibu", strings.Repeat("Siti ", 40), "ibu", "paling panjang"},
		{"jawaban", "<img src=x onerror=alert(1)>", "jawaban", "tidak boleh berisi"},
		{"jawaban", "belang\x00", "jawaban", "karakter kendali"},
		{"pertanyaan", "42", "pertanyaan", "dari daftar"},
	}
	for _, tc := range cases {
		t.Run(tc.field+"="+tc.value[:min(len(tc.value), 20)], func(t *testing.T) {
			c := w.client()
			page := c.get("/registrasi/cari?nip=" + nipBaru)
			form := regForm(t, page.body)
			form.Set(tc.field, tc.value)
			if tc.field == "password" {
				form.Set("password2", tc.value)
			}
			r := c.post("/registrasi", form)
			if r.status != fiber.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.status)
			}
			contains(t, "form", r.body, `id="msg-`+tc.msgField+`"`, tc.msg, `id="form-registrasi"`)
			if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "<img src=x") {
				t.Fatal("the typed HTML came back unescaped")
			}
			if tc.field != "password" && strings.Contains(r.body, newPW) {
				t.Fatal("the password was echoed back")
			}
			if _, err := w.st.User(nipBaru); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("an account was stored: %v", err)
			}
		})
	}
	// The NIP field itself: letters or wrong length never reach the form.
	c := w.client()
	form := regForm(t, c.get("/registrasi/cari?nip="+nipBaru).body)
	form.Set("nip", "1988031020100110AB")
	r := c.post("/registrasi", form)
	if r.status != 422 {
		t.Fatalf("registration with a bad NIP: %d", r.status)
	}
	contains(t, "bad NIP", r.body, `id="msg-nip"`, "tanpa huruf")
}

// TestCaptchaIsCheckedAndCannotBeReplayed: a wrong answer is refused at the captcha; a right
// answer is used up by the first submission (here one refused for another field), so the same
// id and digits sent again are refused, and nothing is stored.
func TestCaptchaIsCheckedAndCannotBeReplayed(t *testing.T) {
	w := newWorld(t)
	w.addRegistrationData()
	c := w.client()
	page := c.get("/registrasi/cari?nip=" + nipBaru)
	form := regForm(t, page.body)
	wrong := url.Values{}
	for k, v := range form {
		wrong[k] = v
	}
	wrong.Set("captcha", "000000000")
	r := c.post("/registrasi", wrong)
	contains(t, "wrong captcha", r.body, `id="msg-captcha"`, "salah atau sudah dipakai")

	page = c.get("/registrasi/cari?nip=" + nipBaru)
	form = regForm(t, page.body)
	form.Set("ibu", "<b>")
	if r := c.post("/registrasi", form); r.status != 422 || strings.Contains(r.body, `id="msg-captcha"`) {
		t.Fatalf("first use of a right captcha: %d", r.status)
	}
	form.Set("ibu", "Siti Aminah")
	r = c.post("/registrasi", form) // the same captcha id and digits again
	if r.status != 422 {
		t.Fatalf("replayed captcha: %d", r.status)
	}
	contains(t, "replayed captcha", r.body, `id="msg-captcha"`, "sudah dipakai")
	if _, err := w.st.User(nipBaru); !errors.Is(err, store.ErrNotFound) {
		t.Fatal("a replayed captcha registered an account")
	}
}

// TestCaptchaImageAudioAndRefresh: the image and the sound are served for a live id, not for an
// unknown one; "Gambar lain" gives a new id (htmx) or the same form with a new captcha (no JS).
func TestCaptchaImageAudioAndRefresh(t *testing.T) {
	w := newWorld(t)
	w.addRegistrationData()
	c := w.client()
	page := c.get("/registrasi/cari?nip=" + nipBaru)
	id, _ := solveCaptcha(t, page.body)
	contains(t, "page", page.body, `src="/captcha/`+id+`.png"`, `href="/captcha/`+id+`.wav"`, `id="captcha-ganti"`)
	r := c.get("/captcha/" + id + ".png")
	if r.status != 200 || r.header.Get("Content-Type") != "image/png" || !strings.HasPrefix(r.body, "\x89PNG") {
		t.Fatalf("image: %d %q", r.status, r.header.Get("Content-Type"))
	}
	r = c.get("/captcha/" + id + ".wav")
	if r.status != 200 || !strings.HasPrefix(r.body, "RIFF") {
		t.Fatalf("audio: %d", r.status)
	}
	if r := c.get("/captcha/tidakada.png"); r.status != 404 {
		t.Fatalf("unknown captcha: %d", r.status)
	}
	r = c.hx("GET", "/registrasi/captcha?captcha_id="+id, nil, "captcha")
	newID, _ := solveCaptcha(t, r.body)
	if r.status != 200 || newID == id || strings.Contains(r.body, "<html") {
		t.Fatalf("htmx refresh: %d same id %v", r.status, newID == id)
	}
	form := regForm(t, page.body)
	form.Set("ganti_captcha", "1")
	r = c.post("/registrasi", form)
	third, _ := solveCaptcha(t, r.body)
	if r.status != 200 || third == id || !strings.Contains(r.body, `value="Siti Aminah"`) {
		t.Fatalf("no-JS refresh: %d", r.status)
	}
	if _, err := w.st.User(nipBaru); !errors.Is(err, store.ErrNotFound) {
		t.Fatal("the refresh registered")
	}
}

// TestNoCaptchaSwitch: with the serve flag's setting the form has no captcha and registers.
func TestNoCaptchaSwitch(t *testing.T) {
	w := newWorldWith(t, func(c *Config) { c.NoCaptcha = true })
	w.addRegistrationData()
	c := w.client()
	page := c.get("/registrasi/cari?nip=" + nipBaru)
	if strings.Contains(page.body, "captcha_id") {
		t.Fatal("captcha shown although switched off")
	}
	form := url.Values{"nip": {nipBaru}, "nik": {nikBaru}, "email": {"agus@contoh.go.id"}, "password": {newPW}, "password2": {newPW},
		"ibu": {"Siti Aminah"}, "pertanyaan": {"3"}, "jawaban": {"Si Belang"}}
	if r := c.post("/registrasi", form); r.status != fiber.StatusSeeOther {
		t.Fatalf("register without captcha: %d\n%s", r.status, r.body)
	}
}

// TestCaptchaOffIsLoggedAsAWarning: switching the captcha off is never silent.
func TestCaptchaOffIsLoggedAsAWarning(t *testing.T) {
	for _, off := range []bool{true, false} {
		var buf bytes.Buffer
		st, err := store.Open(t.TempDir(), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		New(st, Config{Static: static.FS, Log: slog.New(slog.NewTextHandler(&buf, nil)), NoCaptcha: off})
		st.Close()
		warned := strings.Contains(buf.String(), "level=WARN") && strings.Contains(buf.String(), "captcha")
		if warned != off {
			t.Errorf("captcha off=%v: warning logged=%v\n%s", off, warned, buf.String())
		}
	}
}

// TestActivationSwitchMakesRegistrationActive: the admin's switch per instansi.
func TestActivationSwitchMakesRegistrationActive(t *testing.T) {
	w := newWorldWith(t, func(c *Config) { c.NoCaptcha = true })
	w.addRegistrationData()
	admin := w.as("admin")
	contains(t, "switch page", admin.get("/admin/instansi").body, `id="aktivasi-P33"`, "Matikan aktivasi")
	if r := admin.post("/admin/instansi/P33/aktivasi", url.Values{"mati": {"1"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("switch: %d", r.status)
	}
	contains(t, "switch page after", admin.get("/admin/instansi").body, "Nyalakan aktivasi")
	c := w.client()
	c.get("/registrasi/cari?nip=" + nipBaru)
	c.post("/registrasi", url.Values{"nip": {nipBaru}, "nik": {nikBaru}, "email": {"agus@contoh.go.id"}, "password": {newPW}, "password2": {newPW},
		"ibu": {"Siti Aminah"}, "pertanyaan": {"3"}, "jawaban": {"Si Belang"}})
	if u, err := w.st.User(nipBaru); err != nil || u.Status != store.StatusActive {
		t.Fatalf("with activation off: %+v %v", u, err)
	}
	contains(t, "bukti", c.get("/registrasi/bukti").body, "Aktif")
}

// TestCekStatusShowsOnlyTheState: each state by NIP, and nothing personal (no name).
func TestCekStatusShowsOnlyTheState(t *testing.T) {
	w := newWorld(t)
	w.addRegistrationData()
	c := w.client()
	for nip, state := range map[string]string{nipBaru: "belum", nipTunggu: "menunggu", nipBudi: "aktif", "199912312020121001": "belum"} {
		r := c.get("/cek-status?nip=" + nip)
		contains(t, "status "+nip, r.body, `data-state="`+state+`"`)
		for _, name := range []string{"Agus Salim", "Dewi Lestari", "Budi Santoso"} {
			if strings.Contains(r.body, name) {
				t.Errorf("cek status %s shows the name %s", nip, name)
			}
		}
	}
	if r := c.get("/cek-status?nip=12ab"); r.status != 422 || !strings.Contains(r.body, `id="msg-nip"`) {
		t.Fatalf("bad NIP: %d", r.status)
	}
}

// registerBaru registers nipBaru without a captcha world and activates it; it returns the nomor.
func registerBaru(t *testing.T, w *world) string {
	t.Helper()
	u, err := w.st.Register(store.Registration{NIP: nipBaru, NIK: nikBaru, Email: "agus@contoh.go.id", Password: newPW, Password2: newPW,
		Mother: "Siti Aminah", Question: "3", Answer: "Si Belang"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.st.DecideRegistration(store.Actor{Login: "verreg", Role: store.RoleVerReg, ScopeID: "P33"}, nipBaru, true, ""); err != nil {
		t.Fatal(err)
	}
	return u.RegNo
}

// TestRecoveryShowsNomorAndResetsPassword: wrong answers are refused (without saying which);
// right ones (any case, extra spaces) show the nomor and the reprint link; the new password ends
// the sessions the PNS had elsewhere, and only the new password logs in.
func TestRecoveryShowsNomorAndResetsPassword(t *testing.T) {
	w := newWorld(t)
	w.addRegistrationData()
	regno := registerBaru(t, w)
	elsewhere := w.client()
	elsewhere.get("/masuk")
	if r := elsewhere.post("/masuk", url.Values{"login": {nipBaru}, "password": {newPW}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("login elsewhere: %d", r.status)
	}

	c := w.client()
	c.get("/lupa")
	r := c.post("/lupa", url.Values{"nip": {nipBaru}, "pertanyaan": {"3"}, "jawaban": {"Si Hitam"}, "ibu": {"Siti Aminah"}})
	if r.status != 422 || strings.Contains(r.body, regno) {
		t.Fatalf("wrong answer: %d", r.status)
	}
	contains(t, "wrong answer", r.body, `id="msg-lupa"`, "tidak cocok")
	if r := c.post("/lupa/sandi", url.Values{"password": {"Teh-Tarik-Dingin"}, "password2": {"Teh-Tarik-Dingin"}}); r.status != 422 {
		t.Fatalf("new password without a recovery: %d", r.status)
	}
	r = c.post("/lupa", url.Values{"nip": {store.FormatNIP(nipBaru)}, "pertanyaan": {"3"}, "jawaban": {"  si  BELANG "}, "ibu": {"SITI aminah"}})
	if r.status != 200 {
		t.Fatalf("recovery: %d\n%s", r.status, r.body)
	}
	contains(t, "recovered", r.body, `id="nomor-registrasi">`+regno, `href="/registrasi/bukti"`, `id="form-sandi-baru"`)
	contains(t, "reprint", c.get("/registrasi/bukti").body, `id="bagian-pns"`, regno)
	c.get("/lupa") // a fresh token page; the recovery stays in the session
	r = c.post("/lupa/sandi", url.Values{"password": {"password"}, "password2": {"password"}})
	contains(t, "weak new password", r.body, `id="msg-password"`, "paling sering")
	r = c.post("/lupa/sandi", url.Values{"password": {"Teh-Tarik-Dingin"}, "password2": {"Teh-Tarik-Dingin"}})
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/masuk" {
		t.Fatalf("new password: %d", r.status)
	}
	if r := elsewhere.get("/data"); r.status != fiber.StatusSeeOther {
		t.Fatalf("the other session survived the password reset: %d", r.status)
	}
	if _, err := w.st.Authenticate(nipBaru, newPW); !errors.Is(err, store.ErrBadPassword) {
		t.Fatalf("old password still works: %v", err)
	}
	if _, err := w.st.Authenticate(regno, "Teh-Tarik-Dingin"); err != nil {
		t.Fatalf("new password: %v", err)
	}
	// The recovery is used up.
	if r := c.post("/lupa/sandi", url.Values{"password": {"Es-Cendol-Manis"}, "password2": {"Es-Cendol-Manis"}}); r.status != 422 {
		t.Fatalf("second reset from the same recovery: %d", r.status)
	}
}

// TestRecoveryExpires: the new password must be set within the recovery window.
func TestRecoveryExpires(t *testing.T) {
	w := newWorld(t)
	w.addRegistrationData()
	registerBaru(t, w)
	c := w.client()
	c.get("/lupa")
	c.post("/lupa", url.Values{"nip": {nipBaru}, "pertanyaan": {"3"}, "jawaban": {"Si Belang"}, "ibu": {"Siti Aminah"}})
	w.clock.Add(16 * time.Minute)
	r := c.post("/lupa/sandi", url.Values{"password": {"Teh-Tarik-Dingin"}, "password2": {"Teh-Tarik-Dingin"}})
	if r.status != 422 || !strings.Contains(r.body, `id="msg-kedaluwarsa"`) {
		t.Fatalf("late reset: %d", r.status)
	}
}

// TestActivationQueuePages: fifty registrations a page, the next page by link, the search kept
// (escaped) in the link.
func TestActivationQueuePages(t *testing.T) {
	w := newWorld(t)
	hash := store.HashPassword(pw)
	var us []store.User
	for i := 0; i < 51; i++ {
		nip := fmt.Sprintf("19900101201501%d%03d", 1+i%2, i)
		us = append(us, store.User{Login: nip, Role: store.RolePNS, Name: fmt.Sprintf("Pegawai Baru %02d", i), NIP: nip, InstansiID: "P33",
			Status: store.StatusPending, Hash: hash, CreatedAt: w.clock.Now().Add(time.Duration(i) * time.Second)})
	}
	if err := w.st.PutUsers(us); err != nil {
		t.Fatal(err)
	}
	vr := w.as("verreg")
	r := vr.get("/aktivasi?q=" + url.QueryEscape("pegawai baru"))
	if n := strings.Count(r.body, `<div class="line" id="reg-`); n != 50 {
		t.Fatalf("first page has %d rows", n)
	}
	contains(t, "first page", r.body, `<span id="jumlah-registrasi">51</span>`, `id="halaman-berikut"`, `href="/aktivasi?q=pegawai+baru&amp;setelah=`)
	i := strings.Index(r.body, `href="/aktivasi?q=pegawai+baru&amp;setelah=`)
	next := strings.ReplaceAll(r.body[i+len(`href="`):], "&amp;", "&")
	next = next[:strings.IndexByte(next, '"')]
	r = vr.get(next)
	if n := strings.Count(r.body, `<div class="line" id="reg-`); n != 1 || strings.Contains(r.body, `id="halaman-berikut"`) {
		t.Fatalf("second page has %d rows", n)
	}
	contains(t, "second page", r.body, "Pegawai Baru 50")
}
