package views

import "pupns/store"

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
