package store

import (
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// ScheduleInput is the admin's schedule form: the zone and each window's first and last day.
// A window whose six fields are all blank is not set (open).
type ScheduleInput struct {
	Zone    string
	Windows map[WindowKind][2]DateInput // [0] start, [1] end
}

// startKey and endKey are the field keys of a window's first and last day on the schedule form
// ("pengisian_mulai", "pengisian_selesai"; the zone is "zona"). The extension form's keys are
// "instansi", "jendela" and "sampai".
func startKey(k WindowKind) string { return string(k) + "_mulai" }
func endKey(k WindowKind) string   { return string(k) + "_selesai" }

// SetSchedule replaces the office's zone and windows (extensions stay) after checking every date
// at once: readable, a real day, the end not before the start. The change is an event.
func (s *Store) SetSchedule(a Actor, in ScheduleInput) error {
	if !mayAdminister(a) {
		return ErrForbidden
	}
	zoneOK := slices.ContainsFunc(Zones, func(z struct {
		Name   string
		Offset int
	}) bool {
		return z.Name == in.Zone
	})
	var bad FieldErrors
	if !zoneOK {
		bad = append(bad, fieldErr("zona", "Pilih zona waktu kantor: WIB, WITA atau WIT."))
	}
	windows := map[WindowKind]Span{}
	for _, w := range Windows {
		d := in.Windows[w.Kind]
		if d[0].Blank() && d[1].Blank() {
			continue
		}
		from, e1 := d[0].parse(startKey(w.Kind), "Tanggal mulai "+w.Closed)
		until, e2 := d[1].parse(endKey(w.Kind), "Tanggal selesai "+w.Closed)
		if e1 != nil {
			bad = append(bad, e1)
		}
		if e2 != nil {
			bad = append(bad, e2)
		}
		if e1 == nil && e2 == nil && until < from {
			bad = append(bad, fieldErr(endKey(w.Kind), "Tanggal selesai %s harus sama dengan atau sesudah tanggal mulai (%s).", w.Closed, LongDate(from)))
		}
		windows[w.Kind] = Span{Start: from, End: until}
	}
	if len(bad) > 0 {
		return bad
	}
	now := s.now()
	return s.update(func(tx *bbolt.Tx) error {
		sc, err := readSchedule(tx)
		if err != nil {
			return err
		}
		sc.Zone, sc.Windows = in.Zone, windows
		return putSchedule(tx, sc, Event{At: now, Actor: a.Login, Kind: EventSchedule, Detail: describeSchedule(sc)})
	})
}

// putSchedule stores the schedule with its change: the event goes to the log and, with its
// sequence number, to the schedule's own list of changes.
func putSchedule(tx *bbolt.Tx, sc Schedule, ev Event) error {
	if err := appendEvent(tx, ev); err != nil {
		return err
	}
	ev.Seq = bk(tx, bEvents).Sequence()
	sc.Changes = append(sc.Changes, ev)
	return putJSON(bk(tx, bMeta), metaSchedule, sc)
}

// describeSchedule is the event's detail: the zone and every window set.
func describeSchedule(sc Schedule) string {
	out := "zona " + sc.ZoneName()
	for _, w := range Windows {
		if sp, ok := sc.Windows[w.Kind]; ok {
			out += fmt.Sprintf("; %s %s – %s", w.Span, LongDate(sp.Start), LongDate(sp.End))
		} else {
			out += fmt.Sprintf("; %s tidak dibatasi", w.Span)
		}
	}
	return out
}

// ExtendWindow sets a later end of one window for one instansi (replacing an earlier extension of
// the same window and instansi). The window must be set and the new end after its end for
// everyone. The change is an event.
func (s *Store) ExtendWindow(a Actor, instansiID string, k WindowKind, end DateInput) error {
	if !mayAdminister(a) {
		return ErrForbidden
	}
	var bad FieldErrors // every problem of the form at once
	w, known := WindowByKind(k)
	if !known {
		bad = append(bad, fieldErr("jendela", "Pilih masa yang diperpanjang."))
	}
	day, fe := end.parse("sampai", "Tanggal akhir baru")
	if fe != nil {
		bad = append(bad, fe)
	}
	now := s.now()
	return s.update(func(tx *bbolt.Tx) error {
		var in Instansi
		refused := bad
		if err := getJSON(bk(tx, bInstansi), []byte(instansiID), &in); err != nil {
			refused = append(FieldErrors{fieldErr("instansi", "Pilih instansi dari daftar.")}, bad...)
		}
		if len(refused) > 0 {
			return refused
		}
		sc, err := readSchedule(tx)
		if err != nil {
			return err
		}
		sp, ok := sc.Windows[k]
		if !ok {
			return fieldErr("jendela", "%s belum dijadwalkan (terbuka untuk semua): tetapkan dulu masanya di atas.", w.Closed)
		}
		if day <= sp.End {
			return fieldErr("sampai", "Tanggal akhir baru harus sesudah akhir %s untuk semua instansi (%s).", w.Span, LongDate(sp.End))
		}
		sc.Extensions = slices.DeleteFunc(sc.Extensions, func(e Extension) bool { return e.Kind == k && e.InstansiID == instansiID })
		sc.Extensions = append(sc.Extensions, Extension{InstansiID: instansiID, Kind: k, End: day, By: a.Login, At: now})
		return putSchedule(tx, sc, Event{At: now, Actor: a.Login, Kind: EventScheduleExtend,
			Detail: fmt.Sprintf("%s (%s): %s diperpanjang sampai %s (%s)", in.Name, in.ID, w.Span, LongDate(day), sc.ZoneName())})
	})
}

// Phase is the line every page of a PNS or verifier shows about the window that concerns them.
type Phase struct {
	Text   string
	Urgent bool // the last week of an open window
}

// urgentDays is how many days before its end a window is shown as urgent.
const urgentDays = 7

// phaseOf words one window at now: open with the days left, not yet open, or over.
func (sc Schedule) phaseOf(k WindowKind, instansiID string, now time.Time) (Phase, bool) {
	sp, ok := sc.Effective(k, instansiID)
	if !ok {
		return Phase{}, false
	}
	w, _ := WindowByKind(k)
	from, until := sc.Bounds(sp)
	loc := sc.Location()
	switch {
	case now.Before(from):
		return Phase{Text: fmt.Sprintf("%s dimulai %s (%s).", w.Phase, LongDate(sp.Start), sc.ZoneName())}, true
	case !now.Before(until):
		return Phase{Text: fmt.Sprintf("%s telah berakhir pada %s (%s).", w.Phase, LongDate(sp.End), sc.ZoneName())}, true
	}
	y, m, d := now.In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	left := int(until.Sub(today).Hours()/24+0.5) - 1 // whole days after today, up to the last day
	end := LongDate(sp.End)
	switch {
	case left == 0:
		return Phase{Text: fmt.Sprintf("%s: hari ini hari terakhir (%s).", w.Phase, end), Urgent: true}, true
	case left < urgentDays:
		return Phase{Text: fmt.Sprintf("%s: tinggal %d hari (sampai %s).", w.Phase, left, end), Urgent: true}, true
	}
	return Phase{Text: fmt.Sprintf("%s: %d hari lagi (sampai %s).", w.Phase, left, end)}, true
}

// PhaseOf is the phase an account sees at now: a PNS (or an operator) the filling window (or the
// late fixes once filling is over and they are open), a verifier their level's window, the
// registration verifier the registration window. ok is false when nothing is scheduled for them.
func (s *Store) PhaseOf(a Actor, now time.Time) (p Phase, ok bool) {
	_ = s.view(func(tx *bbolt.Tx) error {
		sc, err := scheduleTx(tx)
		if err != nil || len(sc.Windows) == 0 {
			return err
		}
		inst := actorInstansi(tx, a)
		switch lv := a.Role.Level(); {
		case lv > 0:
			p, ok = sc.phaseOf(verifyWindow(lv), inst, now)
		case a.Role == RoleVerReg:
			p, ok = sc.phaseOf(WindowRegistration, inst, now)
		case a.Role == RolePNS || a.Role == RoleOperator:
			p, ok = sc.phaseOf(WindowFilling, inst, now)
			sp, set := sc.Effective(WindowFilling, inst)
			_, late := sc.Effective(WindowLateFix, inst)
			if _, until := sc.Bounds(sp); set && late && !now.Before(until) && sc.Open(WindowLateFix, inst, now) == nil {
				p, ok = sc.phaseOf(WindowLateFix, inst, now)
			}
		}
		return nil
	})
	return p, ok
}

// actorInstansi is the instansi whose extensions apply to what an account sees: a PNS's own, an
// operator's or Level 1 verifier's SKPD's, a Level 2 or registration verifier's scope; "" for the
// BKN levels (their window is the office's).
func actorInstansi(tx *bbolt.Tx, a Actor) string {
	switch a.Role {
	case RolePNS:
		if r, err := getCached[Record](tx, bRecords, []byte(a.NIP)); err == nil {
			return r.InstansiID
		}
	case RoleOperator, RoleV1:
		if u, err := getCached[Unit](tx, bUnits, []byte(a.ScopeID)); err == nil {
			return u.InstansiID
		}
	case RoleV2, RoleVerReg:
		return a.ScopeID
	}
	return ""
}
