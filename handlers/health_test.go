package handlers

import (
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// TestHealthzTouchesNoData: /healthz is public, so it must cost the same at 100,000 PNS as at
// ten: it reads nothing from the store (it still answers 200 with the store closed, where a count
// of the records failed), and says nothing about the office.
func TestHealthzTouchesNoData(t *testing.T) {
	w := newWorld(t)
	if err := w.st.Close(); err != nil {
		t.Fatal(err)
	}
	r := w.client().get("/healthz")
	if r.status != fiber.StatusOK || !strings.Contains(r.body, `"status":"ok"`) || strings.Contains(r.body, "pns") {
		t.Fatalf("/healthz with the store closed: %d %s, want 200 ok without a count", r.status, r.body)
	}
}

// TestReadyzReadsTheStoreButIsNotPublic: /readyz reads the store (the count of PNS), for an
// admin session or a client at a trusted address (loopback, --trusted-proxies); a visitor from
// elsewhere is sent to login and a non-admin account is refused, and neither learns the count.
func TestReadyzReadsTheStoreButIsNotPublic(t *testing.T) {
	w := newWorld(t)
	// app.Test's requests come from 0.0.0.0: not loopback, not a trusted proxy by default.
	if r := w.client().get("/readyz"); r.status != fiber.StatusSeeOther || strings.Contains(r.body, "pns") {
		t.Fatalf("anonymous /readyz from an untrusted address: %d %s", r.status, r.body)
	}
	if r := w.as(nipBudi).get("/readyz"); r.status != fiber.StatusForbidden || strings.Contains(r.body, `"pns"`) {
		t.Fatalf("a PNS's /readyz: %d", r.status)
	}
	if r := w.as("admin").get("/readyz"); r.status != fiber.StatusOK || !strings.Contains(r.body, `"pns":`) {
		t.Fatalf("admin /readyz: %d %s", r.status, r.body)
	}
	trusted := newWorldWith(t, func(c *Config) { c.TrustedProxies = []string{"10.0.0.0/8", "0.0.0.0"} })
	if r := trusted.client().get("/readyz"); r.status != fiber.StatusOK || !strings.Contains(r.body, `"pns":`) {
		t.Fatalf("anonymous /readyz from a trusted address: %d %s", r.status, r.body)
	}
}
