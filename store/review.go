package store

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// latestSubmission reads a PNS's newest submission, a copy the caller may change.
func latestSubmission(tx *bbolt.Tx, nip string) (Submission, error) {
	c := bk(tx, bSubsByNIP).Cursor()
	p := []byte(nip)
	// Seek past every key of this NIP, then step back: the last one is the newest.
	k, _ := c.Seek(cat(p, []byte{0xff}))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, p) || len(k) != len(p)+8 {
		return Submission{}, ErrNotFound
	}
	s, err := getCached[Submission](tx, bSubs, k[len(p):])
	if err != nil {
		return Submission{}, err
	}
	// The caller may change its copy (Kirim resends a returned submission): copy the slices.
	out := *s
	out.Lines = append([]Line(nil), s.Lines...)
	for i := range out.Lines {
		out.Lines[i].Decisions = append([]Decision(nil), s.Lines[i].Decisions...)
	}
	out.Steps = append([]Step(nil), s.Steps...)
	return out, nil
}

// putSubmission stores a submission under its id.
func putSubmission(tx *bbolt.Tx, s *Submission) error {
	if err := putJSON(bk(tx, bSubs), u64(s.ID), s); err != nil {
		return err
	}
	return countPNS(tx, s.NIP) // its state and the PNS's counters change together
}

// moveTo changes the state, keeping the inbox index and its counts true in the same transaction.
func moveTo(tx *bbolt.Tx, s *Submission, to State, by, note string, now time.Time) error {
	if lv := s.State.Level(); lv > 0 {
		if err := inboxRemove(tx, s); err != nil {
			return err
		}
	}
	s.Steps = append(s.Steps, Step{At: now, From: s.State, To: to, By: by, Note: note})
	s.State = to
	s.UpdatedAt = now
	s.Rev++
	s.TakenBy = ""
	if lv := to.Level(); lv > 0 {
		s.InboxAt = now
		return inboxAdd(tx, s)
	}
	return nil
}

// Submission returns a submission the actor may read.
func (s *Store) Submission(a Actor, id uint64) (Submission, error) {
	var sub Submission
	err := s.view(func(tx *bbolt.Tx) error {
		if err := getJSON(bk(tx, bSubs), u64(id), &sub); err != nil {
			return fmt.Errorf("usulan #%d: %w", id, err)
		}
		if !mayRead(tx, a, sub) {
			return ErrForbidden
		}
		return nil
	})
	if err != nil {
		return Submission{}, err
	}
	return sub, nil
}

// errUnchanged tells transition that a step found nothing to do: nothing is stored.
var errUnchanged = errors.New("tidak ada perubahan")

// transition runs one step of the state machine on a submission, in one write transaction (write
// is s.batch or s.update): load reads the submission, step checks who may take the step and makes
// its own change, returning the event's kind and detail (or errUnchanged: nothing to store), and
// transition stores the submission and the event. It returns the submission as it now stands.
func (s *Store) transition(write func(func(*bbolt.Tx) error) error, a Actor, load func(*bbolt.Tx) (Submission, error),
	step func(tx *bbolt.Tx, sub *Submission, now time.Time) (Event, error)) (Submission, error) {
	now := s.now()
	var out Submission
	err := write(func(tx *bbolt.Tx) error {
		sub, err := load(tx)
		if err != nil {
			return err
		}
		ev, err := step(tx, &sub, now)
		if errors.Is(err, errUnchanged) {
			out = sub
			return nil
		}
		if err != nil {
			return err
		}
		if err := putSubmission(tx, &sub); err != nil {
			return err
		}
		out = sub
		ev.At, ev.Actor, ev.NIP, ev.SubmissionID = now, a.Login, sub.NIP, sub.ID
		if ev.Kind == EventDecide {
			if err := countDecision(tx, a.Login, now); err != nil {
				return err
			}
		}
		return appendEvent(tx, ev)
	})
	return out, err
}

// byID loads the submission with an id, for transition.
func byID(id uint64) func(*bbolt.Tx) (Submission, error) {
	return func(tx *bbolt.Tx) (Submission, error) {
		var sub Submission
		if err := getJSON(bk(tx, bSubs), u64(id), &sub); err != nil {
			return Submission{}, fmt.Errorf("usulan #%d: %w", id, err)
		}
		return sub, nil
	}
}

// verifierStep is the gate of every verifier step: the verifier may act on the submission now
// (verifierCheck), inside the verification window of its level (for the submission's instansi); rule, when set, is the step's own refusal, told only to someone with that
// authority; the verifier saw the current revision rev (else ErrConflict); and the first opening
// is recorded (the inbox row shows who took it).
func verifierStep(tx *bbolt.Tx, a Actor, sub *Submission, rev int, rule func() error, now time.Time) error {
	if err := verifierCheck(tx, a, *sub); err != nil {
		return err
	}
	if err := bknLocalStep(tx, sub); err != nil { // a linked office's Levels 3/4 are decided at BKN
		return err
	}
	if err := windowOpenTx(tx, verifyWindow(sub.State.Level()), sub.InstansiID, now); err != nil {
		return err
	}
	if rule != nil {
		if err := rule(); err != nil {
			return err
		}
	}
	if rev != sub.Rev {
		return ErrConflict
	}
	if markOpened(sub, a, now) {
		return inboxPut(tx, sub)
	}
	return nil
}

// Decide records a verifier's verdict on one line at the submission's current level. rev is the
// submission revision the verifier saw; a stale one is refused with ErrConflict. BTS and TMS need a note.
func (s *Store) Decide(a Actor, id uint64, rev int, field, verdict, note string) (Submission, error) {
	if verdict != Setuju && verdict != BTS && verdict != TMS {
		return Submission{}, fieldErr("verdict_"+field, "Pilih Setuju, BTS atau TMS.")
	}
	note, err := NormalizeReason("catatan_"+field, note, 500)
	if err != nil {
		return Submission{}, err
	}
	if verdict != Setuju && note == "" {
		return Submission{}, fieldErr("catatan_"+field, "Catatan wajib diisi untuk BTS atau TMS: tulis apa yang harus diperbaiki atau mengapa ditolak.")
	}
	return s.transition(s.batch, a, byID(id), func(tx *bbolt.Tx, sub *Submission, now time.Time) (Event, error) {
		if err := verifierStep(tx, a, sub, rev, nil, now); err != nil {
			return Event{}, err
		}
		lv := sub.State.Level()
		idx := -1
		for _, i := range sub.ReviewLines() {
			if sub.Lines[i].Field == field {
				idx = i
			}
		}
		if idx < 0 {
			return Event{}, fmt.Errorf("baris %q: %w", field, ErrNotFound)
		}
		sub.Lines[idx].Decisions = append(sub.Lines[idx].Decisions, Decision{Level: lv, Round: sub.Round, Field: field, Verdict: verdict, Note: note, By: a.Login, At: now})
		sub.Rev++
		sub.UpdatedAt = now
		return Event{Kind: EventDecide, Detail: fmt.Sprintf("Level %d, %s: %s %s", lv, sub.Lines[idx].Label, VerdictLabel(verdict), note)}, nil
	})
}

// Forward moves a fully decided submission on: back to the PNS when any line is BTS; else to the next
// level when an approved line needs it; else done, applying every approved line to the master record
// as a new version in the same transaction.
func (s *Store) Forward(a Actor, id uint64, rev int) (Submission, error) {
	return s.transition(s.update, a, byID(id), func(tx *bbolt.Tx, sub *Submission, now time.Time) (Event, error) {
		if err := verifierStep(tx, a, sub, rev, nil, now); err != nil {
			return Event{}, err
		}
		if und := sub.Undecided(); len(und) > 0 {
			var names []string
			for _, l := range und {
				names = append(names, l.Label)
			}
			return Event{}, &IncompleteError{Items: []Missing{{Field: und[0].Field, Label: "Belum diputuskan", Problem: strings.Join(names, ", ")}}}
		}
		return forwardTx(tx, sub, a.Login, now)
	})
}

// forwardTx moves a decided submission to its next state in the caller's transaction: Forward's
// step, and an office applying its hub's decisions (bkn_apply.go) takes the same one.
func forwardTx(tx *bbolt.Tx, sub *Submission, by string, now time.Time) (Event, error) {
	lv := sub.State.Level()
	to := sub.NextState()
	if err := moveTo(tx, sub, to, by, "", now); err != nil {
		return Event{}, err
	}
	hub, err := bknForwarded(tx, sub, lv, now) // the BKN link's outbox, in this transaction (bkn.go)
	if err != nil || hub {
		return Event{Kind: EventForward, Detail: fmt.Sprintf("Level %d → %s", lv, to.Label())}, err
	}
	if to == StateDone {
		if err := applyApproved(tx, sub, by, now); err != nil {
			return Event{}, err
		}
	}
	// The PNS is told by mail, in this transaction: no change without its mail, no mail without its change.
	if err := enqueueSubmissionMail(tx, sub); err != nil {
		return Event{}, err
	}
	return Event{Kind: EventForward, Detail: fmt.Sprintf("Level %d → %s", lv, to.Label())}, nil
}

// SendDown is the 2015 turun status: a verifier at Level 2 or above sends the submission back to
// the level before it on its path (Level 2 to Level 1; Level 3 or 4 to Level 2) with a reason.
// Decisions stay; the lower level sees the reason and may change any of its decisions before
// forwarding again. At a BKN hub the Level 2 is the office's: the hub's copy leaves the inbox
// (StateSentDown) and the turun status goes to the office in the same transaction (bkn_turun.go).
func (s *Store) SendDown(a Actor, id uint64, rev int, reason string) (Submission, error) {
	return s.transition(s.update, a, byID(id), func(tx *bbolt.Tx, sub *Submission, now time.Time) (Event, error) {
		lv := sub.State.Level()
		to, down := sub.SendDownTo()
		// Authority first (verifierStep runs rule after verifierCheck): an outsider learns
		// nothing, not even that the reason was missing.
		why, hub := "", bknLinkTx(tx).Role.Hub()
		if hub {
			to = StateSentDown
		}
		rule := func() error {
			if !down {
				return fmt.Errorf("%w: Level 1 tidak dapat menurunkan status", ErrState)
			}
			var err error
			if why, err = NormalizeReason("alasan_turun", reason, 500); err != nil {
				return err
			}
			if why == "" {
				return fieldErr("alasan_turun", "Alasan turun status wajib diisi: tulis apa yang harus diperiksa ulang.")
			}
			return nil
		}
		if err := verifierStep(tx, a, sub, rev, rule, now); err != nil {
			return Event{}, err
		}
		if err := moveTo(tx, sub, to, a.Login, why, now); err != nil {
			return Event{}, err
		}
		if hub {
			if err := queueTurun(tx, sub, lv, a, why, now); err != nil {
				return Event{}, err
			}
		}
		return Event{Kind: EventSendDown, Detail: fmt.Sprintf("Level %d → %s: %s", lv, to.Label(), why)}, nil
	})
}

// Submissions returns every submission of a PNS, newest first, for its PNS.
func (s *Store) Submissions(a Actor, nip string) ([]Submission, error) {
	if !couldActFor(a, nip) {
		return nil, ErrForbidden
	}
	var out []Submission
	err := s.view(func(tx *bbolt.Tx) error {
		if !mayActForTx(tx, a, nip) {
			return ErrForbidden
		}
		c := bk(tx, bSubsByNIP).Cursor()
		p := []byte(nip)
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			var sub Submission
			if err := getJSON(bk(tx, bSubs), k[len(p):], &sub); err != nil {
				return err
			}
			out = append([]Submission{sub}, out...)
		}
		return nil
	})
	return out, err
}

// markOpened records the first verifier who looks at a submission since it was sent, and the first
// at its current level (TakenBy, shown in the inbox). It tells whether TakenBy changed.
func markOpened(s *Submission, a Actor, now time.Time) bool {
	if s.OpenedAt.IsZero() {
		s.OpenedBy, s.OpenedAt = a.Login, now
	}
	if s.TakenBy == "" {
		s.TakenBy = a.Login
		return true
	}
	return false
}

// OpenForReview returns a submission to a verifier of its current level in scope and records, the
// first time at each level only, that a verifier opened it (from then on the PNS can no longer
// withdraw it, and the inbox shows who took it). It is called on every GET of the review page, so
// it writes only when nothing was recorded yet at this level: a page load costs one read
// transaction; opening is not a change of content and leaves Rev alone. first tells whether this
// call recorded the opening (the inboxes then show it).
func (s *Store) OpenForReview(a Actor, id uint64) (sub Submission, first bool, err error) {
	err = s.view(func(tx *bbolt.Tx) error { return getJSON(bk(tx, bSubs), u64(id), &sub) })
	if err != nil {
		return Submission{}, false, fmt.Errorf("usulan #%d: %w", id, err)
	}
	if !mayVerify(a, sub) {
		return Submission{}, false, ErrForbidden
	}
	if sub.TakenBy != "" {
		return sub, false, nil
	}
	sub, err = s.transition(s.batch, a, byID(id), func(tx *bbolt.Tx, sub *Submission, now time.Time) (Event, error) {
		first = false
		if !mayVerify(a, *sub) {
			return Event{}, ErrForbidden // it moved (withdrawn, forwarded) between the read and the write
		}
		if sub.TakenBy != "" {
			return Event{}, errUnchanged // a colleague opened it first
		}
		markOpened(sub, a, now)
		if err := inboxPut(tx, sub); err != nil { // the inbox row shows who opened it
			return Event{}, err
		}
		first = true
		return Event{Kind: EventOpened, Detail: fmt.Sprintf("Level %d mulai memeriksa", sub.State.Level())}, nil
	})
	if err != nil {
		return Submission{}, false, err
	}
	return sub, first, nil
}

// WithdrawSubmission takes the PNS's latest submission back before any verifier opened it: it leaves
// the inbox, its state becomes ditarik and the form unlocks. Sending again continues the same
// submission in a new round.
func (s *Store) WithdrawSubmission(a Actor, nip string) (Submission, error) {
	if !couldActFor(a, nip) {
		return Submission{}, ErrForbidden
	}
	latest := func(tx *bbolt.Tx) (Submission, error) {
		if !mayActForTx(tx, a, nip) { // checked before the read: an outsider learns nothing
			return Submission{}, ErrForbidden
		}
		sub, err := latestSubmission(tx, nip)
		if err != nil {
			return Submission{}, fmt.Errorf("usulan %s: %w", nip, err)
		}
		return sub, nil
	}
	return s.transition(s.update, a, latest, func(tx *bbolt.Tx, sub *Submission, now time.Time) (Event, error) {
		if !sub.CanWithdraw() {
			if !sub.State.WithVerifiers() {
				return Event{}, fmt.Errorf("%w: usulan berstatus %s", ErrState, sub.State.Label())
			}
			return Event{}, fmt.Errorf("%w: usulan sudah dibuka verifikator", ErrState)
		}
		if err := moveTo(tx, sub, StateWithdrawn, a.Login, "", now); err != nil {
			return Event{}, err
		}
		return Event{Kind: EventWithdrawSubmission, Detail: fmt.Sprintf("ditarik sebelum dibuka verifikator, putaran %d", sub.Round)}, nil
	})
}
