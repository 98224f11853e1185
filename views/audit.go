package views

import "net/url"

// AuditRow is one event of the log, written for people.
type AuditRow struct {
	Seq        string
	At         string
	Actor      string
	OnBehalfOf string
	NIP        string
	Kind       string
	Detail     string
}

// AuditFilter is what the admin typed into the log's filter, as typed.
type AuditFilter struct {
	NIP, Actor, OnBehalfOf, Kind, From, To string
}

// Query is the filter as URL parameters (empty ones left out).
func (f AuditFilter) Query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"nip": f.NIP, "pelaku": f.Actor, "atas_nama": f.OnBehalfOf, "jenis": f.Kind, "dari": f.From, "sampai": f.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// AuditProps is the admin's page of the event log.
type AuditProps struct {
	Filter  AuditFilter
	Kinds   []Option
	Rows    []AuditRow
	Next    string
	Partial bool // the page stopped at the scan bound: more may follow
	First   bool
	Error   string
	ErrorAt string // the field the error concerns
}

// AuditURL is the event log filtered by f, from the cursor before ("" for the newest).
func AuditURL(f AuditFilter, before string) string {
	q := f.Query()
	if before != "" {
		q.Set("sebelum", before)
	}
	if len(q) == 0 {
		return "/admin/peristiwa"
	}
	return "/admin/peristiwa?" + q.Encode()
}

// AuditCSVURL is the event log as CSV with the same filter.
func AuditCSVURL(f AuditFilter) string { return "/admin/peristiwa.csv?" + f.Query().Encode() }
