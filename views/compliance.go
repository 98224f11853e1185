package views

import (
	"net/url"
	"strconv"
)

// NonCompliantRow is one PNS of the non-compliance list, written for people.
type NonCompliantRow struct {
	NIP       string // 18 digits, for URLs
	NIPShown  string
	Name      string
	Unit      string
	SKPD      string
	Kategori  string // the category's label
	Kedudukan string // the kedudukan hukum's label
	Closed    bool   // marked 90 by the close: the admin may restore
	TMS       []string
	Alasan    string // the reason typed when a restore was refused
	Error     string // why the restore was refused
}

// ComplianceProps is the non-compliance list page: the filter, one page of rows and the admin's
// actions (print per SKPD, CSV, the close, restores).
type ComplianceProps struct {
	SKPD, Kategori string
	SKPDs          []Option
	Kinds          []Option
	Rows           []NonCompliantRow
	Next           string
	First          bool
	Admin          bool
}

// CompliancePrintProps is the printable list of one SKPD with the signature block of its head.
type CompliancePrintProps struct {
	SKPD    string
	Date    string // the day it is printed, written in Indonesian
	Count   string
	Rows    []NonCompliantRow
	Printed string
}

// CloseProps is the confirmation page of the close: the count, the list, the typed confirmation.
type CloseProps struct {
	Count      int
	CountShown string
	Rows       []NonCompliantRow
	Typed      string
	Error      string
}

// ComplianceURL is the non-compliance list filtered by SKPD and category, from the cursor after.
func ComplianceURL(skpd, kategori, after string) string {
	q := url.Values{}
	for k, v := range map[string]string{"skpd": skpd, "kategori": kategori, "setelah": after} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return "/ketidakpatuhan"
	}
	return "/ketidakpatuhan?" + q.Encode()
}

// CompliancePrintURL is the printable list of one SKPD.
func CompliancePrintURL(skpd string) string {
	return "/ketidakpatuhan/cetak?skpd=" + url.QueryEscape(skpd)
}

// ComplianceCSVURL is the list as CSV, filtered like the page.
func ComplianceCSVURL(skpd, kategori string) string {
	return "/ketidakpatuhan.csv?skpd=" + url.QueryEscape(skpd) + "&kategori=" + url.QueryEscape(kategori)
}

// CloseURL is the close's confirmation page (GET) and the close itself (POST).
const CloseURL = "/ketidakpatuhan/tutup"

// RestoreURL reverses the close for one PNS.
func RestoreURL(nip string) string { return "/ketidakpatuhan/pns/" + nip + "/pulihkan" }

// idx is a row's number in a printed list, from 1.
func idx(i int) string { return strconv.Itoa(i + 1) }
