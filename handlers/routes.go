package handlers

import (
	"github.com/gofiber/fiber/v2"

	"pupns/store"
)

// routes is the site map. Public first, then the PNS's own form, then the verifiers' rooms.
func (h *Handler) routes(app *fiber.App) {
	app.Get("/healthz", h.healthz)

	app.Use(h.withSession)
	app.Get("/", h.home)
	app.Get("/masuk", h.loginForm)
	app.Post("/masuk", h.login)
	app.Post("/keluar", h.logout)

	pns := h.requireRole(isPNS)
	app.Get("/data", pns, h.recordPage)
	app.Post("/data/:tab/sesuai", pns, h.confirmRest)
	app.Get("/data/riwayat/:table", pns, h.tableSection)
	app.Get("/data/riwayat/:table/baru", pns, h.rowFormOpen(store.OpTambah))
	app.Get("/data/riwayat/:table/:row/ubah", pns, h.rowFormOpen(store.OpUbah))
	app.Get("/data/riwayat/:table/:row/hapus", pns, h.rowFormOpen(store.OpHapus))
	app.Post("/data/riwayat/:table/sesuai", pns, h.confirmTable)
	app.Post("/data/riwayat/:table", pns, h.saveRow(store.OpTambah))
	app.Post("/data/riwayat/:table/:row", pns, h.saveRow(store.OpUbah))
	app.Post("/data/riwayat/:table/:row/hapus", pns, h.saveRow(store.OpHapus))
	app.Post("/data/riwayat/:table/:row/batal", pns, h.withdrawRow)
	app.Get("/data/:tab/:field", pns, h.fieldRow)
	app.Get("/data/:tab/:field/ubah", pns, h.fieldEdit)
	app.Post("/data/:tab/:field", pns, h.propose)
	app.Post("/data/:tab/:field/sesuai", pns, h.confirm)
	app.Post("/data/:tab/:field/batal", pns, h.withdraw)
	app.Post("/kirim", pns, h.kirim)
	app.Get("/status", pns, h.status)
	app.Get("/status/cetak", pns, h.printout)
	app.Get("/pilih/:list", pns, h.pick)
	app.Post("/dokumen/usulan/:key", pns, h.upload)
	app.Post("/dokumen/:id/lepas", pns, h.detach)
	app.Get("/dokumen/:id", h.requireRole(isLoggedIn), h.document)

	ver := h.requireRole(isVerifier)
	app.Get("/verifikasi", ver, h.inbox)
	app.Get("/verifikasi/:id", ver, h.review)
	app.Post("/verifikasi/:id/baris/:field", ver, h.decide)
	app.Post("/verifikasi/:id/teruskan", ver, h.forward)

	staff := h.requireRole(isStaff)
	app.Get("/ringkasan", staff, h.summary)
}
