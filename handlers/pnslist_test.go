package handlers

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"pupns/store"
	"pupns/store/storetest"
)

// TestPNSListBehindEveryNumber: the list a number links to holds the PNS it counts, in the
// viewer's scope; it pages, prints and downloads as CSV (formula cells neutralised); a Level 1
// verifier asking for another SKPD gets the form again with the message at the field (422).
func TestPNSListBehindEveryNumber(t *testing.T) {
	w := newWorld(t)
	kirimBudi(t, w) // Budi (U01.01, under SKPD U01) sent; Sri (U01) and Made (U02) did not
	admin := w.as(storetest.LoginAdmin)

	r := admin.get("/ringkasan/pns?status=terkirim")
	contains(t, "sent list", r.body, `<h1>Sudah mengirim</h1>`, `1 PNS`, store.FormatNIP(nipBudi))
	if strings.Contains(r.body, store.FormatNIP(nipSri)) || strings.Contains(r.body, store.FormatNIP(nipMade)) {
		t.Fatal("the list of those who sent holds someone who did not")
	}
	r = admin.get("/ringkasan/pns?status=belum&skpd=U02")
	contains(t, "not started in U02", r.body, store.FormatNIP(nipMade), `1 PNS`)
	if strings.Contains(r.body, store.FormatNIP(nipSri)) {
		t.Fatal("the SKPD filter let another SKPD's PNS through")
	}

	v1 := w.as(storetest.LoginV1) // Level 1 of U01
	r = v1.get("/ringkasan/pns?status=master")
	if strings.Contains(r.body, store.FormatNIP(nipMade)) || !strings.Contains(r.body, store.FormatNIP(nipSri)) {
		t.Fatalf("Level 1 of U01 sees the wrong PNS:\n%s", r.body)
	}
	r = v1.get("/ringkasan/pns?status=master&skpd=U02")
	if r.status != 422 || !strings.Contains(r.body, `id="msg-unit"`) || !strings.Contains(r.body, `id="ringkasan-galat-daftar"`) ||
		strings.Contains(r.body, store.FormatNIP(nipMade)) {
		t.Fatalf("Level 1 asking for another SKPD: %d\n%s", r.status, r.body)
	}
	if r = v1.get("/ringkasan/pns.csv?status=master&skpd=U02"); r.status != 422 {
		t.Fatalf("Level 1's CSV of another SKPD: %d", r.status)
	}

	r = admin.get("/ringkasan/pns.csv?status=master")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %d %s", r.status, r.header.Get("Content-Type"))
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(r.body, "\ufeff")), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "NIP,Nama,Unit,SKPD,Status") {
		t.Fatalf("CSV lines %q", lines)
	}
	r = admin.get("/ringkasan/pns/cetak?status=master&skpd=U01")
	contains(t, "print", r.body, `id="cetak-tabel-pns"`, `Dinas Pendidikan`, store.FormatNIP(nipBudi), store.FormatNIP(nipSri))
}

// TestPNSListSearch: the list finds a PNS by the start of a word of the name (any case, any
// accents) or by NIP, keeps the search in the form, and refuses a search without two letters at its
// field (422).
func TestPNSListSearch(t *testing.T) {
	w := newWorld(t)
	admin := w.as(storetest.LoginAdmin)
	r := admin.get("/ringkasan/pns?status=master&cari=" + url.QueryEscape("WÂHYU"))
	contains(t, "name search", r.body, store.FormatNIP(nipSri), `value="WÂHYU"`, `id="cari-pns-petunjuk"`)
	if strings.Contains(r.body, store.FormatNIP(nipBudi)) || strings.Contains(r.body, store.FormatNIP(nipMade)) {
		t.Fatalf("the search for Wahyuni lists others:\n%s", r.body)
	}
	r = admin.get("/ringkasan/pns?status=master&cari=" + url.QueryEscape(store.FormatNIP(nipMade)))
	contains(t, "NIP search", r.body, store.FormatNIP(nipMade))
	if strings.Contains(r.body, store.FormatNIP(nipSri)) {
		t.Fatal("the NIP search lists another PNS")
	}
	r = admin.get("/ringkasan/pns?status=master&cari=tidak+ada")
	contains(t, "no match", r.body, `Tidak ada PNS pada daftar ini yang cocok dengan pencarian.`)
	r = admin.get("/ringkasan/pns?status=master&cari=x")
	if r.status != 422 || !strings.Contains(r.body, `id="msg-cari"`) || !strings.Contains(r.body, `href="#in-cari"`) {
		t.Fatalf("a one-letter search: %d\n%s", r.status, r.body)
	}
}

// TestPNSListCSVNeutralisesFormulas: a name a spreadsheet would run as a formula arrives as text.
func TestPNSListCSVNeutralisesFormulas(t *testing.T) {
	w := newWorld(t)
	rec, err := w.st.Record(nipMade)
	if err != nil {
		t.Fatal(err)
	}
	rec.Fields["nama"] = "-Made Wirawan"
	if _, _, bad, err := w.st.PutMaster([]store.MasterInput{{Record: rec, Line: 1}}, "admin", "uji"); err != nil || len(bad) > 0 {
		t.Fatalf("master: %v %v", bad, err)
	}
	r := w.as(storetest.LoginAdmin).get("/ringkasan/pns.csv?status=master&skpd=U02")
	if !strings.Contains(r.body, `,'-Made Wirawan,`) {
		t.Fatalf("formula not neutralised:\n%s", r.body)
	}
}

// TestSummaryChartsMoveWithTheCampaign: the progress chart's totals, the oldest waiting and the
// verifiers' decisions follow Kirim and a decision, with the deadline of the filling window marked.
func TestSummaryChartsMoveWithTheCampaign(t *testing.T) {
	w := newWorld(t)
	today := w.clock.Now().In(time.FixedZone("WIB", 7*3600))
	end := today.AddDate(0, 0, 10)
	in := store.ScheduleInput{Zone: "WIB", Windows: map[store.WindowKind][2]store.DateInput{store.WindowFilling: {
		{Day: today.AddDate(0, 0, -5).Format("2"), Month: today.AddDate(0, 0, -5).Format("1"), Year: today.AddDate(0, 0, -5).Format("2006")},
		{Day: end.Format("2"), Month: end.Format("1"), Year: end.Format("2006")}}}}
	if err := w.st.SetSchedule(store.Actor{Login: "admin", Role: store.RoleAdmin}, in); err != nil {
		t.Fatal(err)
	}
	admin := w.as(storetest.LoginAdmin)
	r := admin.get("/ringkasan")
	contains(t, "before", r.body, `id="grafik-kemajuan"`, `Sampai `+shortDate(end)+`: 0 dari 3 PNS sudah mengirim, 0 selesai diverifikasi. Batas pengisian `+store.LongDate(end.Format(time.DateOnly)),
		`id="keputusan-verifikator"`)

	id := kirimBudi(t, w)
	w.clock.Add(50 * time.Hour)
	v1 := w.as(storetest.LoginV1)
	page := v1.get(fmt.Sprintf("/verifikasi/%d", id))
	if r := v1.post(fmt.Sprintf("/verifikasi/%d/baris/npwp", id), url.Values{"putusan": {"setuju"}, "rev": {revOf(t, page.body)}}); r.status != 303 {
		t.Fatalf("decide: %d %s", r.status, r.body)
	}
	r = w.as(storetest.LoginAdmin).get("/ringkasan") // a new login: two days outlast a session
	contains(t, "after", r.body, `1 dari 3 PNS sudah mengirim`, `terlama menunggu 2 hari`,
		`keputusan per hari: `+shortDate(w.clock.Now().In(time.FixedZone("WIB", 7*3600)))+`: 1.`)
}
