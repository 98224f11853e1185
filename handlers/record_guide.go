package handlers

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// The PNS's form, helping a first-time user through it (issue 12): autosave that never makes a
// proposal out of a slip, dates typed in three fields, each tab's own count, what blocks Kirim
// grouped by tab, and sizes in the words a PNS reads.

// fieldValue is the value the form sent for f: nilai, or for a date its three fields (day, month,
// year: store.DateInput) read as one.
func fieldValue(c *fiber.Ctx, f store.Field) string { return typedValue(c, f, f.Key, "nilai") }

// typedValue is a field's value from a form: for a date, the three fields parts+"_hari",
// "_bulan", "_tahun" when any was sent; otherwise the form value name.
func typedValue(c *fiber.Ctx, f store.Field, parts, name string) string {
	if f.Kind == store.KindDate || f.Kind == store.KindDateAny {
		d := store.DateInput{Day: c.FormValue(parts + "_hari"), Month: c.FormValue(parts + "_bulan"), Year: c.FormValue(parts + "_tahun")}
		if !d.Blank() {
			return d.Text()
		}
	}
	return c.FormValue(name)
}

// autosave answers htmx's save while the PNS types (target msg-<field>): only the message under
// the input, and the progress. What is typed becomes a proposal only when the store says so
// (store.Autosave: a changed value and a reason); otherwise the message says what is still
// missing and nothing is stored, so closing the row leaves nothing behind.
func (h *Handler) autosave(c *fiber.Ctx, sj subject, f store.Field, value, reason string) error {
	_, form, err := h.store.Autosave(sj.a, sj.nip, f.Key, value, reason)
	msg := views.FieldMessageProps{Key: f.Key}
	status := fiber.StatusOK
	switch fe, refused := refusedInput(err); {
	case err == nil:
		msg.Saved = true
	case errors.Is(err, store.ErrUnchanged):
		msg.Note = "Sama dengan data saat ini: tidak ada yang disimpan."
	case errors.Is(err, store.ErrNoReason):
		msg.Note = "Belum disimpan: tulis alasan perbaikan di bawah, atau tekan Simpan."
	case refused:
		status, msg.Error = fiber.StatusUnprocessableEntity, fe.Message
	default:
		return err
	}
	return render(c, status, views.FieldMessage(msg), fieldProgressOOB(form, f))
}

// tabLinks is the tab bar: the tabs that apply to the PNS, each with its own count (the store's
// Form.TabProgress).
func tabLinks(form store.Form, active string, oob bool) []views.TabLink {
	var out []views.TabLink
	for _, t := range store.Tabs {
		if form.Applies(t) {
			tp := form.TabProgress(t)
			out = append(out, views.TabLink{Key: t.Key, Label: t.Label, Active: t.Key == active, Checked: tp.Checked, Total: tp.Total, OOB: oob})
		}
	}
	return out
}

// missingOf is what blocks Kirim, each with a link to its place, and the same grouped by tab.
func missingOf(base string, missing []store.Missing) ([]views.MissingItem, []views.MissingGroup) {
	var items []views.MissingItem
	var groups []views.MissingGroup
	for _, m := range missing {
		x := views.MissingItem{Tab: m.Tab, Label: m.Label, Problem: m.Problem, Unchecked: m.Unchecked,
			Href: views.FormURL(base, m.TabKey, views.DomID(m.Field))}
		items = append(items, x)
		if len(groups) == 0 || groups[len(groups)-1].Tab != m.Tab {
			groups = append(groups, views.MissingGroup{Tab: m.Tab, Href: views.FormURL(base, m.TabKey, "")})
		}
		g := &groups[len(groups)-1]
		if m.Unchecked {
			g.Unchecked = append(g.Unchecked, x)
		} else {
			g.Problems = append(g.Problems, x)
		}
	}
	return items, groups
}

// fmtDocSize writes a document's size as a PNS reads it: "840 KB", "1,2 MB" (decimal comma;
// the words KB and MB, not KiB and MiB).
func fmtDocSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/(1<<20)), ".", ",", 1)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bita", n)
}

// problemTarget is the id an error summary links to for a message at key on field f: the reason
// box, the date's first field, or the input.
func problemTarget(f store.Field, key string) string {
	switch {
	case key != f.Key:
		return "alasan-" + f.Key
	case f.Kind == store.KindDate || f.Kind == store.KindDateAny:
		return "in-" + f.Key + "_hari"
	}
	return "in-" + f.Key
}
