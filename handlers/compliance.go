package handlers

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// The non-compliance list (admin: the office; Level 2: their instansi; Level 1: their SKPD), its
// print per SKPD and CSV, and the admin's close and restores. The store decides who sees whom.

// isMonitor lets in the roles that watch the office's progress; the store narrows their scope.
func isMonitor(r store.Role) bool {
	return r == store.RoleAdmin || r == store.RoleV1 || r == store.RoleV2
}

// complianceFilter reads the list's filter from the query.
func complianceFilter(c *fiber.Ctx) store.NonComplianceFilter {
	return store.NonComplianceFilter{SKPDID: c.Query("skpd"), Kategori: c.Query("kategori"), After: c.Query("setelah")}
}

// nonCompliantRows writes the list's rows for people, naming each unit once.
func (h *Handler) nonCompliantRows(items []store.NonCompliant) []views.NonCompliantRow {
	names := map[string]string{}
	name := func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		n := id
		if u, err := h.store.Unit(id); err == nil {
			n = u.Name
		}
		names[id] = n
		return n
	}
	out := make([]views.NonCompliantRow, 0, len(items))
	for _, it := range items {
		r := views.NonCompliantRow{NIP: it.NIP, NIPShown: store.FormatNIP(it.NIP), Name: it.Name, Unit: name(it.UnitID),
			SKPD: name(it.SKPDID), Kategori: store.NonComplianceKinds.Label(it.Kategori),
			Kedudukan: it.Kedudukan + " " + store.KedudukanHukum.Label(it.Kedudukan), Closed: it.Kedudukan == store.KedudukanTidakIkut}
		for _, l := range it.TMS {
			r.TMS = append(r.TMS, tmsText(l))
		}
		out = append(out, r)
	}
	return out
}

// tmsText names a rejected line: its label and the value that was refused.
func tmsText(l store.Line) string {
	v := l.NewText
	if v == "" {
		v = l.New
	}
	if v == "" {
		return l.Label
	}
	return l.Label + ": " + v
}

// complianceProps is the list page for the request's filter.
func (h *Handler) complianceProps(c *fiber.Ctx) (views.ComplianceProps, error) {
	a, _ := actor(c)
	f := complianceFilter(c)
	f.Limit = 50
	page, err := h.store.NonCompliance(a, f)
	if err != nil {
		return views.ComplianceProps{}, err
	}
	p := views.ComplianceProps{SKPD: f.SKPDID, Kategori: f.Kategori, Next: page.Next, First: f.After == "",
		Admin: a.Role == store.RoleAdmin, Rows: h.nonCompliantRows(page.Items)}
	skpds, err := h.store.MonitorSKPDs(a)
	if err != nil {
		return p, err
	}
	for _, u := range skpds {
		p.SKPDs = append(p.SKPDs, views.Option{Value: u.ID, Label: u.Name})
	}
	for _, k := range store.NonComplianceKinds {
		p.Kinds = append(p.Kinds, views.Option{Value: k.Code, Label: k.Label})
	}
	return p, nil
}

// compliance is the non-compliance list page.
func (h *Handler) compliance(c *fiber.Ctx) error {
	p, err := h.complianceProps(c)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.CompliancePage(h.meta(c, "Daftar ketidakpatuhan"), p))
}

// allNonCompliant reads every row of the list for the filter (print and CSV), page by page.
func (h *Handler) allNonCompliant(a store.Actor, f store.NonComplianceFilter) ([]store.NonCompliant, error) {
	f.Limit, f.After = 0, ""
	page, err := h.store.NonCompliance(a, f)
	return page.Items, err
}

// compliancePrint is the printable list of one SKPD with the signature block of its head.
func (h *Handler) compliancePrint(c *fiber.Ctx) error {
	a, _ := actor(c)
	skpd := c.Query("skpd")
	skpds, err := h.store.MonitorSKPDs(a)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(skpds, func(u store.Unit) bool { return u.ID == skpd })
	if i < 0 {
		return fmt.Errorf("SKPD %q: %w", skpd, store.ErrForbidden)
	}
	u := skpds[i]
	items, err := h.allNonCompliant(a, store.NonComplianceFilter{SKPDID: skpd})
	if err != nil {
		return err
	}
	now := h.store.Now()
	p := views.CompliancePrintProps{SKPD: u.Name, Date: store.LongDate(now.Format(time.DateOnly)), Count: fmtCount(len(items)),
		Rows: h.nonCompliantRows(items), Printed: fmtTime(now)}
	return render(c, fiber.StatusOK, views.CompliancePrintPage(h.meta(c, "Daftar ketidakpatuhan "+u.Name), p))
}

// complianceCSV is the list as CSV, filtered like the page.
func (h *Handler) complianceCSV(c *fiber.Ctx) error {
	a, _ := actor(c)
	items, err := h.allNonCompliant(a, complianceFilter(c))
	if err != nil {
		return err
	}
	rows := [][]string{}
	for i, r := range h.nonCompliantRows(items) {
		tms := ""
		for j, t := range r.TMS {
			if j > 0 {
				tms += "; "
			}
			tms += t
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), r.NIP, r.Name, r.SKPD, r.Unit, r.Kategori, r.Kedudukan, tms})
	}
	header := []string{"No", "NIP", "Nama", "SKPD", "Unit organisasi", "Kategori", "Kedudukan hukum", "Baris TMS"}
	return sendCSV(c, "ketidakpatuhan.csv", header, rows)
}

// closeProps is the confirmation page: who the close would mark now.
func (h *Handler) closeProps(c *fiber.Ctx) (views.CloseProps, error) {
	a, _ := actor(c)
	items, err := h.allNonCompliant(a, store.NonComplianceFilter{})
	if err != nil {
		return views.CloseProps{}, err
	}
	todo := items[:0]
	for _, it := range items {
		if it.Kedudukan != store.KedudukanTidakIkut {
			todo = append(todo, it)
		}
	}
	return views.CloseProps{Count: len(todo), CountShown: fmtCount(len(todo)), Rows: h.nonCompliantRows(todo)}, nil
}

// closePage shows the close's count and list and asks for the typed count.
func (h *Handler) closePage(c *fiber.Ctx) error {
	p, err := h.closeProps(c)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.ClosePage(h.meta(c, "Penutupan PUPNS"), p))
}

// closeCampaign marks every non-complier kedudukan hukum 90 when the typed count is the count the
// store finds (typed with or without thousands dots).
func (h *Handler) closeCampaign(c *fiber.Ctx) error {
	a, _ := actor(c)
	typed := c.FormValue("konfirmasi")
	n, convErr := strconv.Atoi(stripDots(typed))
	var err error
	if convErr != nil {
		err = fmt.Errorf("konfirmasi: %w", store.ErrInvalid)
	} else {
		n, err = h.store.CloseCampaign(a, n)
	}
	if fe, ok := refusedInput(err); ok || convErr != nil {
		p, perr := h.closeProps(c)
		if perr != nil {
			return perr
		}
		p.Typed, p.Error = typed, "Ketik jumlah PNS yang akan ditandai, dalam angka."
		if ok {
			p.Error = fe.Message
		}
		return render(c, fiber.StatusUnprocessableEntity, views.ClosePage(h.meta(c, "Penutupan PUPNS"), p))
	}
	if err != nil {
		return err
	}
	setFlash(c, fmtCount(n)+" PNS ditandai kedudukan hukum 90 (Tidak Ikut PUPNS).")
	return seeOther(c, views.ComplianceURL("", "", ""))
}

// restore gives one PNS back the kedudukan hukum they had before the close (registrasi susulan).
func (h *Handler) restore(c *fiber.Ctx) error {
	a, _ := actor(c)
	nip, alasan := c.Params("nip"), c.FormValue("alasan")
	r, err := h.store.Restore(a, nip, alasan)
	if fe, ok := refusedInput(err); ok {
		p, perr := h.complianceProps(c)
		if perr != nil {
			return perr
		}
		for i := range p.Rows {
			if p.Rows[i].NIP == nip {
				p.Rows[i].Alasan, p.Rows[i].Error = alasan, fe.Message
			}
		}
		return render(c, fiber.StatusUnprocessableEntity, views.CompliancePage(h.meta(c, "Daftar ketidakpatuhan"), p))
	}
	if err != nil {
		return err
	}
	k := r.Fields[store.KeyKedudukan]
	setFlash(c, "Kedudukan hukum "+r.Name()+" dipulihkan menjadi "+k+" "+store.KedudukanHukum.Label(k)+".")
	return seeOther(c, views.ComplianceURL("", "", ""))
}

// stripDots removes thousands dots and spaces from a typed number.
func stripDots(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '.' && s[i] != ' ' {
			out = append(out, s[i])
		}
	}
	return string(out)
}
