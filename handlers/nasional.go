package handlers

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// The national pages of a hub (Kanreg or BKN Pusat): progress per Kanreg and per instansi, and the
// national non-compliance list with its CSV, from the latest snapshot each office published. The
// store decides who sees them (store.MayViewNational: a hub's admin, Level 4, Level 3 of its Kanreg).

// isNationalViewer lets in the roles that may see the national pages; the store has the last word.
func isNationalViewer(r store.Role) bool {
	return r == store.RoleAdmin || r == store.RoleV3 || r == store.RoleV4
}

// hubLabel names the hub the pages are read at.
func hubLabel(l store.BKNLink) string {
	if l.Role == store.BKNRolePusat {
		return "BKN Pusat"
	}
	return store.KanregLabel(l.Kanreg)
}

// nationalRow writes an instansi's (or a group's) counts for people.
func nationalRow(c store.Counts) views.NationalRow {
	share := func(n uint64) string {
		if c[store.CountMaster] == 0 {
			return fmtPercent(0)
		}
		return fmtPercent(int(n * 1000 / c[store.CountMaster]))
	}
	r := views.NationalRow{PNS: fmtCount(int(c[store.CountMaster])), Sent: share(c[store.CountSent]), Done: share(c.Finished())}
	for lv := 1; lv <= 4; lv++ {
		if lv > 1 {
			r.Levels += " / "
		}
		r.Levels += fmtCount(int(c[store.CountLevel(lv)]))
	}
	return r
}

// kanregOptions lists the groups a hub holds, for the filter.
func kanregOptions(groups []store.NationalGroup) []views.Option {
	var out []views.Option
	for _, g := range groups {
		v := g.Kanreg
		if v == "" {
			v = "-"
		}
		out = append(out, views.Option{Value: v, Label: g.Label})
	}
	return out
}

// kanregQuery is the Kanreg filter of the request: all when empty; "-" names BKN Pusat's own
// instansi pusat (Kanreg "").
func kanregQuery(c *fiber.Ctx) (filter string, all bool) {
	switch k := c.Query("kanreg"); k {
	case "":
		return "", true
	case "-":
		return "", false
	default:
		return k, false
	}
}

// national is the national progress page.
func (h *Handler) national(c *fiber.Ctx) error {
	a, _ := actor(c)
	k, all := kanregQuery(c)
	everything, err := h.store.National(a, "")
	if err != nil {
		return err
	}
	p := views.NationalProps{Hub: hubLabel(everything.Hub), Kanreg: c.Query("kanreg"), Kanregs: kanregOptions(everything.Groups)}
	for _, g := range everything.Groups {
		if !all && g.Kanreg != k {
			continue
		}
		vg := views.NationalGroup{ID: g.Kanreg, Label: g.Label, Total: nationalRow(g.Total)}
		for _, e := range g.Instansi {
			r := nationalRow(e.Snapshot.Counts)
			r.ID, r.Name, r.DataPer, r.Stale = e.Snapshot.Instansi, e.Snapshot.Name, fmtTime(e.Snapshot.Taken), e.Stale(everything.Now)
			vg.Instansi = append(vg.Instansi, r)
		}
		p.Groups = append(p.Groups, vg)
	}
	p.Empty = len(p.Groups) == 0
	return render(c, fiber.StatusOK, views.NationalPage(h.meta(c, "Kemajuan PUPNS nasional"), p))
}

// nationalComplianceProps is the national non-compliance list for the request's Kanreg.
func (h *Handler) nationalComplianceProps(c *fiber.Ctx) (views.NationalComplianceProps, error) {
	a, _ := actor(c)
	k, all := kanregQuery(c)
	everything, err := h.store.National(a, "")
	if err != nil {
		return views.NationalComplianceProps{}, err
	}
	_, list, err := h.store.NationalNonCompliance(a, "")
	if err != nil {
		return views.NationalComplianceProps{}, err
	}
	p := views.NationalComplianceProps{Hub: hubLabel(everything.Hub), Kanreg: c.Query("kanreg"), Kanregs: kanregOptions(everything.Groups)}
	for _, kind := range store.NonComplianceKinds {
		p.Kinds = append(p.Kinds, kind.Label)
	}
	for _, e := range list {
		sn := e.Snapshot
		if !all && sn.Kanreg != k {
			continue
		}
		r := views.NationalNCRow{ID: sn.Instansi, Name: sn.Name, Kanreg: store.KanregLabel(sn.Kanreg),
			PNS: fmtCount(int(sn.Counts[store.CountMaster])), NotDone: fmtPercent(e.NotDoneShare()),
			Total: fmtCount(int(sn.NonCompliant())), DataPer: fmtTime(sn.Taken), Stale: e.Stale(everything.Now)}
		for _, kind := range store.NonComplianceKinds {
			r.Counts = append(r.Counts, fmtCount(int(sn.NonCompliance[kind.Code])))
		}
		p.Rows = append(p.Rows, r)
	}
	return p, nil
}

// nationalCompliance is the national non-compliance list page.
func (h *Handler) nationalCompliance(c *fiber.Ctx) error {
	p, err := h.nationalComplianceProps(c)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.NationalCompliancePage(h.meta(c, "Ketidakpatuhan PUPNS per instansi"), p))
}

// nationalComplianceCSV is the national non-compliance list as CSV, filtered like the page; the
// counts are plain numbers (no thousands dots) for spreadsheets.
func (h *Handler) nationalComplianceCSV(c *fiber.Ctx) error {
	p, err := h.nationalComplianceProps(c)
	if err != nil {
		return err
	}
	header := append([]string{"No", "Instansi", "Nama instansi", "Kanreg", "PNS", "Belum selesai"}, p.Kinds...)
	header = append(header, "Jumlah belum memenuhi", "Data per")
	rows := make([][]string, 0, len(p.Rows))
	for i, r := range p.Rows {
		row := []string{strconv.Itoa(i + 1), r.ID, r.Name, r.Kanreg, stripDots(r.PNS), r.NotDone}
		for _, n := range r.Counts {
			row = append(row, stripDots(n))
		}
		rows = append(rows, append(row, stripDots(r.Total), r.DataPer))
	}
	name := "ketidakpatuhan-nasional.csv"
	if k, all := kanregQuery(c); !all && store.Kanregs.Has(k) { // a known code only: it goes into a header
		name = fmt.Sprintf("ketidakpatuhan-nasional-kanreg-%s.csv", k)
	}
	return sendCSV(c, name, header, rows)
}
