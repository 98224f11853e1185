// Package views holds pupns's templ components. They only display what they are given: every
// component takes a small props struct built by a handler; nothing here reads the store.
package views

import (
	"pupns/store"
)

// Meta is what every full page needs: its title, the CSRF token, who is logged in and a flash message.
type Meta struct {
	Title string
	CSRF  string
	User  *UserBar
	Flash string
	// Live is the server-sent-event stream the page listens to ("" for none): elements with
	// sse-swap take its events (the navigation's inbox count, an inbox list, a tracking view).
	Live string
}

// UserBar names the logged-in account in the header.
type UserBar struct {
	Name       string
	RoleLabel  string
	Home       string
	InboxURL   string
	InboxCount int // how many wait in the verifier's inbox (shown with InboxURL)
	SummaryURL string
}

// LoginProps is the login form.
type LoginProps struct {
	Login string
	Error string
	Next  string
}

// ErrorProps is an error page.
type ErrorProps struct {
	Status  int
	Message string
}

// FieldRow is one field of the PNS's form, in one of its states.
type FieldRow struct {
	Tab         string
	Field       store.Field
	Master      string // display form of the master value
	State       string // "", store.EntrySesuai, store.EntryUsul
	New         string // display form of the proposed value
	Reason      string
	Editing     bool
	Value       string // what the input holds while editing (raw form value)
	Error       string // message at the value
	ReasonError string // message at the reason
	Saved       bool   // just saved (shows a confirmation)
	Locked      bool
	Warn        string // the master value disagrees with the rest of the record
}

// Progress counts the fields looked at.
type Progress struct {
	Checked   int
	Total     int
	Proposals int
	Locked    bool
}

// TabLink is one entry of the tab bar.
type TabLink struct {
	Key    string
	Label  string
	Active bool
}

// MissingItem is one reason Kirim is refused, with where to fix it.
type MissingItem struct {
	Tab     string
	Label   string
	Problem string
	Href    string
}

// RecordProps is the PNS's form page.
type RecordProps struct {
	Nama       string
	NIP        string
	Instansi   string
	Unit       string
	Tabs       []TabLink
	Tab        string
	TabLabel   string
	Rows       []FieldRow
	Derived    []ReadOnly
	Progress   Progress
	Missing    []MissingItem
	Status     *StatusSummary
	CanKirim   bool
	EditingKey string
}

// ReadOnly is a value shown but not editable (derived from the history tables).
type ReadOnly struct {
	Label string
	Value string
}

// StatusSummary is the submission's state in a sentence, with a link to the tracking page.
type StatusSummary struct {
	ID    uint64
	State string
	Label string
	When  string
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
	Nama   string
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
}

// LevelMark is one stage of the path a submission travels, for the progress bar.
type LevelMark struct {
	Label   string
	Done    bool
	Current bool
}

// InboxRow is one submission in an inbox.
type InboxRow struct {
	ID      uint64
	NIP     string
	Nama    string
	Unit    string
	Lines   int
	SentAt  string
	Round   int
	TakenBy string // the colleague who opened it at this level
	Down    bool   // sent down by the level above
}

// Option is one choice of a select.
type Option struct {
	Value string
	Label string
}

// InboxFilter is the inbox's filter form as typed, with the choices it offers and a message at the
// field that was refused.
type InboxFilter struct {
	Status   string
	Unit     string
	Dari     string
	Sampai   string
	Cari     string
	Statuses []Option
	Units    []Option // empty when the scope is too wide for a list (Level 3 and 4)
	Field    string   // the field Error is about
	Error    string
	On       bool // some filter is set
}

// InboxProps is a verifier's inbox.
type InboxProps struct {
	Level  int
	Scope  string
	Rows   []InboxRow
	Total  int // the whole inbox, whatever the filter
	Next   string
	First  bool
	Filter InboxFilter
	Query  string // the filter as a query string (without the cursor), for paging links
}

// ReviewLine is one line on the verifier's review page, with the decision form.
type ReviewLine struct {
	LineView
	Current      *DecisionView // this level's decision in this round
	Verdict      string        // the form's selected verdict
	Note         string        // the form's note
	Error        string
	CanDecide    bool
	SubmissionID uint64
	// Kept: this level's decision was made in an earlier round and still holds (the line did not change).
	Kept bool
}

// ReviewProps is a verifier's view of one submission.
type ReviewProps struct {
	ID         uint64
	Rev        int
	Level      int
	Nama       string
	NIP        string
	NIPRaw     string // the 18 digits, for links
	Unit       string
	State      string
	StateLabel string
	Round      int
	SentAt     string
	Lines      []ReviewLine
	Others     []LineView // lines not for this level (decided below, or rejected)
	Undecided  int
	Error      string
	CanForward bool
	// ForwardText is the Teruskan button: where the decisions so far will send the submission.
	ForwardText string
	// CanSendDown: Level 2 and above may send the submission one level down (turun status).
	CanSendDown bool
	DownTo      string // the level it would go down to, in words
	DownReason  string // what the verifier typed, when it came back with a message
	DownError   string
	LastDown    *StepView // the latest turun status that brought it here, with its reason
}
