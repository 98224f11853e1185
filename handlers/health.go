package handlers

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// healthz is for load balancers and the operator's curl, public and unauthenticated, so it costs
// the same at any size of office and touches no data (a count of the records walked the whole
// bucket: 230 ms cold at 100,000 PNS, a way to load the server by probing it): one statfs for the
// room left; readyz is the deeper check. 503 "penuh" when the disk is full: a write was refused
// for lack of space and the room has not come back, or under 1 MiB is free. The outcome of the
// users' own last write is the write test: a probe write would cost an fsync per check, and would
// pass on a full disk whenever bbolt can reuse its free pages. 200 "peringatan" when the free
// space is under the reserve, 200 "ok" otherwise.
func (h *Handler) healthz(c *fiber.Ctx) error {
	d, err := h.store.Disk(h.cfg.DiskReserve)
	if err != nil {
		return err
	}
	out := fiber.Map{"status": "ok", "bebas": d.Free, "total": d.Total, "cadangan": d.Reserve}
	switch {
	case d.Full:
		out["status"] = "penuh"
		out["pesan"] = "Penyimpanan server penuh: perubahan tidak dapat disimpan sampai ruang dikosongkan."
		return c.Status(fiber.StatusServiceUnavailable).JSON(out)
	case d.Low:
		out["status"] = "peringatan"
		out["pesan"] = fmt.Sprintf("Ruang penyimpanan tinggal %s, di bawah cadangan %s.", fmtSize(int64(d.Free)), fmtSize(int64(d.Reserve)))
	}
	return c.JSON(out)
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
