package store_test

import (
	"testing"

	"pupns/store"
)

// TestTabThatDoesNotApplyRefusesWrites: Data Guru and Data Dokter are not shown to a PNS whose
// jabatan is not a teacher's or a doctor's, so the store refuses a proposal there (a valid value
// or not), a Sesuai, "the rest is correct" on the tab and a withdrawal, all as not found, and
// stores nothing: no hidden proposal can ride along. Once the jabatan (as proposed) names a guru,
// the same proposal is accepted.
func TestTabThatDoesNotApplyRefusesWrites(t *testing.T) {
	f := newFx(t)
	before := len(f.eventKinds(nipBudi))
	guru, _ := store.TabByKey("guru")
	dokter, _ := store.TabByKey("dokter")
	for name, err := range map[string]error{
		"propose nuptk":       fxErrOf3(f.s.Propose(f.budi, nipBudi, "nuptk", "1234567890123456", "kartu baru")),
		"propose bad nuptk":   fxErrOf3(f.s.Propose(f.budi, nipBudi, "nuptk", "12", "kartu baru")),
		"propose bidi reason": fxErrOf3(f.s.Propose(f.budi, nipBudi, "mata_pelajaran", "Fisika", "baru\u202e")),
		"propose no_str":      fxErrOf3(f.s.Propose(f.budi, nipBudi, "no_str", "STR-001", "baru")),
		"sesuai nuptk":        fxErrOf(f.s.Confirm(f.budi, nipBudi, []string{"nuptk"}, false)),
		"sesuai guru tab":     fxErrOf(f.s.Confirm(f.budi, nipBudi, guru.CheckKeys(), true)),
		"sesuai dokter tab":   fxErrOf(f.s.Confirm(f.budi, nipBudi, dokter.CheckKeys(), true)),
		"withdraw nuptk":      fxErrOf(f.s.Withdraw(f.budi, nipBudi, "nuptk")),
	} {
		if err == nil {
			t.Errorf("%s: accepted on a tab that does not apply", name)
			continue
		}
		fxWantErr(t, err, store.ErrNotFound)
	}
	fxNothingStored(t, f, f.budi, "nuptk", before)
	form, err := f.s.Form(f.budi, nipBudi)
	fxMust(t, err)
	if len(form.Entries) != 0 {
		t.Fatalf("entries stored on tabs that do not apply: %+v", form.Entries)
	}

	// "The rest is correct" over every key still works: it marks what applies and skips the rest.
	f.confirmRest(f.budi)
	form, err = f.s.Form(f.budi, nipBudi)
	fxMust(t, err)
	if _, ok := form.Entries["nuptk"]; ok {
		t.Fatal("Sesuai for everything marked a field of Data Guru")
	}

	row := map[string]string{"jenis_jabatan": "2", "nama_jabatan": "Guru Ahli Pertama", "tmt_jabatan": "2024-01-01", "unit_organisasi": "Dinas Pendidikan"}
	_, _, err = f.s.ProposeRow(f.budi, nipBudi, "jabatan", "", store.OpTambah, row, "SK guru")
	fxMust(t, err)
	_, _, err = f.s.Propose(f.budi, nipBudi, "nuptk", "1234567890123456", "kartu baru")
	fxMust(t, err)
}

// TestReadOnlyFieldRefusesWrites: a read-only field (the NIP, the instansi induk) refuses a
// proposal and a Sesuai at the field, as its page shows no red cross.
func TestReadOnlyFieldRefusesWrites(t *testing.T) {
	f := newFx(t)
	for _, key := range []string{"nip", "instansi_induk"} {
		fxCheckFieldError(t, fxErrOf3(f.s.Propose(f.budi, nipBudi, key, "198609262015051002", "salah")), key)
		fxCheckFieldError(t, fxErrOf(f.s.Confirm(f.budi, nipBudi, []string{key}, false)), key)
	}
	form, err := f.s.Form(f.budi, nipBudi)
	fxMust(t, err)
	if len(form.Entries) != 0 {
		t.Fatalf("entries stored on read-only fields: %+v", form.Entries)
	}
}

// fxErrOf3 keeps the error of a call returning three values.
func fxErrOf3[A, B any](_ A, _ B, err error) error { return err }

// fxApplyingKeys lists what a PNS who is neither teacher nor doctor looks at: the check keys of
// every tab but Data Guru and Data Dokter ("the rest is correct" marks exactly these).
func fxApplyingKeys() []string {
	var out []string
	for _, t := range store.Tabs {
		if t.Only == "" {
			out = append(out, t.CheckKeys()...)
		}
	}
	return out
}
