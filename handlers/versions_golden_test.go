package handlers

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pupns/store"
	"pupns/views"
)

var updateVersionsPage = flag.Bool("update-versions-page", false, "rewrite testdata/versions_page.golden.html")

// TestVersionsPageAsBefore: the versions page (/riwayat for the PNS, the verifier's view of it)
// shows exactly what it showed when every version was stored as a full copy
// (testdata/versions_page.golden.html, written by that code): fields changed, added and removed,
// history rows added, changed, reordered and removed, a move to another unit.
func TestVersionsPageAsBefore(t *testing.T) {
	w := newWorld(t)
	rec, err := w.st.Record(nipBudi)
	if err != nil {
		t.Fatal(err)
	}
	put := func() {
		t.Helper()
		if _, _, bad, err := w.st.PutMaster([]store.MasterInput{{Record: rec, Line: 1}}, "admin", "impor ulang"); err != nil || len(bad) > 0 {
			t.Fatalf("PutMaster: %v %v", bad, err)
		}
		w.clock.Add(3600e9)
	}
	rec.Fields["alamat"] = "Jl. Pahlawan No. 3, Semarang"
	rec.Fields["npwp"] = "012345678901234"
	rec.Riwayat["golongan"] = append(rec.Riwayat["golongan"], store.Row{ID: "g2", Fields: map[string]string{"golongan": "32", "tmt_golongan": "2019-04-01", "jenis_kp": "101"}})
	put()
	delete(rec.Fields, "npwp")
	rec.UnitID = "U01"
	rec.Riwayat["golongan"] = []store.Row{rec.Riwayat["golongan"][1], {ID: "g1", Fields: map[string]string{"golongan": "31", "tmt_golongan": "2015-05-01", "jenis_kp": "211", "nomor_sk": "800/12"}}}
	delete(rec.Riwayat, "pendidikan")
	put()

	var pages []string
	for _, c := range []struct{ login, path string }{{nipBudi, "/riwayat"}, {"v2", views.VersionsURL(nipBudi)}} {
		r := w.as(c.login).get(c.path)
		if r.status != 200 {
			t.Fatalf("%s as %s: %d", c.path, c.login, r.status)
		}
		i, j := strings.Index(r.body, "<main>"), strings.Index(r.body, "</main>")
		if i < 0 || j < i {
			t.Fatalf("%s: no main", c.path)
		}
		pages = append(pages, r.body[i:j+len("</main>")])
	}
	got := strings.Join(pages, "\n")
	golden := filepath.Join("testdata", "versions_page.golden.html")
	if *updateVersionsPage {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("the versions page differs from %s:\n%s", golden, got)
	}
}
