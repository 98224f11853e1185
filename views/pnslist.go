package views

import (
	"net/url"
	"strings"
)

// PNSListRow is one PNS of a list behind a number of the monitoring page.
type PNSListRow struct {
	NIP, Name  string // NIP as shown (grouped)
	Unit, SKPD string
}

// PNSListProps is the list of PNS behind one number: the filter (state, SKPD, unit), one page of
// rows, and the links to print and CSV.
type PNSListProps struct {
	State, SKPD, Unit string
	StateLabel        string
	Total             string // how many PNS the whole list holds, written the Indonesian way
	States, SKPDs     []Option
	UnitName          string // the unit the list is narrowed to, when it is
	Rows              []PNSListRow
	Next              string
	First             bool
	Problems          []Problem
	Error             map[string]string // a message per field ("status", "skpd", "cari")
	Search            string            // the search typed: a name's words, a NIP or a nomor registrasi
}

// PageURL is this list (with its search) from the cursor after.
func (p PNSListProps) PageURL(after string) string {
	u := PNSListURL(p.State, p.SKPD, p.Unit, after)
	if p.Search == "" {
		return u
	}
	sep := "&"
	if !strings.Contains(u, "?") {
		sep = "?"
	}
	return u + sep + url.Values{"cari": {p.Search}}.Encode()
}

// PNSListPrintProps is the printable list: what it is, when, and every row.
type PNSListPrintProps struct {
	Title, Scope string
	Date         string
	Count        string
	Rows         []PNSListRow
	TooLong      bool // more rows than a printout holds: the page says to narrow it or take the CSV
	CSV          string
	Printed      string
}

// PNSListURL is the list of the PNS in a counted state, narrowed to an SKPD or a unit, from the
// cursor after.
func PNSListURL(state, skpd, unit, after string) string {
	return pnsListURL("/ringkasan/pns", state, skpd, unit, after)
}

// PNSListCSVURL is the whole list as CSV.
func PNSListCSVURL(state, skpd, unit string) string {
	return pnsListURL("/ringkasan/pns.csv", state, skpd, unit, "")
}

// PNSListPrintURL is the whole list to print.
func PNSListPrintURL(state, skpd, unit string) string {
	return pnsListURL("/ringkasan/pns/cetak", state, skpd, unit, "")
}

func pnsListURL(path, state, skpd, unit, after string) string {
	q := url.Values{}
	for k, v := range map[string]string{"status": state, "skpd": skpd, "unit": unit, "setelah": after} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
