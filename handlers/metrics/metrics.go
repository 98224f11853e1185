// Package metrics is the server's /metrics page in the Prometheus text format: what the requests,
// logins and event streams did (counted as they happen) and what the store holds (read at scrape
// time from cheap sources: the counters bucket, bbolt's own statistics, never a scan of records).
// It has a registry of its own, not the process-wide default, so that nothing a library registers
// behind its back is published and a test can build as many as it likes.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"pupns/store"
)

// Login results: the values of pupns_logins_total's result label.
const (
	LoginOK        = "ok"        // password right, account active: a session began
	LoginFailed    = "failed"    // wrong password (or no such account)
	LoginThrottled = "throttled" // refused by the rate limit before the password was checked
	LoginBusy      = "busy"      // refused because the password hashing was full (503)
	LoginInactive  = "inactive"  // password right, account not active (waiting, rejected, disabled)
)

var loginResults = []string{LoginOK, LoginFailed, LoginThrottled, LoginBusy, LoginInactive}

// Sources are the readings a scrape takes. A nil field leaves its metrics out.
type Sources struct {
	// Counts is the office-wide number of PNS per counted state (store.Counters()[store.CounterOffice]).
	Counts func() (store.Counts, error)
	// Streams is how many live event streams are open.
	Streams func() int
	// Outbox is how many messages wait in the outbox (set only when mail is sent at all).
	Outbox func() (int, error)
	// DB is bbolt's statistics of the data file.
	DB func() (store.DBStats, error)
	// Disk is the room on the data folder's filesystem (one statfs).
	Disk func() (store.DiskState, error)
	// NewestBackup is when the newest backup was taken; ok is false when there is none.
	NewestBackup func() (time.Time, bool)
	// Now is the clock for the backup's age; default time.Now.
	Now func() time.Time
}

// Metrics holds the registry and the metrics counted as things happen.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	logins   *prometheus.CounterVec
	page     http.Handler
}

// New builds the registry: the request and login metrics, the scrape-time readings of src, and
// the Go runtime, process and build (go_build_info: module version, Go version) collectors.
func New(src Sources) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pupns_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pupns_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request (an event stream: until it is set up), by method and route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"method", "route"}),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pupns_logins_total",
			Help: "Login attempts by result: ok, failed (wrong password), throttled (rate limit), busy (hashing full), inactive.",
		}, []string{"result"}),
	}
	for _, r := range loginResults {
		m.logins.WithLabelValues(r) // present at 0 from the start, so rate() sees the first one
	}
	if src.Now == nil {
		src.Now = time.Now
	}
	m.reg.MustRegister(m.requests, m.duration, m.logins, &storeCollector{src: src},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector())
	m.page = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
	return m
}

// Observe counts one answered request. route must be a route pattern (bounded), never the URL.
func (m *Metrics) Observe(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(d.Seconds())
}

// Login counts one login attempt with its result (one of the Login* constants).
func (m *Metrics) Login(result string) { m.logins.WithLabelValues(result).Inc() }

// Registry is the registry behind the page (tests read it with Gather).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Page is the /metrics handler behind the access check a (Guard).
func (m *Metrics) Page(a Access) fiber.Handler {
	page := adaptor.HTTPHandler(m.page)
	return func(c *fiber.Ctx) error {
		if !a.Allows(c.IP(), c.Get(fiber.HeaderAuthorization)) {
			return fiber.NewError(fiber.StatusForbidden, "Halaman metrik hanya untuk pemantau yang diizinkan.")
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return page(c)
	}
}
