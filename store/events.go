package store

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// Event is one line of the log: who did what, when, and on whose behalf. Lines are only ever
// appended, except that a save continuing a run of proposals is folded into the run's line.
type Event struct {
	Seq          uint64    `json:"seq"`
	At           time.Time `json:"at"`
	Actor        string    `json:"actor"`
	OnBehalfOf   string    `json:"on_behalf_of,omitempty"`
	NIP          string    `json:"nip,omitempty"`
	SubmissionID uint64    `json:"submission_id,omitempty"`
	Kind         string    `json:"kind"`
	Detail       string    `json:"detail"`
	// A proposal (kind usul) also names its entry key (a field, or a history row: RowKey) and its
	// reason, so that consecutive saves of one key by one person fold into one event (appendEvent).
	// Once a second save is folded in, First is the time of the run's first save, Saves how many
	// saves the run holds, and At, Detail and Reason are those of the latest save.
	Key    string    `json:"key,omitempty"`
	Reason string    `json:"reason,omitempty"`
	First  time.Time `json:"first,omitzero"`
	Saves  int       `json:"saves,omitempty"`
}

// Count is how many saves the event stands for: Saves for a folded run of proposals, else 1.
func (e Event) Count() int { return max(e.Saves, 1) }

// Text is the event's detail as the audit page and its CSV show it: for a proposal also the
// reason and, for a folded run, how many saves it holds since when (the latest is At).
func (e Event) Text() string {
	if e.Kind != EventPropose {
		return e.Detail
	}
	var b strings.Builder
	b.WriteString(e.Detail)
	if e.Reason != "" {
		fmt.Fprintf(&b, "; alasan: %q", e.Reason)
	}
	if e.Saves > 1 {
		fmt.Fprintf(&b, " (%d kali disimpan sejak %s)", e.Saves, e.First.In(e.At.Location()).Format("02-01-2006 15:04:05"))
	}
	return b.String()
}

// Event kinds: what an event records. actedOn reads the first four to tell who is a party to a
// PNS's form.
const (
	EventPropose            = "usul"     // a proposal on a field or a history row
	EventConfirm            = "sesuai"   // fields or tables marked as right
	EventWithdraw           = "batal"    // a proposal or sesuai taken back
	EventKirim              = "kirim"    // the form sent to the verifiers
	EventDocument           = "dokumen"  // a document attached or detached
	EventDecide             = "putusan"  // a verifier's verdict on a line
	EventForward            = "teruskan" // a submission forwarded (or returned, or done)
	EventSendDown           = "turun"    // turun status
	EventOpened             = "dibuka"   // a verifier opened a submission at a level
	EventWithdrawSubmission = "tarik"    // the PNS took a submission back
	EventMaster             = "master"   // a master record version from import or demo
	EventRegistered         = "registrasi"
	EventActivated          = "aktivasi"
	EventRegRejected        = "registrasi_ditolak"
	EventStaffAdded         = "akun_baru"
	EventStaffDisabled      = "akun_nonaktif"
	EventPasswordReset      = "sandi_direset"
	EventPasswordChanged    = "sandi_diganti"
	EventActivationSetting  = "aktivasi_instansi"
)

// appendEvent writes an event and its per-PNS index entry in the caller's transaction. A proposal
// that continues a run (foldable) is written over the run's event instead: same sequence, same
// events_by_nip key, so the log does not grow while a PNS types into one field.
func appendEvent(tx *bbolt.Tx, e Event) error {
	b := bk(tx, bEvents)
	if prev, ok, err := foldable(tx, e); err != nil || ok {
		if err != nil {
			return err
		}
		e.Seq, e.First, e.Saves = prev.Seq, prev.At, prev.Count()+1
		if !prev.First.IsZero() {
			e.First = prev.First
		}
		return putEvent(b, e)
	}
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.Seq = seq
	if err := putEvent(b, e); err != nil {
		return err
	}
	if e.NIP != "" {
		return bk(tx, bEventsNIP).Put(cat([]byte(e.NIP), u64(seq)), nil)
	}
	return nil
}

// Events returns a PNS's events, oldest first.
func (s *Store) Events(nip string) ([]Event, error) {
	var out []Event
	err := s.view(func(tx *bbolt.Tx) error {
		ev := bk(tx, bEvents)
		c := bk(tx, bEventsNIP).Cursor()
		p := []byte(nip)
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			e, err := getEvent(ev, k[len(p):])
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// foldable returns the PNS's latest event (its Seq, At, First and Saves) when e continues its run:
// e is a proposal, the latest event of the same PNS is a proposal on the same key by the same
// actor on behalf of the same PNS (nothing else of that PNS was logged since: any other event,
// another field, another person breaks the run), and the run began on the same calendar day as e
// (in e's time zone).
func foldable(tx *bbolt.Tx, e Event) (Event, bool, error) {
	if e.Kind != EventPropose || e.Key == "" || e.NIP == "" {
		return Event{}, false, nil
	}
	p := []byte(e.NIP)
	k := seekAuditStart(bk(tx, bEventsNIP).Cursor(), p, 0)
	if k == nil || !bytes.HasPrefix(k, p) || len(k) != len(p)+8 {
		return Event{}, false, nil
	}
	h, err := getEvent(bk(tx, bEvents), k[len(p):])
	if err != nil {
		return Event{}, false, err
	}
	if h.Kind != EventPropose || h.Key != e.Key || h.Actor != e.Actor || h.OnBehalfOf != e.OnBehalfOf {
		return Event{}, false, nil
	}
	prev := Event{Seq: h.Seq, At: h.At, First: h.First, Saves: h.Saves}
	first := prev.At
	if !prev.First.IsZero() {
		first = prev.First
	}
	y1, m1, d1 := first.In(e.At.Location()).Date()
	y2, m2, d2 := e.At.Date()
	return prev, y1 == y2 && m1 == m2 && d1 == d2, nil
}

// rowText is a proposed history row as the event log keeps it: the table's fields in catalogue
// order, label=value, the empty ones left out.
func rowText(t Table, row map[string]string) string {
	var parts []string
	for _, f := range t.Fields {
		if v := row[f.Key]; v != "" {
			parts = append(parts, f.Label+"="+f.Display(v))
		}
	}
	return strings.Join(parts, ", ")
}
