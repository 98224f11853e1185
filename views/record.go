package views

import "pupns/store"

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

// Progress counts the fields looked at.
type Progress struct {
	Checked   int
	Total     int
	Proposals int
	Locked    bool
	OOB       bool // sent beside another fragment: htmx swaps it into the page by its id
}

// FieldMessageProps is the message under a field's input: an error, or that the value was saved.
type FieldMessageProps struct {
	Key   string
	Error string
	Saved bool
	Note  string // what autosave did not do yet, and why (no reason written, value unchanged)
}

// TabLink is one entry of the tab bar.
type TabLink struct {
	Key     string
	Label   string
	Active  bool
	Checked int // of Total things on the tab, how many the PNS has looked at (store.Form.TabProgress)
	Total   int
	OOB     bool // sent beside another fragment: htmx swaps the tab's count into the page by its id
}

// MissingGroup is what blocks Kirim on one tab: the real problems one by one, then what is not
// looked at yet, counted.
type MissingGroup struct {
	Tab       string
	Href      string // the tab
	Problems  []MissingItem
	Unchecked []MissingItem
}

// ConfirmRest asks before "mark the rest Sesuai": it names every field and table it will mark.
type ConfirmRest struct {
	Action string // the POST that marks them
	Cancel string // back to the tab
	Labels []string
}

// MissingItem is one reason Kirim is refused, with where to fix it.
type MissingItem struct {
	Tab       string
	Label     string
	Problem   string
	Href      string
	Unchecked bool // not looked at yet (counted per tab, not a problem of its own)
}

// RecordProps is the PNS's form page.
type RecordProps struct {
	Base     string // prefix of every form URL: "" (the PNS) or "/operator/pns/<nip>"
	OnBehalf string // "Nama (NIP …)" when an operator fills the form for that PNS
	Name     string
	NIP      string
	Instansi string
	Unit     string
	Tabs     []TabLink
	Tab      string
	TabLabel string
	Rows     []FieldRow
	Derived  []ReadOnly
	Progress Progress
	Missing  []MissingItem
	Groups   []MissingGroup // Missing by tab, as the list shows it
	// MissingOnTop puts the list of what blocks Kirim at the top of the page (the whole-page
	// answer to a refused Kirim without JavaScript, which lands at the top).
	MissingOnTop bool
	Confirm      *ConfirmRest // "mark the rest Sesuai" asked, not yet confirmed
	Problems     []Problem    // the error summary of a refused save (a page without JavaScript)
	Status       *StatusSummary
	CanKirim     bool
	EditingKey   string
	Tables       []TableView // the riwayat tab
	UnitNames    []string    // for the free-value list of units
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
