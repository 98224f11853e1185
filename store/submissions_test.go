package store_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"pupns/store"
	"pupns/store/storetest"
)

// Proposals used across the submission tests (all valid for Budi and Siti).
var (
	usulHP     = fxUsul{"no_hp", "081299990000", "nomor lama hilang"}
	usulAlamat = fxUsul{"alamat", "Jl. Diponegoro No. 5, Semarang", "pindah rumah"}
	usulPos    = fxUsul{"kode_pos", "50241", "pindah rumah"}
)

// TestKirimRefusedListsEveryMissingField: the 2015 system said "not all tabs saved" without
// saying which; Kirim must list every unchecked field and every proposal without a reason, with
// its tab, and send nothing.
func TestKirimRefusedListsEveryMissingField(t *testing.T) {
	f := newFx(t)
	f.propose(f.budi, fxUsul{"no_hp", "081299990000", ""}) // no reason
	fxMust(t, fxErrOf(f.s.Confirm(f.budi, nipBudi, []string{"nama", "agama"}, false)))

	_, err := f.s.Kirim(f.budi, nipBudi)
	fxWantErr(t, err, store.ErrIncomplete)
	var ie *store.IncompleteError
	if !errors.As(err, &ie) {
		t.Fatalf("error %T is not an *IncompleteError", err)
	}
	got := map[string]string{}
	for _, m := range ie.Items {
		if m.Tab == "" || m.Label == "" || m.Problem == "" {
			t.Errorf("item without tab, label or problem: %+v", m)
		}
		got[m.Field] = m.Problem
	}
	// Budi has no jabatan that makes him a teacher or doctor: Data Guru and Data Dokter do not
	// apply to him and must never block him (the 2015 system made everyone open them).
	notForBudi := map[string]bool{}
	for _, tab := range store.Tabs {
		for _, fd := range tab.Fields {
			if tab.Only != "" {
				notForBudi[fd.Key] = true
			}
		}
	}
	for _, key := range fxEditableKeys() {
		p, listed := got[key]
		switch {
		case notForBudi[key]:
			if listed {
				t.Errorf("%s is in a tab that does not apply to Budi but is listed: %s", key, p)
			}
		case key == "nama", key == "agama":
			if listed {
				t.Errorf("%s was confirmed but is listed: %s", key, p)
			}
		case key == "no_hp":
			if !strings.Contains(p, "alasan") {
				t.Errorf("no_hp: problem %q, want the missing reason", p)
			}
		default:
			if !strings.Contains(p, "belum diperiksa") {
				t.Errorf("%s: problem %q, want unchecked", key, p)
			}
		}
	}
	if _, listed := got["nip"]; listed {
		t.Error("read-only nip listed as missing")
	}
	if want := len(fxEditableKeys()) - 2 - len(notForBudi); len(ie.Items) != want {
		t.Errorf("%d items, want %d", len(ie.Items), want)
	}
	if !strings.Contains(err.Error(), "Nomor HP") {
		t.Errorf("error text %q does not name the field", err)
	}
	// Nothing was sent.
	subs, err := f.s.Submissions(f.budi, nipBudi)
	fxMust(t, err)
	form, _ := f.s.Form(f.budi, nipBudi)
	if len(subs) != 0 || form.Locked || len(f.inbox(f.v1U01)) != 0 {
		t.Fatalf("refused Kirim left a submission: %d subs, locked=%v", len(subs), form.Locked)
	}
}

// TestKirimRefusesInconsistentOrStaleRecord: Kirim re-checks the whole record as it would be: a
// confirmed master value that disagrees with the NIP, a NIK that no longer matches a corrected birth
// date, and a proposal whose old value the master data no longer holds are each named.
func TestKirimRefusesInconsistentOrStaleRecord(t *testing.T) {
	f := newFx(t)
	missing := func(a store.Actor) map[string]string {
		t.Helper()
		_, err := f.s.Kirim(a, a.NIP)
		var ie *store.IncompleteError
		if !errors.As(err, &ie) {
			t.Fatalf("Kirim %s: %v, want *IncompleteError", a.NIP, err)
		}
		m := map[string]string{}
		for _, it := range ie.Items {
			m[it.Field] = it.Problem
		}
		return m
	}
	// Dedi confirms everything, including a birth date that disagrees with his NIP.
	f.confirmRest(f.dedi)
	if m := missing(f.dedi); len(m) != 1 || !strings.Contains(m["tanggal_lahir"], "NIP") {
		t.Fatalf("Dedi, all confirmed: %v", m)
	}
	// He corrects the birth date; now the confirmed NIK (made for the 18th) disagrees.
	f.propose(f.dedi, fxUsul{"tanggal_lahir", "1985-07-17", "sesuai SK CPNS"})
	if m := missing(f.dedi); len(m) != 1 || !strings.Contains(m["nik"], "170785") {
		t.Fatalf("Dedi, birth date corrected: %v", m)
	}
	f.propose(f.dedi, fxUsul{"nik", "3374011707850004", "KTP elektronik"})
	if sub, err := f.s.Kirim(f.dedi, nipDedi); err != nil || len(sub.Lines) != 2 {
		t.Fatalf("Dedi consistent: %+v, %v", sub, err)
	}

	// Budi proposes a new phone number; then the office imports a different one. His proposal
	// was made against a value that is no longer the master's: he must look again.
	f.send(f.budi) // (nothing to propose: done at once; clears the form)
	f.propose(f.budi, usulHP)
	f.confirmRest(f.budi)
	rec := storetest.Record(nipBudi, unitU01, "Budi Santoso", nikBudi)
	rec.Fields["no_hp"] = "081355556666"
	f.putMasters(rec)
	if m := missing(f.budi); len(m) != 1 || !strings.Contains(m["no_hp"], "berubah") {
		t.Fatalf("Budi, stale proposal: %v", m)
	}
}

// TestKirimWithoutProposalsIsDoneAtOnce: a PNS whose record is right confirms it and is done;
// nothing waits in a verifier's inbox and the master data is unchanged.
func TestKirimWithoutProposalsIsDoneAtOnce(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi)
	if sub.State != store.StateDone || len(sub.Lines) != 0 || sub.Round != 1 || sub.ID == 0 {
		t.Fatalf("submission = %+v", sub)
	}
	if len(f.inbox(f.v1U01)) != 0 || len(f.inbox(f.v2)) != 0 {
		t.Fatal("an empty submission reached an inbox")
	}
	form, _ := f.s.Form(f.budi, nipBudi)
	if form.Locked || len(form.Entries) != 0 || form.Submission.State != store.StateDone {
		t.Fatalf("form after done: locked=%v entries=%d", form.Locked, len(form.Entries))
	}
	rec, _ := f.s.Record(nipBudi)
	vers, _ := f.s.Versions(nipBudi)
	if rec.Version != 1 || len(vers) != 1 {
		t.Fatalf("master changed: v%d, %d versions", rec.Version, len(vers))
	}
}

// TestKirimGoesToLevel1InboxOfOwnSKPD: the unit organisasi decides the Level 1 inbox; a PNS in a
// nested unit goes to the SKPD above it, and no other SKPD ever sees the submission.
func TestKirimGoesToLevel1InboxOfOwnSKPD(t *testing.T) {
	f := newFx(t)
	budi := f.send(f.budi, usulHP)
	siti := f.send(f.siti, usulHP)
	agus := f.send(f.agus, usulHP)

	if budi.State != store.StateLevel1 || budi.Round != 1 || len(budi.Lines) != 1 {
		t.Fatalf("Budi's submission = %+v", budi)
	}
	l := budi.Lines[0]
	if l.Field != "no_hp" || l.Old != "081234567890" || l.New != "081299990000" || l.Reason != usulHP.reason || l.Label == "" {
		t.Fatalf("line = %+v", l)
	}
	if siti.UnitID != unitU0101 || siti.SKPDID != unitU01 || siti.InstansiID != fxInstansi {
		t.Fatalf("Siti's submission placed at unit %s, SKPD %s", siti.UnitID, siti.SKPDID)
	}
	if budi.Name != "Budi Santoso, S.Kom." {
		t.Errorf("Nama = %q, want the name with titles", budi.Name)
	}
	if got := f.inbox(f.v1U01); !slices.Equal(got, []uint64{siti.ID, budi.ID}) {
		t.Fatalf("U01 inbox = %v, want [%d %d]", got, siti.ID, budi.ID)
	}
	if got := f.inbox(f.v1U02); !slices.Equal(got, []uint64{agus.ID}) {
		t.Fatalf("U02 inbox = %v, want [%d]", got, agus.ID)
	}
	if got := f.inbox(f.v2); len(got) != 0 {
		t.Fatalf("Level 2 inbox before Level 1 decided: %v", got)
	}
	page, err := f.s.Inbox(f.v1U01, "", 10)
	fxMust(t, err)
	if page.Total != 2 || page.Items[1].NIP != nipBudi || page.Items[1].Lines != 1 || page.Items[1].Round != 1 || page.Items[1].UnitID != unitU01 {
		t.Fatalf("inbox page = %+v", page)
	}
}

// TestDecideNeedsNoteForBTSAndTMS: a negative verdict must tell the PNS what to fix or why it was
// rejected (DOMAIN.md flow step 6); unknown verdicts are refused.
func TestDecideNeedsNoteForBTSAndTMS(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP)
	for _, c := range []struct{ verdict, note string }{
		{store.BTS, ""}, {store.TMS, ""}, {store.BTS, "   "}, {store.TMS, "\n\t"},
		{"ok", "bagus"}, {"", ""}, {"SETUJU", ""},
	} {
		_, err := f.s.Decide(f.v1U01, sub.ID, sub.Rev, "no_hp", c.verdict, c.note)
		var fe *store.FieldError
		if !errors.Is(err, store.ErrInvalid) || !errors.As(err, &fe) {
			t.Errorf("Decide(%q, %q) = %v, want a FieldError", c.verdict, c.note, err)
			continue
		}
		if !strings.HasSuffix(fe.Field, "no_hp") {
			t.Errorf("Decide(%q, %q): FieldError names %q", c.verdict, c.note, fe.Field)
		}
		fxCheckIndonesian(t, fe.Message)
	}
	cur, _ := f.s.Submission(f.v1U01, sub.ID)
	if cur.Rev != sub.Rev || len(cur.Lines[0].Decisions) != 0 {
		t.Fatalf("refused decisions changed the submission: %+v", cur)
	}
	// Setuju needs no note; BTS and TMS with one are fine.
	if _, err := f.s.Decide(f.v1U01, sub.ID, sub.Rev, "no_hp", store.Setuju, ""); err != nil {
		t.Fatal(err)
	}
	d := f.decide(f.v1U01, sub.ID, "no_hp", store.TMS, "  nomor bukan milik PNS  ")
	got, ok := fxLine(t, d, "no_hp").Decision(1, 1)
	if !ok || got.Verdict != store.TMS || got.Note != "nomor bukan milik PNS" || got.By != f.v1U01.Login || got.Level != 1 || got.Round != 1 {
		t.Fatalf("latest decision = %+v, %v", got, ok)
	}
}

// TestDecideStaleRevIsConflict: a verifier deciding on a view another verifier has changed since
// must reload rather than silently overwrite (optimistic versioning).
func TestDecideStaleRevIsConflict(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP, usulAlamat)
	seen := sub.Rev
	f.decide(f.v1U01b, sub.ID, "alamat", store.Setuju, "")
	_, err := f.s.Decide(f.v1U01, sub.ID, seen, "no_hp", store.Setuju, "")
	fxWantErr(t, err, store.ErrConflict)
	_, err = f.s.Decide(f.v1U01, sub.ID, seen+5, "no_hp", store.Setuju, "")
	fxWantErr(t, err, store.ErrConflict)
	cur, _ := f.s.Submission(f.v1U01, sub.ID)
	if _, ok := fxLine(t, cur, "no_hp").Decision(1, 1); ok {
		t.Fatal("stale decision was recorded")
	}
	if cur.Rev != seen+1 {
		t.Fatalf("rev = %d, want %d", cur.Rev, seen+1)
	}
	// Forward on a stale view is refused the same way.
	f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "")
	_, err = f.s.Forward(f.v1U01, sub.ID, cur.Rev)
	fxWantErr(t, err, store.ErrConflict)
}

// TestDecideUnknownOrNotUnderReviewLine: a verifier can only decide lines in front of them: not
// fields without a proposal, and at Level 2 not a line Level 1 rejected.
func TestDecideUnknownOrNotUnderReviewLine(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP, usulAlamat)
	_, err := f.s.Decide(f.v1U01, sub.ID, sub.Rev, "nama", store.Setuju, "")
	fxWantErr(t, err, store.ErrNotFound)
	_, err = f.s.Decide(f.v1U01, 9999, 1, "no_hp", store.Setuju, "")
	fxWantErr(t, err, store.ErrNotFound)
	f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "")
	f.decide(f.v1U01, sub.ID, "alamat", store.TMS, "alamat fiktif")
	l2 := f.forward(f.v1U01, sub.ID)
	if l2.State != store.StateLevel2 {
		t.Fatalf("state = %s", l2.State)
	}
	_, err = f.s.Decide(f.v2, sub.ID, l2.Rev, "alamat", store.Setuju, "")
	fxWantErr(t, err, store.ErrNotFound)
}

// TestForwardRefusedWhileUndecided: a submission moves on only when every line in front of the
// verifier has a decision; the refusal names the undecided lines and moves nothing.
func TestForwardRefusedWhileUndecided(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP, usulAlamat)
	_, err := f.s.Forward(f.v1U01, sub.ID, sub.Rev)
	fxWantErr(t, err, store.ErrIncomplete)
	d := f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "")
	_, err = f.s.Forward(f.v1U01, sub.ID, d.Rev)
	fxWantErr(t, err, store.ErrIncomplete)
	if !strings.Contains(err.Error(), "Alamat") || strings.Contains(err.Error(), "Nomor HP") {
		t.Errorf("error %q should name only the undecided Alamat", err)
	}
	cur, _ := f.s.Submission(f.v1U01, sub.ID)
	if cur.State != store.StateLevel1 || cur.Rev != d.Rev || !f.inInbox(f.v1U01, sub.ID) {
		t.Fatalf("refused Forward moved the submission: %s rev %d", cur.State, cur.Rev)
	}
	if und := cur.Undecided(); len(und) != 1 || und[0].Field != "alamat" {
		t.Fatalf("Undecided = %+v", und)
	}
}

// TestApprovedAtBothLevelsBecomesNewMasterVersion walks the happy path: Level 1 approves every
// line and forwards to Level 2 (leaving the Level 1 inbox), Level 2 approves and the submission is
// done; the approved values replace the master data as a new version whose history keeps the old
// values and who approved them (DOMAIN.md flow step 7).
func TestApprovedAtBothLevelsBecomesNewMasterVersion(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP, usulAlamat)
	f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "sesuai KTP")
	f.decide(f.v1U01, sub.ID, "alamat", store.Setuju, "")
	l2 := f.forward(f.v1U01, sub.ID)
	if l2.State != store.StateLevel2 {
		t.Fatalf("after Level 1: %s", l2.State)
	}
	if f.inInbox(f.v1U01, sub.ID) || !f.inInbox(f.v2, sub.ID) {
		t.Fatalf("inboxes after Level 1: L1 %v, L2 %v", f.inbox(f.v1U01), f.inbox(f.v2))
	}
	if _, err := f.s.Submission(f.v1U01, sub.ID); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("Level 1 still reads the submission at Level 2: %v", err)
	}
	form, _ := f.s.Form(f.budi, nipBudi)
	if !form.Locked {
		t.Fatal("form unlocked while at Level 2")
	}
	if rec, _ := f.s.Record(nipBudi); rec.Version != 1 || rec.Fields["no_hp"] != "081234567890" {
		t.Fatal("master changed before the last level approved")
	}

	f.decide(f.v2, sub.ID, "no_hp", store.Setuju, "")
	f.decide(f.v2, sub.ID, "alamat", store.Setuju, "")
	done := f.forward(f.v2, sub.ID)
	if done.State != store.StateDone || done.Version != 2 {
		t.Fatalf("after Level 2: %s, version %d", done.State, done.Version)
	}
	if f.inInbox(f.v2, sub.ID) {
		t.Fatal("done submission still in the Level 2 inbox")
	}
	var path []store.State
	for _, st := range done.Steps {
		path = append(path, st.To)
	}
	if !slices.Equal(path, []store.State{store.StateLevel1, store.StateLevel2, store.StateDone}) {
		t.Fatalf("steps = %v", path)
	}

	rec, err := f.s.Record(nipBudi)
	fxMust(t, err)
	if rec.Version != 2 || rec.Fields["no_hp"] != usulHP.value || rec.Fields["alamat"] != usulAlamat.value {
		t.Fatalf("master after done: v%d %v", rec.Version, rec.Fields)
	}
	if rec.Fields["nama"] != "Budi Santoso" || rec.Fields["nik"] != nikBudi {
		t.Fatal("fields without a proposal changed")
	}
	vers, err := f.s.Versions(nipBudi)
	fxMust(t, err)
	if len(vers) != 2 {
		t.Fatalf("%d versions, want 2", len(vers))
	}
	if vers[0].Version != 1 || vers[0].Record.Fields["no_hp"] != "081234567890" || vers[0].Record.Fields["alamat"] != "Jl. Pemuda No. 1, Semarang" {
		t.Fatalf("version 1 lost the old values: %+v", vers[0].Record.Fields)
	}
	v2 := vers[1]
	if v2.Version != 2 || v2.SubmissionID != sub.ID || v2.By != nipBudi {
		t.Fatalf("version 2 = v%d sub %d by %s", v2.Version, v2.SubmissionID, v2.By)
	}
	wantChanges := []store.Change{
		{Field: "alamat", Old: "Jl. Pemuda No. 1, Semarang", New: usulAlamat.value},
		{Field: "no_hp", Old: "081234567890", New: usulHP.value},
	}
	if !slices.Equal(v2.Changes, wantChanges) {
		t.Fatalf("changes = %+v, want %+v", v2.Changes, wantChanges)
	}
	type approval struct {
		field, by string
		level     int
	}
	var got []approval
	for _, a := range v2.Approvals {
		if a.Verdict != store.Setuju {
			t.Errorf("approval with verdict %s", a.Verdict)
		}
		got = append(got, approval{a.Field, a.By, a.Level})
	}
	want := []approval{{"alamat", "v1.u01", 1}, {"alamat", "v2.p33", 2}, {"no_hp", "v1.u01", 1}, {"no_hp", "v2.p33", 2}}
	slices.SortFunc(got, func(a, b approval) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	if !slices.Equal(got, want) {
		t.Fatalf("approvals = %v, want %v", got, want)
	}

	// The PNS's form starts afresh: unlocked, nothing checked, showing the new master values.
	form, _ = f.s.Form(f.budi, nipBudi)
	if form.Locked || len(form.Entries) != 0 || form.Record.Version != 2 {
		t.Fatalf("form after done: locked=%v entries=%d v%d", form.Locked, len(form.Entries), form.Record.Version)
	}
}

// TestTMSLeavesMasterUntouched: a line rejected for good never reaches the master data; Level 2
// only sees what Level 1 approved; and when every line is rejected the submission is done with no
// new version at all.
func TestTMSLeavesMasterUntouched(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP, usulAlamat)
	f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "")
	f.decide(f.v1U01, sub.ID, "alamat", store.TMS, "alamat tidak sesuai KTP")
	l2 := f.forward(f.v1U01, sub.ID)
	if l2.State != store.StateLevel2 {
		t.Fatalf("state = %s", l2.State)
	}
	if idx := l2.ReviewLines(); len(idx) != 1 || l2.Lines[idx[0]].Field != "no_hp" {
		t.Fatalf("Level 2 reviews %v, want only no_hp", idx)
	}
	page, _ := f.s.Inbox(f.v2, "", 10)
	if len(page.Items) != 1 || page.Items[0].Lines != 1 {
		t.Fatalf("Level 2 inbox = %+v", page.Items)
	}
	f.decide(f.v2, sub.ID, "no_hp", store.Setuju, "")
	done := f.forward(f.v2, sub.ID)
	if done.State != store.StateDone {
		t.Fatalf("state = %s", done.State)
	}
	if !fxLine(t, done, "alamat").Rejected(done.Round) || fxLine(t, done, "alamat").Approved(done.Round) {
		t.Fatal("TMS line not marked rejected")
	}
	rec, _ := f.s.Record(nipBudi)
	if rec.Fields["alamat"] != "Jl. Pemuda No. 1, Semarang" || rec.Fields["no_hp"] != usulHP.value || rec.Version != 2 {
		t.Fatalf("master = v%d %v", rec.Version, rec.Fields)
	}

	// Siti: every line rejected at Level 1 → done at once, master untouched, no new version.
	s2 := f.send(f.siti, usulHP, usulPos)
	f.decide(f.v1U01, s2.ID, "no_hp", store.TMS, "bukan nomor pribadi")
	f.decide(f.v1U01, s2.ID, "kode_pos", store.TMS, "kode pos tidak ada")
	d2 := f.forward(f.v1U01, s2.ID)
	if d2.State != store.StateDone || d2.Version != 0 {
		t.Fatalf("all-TMS submission: %s, version %d", d2.State, d2.Version)
	}
	if f.inInbox(f.v2, s2.ID) {
		t.Fatal("all-TMS submission went to Level 2")
	}
	rec, _ = f.s.Record(nipSiti)
	vers, _ := f.s.Versions(nipSiti)
	if rec.Version != 1 || len(vers) != 1 || rec.Fields["no_hp"] != "081234567890" {
		t.Fatalf("Siti's master changed: v%d, %d versions", rec.Version, len(vers))
	}
	if form, _ := f.s.Form(f.siti, nipSiti); form.Locked {
		t.Fatal("form locked after done")
	}
}

// TestBTSReturnsAndResendKeepsUnchangedDecisions: BTS sends the submission back to the PNS, who can
// edit again; resending continues the same submission in a new round, where lines the PNS did not
// change keep their decisions and the changed line needs a new one (DOMAIN.md flow step 6).
func TestBTSReturnsAndResendKeepsUnchangedDecisions(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP, usulAlamat, usulPos)
	f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "")
	f.decide(f.v1U01, sub.ID, "alamat", store.BTS, "lampirkan KTP dengan alamat baru")
	f.decide(f.v1U01, sub.ID, "kode_pos", store.Setuju, "")
	ret := f.forward(f.v1U01, sub.ID)
	if ret.State != store.StateReturned {
		t.Fatalf("state = %s, want returned", ret.State)
	}
	if f.inInbox(f.v1U01, sub.ID) || f.inInbox(f.v2, sub.ID) {
		t.Fatal("returned submission still in an inbox")
	}
	form, _ := f.s.Form(f.budi, nipBudi)
	if form.Locked || form.Submission == nil || form.Submission.State != store.StateReturned {
		t.Fatalf("form after BTS: locked=%v", form.Locked)
	}
	if len(form.Entries) != len(fxApplyingKeys()) {
		t.Fatal("the PNS's entries were cleared on return")
	}
	// A returned submission is not with a verifier: no one decides it.
	_, err := f.s.Decide(f.v1U01, sub.ID, ret.Rev, "alamat", store.Setuju, "")
	fxWantErr(t, err, store.ErrState)

	// The PNS fixes the address and resends.
	f.propose(f.budi, fxUsul{"alamat", "Jl. Diponegoro No. 5A, Semarang", "pindah rumah, sesuai KTP baru"})
	r2, err := f.s.Kirim(f.budi, nipBudi)
	fxMust(t, err)
	if r2.ID != sub.ID || r2.Round != 2 || r2.State != store.StateLevel1 {
		t.Fatalf("resend = #%d round %d %s, want #%d round 2 level1", r2.ID, r2.Round, r2.State, sub.ID)
	}
	if subs, _ := f.s.Submissions(f.budi, nipBudi); len(subs) != 1 {
		t.Fatalf("resend created a new submission: %d", len(subs))
	}
	if !f.inInbox(f.v1U01, sub.ID) {
		t.Fatal("resent submission not in the Level 1 inbox")
	}
	for _, field := range []string{"no_hp", "kode_pos"} {
		d, ok := fxLine(t, r2, field).Decision(1, r2.Round)
		if !ok || d.Verdict != store.Setuju || d.Round != 1 {
			t.Errorf("unchanged %s lost its Level 1 decision: %+v %v", field, d, ok)
		}
	}
	al := fxLine(t, r2, "alamat")
	if _, ok := al.Decision(1, r2.Round); ok || al.Since != 2 || al.New != "Jl. Diponegoro No. 5A, Semarang" {
		t.Fatalf("changed alamat line = %+v", al)
	}
	if len(al.Decisions) != 1 {
		t.Errorf("the BTS decision should stay in the line's history: %+v", al.Decisions)
	}
	if und := r2.Undecided(); len(und) != 1 || und[0].Field != "alamat" {
		t.Fatalf("Undecided = %+v, want only alamat", und)
	}
	_, err = f.s.Forward(f.v1U01, sub.ID, r2.Rev)
	fxWantErr(t, err, store.ErrIncomplete)

	f.decide(f.v1U01, sub.ID, "alamat", store.Setuju, "")
	f.forward(f.v1U01, sub.ID)
	for _, field := range []string{"no_hp", "alamat", "kode_pos"} {
		f.decide(f.v2, sub.ID, field, store.Setuju, "")
	}
	done := f.forward(f.v2, sub.ID)
	if done.State != store.StateDone || done.Round != 2 {
		t.Fatalf("final = %s round %d", done.State, done.Round)
	}
	rec, _ := f.s.Record(nipBudi)
	if rec.Fields["alamat"] != "Jl. Diponegoro No. 5A, Semarang" || rec.Fields["no_hp"] != usulHP.value || rec.Fields["kode_pos"] != "50241" {
		t.Fatalf("master = %v", rec.Fields)
	}
}

// TestUnchangedBTSLineNeedsNewDecision: BTS asks for a new look even when the PNS resends the line
// unchanged (e.g. after bringing the document); the BTS verdict must not count in the new round.
func TestUnchangedBTSLineNeedsNewDecision(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP, usulAlamat)
	f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "")
	f.decide(f.v1U01, sub.ID, "alamat", store.BTS, "bawa KTP asli")
	f.forward(f.v1U01, sub.ID)
	r2, err := f.s.Kirim(f.budi, nipBudi)
	fxMust(t, err)
	al := fxLine(t, r2, "alamat")
	if al.Since != 1 {
		t.Fatalf("unchanged line marked changed: since %d", al.Since)
	}
	if d, ok := al.Decision(1, r2.Round); ok {
		t.Fatalf("last round's BTS still counts: %+v", d)
	}
	if und := r2.Undecided(); len(und) != 1 || und[0].Field != "alamat" {
		t.Fatalf("Undecided = %+v", und)
	}
}

// TestLevel2BTSResendKeepsApprovalsAtBothLevels: after a BTS at Level 2, the resent submission
// starts again at Level 1, but lines that did not change keep both levels' approvals, so each
// verifier only decides the changed line.
func TestLevel2BTSResendKeepsApprovalsAtBothLevels(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP, usulAlamat)
	f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "")
	f.decide(f.v1U01, sub.ID, "alamat", store.Setuju, "")
	f.forward(f.v1U01, sub.ID)
	f.decide(f.v2, sub.ID, "no_hp", store.Setuju, "")
	f.decide(f.v2, sub.ID, "alamat", store.BTS, "KTP buram")
	if ret := f.forward(f.v2, sub.ID); ret.State != store.StateReturned {
		t.Fatalf("state = %s", ret.State)
	}
	f.propose(f.budi, fxUsul{"alamat", "Jl. Diponegoro No. 7, Semarang", "sesuai KTP baru"})
	r2, err := f.s.Kirim(f.budi, nipBudi)
	fxMust(t, err)
	if r2.State != store.StateLevel1 {
		t.Fatalf("resend went to %s, want level1", r2.State)
	}
	if und := r2.Undecided(); len(und) != 1 || und[0].Field != "alamat" {
		t.Fatalf("Level 1 undecided = %+v", und)
	}
	f.decide(f.v1U01, sub.ID, "alamat", store.Setuju, "")
	l2 := f.forward(f.v1U01, sub.ID)
	if und := l2.Undecided(); len(und) != 1 || und[0].Field != "alamat" {
		t.Fatalf("Level 2 undecided = %+v", und)
	}
	f.decide(f.v2, sub.ID, "alamat", store.Setuju, "")
	done := f.forward(f.v2, sub.ID)
	if done.State != store.StateDone {
		t.Fatalf("state = %s", done.State)
	}
	rec, _ := f.s.Record(nipBudi)
	if rec.Fields["no_hp"] != usulHP.value || rec.Fields["alamat"] != "Jl. Diponegoro No. 7, Semarang" {
		t.Fatalf("master = %v", rec.Fields)
	}
}

// TestVerifierOfWrongLevelGetsErrState: a Level 2 verifier cannot act on a submission still at
// Level 1 (nor Level 1 once it moved on): the step is not allowed in that state.
func TestVerifierOfWrongLevelGetsErrState(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP)
	_, err := f.s.Decide(f.v2, sub.ID, sub.Rev, "no_hp", store.Setuju, "")
	fxWantErr(t, err, store.ErrState)
	_, err = f.s.Forward(f.v2, sub.ID, sub.Rev)
	fxWantErr(t, err, store.ErrState)
	if _, err := f.s.Submission(f.v2, sub.ID); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("Level 2 reads a Level 1 submission: %v", err)
	}
	f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "")
	l2 := f.forward(f.v1U01, sub.ID)
	_, err = f.s.Decide(f.v1U01, sub.ID, l2.Rev, "no_hp", store.TMS, "berubah pikiran")
	fxWantErr(t, err, store.ErrState)
	// Once done, nobody decides any more.
	f.decide(f.v2, sub.ID, "no_hp", store.Setuju, "")
	done := f.forward(f.v2, sub.ID)
	_, err = f.s.Decide(f.v2, sub.ID, done.Rev, "no_hp", store.TMS, "terlambat")
	fxWantErr(t, err, store.ErrState)
	_, err = f.s.Forward(f.v2, sub.ID, done.Rev)
	fxWantErr(t, err, store.ErrState)
}

// TestOutOfScopeVerifierForbidden: a verifier never sees or decides a PNS outside their scope
// (DOMAIN.md "Scope is the organisation tree").
func TestOutOfScopeVerifierForbidden(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.siti, usulHP) // unit U01.01, SKPD U01
	_, err := f.s.Decide(f.v1U02, sub.ID, sub.Rev, "no_hp", store.Setuju, "")
	fxWantErr(t, err, store.ErrForbidden)
	_, err = f.s.Forward(f.v1U02, sub.ID, sub.Rev)
	fxWantErr(t, err, store.ErrForbidden)
	_, err = f.s.Submission(f.v1U02, sub.ID)
	fxWantErr(t, err, store.ErrForbidden)
	// A Level 1 verifier scoped to the nested unit itself is not the SKPD's verifier either.
	nested := store.Actor{Login: "v1.bidang", Role: store.RoleV1, ScopeID: unitU0101}
	_, err = f.s.Decide(nested, sub.ID, sub.Rev, "no_hp", store.Setuju, "")
	fxWantErr(t, err, store.ErrForbidden)

	f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "")
	l2 := f.forward(f.v1U01, sub.ID)
	otherBKD := store.Actor{Login: "v2.p34", Role: store.RoleV2, ScopeID: "P34"}
	_, err = f.s.Decide(otherBKD, sub.ID, l2.Rev, "no_hp", store.Setuju, "")
	fxWantErr(t, err, store.ErrForbidden)
	_, err = f.s.Submission(otherBKD, sub.ID)
	fxWantErr(t, err, store.ErrForbidden)
	if got := f.inbox(otherBKD); len(got) != 0 {
		t.Fatalf("other BKD's inbox = %v", got)
	}
	cur, _ := f.s.Submission(f.v2, sub.ID)
	if cur.Rev != l2.Rev {
		t.Fatal("refused calls changed the submission")
	}
}

// TestVerifierNeverDecidesOwnSubmission: a verifier who is also a PNS of the SKPD cannot decide
// their own proposals (DOMAIN.md: "never decides their own submission").
func TestVerifierNeverDecidesOwnSubmission(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP)
	self := store.Actor{Login: "budi.verifikator", Role: store.RoleV1, ScopeID: unitU01, NIP: nipBudi}
	_, err := f.s.Decide(self, sub.ID, sub.Rev, "no_hp", store.Setuju, "")
	fxWantErr(t, err, store.ErrForbidden)
	_, err = f.s.Forward(self, sub.ID, sub.Rev)
	fxWantErr(t, err, store.ErrForbidden)
	selfByLogin := store.Actor{Login: nipBudi, Role: store.RoleV1, ScopeID: unitU01}
	_, err = f.s.Decide(selfByLogin, sub.ID, sub.Rev, "no_hp", store.Setuju, "")
	fxWantErr(t, err, store.ErrForbidden)
}

// TestNonVerifierCannotDecide: a PNS (even on their own submission), an admin or an operator is
// not a verifier at all: that is a matter of authority (ErrForbidden), not of the submission's state.
func TestNonVerifierCannotDecide(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP)
	for _, a := range []store.Actor{f.budi, f.siti, {Login: "admin", Role: store.RoleAdmin}, {Login: "op", Role: store.RoleOperator, ScopeID: unitU01}} {
		_, err := f.s.Decide(a, sub.ID, sub.Rev, "no_hp", store.Setuju, "")
		fxWantErr(t, err, store.ErrForbidden)
		_, err = f.s.Forward(a, sub.ID, sub.Rev)
		fxWantErr(t, err, store.ErrForbidden)
		_, err = f.s.Inbox(a, "", 10)
		fxWantErr(t, err, store.ErrForbidden)
	}
	cur, _ := f.s.Submission(f.budi, sub.ID)
	if cur.Rev != sub.Rev || cur.State != store.StateLevel1 {
		t.Fatal("refused calls changed the submission")
	}
}

// TestSubmissionReadAccess: the PNS tracks their own submission; no other PNS may read it.
func TestSubmissionReadAccess(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP)
	if got, err := f.s.Submission(f.budi, sub.ID); err != nil || got.ID != sub.ID {
		t.Fatalf("own submission: %v", err)
	}
	if _, err := f.s.Submission(f.v1U01, sub.ID); err != nil {
		t.Fatalf("in-scope verifier: %v", err)
	}
	_, err := f.s.Submission(f.siti, sub.ID)
	fxWantErr(t, err, store.ErrForbidden)
	_, err = f.s.Submission(f.budi, 4242)
	fxWantErr(t, err, store.ErrNotFound)
}

// TestForwardTwice: a double-click on "Teruskan" (or a second tab) must not move the submission
// twice: the second call with the old revision is refused.
func TestForwardTwice(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP)
	d := f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "")
	if _, err := f.s.Forward(f.v1U01, sub.ID, d.Rev); err != nil {
		t.Fatal(err)
	}
	_, err := f.s.Forward(f.v1U01, sub.ID, d.Rev)
	if !errors.Is(err, store.ErrConflict) && !errors.Is(err, store.ErrState) {
		t.Fatalf("second Forward = %v, want ErrConflict or ErrState", err)
	}
	cur, _ := f.s.Submission(f.v2, sub.ID)
	if cur.State != store.StateLevel2 || len(cur.Steps) != 2 {
		t.Fatalf("after double Forward: %s, %d steps", cur.State, len(cur.Steps))
	}
	if got := f.inbox(f.v2); !slices.Equal(got, []uint64{sub.ID}) {
		t.Fatalf("Level 2 inbox = %v", got)
	}
}

// TestSubmissionsNewestFirst: the tracking page lists a PNS's submissions newest first.
func TestSubmissionsNewestFirst(t *testing.T) {
	f := newFx(t)
	first := f.send(f.budi)
	second := f.send(f.budi, usulHP)
	subs, err := f.s.Submissions(f.budi, nipBudi)
	fxMust(t, err)
	if len(subs) != 2 || subs[0].ID != second.ID || subs[1].ID != first.ID {
		t.Fatalf("Submissions = %+v", subs)
	}
	if form, _ := f.s.Form(f.budi, nipBudi); form.Submission.ID != second.ID {
		t.Fatal("form does not show the latest submission")
	}
}

// fxBulkSend makes n more PNS in unit and has each send one proposal; it returns the IDs in
// sending order.
func fxBulkSend(f *fx, unit string, first, n int) []uint64 {
	f.t.Helper()
	var ids []uint64
	for i := first; i < first+n; i++ {
		nip := fmt.Sprintf("19860926201505%d%03d", 1, 100+i)
		a := f.addPNS(nip, unit, "Pegawai "+string(rune('A'+i%26)), 100+i)
		ids = append(ids, f.send(a, usulHP).ID)
	}
	return ids
}

// fxPages reads an inbox page by page with the given limit and returns the page sizes and IDs.
func fxPages(t *testing.T, f *fx, v store.Actor, limit int) (sizes []int, ids []uint64) {
	t.Helper()
	cursor := ""
	for range 100 {
		page, err := f.s.Inbox(v, cursor, limit)
		fxMust(t, err)
		sizes = append(sizes, len(page.Items))
		for i, it := range page.Items {
			ids = append(ids, it.ID)
			if i > 0 && it.SentAt.After(page.Items[i-1].SentAt) {
				t.Errorf("page not newest first: %v after %v", it.SentAt, page.Items[i-1].SentAt)
			}
		}
		if page.Next == "" {
			return sizes, ids
		}
		cursor = page.Next
	}
	t.Fatal("inbox paging does not end")
	return nil, nil
}

func fxReversed(ids []uint64) []uint64 {
	out := slices.Clone(ids)
	slices.Reverse(out)
	return out
}

// TestInboxPagingNewestFirst: a Level 1 inbox of a large SKPD is read in pages, newest first, with
// a cursor: every submission exactly once, no empty trailing page, and another SKPD's submissions
// never mixed in.
func TestInboxPagingNewestFirst(t *testing.T) {
	f := newFx(t)
	f.send(f.agus, usulHP) // another SKPD: must not appear
	sent := fxBulkSend(f, unitU01, 0, 7)

	sizes, ids := fxPages(t, f, f.v1U01, 3)
	if !slices.Equal(sizes, []int{3, 3, 1}) {
		t.Fatalf("page sizes = %v, want [3 3 1]", sizes)
	}
	if !slices.Equal(ids, fxReversed(sent)) {
		t.Fatalf("inbox order = %v, want newest first %v", ids, fxReversed(sent))
	}
	page, _ := f.s.Inbox(f.v1U01, "", 3)
	if page.Total != 7 {
		t.Fatalf("Total = %d, want 7", page.Total)
	}

	// A submission arriving between two page reads shows up on a first page, never as a duplicate.
	p1, _ := f.s.Inbox(f.v1U01, "", 3)
	late := fxBulkSend(f, unitU0101, 7, 1)[0]
	p2, _ := f.s.Inbox(f.v1U01, p1.Next, 3)
	for _, it := range p2.Items {
		if it.ID == late || slices.ContainsFunc(p1.Items, func(x store.InboxItem) bool { return x.ID == it.ID }) {
			t.Fatalf("page 2 repeats %d", it.ID)
		}
	}
	if p2.Items[0].ID != sent[3] {
		t.Fatalf("page 2 starts at %d, want %d", p2.Items[0].ID, sent[3])
	}

	// Once one leaves (forwarded to Level 2), 7 remain: pages 3, 3, 1; at 6 there is no empty page.
	f.decide(f.v1U01, late, "no_hp", store.Setuju, "")
	f.forward(f.v1U01, late)
	f.decide(f.v1U01, sent[0], "no_hp", store.Setuju, "")
	f.forward(f.v1U01, sent[0])
	sizes, ids = fxPages(t, f, f.v1U01, 3)
	if !slices.Equal(sizes, []int{3, 3}) || !slices.Equal(ids, fxReversed(sent[1:])) {
		t.Fatalf("after forwarding: sizes %v ids %v", sizes, ids)
	}

	// Level 2 has its own inbox, newest arrival first.
	if got := f.inbox(f.v2); !slices.Equal(got, []uint64{sent[0], late}) {
		t.Fatalf("Level 2 inbox = %v", got)
	}
}

// TestInboxPagingSameInstant: submissions that arrive in the same nanosecond (a clock with coarse
// resolution, a bulk import) still page without loss or repetition, newest ID first.
func TestInboxPagingSameInstant(t *testing.T) {
	f := newFx(t)
	f.clock.SetStep(0)
	sent := fxBulkSend(f, unitU01, 0, 7)
	sizes, ids := fxPages(t, f, f.v1U01, 3)
	if !slices.Equal(sizes, []int{3, 3, 1}) || !slices.Equal(ids, fxReversed(sent)) {
		t.Fatalf("sizes %v ids %v, want [3 3 1] %v", sizes, ids, fxReversed(sent))
	}
	sizes, ids = fxPages(t, f, f.v1U01, 1)
	if len(sizes) != 7 || !slices.Equal(ids, fxReversed(sent)) {
		t.Fatalf("page size 1: sizes %v ids %v", sizes, ids)
	}
}

// TestInboxCursorIsScoped: a cursor is only good for the inbox it came from; a tampered or
// foreign cursor is refused rather than opening another SKPD's inbox.
func TestInboxCursorIsScoped(t *testing.T) {
	f := newFx(t)
	fxBulkSend(f, unitU01, 0, 3)
	f.send(f.agus, usulHP)
	page, err := f.s.Inbox(f.v1U01, "", 1)
	fxMust(t, err)
	if page.Next == "" {
		t.Fatal("no cursor")
	}
	_, err = f.s.Inbox(f.v1U02, page.Next, 1)
	fxWantErr(t, err, store.ErrInvalid)
	_, err = f.s.Inbox(f.v2, page.Next, 1)
	fxWantErr(t, err, store.ErrInvalid)
	_, err = f.s.Inbox(f.v1U01, "!!not-base64!!", 1)
	fxWantErr(t, err, store.ErrInvalid)
	// A silly limit falls back to a sane page size instead of failing or dumping everything.
	for _, limit := range []int{0, -1, 1_000_000} {
		p, err := f.s.Inbox(f.v1U01, "", limit)
		if err != nil || len(p.Items) != 3 {
			t.Fatalf("limit %d: %d items, %v", limit, len(p.Items), err)
		}
	}
}

// TestConcurrentDecideSameLine: two verifiers of the same SKPD open the same submission and
// decide the same line at once. Exactly one decision is recorded; the other verifier is told the
// data changed (ErrConflict) instead of silently overwriting. Run with -race.
func TestConcurrentDecideSameLine(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP, usulAlamat, usulPos,
		fxUsul{"npwp", "012345678901000", "belum tercatat"},
		fxUsul{"email", "budi.santoso@contoh.go.id", "ganti"},
		fxUsul{"tempat_lahir", "Kota Semarang", "sesuai akta"})
	if len(sub.Lines) != 6 {
		t.Fatalf("%d lines", len(sub.Lines))
	}
	for _, line := range sub.Lines {
		rev := f.rev(f.v1U01, sub.ID)
		type result struct {
			who store.Actor
			sub store.Submission
			err error
		}
		results := make(chan result, 2)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, v := range []store.Actor{f.v1U01, f.v1U01b} {
			verdict, note := store.Setuju, ""
			if i == 1 {
				verdict, note = store.BTS, "berkas kurang"
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				s, err := f.s.Decide(v, sub.ID, rev, line.Field, verdict, note)
				results <- result{v, s, err}
			}()
		}
		close(start)
		wg.Wait()
		close(results)
		var winner *result
		conflicts := 0
		for r := range results {
			switch {
			case r.err == nil:
				if winner != nil {
					t.Fatalf("%s: both decisions accepted", line.Field)
				}
				winner = &r
			case errors.Is(r.err, store.ErrConflict):
				conflicts++
			default:
				t.Fatalf("%s: unexpected error %v", line.Field, r.err)
			}
		}
		if winner == nil || conflicts != 1 {
			t.Fatalf("%s: winner=%v conflicts=%d", line.Field, winner != nil, conflicts)
		}
		cur, _ := f.s.Submission(f.v1U01, sub.ID)
		l := fxLine(t, cur, line.Field)
		if len(l.Decisions) != 1 || l.Decisions[0].By != winner.who.Login || cur.Rev != rev+1 {
			t.Fatalf("%s: decisions %+v rev %d, want one by %s at rev %d", line.Field, l.Decisions, cur.Rev, winner.who.Login, rev+1)
		}
	}
	n := 0
	for _, k := range f.eventKinds(nipBudi) {
		if k == "putusan" {
			n++
		}
	}
	if n != 6 {
		t.Fatalf("%d decision events, want 6", n)
	}
}

// TestConcurrentForward: several clicks on "Teruskan" at once move the submission exactly once:
// one step, one Level 2 inbox entry, and nothing left in the Level 1 inbox.
func TestConcurrentForward(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, usulHP)
	d := f.decide(f.v1U01, sub.ID, "no_hp", store.Setuju, "")
	const n = 8
	errs := make(chan error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		v := f.v1U01
		if i%2 == 1 {
			v = f.v1U01b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := f.s.Forward(v, sub.ID, d.Rev)
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrState):
		default:
			t.Fatalf("unexpected error %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d Forwards succeeded, want exactly 1", ok)
	}
	cur, _ := f.s.Submission(f.v2, sub.ID)
	if cur.State != store.StateLevel2 || len(cur.Steps) != 2 || cur.Rev != d.Rev+1 {
		t.Fatalf("after concurrent Forward: %s, %d steps, rev %d", cur.State, len(cur.Steps), cur.Rev)
	}
	if got := f.inbox(f.v1U01); len(got) != 0 {
		t.Fatalf("Level 1 inbox = %v", got)
	}
	if got := f.inbox(f.v2); !slices.Equal(got, []uint64{sub.ID}) {
		t.Fatalf("Level 2 inbox = %v", got)
	}
}

// TestConcurrentKirim: a PNS double-clicking Kirim (the 2015 deadline days) creates one
// submission, not two; the other click finds the form locked.
func TestConcurrentKirim(t *testing.T) {
	f := newFx(t)
	f.propose(f.budi, usulHP)
	f.confirmRest(f.budi)
	const n = 5
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.s.Kirim(f.budi, nipBudi)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		if err == nil {
			ok++
		} else if !errors.Is(err, store.ErrLocked) {
			t.Fatalf("unexpected error %v", err)
		}
	}
	subs, _ := f.s.Submissions(f.budi, nipBudi)
	if ok != 1 || len(subs) != 1 || len(f.inbox(f.v1U01)) != 1 {
		t.Fatalf("%d Kirim succeeded, %d submissions", ok, len(subs))
	}
}
