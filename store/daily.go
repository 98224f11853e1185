package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// Daily series for the monitoring charts (bucket daily): how many PNS came to have sent and to be
// finished on each day, and how many decisions each verifier made, kept in the transaction of the
// change like the counters. A series holds net changes per day (a withdrawal counts minus one on
// its day), so the sum of a scope's days always equals its counter, even for a file whose early
// days were counted when the series began (the migration dates each PNS by its latest submission).

// The series names.
const (
	SeriesSent      = "kirim"     // PNS entering (or, negative, leaving) CountSent
	SeriesFinished  = "selesai"   // PNS entering (or leaving) CountDone or CountTMS
	SeriesDecisions = "keputusan" // verdicts on lines by one verifier (scope CounterVerifier)
)

// CounterSKPD is the counter scope of an SKPD and every unit under it, for the daily series (the
// counters keep per-unit numbers and sum them; a chart needs the SKPD's days without that sum).
func CounterSKPD(id string) string { return "k/" + id }

// CounterVerifier is the daily scope of one verifier's decisions.
func CounterVerifier(login string) string { return "v/" + login }

// dayKey is a day as stored: "20061231" in the office's zone.
func dayKey(t time.Time, loc *time.Location) string { return t.In(loc).Format("20060102") }

func dailyKey(scope, day, series string) []byte {
	return cat([]byte(scope), []byte{0}, []byte(day), []byte{0}, []byte(series))
}

// addDaily adds delta to a series on a day, for each scope; a day at zero is deleted.
func addDaily(tx *bbolt.Tx, scopes []string, day, series string, delta int64) error {
	b := bk(tx, bDaily)
	for _, sc := range scopes {
		k := dailyKey(sc, day, series)
		var n int64
		if v := b.Get(k); len(v) == 8 {
			n = int64(binary.BigEndian.Uint64(v))
		}
		n += delta
		var err error
		if n == 0 {
			err = b.Delete(k)
		} else {
			err = b.Put(k, u64(uint64(n)))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// finished says whether a PNS's counted states hold a finished submission.
func finished(states []string) bool {
	return slices.Contains(states, CountDone) || slices.Contains(states, CountTMS)
}

// countDaily moves a PNS's change between the counted states old and nw into the daily series, dated
// by its latest submission: becoming sent is dated when that submission was first sent, every other
// change when it last changed.
func countDaily(tx *bbolt.Tx, old, nw pnsState, sub Submission) error {
	sent := func(p pnsState) int64 { return b2i(slices.Contains(p.States, CountSent)) }
	fin := func(p pnsState) int64 { return b2i(finished(p.States)) }
	dSent, dFin := sent(nw)-sent(old), fin(nw)-fin(old)
	if dSent == 0 && dFin == 0 && old.SKPD == nw.SKPD && old.Instansi == nw.Instansi {
		return nil
	}
	sc, err := scheduleTx(tx) // through the decode cache: only its zone is read
	if err != nil {
		return err
	}
	loc := sc.Location()
	at := sub.UpdatedAt
	if at.IsZero() {
		at = sub.SentAt
	}
	dayFor := func(entering bool, series string) string {
		if entering && series == SeriesSent && !sub.SentAt.IsZero() {
			return dayKey(sub.SentAt, loc)
		}
		return dayKey(at, loc)
	}
	for _, s := range []struct {
		series string
		in     func(pnsState) int64
	}{{SeriesSent, sent}, {SeriesFinished, fin}} {
		// A PNS who moved to another SKPD or instansi leaves the old scopes and joins the new ones
		// with what they had counted; a change of state moves only within the same scopes.
		if o := s.in(old); o != 0 {
			if err := addDaily(tx, old.dailyScopes(), dayFor(false, s.series), s.series, -o); err != nil {
				return err
			}
		}
		if n := s.in(nw); n != 0 {
			if err := addDaily(tx, nw.dailyScopes(), dayFor(s.in(old) == 0 || old.SKPD != nw.SKPD || old.Instansi != nw.Instansi, s.series), s.series, n); err != nil {
				return err
			}
		}
	}
	return nil
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// Day is one day of a series: its date and the net change on it.
type Day struct {
	Date  time.Time // midnight in the office's zone
	Delta int64
}

// Daily reads one scope's series, oldest day first: a few keys per day of the campaign, never a
// scan of records or submissions.
func (s *Store) Daily(scope string) (map[string][]Day, error) {
	out := map[string][]Day{}
	err := s.view(func(tx *bbolt.Tx) error {
		sc, err := scheduleTx(tx) // through the decode cache: only its zone is read
		if err != nil {
			return err
		}
		loc := sc.Location()
		prefix := cat([]byte(scope), []byte{0})
		c := bk(tx, bDaily).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			day, series, ok := bytes.Cut(k[len(prefix):], []byte{0})
			if !ok || len(v) != 8 {
				continue
			}
			d, err := time.ParseInLocation("20060102", string(day), loc)
			if err != nil {
				continue
			}
			out[string(series)] = append(out[string(series)], Day{Date: d, Delta: int64(binary.BigEndian.Uint64(v))})
		}
		return nil
	})
	return out, err
}

// countDecision counts one verdict of a verifier on the day it was given.
func countDecision(tx *bbolt.Tx, login string, at time.Time) error {
	sc, err := scheduleTx(tx) // through the decode cache: only its zone is read
	if err != nil {
		return err
	}
	return addDaily(tx, []string{CounterVerifier(login)}, dayKey(at, sc.Location()), SeriesDecisions, 1)
}

// rebuildDecisions counts every verdict of every submission into the verifiers' daily series (the
// migration: the series began after the decisions).
func rebuildDecisions(tx *bbolt.Tx) error {
	sc, err := scheduleTx(tx) // through the decode cache: only its zone is read
	if err != nil {
		return err
	}
	type key struct{ login, day string }
	n := map[key]int64{}
	if err := bk(tx, bSubs).ForEach(func(_, v []byte) error {
		var sub struct {
			Lines []struct {
				Decisions []struct {
					By string    `json:"by"`
					At time.Time `json:"at"`
				} `json:"decisions"`
			} `json:"lines"`
		}
		if err := json.Unmarshal(v, &sub); err != nil {
			return err
		}
		for _, l := range sub.Lines {
			for _, d := range l.Decisions {
				n[key{d.By, dayKey(d.At, sc.Location())}]++
			}
		}
		return nil
	}); err != nil {
		return err
	}
	for k, c := range n {
		if err := addDaily(tx, []string{CounterVerifier(k.login)}, k.day, SeriesDecisions, c); err != nil {
			return err
		}
	}
	return nil
}
