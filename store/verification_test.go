package store_test

// Tests of the four-level routing (DOMAIN.md flow step 6), withdrawal, turun status and
// re-review after a return. The fixture of helpers_test.go is extended with BKN's verifiers and an
// instansi pusat.

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

// Lines used here: nama and gelar_depan need BKN's authority in the catalogue; no_hp and alamat do not.
var (
	usulNama  = fxUsul{"nama", "Budi Susanto", "sesuai SK CPNS"}
	usulGelar = fxUsul{"gelar_depan", "Dr.", "lulus S-3"}
)

const (
	fxPusat     = "K01"     // a ministry: instansi pusat, verified by BKN Pusat
	unitK01     = "K01.U01" // its SKPD
	nipWati     = "198811222012122001"
	fxKanregOwn = "I" // P33's Kanreg
)

// bknFx is the fixture with the BKN levels: the Kanreg of P33, another Kanreg, BKN Pusat, and a
// PNS (Wati) of an instansi pusat with the verifiers of her Level 1 and 2.
type bknFx struct {
	*fx
	v3, v3b, v3Other, v4 store.Actor
	wati                 store.Actor
	v1K01, v2K01         store.Actor
}

func newBKNFx(t *testing.T) *bknFx {
	t.Helper()
	f := &bknFx{fx: newFx(t),
		v3:      store.Actor{Login: "v3.kanreg1", Role: store.RoleV3, ScopeID: fxKanregOwn, Name: "Verifikator Kanreg I"},
		v3b:     store.Actor{Login: "v3.kanreg1.b", Role: store.RoleV3, ScopeID: fxKanregOwn, Name: "Verifikator Kanreg I (2)"},
		v3Other: store.Actor{Login: "v3.kanreg2", Role: store.RoleV3, ScopeID: "II", Name: "Verifikator Kanreg II"},
		v4:      store.Actor{Login: "v4.pusat", Role: store.RoleV4, Name: "Verifikator BKN Pusat"},
		v1K01:   store.Actor{Login: "v1.k01", Role: store.RoleV1, ScopeID: unitK01},
		v2K01:   store.Actor{Login: "v2.k01", Role: store.RoleV2, ScopeID: fxPusat},
		wati:    fxPNS(nipWati),
	}
	// The ministry fxPusat and its unit come with the test office's organisation (storetest.SeedOrg).
	rec := storetest.Record(nipWati, unitK01, "Wati Lestari", storetest.NIK(nipWati, 7))
	rec.InstansiID = fxPusat
	rec.Fields["jenis_pegawai"] = "1"
	f.putMasters(rec)
	return f
}

// pass has the verifier approve every line in front of them and forward.
func (f *bknFx) pass(v store.Actor, id uint64) store.Submission {
	f.t.Helper()
	sub, err := f.s.Submission(v, id)
	fxMust(f.t, err)
	for _, l := range sub.Undecided() {
		f.decide(v, id, l.Field, store.Setuju, "")
	}
	return f.forward(v, id)
}

func reviewFields(s store.Submission) []string {
	var out []string
	for _, i := range s.ReviewLines() {
		out = append(out, s.Lines[i].Field)
	}
	return out
}

// TestRoutingFollowsTheCatalogue: each line's final level comes from the field catalogue's BKN flag
// and the instansi, not from code naming fields: BKN fields end at the Kanreg (Level 3) for an
// instansi daerah, every other field at Level 2.
func TestRoutingFollowsTheCatalogue(t *testing.T) {
	f := newBKNFx(t)
	sub := f.send(f.budi, usulNama, usulGelar, usulHP, usulAlamat, fxUsul{"npwp", "012345678901000", "belum tercatat"})
	if sub.BKNLevel != 3 || sub.KanregID != fxKanregOwn {
		t.Fatalf("daerah submission routed to level %d kanreg %q, want 3 %q", sub.BKNLevel, sub.KanregID, fxKanregOwn)
	}
	for _, l := range sub.Lines {
		fd, _ := store.FieldByKey(l.Field)
		want := 2
		if fd.BKN {
			want = 3
		}
		if l.BKN != fd.BKN || l.Final != want {
			t.Errorf("%s: BKN %v final %d, want BKN %v final %d", l.Field, l.BKN, l.Final, fd.BKN, want)
		}
	}
	if p := sub.Path(); !slices.Equal(p, []int{1, 2, 3}) {
		t.Errorf("Path = %v, want [1 2 3]", p)
	}
	// Without a BKN line the path ends at Level 2.
	if p := f.send(f.siti, usulHP).Path(); !slices.Equal(p, []int{1, 2}) {
		t.Errorf("path without BKN lines = %v, want [1 2]", p)
	}
}

// TestDaerahBKNLinesGoToOwnKanregOnly walks a daerah submission with a BKN line and a non-BKN
// line: Level 2 passes only the BKN line on, to the Kanreg of the instansi (not another Kanreg, not
// BKN Pusat); the non-BKN line is done at Level 2 but applied only with the rest, when the Kanreg
// finishes, as one new version naming every approver at every level.
func TestDaerahBKNLinesGoToOwnKanregOnly(t *testing.T) {
	f := newBKNFx(t)
	sub := f.send(f.budi, usulNama, usulHP)
	f.pass(f.v1U01, sub.ID)
	l3 := f.pass(f.v2, sub.ID)
	if l3.State != store.StateLevel3 {
		t.Fatalf("after Level 2: %s, want level3", l3.State)
	}
	if f.inInbox(f.v2, sub.ID) || !f.inInbox(f.v3, sub.ID) || f.inInbox(f.v3Other, sub.ID) || f.inInbox(f.v4, sub.ID) {
		t.Fatalf("inboxes: L2 %v, Kanreg I %v, Kanreg II %v, Pusat %v", f.inbox(f.v2), f.inbox(f.v3), f.inbox(f.v3Other), f.inbox(f.v4))
	}
	if got := reviewFields(l3); !slices.Equal(got, []string{"nama"}) {
		t.Fatalf("Level 3 reviews %v, want only nama", got)
	}
	page, _ := f.s.Inbox(f.v3, "", 10)
	if len(page.Items) != 1 || page.Items[0].Lines != 1 {
		t.Fatalf("Kanreg inbox = %+v", page.Items)
	}
	_, err := f.s.Decide(f.v3, sub.ID, l3.Rev, "no_hp", store.Setuju, "")
	fxWantErr(t, err, store.ErrNotFound) // done at Level 2: not the Kanreg's to decide
	if rec, _ := f.s.Record(nipBudi); rec.Version != 1 {
		t.Fatal("master changed before the last level decided")
	}
	if form, _ := f.s.Form(f.budi, nipBudi); !form.Locked {
		t.Fatal("form unlocked while at Level 3")
	}

	done := f.pass(f.v3, sub.ID)
	if done.State != store.StateDone || done.Version != 2 {
		t.Fatalf("after Level 3: %s version %d", done.State, done.Version)
	}
	rec, _ := f.s.Record(nipBudi)
	if rec.Fields["nama"] != usulNama.value || rec.Fields["no_hp"] != usulHP.value {
		t.Fatalf("master = %v", rec.Fields)
	}
	vers, _ := f.s.Versions(nipBudi)
	var got []string
	for _, a := range vers[len(vers)-1].Approvals {
		got = append(got, fmt.Sprintf("%s@%d by %s", a.Field, a.Level, a.By))
	}
	slices.Sort(got)
	want := []string{"nama@1 by v1.u01", "nama@2 by v2.p33", "nama@3 by v3.kanreg1", "no_hp@1 by v1.u01", "no_hp@2 by v2.p33"}
	if !slices.Equal(got, want) {
		t.Fatalf("approvals = %v, want %v", got, want)
	}
	var path []store.State
	for _, st := range done.Steps {
		path = append(path, st.To)
	}
	if !slices.Equal(path, []store.State{store.StateLevel1, store.StateLevel2, store.StateLevel3, store.StateDone}) {
		t.Fatalf("steps = %v", path)
	}
}

// TestPusatBKNLinesGoToLevel4: an instansi pusat has no Kanreg; its BKN lines go to BKN Pusat
// (Level 4), which no Kanreg sees.
func TestPusatBKNLinesGoToLevel4(t *testing.T) {
	f := newBKNFx(t)
	sub := f.send(f.wati, fxUsul{"nama", "Wati Lestari Ningsih", "sesuai akta"}, usulHP)
	if sub.BKNLevel != 4 || sub.KanregID != "" || !slices.Equal(sub.Path(), []int{1, 2, 4}) {
		t.Fatalf("pusat submission: level %d kanreg %q path %v", sub.BKNLevel, sub.KanregID, sub.Path())
	}
	f.pass(f.v1K01, sub.ID)
	l4 := f.pass(f.v2K01, sub.ID)
	if l4.State != store.StateLevel4 || !f.inInbox(f.v4, sub.ID) || f.inInbox(f.v3, sub.ID) {
		t.Fatalf("after Level 2: %s, Pusat inbox %v, Kanreg inbox %v", l4.State, f.inbox(f.v4), f.inbox(f.v3))
	}
	_, err := f.s.Decide(f.v3, sub.ID, l4.Rev, "nama", store.Setuju, "")
	fxWantErr(t, err, store.ErrForbidden) // a Kanreg holds no instansi pusat: refused without learning its state
	done := f.pass(f.v4, sub.ID)
	if done.State != store.StateDone {
		t.Fatalf("after Level 4: %s", done.State)
	}
	if rec, _ := f.s.Record(nipWati); rec.Fields["nama"] != "Wati Lestari Ningsih" {
		t.Fatalf("master nama = %q", rec.Fields["nama"])
	}
}

// TestNoApprovedBKNLineIsDoneAtLevel2: BKN only sees lines Level 2 approved. When every BKN line
// was rejected (or BKN was never needed), Level 2 finishes the submission itself.
func TestNoApprovedBKNLineIsDoneAtLevel2(t *testing.T) {
	f := newBKNFx(t)
	sub := f.send(f.budi, usulNama, usulHP)
	f.pass(f.v1U01, sub.ID)
	f.decide(f.v2, sub.ID, "nama", store.TMS, "tidak ada SK pendukung")
	f.decide(f.v2, sub.ID, "no_hp", store.Setuju, "")
	done := f.forward(f.v2, sub.ID)
	if done.State != store.StateDone || f.inInbox(f.v3, sub.ID) {
		t.Fatalf("state %s, Kanreg inbox %v", done.State, f.inbox(f.v3))
	}
	rec, _ := f.s.Record(nipBudi)
	if rec.Fields["nama"] != "Budi Santoso" || rec.Fields["no_hp"] != usulHP.value {
		t.Fatalf("master = %v", rec.Fields)
	}
	// A BKN line rejected at Level 1 never reaches Level 2's BKN routing either.
	s2 := f.send(f.siti, fxUsul{"nama", "Siti Rahayu Ningsih", "akta"}, usulHP)
	f.decide(f.v1U01, s2.ID, "nama", store.TMS, "akta tidak ada")
	f.decide(f.v1U01, s2.ID, "no_hp", store.Setuju, "")
	f.forward(f.v1U01, s2.ID)
	if d := f.pass(f.v2, s2.ID); d.State != store.StateDone {
		t.Fatalf("second submission after Level 2: %s", d.State)
	}
}

// TestBKNLevelIllegalMoves: at Level 3 only the Kanreg of the instansi decides, only BKN lines,
// only while it waits there; Level 2 can no longer decide once it moved on.
func TestBKNLevelIllegalMoves(t *testing.T) {
	f := newBKNFx(t)
	sub := f.send(f.budi, usulNama)
	// Before it reaches Level 3 a Kanreg verifier can neither read nor decide it.
	_, err := f.s.Submission(f.v3, sub.ID)
	fxWantErr(t, err, store.ErrForbidden)
	_, err = f.s.Decide(f.v3, sub.ID, sub.Rev, "nama", store.Setuju, "")
	fxWantErr(t, err, store.ErrState)
	f.pass(f.v1U01, sub.ID)
	l3 := f.pass(f.v2, sub.ID)

	_, err = f.s.Decide(f.v2, sub.ID, l3.Rev, "nama", store.TMS, "berubah pikiran")
	fxWantErr(t, err, store.ErrState)
	_, err = f.s.Forward(f.v2, sub.ID, l3.Rev)
	fxWantErr(t, err, store.ErrState)
	_, err = f.s.Decide(f.v3Other, sub.ID, l3.Rev, "nama", store.Setuju, "")
	fxWantErr(t, err, store.ErrForbidden)
	_, err = f.s.Submission(f.v3Other, sub.ID)
	fxWantErr(t, err, store.ErrForbidden)
	_, err = f.s.Decide(f.v4, sub.ID, l3.Rev, "nama", store.Setuju, "")
	fxWantErr(t, err, store.ErrForbidden) // BKN Pusat holds no instansi daerah
	_, err = f.s.Forward(f.v3, sub.ID, l3.Rev)
	fxWantErr(t, err, store.ErrIncomplete)
	_, err = f.s.Decide(f.v3, sub.ID, l3.Rev, "nama", store.TMS, "")
	fxWantErr(t, err, store.ErrInvalid)
	if cur, _ := f.s.Submission(f.v3, sub.ID); cur.Rev != l3.Rev || cur.State != store.StateLevel3 {
		t.Fatalf("refused calls changed the submission: %s rev %d", cur.State, cur.Rev)
	}
	done := f.pass(f.v3, sub.ID)
	_, err = f.s.Decide(f.v3, sub.ID, done.Rev, "nama", store.TMS, "terlambat")
	fxWantErr(t, err, store.ErrState)
}

// TestKanregBTSResendReReviewsOnlyTheChangedLine: a BTS at the Kanreg returns the submission; the
// PNS may change only that line; on resend every level decides only that line again, while the
// unchanged lines keep their decisions at every level they passed, and the final version carries
// both.
func TestKanregBTSResendReReviewsOnlyTheChangedLine(t *testing.T) {
	f := newBKNFx(t)
	sub := f.send(f.budi, usulNama, usulGelar, usulHP)
	f.pass(f.v1U01, sub.ID)
	f.pass(f.v2, sub.ID)
	f.decide(f.v3, sub.ID, "nama", store.Setuju, "")
	f.decide(f.v3, sub.ID, "gelar_depan", store.BTS, "lampirkan ijazah S-3")
	ret := f.forward(f.v3, sub.ID)
	if ret.State != store.StateReturned || f.inInbox(f.v3, sub.ID) {
		t.Fatalf("after BTS at Level 3: %s", ret.State)
	}
	if got := ret.ReturnedFields(); len(got) != 1 || !got["gelar_depan"] {
		t.Fatalf("ReturnedFields = %v", got)
	}

	// Only the returned line can be changed; the others (approved or never proposed) are refused
	// at the field, and nothing is stored.
	for _, key := range []string{"nama", "no_hp", "alamat"} {
		_, _, err := f.s.Propose(f.budi, nipBudi, key, "Jl. Lain No. 1, Semarang", "coba")
		fxCheckFieldError(t, err, key)
	}
	fxCheckFieldError(t, fxErrOf(f.s.Confirm(f.budi, nipBudi, []string{"nama"}, false)), "nama")
	fxCheckFieldError(t, fxErrOf(f.s.Withdraw(f.budi, nipBudi, "no_hp")), "no_hp")
	if form, _ := f.s.Form(f.budi, nipBudi); form.Entries["nama"].New != usulNama.value || form.Entries["no_hp"].Status != store.EntryUsul {
		t.Fatal("a refused change was stored")
	}
	f.propose(f.budi, fxUsul{"gelar_depan", "Dr.", "lulus S-3, ijazah terlampir"})
	r2, err := f.s.Kirim(f.budi, nipBudi)
	fxMust(t, err)
	if r2.Round != 2 || r2.State != store.StateLevel1 {
		t.Fatalf("resend: round %d %s", r2.Round, r2.State)
	}

	for _, step := range []struct {
		v     store.Actor
		level int
	}{{f.v1U01, 1}, {f.v2, 2}, {f.v3, 3}} {
		cur, err := f.s.Submission(step.v, sub.ID)
		fxMust(t, err)
		if cur.State.Level() != step.level {
			t.Fatalf("expected level %d, at %s", step.level, cur.State)
		}
		und := cur.Undecided()
		if len(und) != 1 || und[0].Field != "gelar_depan" {
			t.Fatalf("Level %d undecided = %+v, want only gelar_depan", step.level, und)
		}
		for _, i := range cur.ReviewLines() {
			l := cur.Lines[i]
			if l.Field == "gelar_depan" {
				continue
			}
			d, ok := l.Decision(step.level, cur.Round)
			if !ok || d.Round != 1 || d.Verdict != store.Setuju {
				t.Errorf("Level %d: unchanged %s lost its decision: %+v %v", step.level, l.Field, d, ok)
			}
		}
		f.decide(step.v, sub.ID, "gelar_depan", store.Setuju, "")
		f.forward(step.v, sub.ID)
	}
	done, _ := f.s.Submission(f.budi, sub.ID)
	if done.State != store.StateDone {
		t.Fatalf("final state %s", done.State)
	}
	rec, _ := f.s.Record(nipBudi)
	if rec.Fields["nama"] != usulNama.value || rec.Fields["gelar_depan"] != "Dr." || rec.Fields["no_hp"] != usulHP.value {
		t.Fatalf("master = %v", rec.Fields)
	}
}

// TestChangedLineNeedsNewDecisionAtEveryLevel: a line whose value the PNS changes after a return
// (not only a BTS line kept as it was) voids its decisions at every level, including the levels
// that had approved it.
func TestChangedLineNeedsNewDecisionAtEveryLevel(t *testing.T) {
	f := newBKNFx(t)
	sub := f.send(f.budi, usulNama, usulHP)
	f.pass(f.v1U01, sub.ID)
	f.decide(f.v2, sub.ID, "nama", store.BTS, "ejaan nama berbeda dengan SK CPNS")
	f.decide(f.v2, sub.ID, "no_hp", store.Setuju, "")
	f.forward(f.v2, sub.ID)
	f.propose(f.budi, fxUsul{"nama", "Budi Susantoro", "sesuai SK CPNS"})
	r2, err := f.s.Kirim(f.budi, nipBudi)
	fxMust(t, err)
	nama := fxLine(t, r2, "nama")
	if nama.Since != 2 {
		t.Fatalf("changed line since %d, want 2", nama.Since)
	}
	for lv := 1; lv <= 3; lv++ {
		if d, ok := nama.Decision(lv, r2.Round); ok {
			t.Errorf("changed line keeps a Level %d decision: %+v", lv, d)
		}
	}
	if d, ok := fxLine(t, r2, "no_hp").Decision(2, r2.Round); !ok || d.Round != 1 {
		t.Errorf("unchanged no_hp lost Level 2: %+v %v", d, ok)
	}
}

// TestWithdrawBeforeOpened: the PNS takes back a submission no verifier has opened; it leaves the
// inbox, the form unlocks with every entry kept, and sending again continues the same submission.
func TestWithdrawBeforeOpened(t *testing.T) {
	f := newBKNFx(t)
	sub := f.send(f.budi, usulHP)
	w, err := f.s.WithdrawSubmission(f.budi, nipBudi)
	fxMust(t, err)
	if w.State != store.StateWithdrawn || f.inInbox(f.v1U01, sub.ID) {
		t.Fatalf("after withdraw: %s, inbox %v", w.State, f.inbox(f.v1U01))
	}
	form, _ := f.s.Form(f.budi, nipBudi)
	if form.Locked || !form.Editable("nama") || form.Entries["no_hp"].New != usulHP.value {
		t.Fatalf("form after withdraw: locked %v, entries %d", form.Locked, len(form.Entries))
	}
	if k := f.eventKinds(nipBudi); k[len(k)-1] != "tarik" {
		t.Fatalf("last event %q, want tarik", k[len(k)-1])
	}
	// Nothing to withdraw any more.
	_, err = f.s.WithdrawSubmission(f.budi, nipBudi)
	fxWantErr(t, err, store.ErrState)

	f.propose(f.budi, usulAlamat)
	r2, err := f.s.Kirim(f.budi, nipBudi)
	fxMust(t, err)
	if r2.ID != sub.ID || r2.Round != 2 || r2.State != store.StateLevel1 || len(r2.Lines) != 2 || !f.inInbox(f.v1U01, sub.ID) {
		t.Fatalf("resend after withdraw: #%d round %d %s %d lines", r2.ID, r2.Round, r2.State, len(r2.Lines))
	}
	// The new round is unopened again: it can be withdrawn again.
	if _, err := f.s.WithdrawSubmission(f.budi, nipBudi); err != nil {
		t.Fatalf("withdraw the resent, unopened round: %v", err)
	}
}

// TestWithdrawRefusedOnceOpened: opening the review page (or deciding without it) ends the right
// to withdraw; so does any other state than waiting with a verifier; and only the PNS may do it.
func TestWithdrawRefusedOnceOpened(t *testing.T) {
	f := newBKNFx(t)
	sub := f.send(f.budi, usulHP)
	_, err := f.s.WithdrawSubmission(f.siti, nipBudi)
	fxWantErr(t, err, store.ErrForbidden)
	_, err = f.s.WithdrawSubmission(f.v1U01, nipBudi)
	fxWantErr(t, err, store.ErrForbidden)
	// An out-of-scope verifier's look does not count, and is refused.
	_, _, err = f.s.OpenForReview(f.v1U02, sub.ID)
	fxWantErr(t, err, store.ErrForbidden)
	if cur, _ := f.s.Submission(f.budi, sub.ID); !cur.OpenedAt.IsZero() {
		t.Fatal("an out-of-scope verifier marked it opened")
	}
	o, first, err := f.s.OpenForReview(f.v1U01, sub.ID)
	fxMust(t, err)
	if !first || o.OpenedBy != f.v1U01.Login || o.Rev != sub.Rev {
		t.Fatalf("opened by %q rev %d (was %d): opening must not change the revision", o.OpenedBy, o.Rev, sub.Rev)
	}
	_, err = f.s.WithdrawSubmission(f.budi, nipBudi)
	fxWantErr(t, err, store.ErrState)
	if !f.inInbox(f.v1U01, sub.ID) {
		t.Fatal("refused withdraw moved the submission")
	}

	// Deciding without having loaded the page counts as opening too.
	s2 := f.send(f.siti, usulHP)
	f.decide(f.v1U01, s2.ID, "no_hp", store.Setuju, "")
	_, err = f.s.WithdrawSubmission(f.siti, nipSiti)
	fxWantErr(t, err, store.ErrState)

	// Never sent: nothing to withdraw.
	_, err = f.s.WithdrawSubmission(f.agus, nipAgus)
	fxWantErr(t, err, store.ErrNotFound)
}

// TestOpenForReviewWritesOnce: the review page is a GET that records the first opening; every later
// load (by anyone) is a read only: no new event, no new revision, the first opener kept.
func TestOpenForReviewWritesOnce(t *testing.T) {
	f := newBKNFx(t)
	sub := f.send(f.budi, usulHP)
	before := len(f.eventKinds(nipBudi))
	for i, v := range []store.Actor{f.v1U01, f.v1U01, f.v1U01b, f.v1U01} {
		o, first, err := f.s.OpenForReview(v, sub.ID)
		fxMust(t, err)
		if o.OpenedBy != f.v1U01.Login || o.TakenBy != f.v1U01.Login || o.Rev != sub.Rev || first != (i == 0) {
			t.Fatalf("opening %d: opened by %q taken by %q rev %d first %v", i, o.OpenedBy, o.TakenBy, o.Rev, first)
		}
	}
	kinds := f.eventKinds(nipBudi)
	if len(kinds) != before+1 || kinds[len(kinds)-1] != "dibuka" {
		t.Fatalf("events after four openings: %v", kinds[before:])
	}
	// Concurrent first openings record one opener.
	s2 := f.send(f.siti, usulHP)
	var wg sync.WaitGroup
	for _, v := range []store.Actor{f.v1U01, f.v1U01b, f.v1U01, f.v1U01b} {
		wg.Add(1)
		go func() { defer wg.Done(); _, _, _ = f.s.OpenForReview(v, s2.ID) }()
	}
	wg.Wait()
	n := 0
	for _, k := range f.eventKinds(nipSiti) {
		if k == "dibuka" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d opening events for concurrent openings, want 1", n)
	}
}

// TestSendDown: turun status sends a submission one level down its path with a reason: Level 2 to
// Level 1, Level 3 to Level 2. The reason is required, Level 1 cannot, a stale view cannot, and the
// lower level keeps its decisions (it may change them) and forwards again.
func TestSendDown(t *testing.T) {
	f := newBKNFx(t)
	sub := f.send(f.budi, usulNama, usulHP)
	_, err := f.s.SendDown(f.v1U01, sub.ID, sub.Rev, "periksa lagi")
	fxWantErr(t, err, store.ErrState)
	l2 := f.pass(f.v1U01, sub.ID)

	for _, reason := range []string{"", "   "} {
		_, err := f.s.SendDown(f.v2, sub.ID, l2.Rev, reason)
		fxCheckFieldError(t, err, "alasan_turun")
	}
	_, err = f.s.SendDown(f.v2, sub.ID, l2.Rev-1, "periksa lagi")
	fxWantErr(t, err, store.ErrConflict)
	_, err = f.s.SendDown(f.budi, sub.ID, l2.Rev, "periksa lagi")
	fxWantErr(t, err, store.ErrForbidden)

	down, err := f.s.SendDown(f.v2, sub.ID, l2.Rev, "  cek ulang ijazah  ")
	fxMust(t, err)
	if down.State != store.StateLevel1 || !f.inInbox(f.v1U01, sub.ID) || f.inInbox(f.v2, sub.ID) {
		t.Fatalf("after turun status: %s", down.State)
	}
	last := down.Steps[len(down.Steps)-1]
	if last.From != store.StateLevel2 || last.To != store.StateLevel1 || last.Note != "cek ulang ijazah" || last.By != f.v2.Login {
		t.Fatalf("step = %+v", last)
	}
	if k := f.eventKinds(nipBudi); k[len(k)-1] != "turun" {
		t.Fatalf("last event %q", k[len(k)-1])
	}
	if und := down.Undecided(); len(und) != 0 {
		t.Fatalf("Level 1 decisions were dropped: undecided %+v", und)
	}
	// Level 1 changes its mind on no_hp, then forwards: Level 2 sees only nama.
	f.decide(f.v1U01, sub.ID, "no_hp", store.TMS, "nomor bukan milik PNS")
	again := f.forward(f.v1U01, sub.ID)
	if got := reviewFields(again); !slices.Equal(got, []string{"nama"}) {
		t.Fatalf("Level 2 after turun status reviews %v", got)
	}
	l3 := f.pass(f.v2, sub.ID)

	// Level 3 sends down to Level 2 (not to Level 1).
	down3, err := f.s.SendDown(f.v3, sub.ID, l3.Rev, "SK CPNS tidak terbaca")
	fxMust(t, err)
	if down3.State != store.StateLevel2 || !f.inInbox(f.v2, sub.ID) {
		t.Fatalf("Level 3 turun status went to %s", down3.State)
	}
	// Once done, there is nothing to send down.
	f.forward(f.v2, sub.ID)
	done := f.pass(f.v3, sub.ID)
	_, err = f.s.SendDown(f.v3, sub.ID, done.Rev, "terlambat")
	fxWantErr(t, err, store.ErrState)
}

// TestConcurrentKanregVerifiers: two Kanreg verifiers on one submission at Level 3: both read, one
// decision per revision wins, and of many concurrent Teruskan exactly one moves it. Run with -race.
func TestConcurrentKanregVerifiers(t *testing.T) {
	f := newBKNFx(t)
	sub := f.send(f.budi, usulNama, usulGelar)
	f.pass(f.v1U01, sub.ID)
	l3 := f.pass(f.v2, sub.ID)
	for _, v := range []store.Actor{f.v3, f.v3b} {
		if _, _, err := f.s.OpenForReview(v, sub.ID); err != nil {
			t.Fatalf("%s cannot read: %v", v.Login, err)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, v := range []store.Actor{f.v3, f.v3b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.s.Decide(v, sub.ID, l3.Rev, "nama", store.Setuju, "")
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("want exactly one decision accepted: %v", errs)
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, store.ErrConflict) {
			t.Fatalf("loser got %v, want ErrConflict", err)
		}
	}
	d := f.decide(f.v3, sub.ID, "gelar_depan", store.Setuju, "")
	const n = 8
	results := make(chan error, n)
	for i := range n {
		v := []store.Actor{f.v3, f.v3b}[i%2]
		wg.Add(1)
		go func() { defer wg.Done(); _, err := f.s.Forward(v, sub.ID, d.Rev); results <- err }()
	}
	wg.Wait()
	close(results)
	ok := 0
	for err := range results {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrState):
		default:
			t.Fatalf("unexpected %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d forwards succeeded, want 1", ok)
	}
	vers, _ := f.s.Versions(nipBudi)
	teruskan := 0
	for _, k := range f.eventKinds(nipBudi) {
		if strings.HasPrefix(k, "teruskan") {
			teruskan++
		}
	}
	if len(vers) != 2 || teruskan != 3 {
		t.Fatalf("%d versions and %d forward events, want 2 and 3 (one per level)", len(vers), teruskan)
	}
}

// TestHistoryScope: a record's history is for its PNS and the verifiers whose scope holds the PNS
// at any level (the SKPD, the instansi, the Kanreg of an instansi daerah, BKN Pusat for an instansi
// pusat), and nobody else; it lists every version with its approvals.
func TestHistoryScope(t *testing.T) {
	f := newBKNFx(t)
	sub := f.send(f.budi, usulNama)
	f.pass(f.v1U01, sub.ID)
	f.pass(f.v2, sub.ID)
	f.pass(f.v3, sub.ID)
	for _, c := range []struct {
		who store.Actor
		nip string
		ok  bool
	}{
		{f.budi, nipBudi, true}, {f.v1U01, nipBudi, true}, {f.v2, nipBudi, true}, {f.v3, nipBudi, true},
		{f.siti, nipBudi, false}, {f.v1U02, nipBudi, false}, {f.v3Other, nipBudi, false}, {f.v4, nipBudi, false},
		{f.v2K01, nipBudi, false}, {store.Actor{Login: "admin", Role: store.RoleAdmin}, nipBudi, false},
		{f.v1U01, nipSiti, true}, // nested unit under the SKPD
		{f.wati, nipWati, true}, {f.v4, nipWati, true}, {f.v3, nipWati, false}, {f.v2, nipWati, false},
	} {
		rec, vers, err := f.s.History(c.who, c.nip)
		if !c.ok {
			if !errors.Is(err, store.ErrForbidden) {
				t.Errorf("%s reading %s: %v, want ErrForbidden", c.who.Login, c.nip, err)
			}
			continue
		}
		if err != nil || rec.NIP != c.nip || len(vers) == 0 {
			t.Errorf("%s reading %s: %v (%d versions)", c.who.Login, c.nip, err, len(vers))
		}
	}
	_, vers, err := f.s.History(f.budi, nipBudi)
	fxMust(t, err)
	if len(vers) != 2 || len(vers[1].Approvals) != 3 || vers[1].By != nipBudi || vers[1].SubmissionID != sub.ID {
		t.Fatalf("history = %+v", vers)
	}
	_, _, err = f.s.History(f.budi, "199999999999999999")
	fxWantErr(t, err, store.ErrNotFound)
}

// TestSummaryCountsBKNLevelsAndWithdrawals: the office summary counts submissions waiting at the
// BKN levels, and a PNS who withdrew has not sent.
func TestSummaryCountsBKNLevelsAndWithdrawals(t *testing.T) {
	f := newBKNFx(t)
	sub := f.send(f.budi, usulNama)
	f.pass(f.v1U01, sub.ID)
	f.pass(f.v2, sub.ID)
	f.send(f.siti, usulHP)
	_, err := f.s.WithdrawSubmission(f.siti, nipSiti)
	fxMust(t, err)
	w := f.send(f.wati, fxUsul{"nama", "Wati Lestari Ningsih", "akta"})
	f.pass(f.v1K01, w.ID)
	f.pass(f.v2K01, w.ID)
	all, err := f.s.Counters()
	fxMust(t, err)
	c := all[store.CounterOffice]
	if c[store.CountLevel(3)] != 1 || c[store.CountLevel(4)] != 1 {
		t.Fatalf("counted by state = %v", c)
	}
	if c[store.CountSent] != 2 || c[store.CountNotStarted] != c[store.CountMaster]-2 {
		t.Fatalf("sent %d, not started %d of %d: the withdrawn one counts as not sent", c[store.CountSent], c[store.CountNotStarted], c[store.CountMaster])
	}
}

// TestTransitionMatrix tries every step on a submission in every state, with the actor the step
// belongs to: what the flow allows succeeds, everything else is refused with the error that says
// why (ErrLocked: the form is with the verifiers; ErrState: not in this state; ErrIncomplete:
// lines undecided), and a refused step leaves the submission as it was.
func TestTransitionMatrix(t *testing.T) {
	type setup struct {
		name string
		make func(f *bknFx) (store.Actor, uint64) // the PNS and the submission id
		at   int                                  // the level it waits at (0: none)
	}
	budi := func(f *bknFx) uint64 { return f.send(f.budi, usulNama, usulHP).ID }
	setups := []setup{
		{"level1", func(f *bknFx) (store.Actor, uint64) { return f.budi, budi(f) }, 1},
		{"level2", func(f *bknFx) (store.Actor, uint64) { id := budi(f); f.pass(f.v1U01, id); return f.budi, id }, 2},
		{"level3", func(f *bknFx) (store.Actor, uint64) {
			id := budi(f)
			f.pass(f.v1U01, id)
			f.pass(f.v2, id)
			return f.budi, id
		}, 3},
		{"level4", func(f *bknFx) (store.Actor, uint64) {
			id := f.send(f.wati, fxUsul{"nama", "Wati Lestari Ningsih", "akta"}).ID
			f.pass(f.v1K01, id)
			f.pass(f.v2K01, id)
			return f.wati, id
		}, 4},
		{"dikembalikan", func(f *bknFx) (store.Actor, uint64) {
			id := budi(f)
			f.decide(f.v1U01, id, "nama", store.BTS, "lampirkan SK")
			f.decide(f.v1U01, id, "no_hp", store.Setuju, "")
			f.forward(f.v1U01, id)
			return f.budi, id
		}, 0},
		{"ditarik", func(f *bknFx) (store.Actor, uint64) {
			id := budi(f)
			_, err := f.s.WithdrawSubmission(f.budi, nipBudi)
			fxMust(f.t, err)
			return f.budi, id
		}, 0},
		{"selesai", func(f *bknFx) (store.Actor, uint64) {
			id := budi(f)
			f.pass(f.v1U01, id)
			f.pass(f.v2, id)
			f.pass(f.v3, id)
			return f.budi, id
		}, 0},
	}
	for _, st := range setups {
		t.Run(st.name, func(t *testing.T) {
			f := newBKNFx(t)
			pns, id := st.make(f)
			verifier := map[int]store.Actor{1: f.v1U01, 2: f.v2, 3: f.v3, 4: f.v4}
			if pns.NIP == nipWati {
				verifier[1], verifier[2] = f.v1K01, f.v2K01
			}
			before, err := f.s.Submission(pns, id)
			fxMust(t, err)
			unchanged := func(step string) {
				t.Helper()
				if cur, _ := f.s.Submission(pns, id); cur.Rev != before.Rev || cur.State != before.State {
					t.Fatalf("refused %s changed the submission: %s rev %d → %s rev %d", step, before.State, before.Rev, cur.State, cur.Rev)
				}
			}
			line := before.Lines[0].Field
			// Verifier steps at every level: only the level it waits at may act.
			for lv := 1; lv <= 4; lv++ {
				if lv == st.at {
					continue
				}
				v := verifier[lv]
				// A verifier whose scope holds the submission learns it is elsewhere (ErrState); one
				// whose scope never holds it (a Kanreg for an instansi pusat, BKN Pusat for an
				// instansi daerah) is refused without learning anything (ErrForbidden).
				want := store.ErrState
				if (pns.NIP == nipWati && lv == 3) || (pns.NIP != nipWati && lv == 4) {
					want = store.ErrForbidden
				}
				_, err := f.s.Decide(v, id, before.Rev, line, store.TMS, "uji")
				fxWantErr(t, err, want)
				_, err = f.s.Forward(v, id, before.Rev)
				fxWantErr(t, err, want)
				_, err = f.s.SendDown(v, id, before.Rev, "uji")
				fxWantErr(t, err, want)
				_, _, err = f.s.OpenForReview(v, id)
				fxWantErr(t, err, store.ErrForbidden)
				unchanged(fmt.Sprintf("Level %d steps", lv))
			}
			// The PNS's steps: withdraw (legal only before anyone opened it, see
			// TestWithdrawBeforeOpened), propose, send again.
			_, werr := f.s.WithdrawSubmission(pns, pns.NIP)
			_, _, perr := f.s.Propose(pns, pns.NIP, "no_hp", "081277778888", "uji")
			switch {
			case st.at > 1:
				fxWantErr(t, werr, store.ErrState) // Level 1 opened it
				fxWantErr(t, perr, store.ErrLocked)
			case st.at == 1:
				if werr != nil {
					t.Fatalf("withdrawing an unopened submission: %v", werr)
				}
				return
			case st.name == "dikembalikan":
				fxWantErr(t, werr, store.ErrState)
				fxCheckFieldError(t, perr, "no_hp") // not a returned line
			case st.name == "ditarik":
				fxWantErr(t, werr, store.ErrState)
				fxMust(t, perr) // the form is open again
			case st.name == "selesai":
				fxWantErr(t, werr, store.ErrState)
				fxMust(t, perr) // a fresh form
			}
			if st.at > 0 {
				_, err := f.s.Kirim(pns, pns.NIP)
				fxWantErr(t, err, store.ErrLocked)
				unchanged("the PNS's steps")
			} else {
				_, err := f.s.Kirim(pns, pns.NIP)
				if st.name == "selesai" {
					fxWantErr(t, err, store.ErrIncomplete) // a fresh form: the rest not looked at yet
				} else if err != nil {
					t.Fatalf("sending a %s submission again: %v", st.name, err)
				}
				return
			}
			// At its own level: reading and opening work; Forward waits for the decisions; the
			// decision goes through; Level 2 and above may send it down.
			v := verifier[st.at]
			cur, _, err := f.s.OpenForReview(v, id)
			fxMust(t, err)
			if len(cur.Undecided()) > 0 {
				_, err = f.s.Forward(v, id, cur.Rev)
				fxWantErr(t, err, store.ErrIncomplete)
			}
			d, err := f.s.Decide(v, id, cur.Rev, cur.Lines[cur.ReviewLines()[0]].Field, store.Setuju, "")
			fxMust(t, err)
			_, err = f.s.SendDown(v, id, d.Rev, "periksa ulang")
			fxMust(t, err) // Level 2 and above (Level 1 returned before this)
		})
	}
}
