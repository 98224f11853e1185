package views

// PrintProps is the summary page a PNS prints after Kirim.
type PrintProps struct {
	Name     string
	NIP      string
	Unit     string
	Instansi string
	ID       uint64
	SentAt   string
	State    string
	Lines    []LineView
	Printed  string
}

// DecisionView is one decision as the PNS or a verifier sees it.
type DecisionView struct {
	Level   int
	Verdict string
	Label   string
	Note    string
	By      string
	When    string
	Stale   bool
	Kept    bool // made in an earlier round and still valid: the line did not change since
}

// LineView is one line of a submission for display.
type LineView struct {
	Field     string
	Label     string
	Old       string
	New       string
	Reason    string
	BKN       bool
	Decisions []DecisionView
	Result    string // "setuju", "tms", "bts", "" (pending)
	Docs      []DocLink
	Free      bool
}

// StepView is one move of a submission.
type StepView struct {
	When string
	From string
	To   string
	By   string
	Note string
}

// StatusProps is the PNS's tracking page.
type StatusProps struct {
	Base   string
	Name   string
	NIP    string
	Has    bool
	ID     uint64
	State  string
	Label  string
	Round  int
	Lines  []LineView
	Steps  []StepView
	Levels []LevelMark
	// CanWithdraw: no verifier has opened the submission yet, so the PNS may take it back.
	CanWithdraw bool
	// BKN is where the lines needing BKN stand on the way to the hub (zero: not on the way).
	BKN BKNStatusView
}

// BKNStatusView is the PNS's line about the link to BKN: the lines (labels) waiting for the link
// since when, or sent to BKN when.
type BKNStatusView struct {
	Waiting bool
	Sent    bool
	When    string
	Lines   string
	Hub     string // "Kanreg BKN" or "BKN Pusat"
}

// LevelMark is one stage of the path a submission travels, for the progress bar.
type LevelMark struct {
	Label   string
	Done    bool
	Current bool
}
