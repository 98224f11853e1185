package handlers

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// summary is the staff's monitoring page: how many PNS sent and where submissions wait in the
// viewer's scope (admin: the office; Level 2: their instansi; Level 1: their SKPD), the progress
// of every unit (sortable by progress with ?urut=kemajuan), the charts (progress per day against
// the deadline, the backlog with the oldest waiting, decisions per verifier per day), accounts per
// role and the data disk. Every number of a monitoring viewer links to the list of PNS behind it.
// Its numbers come from the counters and the daily series: a page load scans no records, entries
// or submissions.
func (h *Handler) summary(c *fiber.Ctx) error {
	a, _ := actor(c)
	byProgress := c.Query("urut") == "kemajuan"
	m, err := h.store.Monitor(a, byProgress)
	if err != nil {
		return err
	}
	monitor := store.CanMonitor(a)
	link := func(state string) string {
		if !monitor {
			return ""
		}
		return views.PNSListURL(state, "", "", "")
	}
	t := m.Total
	n := func(k string) int { return int(t[k]) }
	p := views.SummaryProps{PNS: n(store.CountMaster), PNSShown: fmtCount(n(store.CountMaster))}
	p.Sent = views.SummaryRow{Label: "Sudah mengirim", Count: n(store.CountSent), Shown: fmtCount(n(store.CountSent)),
		Note: fmtPercent(t.Progress()), Link: link(store.CountSent)}
	notSent := n(store.CountNotStarted)
	p.NotSent = views.SummaryRow{Label: "Belum mengirim", Count: notSent, Shown: fmtCount(notSent),
		Note: fmtPercent(perMille(notSent, n(store.CountMaster))), Link: link(store.CountNotStarted)}
	for _, st := range []string{store.CountLevel(1), store.CountLevel(2), store.CountLevel(3), store.CountLevel(4),
		store.CountReturned, store.CountDone, store.CountTMS} {
		p.ByState = append(p.ByState, views.SummaryRow{Label: store.CountedStates.Label(st), Count: n(st), Shown: fmtCount(n(st)), Link: link(st)})
	}
	var charts store.MonitorCharts
	if monitor {
		if charts, err = h.store.MonitorCharts(a); err != nil {
			return err
		}
		p.Monitor = monitorProps(a, m, byProgress)
		if p.Progress, err = h.progressChart(a, m, charts); err != nil {
			return err
		}
		p.Verifiers = verifierCharts(charts, h.store.Now())
	}
	p.Backlog = backlogRows(t, charts, h.store.Now(), link)
	accounts, err := h.store.AccountsByRole()
	if err != nil {
		return err
	}
	for _, r := range store.Roles {
		p.Accounts = append(p.Accounts, views.SummaryRow{Label: r.Label, Count: accounts[r.Role], Shown: fmtCount(accounts[r.Role])})
	}
	if p.Disk, err = h.diskSummary(); err != nil {
		return err
	}
	if a.Role == store.RoleAdmin {
		p.Backup = h.backupWarning()
	}
	return render(c, fiber.StatusOK, views.SummaryPage(h.meta(c, "Ringkasan"), p))
}

func perMille(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return part * 1000 / whole
}

// backlogRows are the submissions waiting at each level, with how long the oldest has waited
// (only for monitoring viewers, whose charts read it).
func backlogRows(t store.Counts, charts store.MonitorCharts, now time.Time, link func(string) string) []views.SummaryRow {
	var out []views.SummaryRow
	for lv := 1; lv <= 4; lv++ {
		k := store.CountLevel(lv)
		r := views.SummaryRow{Label: fmt.Sprintf("Level %d", lv), Count: int(t[k]), Shown: fmtCount(int(t[k])), Link: link(k)}
		if at := charts.Oldest[lv]; !at.IsZero() {
			r.Note = "terlama menunggu " + waitedFor(now.Sub(at))
		}
		out = append(out, r)
	}
	return out
}

// waitedFor writes how long something has waited, in whole days.
func waitedFor(d time.Duration) string {
	if days := int(d.Hours() / 24); days > 0 {
		return fmt.Sprintf("%s hari", fmtCount(days))
	}
	return "kurang dari sehari"
}

// progressChart lays the scope's daily series out from the start of the filling window (or the
// first day counted) to the later of today and its end, against the master data and the deadline.
func (h *Handler) progressChart(a store.Actor, m store.Monitor, charts store.MonitorCharts) (*views.ProgressChart, error) {
	sc, err := h.store.Schedule()
	if err != nil {
		return nil, err
	}
	now := h.store.Now()
	from, to := now, now
	for _, series := range [][]store.Day{charts.Sent, charts.Finished} {
		if len(series) > 0 && series[0].Date.Before(from) {
			from = series[0].Date
		}
	}
	deadline := ""
	if sp, ok := sc.Effective(store.WindowFilling, h.scopeInstansi(a)); ok {
		start, until := sc.Bounds(sp)
		from, deadline = start, sp.End
		if end := until.Add(-time.Hour); end.After(to) {
			to = end
		}
	}
	if to.Sub(from) > 180*24*time.Hour { // a chart of half a year at most: the latest days
		from = to.Add(-180 * 24 * time.Hour)
	}
	t := m.Total
	days := charts.Progress(from, to, t[store.CountSent], t[store.CountDone]+t[store.CountTMS])
	out := &views.ProgressChart{Target: int(t[store.CountMaster]), TargetShown: fmtCount(int(t[store.CountMaster])), Deadline: -1}
	for i, d := range days {
		out.Days = append(out.Days, views.ProgressPoint{Label: shortDate(d.Date), SentTotal: int(d.SentTotal), FinishedTotal: int(d.FinishedTotal),
			Sent: fmtCount(int(d.Sent)), Finished: fmtCount(int(d.Finished)),
			SentTotalShown: fmtCount(int(d.SentTotal)), FinishedTotalShown: fmtCount(int(d.FinishedTotal))})
		if deadline != "" && d.Date.Format(time.DateOnly) == deadline {
			out.Deadline = i
		}
	}
	if deadline != "" {
		out.DeadlineShown = store.LongDate(deadline)
	}
	out.Text = progressText(out)
	return out, nil
}

// progressText is the progress chart's text alternative: where the lines end, against what.
func progressText(p *views.ProgressChart) string {
	if len(p.Days) == 0 {
		return "Belum ada data."
	}
	last := p.Days[len(p.Days)-1]
	s := fmt.Sprintf("Sampai %s: %s dari %s PNS sudah mengirim, %s selesai diverifikasi.", last.Label,
		last.SentTotalShown, p.TargetShown, last.FinishedTotalShown)
	if p.DeadlineShown != "" {
		s += " Batas pengisian " + p.DeadlineShown + "."
	}
	return s
}

// shortDate writes a day as "30 Nov".
func shortDate(t time.Time) string {
	return fmt.Sprintf("%d %s", t.Day(), store.MonthNames[t.Month()-1][:3])
}

// scopeInstansi is the instansi whose schedule the viewer's charts follow ("" for the office).
func (h *Handler) scopeInstansi(a store.Actor) string {
	switch a.Role {
	case store.RoleV2:
		return a.ScopeID
	case store.RoleV1:
		if u, err := h.store.Unit(a.ScopeID); err == nil {
			return u.InstansiID
		}
	}
	return ""
}

// verifierDays is how many days the verifiers' charts show, today included.
const verifierDays = 14

// verifierCharts are the decisions per day of every verifier in the scope, over the last days.
func verifierCharts(charts store.MonitorCharts, now time.Time) []views.VerifierChart {
	loc := charts.Loc
	if loc == nil {
		loc = time.UTC
	}
	today := now.In(loc)
	var out []views.VerifierChart
	for _, v := range charts.Verifiers {
		byDay := map[string]int64{}
		for _, d := range v.Days {
			byDay[d.Date.In(loc).Format(time.DateOnly)] += d.Delta
		}
		vc := views.VerifierChart{Name: v.Name, Role: v.Role.Label()}
		total := 0
		for i := verifierDays - 1; i >= 0; i-- {
			d := today.AddDate(0, 0, -i)
			n := int(byDay[d.Format(time.DateOnly)])
			total += n
			vc.Days = append(vc.Days, views.VerifierDay{Label: shortDate(d), Count: n})
		}
		vc.Total = fmtCount(total)
		out = append(out, vc)
	}
	return out
}

// monitorProps turns the counters of the viewer's units into the page's table: every number links
// to the list of PNS behind it, narrowed to the SKPD (summed) or the unit.
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
		u := views.SummaryUnit{ID: r.Unit.ID, Name: r.Unit.Name, SKPD: r.SKPD, Progress: c.Progress(),
			Percent: fmtPercent(c.Progress()), Master: fmtCount(int(c[store.CountMaster])), Sent: fmtCount(int(c[store.CountSent]))}
		for _, st := range store.CountedStates {
			skpd, unit := r.Unit.ID, ""
			if !r.SKPD {
				skpd, unit = "", r.Unit.ID
			}
			u.Counts = append(u.Counts, views.SummaryCount{Label: st.Label, Count: int(c[st.Code]), Shown: fmtCount(int(c[st.Code])),
				Link: views.PNSListURL(st.Code, skpd, unit, "")})
		}
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
		out.Used = fmtPercent(int((d.Total - min(d.Free, d.Total)) * 1000 / d.Total))
	}
	if !d.FailedAt.IsZero() {
		out.FailedAt = fmtTime(d.FailedAt)
	}
	return out, nil
}
