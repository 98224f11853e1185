package store_test

import (
	"errors"
	"slices"
	"testing"

	"pupns/store"
)

// TestAutosaveNeedsAChangeAndAReason: what the PNS is still typing becomes a proposal only with a
// changed value and a reason; otherwise nothing is stored or logged and the answer says which is
// missing; a bad value is refused at the field as Propose refuses it.
func TestAutosaveNeedsAChangeAndAReason(t *testing.T) {
	f := newFx(t)
	events := len(f.eventKinds(nipBudi))
	_, _, err := f.s.Autosave(f.budi, nipBudi, "tempat_lahir", "xSemarang", "  ")
	fxWantErr(t, err, store.ErrNoReason)
	fxNothingStored(t, f, f.budi, "tempat_lahir", events)
	form, err := f.s.Form(f.budi, nipBudi)
	fxMust(t, err)
	_, _, err = f.s.Autosave(f.budi, nipBudi, "tempat_lahir", form.Record.MasterValue("tempat_lahir"), "salah ketik")
	fxWantErr(t, err, store.ErrUnchanged)
	fxNothingStored(t, f, f.budi, "tempat_lahir", events)
	_, _, err = f.s.Autosave(f.budi, nipBudi, "kode_pos", "12", "pindah")
	if _, ok := store.AsFieldErrors(err); !ok {
		t.Fatalf("a bad value: %v, want a field error", err)
	}
	e, _, err := f.s.Autosave(f.budi, nipBudi, "tempat_lahir", "Kendal", "sesuai akta")
	fxMust(t, err)
	if e.Status != store.EntryUsul || e.New != "Kendal" || e.Reason != "sesuai akta" {
		t.Fatalf("stored %+v", e)
	}
	// An autosave that is not ready leaves the earlier proposal as it was.
	_, form, err = f.s.Autosave(f.budi, nipBudi, "tempat_lahir", "Kendal Kota", "")
	fxWantErr(t, err, store.ErrNoReason)
	if got := form.Entries["tempat_lahir"].New; got != "Kendal" {
		t.Fatalf("the proposal became %q", got)
	}
	// Propose (Simpan) refuses the unchanged value too: one rule.
	_, _, err = f.s.Propose(f.budi, nipBudi, "agama", form.Record.MasterValue("agama"), "")
	fxWantErr(t, err, store.ErrInvalid)
}

// TestTabProgressAddsUpAndNamesWhatIsLeft: the tabs' counts add up to the form's, each names
// what is not looked at, and Kirim's list marks those as unchecked.
func TestTabProgressAddsUpAndNamesWhatIsLeft(t *testing.T) {
	f := newFx(t)
	_, err := f.s.Confirm(f.budi, nipBudi, []string{"agama"}, false)
	fxMust(t, err)
	form, err := f.s.Form(f.budi, nipBudi)
	fxMust(t, err)
	var sum store.Progress
	for _, tab := range store.Tabs {
		if !form.Applies(tab) {
			continue
		}
		p := form.TabProgress(tab)
		sum.Total, sum.Checked = sum.Total+p.Total, sum.Checked+p.Checked
		if len(p.Unchecked) != p.Total-p.Checked {
			t.Errorf("%s: %d unchecked named, %d of %d checked", tab.Key, len(p.Unchecked), p.Checked, p.Total)
		}
	}
	if all := form.Progress(); all.Total != sum.Total || all.Checked != sum.Checked || all.Checked != 1 {
		t.Fatalf("form %+v, tabs add up to %+v", all, sum)
	}
	utama, _ := store.TabByKey("utama")
	if left := form.TabProgress(utama).Unchecked; slices.Contains(left, "Agama") || !slices.Contains(left, "NPWP") {
		t.Fatalf("Data Utama names %v as left", left)
	}
	_, err = f.s.Kirim(f.budi, nipBudi)
	var inc *store.IncompleteError
	if !errors.As(err, &inc) {
		t.Fatalf("Kirim of an unchecked form: %v", err)
	}
	for _, m := range inc.Items {
		if m.Unchecked != (m.Problem[:15] == "belum diperiksa") {
			t.Errorf("%s › %s: %q marked unchecked %v", m.Tab, m.Label, m.Problem, m.Unchecked)
		}
	}
}

// TestDateInputText: the three fields read as one dd-mm-yyyy value, the month by number or name.
func TestDateInputText(t *testing.T) {
	for in, want := range map[store.DateInput]string{
		{Day: "7", Month: "8", Year: "1985"}:        "07-08-1985",
		{Day: "17", Month: "agustus", Year: "1985"}: "17-08-1985",
		{}:                                   "",
		{Day: "x", Month: "8", Year: "1985"}: "x-8-1985",
	} {
		if got := in.Text(); got != want {
			t.Errorf("%+v: %q, want %q", in, got, want)
		}
	}
}
