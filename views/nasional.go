package views

import "net/url"

// NationalRow is one instansi (or one Kanreg's sum) on the national progress page, written for
// people: counts the Indonesian way, shares as percentages.
type NationalRow struct {
	ID     string
	Name   string
	PNS    string // PNS in the master data
	Sent   string // share sent
	Done   string // share done
	Levels string // waiting at Level 1 / 2 / 3 / 4
	// DataPer is when the office took the snapshot; Stale marks one older than three intervals.
	DataPer string
	Stale   bool
}

// NationalGroup is one Kanreg (or BKN Pusat's own instansi pusat): its sum, then its instansi.
type NationalGroup struct {
	ID       string // the Kanreg code, "" for BKN Pusat's own
	Label    string
	Total    NationalRow
	Instansi []NationalRow
}

// NationalProps is the national progress page of a hub: per Kanreg, then per instansi.
type NationalProps struct {
	Hub     string // "Kanreg I BKN Yogyakarta" or "BKN Pusat"
	Kanreg  string // the filter ("" = all)
	Kanregs []Option
	Groups  []NationalGroup
	Empty   bool
}

// NationalNCRow is one instansi of the national non-compliance list.
type NationalNCRow struct {
	ID, Name, Kanreg string
	PNS              string
	NotDone          string   // share of its PNS not done
	Counts           []string // per category, in the order of Kinds
	Total            string
	DataPer          string
	Stale            bool
}

// NationalComplianceProps is the national non-compliance list: every instansi, the largest share
// not done first, filterable by Kanreg, with a CSV.
type NationalComplianceProps struct {
	Hub     string
	Kanreg  string
	Kanregs []Option
	Kinds   []string // the categories' labels
	Rows    []NationalNCRow
}

// NationalURL is the national progress page, of one Kanreg when kanreg is given.
func NationalURL(kanreg string) string { return withKanreg("/nasional", kanreg) }

// NationalComplianceURL is the national non-compliance list, of one Kanreg when kanreg is given.
func NationalComplianceURL(kanreg string) string {
	return withKanreg("/nasional/ketidakpatuhan", kanreg)
}

// NationalComplianceCSVURL is that list as CSV, filtered like the page.
func NationalComplianceCSVURL(kanreg string) string {
	return withKanreg("/nasional/ketidakpatuhan.csv", kanreg)
}

func withKanreg(path, kanreg string) string {
	if kanreg == "" {
		return path
	}
	return path + "?kanreg=" + url.QueryEscape(kanreg)
}
