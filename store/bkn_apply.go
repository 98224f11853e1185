package store

// The office applies its hub's decisions: once per decision id, in one transaction with everything
// a local Level 3/4 forward causes (forwardTx: the verdicts, the move, the new master version when
// done, the counters, the PNS's mail).

import (
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// ApplyBKNDecision applies a hub's decision to the office's submission (or its turun status:
// back to Level 2 with the reason, applyTurun). applied is false when the decision id was applied
// before (a redelivery) or no longer fits the submission (it moved on: another level, another
// round, a later send of its lines): both are remembered and never applied again. A decision that leaves a line of
// its level undecided, or names a line not under review, is ErrBKNRefused (nothing is stored).
func (s *Store) ApplyBKNDecision(d BKNDecision) (applied bool, err error) {
	a := Actor{Login: d.By}
	_, err = s.transition(s.update, a, byID(d.SubmissionID), func(tx *bbolt.Tx, sub *Submission, now time.Time) (Event, error) {
		applied = false
		done := bk(tx, bBKNApplied)
		if done.Get([]byte(d.ID)) != nil {
			return Event{}, errUnchanged
		}
		if err := done.Put([]byte(d.ID), timeKey(now)); err != nil {
			return Event{}, err
		}
		if sub.InstansiID != d.Instansi {
			return Event{}, fmt.Errorf("%w: putusan untuk instansi %s, usulan milik %s", ErrBKNRefused, d.Instansi, sub.InstansiID)
		}
		if sub.State.Level() != d.Level || sub.Round != d.Round || (d.Send != 0 && d.Send != sub.BKNSends) {
			return Event{}, errUnchanged // stale: remembered above, never applied
		}
		switch d.Kind {
		case BKNDecisionTurun:
			ev, err := applyTurun(tx, sub, d, now)
			applied = err == nil
			return ev, err
		case "":
		default:
			return Event{}, fmt.Errorf("%w: jenis putusan %q", ErrBKNRefused, d.Kind)
		}
		if err := addBKNDecisions(tx, sub, d); err != nil {
			return Event{}, err
		}
		ev, err := forwardTx(tx, sub, d.By, now)
		if err != nil {
			return Event{}, err
		}
		applied = true
		return ev, nil
	})
	return applied, err
}

// addBKNDecisions appends the hub's verdicts to the lines of its level, each with its own event,
// and checks that every line of the level is decided.
func addBKNDecisions(tx *bbolt.Tx, sub *Submission, d BKNDecision) error {
	byField := map[string]int{}
	for _, i := range sub.ReviewLines() {
		byField[sub.Lines[i].Field] = i
	}
	for _, dec := range d.Decisions {
		i, ok := byField[dec.Field]
		if !ok {
			return fmt.Errorf("%w: baris %q tidak sedang diperiksa di Level %d", ErrBKNRefused, dec.Field, d.Level)
		}
		if dec.Verdict != Setuju && dec.Verdict != BTS && dec.Verdict != TMS {
			return fmt.Errorf("%w: putusan %q", ErrBKNRefused, dec.Verdict)
		}
		dec.Level, dec.Round = d.Level, sub.Round
		sub.Lines[i].Decisions = append(sub.Lines[i].Decisions, dec)
		if err := appendEvent(tx, Event{At: dec.At, Actor: dec.By, NIP: sub.NIP, SubmissionID: sub.ID, Kind: EventDecide,
			Detail: fmt.Sprintf("Level %d (BKN), %s: %s %s", d.Level, sub.Lines[i].Label, VerdictLabel(dec.Verdict), dec.Note)}); err != nil {
			return err
		}
	}
	if und := sub.Undecided(); len(und) > 0 {
		return fmt.Errorf("%w: baris %q belum diputuskan", ErrBKNRefused, und[0].Field)
	}
	sub.Rev++
	return nil
}

// BKNApplied counts the decisions this office has applied or set aside (bkn_applied): a test
// reads it to see that nothing was applied twice.
func (s *Store) BKNApplied() (n int, err error) {
	err = s.view(func(tx *bbolt.Tx) error { n = bk(tx, bBKNApplied).Stats().KeyN; return nil })
	return n, err
}
