package handlers

import (
	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// routes is the site map. Public first (login, registration, status, recovery), then the PNS's
// own form and the same form for an operator acting for a PNS, then the staff's rooms.
func (h *Handler) routes(app *fiber.App) {
	app.Get("/healthz", h.healthz)
	app.Get("/metrics", h.metrics.Page(h.cfg.MetricsAccess)) // before withSession: a scraper has no session
	app.Get("/favicon.ico", func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) })

	app.Use(h.withSession)
	app.Get("/readyz", h.readyz, h.ready) // after withSession: an admin session may probe from anywhere
	app.Get("/", h.home)
	app.Get("/masuk", h.loginForm)
	app.Post("/masuk", h.login)
	app.Post("/keluar", h.logout)

	// Registration (store/DOMAIN.md flow 1), cek status and recovery (flow 3): public.
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
	app.Get("/akun", loggedIn, h.settings)
	app.Post("/akun/pintasan", h.requireRole(isVerifier), h.setShortcuts)

	// The PNS's own form, and the same form for an operator acting for a PNS in scope: one set of
	// routes mounted twice, the same handlers (subjectOf tells them apart).
	h.formRoutes(app, "", h.requireRole(isPNS))
	op := h.requireRole(isOperator)
	app.Get("/operator", op, h.operatorHome)
	h.formRoutes(app, "/operator/pns/:nip", op)
	app.Get("/dokumen/:id", h.requireRole(isLoggedIn), h.document)
	// The PNS's own live tracking, withdrawal and record history.
	pns := h.requireRole(isPNS)
	app.Get("/status/langsung", pns, h.statusStream)
	app.Post("/status/tarik", pns, h.withdrawSubmission)
	app.Get("/riwayat", pns, h.versionsOwn)

	ver := h.requireRole(isVerifier)
	app.Get("/verifikasi", ver, h.inbox)
	app.Get("/verifikasi/langsung", ver, h.inboxStream)
	app.Get("/verifikasi/:id", ver, h.review)
	app.Get("/verifikasi/:id/langsung", ver, h.reviewStream)
	app.Post("/verifikasi/:id/baris/:field", ver, h.decide)
	app.Post("/verifikasi/:id/teruskan", ver, h.forward)
	app.Post("/verifikasi/:id/turun", ver, h.sendDown)
	app.Get("/verifikasi/pns/:nip/riwayat", ver, h.versionsOf)

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
	app.Get("/admin/surat", admin, h.outboxPage)
	app.Get("/admin/surat/pengingat", admin, h.reminderPreview)
	app.Post("/admin/surat/pengingat", admin, h.sendReminder)
	app.Get("/admin/peristiwa", admin, h.audit)
	app.Get("/admin/peristiwa.csv", admin, h.auditCSV)
	app.Get(views.ScheduleURL, admin, h.schedulePage)
	app.Post(views.ScheduleURL, admin, h.setSchedule)
	app.Post(views.ScheduleExtendURL, admin, h.extendWindow)
	app.Get(views.BackupURL, admin, h.backupPage)
	app.Post(views.BackupURL, admin, h.backupNow)
	app.Get(views.BackupDownloadURL, admin, h.backupDownload)

	// Exports (admin: the office; Level 2: their instansi; the store scopes them).
	exporter := h.requireRole(isExporter)
	app.Get(views.ExportURL, exporter, h.exportPage)
	app.Post(views.ExportURL, exporter, h.startExport)
	app.Get(views.ExportURL+"/:id", exporter, h.exportJobPage)
	app.Get(views.ExportURL+"/:id/unduh", exporter, h.exportFile)

	staff := h.requireRole(isStaff)
	app.Get("/ringkasan", staff, h.summary)

	// The non-compliance list (admin, Level 2, Level 1: the store scopes it), the close and its reversal.
	monitor := h.requireRole(isMonitor)
	app.Get("/ringkasan/pns", monitor, h.pnsList)
	app.Get("/ringkasan/pns.csv", monitor, h.pnsListCSV)
	app.Get("/ringkasan/pns/cetak", monitor, h.pnsListPrint)
	app.Get("/ketidakpatuhan", monitor, h.compliance)
	app.Get("/ketidakpatuhan.csv", monitor, h.complianceCSV)
	app.Get("/ketidakpatuhan/cetak", monitor, h.compliancePrint)
	app.Get("/ketidakpatuhan/tutup", admin, h.closePage)
	app.Post("/ketidakpatuhan/tutup", admin, h.closeCampaign)
	app.Post("/ketidakpatuhan/pns/:nip/pulihkan", admin, h.restore)

	// A hub's national pages (admin, Level 3 of its Kanreg, Level 4: the store decides).
	national := h.requireRole(isNationalViewer)
	app.Get("/nasional", national, h.national)
	app.Get("/nasional/ketidakpatuhan", national, h.nationalCompliance)
	app.Get("/nasional/ketidakpatuhan.csv", national, h.nationalComplianceCSV)
}

// formRoutes is the site map of one PNS's form under base ("" for the PNS's own).
func (h *Handler) formRoutes(app *fiber.App, base string, who fiber.Handler) {
	app.Get(base+"/data", who, h.recordPage)
	app.Post(base+"/data/:tab/sesuai", who, h.confirmRest)
	app.Get(base+"/data/riwayat/:table", who, h.tableSection)
	app.Get(base+"/data/riwayat/:table/baru", who, h.rowFormOpen(store.OpTambah))
	app.Get(base+"/data/riwayat/:table/:row/ubah", who, h.rowFormOpen(store.OpUbah))
	app.Get(base+"/data/riwayat/:table/:row/hapus", who, h.rowFormOpen(store.OpHapus))
	app.Post(base+"/data/riwayat/:table/sesuai", who, h.confirmTable)
	app.Post(base+"/data/riwayat/:table", who, h.saveRow(store.OpTambah))
	app.Post(base+"/data/riwayat/:table/:row", who, h.saveRow(store.OpUbah))
	app.Post(base+"/data/riwayat/:table/:row/hapus", who, h.saveRow(store.OpHapus))
	app.Post(base+"/data/riwayat/:table/:row/batal", who, h.withdrawRow)
	app.Get(base+"/data/:tab/:field", who, h.fieldRow)
	app.Get(base+"/data/:tab/:field/ubah", who, h.fieldEdit)
	app.Post(base+"/data/:tab/:field", who, h.propose)
	app.Post(base+"/data/:tab/:field/sesuai", who, h.confirm)
	app.Post(base+"/data/:tab/:field/batal", who, h.withdraw)
	app.Post(base+"/kirim", who, h.kirim)
	app.Get(base+"/status", who, h.status)
	app.Get(base+"/status/cetak", who, h.printout)
	app.Get(base+"/pilih/:list", who, h.pick)
	app.Post(base+"/dokumen/usulan/:key", who, h.upload)
	app.Post(base+"/dokumen/:id/lepas", who, h.detach)
}
