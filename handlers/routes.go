package handlers

import "github.com/gofiber/fiber/v2"

// routes is the site map. Public first, then the PNS's own form, then the verifiers' rooms.
func (h *Handler) routes(app *fiber.App) {
	app.Get("/healthz", h.healthz)
	app.Get("/favicon.ico", func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) })

	app.Use(h.withSession)
	app.Get("/", h.home)
	app.Get("/masuk", h.loginForm)
	app.Post("/masuk", h.login)
	app.Post("/keluar", h.logout)

	pns := h.requireRole(isPNS)
	app.Get("/data", pns, h.recordPage)
	app.Post("/data/:tab/sesuai", pns, h.confirmRest)
	app.Get("/data/:tab/:field", pns, h.fieldRow)
	app.Get("/data/:tab/:field/ubah", pns, h.fieldEdit)
	app.Post("/data/:tab/:field", pns, h.propose)
	app.Post("/data/:tab/:field/sesuai", pns, h.confirm)
	app.Post("/data/:tab/:field/batal", pns, h.withdraw)
	app.Post("/kirim", pns, h.kirim)
	app.Get("/status", pns, h.status)
	app.Get("/status/langsung", pns, h.statusStream)
	app.Post("/status/tarik", pns, h.withdrawSubmission)
	app.Get("/riwayat", pns, h.historyOwn)

	ver := h.requireRole(isVerifier)
	app.Get("/verifikasi", ver, h.inbox)
	app.Get("/verifikasi/langsung", ver, h.inboxStream)
	app.Get("/verifikasi/:id", ver, h.review)
	app.Get("/verifikasi/:id/langsung", ver, h.reviewStream)
	app.Post("/verifikasi/:id/baris/:field", ver, h.decide)
	app.Post("/verifikasi/:id/teruskan", ver, h.forward)
	app.Post("/verifikasi/:id/turun", ver, h.sendDown)
	app.Get("/verifikasi/pns/:nip/riwayat", ver, h.historyOf)

	staff := h.requireRole(isStaff)
	app.Get("/ringkasan", staff, h.summary)
}
