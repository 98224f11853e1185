package store

// Turun status across the BKN link (issue 14): a hub's Level 3/4 verifier sends an office's
// submission back to the office's Level 2 with a reason. The hub's copy leaves its inbox and a
// decision of kind BKNDecisionTurun goes into the hub's bkn_outbox in the same transaction
// (SendDown); the office applies it once by its id, as a local turun status from that level
// (ApplyBKNDecision → applyTurun). When the office's Level 2 forwards again the lines travel under
// a new message id (BKNSendMsgID) and the hub takes them into the same copy (arrivedAgain).

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// BKNDecisionTurun is the Kind of a BKNDecision that is a hub's turun status.
const BKNDecisionTurun = "turun"

// queueTurun puts a hub verifier's turun status on a received submission into the hub's
// bkn_outbox, for its office: id "t/" + the lines' message id (each send has its own).
func queueTurun(tx *bbolt.Tx, sub *Submission, from int, a Actor, why string, now time.Time) error {
	var o bknOrigin
	if err := getJSON(bk(tx, bBKNOrigin), u64(sub.ID), &o); err != nil {
		return fmt.Errorf("asal usulan #%d: %w", sub.ID, err)
	}
	d := BKNDecision{ID: "t/" + o.MsgID, Kind: BKNDecisionTurun, Reason: why, Instansi: o.Instansi,
		SubmissionID: o.SubmissionID, Level: from, Round: o.Round, Send: o.Send, By: a.Login, At: now}
	return putOut(tx, BKNOut{Kind: BKNKindDecision, Instansi: o.Instansi, MsgID: d.ID, SubmissionID: sub.ID, At: now}, d)
}

// applyTurun is the office's side of a hub's turun status, in ApplyBKNDecision's transaction: the
// submission moves from its BKN level to the level below on its path (Level 2) as a local turun
// status would (inbox rows, counters, the step with the reason the Level 2 verifier reads), and its
// "sent to BKN" marks are cleared.
func applyTurun(tx *bbolt.Tx, sub *Submission, d BKNDecision, now time.Time) (Event, error) {
	why, err := NormalizeReason("alasan_turun", d.Reason, 500)
	if err != nil || why == "" {
		return Event{}, fmt.Errorf("%w: turun status tanpa alasan yang sah", ErrBKNRefused)
	}
	to, ok := sub.SendDownTo()
	if !ok {
		return Event{}, fmt.Errorf("%w: usulan #%d tidak dapat diturunkan dari %s", ErrBKNRefused, sub.ID, sub.State.Label())
	}
	lv := sub.State.Level()
	if err := moveTo(tx, sub, to, d.By, why, now); err != nil {
		return Event{}, err
	}
	sub.BKNSends = max(sub.BKNSends, 1) // a file from before BKNSends: its next send still gets a new id
	for _, b := range [][]byte{bBKNPending, bBKNSent} {
		if err := bk(tx, b).Delete(u64(sub.ID)); err != nil {
			return Event{}, err
		}
	}
	return Event{Kind: EventSendDown, Detail: fmt.Sprintf("Level %d (BKN) → %s: %s", lv, to.Label(), why)}, nil
}

// arrivedAgain makes a received submission the hub's earlier copy of the same office submission
// when its verifier had sent that copy down (turun status): the office forwarded it again, and the
// hub's inbox and audit keep one submission. sub is hubCopy's new copy, not stored yet; its index
// row under the new id is dropped. Any other earlier copy (done, another round) stays apart.
func arrivedAgain(tx *bbolt.Tx, m BKNLines, sub *Submission) error {
	o := m.Submission
	c := bk(tx, bSubsByNIP).Cursor()
	p := []byte(o.NIP)
	var old Submission
	found := false
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p) && !found; k, _ = c.Next() {
		id := k[len(p):]
		if binaryID(id) == sub.ID {
			continue
		}
		var org bknOrigin
		switch err := getJSON(bk(tx, bBKNOrigin), id, &org); {
		case errors.Is(err, ErrNotFound):
			continue
		case err != nil:
			return err
		}
		if org.Instansi != o.InstansiID || org.SubmissionID != o.ID {
			continue
		}
		if err := getJSON(bk(tx, bSubs), id, &old); err != nil {
			return err
		}
		found = old.State == StateSentDown
	}
	if !found {
		return nil
	}
	if err := bk(tx, bSubsByNIP).Delete(cat(p, u64(sub.ID))); err != nil {
		return err
	}
	sub.ID = old.ID
	sub.Rev = max(sub.Rev, old.Rev) + 1 // a page of the earlier copy is stale
	keepHubDecisions(old, sub)
	return nil
}

// keepHubDecisions carries the hub verifier's decisions of the earlier copy into the new one, as a
// local turun status keeps the higher level's decisions: a line the PNS changed since (a later
// round) leaves them stale by the usual rule (Line.Decision).
func keepHubDecisions(old Submission, sub *Submission) {
	lv := sub.State.Level()
	for i, l := range sub.Lines {
		for _, ol := range old.Lines {
			if ol.Field != l.Field {
				continue
			}
			decs := slices.Clone(l.Decisions)
			for _, d := range ol.Decisions {
				if d.Level == lv && !slices.Contains(decs, d) {
					decs = append(decs, d)
				}
			}
			sub.Lines[i].Decisions = decs
		}
	}
}
