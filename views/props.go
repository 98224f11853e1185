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
	Links      []NavLink // the role's other rooms (accounts, activation, operator) and the password page
}

// NavLink is one link of the header.
type NavLink struct {
	ID    string
	Label string
	URL   string
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
	Base        string // "" for the PNS's own form, "/operator/pns/<nip>" for an operator's
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
	Warn        string         // the master value disagrees with the rest of the record
	Options     store.CodeList // the list to pick from when it is not the field's own (units)
	Docs        *DocsBox       // documents of the proposal (shown while it is a proposal)
	Free        bool           // the proposed value is not in the offered list
}

// DocsBox is the documents of one proposal: what it still needs, what is attached, and the upload
// form (htmx with a progress bar, or a plain multipart form).
type DocsBox struct {
	Base     string   // where the form's URLs start: "" for the PNS, /operator/pns/<nip> for an operator
	Key      string   // the proposal's entry key
	DomID    string   // the box's element id
	Back     string   // where a plain form returns to
	Need     []string // documents still missing
	Kinds    []string // what may be uploaded (needed first, then optional)
	Attached []DocLink
	Error    string
	Locked   bool
}

// DocLink is one attached document.
type DocLink struct {
	ID   uint64
	Kind string
	Name string
	Size string
}

// TableView is one history table of Data Riwayat: master rows and proposed rows side by side.
type TableView struct {
	Base    string // where the form's URLs start: "" for the PNS, /operator/pns/<nip> for an operator
	Key     string
	Label   string
	DomID   string
	BKN     bool
	Checked bool // the PNS marked the table Sesuai
	Locked  bool
	Rows    []RowView
	Form    *RowForm // the add/change/remove form, when open
	Docs    []string // documents a proposal needs
	Units   []string // unit names offered for a free-value unit field
}

// RowView is one row: its master content and what the PNS proposes for it.
type RowView struct {
	ID     string
	Key    string // entry key
	DomID  string
	State  string // "", store.OpTambah, store.OpUbah, store.OpHapus
	Old    string
	New    string
	Reason string
	Docs   *DocsBox
}

// RowForm is the form to add, change or remove a row.
type RowForm struct {
	Base        string // where the form's URLs start: "" for the PNS, /operator/pns/<nip> for an operator
	Table       string
	RowID       string
	Op          string
	Action      string
	Inputs      []RowInput
	Reason      string
	ReasonError string
	Old         string // the row as the master holds it (change, remove)
}

// RowInput is one field of the row form.
type RowInput struct {
	Field store.Field
	Value string
	Error string
	List  string // datalist id for a long list that accepts free values
}

// PrintProps is the summary page a PNS prints after Kirim.
type PrintProps struct {
	Nama     string
	NIP      string
	Unit     string
	Instansi string
	ID       uint64
	SentAt   string
	State    string
	Lines    []LineView
	Printed  string
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
	Base       string // prefix of every form URL: "" (the PNS) or "/operator/pns/<nip>"
	OnBehalf   string // "Nama (NIP …)" when an operator fills the form for that PNS
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
	Tables     []TableView // the riwayat tab
	UnitNames  []string    // for the free-value list of units
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
