package handlers

import (
	"net/url"
	"strings"
	"testing"

	"pupns/store"
	"pupns/store/storetest"
)

// TestAuditShowsAFoldedRun: a PNS types into one field (five autosave pauses, then Simpan); the
// admin's event log page and its CSV show one proposal event with the last value, the reason and
// the run (how many saves since when).
func TestAuditShowsAFoldedRun(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	for _, v := range []string{"Ke", "Ken", "Kend", "Kenda", "Kendal"} {
		if r := pns.hx("POST", "/data/utama/tempat_lahir", url.Values{"nilai": {v}, "alasan": {"sesuai akta"}}, "msg-tempat_lahir"); r.status != 200 {
			t.Fatalf("autosave %q: %d\n%s", v, r.status, r.body)
		}
	}
	if r := pns.hx("POST", "/data/utama/tempat_lahir", url.Values{"nilai": {"Kendal Kota"}, "alasan": {"sesuai akta"}}, "f-tempat_lahir"); r.status != 200 {
		t.Fatalf("Simpan: %d", r.status)
	}
	admin := w.as(storetest.LoginAdmin)
	page := admin.get("/admin/peristiwa?nip=" + nipBudi + "&jenis=" + store.EventPropose)
	contains(t, "audit page", page.body, "Kendal Kota", "6 kali disimpan sejak", "sesuai akta")
	if n := strings.Count(page.body, "kali disimpan"); n != 1 {
		t.Errorf("audit page shows %d runs, want 1", n)
	}
	rows := readCSV(t, admin.get("/admin/peristiwa.csv?nip="+nipBudi+"&jenis="+store.EventPropose))
	if len(rows) != 2 || rows[1][2] != nipBudi || !strings.Contains(rows[1][7], `"Kendal Kota"`) || !strings.Contains(rows[1][7], "6 kali disimpan sejak") {
		t.Fatalf("audit CSV %q", rows)
	}
}
