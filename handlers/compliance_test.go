package handlers

import (
	"encoding/csv"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/store/storetest"
)

func TestCSVSafeNeutralisesFormulas(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+62": "'+62", "-Sri": "'-Sri", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "\rx": "'\rx", "Budi": "Budi", "": "", "15.000": "15.000"} {
		if got := store.CellSafe(in); got != want {
			t.Errorf("CellSafe(%q) = %q, want %q", in, got, want)
		}
	}
	for n, want := range map[int]string{0: "0", 999: "999", 15000: "15.000", 100000: "100.000", 4560000: "4.560.000"} {
		if got := fmtCount(n); got != want {
			t.Errorf("fmtCount(%d) = %q, want %q", n, got, want)
		}
	}
}

// readCSV parses a CSV answer (after its byte-order mark) into rows.
func readCSV(t *testing.T, r resp) [][]string {
	t.Helper()
	if r.status != fiber.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv; charset=utf-8") {
		t.Fatalf("CSV answer %d %q", r.status, r.header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestComplianceCSVNeutralisesNames(t *testing.T) {
	w := newWorld(t)
	// A unit whose name is a formula, and a PNS whose name starts with a dash.
	if err := w.st.PutUnit(store.Unit{ID: "U03", InstansiID: "P33", Name: `=HYPERLINK("http://contoh.invalid","klik")`}); err != nil {
		t.Fatal(err)
	}
	m := storetest.Master("198003032005011004", "U03", "-Eko Prasetyo", "1980-03-03", "1", storetest.NIK("198003032005011004", 5), "2005-01-01", "2006-01-01")
	if _, _, bad, err := w.st.PutMaster([]store.MasterInput{m}, "test", "fixture"); err != nil || len(bad) > 0 {
		t.Fatalf("%v %v", err, bad)
	}
	rows := readCSV(t, w.as(storetest.LoginAdmin).get("/ketidakpatuhan.csv"))
	if rows[0][1] != "NIP" {
		t.Fatalf("header %v", rows[0])
	}
	var eko []string
	for _, r := range rows[1:] {
		if r[1] == "198003032005011004" {
			eko = r
		}
	}
	if eko == nil || eko[2] != "'-Eko Prasetyo" || !strings.HasPrefix(eko[3], "'=HYPERLINK") || !strings.HasPrefix(eko[4], "'=HYPERLINK") {
		t.Fatalf("Eko's row %q, want every formula neutralised", eko)
	}
}

func TestComplianceScopedByRole(t *testing.T) {
	w := newWorld(t)
	w.addRegistrationData()
	// Level 1 of U02 (Dinkes) sees Made (belum kirim) and Dewi (belum aktivasi), nobody of U01.
	body := w.as(storetest.LoginV1Dinkes).get("/ketidakpatuhan").body
	contains(t, "Level 1 U02", body, "pns-"+storetest.NIPMade, "pns-"+storetest.NIPDewi, "Registrasi belum diaktifkan")
	for _, nip := range []string{storetest.NIPBudi, storetest.NIPSri, storetest.NIPAgus} {
		if strings.Contains(body, "pns-"+nip) {
			t.Errorf("Level 1 of U02 sees %s", nip)
		}
	}
	if r := w.as(storetest.LoginV1Dinkes).get("/ketidakpatuhan/cetak?skpd=U01"); r.status != fiber.StatusForbidden {
		t.Errorf("Level 1 of U02 printed U01: %d", r.status)
	}
	// Level 2 of P33 sees all five; its print of U01 carries the head's signature block.
	v2 := w.as(storetest.LoginV2)
	rows := readCSV(t, v2.get("/ketidakpatuhan.csv"))
	if len(rows) != 6 {
		t.Errorf("Level 2 CSV has %d rows, want header + 5", len(rows))
	}
	p := v2.get("/ketidakpatuhan/cetak?skpd=U01")
	contains(t, "print", p.body, "Dinas Pendidikan", "Kepala Dinas Pendidikan", "NIP: ___", store.FormatNIP(storetest.NIPBudi))
	// Level 2 of the ministry sees nobody of P33.
	if rows := readCSV(t, w.as(storetest.LoginV2Pusat).get("/ketidakpatuhan.csv")); len(rows) != 1 {
		t.Errorf("Level 2 of K01 sees %d rows", len(rows)-1)
	}
}

func TestCloseAndRestoreOverHTTP(t *testing.T) {
	w := newWorld(t)
	w.addRegistrationData()
	admin := w.as(storetest.LoginAdmin)
	contains(t, "confirmation", admin.get("/ketidakpatuhan/tutup").body, `id="jumlah-ditutup">5<`, "Dewi Lestari")
	r := admin.post("/ketidakpatuhan/tutup", url.Values{"konfirmasi": {"4"}})
	if r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, `id="msg-konfirmasi"`) {
		t.Fatalf("wrong count: %d", r.status)
	}
	if rec, _ := w.st.Record(storetest.NIPMade); rec.Fields["kedudukan_hukum"] != "01" {
		t.Fatal("a refused close changed Made")
	}
	r = admin.post("/ketidakpatuhan/tutup", url.Values{"konfirmasi": {"5"}})
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/ketidakpatuhan" {
		t.Fatalf("close: %d %q", r.status, r.header.Get("Location"))
	}
	contains(t, "flash", admin.get("/ketidakpatuhan").body, "5 PNS ditandai kedudukan hukum 90", "pulihkan-"+storetest.NIPMade)
	if rec, _ := w.st.Record(storetest.NIPMade); rec.Fields["kedudukan_hukum"] != "90" {
		t.Fatal("Made not marked")
	}
	r = admin.post("/ketidakpatuhan/pns/"+storetest.NIPMade+"/pulihkan", url.Values{"alasan": {""}})
	if r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, `id="msg-alasan-`+storetest.NIPMade+`"`) {
		t.Fatalf("restore without a reason: %d", r.status)
	}
	r = admin.post("/ketidakpatuhan/pns/"+storetest.NIPMade+"/pulihkan", url.Values{"alasan": {"registrasi susulan"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("restore: %d", r.status)
	}
	if rec, _ := w.st.Record(storetest.NIPMade); rec.Fields["kedudukan_hukum"] != "01" {
		t.Fatal("Made not restored")
	}
	// The audit shows the restore, filtered by NIP and kind; its CSV too.
	a := admin.get("/admin/peristiwa?nip=" + storetest.NIPMade + "&jenis=" + store.EventRestore)
	contains(t, "audit", a.body, "registrasi susulan", "pemulihan: kedudukan hukum 90")
	if strings.Contains(a.body, "penutupan PUPNS (") {
		t.Error("the kind filter let the close through")
	}
	rows := readCSV(t, admin.get("/admin/peristiwa.csv?nip="+storetest.NIPMade))
	if len(rows) < 3 || rows[1][6] != store.EventRestore || rows[2][6] != store.EventClose {
		t.Errorf("audit CSV %q", rows)
	}
	if r := admin.get("/admin/peristiwa?dari=30-11-2026"); r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, `id="msg-dari"`) {
		t.Errorf("bad date: %d", r.status)
	}
}

// TestNavigationLeadsToTheCampaignPages: the non-compliance list is reached from the navigation of
// those who may see it (admin, Level 2, Level 1) and the event log from the admin's; a PNS and a
// Level 3 verifier are shown neither.
func TestNavigationLeadsToTheCampaignPages(t *testing.T) {
	w := newWorld(t)
	for _, c := range []struct {
		login      string
		list, logs bool
	}{
		{storetest.LoginAdmin, true, true}, {storetest.LoginV2, true, false}, {storetest.LoginV1, true, false},
		{storetest.LoginV3, false, false}, {nipBudi, false, false},
	} {
		r := w.as(c.login).get("/akun/sandi")
		if got := strings.Contains(r.body, `id="nav-ketidakpatuhan"`); got != c.list {
			t.Errorf("%s: link to the non-compliance list %v, want %v", c.login, got, c.list)
		}
		if got := strings.Contains(r.body, `id="nav-peristiwa"`); got != c.logs {
			t.Errorf("%s: link to the event log %v, want %v", c.login, got, c.logs)
		}
	}
}
