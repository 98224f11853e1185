// Package handlers turns HTTP into store calls and picks a view. One Handler holds every
// dependency; routes.go is the site map; each resource has its own file.
package handlers

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"pupns/store"
	"pupns/views"
)

// Config is what the web app needs besides the store.
type Config struct {
	Static        fs.FS         // the embedded static files
	Log           *slog.Logger  // request and error log
	SecureCookies bool          // mark cookies Secure (behind HTTPS)
	SessionTTL    time.Duration // how long a login lasts; default 8h
	BodyLimit     int           // bytes; default 4 MiB
	// NoCaptcha switches the registration captcha off: for tests and demos only (main logs a
	// warning when it is off).
	NoCaptcha bool
	// Limits are the rate limits of login, recovery and registration; zero means DefaultLimits.
	Limits Limits
	// ProxyHeader names the header (e.g. X-Real-IP) a reverse proxy puts the client's address in,
	// trusted only from TrustedProxies. Empty: the connection's address. Behind a proxy without
	// it, every visitor shares the proxy's address and its rate limit.
	ProxyHeader    string
	TrustedProxies []string
	Heartbeat      time.Duration // how often an idle event stream sends a comment; default 15s
	LiveGap        time.Duration // the least time between two updates on one event stream; default 500ms
}

// Handler holds the dependencies every route needs.
type Handler struct {
	store    *store.Store
	sessions *sessionStore
	log      *slog.Logger
	cfg      Config
	live     *broker // change signals for the event streams (live.go)
}

// New makes the Handler.
func New(st *store.Store, cfg Config) *Handler {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 8 * time.Hour
	}
	if cfg.BodyLimit == 0 {
		cfg.BodyLimit = 4 << 20
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits()
	}
	if cfg.NoCaptcha {
		cfg.Log.Warn("captcha registrasi DIMATIKAN (--no-captcha): hanya untuk uji dan demo, jangan di server publik")
	}
	if cfg.Heartbeat == 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	if cfg.LiveGap == 0 {
		cfg.LiveGap = 500 * time.Millisecond
	}
	return &Handler{
		store:    st,
		log:      cfg.Log,
		cfg:      cfg,
		live:     newBroker(),
		sessions: &sessionStore{kv: st.Sessions(), ttl: cfg.SessionTTL, cookie: "pupns_sesi", secure: cfg.SecureCookies},
	}
}

// App builds the Fiber app: timeouts, body limit, immutable strings, the central error handler,
// request logging, and the routes.
func (h *Handler) App() *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:                      "pupns",
		Immutable:                    true,
		ReadTimeout:                  15 * time.Second,
		WriteTimeout:                 30 * time.Second,
		IdleTimeout:                  60 * time.Second,
		BodyLimit:                    uploadLimit, // streamed; limitBody holds the other routes to cfg.BodyLimit
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		ReadBufferSize:               16 << 10,
		ErrorHandler:                 h.errorHandler,
		DisableStartupMessage:        true,
		ProxyHeader:                  h.cfg.ProxyHeader,
		EnableIPValidation:           true,
		// With a proxy header, only the listed proxies may set it; nobody else can pick an address.
		EnableTrustedProxyCheck: h.cfg.ProxyHeader != "",
		TrustedProxies:          h.cfg.TrustedProxies,
	})
	app.Use(recover.New(recover.Config{EnableStackTrace: true}))
	app.Use(h.logRequests)
	app.Use(h.limitBody)
	app.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(h.cfg.Static), MaxAge: 3600}))
	h.routes(app)
	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	// Streams end on their own when the server shuts down (RequestCtx.Done); afterwards no new one may start.
	app.Hooks().OnShutdown(func() error { h.live.close(); return nil })
	return app
}

// logRequests writes one slog line per request.
func (h *Handler) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		var fe *fiber.Error
		if errors.As(err, &fe) {
			status = fe.Code
		} else {
			status = statusOf(err)
		}
	}
	if !strings.HasPrefix(c.Path(), "/static/") {
		h.log.Info("http", "method", c.Method(), "path", c.Path(), "status", status, "dur", time.Since(start).Round(time.Microsecond), "ip", c.IP())
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

// withSession loads the session (making one with a CSRF token for a new visitor), resolves the
// logged-in account, checks the CSRF token on every state-changing request, and saves the
// session after the handler when it changed.
func (h *Handler) withSession(c *fiber.Ctx) error {
	sess, err := h.sessions.get(c)
	if err != nil {
		return err
	}
	rs := &reqSession{sess: sess}
	if tok := sess.Get("csrf"); tok != "" {
		rs.csrf = tok
	} else {
		rs.csrf = newToken()
		sess.Set("csrf", rs.csrf)
		rs.dirty = true
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
		case h.csrfOK(c, rs.csrf):
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
		// body is read and dropped, up to the upload limit, so it is never taken for the next
		// request on the connection; beyond the limit the connection closes instead.
		if s := c.Context().RequestBodyStream(); s != nil {
			if n, _ := io.Copy(io.Discard, io.LimitReader(s, uploadLimit+1)); n > uploadLimit {
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

func (h *Handler) csrfOK(c *fiber.Ctx, want string) bool {
	got := c.Get("X-CSRF-Token")
	if got == "" {
		got = c.FormValue("_csrf")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
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
			return c.Redirect("/masuk?next="+urlQueryEscape(next), fiber.StatusSeeOther)
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

// isHX tells whether htmx made the request (and wants a fragment, not a page).
func isHX(c *fiber.Ctx) bool {
	return c.Get("HX-Request") == "true" && c.Get("HX-History-Restore-Request") == ""
}

// hxTarget is the id of the element htmx will swap.
func hxTarget(c *fiber.Ctx) string { return c.Get("HX-Target") }

// render writes a component as the response: the single place HTML is produced.
func render(c *fiber.Ctx, status int, comps ...templ.Component) error {
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set("Cache-Control", "no-store")
	ctx := c.UserContext()
	if ctx == nil {
		ctx = context.Background()
	}
	w := c.Response().BodyWriter()
	for _, comp := range comps {
		if err := comp.Render(ctx, w); err != nil {
			return err
		}
	}
	return nil
}

// meta builds the page frame props for the logged-in account.
func (h *Handler) meta(c *fiber.Ctx, title string) views.Meta {
	rs := sessionOf(c)
	m := views.Meta{Title: title, CSRF: rs.csrf, Flash: rs.flash}
	if rs.user != nil {
		ub := &views.UserBar{Name: rs.user.Name, RoleLabel: rs.user.Role.Label(), Home: homeFor(rs.user.Role)}
		if rs.user.Role.Level() > 0 {
			ub.InboxURL = "/verifikasi"
			if n, err := h.store.InboxCount(store.ActorOf(*rs.user)); err == nil {
				ub.InboxCount = n
			}
			m.Live = liveURL("", ub.InboxCount, nil) // the count in the navigation stays true on every page
		}
		if isStaff(rs.user.Role) {
			ub.SummaryURL = "/ringkasan"
		}
		switch rs.user.Role {
		case store.RoleAdmin:
			ub.Links = append(ub.Links, views.NavLink{ID: "nav-akun", Label: "Akun petugas", URL: "/admin/akun"},
				views.NavLink{ID: "nav-instansi", Label: "Aktivasi per instansi", URL: "/admin/instansi"})
		case store.RoleVerReg:
			ub.Links = append(ub.Links, views.NavLink{ID: "nav-aktivasi", Label: "Aktivasi registrasi", URL: "/aktivasi"})
		case store.RoleOperator:
			ub.Links = append(ub.Links, views.NavLink{ID: "nav-operator", Label: "Isi atas nama PNS", URL: "/operator"})
		}
		ub.Links = append(ub.Links, views.NavLink{ID: "nav-sandi", Label: "Ganti sandi", URL: "/akun/sandi"})
		m.User = ub
	}
	return m
}

// statusOf maps a store error to an HTTP status.
func statusOf(err error) int {
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		return fe.Code
	case errors.Is(err, store.ErrNotFound):
		return fiber.StatusNotFound
	case errors.Is(err, store.ErrForbidden):
		return fiber.StatusForbidden
	case errors.Is(err, store.ErrLocked), errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrState):
		return fiber.StatusConflict
	case errors.Is(err, store.ErrInvalid), errors.Is(err, store.ErrIncomplete):
		return fiber.StatusUnprocessableEntity
	}
	return fiber.StatusInternalServerError
}

// sentence is what a person reads about an error; the detail goes to the log.
func sentence(err error, status int) string {
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe) && fe.Code != fiber.StatusInternalServerError:
		switch fe.Code {
		case fiber.StatusNotFound:
			return "Halaman yang Anda cari tidak ada."
		case fiber.StatusMethodNotAllowed:
			return "Cara membuka halaman ini tidak diizinkan."
		case fiber.StatusRequestEntityTooLarge:
			if fe == errTooLarge {
				return fe.Message // names the document cap
			}
			return "Isian atau berkas terlalu besar."
		}
		return fe.Message
	case errors.Is(err, store.ErrNotFound):
		return "Data yang diminta tidak ditemukan."
	case errors.Is(err, store.ErrForbidden):
		return "Anda tidak berwenang membuka atau mengubah data ini."
	case errors.Is(err, store.ErrLocked):
		return "Data sudah dikirim dan sedang diverifikasi, sehingga formulir terkunci."
	case errors.Is(err, store.ErrConflict):
		return "Usulan ini baru saja diubah oleh petugas lain. Muat ulang halaman untuk melihat keadaan terbaru."
	case errors.Is(err, store.ErrState):
		return "Langkah ini tidak dapat dilakukan pada status usulan sekarang. Muat ulang halaman."
	case errors.Is(err, store.ErrInvalid):
		var fe *store.FieldError
		if errors.As(err, &fe) {
			return fe.Message
		}
		return "Isian tidak valid."
	}
	if status >= 500 {
		return "Terjadi gangguan di server. Coba lagi beberapa saat lagi; isian Anda yang sudah tersimpan tidak hilang."
	}
	return "Permintaan tidak dapat diproses."
}

// errorHandler is the one place errors become responses: a sentence for the person (plain text for
// htmx, which shows it in the #galat banner; a page otherwise) and the detail in the log.
func (h *Handler) errorHandler(c *fiber.Ctx, err error) error {
	status := statusOf(err)
	msg := sentence(err, status)
	if status >= 500 {
		h.log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
	} else {
		h.log.Warn("request refused", "method", c.Method(), "path", c.Path(), "status", status, "err", err)
	}
	c.Response().ResetBody()
	if isHX(c) || strings.HasPrefix(c.Path(), "/healthz") {
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(status).SendString(msg)
	}
	return render(c, status, views.ErrorPage(h.meta(c, "Galat"), views.ErrorProps{Status: status, Message: msg}))
}

// seeOther answers a successful plain POST: 303 to the page to show next.
func seeOther(c *fiber.Ctx, to string) error { return c.Redirect(to, fiber.StatusSeeOther) }

// hxRedirect sends htmx (or a plain browser) to another page after a successful POST.
func hxRedirect(c *fiber.Ctx, to string) error {
	if isHX(c) {
		c.Set("HX-Redirect", to)
		return c.SendStatus(fiber.StatusOK)
	}
	return seeOther(c, to)
}
