package views

import (
	"fmt"
	"strings"
)

// SummaryRow is one labelled count: Shown is the number written the Indonesian way, Note what
// goes beside it (a share, how long the oldest waited), Link the list of PNS behind it ("" when
// the viewer has none).
type SummaryRow struct {
	Label string
	Count int
	Shown string
	Note  string
	Link  string
}

// SummaryProps is the office's monitoring page for staff.
type SummaryProps struct {
	PNS       int
	PNSShown  string
	Sent      SummaryRow
	NotSent   SummaryRow
	ByState   []SummaryRow
	Backlog   []SummaryRow // submissions waiting at Level 1–4: the chart's numbers
	Accounts  []SummaryRow
	Disk      SummaryDisk
	Monitor   *SummaryMonitor
	Progress  *ProgressChart  // nil for staff who monitor no scope
	Verifiers []VerifierChart // decisions per day of the scope's verifiers
	Backup    *BackupWarning  // the admin's warning that backups fall behind their schedule; nil when none
}

// SummaryDisk is the room left on the server's data disk, written for people, and whether staff
// must act: Low is under the reserve (warning), Full is writes being refused.
type SummaryDisk struct {
	Free, Total, Reserve string
	Used                 string // percent of the disk in use
	Low, Full            bool
	FailedAt             string // when a write was last refused for lack of space; "" when none
}

// SummaryMonitor is the monitoring table of the viewer's scope (admin: the office, Level 2: their
// instansi, Level 1: their SKPD), read from the counters; nil for staff who monitor no units.
type SummaryMonitor struct {
	Scope      string // "kantor", "instansi" or "SKPD", for the heading
	ByProgress bool   // the SKPDs are sorted by progress, least advanced first
	Units      []SummaryUnit
}

// SummaryUnit is one unit's numbers: an SKPD (summed over its units) or a unit under it.
type SummaryUnit struct {
	ID, Name string
	SKPD     bool
	Progress int    // per mille of the PNS in the master data who sent
	Percent  string // Progress for people ("42,5 %")
	Master   string
	Sent     string
	Counts   []SummaryCount
}

// SummaryCount is one number of a unit, written for people, with the list of PNS behind it.
type SummaryCount struct {
	Label string
	Count int
	Shown string
	Link  string
}

// SummaryURL is the summary page, its SKPDs sorted by progress when byProgress.
func SummaryURL(byProgress bool) string {
	if byProgress {
		return "/ringkasan?urut=kemajuan"
	}
	return "/ringkasan"
}

// UnitRowID is the element id of a unit's row on the summary page.
func UnitRowID(id string) string {
	return "unit-" + strings.NewReplacer(".", "-", " ", "-").Replace(id)
}

// SummaryBar is one bar of the backlog chart: a level's waiting submissions, drawn Width units of
// 300 wide at height Y.
type SummaryBar struct {
	Label    string
	Count    int
	Shown    string
	Width, Y int
}

// BacklogBars lays out the backlog chart from the numbers of the table it stands for: one bar per
// row, scaled to the longest (a zero row gets no bar, its number still shown).
func BacklogBars(rows []SummaryRow) []SummaryBar {
	top := 0
	for _, r := range rows {
		top = max(top, r.Count)
	}
	out := make([]SummaryBar, len(rows))
	for i, r := range rows {
		out[i] = SummaryBar{Label: r.Label, Count: r.Count, Shown: r.Shown, Y: i * 28}
		if top > 0 {
			out[i].Width = r.Count * 200 / top
		}
	}
	return out
}

// backlogText is the chart's text alternative: every bar's label and number.
func backlogText(rows []SummaryRow) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = fmt.Sprintf("%s: %s", r.Label, r.Shown)
		if r.Note != "" {
			parts[i] += " (" + r.Note + ")"
		}
	}
	return strings.Join(parts, "; ")
}
