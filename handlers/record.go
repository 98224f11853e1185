package handlers

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// The PNS's own form: the record tab by tab, each field confirmed (Sesuai) or corrected with the red
// cross. Every route here answers a whole page or, for htmx, the row (and the progress counter).

// formOf reads the logged-in PNS's form.
func (h *Handler) formOf(c *fiber.Ctx) (store.Actor, store.Form, error) {
	a, _ := actor(c)
	f, err := h.store.Form(a, a.NIP)
	return a, f, err
}

// tabParam returns the catalogue tab named in the path or query; unknown tabs are 404.
func tabParam(key string) (store.Tab, error) {
	if key == "" {
		key = store.Tabs[0].Key
	}
	t, ok := store.TabByKey(key)
	if !ok {
		return store.Tab{}, fmt.Errorf("tab %q: %w", key, store.ErrNotFound)
	}
	return t, nil
}

// fieldParam returns the tab and field named in the path, which must belong together.
func fieldParam(c *fiber.Ctx) (store.Tab, store.Field, error) {
	t, err := tabParam(c.Params("tab"))
	if err != nil {
		return t, store.Field{}, err
	}
	f, ok := store.FieldByKey(c.Params("field"))
	if !ok || f.Tab != t.Key {
		return t, f, fmt.Errorf("kolom %q: %w", c.Params("field"), store.ErrNotFound)
	}
	return t, f, nil
}

// rowFor builds the display of one field from the form.
func rowFor(tab string, f store.Field, form store.Form) views.FieldRow {
	master := form.Record.Fields[f.Key]
	r := views.FieldRow{Tab: tab, Field: f, Master: f.Display(master), Locked: !form.Editable(f.Key), Value: master}
	if f.Key == "nip" {
		r.Master = store.FormatNIP(form.Record.NIP)
	}
	if e, ok := form.Entries[f.Key]; ok {
		r.State = e.Status
		if e.Status == store.EntryUsul {
			r.New = f.Display(e.New)
			r.Reason = e.Reason
			r.Value = e.New
		}
	}
	if !f.ReadOnly && r.State != store.EntryUsul {
		// Checked against the record as it will be: a corrected birth date clears the NIK warning.
		r.Warn = store.CrossCheck(f.Key, master, form.Effective())
		if r.Warn != "" {
			r.Warn = "Periksa: " + r.Warn
		}
	}
	return r
}

func progressOf(form store.Form) views.Progress {
	p := views.Progress{Locked: form.Locked}
	for _, t := range store.Tabs {
		for _, f := range t.Fields {
			if f.ReadOnly {
				continue
			}
			p.Total++
			if e, ok := form.Entries[f.Key]; ok {
				p.Checked++
				if e.Status == store.EntryUsul {
					p.Proposals++
				}
			}
		}
	}
	return p
}

// recordProps builds the whole form page; override replaces one row (the one being edited or in error).
func (h *Handler) recordProps(form store.Form, tab store.Tab, override *views.FieldRow, missing []store.Missing) (views.RecordProps, error) {
	rec := form.Record
	p := views.RecordProps{Nama: rec.Name(), NIP: store.FormatNIP(rec.NIP), Tab: tab.Key, TabLabel: tab.Label, Progress: progressOf(form)}
	if in, err := h.store.Instansi(rec.InstansiID); err == nil {
		p.Instansi = in.Nama
	}
	if u, err := h.store.Unit(rec.UnitID); err == nil {
		p.Unit = u.Nama
	}
	for _, t := range store.Tabs {
		p.Tabs = append(p.Tabs, views.TabLink{Key: t.Key, Label: t.Label, Active: t.Key == tab.Key})
	}
	for _, f := range tab.Fields {
		if override != nil && override.Field.Key == f.Key {
			p.Rows = append(p.Rows, *override)
			continue
		}
		p.Rows = append(p.Rows, rowFor(tab.Key, f, form))
	}
	if tab.Key == "utama" {
		d := rec.Derive()
		p.Derived = []views.ReadOnly{
			{Label: "Golongan terakhir", Value: orDash(d.Golongan)},
			{Label: "TMT golongan", Value: orDash(d.TMTGolongan)},
			{Label: "Pendidikan terakhir", Value: orDash(d.Pendidikan)},
			{Label: "Tahun lulus", Value: orDash(d.TahunLulus)},
		}
	}
	for _, m := range missing {
		f, _ := store.FieldByKey(m.Field)
		p.Missing = append(p.Missing, views.MissingItem{Tab: m.Tab, Label: m.Label, Problem: m.Problem,
			Href: "/data?tab=" + f.Tab + "#f-" + m.Field})
	}
	if s := form.Submission; s != nil {
		p.Status = &views.StatusSummary{ID: s.ID, State: string(s.State), Label: s.State.Label(), When: fmtTime(s.UpdatedAt)}
	}
	return p, nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func fmtTime(t interface{ Format(string) string }) string { return t.Format("02-01-2006 15:04") }

// recordPage is the form: GET /data?tab=utama[&ubah=field]. ubah opens a field's red cross
// without JavaScript.
func (h *Handler) recordPage(c *fiber.Ctx) error {
	tab, err := tabParam(c.Query("tab"))
	if err != nil {
		return err
	}
	_, form, err := h.formOf(c)
	if err != nil {
		return err
	}
	var override *views.FieldRow
	if key := c.Query("ubah"); key != "" && !form.Locked {
		if f, ok := store.FieldByKey(key); ok && f.Tab == tab.Key && !f.ReadOnly {
			r := rowFor(tab.Key, f, form)
			r.Editing = true
			override = &r
		}
	}
	p, err := h.recordProps(form, tab, override, nil)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.RecordPage(h.meta(c, tab.Label), p))
}

// fieldRow answers one row as it is (htmx "Tutup"); a browser goes to the page.
func (h *Handler) fieldRow(c *fiber.Ctx) error {
	tab, f, err := fieldParam(c)
	if err != nil {
		return err
	}
	if !isHX(c) {
		return seeOther(c, "/data?tab="+tab.Key+"#f-"+f.Key)
	}
	_, form, err := h.formOf(c)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.FieldRowView(rowFor(tab.Key, f, form), sessionOf(c).csrf))
}

// fieldEdit opens the red cross: the row with the input beside the old value.
func (h *Handler) fieldEdit(c *fiber.Ctx) error {
	tab, f, err := fieldParam(c)
	if err != nil {
		return err
	}
	if !isHX(c) {
		return seeOther(c, "/data?tab="+tab.Key+"&ubah="+f.Key+"#f-"+f.Key)
	}
	_, form, err := h.formOf(c)
	if err != nil {
		return err
	}
	if form.Locked {
		return store.ErrLocked
	}
	if f.ReadOnly {
		return fmt.Errorf("%s: %w", f.Label, store.ErrForbidden)
	}
	r := rowFor(tab.Key, f, form)
	r.Editing = true
	return render(c, fiber.StatusOK, views.FieldRowView(r, sessionOf(c).csrf))
}

// propose saves a proposal. htmx autosave (target msg-<field>) gets only the message back; the
// form's Simpan (target f-<field>) gets the row; a browser without JavaScript gets 303 or, on
// invalid input, the page with the row open and the message (422).
func (h *Handler) propose(c *fiber.Ctx) error {
	tab, f, err := fieldParam(c)
	if err != nil {
		return err
	}
	a, _ := actor(c)
	value, reason := c.FormValue("nilai"), c.FormValue("alasan")
	_, perr := h.store.Propose(a, a.NIP, f.Key, value, reason)
	var fe *store.FieldError
	if perr != nil && !errors.As(perr, &fe) {
		return perr
	}
	form, err := h.store.Form(a, a.NIP)
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	row := rowFor(tab.Key, f, form)
	if fe != nil {
		status = fiber.StatusUnprocessableEntity
		row.Editing, row.Value, row.Reason = true, value, reason
		if fe.Field == f.Key {
			row.Error = fe.Message
		} else {
			row.ReasonError = fe.Message
		}
	} else {
		row.Saved = true
	}
	switch {
	case isHX(c) && hxTarget(c) == "msg-"+f.Key:
		msg := row.Error
		if msg == "" {
			msg = row.ReasonError
		}
		return render(c, status, views.FieldMessage(f.Key, msg, fe == nil), views.ProgressView(progressOf(form), true))
	case isHX(c):
		return render(c, status, views.FieldRowView(row, sessionOf(c).csrf), views.ProgressView(progressOf(form), true))
	case fe == nil:
		return seeOther(c, "/data?tab="+tab.Key+"#f-"+f.Key)
	}
	p, err := h.recordProps(form, tab, &row, nil)
	if err != nil {
		return err
	}
	return render(c, status, views.RecordPage(h.meta(c, tab.Label), p))
}

// rowAnswer answers a row-level POST: the row and progress for htmx, 303 to the row otherwise.
func (h *Handler) rowAnswer(c *fiber.Ctx, a store.Actor, tab store.Tab, f store.Field) error {
	if !isHX(c) {
		return seeOther(c, "/data?tab="+tab.Key+"#f-"+f.Key)
	}
	form, err := h.store.Form(a, a.NIP)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.FieldRowView(rowFor(tab.Key, f, form), sessionOf(c).csrf), views.ProgressView(progressOf(form), true))
}

// confirm marks a field Sesuai.
func (h *Handler) confirm(c *fiber.Ctx) error {
	tab, f, err := fieldParam(c)
	if err != nil {
		return err
	}
	a, _ := actor(c)
	if err := h.store.Confirm(a, a.NIP, []string{f.Key}, false); err != nil {
		return err
	}
	return h.rowAnswer(c, a, tab, f)
}

// withdraw takes back what the PNS said about a field.
func (h *Handler) withdraw(c *fiber.Ctx) error {
	tab, f, err := fieldParam(c)
	if err != nil {
		return err
	}
	a, _ := actor(c)
	if err := h.store.Withdraw(a, a.NIP, f.Key); err != nil {
		return err
	}
	return h.rowAnswer(c, a, tab, f)
}

// confirmRest marks every field of the tab not yet looked at as Sesuai.
func (h *Handler) confirmRest(c *fiber.Ctx) error {
	tab, err := tabParam(c.Params("tab"))
	if err != nil {
		return err
	}
	a, _ := actor(c)
	var keys []string
	for _, f := range tab.Fields {
		if !f.ReadOnly {
			keys = append(keys, f.Key)
		}
	}
	if err := h.store.Confirm(a, a.NIP, keys, true); err != nil {
		return err
	}
	setFlash(c, "Data yang belum diperiksa pada "+tab.Label+" ditandai Sesuai.")
	return seeOther(c, "/data?tab="+tab.Key)
}
