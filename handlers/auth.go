package handlers

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pupns/handlers/metrics"
	"pupns/store"
	"pupns/views"
)

// busyMessage is what a person reads when the password hashing is full (store.ErrBusy).
const busyMessage = "Server sedang sibuk melayani banyak login; coba lagi dalam beberapa detik."

// homeFor is where an account lands after login.
func homeFor(r store.Role) string {
	switch {
	case r == store.RolePNS:
		return views.FormURL("", "", "")
	case r == store.RoleOperator:
		return "/operator"
	case r == store.RoleVerReg:
		return "/aktivasi"
	case r.Level() > 0:
		return views.InboxURL
	}
	return "/ringkasan"
}

// safeNext accepts only a local path to return to after login (no open redirect).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	return next
}

func (h *Handler) home(c *fiber.Ctx) error {
	if a, ok := actor(c); ok {
		return c.Redirect(homeFor(a.Role), fiber.StatusSeeOther)
	}
	return c.Redirect("/masuk", fiber.StatusSeeOther)
}

func (h *Handler) loginForm(c *fiber.Ctx) error {
	if a, ok := actor(c); ok {
		return c.Redirect(homeFor(a.Role), fiber.StatusSeeOther)
	}
	return render(c, fiber.StatusOK, views.LoginPage(h.meta(c, "Masuk"), views.LoginProps{Next: safeNext(c.Query("next"))}))
}

// login checks the password; on success the session id changes (no fixation) and the account goes home.
func (h *Handler) login(c *fiber.Ctx) error {
	login := strings.TrimSpace(c.FormValue("login"))
	pw := c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	fail := func(msg string) error {
		return render(c, fiber.StatusUnprocessableEntity, views.LoginPage(h.meta(c, "Masuk"), views.LoginProps{Login: login, Error: msg, Next: next}))
	}
	if login == "" || pw == "" {
		return fail("Isi NIP/nomor registrasi/nama pengguna dan kata sandi.")
	}
	if len(login) > 64 || len(pw) > 128 {
		return fail("NIP/nama pengguna atau kata sandi terlalu panjang.")
	}
	// Rate limit per account and per address, checked before the password is: a locked key gets
	// no answer about the password at all.
	acct, addr := acctKey("masuk", h.store.CanonicalLogin(login)), addrKey("masuk", c)
	wait, err := h.waitOf(acct, addr)
	if err != nil {
		return err
	}
	if wait > 0 {
		h.metrics.Login(metrics.LoginThrottled)
		h.reqLog(c).Warn("login limited", "login", login, "ip", c.IP(), "wait", wait)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
		return render(c, fiber.StatusTooManyRequests, views.LoginPage(h.meta(c, "Masuk"), views.LoginProps{Login: login, Error: waitMessage(wait), Next: next}))
	}
	u, err := h.store.Authenticate(login, pw)
	switch {
	case errors.Is(err, store.ErrBusy):
		h.metrics.Login(metrics.LoginBusy)
		h.reqLog(c).Warn("login busy", "login", login, "ip", c.IP())
		c.Set(fiber.HeaderRetryAfter, "5")
		return render(c, fiber.StatusServiceUnavailable, views.LoginPage(h.meta(c, "Masuk"), views.LoginProps{Login: login, Error: busyMessage, Next: next}))
	case errors.Is(err, store.ErrBadPassword):
		h.metrics.Login(metrics.LoginFailed)
		h.reqLog(c).Warn("login failed", "login", login, "ip", c.IP())
		if err := h.failed(acct, addr); err != nil {
			return err
		}
		return fail("NIP/nama pengguna atau kata sandi salah.")
	case errors.Is(err, store.ErrInactive):
		h.metrics.Login(metrics.LoginInactive)
		msg := "Akun Anda belum diaktifkan oleh verifikator registrasi."
		if u.Status == store.StatusRejected {
			msg = "Registrasi Anda ditolak: " + u.Reason
		} else if u.Status == store.StatusDisabled {
			msg = "Akun ini dinonaktifkan. Hubungi admin kepegawaian."
		}
		return fail(msg)
	case errors.Is(err, store.ErrAtHub):
		h.metrics.Login(metrics.LoginInactive)
		return fail("Kantor ini tersambung ke hub BKN: verifikator Level 3 dan Level 4 bekerja di server Kanreg BKN atau BKN Pusat, bukan di sini. Masuk di server hub Anda.")
	case err != nil:
		return err
	}
	if err := h.store.LimitReset(acct); err != nil {
		return err
	}
	if err := h.startSession(c, u.Login); err != nil {
		return err
	}
	h.metrics.Login(metrics.LoginOK)
	h.reqLog(c).Info("login", "login", u.Login, "role", u.Role, "ip", c.IP())
	to := homeFor(u.Role)
	if next != "" && next != "/" {
		to = next
	}
	return seeOther(c, to)
}

// startSession logs the account in on a new session id (no fixation) with a new CSRF token, and
// records the session under the account so a logout or password change can end all of them.
func (h *Handler) startSession(c *fiber.Ctx, login string) error {
	rs := sessionOf(c)
	if err := rs.sess.Regenerate(); err != nil {
		return err
	}
	rs.csrf = newToken()
	rs.sess.Set("csrf", rs.csrf)
	rs.sess.Set("login", login)
	rs.dirty = true
	return h.store.TrackSession(login, rs.sess.ID())
}

// logout ends every session of the account in storage (this browser's and any other), not just
// the cookie.
func (h *Handler) logout(c *fiber.Ctx) error {
	rs := sessionOf(c)
	if a, ok := actor(c); ok {
		if err := h.store.EndSessions(a.Login, ""); err != nil {
			return err
		}
	}
	if rs.sess != nil {
		h.live.endSession(rs.sess.ID()) // this login's open pages stop listening
		if err := rs.sess.Destroy(); err != nil {
			return err
		}
		rs.dirty = false
	}
	return seeOther(c, "/masuk")
}

// passwordForm is the logged-in account's password change.
func (h *Handler) passwordForm(c *fiber.Ctx) error {
	return render(c, fiber.StatusOK, views.PasswordPage(h.meta(c, "Ganti kata sandi"), views.PasswordProps{}))
}

// changePassword checks the current password and sets the new one; every other session of the
// account ends, this one stays.
func (h *Handler) changePassword(c *fiber.Ctx) error {
	a, _ := actor(c)
	rs := sessionOf(c)
	err := h.store.ChangePassword(a.Login, c.FormValue("sandi_lama"), c.FormValue("password"), c.FormValue("password2"), rs.sess.ID())
	if fe, ok := refusedInput(err); ok {
		m := fe.At
		return render(c, fiber.StatusUnprocessableEntity, views.PasswordPage(h.meta(c, "Ganti kata sandi"),
			views.PasswordProps{OldError: m["sandi_lama"], PwError: m["password"], Pw2Error: m["password2"]}))
	}
	if err != nil {
		return err
	}
	setFlash(c, "Kata sandi baru tersimpan. Sesi di perangkat lain sudah diakhiri.")
	return seeOther(c, homeFor(a.Role))
}
