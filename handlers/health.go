package handlers

import (
	"net"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// healthz answers 200 at once, whatever the size of the office: it is public and unauthenticated
// (load balancers, the operator's curl), so it touches no data; a count of the records walked the
// whole bucket (230 ms cold at 100,000 PNS) and made the probe itself a way to load the server.
// readyz is the deeper check.
func (h *Handler) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers whether the server can serve: it reads the store (how many PNS the master data
// holds, and how long the read took). It costs a walk of the records bucket, so it is not public:
// only for a client address that is loopback or one of the trusted proxies (a monitor on the
// same machine, the load balancer), or an admin session; anyone else is answered as on every
// admin page (the way to login, or 403).
func (h *Handler) readyz(c *fiber.Ctx) error {
	if !h.trustedProbe(c) {
		return h.requireRole(isAdmin)(c)
	}
	return h.ready(c)
}

// ready is readyz's answer once the prober is let in.
func (h *Handler) ready(c *fiber.Ctx) error {
	start := time.Now()
	n, err := h.store.CountRecords()
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"status": "ok", "pns": n, "store_ms": time.Since(start).Milliseconds()})
}

// trustedProbe tells whether the request comes from a client whose address (as the app resolves
// it: the proxy header's, when it comes from a trusted proxy) is loopback or a trusted proxy.
func (h *Handler) trustedProbe(c *fiber.Ctx) bool {
	ip := net.ParseIP(c.IP())
	if ip == nil {
		return false
	}
	if ip.IsLoopback() {
		return true
	}
	for _, p := range h.cfg.TrustedProxies {
		p = strings.TrimSpace(p)
		if _, n, err := net.ParseCIDR(p); err == nil && n.Contains(ip) {
			return true
		}
		if pip := net.ParseIP(p); pip != nil && pip.Equal(ip) {
			return true
		}
	}
	return false
}
