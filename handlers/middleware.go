package handlers

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
)

// logRequests gives the request its id (requestid.go), counts it in the metrics by route pattern
// and writes one slog line per request (but static files) carrying the id.
func (h *Handler) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	id := h.assignRequestID(c)
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		status = statusOf(err) // a *fiber.Error keeps its own code
	}
	dur := time.Since(start)
	h.metrics.Observe(c.Method(), routeLabel(c), status, dur)
	if !strings.HasPrefix(c.Path(), "/static/") {
		h.log.Info("http", "req", id, "method", c.Method(), "path", c.Path(), "status", status, "dur", dur.Round(time.Microsecond), "ip", c.IP())
	}
	return err
}

// reqSession is the request's session: the CSRF token, the logged-in account, a flash message.
type reqSession struct {
	sess  *session
	csrf  string
	user  *store.User
	flash string
	dirty bool
	// csrfDeferred: a plain multipart upload whose token is its first form field; the upload
	// handler checks it while reading the stream (the middleware must not buffer the body).
	csrfDeferred bool
}

const localSession = "pupns.session"

func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// withSession loads the session, resolves the logged-in account, checks the CSRF token on every
// state-changing request, and saves the session after the handler when it changed. A logged-in
// session carries its own CSRF token; a visitor without one gets a signed token bound to their
// form cookie (sessionStore.formToken), so nothing is stored for them until they log in or a
// public page keeps something for them (the bukti after registration, a recovery match).
func (h *Handler) withSession(c *fiber.Ctx) error {
	sess, err := h.sessions.get(c)
	if err != nil {
		return err
	}
	rs := &reqSession{sess: sess}
	if tok := sess.Get("csrf"); tok != "" {
		rs.csrf = tok
	} else {
		rs.csrf = h.sessions.formToken(h.sessions.visitorCookie(c))
	}
	if login := sess.Get("login"); login != "" {
		u, err := h.store.User(login)
		if err == nil && u.Status == store.StatusActive {
			rs.user = &u
		} else {
			sess.Delete("login")
			rs.dirty = true
		}
	}
	if f := sess.Get("flash"); f != "" {
		rs.flash = f
		sess.Delete("flash")
		rs.dirty = true
	}
	c.Locals(localSession, rs)
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		err = c.Next()
	default:
		switch {
		case c.Get("X-CSRF-Token") == "" && isStreamedUpload(c):
			rs.csrfDeferred = true
			err = c.Next()
		case h.csrfOK(c, rs):
			err = c.Next()
		default:
			err = errCSRF
		}
	}
	if rs.dirty {
		if serr := sess.Save(); serr != nil && err == nil {
			err = serr
		}
	}
	return err
}

// isStreamedUpload tells whether the request is a multipart POST to the upload route, whose body
// the handler reads as a stream.
func isStreamedUpload(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodPost && isUploadPath(c.Path()) &&
		strings.HasPrefix(string(c.Request().Header.ContentType()), "multipart/form-data")
}

// limitBody holds every request but the streamed upload to the body limit. The server streams
// request bodies (so an upload is never held whole), which means its own limit no longer stops a
// large body: this does, before anything reads it.
func (h *Handler) limitBody(c *fiber.Ctx) error {
	if isStreamedUpload(c) {
		err := c.Next()
		// Whoever answered (the upload, or a refusal before it read anything), the rest of the
		// body is read and dropped, up to the upload limit and at the upload's pace (uploadBody),
		// so it is never taken for the next request on the connection; beyond the limit, or when
		// it stops arriving, the connection closes instead. A declared body over the cap was
		// answered at once and is drained after the answer (lingerDrain).
		if c.Context().Hijacked() {
			return err
		}
		if c.Context().RequestBodyStream() != nil {
			body := h.uploadBody(c)
			if n, _ := io.Copy(io.Discard, io.LimitReader(body, uploadLimit+1)); n > uploadLimit || body.err != nil {
				c.Context().SetConnectionClose()
			}
		}
		return err
	}
	n := c.Request().Header.ContentLength()
	if n > h.cfg.BodyLimit {
		c.Context().SetConnectionClose() // the unread body must not be taken for the next request
		return fiber.ErrRequestEntityTooLarge
	}
	if n == -1 { // chunked: read up to the limit, refuse beyond it
		if s := c.Context().RequestBodyStream(); s != nil {
			b, err := io.ReadAll(io.LimitReader(s, int64(h.cfg.BodyLimit)+1))
			if err != nil {
				return err
			}
			if len(b) > h.cfg.BodyLimit {
				c.Context().SetConnectionClose()
				return fiber.ErrRequestEntityTooLarge
			}
			c.Request().SetBody(b)
		}
	}
	return c.Next()
}

var errCSRF = fiber.NewError(fiber.StatusForbidden, "Sesi formulir sudah kedaluwarsa. Muat ulang halaman lalu coba lagi.")

// csrfOK checks the request's token (header or _csrf field): against the session's own token
// when it has one, else as a signed form token bound to the form cookie.
func (h *Handler) csrfOK(c *fiber.Ctx, rs *reqSession) bool {
	got := c.Get("X-CSRF-Token")
	if got == "" {
		got = c.FormValue("_csrf")
	}
	if got == "" {
		return false
	}
	if want := rs.sess.Get("csrf"); want != "" {
		return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
	}
	return h.sessions.formTokenOK(c.Cookies(h.sessions.formCookie), got)
}

func sessionOf(c *fiber.Ctx) *reqSession {
	rs, _ := c.Locals(localSession).(*reqSession)
	if rs == nil {
		return &reqSession{}
	}
	return rs
}

// setFlash leaves a message for the next page the browser shows.
func setFlash(c *fiber.Ctx, msg string) {
	rs := sessionOf(c)
	if rs.sess != nil {
		rs.sess.Set("flash", msg)
		rs.dirty = true
	}
}

// actor returns the logged-in account as a store.Actor; ok is false when nobody is logged in.
func actor(c *fiber.Ctx) (store.Actor, bool) {
	rs := sessionOf(c)
	if rs.user == nil {
		return store.Actor{}, false
	}
	return store.ActorOf(*rs.user), true
}

// requireRole lets through only logged-in accounts for which allow says yes. Nobody logged in goes
// to the login page (htmx: a full redirect); the wrong role gets 403.
func (h *Handler) requireRole(allow func(store.Role) bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		a, ok := actor(c)
		if !ok {
			next := c.OriginalURL()
			if c.Method() != fiber.MethodGet {
				next = "/"
			}
			if isHX(c) {
				c.Set("HX-Redirect", "/masuk")
				return c.SendStatus(fiber.StatusUnauthorized)
			}
			return c.Redirect("/masuk?next="+url.QueryEscape(next), fiber.StatusSeeOther)
		}
		if !allow(a.Role) {
			return store.ErrForbidden
		}
		return c.Next()
	}
}

func isPNS(r store.Role) bool      { return r == store.RolePNS }
func isOperator(r store.Role) bool { return r == store.RoleOperator }
func isAdmin(r store.Role) bool    { return r == store.RoleAdmin }
func isVerReg(r store.Role) bool   { return r == store.RoleVerReg }
func anyone(r store.Role) bool     { return r != "" }
func isVerifier(r store.Role) bool { return r.Level() > 0 }
func isStaff(r store.Role) bool    { return r != store.RolePNS && r != "" }
func isLoggedIn(r store.Role) bool { return r != "" }
