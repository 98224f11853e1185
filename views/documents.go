package views

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
