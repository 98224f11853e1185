package handlers

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// homeFor is where an account lands after login.
func homeFor(r store.Role) string {
	switch {
	case r == store.RolePNS:
		return "/data"
	case r.Level() > 0:
		return "/verifikasi"
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
	u, err := h.store.Authenticate(login, pw)
	switch {
	case errors.Is(err, store.ErrBadPassword):
		h.log.Warn("login failed", "login", login, "ip", c.IP())
		return fail("NIP/nama pengguna atau kata sandi salah.")
	case errors.Is(err, store.ErrInactive):
		msg := "Akun Anda belum diaktifkan oleh verifikator registrasi."
		if u.Status == store.StatusRejected {
			msg = "Registrasi Anda ditolak: " + u.Reason
		} else if u.Status == store.StatusDisabled {
			msg = "Akun ini dinonaktifkan. Hubungi admin kepegawaian."
		}
		return fail(msg)
	case err != nil:
		return err
	}
	rs := sessionOf(c)
	if err := rs.sess.Regenerate(); err != nil {
		return err
	}
	rs.csrf = newToken()
	rs.sess.Set("csrf", rs.csrf)
	rs.sess.Set("login", u.Login)
	rs.dirty = true
	h.log.Info("login", "login", u.Login, "role", u.Role, "ip", c.IP())
	to := homeFor(u.Role)
	if next != "" && next != "/" {
		to = next
	}
	return seeOther(c, to)
}

// logout ends the session in storage, not just in the browser.
func (h *Handler) logout(c *fiber.Ctx) error {
	rs := sessionOf(c)
	if rs.sess != nil {
		h.live.endSession(rs.sess.ID()) // this login's open pages stop listening
		if err := rs.sess.Destroy(); err != nil {
			return err
		}
		rs.dirty = false
	}
	return seeOther(c, "/masuk")
}
