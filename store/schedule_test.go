package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"pupns/store"
	"pupns/store/storetest"
)

// Tests of the campaign schedule: the windows' edges in each zone, Kirim, the verifiers' steps,
// registration, the late fixes, an instansi's extension, the admin's form and the phase line.

var scAdmin = store.Actor{Login: "admin", Role: store.RoleAdmin, Name: "Admin"}

// scDate is a date typed as the admin types it.
func scDate(day string) store.DateInput {
	t, _ := time.Parse(time.DateOnly, day)
	return store.DateInput{Day: t.Format("2"), Month: t.Format("1"), Year: t.Format("2006")}
}

// scSet sets the zone and windows (kind → first and last day) and must succeed.
func scSet(t *testing.T, s *store.Store, zone string, w map[store.WindowKind][2]string) {
	t.Helper()
	in := store.ScheduleInput{Zone: zone, Windows: map[store.WindowKind][2]store.DateInput{}}
	for k, d := range w {
		in.Windows[k] = [2]store.DateInput{scDate(d[0]), scDate(d[1])}
	}
	fxMust(t, s.SetSchedule(scAdmin, in))
}

// scAt makes the clock's next reading exactly target (the fixture's clock steps one second).
func scAt(c *storetest.Clock, target time.Time) {
	now := c.Now()
	c.Add(target.Sub(now) - time.Second)
}

// TestWindowEdgesInEachZone: a window of 1 September – 30 November 2026 opens at midnight of the
// first day and ends at midnight after the last, in the office's zone: 30 November ends at
// 17:00 UTC in WIB, 16:00 in WITA, 15:00 in WIT. The last instant inside is open, the first
// outside refused with the sentence naming the window and its dates.
func TestWindowEdgesInEachZone(t *testing.T) {
	for _, tc := range []struct {
		zone     string
		endUTC   time.Time
		startUTC time.Time
		refusal  string
	}{
		{"WIB", time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC), time.Date(2026, 8, 31, 17, 0, 0, 0, time.UTC),
			"Pengisian data ditutup: masa pengisian 1 September 2026 – 30 November 2026 (WIB)."},
		{"WITA", time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC), time.Date(2026, 8, 31, 16, 0, 0, 0, time.UTC),
			"Pengisian data ditutup: masa pengisian 1 September 2026 – 30 November 2026 (WITA)."},
		{"WIT", time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC), time.Date(2026, 8, 31, 15, 0, 0, 0, time.UTC),
			"Pengisian data ditutup: masa pengisian 1 September 2026 – 30 November 2026 (WIT)."},
	} {
		t.Run(tc.zone, func(t *testing.T) {
			f := newFx(t)
			scSet(t, f.s, tc.zone, map[store.WindowKind][2]string{store.WindowFilling: {"2026-09-01", "2026-11-30"}})
			for _, c := range []struct {
				at   time.Time
				open bool
			}{
				{tc.startUTC.Add(-time.Nanosecond), false}, {tc.startUTC, true},
				{tc.endUTC.Add(-time.Nanosecond), true}, {tc.endUTC, false},
			} {
				err := f.s.WindowOpen(store.WindowFilling, fxInstansi, c.at)
				if c.open != (err == nil) {
					t.Fatalf("at %s: open=%v, err=%v", c.at, c.open, err)
				}
				if err != nil && !errors.Is(err, store.ErrClosed) {
					t.Fatalf("at %s: %v is not ErrClosed", c.at, err)
				}
			}
			err := f.s.WindowOpen(store.WindowFilling, fxInstansi, tc.endUTC)
			if err.Error() != tc.refusal {
				t.Fatalf("refusal %q, want %q", err, tc.refusal)
			}
			early := f.s.WindowOpen(store.WindowFilling, fxInstansi, tc.startUTC.Add(-time.Nanosecond))
			if !strings.HasPrefix(early.Error(), "Pengisian data belum dibuka: masa pengisian 1 September 2026") {
				t.Fatalf("before the start: %q", early)
			}
		})
	}
}

// TestKirimAtTheEdgeOfTheFillingWindow: Kirim at the last instant of the window goes through; at
// the first instant after it is refused with the sentence, and nothing is sent. Unscheduled
// windows stay open: the fixture sends without any schedule everywhere else.
func TestKirimAtTheEdgeOfTheFillingWindow(t *testing.T) {
	for _, zone := range []string{"WIB", "WITA", "WIT"} {
		t.Run(zone, func(t *testing.T) {
			f := newFx(t)
			scSet(t, f.s, zone, map[store.WindowKind][2]string{store.WindowFilling: {"2026-03-01", "2026-03-10"}})
			sc, err := f.s.Schedule()
			fxMust(t, err)
			end := time.Date(2026, 3, 11, 0, 0, 0, 0, sc.Location())
			f.confirmRest(f.budi)
			f.confirmRest(f.agus)
			scAt(f.clock, end.Add(-time.Nanosecond))
			if _, err := f.s.Kirim(f.budi, nipBudi); err != nil {
				t.Fatalf("Kirim at the last instant: %v", err)
			}
			scAt(f.clock, end)
			_, err = f.s.Kirim(f.agus, nipAgus)
			fxWantErr(t, err, store.ErrClosed)
			want := "Pengisian data ditutup: masa pengisian 1 Maret 2026 – 10 Maret 2026 (" + zone + ")."
			if err.Error() != want {
				t.Fatalf("refusal %q, want %q", err, want)
			}
			if subs, _ := f.s.Submissions(f.agus, nipAgus); len(subs) != 0 {
				t.Fatalf("a refused Kirim sent %d submissions", len(subs))
			}
		})
	}
}

// TestExtensionOpensTheWindowForOneInstansiOnly: after the window closed, an extension for P33
// lets its PNS send; P34 stays closed. The extension is an event and is listed.
func TestExtensionOpensTheWindowForOneInstansiOnly(t *testing.T) {
	f := newFx(t)
	scSet(t, f.s, "WIB", map[store.WindowKind][2]string{store.WindowFilling: {"2026-03-01", "2026-03-09"}})
	f.confirmRest(f.budi)
	_, err := f.s.Kirim(f.budi, nipBudi)
	fxWantErr(t, err, store.ErrClosed)

	err = f.s.ExtendWindow(scAdmin, fxInstansi, store.WindowFilling, scDate("2026-03-08"))
	if fe, ok := store.AsFieldErrors(err); !ok || fe[0].Field != "sampai" {
		t.Fatalf("an extension ending before the window's end: %v", err)
	}
	fxWantErr(t, f.s.ExtendWindow(f.v2, fxInstansi, store.WindowFilling, scDate("2026-03-20")), store.ErrForbidden)
	fxMust(t, f.s.ExtendWindow(scAdmin, fxInstansi, store.WindowFilling, scDate("2026-03-20")))
	if _, err := f.s.Kirim(f.budi, nipBudi); err != nil {
		t.Fatalf("Kirim after the extension: %v", err)
	}
	now := time.Date(2026, 3, 15, 12, 0, 0, 0, wib)
	fxWantErr(t, f.s.WindowOpen(store.WindowFilling, "P34", now), store.ErrClosed)
	fxMust(t, f.s.WindowOpen(store.WindowFilling, fxInstansi, now))
	sc, err := f.s.Schedule()
	fxMust(t, err)
	if len(sc.Extensions) != 1 || sc.Extensions[0].End != "2026-03-20" || sc.Extensions[0].By != "admin" {
		t.Fatalf("extensions: %+v", sc.Extensions)
	}
	if len(sc.Changes) != 2 || sc.Changes[1].Kind != store.EventScheduleExtend || sc.Changes[1].Seq == 0 ||
		!strings.Contains(sc.Changes[1].Detail, "diperpanjang sampai 20 Maret 2026") {
		t.Fatalf("changes: %+v", sc.Changes)
	}
}

// TestVerifiersAreRefusedOutsideTheirLevelsWindow: decisions, forwards and turun status are
// refused outside the window of the submission's level; reading still works.
func TestVerifiersAreRefusedOutsideTheirLevelsWindow(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, fxUsul{"alamat", "Jl. Pemuda 1", "pindah rumah"})
	f.decide(f.v1U01, sub.ID, "alamat", store.Setuju, "")
	f.forward(f.v1U01, sub.ID) // Level 2 now
	scSet(t, f.s, "WIB", map[store.WindowKind][2]string{store.WindowVerify2: {"2026-04-01", "2026-12-31"}})
	if _, _, err := f.s.OpenForReview(f.v2, sub.ID); err != nil {
		t.Fatalf("reading outside the window: %v", err)
	}
	rev := f.rev(f.v2, sub.ID)
	_, err := f.s.Decide(f.v2, sub.ID, rev, "alamat", store.Setuju, "")
	fxWantErr(t, err, store.ErrClosed)
	if !strings.HasPrefix(err.Error(), "Verifikasi Level 2 belum dibuka: masa verifikasi Level 2 1 April 2026") {
		t.Fatalf("refusal %q", err)
	}
	_, err = f.s.Forward(f.v2, sub.ID, rev)
	fxWantErr(t, err, store.ErrClosed)
	_, err = f.s.SendDown(f.v2, sub.ID, rev, "periksa lagi")
	fxWantErr(t, err, store.ErrClosed)
	// An outsider still learns nothing: authority comes before the window.
	_, err = f.s.Decide(f.v1U02, sub.ID, rev, "alamat", store.Setuju, "")
	fxWantErr(t, err, store.ErrForbidden)
	// Level 1's window is not set: open.
	fxMust(t, f.s.ExtendWindow(scAdmin, fxInstansi, store.WindowVerify2, scDate("2027-01-10")))
	scAt(f.clock, time.Date(2026, 12, 31, 23, 0, 0, 0, wib))
	if _, err := f.s.SendDown(f.v2, sub.ID, rev, "periksa lagi"); err != nil {
		t.Fatalf("turun status inside the window: %v", err)
	}
}

// TestLateFixesLetOnlyReturnedFormsBeResent: after the filling window, in the late-fixes window,
// a returned form is sent again; a form never sent is refused.
func TestLateFixesLetOnlyReturnedFormsBeResent(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, fxUsul{"alamat", "Jl. Pemuda 1", "pindah rumah"})
	f.decide(f.v1U01, sub.ID, "alamat", store.BTS, "lampirkan KTP baru")
	if s := f.forward(f.v1U01, sub.ID); s.State != store.StateReturned {
		t.Fatalf("state %s, want returned", s.State)
	}
	scSet(t, f.s, "WIB", map[store.WindowKind][2]string{
		store.WindowFilling: {"2026-03-01", "2026-03-10"}, store.WindowLateFix: {"2026-03-11", "2026-03-20"}})
	f.confirmRest(f.agus)
	scAt(f.clock, time.Date(2026, 3, 12, 8, 0, 0, 0, wib))
	_, err := f.s.Kirim(f.agus, nipAgus)
	fxWantErr(t, err, store.ErrClosed)
	if _, err := f.s.Kirim(f.budi, nipBudi); err != nil {
		t.Fatalf("resending a returned form in the late-fixes window: %v", err)
	}
}

// TestRegistrationOutsideItsWindowIsRefused: registration is refused before its window opens,
// and goes through inside it.
func TestRegistrationOutsideItsWindowIsRefused(t *testing.T) {
	f := newFx(t)
	scSet(t, f.s, "WIB", map[store.WindowKind][2]string{store.WindowRegistration: {"2026-03-11", "2026-03-31"}})
	_, err := f.s.Register(goodReg())
	fxWantErr(t, err, store.ErrClosed)
	scAt(f.clock, time.Date(2026, 3, 11, 0, 0, 0, 0, wib))
	if _, err := f.s.Register(goodReg()); err != nil {
		t.Fatalf("registration inside the window: %v", err)
	}
}

// TestScheduleFormRefusesBadDates: every unreadable date and every end before its start is
// refused at its field at once, and nothing is stored.
func TestScheduleFormRefusesBadDates(t *testing.T) {
	f := newFx(t)
	err := f.s.SetSchedule(scAdmin, store.ScheduleInput{Zone: "WITA", Windows: map[store.WindowKind][2]store.DateInput{
		store.WindowFilling:      {scDate("2026-11-30"), scDate("2026-09-01")},
		store.WindowVerify1:      {{Day: "31", Month: "April", Year: "2026"}, scDate("2026-12-31")},
		store.WindowRegistration: {{Day: "x"}, {}},
	}})
	fe, ok := store.AsFieldErrors(err)
	if !ok {
		t.Fatalf("err = %v, want field errors", err)
	}
	at := fe.ByField()
	for _, k := range []string{"pengisian_selesai", "verifikasi_1_mulai", "registrasi_mulai", "registrasi_selesai"} {
		if at[k] == "" {
			t.Errorf("no message at %s: %v", k, at)
		}
	}
	if !strings.Contains(at["pengisian_selesai"], "sesudah tanggal mulai (30 November 2026)") {
		t.Errorf("pengisian_selesai: %q", at["pengisian_selesai"])
	}
	if sc, _ := f.s.Schedule(); len(sc.Windows) != 0 || len(sc.Changes) != 0 {
		t.Fatalf("a refused form stored %+v", sc)
	}
	fxWantErr(t, f.s.SetSchedule(f.v2, store.ScheduleInput{Zone: "WIB"}), store.ErrForbidden)
}

// TestPhaseLineCountsTheDaysLeft: nothing without a schedule; "N hari lagi" with the end date;
// the last week urgent ("tinggal N hari"); the last day; the verifier sees their level's window.
func TestPhaseLineCountsTheDaysLeft(t *testing.T) {
	f := newFx(t)
	if _, ok := f.s.PhaseOf(f.budi, fxStart); ok {
		t.Fatal("a phase without a schedule")
	}
	scSet(t, f.s, "WIB", map[store.WindowKind][2]string{
		store.WindowFilling: {"2026-09-01", "2026-11-30"}, store.WindowVerify1: {"2026-09-01", "2026-12-31"}})
	for _, c := range []struct {
		a      store.Actor
		at     time.Time
		text   string
		urgent bool
	}{
		{f.budi, time.Date(2026, 11, 18, 23, 59, 0, 0, wib), "Masa pengisian data: 12 hari lagi (sampai 30 November 2026).", false},
		{f.budi, time.Date(2026, 11, 23, 0, 0, 0, 0, wib), "Masa pengisian data: 7 hari lagi (sampai 30 November 2026).", false},
		{f.budi, time.Date(2026, 11, 27, 8, 0, 0, 0, wib), "Masa pengisian data: tinggal 3 hari (sampai 30 November 2026).", true},
		{f.budi, time.Date(2026, 11, 30, 23, 0, 0, 0, wib), "Masa pengisian data: hari ini hari terakhir (30 November 2026).", true},
		{f.budi, time.Date(2026, 12, 1, 0, 0, 0, 0, wib), "Masa pengisian data telah berakhir pada 30 November 2026 (WIB).", false},
		{f.budi, time.Date(2026, 8, 1, 0, 0, 0, 0, wib), "Masa pengisian data dimulai 1 September 2026 (WIB).", false},
		{f.v1U01, time.Date(2026, 12, 1, 0, 0, 0, 0, wib), "Masa verifikasi Level 1: 30 hari lagi (sampai 31 Desember 2026).", false},
	} {
		p, ok := f.s.PhaseOf(c.a, c.at)
		if !ok || p.Text != c.text || p.Urgent != c.urgent {
			t.Errorf("%s at %s: %+v %v, want %q urgent=%v", c.a.Login, c.at, p, ok, c.text, c.urgent)
		}
	}
	if _, ok := f.s.PhaseOf(f.v2, fxStart); ok {
		t.Error("Level 2's window is not set: no phase")
	}
	// Once the filling is over, a PNS sees the late fixes while they are open.
	scSet(t, f.s, "WIT", map[store.WindowKind][2]string{
		store.WindowFilling: {"2026-09-01", "2026-11-30"}, store.WindowLateFix: {"2026-12-01", "2027-01-15"}})
	p, ok := f.s.PhaseOf(f.budi, time.Date(2026, 12, 1, 0, 0, 0, 0, time.FixedZone("WIT", 9*3600)))
	if want := "Masa perbaikan susulan: 45 hari lagi (sampai 15 Januari 2027)."; !ok || p.Text != want {
		t.Errorf("late fixes: %+v, want %q", p, want)
	}
}

// BenchmarkPhaseOf is what the phase line adds to every page of a PNS: one read transaction (the
// schedule and the PNS's record).
func BenchmarkPhaseOf(b *testing.B) {
	o := storetest.NewOffice(b)
	in := store.ScheduleInput{Zone: "WIB", Windows: map[store.WindowKind][2]store.DateInput{
		store.WindowFilling: {scDate("2016-09-01"), scDate("2016-11-30")}}}
	if err := o.Store.SetSchedule(scAdmin, in); err != nil {
		b.Fatal(err)
	}
	a := store.Actor{Login: storetest.NIPBudi, Role: store.RolePNS, NIP: storetest.NIPBudi}
	now := storetest.Start
	b.ResetTimer()
	for b.Loop() {
		if _, ok := o.Store.PhaseOf(a, now); !ok {
			b.Fatal("no phase")
		}
	}
}
