package handlers

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
)

// healthz is for load balancers and the operator's curl, so it costs the same at any size of
// office: one read of the meta bucket (the store answers) and one statfs (the room left), no
// scan. 503 "penuh" when the disk is full: a write was refused for lack of space and the room has
// not come back, or under 1 MiB is free. The outcome of the users' own last write is the write
// test: a probe write would cost an fsync per check, and would pass on a full disk whenever bbolt
// can reuse its free pages. 200 "peringatan" when the free space is under the reserve, 200 "ok"
// otherwise.
func (h *Handler) healthz(c *fiber.Ctx) error {
	if _, err := h.store.Meta("schema"); err != nil {
		return err
	}
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
		out["pesan"] = fmt.Sprintf("Ruang penyimpanan tinggal %s, di bawah cadangan %s.", fmtSpace(d.Free), fmtSpace(d.Reserve))
	}
	return c.JSON(out)
}

// fmtSpace writes an amount of disk space the way a person reads it.
func fmtSpace(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
