package handlers

import (
	"cmp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// The list of PNS behind every number of the monitoring page (admin: the office; Level 2: their
// instansi; Level 1: their SKPD): a page at a time, the whole list to print, and as CSV. The store
// reads it from the index its counters keep, and says who may see whom.

// pnsListQuery reads the list's filter from the query; the state defaults to every PNS of the
// master data.
func pnsListQuery(c *fiber.Ctx) store.PNSListQuery {
	return store.PNSListQuery{State: cmp.Or(c.Query("status"), store.CountMaster), SKPD: c.Query("skpd"),
		Unit: c.Query("unit"), After: c.Query("setelah"), Search: strings.TrimSpace(c.Query("cari"))}
}

// pnsListRows writes a page's rows for people.
func pnsListRows(items []store.PNSListItem) []views.PNSListRow {
	out := make([]views.PNSListRow, len(items))
	for i, it := range items {
		out[i] = views.PNSListRow{NIP: store.FormatNIP(it.NIP), Name: it.Name, Unit: it.UnitName, SKPD: it.SKPDName}
	}
	return out
}

// pnsList is one page of the list; a state or SKPD the viewer may not list re-renders the form
// with the message at its field (422).
func (h *Handler) pnsList(c *fiber.Ctx) error {
	a, _ := actor(c)
	q := pnsListQuery(c)
	q.Limit = 50
	p := views.PNSListProps{State: q.State, SKPD: q.SKPD, Unit: q.Unit, First: q.After == "", StateLabel: "Daftar PNS", Search: q.Search}
	if l := store.CountedStates.Label(q.State); l != "" {
		p.StateLabel = l
	}
	for _, st := range store.CountedStates {
		p.States = append(p.States, views.Option{Value: st.Code, Label: st.Label})
	}
	skpds, err := h.store.MonitorSKPDs(a)
	if err != nil {
		return err
	}
	for _, u := range skpds {
		p.SKPDs = append(p.SKPDs, views.Option{Value: u.ID, Label: u.Name})
	}
	if q.Unit != "" {
		if u, err := h.store.Unit(q.Unit); err == nil {
			p.UnitName = u.Name
		}
	}
	status := fiber.StatusOK
	page, err := h.store.PNSList(a, q)
	if fp, ok := refusedInput(err); ok {
		status, p.Total = fiber.StatusUnprocessableEntity, "0"
		p.Error = fp.At
		p.Problems = []views.Problem{{Href: pnsListFieldHref[fp.Field], Message: fp.Message}}
	} else if err != nil {
		return err
	}
	p.Total, p.Rows, p.Next = fmtCount(int(page.Total)), pnsListRows(page.Items), page.Next
	return render(c, status, views.PNSListPage(h.meta(c, p.StateLabel), p))
}

// pnsListPrintMax is the most rows a printout holds; a longer list asks to narrow it or take the CSV.
const pnsListPrintMax = 5000

// pnsListPrint is the whole list to print, with what it is, its scope and the date.
func (h *Handler) pnsListPrint(c *fiber.Ctx) error {
	a, _ := actor(c)
	q := pnsListQuery(c)
	q.After, q.Limit = "", pnsListPrintMax
	page, err := h.store.PNSList(a, q)
	if err != nil {
		return h.listRefused(err)
	}
	now := h.store.Now()
	p := views.PNSListPrintProps{Title: "Daftar PNS: " + store.CountedStates.Label(q.State), Scope: h.listScope(a, q),
		Date: store.LongDate(now.Format(time.DateOnly)), Count: fmtCount(int(page.Total)), Printed: fmtTime(now),
		TooLong: page.Next != "", CSV: views.PNSListCSVURL(q.State, q.SKPD, q.Unit)}
	if !p.TooLong {
		p.Rows = pnsListRows(page.Items)
	}
	return render(c, fiber.StatusOK, views.PNSListPrintPage(h.meta(c, p.Title), p))
}

// pnsListCSV is the whole list as CSV, streamed a thousand rows at a time.
func (h *Handler) pnsListCSV(c *fiber.Ctx) error {
	a, _ := actor(c)
	q := pnsListQuery(c)
	q.After, q.Limit = "", 1
	if _, err := h.store.PNSList(a, q); err != nil { // refuse before the first byte
		return h.listRefused(err)
	}
	streamCSV(c, h.cfg.Log, "pns-"+q.State+".csv", []string{"NIP", "Nama", "Unit", "SKPD", "Status"}, func(row func([]string) error) error {
		label := store.CountedStates.Label(q.State)
		return h.store.WalkPNSList(a, q, func(it store.PNSListItem) error {
			return row([]string{it.NIP, it.Name, it.UnitName, it.SKPDName, label})
		})
	})
	return nil
}

// listRefused turns a filter the viewer may not use (print, CSV: no form to re-render) into the
// central error page's 422 with the store's sentence.
func (h *Handler) listRefused(err error) error {
	if fp, ok := refusedInput(err); ok {
		return fiber.NewError(fiber.StatusUnprocessableEntity, fp.Message)
	}
	return err
}

// listScope names what a printed list covers: a unit, an SKPD, or the viewer's whole scope.
func (h *Handler) listScope(a store.Actor, q store.PNSListQuery) string {
	for _, id := range []string{q.Unit, q.SKPD} {
		if id == "" {
			continue
		}
		if u, err := h.store.Unit(id); err == nil {
			return u.Name
		}
	}
	switch a.Role {
	case store.RoleV1:
		if u, err := h.store.Unit(a.ScopeID); err == nil {
			return u.Name
		}
	case store.RoleV2:
		return "Instansi " + a.ScopeID
	}
	return "Seluruh kantor"
}

// pnsListFieldHref is where the error summary sends the eye for each field the store may refuse.
var pnsListFieldHref = map[string]string{"status": "#in-status", "unit": "#in-skpd", "setelah": "#in-status", "cari": "#in-cari"}
