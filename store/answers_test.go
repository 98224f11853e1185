package store_test

// The answers the store gives the screens: derived facts about a submission, a form, a record or a
// unit, which the handlers show and never work out again.

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"pupns/store"
)

// dec is a valid decision at a level in a round, for the rule tables.
func dec(level, round int, verdict string) store.Decision {
	return store.Decision{Level: level, Round: round, Verdict: verdict, By: "v", At: fxStart}
}

// TestLineResult: TMS wins, then approval at every level of the line's path, then BTS at any level;
// else nothing yet. A BTS beside a TMS (turun status after Level 2 rejected) still sends the line back.
func TestLineResult(t *testing.T) {
	for _, tc := range []struct {
		name     string
		line     store.Line
		round    int
		want     string
		sentBack bool
	}{
		{"undecided", store.Line{Since: 1}, 1, "", false},
		{"approved at level 1 only", store.Line{Since: 1, Decisions: []store.Decision{dec(1, 1, store.Setuju)}}, 1, "", false},
		{"approved at both levels", store.Line{Since: 1, Decisions: []store.Decision{dec(1, 1, store.Setuju), dec(2, 1, store.Setuju)}}, 1, store.Setuju, false},
		{"BKN line needs level 3 too", store.Line{Since: 1, Final: 3, Decisions: []store.Decision{dec(1, 1, store.Setuju), dec(2, 1, store.Setuju)}}, 1, "", false},
		{"BKN line approved at 3", store.Line{Since: 1, Final: 3, Decisions: []store.Decision{dec(1, 1, store.Setuju), dec(2, 1, store.Setuju), dec(3, 1, store.Setuju)}}, 1, store.Setuju, false},
		{"BTS at level 2", store.Line{Since: 1, Decisions: []store.Decision{dec(1, 1, store.Setuju), dec(2, 1, store.BTS)}}, 1, store.BTS, true},
		{"BTS of an earlier round is void", store.Line{Since: 1, Decisions: []store.Decision{dec(1, 1, store.BTS)}}, 2, "", false},
		{"TMS at level 1", store.Line{Since: 1, Decisions: []store.Decision{dec(1, 1, store.TMS)}}, 1, store.TMS, false},
		{"TMS at 2, then BTS at 1", store.Line{Since: 1, Decisions: []store.Decision{dec(1, 1, store.Setuju), dec(2, 1, store.TMS), dec(1, 1, store.BTS)}}, 1, store.TMS, true},
		{"decisions before the line changed are void", store.Line{Since: 2, Decisions: []store.Decision{dec(1, 1, store.TMS)}}, 2, "", false},
	} {
		if got := tc.line.Result(tc.round); got != tc.want {
			t.Errorf("%s: Result = %q, want %q", tc.name, got, tc.want)
		}
		if got := tc.line.SentBack(tc.round); got != tc.sentBack {
			t.Errorf("%s: SentBack = %v, want %v", tc.name, got, tc.sentBack)
		}
	}
}

// TestReturnedFieldsAreTheLinesSentBack: a returned submission opens exactly its BTS lines, also
// one that another level rejected before turun status.
func TestReturnedFieldsAreTheLinesSentBack(t *testing.T) {
	s := store.Submission{State: store.StateReturned, Round: 1, Lines: []store.Line{
		{Field: "a", Since: 1, Decisions: []store.Decision{dec(1, 1, store.BTS)}},
		{Field: "b", Since: 1, Decisions: []store.Decision{dec(1, 1, store.Setuju)}},
		{Field: "c", Since: 1, Decisions: []store.Decision{dec(1, 1, store.Setuju), dec(2, 1, store.TMS), dec(1, 1, store.BTS)}},
	}}
	got := s.ReturnedFields()
	if len(got) != 2 || !got["a"] || !got["c"] {
		t.Fatalf("ReturnedFields = %v, want a and c", got)
	}
	s.State = store.StateLevel1
	if got := s.ReturnedFields(); got != nil {
		t.Fatalf("ReturnedFields of a submission that is not returned = %v", got)
	}
}

// TestCanWithdraw: only while with the verifiers and unopened; the store's guard says the same.
func TestCanWithdraw(t *testing.T) {
	for _, tc := range []struct {
		state  store.State
		opened bool
		want   bool
	}{
		{store.StateLevel1, false, true},
		{store.StateLevel2, false, true},
		{store.StateLevel1, true, false},
		{store.StateReturned, false, false},
		{store.StateWithdrawn, false, false},
		{store.StateDone, false, false},
	} {
		s := store.Submission{State: tc.state}
		if tc.opened {
			s.OpenedAt = fxStart
		}
		if got := s.CanWithdraw(); got != tc.want {
			t.Errorf("%s opened=%v: CanWithdraw = %v, want %v", tc.state, tc.opened, got, tc.want)
		}
	}

	f := newFx(t)
	sub := f.send(f.budi, fxUsul{"alamat", "Jl. Pemuda 1", "pindah rumah"})
	if !sub.CanWithdraw() {
		t.Fatal("a fresh submission cannot be withdrawn")
	}
	if _, _, err := f.s.OpenForReview(f.v1U01, sub.ID); err != nil {
		t.Fatal(err)
	}
	subs, err := f.s.Submissions(f.budi, nipBudi)
	fxMust(t, err)
	if subs[0].CanWithdraw() {
		t.Fatal("an opened submission can still be withdrawn")
	}
	_, err = f.s.WithdrawSubmission(f.budi, nipBudi)
	fxWantErr(t, err, store.ErrState)
}

// TestForwardAndSendDownAnswers: who may take Teruskan and turun status, and where turun status goes.
func TestForwardAndSendDownAnswers(t *testing.T) {
	v1 := store.Actor{Role: store.RoleV1}
	v2 := store.Actor{Role: store.RoleV2}
	v3 := store.Actor{Role: store.RoleV3}
	decided := func(lv int) store.Line {
		l := store.Line{Field: "x", Since: 1, Final: 3}
		for i := 1; i <= lv; i++ {
			l.Decisions = append(l.Decisions, dec(i, 1, store.Setuju))
		}
		return l
	}
	for _, tc := range []struct {
		name        string
		sub         store.Submission
		actor       store.Actor
		forward     bool
		down        bool
		downTo      store.State
		downToKnown bool
	}{
		{"level 1, undecided", store.Submission{State: store.StateLevel1, Round: 1, Lines: []store.Line{decided(0)}}, v1, false, false, "", false},
		{"level 1, decided", store.Submission{State: store.StateLevel1, Round: 1, Lines: []store.Line{decided(1)}}, v1, true, false, "", false},
		{"level 1, decided, seen by level 2", store.Submission{State: store.StateLevel1, Round: 1, Lines: []store.Line{decided(1)}}, v2, false, false, "", false},
		{"level 2, undecided", store.Submission{State: store.StateLevel2, Round: 1, Lines: []store.Line{decided(1)}}, v2, false, true, store.StateLevel1, true},
		{"level 2, decided", store.Submission{State: store.StateLevel2, Round: 1, Lines: []store.Line{decided(2)}}, v2, true, true, store.StateLevel1, true},
		{"level 3 goes down to level 2", store.Submission{State: store.StateLevel3, Round: 1, Lines: []store.Line{decided(2)}}, v3, false, true, store.StateLevel2, true},
		{"level 3, seen by level 2", store.Submission{State: store.StateLevel3, Round: 1, Lines: []store.Line{decided(2)}}, v2, false, false, store.StateLevel2, true},
		{"returned", store.Submission{State: store.StateReturned, Round: 1, Lines: []store.Line{decided(1)}}, v1, false, false, "", false},
	} {
		if got := tc.sub.CanForward(tc.actor); got != tc.forward {
			t.Errorf("%s: CanForward = %v, want %v", tc.name, got, tc.forward)
		}
		if got := tc.sub.CanSendDown(tc.actor); got != tc.down {
			t.Errorf("%s: CanSendDown = %v, want %v", tc.name, got, tc.down)
		}
		if to, ok := tc.sub.SendDownTo(); to != tc.downTo || ok != tc.downToKnown {
			t.Errorf("%s: SendDownTo = %q %v, want %q %v", tc.name, to, ok, tc.downTo, tc.downToKnown)
		}
	}
}

// TestSendDownGoesWhereSendDownToSays, and the submission then says it arrived down.
func TestSendDownGoesWhereSendDownToSays(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, fxUsul{"alamat", "Jl. Pemuda 1", "pindah rumah"})
	if _, ok := sub.ArrivedDown(); ok {
		t.Fatal("a sent submission says it arrived by turun status")
	}
	f.decide(f.v1U01, sub.ID, "alamat", store.Setuju, "")
	sub = f.forward(f.v1U01, sub.ID)
	want, ok := sub.SendDownTo()
	if !ok || want != store.StateLevel1 {
		t.Fatalf("SendDownTo at level 2 = %q %v", want, ok)
	}
	sub, err := f.s.SendDown(f.v2, sub.ID, f.rev(f.v2, sub.ID), "periksa ulang alamat")
	fxMust(t, err)
	if sub.State != want {
		t.Fatalf("SendDown went to %s, SendDownTo said %s", sub.State, want)
	}
	st, ok := sub.ArrivedDown()
	if !ok || st.From != store.StateLevel2 || st.To != store.StateLevel1 || st.Note != "periksa ulang alamat" {
		t.Fatalf("ArrivedDown = %+v %v", st, ok)
	}
	page, err := f.s.Inbox(f.v1U01, "", 10)
	fxMust(t, err)
	if len(page.Items) != 1 || !page.Items[0].Down {
		t.Fatalf("inbox row does not say turun status: %+v", page.Items)
	}
	_, err = f.s.SendDown(f.v1U01, sub.ID, f.rev(f.v1U01, sub.ID), "tidak bisa")
	fxWantErr(t, err, store.ErrState)
}

// TestArrivedDown: only the last step counts, and only when it went down to where the submission waits.
func TestArrivedDown(t *testing.T) {
	at := fxStart.Add(time.Hour)
	for _, tc := range []struct {
		name  string
		state store.State
		steps []store.Step
		want  bool
	}{
		{"no steps", store.StateLevel1, nil, false},
		{"sent", store.StateLevel1, []store.Step{{From: store.StateDraft, To: store.StateLevel1}}, false},
		{"forwarded", store.StateLevel2, []store.Step{{From: store.StateLevel1, To: store.StateLevel2}}, false},
		{"sent down", store.StateLevel1, []store.Step{{From: store.StateLevel1, To: store.StateLevel2}, {From: store.StateLevel2, To: store.StateLevel1, At: at}}, true},
		{"sent down, then forwarded", store.StateLevel2, []store.Step{{From: store.StateLevel2, To: store.StateLevel1}, {From: store.StateLevel1, To: store.StateLevel2}}, false},
		{"returned from level 2", store.StateReturned, []store.Step{{From: store.StateLevel2, To: store.StateReturned}}, false},
	} {
		s := store.Submission{State: tc.state, Steps: tc.steps}
		st, ok := s.ArrivedDown()
		if ok != tc.want || (ok && st.At != at) {
			t.Errorf("%s: ArrivedDown = %+v %v, want %v", tc.name, st, ok, tc.want)
		}
	}
}

// notLookedAt counts Kirim's "belum diperiksa" refusals: what Progress must count as not checked.
func notLookedAt(t *testing.T, f *fx, a store.Actor) int {
	t.Helper()
	_, err := f.s.Kirim(a, a.NIP)
	var inc *store.IncompleteError
	if !errors.As(err, &inc) {
		t.Fatalf("Kirim: %v, want it refused as incomplete", err)
	}
	n := 0
	for _, m := range inc.Items {
		if strings.HasPrefix(m.Problem, "belum diperiksa") {
			n++
		}
	}
	return n
}

// TestFormProgressCountsWhatKirimChecks: the progress counts exactly what Kirim wants looked at on
// the tabs that apply: fields, and tables looked at by Sesuai or by a row proposal.
func TestFormProgressCountsWhatKirimChecks(t *testing.T) {
	f := newFx(t)
	progress := func() store.Progress {
		t.Helper()
		form, err := f.s.Form(f.budi, nipBudi)
		fxMust(t, err)
		return form.Progress()
	}
	p := progress()
	if p.Checked != 0 || p.Proposals != 0 || p.Locked || p.Total == 0 || p.Total >= len(fxEditableKeys()) {
		t.Fatalf("fresh form: %+v (all tabs have %d keys; guru and dokter do not apply)", p, len(fxEditableKeys()))
	}
	if n := notLookedAt(t, f, f.budi); n != p.Total {
		t.Fatalf("Kirim misses %d things, Progress counts %d to look at", n, p.Total)
	}

	f.propose(f.budi, fxUsul{"alamat", "Jl. Pemuda 1", "pindah rumah"})
	row := map[string]string{"jenis_jabatan": "2", "nama_jabatan": "Guru Ahli Pertama", "tmt_jabatan": "2024-01-01", "unit_organisasi": "Dinas Pendidikan"}
	_, _, err := f.s.ProposeRow(f.budi, nipBudi, "jabatan", "", store.OpTambah, row, "SK guru")
	fxMust(t, err)
	before := p.Total
	p = progress()
	if p.Total <= before {
		t.Fatalf("a guru jabatan did not add Data Guru to what to look at: %d → %d", before, p.Total)
	}
	if p.Checked != 2 || p.Proposals != 2 {
		t.Fatalf("after a field and a row proposal: %+v, want 2 checked, 2 proposals", p)
	}
	if n := notLookedAt(t, f, f.budi); n != p.Total-p.Checked {
		t.Fatalf("Kirim misses %d things, Progress %d of %d checked", n, p.Checked, p.Total)
	}

	f.confirmRest(f.budi)
	if p = progress(); p.Checked != p.Total || p.Proposals != 2 {
		t.Fatalf("after Sesuai for the rest: %+v", p)
	}
}

// TestRecordRowsInTableOrder: a history table's master rows come back ordered by the table's date
// field, equal dates in stored order, as EffectiveTable orders them; the record is left as it was.
func TestRecordRowsInTableOrder(t *testing.T) {
	row := func(id, tahun string) store.Row {
		return store.Row{ID: id, Fields: map[string]string{"tahun": tahun, "nama_diklat": id}}
	}
	rec := store.Record{Riwayat: map[string][]store.Row{"diklat_fungsional": {
		row("c", "2019"), row("a", "2012"), row("d", "2019"), row("b", "2015"),
	}}}
	var got []string
	for _, r := range rec.Rows("diklat_fungsional") {
		got = append(got, r.ID)
	}
	if strings.Join(got, ",") != "a,b,c,d" {
		t.Fatalf("Rows = %v, want a,b,c,d", got)
	}
	if rec.Riwayat["diklat_fungsional"][0].ID != "c" {
		t.Fatal("Rows reordered the record's own rows")
	}
	var eff []string
	for _, r := range (store.Form{Record: rec}).EffectiveTable("diklat_fungsional") {
		eff = append(eff, r.ID)
	}
	if !slices.Equal(eff, got) {
		t.Fatalf("EffectiveTable orders %v, Rows %v", eff, got)
	}
	if rows := rec.Rows("anak"); len(rows) != 0 {
		t.Fatalf("Rows of an empty table = %v", rows)
	}
}

// TestUnitIsSKPD: a top-level unit is an SKPD; a unit nested in one is not. The admin's scope
// check refuses a nested unit as an operator's SKPD for the same reason.
func TestUnitIsSKPD(t *testing.T) {
	f := newFx(t)
	for id, want := range map[string]bool{unitU01: true, unitU0101: false, unitU02: true, "K01.U01": true} {
		u, err := f.s.Unit(id)
		fxMust(t, err)
		if got := u.IsSKPD(); got != want {
			t.Errorf("%s: IsSKPD = %v, want %v", id, got, want)
		}
	}
}

// TestFilterUnitsFollowsTheVerifiersScope: Level 1 may filter by the units of its SKPD, Level 2 by
// every unit of its instansi, sorted by name; wider scopes get none, and an unknown SKPD is an error.
func TestFilterUnitsFollowsTheVerifiersScope(t *testing.T) {
	f := newFx(t)
	for _, tc := range []struct {
		name  string
		actor store.Actor
		want  []string
	}{
		{"level 1 of U01", f.v1U01, []string{unitU0101, unitU01}}, // Bidang Pembinaan SMA, Dinas Pendidikan
		{"level 1 of U02", f.v1U02, []string{unitU02}},
		{"level 2 of P33", f.v2, []string{unitU0101, unitU02, unitU01}}, // Bidang …, Dinas Kesehatan, Dinas Pendidikan
		{"level 2 of a ministry", store.Actor{Role: store.RoleV2, ScopeID: "K01"}, []string{"K01.U01"}},
		{"level 3", store.Actor{Role: store.RoleV3, ScopeID: "I"}, nil},
		{"level 4", store.Actor{Role: store.RoleV4}, nil},
		{"a PNS", f.budi, nil},
	} {
		units, err := f.s.FilterUnits(tc.actor)
		fxMust(t, err)
		var got []string
		for _, u := range units {
			got = append(got, u.ID)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: FilterUnits = %v, want %v", tc.name, got, tc.want)
		}
	}
	_, err := f.s.FilterUnits(store.Actor{Role: store.RoleV1, ScopeID: "U99"})
	fxWantErr(t, err, store.ErrNotFound)
}

// TestDocumentWritesReturnTheForm: attaching and detaching return the form as it then stands (the
// page is drawn from it without reading it again), and a refused upload the form as it was.
func TestDocumentWritesReturnTheForm(t *testing.T) {
	f := newFx(t)
	_, _, err := f.s.Propose(f.budi, nipBudi, "npwp", "123456789012345", "NPWP baru")
	fxMust(t, err)
	docIDs := func(form store.Form) []uint64 {
		var ids []uint64
		for _, d := range form.Docs["npwp"] {
			ids = append(ids, d.ID)
		}
		return ids
	}
	stored := func() []uint64 {
		t.Helper()
		form, err := f.s.Form(f.budi, nipBudi)
		fxMust(t, err)
		return docIDs(form)
	}
	m, form, err := f.s.AddDocument(f.budi, nipBudi, "npwp", "Kartu NPWP", "npwp.pdf", bytes.NewReader(fxPDF))
	fxMust(t, err)
	if got := docIDs(form); !slices.Equal(got, []uint64{m.ID}) || !slices.Equal(got, stored()) {
		t.Fatalf("AddDocument returned documents %v, stored %v, want [%d]", got, stored(), m.ID)
	}
	_, form, err = f.s.AddDocument(f.budi, nipBudi, "npwp", "Kartu NPWP", "kosong.pdf", bytes.NewReader(nil))
	var fe *store.FieldError
	if !errors.As(err, &fe) || fe.Field != "berkas" {
		t.Fatalf("empty upload: %v, want a message at berkas", err)
	}
	if got := docIDs(form); !slices.Equal(got, []uint64{m.ID}) {
		t.Fatalf("a refused upload returned documents %v, want [%d]", got, m.ID)
	}
	form, err = f.s.DetachDocument(f.budi, nipBudi, m.ID)
	fxMust(t, err)
	if got := docIDs(form); len(got) != 0 || len(stored()) != 0 {
		t.Fatalf("DetachDocument returned documents %v, stored %v, want none", got, stored())
	}
}
