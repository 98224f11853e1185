package handlers

import (
	"fmt"
	"slices"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// The PNS's own form: the record tab by tab, each field confirmed (Sesuai) or corrected with the red
// cross. Every route here answers a whole page or, for htmx, the row (and the progress counter).

// subject is whose form a request is about, so the form's handlers stay one code path: a PNS's
// own, or, for an operator, the NIP in the path (refused unless the PNS is in the operator's
// scope). base is where the form's URLs start.
type subject struct {
	a    store.Actor
	nip  string
	base string
}

func (h *Handler) subjectOf(c *fiber.Ctx) (subject, error) {
	a, _ := actor(c)
	if a.Role == store.RoleOperator {
		nip := c.Params("nip")
		if !h.store.MayActFor(a, nip) {
			return subject{}, fmt.Errorf("operator %s untuk %q: %w", a.Login, nip, store.ErrForbidden)
		}
		return subject{a: a, nip: nip, base: views.OperatorBase(nip)}, nil
	}
	return subject{a: a, nip: a.NIP}, nil
}

// formOf reads the form of the request's subject.
func (h *Handler) formOf(c *fiber.Ctx) (subject, store.Form, error) {
	sj, err := h.subjectOf(c)
	if err != nil {
		return sj, store.Form{}, err
	}
	f, err := h.store.Form(sj.a, sj.nip)
	return sj, f, err
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

// formFor reads the form for a page or row of tab: a tab that does not apply to the PNS (guru,
// dokter: the store's Form.Applies) is not found, its fields too, as its writes are.
func (h *Handler) formFor(c *fiber.Ctx, tab store.Tab) (subject, store.Form, error) {
	sj, form, err := h.formOf(c)
	if err == nil && !form.Applies(tab) {
		err = fmt.Errorf("tab %s tidak berlaku untuk jabatan Anda: %w", tab.Key, store.ErrNotFound)
	}
	return sj, form, err
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

// rowFor builds the display of one field from the form; base is where the form's URLs start and
// eff is form.Effective(), computed once per answer by the caller (nil: here, only if needed).
func (h *Handler) rowFor(base, tab string, f store.Field, form store.Form, eff map[string]string) views.FieldRow {
	master := form.Record.MasterValue(f.Key)
	r := views.FieldRow{Base: base, Tab: tab, Field: f, Master: f.Display(master), Locked: !form.Editable(f.Key), Value: master}
	display := f.Display
	switch f.Key {
	case "nip":
		r.Master = store.FormatNIP(form.Record.NIP)
	case "instansi_induk":
		if in, err := h.store.Instansi(master); err == nil {
			r.Master = in.Name
		}
	}
	if f.Kind == store.KindUnit {
		r.Options = h.unitList(form.Record.InstansiID)
		display = func(v string) string {
			if l := r.Options.Label(v); l != "" {
				return l
			}
			return v
		}
		r.Master = display(master)
	}
	if e, ok := form.Entries[f.Key]; ok {
		r.State = e.Status
		if e.Status == store.EntryUsul {
			r.New = display(e.New)
			r.Reason = e.Reason
			r.Value = e.New
			r.Free = e.Free
			r.Docs = docsBox(base, form, f.Key, views.FormURL(base, tab, views.DomID(f.Key)))
		}
	}
	if !f.ReadOnly && r.State != store.EntryUsul {
		// Checked against the record as it will be: a corrected birth date clears the NIK warning.
		if eff == nil {
			eff = form.Effective()
		}
		r.Warn = store.CrossCheck(f.Key, master, eff)
		if r.Warn != "" {
			r.Warn = "Periksa: " + r.Warn
		}
	}
	return r
}

// unitList is the organisation tree of an instansi as a pick list.
func (h *Handler) unitList(instansiID string) store.CodeList {
	l, err := h.store.UnitTree(instansiID)
	if err != nil {
		h.log.Error("unit tree", "instansi", instansiID, "err", err)
	}
	return l
}

// docsBox is the documents of the proposal under key, or nil when it takes none.
func docsBox(base string, form store.Form, key, back string) *views.DocsBox {
	e := form.Entries[key]
	need, may := store.DocsFor(key, e.Op)
	kinds := append(slices.Clone(need), may...)
	if len(kinds) == 0 && len(form.Docs[key]) == 0 {
		return nil
	}
	b := &views.DocsBox{Base: base, Key: key, DomID: "dok-" + strings.TrimPrefix(views.DomID(key), "f-"), Back: back, Need: form.MissingDocs(key), Kinds: kinds, Locked: form.Locked}
	for _, d := range form.Docs[key] {
		b.Attached = append(b.Attached, views.DocLink{ID: d.ID, Kind: d.Kind, Name: d.Name, Size: fmtDocSize(d.Size)})
	}
	return b
}

// progressOOB is the progress count, and each tab's, sent beside another fragment, swapped into
// the page by their ids.
func progressOOB(form store.Form) templ.Component {
	p := progressOf(form)
	p.OOB = true
	parts := []templ.Component{views.ProgressView(p)}
	for _, t := range tabLinks(form, "", true) {
		parts = append(parts, views.TabProgressView(t))
	}
	return templ.Join(parts...)
}

// fieldProgressOOB is progressOOB after a write to one field: the form's count and the count of
// the field's tab only, since an answer on a field changes no other tab's count, nor which tabs
// apply (that follows the jabatan table). It spares each autosave the render of every tab.
func fieldProgressOOB(form store.Form, f store.Field) templ.Component {
	t, ok := store.TabByKey(f.Tab)
	if !ok {
		return progressOOB(form)
	}
	p := progressOf(form)
	p.OOB = true
	tp := form.TabProgress(t)
	return templ.Join(views.ProgressView(p), views.TabProgressView(views.TabLink{Key: t.Key, Label: t.Label, Checked: tp.Checked, Total: tp.Total, OOB: true}))
}

// progressOf is the store's count of what the PNS has looked at, as the page shows it.
func progressOf(form store.Form) views.Progress {
	p := form.Progress()
	return views.Progress{Checked: p.Checked, Total: p.Total, Proposals: p.Proposals, Locked: p.Locked}
}

// recordProps builds the whole form page; override replaces one row (the one being edited or in
// error), open is a history row form to show open.
func (h *Handler) recordProps(sj subject, form store.Form, tab store.Tab, override *views.FieldRow, missing []store.Missing, open ...*views.RowForm) views.RecordProps {
	rec := form.Record
	p := views.RecordProps{Base: sj.base, Name: rec.Name(), NIP: store.FormatNIP(rec.NIP), Tab: tab.Key, TabLabel: tab.Label, Progress: progressOf(form)}
	if in, err := h.store.Instansi(rec.InstansiID); err == nil {
		p.Instansi = in.Name
	}
	if u, err := h.store.Unit(rec.UnitID); err == nil {
		p.Unit = u.Name
	}
	if sj.a.NIP != rec.NIP {
		p.OnBehalf = rec.Name() + " (NIP " + store.FormatNIP(rec.NIP) + ")"
	}
	p.Tabs = tabLinks(form, tab.Key, false)
	eff := form.Effective()
	p.Rows = make([]views.FieldRow, 0, len(tab.Fields))
	for _, f := range tab.Fields {
		if override != nil && override.Field.Key == f.Key {
			p.Rows = append(p.Rows, *override)
			continue
		}
		p.Rows = append(p.Rows, h.rowFor(sj.base, tab.Key, f, form, eff))
	}
	for _, tb := range tab.Tables {
		var f *views.RowForm
		for _, o := range open {
			if o != nil && o.Table == tb.Key {
				f = o
			}
		}
		p.Tables = append(p.Tables, h.tableView(sj.base, form, tb, f))
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
	p.Missing, p.Groups = missingOf(sj.base, missing)
	if s := form.Submission; s != nil {
		p.Status = &views.StatusSummary{ID: s.ID, State: string(s.State), Label: s.State.Label(), When: fmtTime(s.UpdatedAt)}
	}
	return p
}

// recordPage is the form: GET /data?tab=utama[&ubah=field]. ubah opens a field's red cross
// without JavaScript.
func (h *Handler) recordPage(c *fiber.Ctx) error {
	tab, err := tabParam(c.Query("tab"))
	if err != nil {
		return err
	}
	sj, form, err := h.formFor(c, tab)
	if err != nil {
		return err
	}
	var override *views.FieldRow
	var open *views.RowForm
	if key := c.Query("ubah"); key != "" && !form.Locked {
		if f, ok := store.FieldByKey(key); ok && f.Tab == tab.Key && !f.ReadOnly {
			r := h.rowFor(sj.base, tab.Key, f, form, form.Effective())
			r.Editing = true
			override = &r
		}
	}
	// A history row form opened without JavaScript: ?tambah=<table>, ?ubah=/?hapus=<row key>.
	if !form.Locked {
		if tb, ok := store.TableByKey(c.Query("tambah")); ok {
			open = h.rowFormFor(sj.base, form, tb, "", store.OpTambah, nil)
		}
		for _, op := range []string{store.OpUbah, store.OpHapus} {
			if t, id, ok := store.ParseRowKey(c.Query(op)); ok && id != "" {
				tb, _ := store.TableByKey(t)
				open = h.rowFormFor(sj.base, form, tb, id, op, nil)
			}
		}
	}
	p := h.recordProps(sj, form, tab, override, nil, open)
	if c.Query("tandai") == "sisa" && !form.Locked {
		p.Confirm = &views.ConfirmRest{Action: views.TabConfirmURL(sj.base, tab.Key), Cancel: views.FormURL(sj.base, tab.Key, ""),
			Labels: form.TabProgress(tab).Unchecked}
	}
	return render(c, fiber.StatusOK, views.RecordPage(h.meta(c, tab.Label), p))
}

// fieldRow answers one row as it is (htmx "Tutup"); a browser goes to the page.
func (h *Handler) fieldRow(c *fiber.Ctx) error {
	tab, f, err := fieldParam(c)
	if err != nil {
		return err
	}
	sj, form, err := h.formFor(c, tab)
	if err != nil {
		return err
	}
	if !isHX(c) {
		return seeOther(c, views.FormURL(sj.base, tab.Key, views.DomID(f.Key)))
	}
	return render(c, fiber.StatusOK, views.FieldRowView(h.rowFor(sj.base, tab.Key, f, form, form.Effective()), sessionOf(c).csrf))
}

// fieldEdit opens the red cross: the row with the input beside the old value.
func (h *Handler) fieldEdit(c *fiber.Ctx) error {
	tab, f, err := fieldParam(c)
	if err != nil {
		return err
	}
	sj, form, err := h.formFor(c, tab)
	if err != nil {
		return err
	}
	if !isHX(c) {
		return seeOther(c, views.FieldEditURL(sj.base, tab.Key, f.Key))
	}
	if form.Locked {
		return store.ErrLocked
	}
	if f.ReadOnly {
		return fmt.Errorf("%s: %w", f.Label, store.ErrForbidden)
	}
	r := h.rowFor(sj.base, tab.Key, f, form, form.Effective())
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
	sj, err := h.subjectOf(c)
	if err != nil {
		return err
	}
	value, reason := fieldValue(c, f), c.FormValue("alasan")
	autosave := isHX(c) && hxTarget(c) == "msg-"+f.Key
	if autosave {
		return h.autosave(c, sj, f, value, reason)
	}
	_, form, perr := h.store.Propose(sj.a, sj.nip, f.Key, value, reason)
	fe, refused := refusedInput(perr)
	if perr != nil && !refused {
		return perr
	}
	status := fiber.StatusOK
	row := h.rowFor(sj.base, tab.Key, f, form, nil)
	if refused {
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
	case isHX(c):
		return render(c, status, views.FieldRowView(row, sessionOf(c).csrf), fieldProgressOOB(form, f))
	case !refused:
		return seeOther(c, views.FormURL(sj.base, tab.Key, views.DomID(f.Key)))
	}
	p := h.recordProps(sj, form, tab, &row, nil)
	p.Problems = []views.Problem{{Href: "#" + problemTarget(f, fe.Field), Message: f.Label + ": " + fe.Message}}
	return render(c, status, views.RecordPage(h.meta(c, "Periksa isian: "+tab.Label), p))
}

// rowAnswer answers a row-level POST: the row and progress for htmx, 303 to the row otherwise.
func (h *Handler) rowAnswer(c *fiber.Ctx, sj subject, tab store.Tab, f store.Field, form store.Form) error {
	if !isHX(c) {
		return seeOther(c, views.FormURL(sj.base, tab.Key, views.DomID(f.Key)))
	}
	return render(c, fiber.StatusOK, views.FieldRowView(h.rowFor(sj.base, tab.Key, f, form, form.Effective()), sessionOf(c).csrf), progressOOB(form))
}

// confirm marks a field Sesuai.
func (h *Handler) confirm(c *fiber.Ctx) error {
	tab, f, err := fieldParam(c)
	if err != nil {
		return err
	}
	sj, err := h.subjectOf(c)
	if err != nil {
		return err
	}
	form, err := h.store.Confirm(sj.a, sj.nip, []string{f.Key}, false)
	if err != nil {
		return err
	}
	return h.rowAnswer(c, sj, tab, f, form)
}

// withdraw takes back what the PNS said about a field.
func (h *Handler) withdraw(c *fiber.Ctx) error {
	tab, f, err := fieldParam(c)
	if err != nil {
		return err
	}
	sj, err := h.subjectOf(c)
	if err != nil {
		return err
	}
	form, err := h.store.Withdraw(sj.a, sj.nip, f.Key)
	if err != nil {
		return err
	}
	return h.rowAnswer(c, sj, tab, f, form)
}

// confirmRest marks every field of the tab not yet looked at as Sesuai.
func (h *Handler) confirmRest(c *fiber.Ctx) error {
	tab, err := tabParam(c.Params("tab"))
	if err != nil {
		return err
	}
	sj, err := h.subjectOf(c)
	if err != nil {
		return err
	}
	if _, err := h.store.Confirm(sj.a, sj.nip, tab.CheckKeys(), true); err != nil {
		return err
	}
	setFlash(c, "Data yang belum diperiksa pada "+tab.Label+" ditandai Sesuai.")
	return seeOther(c, views.FormURL(sj.base, tab.Key, ""))
}

// pick answers a picker's search: the options of a list whose label or code contains q, with
// the current value (nilai) kept. "unit" is the PNS's organisation tree; any other name is a
// catalogue field with a code list.
func (h *Handler) pick(c *fiber.Ctx) error {
	if _, err := h.subjectOf(c); err != nil { // an operator only for a PNS in scope
		return err
	}
	var list store.CodeList
	name := c.Params("list")
	if name == "sekolah" {
		q := c.Query("q")
		for _, k := range []string{"nilai", "f_nama_sekolah"} {
			if q == "" {
				q = c.Query(k)
			}
		}
		names, err := h.store.Schools(q, 30)
		if err != nil {
			return err
		}
		return render(c, fiber.StatusOK, views.DatalistOptions(names))
	}
	if name == "unit" {
		_, form, err := h.formOf(c)
		if err != nil {
			return err
		}
		list = h.unitList(form.Record.InstansiID)
	} else if f, ok := store.FieldByKey(name); ok && f.Kind == store.KindCode {
		list = f.Codes
	} else if tb, fk, found := strings.Cut(name, "."); found {
		t, ok := store.TableByKey(tb)
		if f, ok2 := t.FieldByKey(fk); ok && ok2 && f.Kind == store.KindCode {
			list = f.Codes
		}
	}
	if list == nil {
		return fmt.Errorf("daftar %q: %w", name, store.ErrNotFound)
	}
	q := strings.ToLower(strings.TrimSpace(c.Query("q")))
	value := c.Query("nilai") // a field's picker sends its value as nilai, a row form's as f_<field>
	if tb, fk, found := strings.Cut(name, "."); found && value == "" && tb != "" {
		value = c.Query("f_" + fk)
	}
	var out store.CodeList
	for _, x := range list {
		if q == "" || x.Code == value || strings.Contains(strings.ToLower(x.Label), q) || strings.HasPrefix(x.Code, q) {
			out = append(out, x)
		}
	}
	return render(c, fiber.StatusOK, views.PickerOptions(out, value))
}
