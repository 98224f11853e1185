package views

import (
	"net/url"
	"testing"
)

// TestPNSListPageURLKeepsTheSearch: the pager's links carry the list's search with its filter, so
// the next page is the next page of the same search.
func TestPNSListPageURLKeepsTheSearch(t *testing.T) {
	p := PNSListProps{State: "terkirim", SKPD: "U01", Search: "sitï nur"}
	u, err := url.Parse(p.PageURL("QUJD"))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Path != "/ringkasan/pns" || q.Get("cari") != "sitï nur" || q.Get("setelah") != "QUJD" || q.Get("status") != "terkirim" || q.Get("skpd") != "U01" {
		t.Fatalf("PageURL = %s", u)
	}
	if got := (PNSListProps{State: "master"}).PageURL(""); got != PNSListURL("master", "", "", "") {
		t.Fatalf("without a search PageURL = %s, want %s", got, PNSListURL("master", "", "", ""))
	}
}
