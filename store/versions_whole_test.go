package store_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"pupns/store"
)

var updateVersionsGolden = flag.Bool("update-versions-golden", false, "rewrite testdata/versions_golden.json")

// versionSnapshots keeps, per NIP and version, the record as Record returned it right after the
// write that made the version: what a version must show whole.
type versionSnapshots map[string]map[int]string

func (vs versionSnapshots) take(t *testing.T, s *store.Store, nips ...string) {
	t.Helper()
	for _, nip := range nips {
		rec, err := s.Record(nip)
		fxMust(t, err)
		raw, err := json.Marshal(rec)
		fxMust(t, err)
		if vs[nip] == nil {
			vs[nip] = map[int]string{}
		}
		if old, ok := vs[nip][rec.Version]; ok && old != string(raw) {
			t.Fatalf("%s version %d changed without a new version", nip, rec.Version)
		}
		vs[nip][rec.Version] = string(raw)
	}
}

// check fails unless every version of every NIP shows the record it was written as.
func (vs versionSnapshots) check(t *testing.T, s *store.Store) {
	t.Helper()
	for nip, byVer := range vs {
		vers, err := s.Versions(nip)
		fxMust(t, err)
		if len(vers) != len(byVer) {
			t.Fatalf("%s has %d versions, %d were written", nip, len(vers), len(byVer))
		}
		for _, v := range vers {
			raw, err := json.Marshal(v.Record)
			fxMust(t, err)
			if string(raw) != byVer[v.Version] {
				t.Fatalf("%s version %d shows\n%s\nwritten as\n%s", nip, v.Version, raw, byVer[v.Version])
			}
		}
	}
}

// runToDone has every level approve every line of the submission until it is done.
func (f *fx) runToDone(sub store.Submission) {
	f.t.Helper()
	for range 6 {
		var err error
		if sub.State == store.StateDone {
			return
		}
		v := map[int]store.Actor{1: f.v1U01, 2: f.v2}[sub.State.Level()]
		sub, err = f.s.Submission(v, sub.ID)
		if err != nil {
			f.t.Fatalf("#%d in %s: %v", sub.ID, sub.State, err)
		}
		for _, i := range sub.ReviewLines() {
			f.decide(v, sub.ID, sub.Lines[i].Field, store.Setuju, "")
		}
		sub = f.forward(v, sub.ID)
	}
	f.t.Fatalf("submission #%d not done", sub.ID)
}

// versionsOffice runs every kind of write that makes a version: the import, a proposal approved
// (fields and a new history row) with the self assessment, master updates that add, change,
// reorder and remove history rows, remove a field and move the unit, the close and a restore.
func versionsOffice(t *testing.T) (*fx, versionSnapshots) {
	f := newFx(t)
	snaps := versionSnapshots{}
	all := []string{nipBudi, nipSiti, nipAgus, nipDedi}
	snaps.take(t, f.s, all...)

	row, _, err := f.s.ProposeRow(f.budi, nipBudi, "diklat_fungsional", "", store.OpTambah,
		map[string]string{"nama_diklat": "Bimtek Arsip", "penyelenggara": "ANRI", "tahun": "2015", "jumlah_jam": "40"}, "sertifikat")
	fxMust(t, err)
	f.attachDocs(f.budi, row.Field)
	_, _, err = f.s.Autosave(f.budi, nipBudi, "bahasa_asing", "Inggris (menengah)", "kursus")
	fxMust(t, err)
	sub := f.send(f.budi, usulHP, usulAlamat)
	snaps.take(t, f.s, nipBudi) // the self assessment, applied at Kirim
	f.runToDone(sub)
	snaps.take(t, f.s, nipBudi)

	siti, err := f.s.Record(nipSiti)
	fxMust(t, err)
	siti.Fields["alamat"] = "Jl. Pahlawan No. 3, Semarang"
	siti.Riwayat = map[string][]store.Row{"golongan": {
		{ID: "g1", Fields: map[string]string{"golongan": "31", "tmt_golongan": "2014-02-01", "jenis_kp": "211"}},
		{ID: "g2", Fields: map[string]string{"golongan": "32", "tmt_golongan": "2018-04-01", "jenis_kp": "101"}},
	}}
	f.putMasters(siti)
	snaps.take(t, f.s, nipSiti)
	siti.Riwayat["golongan"] = []store.Row{
		{ID: "g3", Fields: map[string]string{"golongan": "33", "tmt_golongan": "2022-04-01", "jenis_kp": "101"}},
		{ID: "g1", Fields: map[string]string{"golongan": "31", "tmt_golongan": "2014-02-01", "jenis_kp": "211", "nomor_sk": "800/1"}},
	}
	siti.Riwayat["pendidikan"] = []store.Row{{ID: "p1", Fields: map[string]string{"tingkat": "40", "nama_sekolah": "UNDIP", "tahun_lulus": "2012"}}}
	delete(siti.Fields, "no_karpeg")
	siti.UnitID = unitU02
	f.putMasters(siti)
	snaps.take(t, f.s, nipSiti)
	delete(siti.Riwayat, "golongan")
	f.putMasters(siti)
	snaps.take(t, f.s, nipSiti)

	admin := store.Actor{Login: "admin", Role: store.RoleAdmin, Name: "Admin"}
	page, err := f.s.NonCompliance(admin, store.NonComplianceFilter{})
	fxMust(t, err)
	_, err = f.s.CloseCampaign(admin, len(page.Items))
	fxMust(t, err)
	snaps.take(t, f.s, all...)
	_, err = f.s.Restore(admin, nipAgus, "terlambat karena sakit")
	fxMust(t, err)
	snaps.take(t, f.s, nipAgus)
	return f, snaps
}

// TestVersionsAnswerAsBefore: every version of every record shows the record as it was written,
// and Versions and History answer exactly what the code storing full copies answered
// (testdata/versions_golden.json, written by that code).
func TestVersionsAnswerAsBefore(t *testing.T) {
	f, snaps := versionsOffice(t)
	snaps.check(t, f.s)
	var got []any
	for _, nip := range []string{nipBudi, nipSiti, nipAgus, nipDedi} {
		vers, err := f.s.Versions(nip)
		fxMust(t, err)
		rec, hist, err := f.s.History(f.v2, nip)
		fxMust(t, err)
		got = append(got, vers, rec, hist)
	}
	raw, err := json.MarshalIndent(got, "", " ")
	fxMust(t, err)
	golden := filepath.Join("testdata", "versions_golden.json")
	if *updateVersionsGolden {
		fxMust(t, os.MkdirAll("testdata", 0o755))
		fxMust(t, os.WriteFile(golden, raw, 0o644))
	}
	want, err := os.ReadFile(golden)
	fxMust(t, err)
	if string(raw) != string(want) {
		t.Fatalf("Versions and History answer differently from %s:\n%s", golden, raw)
	}
}
