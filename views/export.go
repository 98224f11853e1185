package views

// The export page (/admin/ekspor) of the admin (the office) and a Level 2 verifier (their
// instansi): the form that starts an export, the exports started, and one export's progress and
// download. Its URLs live here with it.

// ExportURL is the export page; POST starts an export.
const ExportURL = "/admin/ekspor"

// ExportJobURL is one export's progress page.
func ExportJobURL(id string) string { return ExportURL + "/" + id }

// ExportFileURL downloads an export's file (byte ranges: a broken download resumes).
func ExportFileURL(id string) string { return ExportURL + "/" + id + "/unduh" }

// ExportProps is the export page: the form (with what was typed and the refusal at each field)
// and the exports this account started.
type ExportProps struct {
	Kinds, Formats, Instansi, Units []Option
	States, Categories              []Option
	From, To                        string
	Errors                          map[string]string // form field → message
	Problems                        []Problem
	Jobs                            []ExportJobRow
}

// ExportJobRow is one export as the list and its own page show it.
type ExportJobRow struct {
	ID       string
	Kind     string // the kind's label
	Format   string
	Filter   string // the filter in words ("" for none)
	Started  string
	State    string // "berjalan", "selesai" or "gagal", for people
	Running  bool
	Done     bool
	Percent  int
	Progress string // "1.024 dari 100.000 dibaca"
	Rows     string
	Size     string
	Error    string
	FileName string
}
