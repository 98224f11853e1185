package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"strings"

	"go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"
)

// Counted states of a PNS (the names stored in the counters bucket). A PNS is in CountMaster while
// the master data holds it, in CountRegistered once it has an account and CountActive once that
// account is active; it is in exactly one of CountNotStarted (nothing sent, or the latest submission
// withdrawn), the four levels, CountReturned, CountDone and CountTMS (finished with every line
// rejected for good), and in CountSent whenever it is not in CountNotStarted.
const (
	CountMaster     = "master"
	CountRegistered = "terdaftar"
	CountActive     = "aktif"
	CountSent       = "terkirim"
	CountNotStarted = "belum"
	CountReturned   = string(StateReturned)
	CountDone       = string(StateDone)
	CountTMS        = "tms"
	// CountNotRegistered and CountNotActivated complete the account states, so that every number
	// of the monitoring page is a counter with a list of PNS behind it (bucket pns_by_state).
	CountNotRegistered = "belum_registrasi"
	CountNotActivated  = "belum_aktivasi"
)

// CountLevel is the counted state of waiting at verification level lv (1–4).
func CountLevel(lv int) string { return string(stateAt(lv)) }

// Counter scopes: CounterOffice, CounterUnit(id) and CounterInstansi(id), prefixed so that a unit and an
// instansi sharing an id never share a counter.
const CounterOffice = "o"

// CounterUnit is the counter scope of one unit of the organisation tree (the PNS's own unit only).
func CounterUnit(id string) string { return "u/" + id }

// CounterInstansi is the counter scope of one instansi.
func CounterInstansi(id string) string { return "i/" + id }

// Counts is how many PNS are in each counted state, by state name; zero counts are absent.
type Counts map[string]uint64

// pnsState is what the counters hold of one PNS (bucket pns_state), so that a change can move the
// PNS out of the counters it was in.
type pnsState struct {
	Unit     string   `json:"u"`
	SKPD     string   `json:"k"`
	Instansi string   `json:"i"`
	States   []string `json:"s"`
}

func (p pnsState) scopes() []string {
	return []string{CounterOffice, CounterUnit(p.Unit), CounterInstansi(p.Instansi)}
}

// dailyScopes are the scopes of the PNS's daily series: the office, its instansi and its SKPD.
func (p pnsState) dailyScopes() []string {
	return []string{CounterOffice, CounterInstansi(p.Instansi), CounterSKPD(p.SKPD)}
}

// samePlace says whether two states of a PNS count in the same unit (so the same SKPD and instansi).
func samePlace(a, b pnsState) bool {
	return a.Unit == b.Unit && a.Instansi == b.Instansi && a.SKPD == b.SKPD
}

// recHead is what the counters need of a record: where the PNS works.
type recHead struct {
	InstansiID string `json:"instansi_id"`
	UnitID     string `json:"unit_id"`
}

// statesOf computes the counted states of a PNS from its record (head, or read when nil), account
// and latest submission (returned, zero when none). ok is false when the master data does not hold
// nip (nothing to count).
func statesOf(tx *bbolt.Tx, nip string, head *recHead) (p pnsState, sub Submission, ok bool, err error) {
	if head == nil {
		head = new(recHead)
		switch err := getJSON(bk(tx, bRecords), []byte(nip), head); {
		case errors.Is(err, ErrNotFound):
			return p, sub, false, nil
		case err != nil:
			return p, sub, false, err
		}
	}
	p = pnsState{Unit: head.UnitID, SKPD: head.UnitID, Instansi: head.InstansiID, States: []string{CountMaster}}
	if u, err := getCached[Unit](tx, bUnits, []byte(head.UnitID)); err == nil && u.SKPDID != "" {
		p.SKPD = u.SKPDID
	}
	var u User
	switch err := getJSON(bk(tx, bUsers), []byte(nip), &u); {
	case err == nil && u.Role == RolePNS:
		p.States = append(p.States, CountRegistered)
		if u.Status == StatusActive {
			p.States = append(p.States, CountActive)
		} else {
			p.States = append(p.States, CountNotActivated)
		}
	case err != nil && !errors.Is(err, ErrNotFound):
		return p, sub, false, err
	default:
		p.States = append(p.States, CountNotRegistered)
	}
	sub, err = latestSubmission(tx, nip)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return p, sub, false, err
	}
	p.States = append(p.States, submissionCount(sub, err == nil)...)
	return p, sub, true, nil
}

// submissionCount names the counted submission states of a PNS whose latest submission is sub.
func submissionCount(sub Submission, found bool) []string {
	if !found || sub.State == StateWithdrawn || sub.State == StateDraft {
		return []string{CountNotStarted}
	}
	if sub.State == StateDone && len(sub.Lines) > 0 && !slices.ContainsFunc(sub.Lines, func(l Line) bool {
		return l.Result(sub.Round) != TMS
	}) {
		return []string{CountSent, CountTMS}
	}
	return []string{CountSent, string(sub.State)}
}

// countPNS recomputes the counted states of a PNS and moves it between counters, in the transaction
// of the change: every write that may change what is counted of a PNS calls it after its change.
func countPNS(tx *bbolt.Tx, nip string) error { return countHead(tx, nip, nil) }

// countHead is countPNS for a record the caller has at hand (head), which saves decoding it again.
// A record write (head given) also re-indexes the PNS's name for the lists' search (search_pns.go).
func countHead(tx *bbolt.Tx, nip string, head *recHead) error {
	if head != nil {
		if err := pnsSearchUpdate(tx, nip); err != nil {
			return err
		}
	}
	states := bk(tx, bPNSState)
	var old pnsState
	err := getJSON(states, []byte(nip), &old)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err // damaged: moving from a guess would make every counter drift
	}
	had := err == nil
	nw, sub, ok, err := statesOf(tx, nip, head)
	if err != nil {
		return err
	}
	if had == ok && samePlace(old, nw) && slices.Equal(old.States, nw.States) {
		return nil
	}
	if err := countDaily(tx, old, nw, sub); err != nil {
		return err
	}
	out, in := old, nw
	if had && ok && samePlace(old, nw) { // same place: move only what changed
		out.States, in.States = without(old.States, nw.States), without(nw.States, old.States)
	}
	if had {
		if err := addCounts(tx, nip, out, ^uint64(0)); err != nil {
			return err
		}
	}
	if !ok {
		return states.Delete([]byte(nip))
	}
	if err := addCounts(tx, nip, in, 1); err != nil {
		return err
	}
	return putJSON(states, []byte(nip), nw)
}

// without is the states of a that b does not hold.
func without(a, b []string) []string {
	var out []string
	for _, st := range a {
		if !slices.Contains(b, st) {
			out = append(out, st)
		}
	}
	return out
}

// addCounts adds delta (1, or ^0 for minus one) to every counter p is in; a counter at zero is
// deleted. The PNS joins (or leaves) the list behind each counter, bucket pns_by_state, with it.
func addCounts(tx *bbolt.Tx, nip string, p pnsState, delta uint64) error {
	b, list := bk(tx, bCounters), bk(tx, bPNSByState)
	for _, st := range p.States {
		k := stateListKey(st, p.Unit, nip)
		var err error
		if delta == 1 {
			err = list.Put(k, nil)
		} else {
			err = list.Delete(k)
		}
		if err != nil {
			return err
		}
	}
	for _, scope := range p.scopes() {
		for _, st := range p.States {
			k := counterKey(scope, st)
			var n uint64
			if v := b.Get(k); len(v) == 8 {
				n = binary.BigEndian.Uint64(v)
			}
			n += delta
			var err error
			if n == 0 {
				err = b.Delete(k)
			} else {
				err = b.Put(k, u64(n))
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func counterKey(scope, state string) []byte { return cat([]byte(scope), []byte{0}, []byte(state)) }

// stateListKey is a PNS's key in the list of a counted state: state, unit, NIP.
func stateListKey(state, unit, nip string) []byte {
	return cat([]byte(state), []byte{0}, []byte(unit), []byte{0}, []byte(nip))
}

// Counters reads every counter: scope -> Counts. It reads only the counters bucket (a few keys per
// unit), so a page may call it on every load.
func (s *Store) Counters() (map[string]Counts, error) {
	out := map[string]Counts{}
	err := s.view(func(tx *bbolt.Tx) error {
		return bk(tx, bCounters).ForEach(func(k, v []byte) error {
			scope, state, ok := bytes.Cut(k, []byte{0})
			if !ok || len(v) != 8 {
				return nil
			}
			c := out[string(scope)]
			if c == nil {
				c = Counts{}
				out[string(scope)] = c
			}
			c[string(state)] = binary.BigEndian.Uint64(v)
			return nil
		})
	})
	return out, err
}

// Recount counts every PNS from its record, account and submissions, as the counters should hold
// it: the test of the counters and the migration that builds them for an existing file use it.
func (s *Store) Recount() (map[string]Counts, error) {
	out := map[string]Counts{}
	err := s.view(func(tx *bbolt.Tx) error {
		return bk(tx, bRecords).ForEach(func(k, _ []byte) error {
			p, _, ok, err := statesOf(tx, string(k), nil)
			if err != nil || !ok {
				return err
			}
			for _, scope := range p.scopes() {
				if out[scope] == nil {
					out[scope] = Counts{}
				}
				for _, st := range p.States {
					out[scope][st]++
				}
			}
			return nil
		})
	})
	return out, err
}

// rebuildCounters empties the counters and counts every PNS of the file again (prepare, for a file
// made before the counters existed).
func rebuildCounters(tx *bbolt.Tx) error {
	for _, name := range [][]byte{bCounters, bPNSState, bPNSByState, bDaily} {
		if err := tx.DeleteBucket(name); err != nil && !errors.Is(err, bberrors.ErrBucketNotFound) {
			return err
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	var nips []string
	if err := bk(tx, bRecords).ForEach(func(k, _ []byte) error {
		nips = append(nips, strings.Clone(string(k)))
		return nil
	}); err != nil {
		return err
	}
	for _, nip := range nips {
		if err := countPNS(tx, nip); err != nil {
			return err
		}
	}
	return rebuildDecisions(tx)
}
