package views

import (
	"fmt"
	"strings"
)

// Every URL and element id the app links to is built here, so the pages, the handlers' redirects
// and the routes in handlers/routes.go can be checked against one list. base is where a PNS's form
// starts: "" for the PNS's own form, OperatorBase(nip) for an operator filling it for that PNS.

// RiwayatTab is the form's tab of history tables (Data Riwayat).
const RiwayatTab = "riwayat"

// DomID is the element id of a field's row, a history table or a history row, by entry key (dots
// do not belong in ids that CSS selectors and htmx targets name).
func DomID(key string) string { return "f-" + strings.ReplaceAll(key, ".", "-") }

// LineID is the element id of a submission's line on the review page (row keys carry dots).
func LineID(field string) string { return "line-" + strings.ReplaceAll(field, ".", "-") }

// OperatorBase is where an operator's copy of a PNS's form starts.
func OperatorBase(nip string) string { return "/operator/pns/" + nip }

// FormURL is the form page, at tab when it is not "" and scrolled to the element anchor when
// that is not "".
func FormURL(base, tab, anchor string) string {
	u := base + "/data"
	if tab != "" {
		u += "?tab=" + tab
	}
	if anchor != "" {
		u += "#" + anchor
	}
	return u
}

// FormOpenURL is the form page at tab with one part opened by the query param=value (ubah=<field>,
// tambah=<table>, ubah= or hapus=<row key>), scrolled to anchor: the no-JavaScript way to open
// what htmx swaps in.
func FormOpenURL(base, tab, param, value, anchor string) string {
	return base + "/data?tab=" + tab + "&" + param + "=" + value + "#" + anchor
}

// FieldURL is a field's row; POST proposes a value, and /ubah, /sesuai and /batal follow it.
func FieldURL(base, tab, key string) string { return base + "/data/" + tab + "/" + key }

// FieldEditURL is the form page with a field's editor open (its red cross without JavaScript).
func FieldEditURL(base, tab, key string) string {
	return FormOpenURL(base, tab, "ubah", key, DomID(key))
}

// TabConfirmURL marks every field of a tab that is not yet looked at as Sesuai.
func TabConfirmURL(base, tab string) string { return base + "/data/" + tab + "/sesuai" }

// TableURL is a history table; POST adds a row, and /baru and /sesuai follow it.
func TableURL(base, table string) string { return base + "/data/" + RiwayatTab + "/" + table }

// RowURL is one row of a history table; POST changes it, and /ubah, /hapus and /batal follow it.
func RowURL(base, table, row string) string { return TableURL(base, table) + "/" + row }

// UploadURL takes a document for the proposal with entry key key.
func UploadURL(base, key string) string { return base + "/dokumen/usulan/" + key }

// DocURL opens an attached document; base + DocURL(id) + "/lepas" detaches it.
func DocURL(id uint64) string { return fmt.Sprintf("/dokumen/%d", id) }

// InboxURL is a verifier's inbox.
const InboxURL = "/verifikasi"

// ReviewURL is a verifier's page of one submission.
func ReviewURL(id uint64) string { return fmt.Sprintf("/verifikasi/%d", id) }

// ReviewLineURL is the review page scrolled to a line.
func ReviewLineURL(id uint64, field string) string { return ReviewURL(id) + "#" + LineID(field) }

// PreviewURL is the review page with document doc shown beside the line field.
func PreviewURL(id uint64, field string, doc uint64) string {
	return fmt.Sprintf("%s?pratinjau=%d#%s", ReviewURL(id), doc, LineID(field))
}

// DecideURL takes this level's decision on one line.
func DecideURL(id uint64, field string) string {
	return fmt.Sprintf("/verifikasi/%d/baris/%s", id, field)
}

// ForwardURL sends a submission on (Teruskan).
func ForwardURL(id uint64) string { return ReviewURL(id) + "/teruskan" }

// SendDownURL sends a submission one level down (turun status).
func SendDownURL(id uint64) string { return ReviewURL(id) + "/turun" }

// ReviewLiveURL is the event stream of the review page (query: the page's state).
func ReviewLiveURL(id uint64, query string) string { return ReviewURL(id) + "/langsung?" + query }

// VersionsURL is the versions of a PNS's record, for a verifier.
func VersionsURL(nip string) string { return "/verifikasi/pns/" + nip + "/riwayat" }

// InboxLiveURL is the event stream of the inbox count and, with the inbox page's query, its list.
func InboxLiveURL(query string) string { return InboxURL + "/langsung?" + query }
