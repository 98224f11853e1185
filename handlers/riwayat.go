package handlers

import (
	"fmt"
	"maps"
	"slices"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// Data Riwayat: the history tables. Each action (open a form, add, change, remove, withdraw,
// Sesuai) answers htmx with the whole table section, and a browser without JavaScript with 303 to
// the table or, on invalid input, the page with the form open and the messages (422).

// tableParam returns the history table named in the path; unknown tables are 404.
func tableParam(c *fiber.Ctx) (store.Table, error) {
	tb, ok := store.TableByKey(c.Params("table"))
	if !ok {
		return tb, fmt.Errorf("tabel %q: %w", c.Params("table"), store.ErrNotFound)
	}
	return tb, nil
}

func tableAnchor(base, table string) string {
	return views.FormURL(base, views.RiwayatTab, views.DomID(store.TableKey(table)))
}

// tableView shows a table as it will be: each master row with what the PNS proposes for it, then
// the rows the PNS adds.
func (h *Handler) tableView(base string, form store.Form, tb store.Table, open *views.RowForm) views.TableView {
	_, checked := form.Entries[store.TableKey(tb.Key)]
	tv := views.TableView{Base: base, Key: tb.Key, Label: tb.Label, DomID: views.DomID(store.TableKey(tb.Key)), BKN: tb.BKN,
		Checked: checked, Locked: form.Locked, Form: open, Docs: tb.Docs}
	rowView := func(id string, master map[string]string) views.RowView {
		key := store.RowKey(tb.Key, id)
		rv := views.RowView{ID: id, Key: key, DomID: views.DomID(key), Old: tb.Summary(master)}
		if e, ok := form.Entries[key]; ok && e.Status == store.EntryUsul {
			rv.State, rv.Reason = e.Op, e.Reason
			rv.New = tb.Summary(e.Row)
			rv.Docs = docsBox(base, form, key, views.FormURL(base, views.RiwayatTab, rv.DomID))
		}
		return rv
	}
	for _, r := range form.Record.Rows(tb.Key) {
		tv.Rows = append(tv.Rows, rowView(r.ID, r.Fields))
	}
	for _, k := range slices.Sorted(maps.Keys(form.Entries)) {
		if t, id, ok := store.ParseRowKey(k); ok && t == tb.Key && id != "" && form.Entries[k].Op == store.OpTambah {
			tv.Rows = append(tv.Rows, rowView(id, nil))
		}
	}
	if open != nil {
		for _, in := range open.Inputs {
			if in.List != "" {
				for _, u := range h.unitList(form.Record.InstansiID) {
					tv.Units = append(tv.Units, u.Label)
				}
				break
			}
		}
	}
	return tv
}

// rowFormFor builds the add/change/remove form of a row. values is what the PNS typed (a form
// sent back with messages); nil fills it from the proposal or the master row.
func (h *Handler) rowFormFor(base string, form store.Form, tb store.Table, rowID, op string, values map[string]string) *views.RowForm {
	f := &views.RowForm{Base: base, Table: tb.Key, RowID: rowID, Op: op}
	key := store.RowKey(tb.Key, rowID)
	switch op {
	case store.OpTambah:
		f.Action = views.TableURL(base, tb.Key)
	case store.OpUbah:
		f.Action = views.RowURL(base, tb.Key, rowID)
	case store.OpHapus:
		f.Action = views.RowURL(base, tb.Key, rowID) + "/hapus"
	}
	var master map[string]string
	for _, r := range form.Record.Riwayat[tb.Key] {
		if r.ID == rowID {
			master = r.Fields
		}
	}
	if master != nil {
		f.Old = tb.Summary(master)
	}
	e, hasEntry := form.Entries[key]
	if hasEntry {
		f.Reason = e.Reason
	}
	if values == nil {
		switch {
		case hasEntry && e.Row != nil:
			values = e.Row
		default:
			values = master
		}
	}
	for _, fd := range tb.Fields {
		in := views.RowInput{Field: fd, Value: values[fd.Key]}
		if fd.Free {
			in.List = "daftar-" + tb.Key + "-" + fd.Key
		}
		f.Inputs = append(f.Inputs, in)
	}
	return f
}

// tableAnswer answers a table action: the section (and the progress counter) for htmx; for a
// browser, 303 to the table, or the page with the form open when status is 422.
func (h *Handler) tableAnswer(c *fiber.Ctx, tb store.Table, open *views.RowForm, status int) error {
	sj, form, err := h.formOf(c)
	if err != nil {
		return err
	}
	return h.tableAnswerWith(c, sj, form, tb, open, status)
}

// tableAnswerWith is tableAnswer with the form a write returned.
func (h *Handler) tableAnswerWith(c *fiber.Ctx, sj subject, form store.Form, tb store.Table, open *views.RowForm, status int) error {
	if !isHX(c) && status < 300 && open == nil {
		return seeOther(c, tableAnchor(sj.base, tb.Key))
	}
	if isHX(c) {
		return render(c, status, views.TableSection(h.tableView(sj.base, form, tb, open), sessionOf(c).csrf), progressOOB(form))
	}
	tab, _ := store.TabByKey(views.RiwayatTab)
	p := h.recordProps(sj, form, tab, nil, nil, open)
	p.Problems = rowProblems(tb, open)
	return render(c, status, views.RecordPage(h.meta(c, tab.Label), p))
}

// tableSection answers the table as it is (htmx "Tutup"); a browser goes to the page.
func (h *Handler) tableSection(c *fiber.Ctx) error {
	tb, err := tableParam(c)
	if err != nil {
		return err
	}
	return h.tableAnswer(c, tb, nil, fiber.StatusOK)
}

// rowFormOpen opens the form to add (no :row), change or remove (op) a row.
func (h *Handler) rowFormOpen(op string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		tb, err := tableParam(c)
		if err != nil {
			return err
		}
		rowID := c.Params("row")
		sj, form, err := h.formOf(c)
		if err != nil {
			return err
		}
		if !isHX(c) {
			if op == store.OpTambah {
				return seeOther(c, views.FormOpenURL(sj.base, views.RiwayatTab, "tambah", tb.Key, views.DomID(store.TableKey(tb.Key))))
			}
			return seeOther(c, views.FormOpenURL(sj.base, views.RiwayatTab, op, store.RowKey(tb.Key, rowID), views.DomID(store.TableKey(tb.Key))))
		}
		if form.Locked {
			return store.ErrLocked
		}
		return h.tableAnswer(c, tb, h.rowFormFor(sj.base, form, tb, rowID, op, nil), fiber.StatusOK)
	}
}

// saveRow saves a row proposal (op add, change or remove). Invalid input comes back in the open
// form with the message at the field it concerns (422); nothing is stored.
func (h *Handler) saveRow(op string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		tb, err := tableParam(c)
		if err != nil {
			return err
		}
		sj, err := h.subjectOf(c)
		if err != nil {
			return err
		}
		rowID := c.Params("row")
		values := map[string]string{}
		for _, fd := range tb.Fields {
			values[fd.Key] = typedValue(c, fd, "f_"+fd.Key, "f_"+fd.Key)
		}
		reason := c.FormValue("alasan")
		_, form, perr := h.store.ProposeRow(sj.a, sj.nip, tb.Key, rowID, op, values, reason)
		fe, refused := refusedInput(perr)
		if perr != nil && !refused {
			return perr
		}
		if !refused {
			return h.tableAnswerWith(c, sj, form, tb, nil, fiber.StatusOK)
		}
		open := h.rowFormFor(sj.base, form, tb, rowID, op, values)
		open.Reason = reason
		if fe.Field == "alasan" {
			open.ReasonError = fe.Message
		} else {
			for i := range open.Inputs {
				if open.Inputs[i].Field.Key == fe.Field {
					open.Inputs[i].Error = fe.Message
				}
			}
		}
		return h.tableAnswerWith(c, sj, form, tb, open, fiber.StatusUnprocessableEntity)
	}
}

// withdrawRow takes back a row proposal.
func (h *Handler) withdrawRow(c *fiber.Ctx) error {
	tb, err := tableParam(c)
	if err != nil {
		return err
	}
	sj, err := h.subjectOf(c)
	if err != nil {
		return err
	}
	form, err := h.store.Withdraw(sj.a, sj.nip, store.RowKey(tb.Key, c.Params("row")))
	if err != nil {
		return err
	}
	return h.tableAnswerWith(c, sj, form, tb, nil, fiber.StatusOK)
}

// confirmTable marks a table Sesuai: the PNS looked at it and its rows are right.
func (h *Handler) confirmTable(c *fiber.Ctx) error {
	tb, err := tableParam(c)
	if err != nil {
		return err
	}
	sj, err := h.subjectOf(c)
	if err != nil {
		return err
	}
	form, err := h.store.Confirm(sj.a, sj.nip, []string{store.TableKey(tb.Key)}, false)
	if err != nil {
		return err
	}
	return h.tableAnswerWith(c, sj, form, tb, nil, fiber.StatusOK)
}

// rowProblems is the error summary of a refused row form shown as a whole page (no JavaScript):
// each message, linking to its input.
func rowProblems(tb store.Table, open *views.RowForm) []views.Problem {
	if open == nil {
		return nil
	}
	var out []views.Problem
	for _, in := range open.Inputs {
		if in.Error == "" {
			continue
		}
		id := "in-" + tb.Key + "-" + in.Field.Key
		if in.Field.Kind == store.KindDate || in.Field.Kind == store.KindDateAny {
			id += "_hari"
		}
		out = append(out, views.Problem{Href: "#" + id, Message: in.Field.Label + ": " + in.Error})
	}
	if open.ReasonError != "" {
		out = append(out, views.Problem{Href: "#alasan-" + tb.Key, Message: "Alasan: " + open.ReasonError})
	}
	return out
}
