package handlers

import "github.com/gofiber/fiber/v2"

// healthz answers 200 when the store answers: for load balancers and the operator's curl.
func (h *Handler) healthz(c *fiber.Ctx) error {
	n, err := h.store.CountRecords()
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"status": "ok", "pns": n})
}
