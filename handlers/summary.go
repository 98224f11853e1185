package handlers

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// summary is the staff's progress page: how many PNS sent and where submissions wait in the
// viewer's scope, the progress of every unit (sortable by progress with ?urut=kemajuan), accounts
// per role and the data disk. Its numbers come from the counters: a page load scans no records,
// entries or submissions.
func (h *Handler) summary(c *fiber.Ctx) error {
	a, _ := actor(c)
	m, err := h.store.Monitor(a, c.Query("urut") == "kemajuan")
	if err != nil {
		return err
	}
	t := m.Total
	p := views.SummaryProps{PNS: int(t[store.CountMaster]), Sent: int(t[store.CountSent])}
	p.NotSent = p.PNS - p.Sent
	for lv := 1; lv <= 4; lv++ {
		p.Backlog = append(p.Backlog, views.SummaryRow{Label: fmt.Sprintf("Level %d", lv), Count: int(t[store.CountLevel(lv)])})
		p.ByState = append(p.ByState, views.SummaryRow{Label: store.StateLevelLabel(lv), Count: int(t[store.CountLevel(lv)])})
	}
	p.ByState = append(p.ByState, views.SummaryRow{Label: store.StateReturned.Label(), Count: int(t[store.CountReturned])},
		views.SummaryRow{Label: store.StateDone.Label(), Count: int(t[store.CountDone])},
		views.SummaryRow{Label: "Selesai, semua usulan TMS", Count: int(t[store.CountTMS])})
	if len(m.Rows) > 0 || a.Role == store.RoleAdmin || a.Role == store.RoleV1 || a.Role == store.RoleV2 {
		p.Monitor = monitorProps(a, m, c.Query("urut") == "kemajuan")
	}
	accounts, err := h.store.AccountsByRole()
	if err != nil {
		return err
	}
	for _, r := range store.Roles {
		p.Accounts = append(p.Accounts, views.SummaryRow{Label: r.Label, Count: accounts[r.Role]})
	}
	if p.Disk, err = h.diskSummary(); err != nil {
		return err
	}
	if a.Role == store.RoleAdmin {
		p.Backup = h.backupWarning()
	}
	return render(c, fiber.StatusOK, views.SummaryPage(h.meta(c, "Ringkasan"), p))
}

// monitorProps turns the counters of the viewer's units into the page's table; an SKPD's numbers
// that match a category of the non-compliance list link to it.
func monitorProps(a store.Actor, m store.Monitor, byProgress bool) *views.SummaryMonitor {
	out := &views.SummaryMonitor{Scope: "kantor", ByProgress: byProgress}
	switch a.Role {
	case store.RoleV2:
		out.Scope = "instansi"
	case store.RoleV1:
		out.Scope = "SKPD"
	}
	for _, r := range m.Rows {
		c := r.Counts
		n := func(k string) int { return int(c[k]) }
		link := func(kategori string) string {
			if !r.SKPD {
				return ""
			}
			return views.ComplianceURL(r.Unit.ID, kategori, "")
		}
		u := views.SummaryUnit{ID: r.Unit.ID, Name: r.Unit.Name, SKPD: r.SKPD, Progress: c.Progress(),
			Percent: fmt.Sprintf("%.1f%%", float64(c.Progress())/10), Master: n(store.CountMaster), Sent: n(store.CountSent)}
		u.Counts = []views.SummaryCount{
			{Label: "Dalam data induk", Count: n(store.CountMaster)},
			{Label: "Belum registrasi", Count: n(store.CountMaster) - n(store.CountRegistered), Link: link(store.NonRegistered)},
			{Label: "Sudah registrasi", Count: n(store.CountRegistered)},
			{Label: "Akun aktif", Count: n(store.CountActive)},
			{Label: "Sudah mengirim", Count: n(store.CountSent)},
			{Label: "Belum mengirim", Count: n(store.CountNotStarted), Link: link(store.NonSent)},
		}
		for lv := 1; lv <= 4; lv++ {
			u.Counts = append(u.Counts, views.SummaryCount{Label: store.StateLevelLabel(lv), Count: n(store.CountLevel(lv))})
		}
		u.Counts = append(u.Counts,
			views.SummaryCount{Label: store.StateReturned.Label(), Count: n(store.CountReturned), Link: link(store.NonResent)},
			views.SummaryCount{Label: store.StateDone.Label(), Count: n(store.CountDone)},
			views.SummaryCount{Label: "Selesai, semua usulan TMS", Count: n(store.CountTMS)})
		out.Units = append(out.Units, u)
	}
	return out
}

// diskSummary is the room left on the data disk as the summary page shows it, so staff see the
// warning (under the reserve) before users meet a full disk.
func (h *Handler) diskSummary() (views.SummaryDisk, error) {
	d, err := h.store.Disk(h.cfg.DiskReserve)
	if err != nil {
		return views.SummaryDisk{}, err
	}
	out := views.SummaryDisk{Free: fmtSize(int64(d.Free)), Total: fmtSize(int64(d.Total)), Reserve: fmtSize(int64(d.Reserve)), Low: d.Low, Full: d.Full,
		Used: "0%"}
	if d.Total > 0 {
		out.Used = fmt.Sprintf("%.1f%%", float64(d.Total-min(d.Free, d.Total))*100/float64(d.Total))
	}
	if !d.FailedAt.IsZero() {
		out.FailedAt = fmtTime(d.FailedAt)
	}
	return out, nil
}
