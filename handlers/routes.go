package handlers

import "github.com/gofiber/fiber/v2"

// routes is the site map. Public first (login, registration, status, recovery), then the PNS's
// own form and the same form for an operator acting for a PNS, then the staff's rooms.
func (h *Handler) routes(app *fiber.App) {
	app.Get("/healthz", h.healthz)
	app.Get("/favicon.ico", func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) })

	app.Use(h.withSession)
	app.Get("/", h.home)
	app.Get("/masuk", h.loginForm)
	app.Post("/masuk", h.login)
	app.Post("/keluar", h.logout)

	// Registration (DOMAIN.md flow 1), cek status and recovery (flow 3): public.
	app.Get("/registrasi", h.registerPage)
	app.Get("/registrasi/cari", h.registerLookup)
	app.Get("/registrasi/captcha", h.captchaRefresh)
	app.Post("/registrasi", h.register)
	app.Get("/registrasi/bukti", h.bukti)
	app.Get("/captcha/:file", h.captchaFile)
	app.Get("/cek-status", h.cekStatus)
	app.Get("/lupa", h.lupaPage)
	app.Post("/lupa", h.lupa)
	app.Post("/lupa/sandi", h.lupaPassword)

	// Any logged-in account: its own password.
	loggedIn := h.requireRole(anyone)
	app.Get("/akun/sandi", loggedIn, h.passwordForm)
	app.Post("/akun/sandi", loggedIn, h.changePassword)

	// The PNS's own form; the same handlers serve an operator for a PNS in scope (subjectOf).
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

	op := h.requireRole(isOperator)
	app.Get("/operator", op, h.operatorHome)
	app.Get("/operator/pns/:nip/data", op, h.recordPage)
	app.Post("/operator/pns/:nip/data/:tab/sesuai", op, h.confirmRest)
	app.Get("/operator/pns/:nip/data/:tab/:field", op, h.fieldRow)
	app.Get("/operator/pns/:nip/data/:tab/:field/ubah", op, h.fieldEdit)
	app.Post("/operator/pns/:nip/data/:tab/:field", op, h.propose)
	app.Post("/operator/pns/:nip/data/:tab/:field/sesuai", op, h.confirm)
	app.Post("/operator/pns/:nip/data/:tab/:field/batal", op, h.withdraw)
	app.Post("/operator/pns/:nip/kirim", op, h.kirim)
	app.Get("/operator/pns/:nip/status", op, h.status)

	ver := h.requireRole(isVerifier)
	app.Get("/verifikasi", ver, h.inbox)
	app.Get("/verifikasi/:id", ver, h.review)
	app.Post("/verifikasi/:id/baris/:field", ver, h.decide)
	app.Post("/verifikasi/:id/teruskan", ver, h.forward)

	// The registration verifier (flow 2).
	verreg := h.requireRole(isVerReg)
	app.Get("/aktivasi", verreg, h.activation)
	app.Post("/aktivasi/:nip/aktifkan", verreg, h.activate)
	app.Post("/aktivasi/:nip/tolak", verreg, h.reject)

	admin := h.requireRole(isAdmin)
	app.Get("/admin/akun", admin, h.staffPage)
	app.Post("/admin/akun", admin, h.addStaff)
	app.Post("/admin/akun/:login/nonaktif", admin, h.disableStaff)
	app.Post("/admin/akun/:login/sandi", admin, h.resetStaffPassword)
	app.Get("/admin/instansi", admin, h.instansiPage)
	app.Post("/admin/instansi/:id/aktivasi", admin, h.setActivation)

	staff := h.requireRole(isStaff)
	app.Get("/ringkasan", staff, h.summary)
}
