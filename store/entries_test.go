package store_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"pupns/store"
)

// TestProposeStoresCanonicalValueBesideOld: a proposal keeps the master value it corrects (the
// verifier sees old → new) and the value in its canonical form, with the reason and who made it.
func TestProposeStoresCanonicalValueBesideOld(t *testing.T) {
	f := newFx(t)
	e := f.propose(f.budi, fxUsul{"no_hp", "+62 812-9999-0000", "  nomor lama hilang  "})
	want := store.Entry{Field: "no_hp", Status: store.EntryUsul, Old: "081234567890", New: "081299990000", Reason: "nomor lama hilang", By: nipBudi}
	e.At = want.At
	if !reflect.DeepEqual(e, want) {
		t.Fatalf("Propose = %+v, want %+v", e, want)
	}
	form, err := f.s.Form(f.budi, nipBudi)
	fxMust(t, err)
	got := form.Entries["no_hp"]
	got.At = want.At
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("stored entry = %+v, want %+v", got, want)
	}
	if eff := form.Effective(); eff["no_hp"] != "081299990000" || eff["nama"] != "Budi Santoso" {
		t.Fatalf("Effective = %v", eff)
	}
	// The master record itself is untouched until the verifiers approve.
	rec, err := f.s.Record(nipBudi)
	fxMust(t, err)
	if rec.Fields["no_hp"] != "081234567890" || rec.Version != 1 {
		t.Fatalf("master changed by a proposal: %v v%d", rec.Fields["no_hp"], rec.Version)
	}

	// An empty master field (NPWP) is simply filled in: a proposal with an empty old value.
	e = f.propose(f.budi, fxUsul{"npwp", "01.234.567.8-901.000", "belum tercatat"})
	if e.Old != "" || e.New != "012345678901000" {
		t.Fatalf("npwp proposal = %+v", e)
	}
	// Proposing again replaces the proposal; it does not pile up.
	e = f.propose(f.budi, fxUsul{"no_hp", "081288887777", "nomor baru"})
	form, _ = f.s.Form(f.budi, nipBudi)
	if len(form.Entries) != 2 || form.Entries["no_hp"].New != "081288887777" || form.Entries["no_hp"].Old != "081234567890" {
		t.Fatalf("entries after replacing = %+v", form.Entries)
	}
}

// fxNothingStored asserts a refused call left no entry for the field and no event behind.
func fxNothingStored(t *testing.T, f *fx, a store.Actor, key string, eventsBefore int) {
	t.Helper()
	form, err := f.s.Form(a, a.NIP)
	fxMust(t, err)
	if e, ok := form.Entries[key]; ok {
		t.Errorf("refused proposal stored: %+v", e)
	}
	if n := len(f.eventKinds(a.NIP)); n != eventsBefore {
		t.Errorf("refused proposal logged: %d events, want %d", n, eventsBefore)
	}
}

// TestProposeInvalidStoresNothing: an invalid value is refused with a FieldError naming the field
// (the form shows the message beside it) and nothing is stored, so the master data never receives
// a value that did not pass validation.
func TestProposeInvalidStoresNothing(t *testing.T) {
	f := newFx(t)
	before := len(f.eventKinds(nipBudi))
	for _, c := range []struct{ key, value, reason string }{
		{"nik", "12345", "KTP baru"},                           // wrong length
		{"nama", "<script>alert(1)</script>", "salah ketik"},   // markup
		{"gelar_depan", "H.", "sudah berhaji"},                 // not an academic title
		{"tanggal_lahir", "2030-01-01", "salah"},               // future
		{"tanggal_lahir", "1986-09-27", "sesuai akta"},         // disagrees with the NIP
		{"jenis_kelamin", "2", "salah"},                        // disagrees with the NIP
		{"tmt_cpns", "2015-06-01", "sesuai SK"},                // month disagrees with the NIP
		{"tmt_pns", "2015-04-01", "sesuai SK"},                 // before TMT CPNS
		{"nik", "3374016609860001", "KTP"},                     // coded for a woman
		{"agama", "9", "salah"},                                // not in the list
		{"no_hp", "0812-3456-7890", "sama"},                    // same as master after normalizing
		{"alamat", "Jl. Baru No. 2", "pindah\x00"},             // control character in the reason
		{"alamat", "Jl. Baru No. 2", strings.Repeat("x", 301)}, // over-long reason
	} {
		_, _, err := f.s.Propose(f.budi, nipBudi, c.key, c.value, c.reason)
		if err == nil {
			t.Errorf("Propose(%s=%q) accepted", c.key, c.value)
			continue
		}
		var fe *store.FieldError
		if !errors.Is(err, store.ErrInvalid) || !errors.As(err, &fe) {
			t.Errorf("Propose(%s=%q): %v is not a FieldError/ErrInvalid", c.key, c.value, err)
			continue
		}
		if fe.Field != c.key && fe.Field != "alasan_"+c.key {
			t.Errorf("Propose(%s=%q): FieldError names %q", c.key, c.value, fe.Field)
		}
		fxCheckIndonesian(t, fe.Message)
		fxNothingStored(t, f, f.budi, c.key, before)
	}
}

// TestProposeSameAsMasterRefused: proposing the value the master already holds is not a
// correction; the PNS is pointed to Sesuai instead, so verifiers never get no-op lines.
func TestProposeSameAsMasterRefused(t *testing.T) {
	f := newFx(t)
	before := len(f.eventKinds(nipBudi))
	_, _, err := f.s.Propose(f.budi, nipBudi, "nama", "  Budi   Santoso ", "cek")
	fe := fxCheckFieldError(t, err, "nama")
	if !strings.Contains(fe.Message, "Sesuai") {
		t.Errorf("message %q does not point to Sesuai", fe.Message)
	}
	fxNothingStored(t, f, f.budi, "nama", before)
}

// TestProposeReadOnlyAndUnknownFields: the NIP is the record's key and cannot be proposed on;
// an unknown field is not found (no free-form keys reach the entries bucket).
func TestProposeReadOnlyAndUnknownFields(t *testing.T) {
	f := newFx(t)
	_, _, err := f.s.Propose(f.budi, nipBudi, "nip", "198609262015051002", "salah")
	fxCheckFieldError(t, err, "nip")
	_, _, err = f.s.Propose(f.budi, nipBudi, "gaji_pokok", "9000000", "naik")
	fxWantErr(t, err, store.ErrNotFound)
	fxWantErr(t, fxErrOf(f.s.Confirm(f.budi, nipBudi, []string{"nama", "gaji_pokok"}, false)), store.ErrNotFound)
	fxWantErr(t, fxErrOf(f.s.Withdraw(f.budi, nipBudi, "gaji_pokok")), store.ErrNotFound)
	form, _ := f.s.Form(f.budi, nipBudi)
	if len(form.Entries) != 0 {
		t.Fatalf("entries after refused calls: %+v", form.Entries)
	}
}

// TestProposeChecksAgainstEffectiveValues: cross-checks read the record as it would be with the
// PNS's own proposals, so corrections that depend on each other can be made in order. Dedi's
// master birth date (18th) disagrees with his NIP (17th), and his NIK was made for the 18th.
func TestProposeChecksAgainstEffectiveValues(t *testing.T) {
	f := newFx(t)
	nikFor17 := "3374011707850004"
	// While the birth date is still the 18th, a NIK for the 17th disagrees with the record.
	_, _, err := f.s.Propose(f.dedi, nipDedi, "nik", nikFor17, "KTP")
	fe := fxCheckFieldError(t, err, "nik")
	if !strings.Contains(fe.Message, "180785") {
		t.Errorf("message %q does not give the digits the current birth date needs", fe.Message)
	}
	// Correct the birth date to the NIP's; now the NIK must follow the new date, not the master's.
	f.propose(f.dedi, fxUsul{"tanggal_lahir", "17-07-1985", "sesuai SK CPNS"})
	_, _, err = f.s.Propose(f.dedi, nipDedi, "nik", "3374011807850005", "KTP")
	fe = fxCheckFieldError(t, err, "nik")
	if !strings.Contains(fe.Message, "170785") {
		t.Errorf("message %q does not give the digits of the proposed birth date", fe.Message)
	}
	e := f.propose(f.dedi, fxUsul{"nik", nikFor17, "KTP elektronik"})
	if e.Old != nikDediMaster || e.New != nikFor17 {
		t.Fatalf("nik proposal = %+v", e)
	}
	// TMT PNS is checked against the effective TMT CPNS.
	f.propose(f.dedi, fxUsul{"tmt_cpns", "2009-03-15", "sesuai SK CPNS"})
	_, _, err = f.s.Propose(f.dedi, nipDedi, "tmt_pns", "2009-03-10", "sesuai SK PNS")
	fxCheckFieldError(t, err, "tmt_pns")
	f.propose(f.dedi, fxUsul{"tmt_pns", "2010-03-15", "sesuai SK PNS"})
}

// TestConfirmAndWithdraw: Sesuai records that the PNS looked at a field and found it right,
// replacing a proposal; "the rest is correct" (onlyUnseen) must not wipe proposals already made;
// Withdraw brings a field back to unchecked.
func TestConfirmAndWithdraw(t *testing.T) {
	f := newFx(t)
	fxMust(t, fxErrOf(f.s.Confirm(f.budi, nipBudi, []string{"nama", "agama"}, false)))
	form, _ := f.s.Form(f.budi, nipBudi)
	if e := form.Entries["nama"]; e.Status != store.EntrySesuai || e.Old != "Budi Santoso" || e.New != "" || e.By != nipBudi {
		t.Fatalf("sesuai entry = %+v", e)
	}

	f.propose(f.budi, fxUsul{"no_hp", "081299990000", "ganti nomor"})
	fxMust(t, fxErrOf(f.s.Confirm(f.budi, nipBudi, fxEditableKeys(), true)))
	form, _ = f.s.Form(f.budi, nipBudi)
	if len(form.Entries) != len(fxApplyingKeys()) {
		t.Fatalf("%d entries after confirming the rest, want %d (the tabs that apply)", len(form.Entries), len(fxApplyingKeys()))
	}
	if e := form.Entries["no_hp"]; e.Status != store.EntryUsul || e.New != "081299990000" {
		t.Fatalf("onlyUnseen overwrote the proposal: %+v", e)
	}

	// Confirming the field explicitly replaces the proposal.
	fxMust(t, fxErrOf(f.s.Confirm(f.budi, nipBudi, []string{"no_hp"}, false)))
	form, _ = f.s.Form(f.budi, nipBudi)
	if e := form.Entries["no_hp"]; e.Status != store.EntrySesuai || e.New != "" {
		t.Fatalf("confirm did not replace the proposal: %+v", e)
	}
	if form.Effective()["no_hp"] != "081234567890" {
		t.Fatal("effective value still the withdrawn proposal")
	}

	fxMust(t, fxErrOf(f.s.Withdraw(f.budi, nipBudi, "no_hp")))
	form, _ = f.s.Form(f.budi, nipBudi)
	if _, ok := form.Entries["no_hp"]; ok {
		t.Fatal("Withdraw left the entry")
	}
	// Withdrawing what is not there is harmless and logs nothing.
	n := len(f.eventKinds(nipBudi))
	fxMust(t, fxErrOf(f.s.Withdraw(f.budi, nipBudi, "no_hp")))
	if len(f.eventKinds(nipBudi)) != n {
		t.Fatal("no-op Withdraw logged an event")
	}
	// So is confirming the rest when nothing is left unseen.
	fxMust(t, fxErrOf(f.s.Confirm(f.budi, nipBudi, []string{"nama"}, true)))
	if len(f.eventKinds(nipBudi)) != n {
		t.Fatal("no-op Confirm logged an event")
	}
}

// TestOnlyOwnForm: a PNS sees and changes only their own record (DOMAIN.md "People and their
// rooms"); every form call for another NIP is ErrForbidden and changes nothing.
func TestOnlyOwnForm(t *testing.T) {
	f := newFx(t)
	impostors := map[string]store.Actor{
		"another PNS":               f.siti,
		"PNS login without NIP":     {Login: nipBudi, Role: store.RolePNS},
		"NIP of Budi, role not PNS": {Login: "x", Role: store.RoleAdmin, NIP: nipBudi},
	}
	for name, a := range impostors {
		_, _, err := f.s.Propose(a, nipBudi, "no_hp", "081299990000", "iseng")
		fxWantErr(t, err, store.ErrForbidden)
		fxWantErr(t, fxErrOf(f.s.Confirm(a, nipBudi, []string{"nama"}, false)), store.ErrForbidden)
		fxWantErr(t, fxErrOf(f.s.Withdraw(a, nipBudi, "nama")), store.ErrForbidden)
		_, err = f.s.Form(a, nipBudi)
		fxWantErr(t, err, store.ErrForbidden)
		_, err = f.s.Kirim(a, nipBudi)
		fxWantErr(t, err, store.ErrForbidden)
		_, err = f.s.Submissions(a, nipBudi)
		fxWantErr(t, err, store.ErrForbidden)
		if t.Failed() {
			t.Fatalf("%s was not refused", name)
		}
	}
	form, _ := f.s.Form(f.budi, nipBudi)
	if len(form.Entries) != 0 {
		t.Fatalf("refused calls left entries: %+v", form.Entries)
	}
}

// TestVerifierCannotEditForm: verifiers decide lines; they never type into the PNS's form,
// not even in their own scope (that is the operator's role, with its own audit trail).
func TestVerifierCannotEditForm(t *testing.T) {
	f := newFx(t)
	for _, v := range []store.Actor{f.v1U01, f.v2, {Login: "admin", Role: store.RoleAdmin}} {
		_, _, err := f.s.Propose(v, nipBudi, "no_hp", "081299990000", "bantu")
		fxWantErr(t, err, store.ErrForbidden)
		fxWantErr(t, fxErrOf(f.s.Confirm(v, nipBudi, fxEditableKeys(), false)), store.ErrForbidden)
		fxWantErr(t, fxErrOf(f.s.Withdraw(v, nipBudi, "no_hp")), store.ErrForbidden)
		_, err = f.s.Kirim(v, nipBudi)
		fxWantErr(t, err, store.ErrForbidden)
	}
}

// TestFormLockedAfterKirim: once sent, the proposals are with the verifiers; the PNS cannot change
// them underneath a decision (DOMAIN.md flow step 5), nor send twice.
func TestFormLockedAfterKirim(t *testing.T) {
	f := newFx(t)
	f.send(f.budi, fxUsul{"no_hp", "081299990000", "ganti nomor"})
	form, _ := f.s.Form(f.budi, nipBudi)
	if !form.Locked || form.Submission == nil || form.Submission.State != store.StateLevel1 {
		t.Fatalf("form after Kirim: locked=%v submission=%+v", form.Locked, form.Submission)
	}
	n := len(f.eventKinds(nipBudi))
	_, _, err := f.s.Propose(f.budi, nipBudi, "alamat", "Jl. Baru No. 2", "pindah")
	fxWantErr(t, err, store.ErrLocked)
	fxWantErr(t, fxErrOf(f.s.Confirm(f.budi, nipBudi, []string{"no_hp"}, false)), store.ErrLocked)
	fxWantErr(t, fxErrOf(f.s.Withdraw(f.budi, nipBudi, "no_hp")), store.ErrLocked)
	_, err = f.s.Kirim(f.budi, nipBudi)
	fxWantErr(t, err, store.ErrLocked)
	// Still locked at Level 2.
	sub := form.Submission
	f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "")
	f.forward(f.v1U01, sub.ID)
	_, _, err = f.s.Propose(f.budi, nipBudi, "no_hp", "081211112222", "lagi")
	fxWantErr(t, err, store.ErrLocked)
	form, _ = f.s.Form(f.budi, nipBudi)
	if e := form.Entries["no_hp"]; e.New != "081299990000" {
		t.Fatalf("locked entry changed: %+v", e)
	}
	if kinds := f.eventKinds(nipBudi); !slices.Equal(kinds[n:], []string{"putusan", "teruskan"}) {
		t.Fatalf("events after refused calls: %v", kinds[n:])
	}
}

// TestEveryChangeAppendsEvent: the append-only log is the audit trail the PNS's tracking page and
// any later dispute rely on; every change, and only a change, adds one event naming who did it.
func TestEveryChangeAppendsEvent(t *testing.T) {
	f := newFx(t)
	want := []string{"master"} // the import that created the record
	check := func(step string) {
		t.Helper()
		evs, err := f.s.Events(nipBudi)
		fxMust(t, err)
		var kinds []string
		for i, e := range evs {
			kinds = append(kinds, e.Kind)
			if e.NIP != nipBudi || e.Actor == "" || e.At.IsZero() || e.Detail == "" {
				t.Errorf("%s: event %d incomplete: %+v", step, i, e)
			}
			if i > 0 && e.Seq <= evs[i-1].Seq {
				t.Errorf("%s: events out of order: %d after %d", step, e.Seq, evs[i-1].Seq)
			}
		}
		if !slices.Equal(kinds, want) {
			t.Fatalf("%s: events %v, want %v", step, kinds, want)
		}
	}
	check("import")

	f.propose(f.budi, fxUsul{"no_hp", "081299990000", "ganti nomor"})
	want = append(want, "usul")
	check("propose")

	_, _, _ = f.s.Propose(f.budi, nipBudi, "nik", "1", "x") // refused: no event
	check("refused propose")

	fxMust(t, fxErrOf(f.s.Confirm(f.budi, nipBudi, []string{"nama", "agama"}, false)))
	want = append(want, "sesuai") // one event for the batch
	check("confirm")

	fxMust(t, fxErrOf(f.s.Withdraw(f.budi, nipBudi, "agama")))
	want = append(want, "batal")
	check("withdraw")

	f.confirmRest(f.budi)
	want = append(want, "sesuai")
	sub, err := f.s.Kirim(f.budi, nipBudi)
	fxMust(t, err)
	want = append(want, "kirim")
	check("kirim")

	f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "")
	f.forward(f.v1U01, sub.ID)
	want = append(want, "putusan", "teruskan")
	check("level 1")

	evs, _ := f.s.Events(nipBudi)
	last := evs[len(evs)-1]
	if last.Actor != f.v1U01.Login || last.SubmissionID != sub.ID {
		t.Fatalf("forward event = %+v", last)
	}
	if evs[1].Actor != nipBudi || !strings.Contains(evs[1].Detail, "081299990000") {
		t.Fatalf("propose event = %+v", evs[1])
	}
	// Another PNS's log is separate.
	if kinds := f.eventKinds(nipSiti); !slices.Equal(kinds, []string{"master"}) {
		t.Fatalf("Siti's events = %v", kinds)
	}
}
