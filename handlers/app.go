// Package handlers turns HTTP into store calls and picks a view. One Handler holds every
// dependency; routes.go is the site map; each resource has its own file.
package handlers

import (
	"io/fs"
	"log/slog"
	"net/netip"
	"path/filepath"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/handlers/backup"
	"pupns/handlers/bkn"
	"pupns/handlers/metrics"
	"pupns/store"
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
	// DiskReserve is the free space (bytes) under which /healthz and the summary page warn that the
	// disk is filling; default DefaultDiskReserve.
	DiskReserve uint64
	// SMTPConfigured tells the outbox page whether mail is sent at all (handlers/mail); without
	// it, waiting messages read "tidak dikirim: SMTP belum diatur".
	SMTPConfigured bool

	// FormTokenTTL is how long a form shown to a visitor who is not logged in (login,
	// registration, recovery) may wait before it is sent; default 8h.
	FormTokenTTL time.Duration
	// ReadTimeout is how long a request's headers (and every body but an upload's) may take to
	// arrive; it is what stops slowloris. Default 15s.
	ReadTimeout time.Duration
	// UploadIdle is how long an upload's body may go without a byte before it is cut off; an
	// upload on a slow link takes minutes, but one that stalls is dropped. Default 60s.
	UploadIdle time.Duration
	// UploadTimeout is the most an upload's body may take in all. Default 30 min: 5 MiB at
	// 32 kbit/s.
	UploadTimeout time.Duration
	// Backups takes, lists and checks the server's backups (handlers/backup); nil: a folder
	// "cadangan" in the data folder, without a schedule.
	Backups *backup.Backups

	// MetricsAccess says who may read /metrics (handlers/metrics): the zero value lets nobody in.
	MetricsAccess metrics.Access
	// NewestBackup tells /metrics when the newest backup was taken (ok false: none yet); nil
	// leaves the backup's age out.
	NewestBackup func() (time.Time, bool)

	// BKN links the office to its hub, or runs this server as a hub (a Kanreg or BKN Pusat), over
	// NATS JetStream (handlers/bkn); the zero value: a lone office.
	BKN bkn.Config
}

// DefaultDiskReserve is the warning threshold for free disk space when Config leaves it zero.
const DefaultDiskReserve = 512 << 20

// Handler holds the dependencies every route needs.
type Handler struct {
	store    *store.Store
	sessions *sessionStore
	log      *slog.Logger
	cfg      Config
	live     *broker // change signals for the event streams (live.go)
	metrics  *metrics.Metrics
	proxies  []netip.Prefix // TrustedProxies, parsed: who may name a request's id (requestid.go)
	exports  *exportJobs
	assets   *assetTable // the static files with their hashed names (assets.go)
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
	if cfg.FormTokenTTL == 0 {
		cfg.FormTokenTTL = 8 * time.Hour
	}
	if cfg.Heartbeat == 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	if cfg.DiskReserve == 0 {
		cfg.DiskReserve = DefaultDiskReserve
	}
	if cfg.LiveGap == 0 {
		cfg.LiveGap = 500 * time.Millisecond
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = 15 * time.Second
	}
	if cfg.UploadIdle == 0 {
		cfg.UploadIdle = 60 * time.Second
	}
	if cfg.UploadTimeout == 0 {
		cfg.UploadTimeout = 30 * time.Minute
	}
	if cfg.Backups == nil {
		cfg.Backups = backup.New(st, backup.Config{Dir: filepath.Join(st.Dir(), backup.DirName)}, cfg.Log)
	}
	if cfg.NewestBackup == nil {
		cfg.NewestBackup = cfg.Backups.Newest
	}
	h := &Handler{
		store:    st,
		log:      cfg.Log,
		cfg:      cfg,
		live:     newBroker(),
		exports:  newExportJobs(),
		sessions: newSessionStore(st, cfg),
		proxies:  parseProxies(cfg.TrustedProxies),
	}
	h.metrics = metrics.New(h.metricSources())
	if err := h.installAssets(); err != nil {
		panic(err) // the files are embedded in the binary: unreadable means a broken build
	}
	return h
}

// metricSources are the scrape-time readings of /metrics: the store's counters and bbolt's
// statistics (no scan of records), the open streams, the outbox when mail is sent at all, and the
// newest backup when something takes backups.
func (h *Handler) metricSources() metrics.Sources {
	src := metrics.Sources{
		Counts: func() (store.Counts, error) {
			all, err := h.store.Counters()
			return all[store.CounterOffice], err
		},
		Streams:      h.live.subscribers,
		DB:           h.store.DBStats,
		Disk:         func() (store.DiskState, error) { return h.store.Disk(h.cfg.DiskReserve) },
		NewestBackup: h.cfg.NewestBackup,
		Now:          h.store.Now,
	}
	if h.cfg.SMTPConfigured {
		src.Outbox = h.store.OutboxLen
	}
	return src
}

// App builds the Fiber app: timeouts, body limit, immutable strings, the central error handler,
// request logging, and the routes. The read timeout holds headers and ordinary bodies; an upload's
// body is timed by its progress instead (uploadTimes, progressReader).
func (h *Handler) App() *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:                      "pupns",
		Immutable:                    true,
		ReadTimeout:                  h.cfg.ReadTimeout,
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
	app.Server().HeaderReceived = h.uploadTimes
	app.Use(h.logRequests) // outside recover: a panic is logged and counted as the 500 it becomes
	app.Use(h.recoverer())
	app.Use(h.limitBody)
	app.Use(compressResponses) // pages and fragments; error pages (errorHandler, after the chain) go out plain
	app.Use("/static", h.serveStatic)
	h.routes(app)
	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	// Streams end on their own when the server shuts down (RequestCtx.Done); afterwards no new one may start.
	app.Hooks().OnShutdown(func() error { h.live.close(); return nil })
	return app
}

// StartBKN starts the link to BKN when Config.BKN asks for one; stop ends it (before the store
// closes).
func (h *Handler) StartBKN() (stop func(), err error) {
	if !h.cfg.BKN.Enabled() {
		return func() {}, nil
	}
	cfg := h.cfg.BKN
	if cfg.Log == nil {
		cfg.Log = h.log
	}
	return bkn.Run(h.store, cfg)
}
