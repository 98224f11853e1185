package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// The admin's campaign schedule (/admin/jadwal): the office's zone and windows, and the extension
// of one window for one instansi. The store checks every date and enforces the windows.

// scheduleTitle is the page's title and the navigation's label.
const scheduleTitle = "Jadwal pendataan"

// dateOf reads one date's three fields (key_hari, key_bulan, key_tahun).
func dateOf(c *fiber.Ctx, key string) store.DateInput {
	return store.DateInput{Day: c.FormValue(key + "_hari"), Month: c.FormValue(key + "_bulan"), Year: c.FormValue(key + "_tahun")}
}

// dateFields turns a stored "2006-01-02" day (or what the admin typed) into the page's fields.
func dateFields(key, legend string, typed *store.DateInput, day, msg string) views.DateFields {
	d := views.DateFields{Key: key, Legend: legend, Error: msg}
	if typed != nil {
		d.Day, d.Month, d.Year = typed.Day, typed.Month, typed.Year
	} else if t, err := time.Parse(time.DateOnly, day); err == nil {
		d.Day, d.Month, d.Year = t.Format("2"), t.Format("1"), t.Format("2006")
	}
	return d
}

// problemsOf lists the refused fields in the order the store found them, each linking to its
// field's first input.
func problemsOf(fe store.FieldErrors, href func(field string) string) []views.Problem {
	var out []views.Problem
	for _, e := range fe {
		out = append(out, views.Problem{Href: href(e.Field), Message: e.Message})
	}
	return out
}

// fieldHref is where an error summary line points: a select's own input, a date's day input.
func fieldHref(field string) string {
	switch field {
	case "zona", "instansi", "jendela":
		return "#in-" + field
	}
	return "#in-" + field + "_hari"
}

// scheduleProps builds the page from the stored schedule; typed (when set) is the schedule form
// just refused with its problems, ext the extension form just refused.
func (h *Handler) scheduleProps(typed *store.ScheduleInput, fe store.FieldErrors, ext *extendTyped) (views.ScheduleProps, error) {
	sc, err := h.store.Schedule()
	if err != nil {
		return views.ScheduleProps{}, err
	}
	insts, err := h.store.AllInstansi()
	if err != nil {
		return views.ScheduleProps{}, err
	}
	at := fe.ByField()
	zone := sc.Zone
	p := views.ScheduleProps{ZoneError: at["zona"]}
	if typed != nil {
		zone = typed.Zone
		p.Problems = problemsOf(fe, fieldHref)
	}
	for _, z := range store.Zones {
		p.Zones = append(p.Zones, views.Option{Value: z.Name, Label: zoneLabel(z.Name), Selected: z.Name == zone})
	}
	for _, w := range store.Windows {
		sp := sc.Windows[w.Kind]
		start, end := string(w.Kind)+"_mulai", string(w.Kind)+"_selesai"
		row := views.ScheduleWindow{Label: w.Label}
		if typed != nil {
			d := typed.Windows[w.Kind]
			row.Start = dateFields(start, "Mulai", &d[0], "", at[start])
			row.End = dateFields(end, "Selesai", &d[1], "", at[end])
		} else {
			row.Start = dateFields(start, "Mulai", nil, sp.Start, "")
			row.End = dateFields(end, "Selesai", nil, sp.End, "")
		}
		p.Windows = append(p.Windows, row)
	}
	p.Extend = extendForm(insts, ext)
	names := map[string]string{}
	for _, in := range insts {
		names[in.ID] = in.Name
	}
	for _, e := range sc.Extensions {
		w, _ := store.WindowByKind(e.Kind)
		p.Extensions = append(p.Extensions, views.ExtensionRow{Instansi: names[e.InstansiID], Window: w.Closed,
			End: store.LongDate(e.End) + " (" + sc.ZoneName() + ")", By: e.By, At: fmtTime(e.At.In(sc.Location()))})
	}
	for i := len(sc.Changes) - 1; i >= 0; i-- {
		ev := sc.Changes[i]
		p.Changes = append(p.Changes, views.ChangeRow{At: fmtTime(ev.At.In(sc.Location())), By: ev.Actor, Detail: ev.Detail})
	}
	return p, nil
}

// zoneLabel names a zone with its offset.
func zoneLabel(name string) string {
	switch name {
	case "WITA":
		return "WITA (UTC+8): Waktu Indonesia Tengah"
	case "WIT":
		return "WIT (UTC+9): Waktu Indonesia Timur"
	}
	return "WIB (UTC+7): Waktu Indonesia Barat"
}

// extendTyped is the extension form as the admin sent it, with the store's problems.
type extendTyped struct {
	instansi, window string
	end              store.DateInput
	fe               store.FieldErrors
}

// extendForm builds the extension form: empty, or as refused.
func extendForm(insts []store.Instansi, t *extendTyped) views.ExtendForm {
	if t == nil {
		t = &extendTyped{window: string(store.WindowFilling)}
	}
	at := t.fe.ByField()
	f := views.ExtendForm{InstansiError: at["instansi"], WindowError: at["jendela"],
		End: dateFields("sampai", "Tanggal akhir baru", &t.end, "", at["sampai"])}
	f.Problems = problemsOf(t.fe, fieldHref)
	f.Instansi = append(f.Instansi, views.Option{Value: "", Label: "— pilih instansi —", Selected: t.instansi == ""})
	for _, in := range insts {
		f.Instansi = append(f.Instansi, views.Option{Value: in.ID, Label: in.Name, Selected: in.ID == t.instansi})
	}
	for _, w := range store.Windows {
		f.Windows = append(f.Windows, views.Option{Value: string(w.Kind), Label: w.Closed, Selected: string(w.Kind) == t.window})
	}
	return f
}

// schedulePage shows the schedule form, the extension form and the extensions.
func (h *Handler) schedulePage(c *fiber.Ctx) error {
	p, err := h.scheduleProps(nil, nil, nil)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.SchedulePage(h.meta(c, scheduleTitle), p))
}

// setSchedule stores the zone and windows: 303 back to the page, or 422 with every problem at its
// field and in the summary.
func (h *Handler) setSchedule(c *fiber.Ctx) error {
	a, _ := actor(c)
	in := store.ScheduleInput{Zone: c.FormValue("zona"), Windows: map[store.WindowKind][2]store.DateInput{}}
	for _, w := range store.Windows {
		in.Windows[w.Kind] = [2]store.DateInput{dateOf(c, string(w.Kind)+"_mulai"), dateOf(c, string(w.Kind)+"_selesai")}
	}
	err := h.store.SetSchedule(a, in)
	if fe, ok := store.AsFieldErrors(err); ok {
		p, perr := h.scheduleProps(&in, fe, nil)
		if perr != nil {
			return perr
		}
		return render(c, fiber.StatusUnprocessableEntity, views.SchedulePage(h.meta(c, scheduleTitle), p))
	}
	if err != nil {
		return err
	}
	setFlash(c, "Jadwal disimpan.")
	return seeOther(c, views.ScheduleURL)
}

// extendWindow extends one window for one instansi: 303 back to the page, or 422 with the problem.
func (h *Handler) extendWindow(c *fiber.Ctx) error {
	a, _ := actor(c)
	t := extendTyped{instansi: c.FormValue("instansi"), window: c.FormValue("jendela"), end: dateOf(c, "sampai")}
	err := h.store.ExtendWindow(a, t.instansi, store.WindowKind(t.window), t.end)
	if fe, ok := store.AsFieldErrors(err); ok {
		t.fe = fe
		p, perr := h.scheduleProps(nil, nil, &t)
		if perr != nil {
			return perr
		}
		return render(c, fiber.StatusUnprocessableEntity, views.SchedulePage(h.meta(c, scheduleTitle), p))
	}
	if err != nil {
		return err
	}
	setFlash(c, "Masa diperpanjang untuk instansi itu.")
	return seeOther(c, views.ScheduleURL)
}
