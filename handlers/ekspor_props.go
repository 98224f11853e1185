package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"pupns/handlers/export"
	"pupns/store"
	"pupns/views"
)

// exportProps builds the export page: the form as typed (with errs at its fields) and the
// account's exports. The instansi and units offered are those of the account's scope.
func (h *Handler) exportProps(c *fiber.Ctx, f exportForm, errs map[string]string) (views.ExportProps, error) {
	a, _ := actor(c)
	p := views.ExportProps{From: f.from, To: f.to, Errors: errs}
	opts := func(l store.CodeList, sel string, all string) []views.Option {
		var out []views.Option
		if all != "" {
			out = append(out, views.Option{Value: "", Label: all})
		}
		for _, x := range l {
			out = append(out, views.Option{Value: x.Code, Label: x.Label, Selected: x.Code == sel})
		}
		return out
	}
	p.Kinds = opts(store.ExportKinds, f.kind, "")
	p.Formats = opts(export.Formats, f.format, "")
	p.States = opts(store.ExportStates, f.state, "")
	p.Categories = opts(store.NonComplianceKinds, f.state, "")
	insts, err := h.store.AllInstansi()
	if err != nil {
		return p, err
	}
	var il store.CodeList
	for _, in := range insts {
		if a.Role == store.RoleAdmin || in.ID == a.ScopeID {
			il = append(il, store.Code{Code: in.ID, Label: in.Name})
		}
	}
	p.Instansi = opts(il, f.instansi, "Semua instansi")
	scope := ""
	if a.Role != store.RoleAdmin {
		scope = a.ScopeID
	}
	units, err := h.store.Units(scope)
	if err != nil {
		return p, err
	}
	var ul store.CodeList
	for _, u := range units {
		ul = append(ul, store.Code{Code: u.ID, Label: u.Name + " (" + u.ID + ")"})
	}
	p.Units = opts(ul, f.unit, "Semua unit")
	for _, k := range []string{"kind", "format", "instansi", "unit", "status", "dari", "sampai"} {
		if m := errs[k]; m != "" {
			p.Problems = append(p.Problems, views.Problem{Href: "#in-" + k, Message: m})
		}
	}
	for _, j := range h.exports.of(a.Login) {
		p.Jobs = append(p.Jobs, h.exportRow(j))
	}
	return p, nil
}

// exportRow is a job as the pages show it.
func (h *Handler) exportRow(j *exportJob) views.ExportJobRow {
	s := j.snapshot()
	r := views.ExportJobRow{ID: j.id, Kind: store.ExportKinds.Label(string(j.req.Kind)), Format: export.Formats.Label(j.format),
		Filter: filterWords(j.req.Filter), Started: fmtTime(j.started), FileName: j.name}
	switch {
	case !s.finished:
		r.State, r.Running = "berjalan", true
		if s.total > 0 {
			r.Percent = s.done * 100 / s.total
		}
		r.Progress = fmtCount(s.done) + " dari " + fmtCount(s.total) + " dibaca"
	case s.err != nil:
		r.State, r.Error = "gagal", exportError(s.err)
	default:
		r.State, r.Done, r.Rows, r.Size = "selesai", true, fmtCount(s.rows), fmtSize(s.size)
	}
	return r
}

// filterWords writes an export's filter for people.
func filterWords(f store.ExportFilter) string {
	var parts []string
	if f.InstansiID != "" {
		parts = append(parts, "instansi "+f.InstansiID)
	}
	if f.UnitID != "" {
		parts = append(parts, "unit "+f.UnitID)
	}
	if !f.From.IsZero() {
		parts = append(parts, "sejak "+f.From.Format("02-01-2006"))
	}
	if !f.To.IsZero() {
		parts = append(parts, "sampai "+f.To.Format("02-01-2006"))
	}
	if f.State != "" {
		parts = append(parts, "status "+f.State)
	}
	return strings.Join(parts, ", ")
}
