package handlers

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/handlers/export"
	"pupns/store"
	"pupns/views"
)

// The export page (/admin/ekspor): the admin exports the office, a Level 2 verifier their
// instansi (the store scopes both). POST starts a job (exportjobs.go) and answers 303 to its
// page, which reloads itself until the file is ready, then links the download.

// isExporter lets in the roles that may export; the store narrows their scope.
func isExporter(r store.Role) bool { return r == store.RoleAdmin || r == store.RoleV2 }

// exportTitle is the page's title and the navigation's label.
const exportTitle = "Ekspor data"

// exportForm is what the form sent.
type exportForm struct {
	kind, format, instansi, unit, state, from, to string
}

func exportFormOf(c *fiber.Ctx) exportForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	return exportForm{kind: v("kind"), format: v("format"), instansi: v("instansi"), unit: v("unit"),
		state: v("status"), from: v("dari"), to: v("sampai")}
}

// request reads the form as an export request; errs holds the refusal at each field it reads itself.
func (f exportForm) request(loc *time.Location) (store.ExportRequest, map[string]string) {
	errs := map[string]string{}
	req := store.ExportRequest{Kind: store.ExportKind(f.kind),
		Filter: store.ExportFilter{InstansiID: f.instansi, UnitID: f.unit, State: f.state}}
	if !export.Formats.Has(f.format) {
		errs["format"] = "Pilih format berkas: CSV, XLSX atau JSON Lines."
	}
	for _, d := range []struct {
		key, v string
		t      *time.Time
	}{{"dari", f.from, &req.Filter.From}, {"sampai", f.to, &req.Filter.To}} {
		if d.v == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, d.v, loc)
		if err != nil {
			errs[d.key] = "Tulis tanggal sebagai tahun-bulan-tanggal, misalnya 2026-11-30."
			continue
		}
		*d.t = t
	}
	return req, errs
}

// exportPage is the form and this account's exports.
func (h *Handler) exportPage(c *fiber.Ctx) error {
	p, err := h.exportProps(c, exportForm{format: export.CSV}, nil)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.ExportPage(h.meta(c, exportTitle), p))
}

// startExport checks the form and starts the export: 303 to its page, or 422 with the messages.
func (h *Handler) startExport(c *fiber.Ctx) error {
	a, _ := actor(c)
	f := exportFormOf(c)
	req, errs := f.request(h.store.Now().Location())
	if err := h.store.CheckExport(a, req); err != nil {
		fp, ok := refusedInput(err)
		if !ok {
			return err
		}
		for k, m := range fp.At { // the store names the form's fields: kind, instansi, unit, sampai, status
			errs[k] = m
		}
	}
	if len(errs) > 0 {
		p, err := h.exportProps(c, f, errs)
		if err != nil {
			return err
		}
		return render(c, fiber.StatusUnprocessableEntity, views.ExportPage(h.meta(c, exportTitle), p))
	}
	j, err := h.exports.start(h.store, h.log, a, req, f.format)
	if err != nil {
		return err
	}
	return seeOther(c, views.ExportJobURL(j.id))
}

// exportJobPage is one export's progress, reloading itself while it runs.
func (h *Handler) exportJobPage(c *fiber.Ctx) error {
	a, _ := actor(c)
	j, ok := h.exports.get(a.Login, c.Params("id"))
	if !ok {
		return fiber.NewError(fiber.StatusNotFound, "Ekspor ini tidak ada (atau server telah dijalankan ulang sejak ekspor dimulai).")
	}
	row := h.exportRow(j)
	m := h.meta(c, exportTitle)
	if row.Running {
		m.Refresh = 2
	}
	return render(c, fiber.StatusOK, views.ExportJobPage(m, row))
}

// exportFile sends a finished export's file; fasthttp serves byte ranges, so a broken download
// resumes and a repeated one is the same file.
func (h *Handler) exportFile(c *fiber.Ctx) error {
	a, _ := actor(c)
	j, ok := h.exports.get(a.Login, c.Params("id"))
	if !ok {
		return fiber.NewError(fiber.StatusNotFound, "Ekspor ini tidak ada.")
	}
	if s := j.snapshot(); !s.finished || s.err != nil {
		return fiber.NewError(fiber.StatusConflict, "Berkas ekspor ini belum selesai ditulis.")
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+j.name+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	if err := c.SendFile(j.path); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, export.ContentType(j.format))
	return nil
}

// exportError is what a failed export says to its owner.
func exportError(err error) string {
	if r, ok := errors.AsType[recordedFailure](err); ok {
		return string(r)
	}
	if errors.Is(err, store.ErrForbidden) {
		return "Ekspor ditolak: data ini di luar lingkup Anda."
	}
	return "Ekspor gagal: " + err.Error()
}
