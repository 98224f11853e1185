package store_test

import (
	"strings"
	"testing"
	"time"

	"pupns/store"
)

// typed is what a PNS has typed after n pauses: the first n letters of a long place name.
func typed(n int) string { return "Kabupaten Kendal Provinsi Jawa Tengah Raya"[:n] }

// lastEvent returns a PNS's newest event and how many they have.
func lastEvent(t *testing.T, f *fx, nip string) (store.Event, int) {
	t.Helper()
	evs, err := f.s.Events(nip)
	fxMust(t, err)
	return evs[len(evs)-1], len(evs)
}

// TestTypingIntoOneFieldIsOneEvent: 40 autosaves of one field by one person, each a typing pause,
// leave one event in place (the sequence of the first save) that holds the last value and reason,
// the first and the last time, and the count of saves; the next save after the run is another field.
func TestTypingIntoOneFieldIsOneEvent(t *testing.T) {
	f := newFx(t)
	_, before := lastEvent(t, f, nipBudi)
	var first, last store.Entry
	var seq uint64
	for n := 3; n < 43; n++ { // 40 pauses
		e, _, err := f.s.Autosave(f.budi, nipBudi, "tempat_lahir", typed(n), "sesuai akta kelahiran")
		fxMust(t, err)
		if n == 3 {
			first = e
			ev, _ := lastEvent(t, f, nipBudi)
			seq = ev.Seq
		}
		last = e
	}
	ev, count := lastEvent(t, f, nipBudi)
	if count != before+1 {
		t.Fatalf("40 saves of one field left %d events, want 1", count-before)
	}
	if ev.Seq != seq || ev.Kind != store.EventPropose || ev.Key != "tempat_lahir" || ev.Actor != nipBudi || ev.OnBehalfOf != "" {
		t.Fatalf("the run's event: %+v (first seq %d)", ev, seq)
	}
	if ev.Saves != 40 || ev.Count() != 40 || !ev.First.Equal(first.At) || !ev.At.Equal(last.At) || !last.At.After(first.At) {
		t.Fatalf("run of %d saves from %v to %v; want 40 from %v to %v", ev.Saves, ev.First, ev.At, first.At, last.At)
	}
	if !strings.Contains(ev.Detail, `"`+typed(42)+`"`) || ev.Reason != "sesuai akta kelahiran" {
		t.Fatalf("the event holds %q, reason %q; want the last value %q", ev.Detail, ev.Reason, typed(42))
	}
	if txt := ev.Text(); !strings.Contains(txt, "40 kali disimpan sejak") || !strings.Contains(txt, "sesuai akta kelahiran") {
		t.Fatalf("Text = %q", txt)
	}
	// Another field is another run; a single save is no run (no First, no Saves).
	f.propose(f.budi, fxUsul{"agama", "2", "salah ketik"})
	ev, count = lastEvent(t, f, nipBudi)
	if count != before+2 || ev.Key != "agama" || ev.Saves != 0 || !ev.First.IsZero() || ev.Count() != 1 {
		t.Fatalf("a save of another field: %d events, last %+v", count-before, ev)
	}
}

// TestARunBreaks: a save folds into the PNS's latest event only when nothing else of that PNS was
// logged since and the same person (on behalf of the same PNS) saves the same key on the same day.
func TestARunBreaks(t *testing.T) {
	f := newFx(t)
	op := store.Actor{Login: "op.u01", Role: store.RoleOperator, ScopeID: unitU01}
	_, start := lastEvent(t, f, nipBudi)
	save := func(a store.Actor, key, value string) {
		t.Helper()
		if _, _, err := f.s.Propose(a, nipBudi, key, value, "alasan"); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name string
		do   func()
		grow int // events the step adds
	}{
		{"first save", func() { save(f.budi, "tempat_lahir", "Kendal") }, 1},
		{"same field again", func() { save(f.budi, "tempat_lahir", "Kendal Kota") }, 0},
		{"another field between", func() { save(f.budi, "agama", "2") }, 1},
		{"back to the first field", func() { save(f.budi, "tempat_lahir", "Kendal Raya") }, 1},
		{"an operator on behalf", func() { save(op, "tempat_lahir", "Kendal Baru") }, 1},
		{"the operator again", func() { save(op, "tempat_lahir", "Kendal Lama") }, 0},
		{"the PNS again", func() { save(f.budi, "tempat_lahir", "Kendal") }, 1},
		{"a Sesuai between", func() {
			_, err := f.s.Confirm(f.budi, nipBudi, []string{"nama"}, false)
			fxMust(t, err)
		}, 1},
		{"after the Sesuai", func() { save(f.budi, "tempat_lahir", "Kendal Kota") }, 1},
		{"another PNS's event does not break it", func() { f.propose(f.siti, fxUsul{"agama", "2", "x"}) }, 0},
		{"still the run", func() { save(f.budi, "tempat_lahir", "Kendal Raya") }, 0},
		{"the next day", func() { f.clock.Add(24 * time.Hour); save(f.budi, "tempat_lahir", "Kendal") }, 1},
		{"a withdraw between", func() {
			_, err := f.s.Withdraw(f.budi, nipBudi, "tempat_lahir")
			fxMust(t, err)
		}, 1},
		{"after the withdraw", func() { save(f.budi, "tempat_lahir", "Kendal Kota") }, 1},
	}
	want := start
	for _, st := range steps {
		st.do()
		want += st.grow
		ev, n := lastEvent(t, f, nipBudi)
		if n != want {
			t.Fatalf("%s: %d events since the start, want %d (last %+v)", st.name, n-start, want-start, ev)
		}
	}
	evs, err := f.s.Events(nipBudi)
	fxMust(t, err)
	var runs []string
	for _, e := range evs[start:] {
		runs = append(runs, e.Actor+"×"+string(rune('0'+e.Count())))
	}
	if got := strings.Join(runs, " "); got != nipBudi+"×2 "+nipBudi+"×1 "+nipBudi+"×1 op.u01×2 "+nipBudi+"×1 "+nipBudi+"×1 "+nipBudi+"×2 "+nipBudi+"×1 "+nipBudi+"×1 "+nipBudi+"×1" {
		t.Fatalf("runs: %s", got)
	}
}

// TestARowRunIsOneEvent: saves of one history row fold as a field's do, and the event names the
// row's values as last saved.
func TestARowRunIsOneEvent(t *testing.T) {
	f := newFx(t)
	_, before := lastEvent(t, f, nipBudi)
	e, _, err := f.s.ProposeRow(f.budi, nipBudi, "diklat_fungsional", "", store.OpTambah, map[string]string{"nama_diklat": "Diklat Ars", "tahun": "2020"}, "sertifikat baru")
	fxMust(t, err)
	_, rowID, _ := store.ParseRowKey(e.Field)
	for _, name := range []string{"Diklat Arsip", "Diklat Arsiparis"} {
		_, _, err = f.s.ProposeRow(f.budi, nipBudi, "diklat_fungsional", rowID, store.OpUbah, map[string]string{"nama_diklat": name, "tahun": "2021"}, "sertifikat baru")
		fxMust(t, err)
	}
	ev, n := lastEvent(t, f, nipBudi)
	if n != before+1 || ev.Key != e.Field || ev.Saves != 3 {
		t.Fatalf("3 saves of one row: %d events, last %+v", n-before, ev)
	}
	if !strings.Contains(ev.Detail, "Diklat Arsiparis") || !strings.Contains(ev.Detail, "2021") || ev.Reason != "sertifikat baru" {
		t.Fatalf("row event detail %q reason %q", ev.Detail, ev.Reason)
	}
}

// TestAuditShowsTheRun: the admin's log (by NIP and walking the whole log) returns the folded
// event once, with its run.
func TestAuditShowsTheRun(t *testing.T) {
	f := newFx(t)
	for n := 3; n < 13; n++ {
		_, _, err := f.s.Autosave(f.budi, nipBudi, "tempat_lahir", typed(n), "sesuai akta")
		fxMust(t, err)
	}
	for _, flt := range []store.AuditFilter{{NIP: nipBudi, Kind: store.EventPropose}, {Kind: store.EventPropose}} {
		got := auditAll(t, f.s, flt)
		if len(got) != 1 || got[0].Saves != 10 || !strings.Contains(got[0].Detail, typed(12)) {
			t.Fatalf("%+v: %d events %+v", flt, len(got), got)
		}
	}
}
