package handlers

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"pupns/handlers/metrics"
	"pupns/store"
	"pupns/store/storetest"
)

const metricsToken = "rahasia-pemantau-0123456789"

// scrape reads /metrics with the token and parses the text format; it fails unless the page is
// 200 in the Prometheus text format.
func (w *world) scrape() map[string]*dto.MetricFamily {
	w.t.Helper()
	r := w.client().doWith("GET", "/metrics", nil, map[string]string{"Authorization": "Bearer " + metricsToken})
	if r.status != fiber.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain; version=0.0.4") {
		w.t.Fatalf("GET /metrics: %d %q\n%s", r.status, r.header.Get("Content-Type"), r.body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(r.body))
	if err != nil {
		w.t.Fatalf("parse /metrics: %v\n%s", err, r.body)
	}
	return fams
}

// metricValue is the value of the sample of family name whose labels include want (a counter's,
// a gauge's, or a histogram's count); -1 when there is none.
func metricValue(fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	f := fams[name]
	if f == nil {
		return -1
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue()
		case m.Gauge != nil:
			return m.GetGauge().GetValue()
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount())
		}
	}
	return -1
}

func metricsWorld(t *testing.T, backup func() (time.Time, bool)) *world {
	return newWorldWith(t, func(c *Config) {
		c.MetricsAccess = metrics.Access{Token: metricsToken}
		c.SMTPConfigured = true
		c.NewestBackup = backup
		c.Limits = DefaultLimits()
		c.Limits.Account.Free = 2
	})
}

// TestMetricsFamiliesArePresent: one scrape shows every family the operator's alerts use.
func TestMetricsFamiliesArePresent(t *testing.T) {
	var w *world
	w = metricsWorld(t, func() (time.Time, bool) { return w.clock.Now().Add(-2 * time.Hour), true })
	w.client().get("/masuk")
	fams := w.scrape()
	for _, name := range []string{"pupns_http_requests_total", "pupns_http_request_duration_seconds", "pupns_logins_total",
		"pupns_pns_by_state", "pupns_live_streams_open", "pupns_outbox_messages", "pupns_db_file_size_bytes",
		"pupns_db_free_pages", "pupns_db_pending_pages", "pupns_db_read_tx_open", "pupns_db_read_tx_total",
		"pupns_db_page_writes_total", "pupns_db_write_seconds_total", "pupns_backup_newest_age_seconds",
		"pupns_backup_newest_timestamp_seconds", "pupns_disk_free_bytes", "pupns_disk_total_bytes", "pupns_disk_reserve_bytes",
		"pupns_disk_full", "go_goroutines", "go_build_info", "process_resident_memory_bytes"} {
		if fams[name] == nil {
			t.Errorf("family %s missing", name)
		}
	}
	if age := metricValue(fams, "pupns_backup_newest_age_seconds", nil); age != 7200 {
		t.Errorf("backup age %v, want 7200", age)
	}
	if size := metricValue(fams, "pupns_db_file_size_bytes", nil); size < 32<<10 {
		t.Errorf("db file size %v", size)
	}
	if full, reserve := metricValue(fams, "pupns_disk_full", nil), metricValue(fams, "pupns_disk_reserve_bytes", nil); full != 0 || reserve != DefaultDiskReserve {
		t.Errorf("disk full %v, reserve %v", full, reserve)
	}
	if n := metricValue(fams, "pupns_pns_by_state", map[string]string{"state": store.CountMaster}); n < 3 {
		t.Errorf("PNS in the master data: %v", n)
	}
	// Without a backup source or SMTP, those families are left out rather than shown as zero.
	bare := newWorldWith(t, func(c *Config) { c.MetricsAccess = metrics.Access{Token: metricsToken} }).scrape()
	for _, name := range []string{"pupns_backup_newest_age_seconds", "pupns_outbox_messages"} {
		if bare[name] != nil {
			t.Errorf("%s shown without its source", name)
		}
	}
}

// TestMetricsMoveWithWhatHappens: a request counts under its route pattern (not its URL), each
// login result counts, a submission moves the state counts, a reminder fills the outbox.
func TestMetricsMoveWithWhatHappens(t *testing.T) {
	w := metricsWorld(t, nil)
	before := w.scrape()
	c := w.client()
	c.get("/cek-status?nip=" + nipBudi)
	c.get("/captcha/satu.png")
	c.get("/captcha/dua.png")
	c.get("/tidak/ada/" + nipBudi)
	c.get("/static/app.css")
	bad := url.Values{"login": {nipMade}, "password": {"salah-sekali"}}
	for range 2 { // two failures are free, then the account is locked
		c.get("/masuk")
		c.post("/masuk", bad)
	}
	c.get("/masuk")
	if r := c.post("/masuk", bad); r.status != fiber.StatusTooManyRequests {
		t.Fatalf("locked login: %d", r.status)
	}
	kirimBudi(t, w) // also one good login
	w.giveEmail(nipMade, "made@contoh.go.id")
	w.as("admin").post("/admin/surat/pengingat", nil)
	after := w.scrape()

	delta := func(name string, labels map[string]string) float64 {
		b := max(metricValue(before, name, labels), 0)
		return metricValue(after, name, labels) - b
	}
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"pupns_http_requests_total", map[string]string{"method": "GET", "route": "/cek-status", "status": "200"}, 1},
		{"pupns_http_requests_total", map[string]string{"method": "GET", "route": "/captcha/:file", "status": "404"}, 2},
		{"pupns_http_requests_total", map[string]string{"method": "GET", "route": "other", "status": "404"}, 1},
		{"pupns_http_requests_total", map[string]string{"method": "GET", "route": "/static", "status": "200"}, 1},
		{"pupns_http_request_duration_seconds", map[string]string{"method": "GET", "route": "/cek-status"}, 1},
		{"pupns_logins_total", map[string]string{"result": metrics.LoginFailed}, 2},
		{"pupns_logins_total", map[string]string{"result": metrics.LoginThrottled}, 1},
		{"pupns_logins_total", map[string]string{"result": metrics.LoginOK}, 2}, // Budi, then admin
		{"pupns_pns_by_state", map[string]string{"state": store.CountSent}, 1},
		{"pupns_pns_by_state", map[string]string{"state": store.CountLevel(1)}, 1},
		{"pupns_outbox_messages", nil, 1},
	} {
		if got := delta(tc.name, tc.labels); got != tc.want {
			t.Errorf("%s%v moved by %v, want %v", tc.name, tc.labels, got, tc.want)
		}
	}
	for _, m := range after["pupns_http_requests_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "route" && (strings.Contains(l.GetValue(), nipBudi) || strings.Contains(l.GetValue(), "?")) {
				t.Errorf("a route label holds a URL: %q", l.GetValue())
			}
		}
	}
}

// TestMetricsCountsOpenStreams: an event stream held open on a real server shows in
// pupns_live_streams_open, and leaves it when the browser goes away.
func TestMetricsCountsOpenStreams(t *testing.T) {
	lw := newLiveWorld(t, 20*time.Millisecond) // the heartbeat is how the server notices a reader gone
	streams := func() float64 {
		fams, err := lw.h.metrics.Registry().Gather()
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]*dto.MetricFamily{}
		for _, f := range fams {
			m[f.GetName()] = f
		}
		return metricValue(m, "pupns_live_streams_open", nil)
	}
	if n := streams(); n != 0 {
		t.Fatalf("streams before: %v", n)
	}
	s := lw.open(lw.as(nipBudi), "/status/langsung")
	waitFor(t, "the stream counted", func() bool { return streams() == 1 })
	s.body.Close()
	waitFor(t, "the stream gone", func() bool { return streams() == 0 })
}

// waitFor polls ok until it holds, for at most liveWait.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(liveWait); !ok(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestMetricsAccess: nobody by default; a listed address or the bearer token gets in; a wrong
// token, a token sent another way, or an address outside the list gets 403 and no metric.
func TestMetricsAccess(t *testing.T) {
	refused := func(c *client, what string, headers map[string]string) {
		t.Helper()
		r := c.doWith("GET", "/metrics", nil, headers)
		if r.status != fiber.StatusForbidden || strings.Contains(r.body, "pupns_") || strings.Contains(r.body, "go_") {
			t.Fatalf("%s: %d, want 403 without data\n%s", what, r.status, r.body)
		}
	}
	allowed := func(c *client, what string, headers map[string]string) {
		t.Helper()
		r := c.doWith("GET", "/metrics", nil, headers)
		if r.status != fiber.StatusOK || !strings.Contains(r.body, "pupns_logins_total") {
			t.Fatalf("%s: %d, want the metrics", what, r.status)
		}
	}
	def := newWorld(t)
	refused(def.client(), "default configuration", nil)
	refused(def.client(), "default configuration, an empty token", map[string]string{"Authorization": "Bearer "})
	refused(def.as("admin"), "default configuration, an admin", nil)

	tok := newWorldWith(t, func(c *Config) { c.MetricsAccess = metrics.Access{Token: metricsToken} })
	allowed(tok.client(), "the token", map[string]string{"Authorization": "Bearer " + metricsToken})
	refused(tok.client(), "no token", nil)
	refused(tok.client(), "a wrong token", map[string]string{"Authorization": "Bearer " + metricsToken + "x"})
	refused(tok.client(), "the token without Bearer", map[string]string{"Authorization": metricsToken})
	refused(tok.client(), "the token in the query", map[string]string{"X-Token": metricsToken})

	// app.Test's requests come from 0.0.0.0.
	allow, err := metrics.ParseAllow("10.1.0.0/16, 0.0.0.0")
	if err != nil {
		t.Fatal(err)
	}
	byAddr := newWorldWith(t, func(c *Config) { c.MetricsAccess = metrics.Access{Allow: allow} })
	allowed(byAddr.client(), "a listed address", nil)
	other := newWorldWith(t, func(c *Config) {
		c.MetricsAccess = metrics.Access{Allow: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}}
	})
	refused(other.client(), "an address outside the list", nil)
}

// TestMetricsLoopbackOverARealSocket: on a real listener, a loopback scraper is let in only when
// loopback is listed, and a proxy header from an untrusted client cannot claim a listed address.
func TestMetricsLoopbackOverARealSocket(t *testing.T) {
	get := func(allowList string, header map[string]string) int {
		allow, err := metrics.ParseAllow(allowList)
		if err != nil {
			t.Fatal(err)
		}
		w := newWorldWith(t, func(c *Config) {
			c.MetricsAccess = metrics.Access{Allow: allow}
			c.ProxyHeader = "X-Real-IP"
			c.TrustedProxies = []string{"192.0.2.1"}
		})
		srv := httptest.NewUnstartedServer(nil)
		go func() { _ = w.app.Listener(srv.Listener) }()
		t.Cleanup(func() { _ = w.app.Shutdown() })
		req, _ := http.NewRequest("GET", "http://"+srv.Listener.Addr().String()+"/metrics", nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := get("127.0.0.1", nil); got != fiber.StatusOK {
		t.Errorf("loopback listed: %d", got)
	}
	if got := get("10.9.9.9", map[string]string{"X-Real-IP": "10.9.9.9"}); got != fiber.StatusForbidden {
		t.Errorf("a spoofed proxy header: %d, want 403", got)
	}
	if got := get("", nil); got != fiber.StatusForbidden {
		t.Errorf("nothing listed: %d, want 403", got)
	}
}

// TestParseAllow: addresses and CIDRs, spaces and empty items; garbage is refused.
func TestParseAllow(t *testing.T) {
	got, err := metrics.ParseAllow(" 127.0.0.1, ,10.0.0.0/8,::1,192.168.1.7/24")
	if err != nil || len(got) != 4 || got[3].String() != "192.168.1.0/24" {
		t.Fatalf("%v %v", got, err)
	}
	if _, err := metrics.ParseAllow("10.0.0.0/33"); err == nil {
		t.Fatal("a bad CIDR passed")
	}
	if got, err := metrics.ParseAllow(""); err != nil || len(got) != 0 {
		t.Fatalf("empty: %v %v", got, err)
	}
}

// TestMetricsOnAFullDisk: on a filled data filesystem the scrape still answers (it writes
// nothing) and pupns_disk_full is 1; once the room comes back it is 0 again.
func TestMetricsOnAFullDisk(t *testing.T) {
	w, dir := diskWorld(t, 8<<20, 1<<20)
	w.cfg.MetricsAccess = metrics.Access{Token: metricsToken}
	w.app = New(w.st, w.cfg).App()
	if full := metricValue(w.scrape(), "pupns_disk_full", nil); full != 0 {
		t.Fatalf("disk full before filling: %v", full)
	}
	filler, _ := storetest.Fill(t, dir)
	fams := w.scrape()
	if full, free := metricValue(fams, "pupns_disk_full", nil), metricValue(fams, "pupns_disk_free_bytes", nil); full != 1 || free >= 1<<20 {
		t.Fatalf("on a full disk: full %v, free %v", full, free)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if full := metricValue(w.scrape(), "pupns_disk_full", nil); full != 0 {
		t.Fatalf("disk full after freeing the room: %v", full)
	}
}
