package handlers

// BenchmarkMetricsScrape: what one scrape of /metrics costs, over real HTTP on loopback, on demo
// offices of two sizes, against GET /healthz on the same server in the same run (the baseline: the
// cheapest route, no store read). The scrape reads the counters bucket, bbolt's statistics and the
// outbox's page count, never the records, so its cost must not grow with the office: the summary
// line compares the large office's scrape with the small one's.
//
//	go test -run '^$' -bench MetricsScrape -benchtime 200x ./handlers/

import (
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"pupns/handlers/metrics"
	"pupns/static"
	"pupns/store"
	"pupns/store/demo"
)

func BenchmarkMetricsScrape(b *testing.B) {
	per := map[string]float64{}
	for _, n := range []int{2000, 20000} {
		st, err := store.Open(b.TempDir(), store.Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := demo.Generate(st, demo.Options{PNS: n}); err != nil {
			b.Fatal(err)
		}
		h := New(st, Config{Static: static.FS, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), SMTPConfigured: true,
			MetricsAccess: metrics.Access{Token: metricsToken}, NewestBackup: func() (time.Time, bool) { return time.Now(), true }})
		hc := listen(b, b, h.App())
		for _, path := range []string{"/healthz", "/metrics"} {
			b.Run(fmt.Sprintf("pns=%d%s", n, path), func(b *testing.B) {
				req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
				defer fasthttp.ReleaseRequest(req)
				defer fasthttp.ReleaseResponse(res)
				req.SetRequestURI("http://" + hc.Addr + path)
				req.Header.Set("Authorization", "Bearer "+metricsToken)
				for b.Loop() {
					if err := hc.Do(req, res); err != nil || res.StatusCode() != 200 {
						b.Fatalf("GET %s: %v %d", path, err, res.StatusCode())
					}
				}
				us := float64(b.Elapsed().Nanoseconds()) / 1e3 / float64(b.N)
				b.ReportMetric(float64(len(res.Body())), "resp-B")
				per[fmt.Sprintf("%d%s", n, path)] = us
			})
		}
		st.Close()
	}
	if per["2000/metrics"] > 0 && per["20000/metrics"] > 0 {
		fmt.Printf("metrics scrape: %.0f µs at 2,000 PNS (%.1f× /healthz), %.0f µs at 20,000 PNS (%.1f× /healthz); large ÷ small %.2f\n",
			per["2000/metrics"], per["2000/metrics"]/per["2000/healthz"], per["20000/metrics"], per["20000/metrics"]/per["20000/healthz"],
			per["20000/metrics"]/per["2000/metrics"])
	}
}
