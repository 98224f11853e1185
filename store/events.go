package store

import (
	"bytes"
	"time"

	"go.etcd.io/bbolt"
)

// Event is one line of the append-only log: who did what, when, and on whose behalf.
type Event struct {
	Seq          uint64    `json:"seq"`
	At           time.Time `json:"at"`
	Actor        string    `json:"actor"`
	OnBehalfOf   string    `json:"on_behalf_of,omitempty"`
	NIP          string    `json:"nip,omitempty"`
	SubmissionID uint64    `json:"submission_id,omitempty"`
	Kind         string    `json:"kind"`
	Detail       string    `json:"detail"`
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

// appendEvent writes an event and its per-PNS index entry in the caller's transaction.
func appendEvent(tx *bbolt.Tx, e Event) error {
	b := bk(tx, bEvents)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.Seq = seq
	if err := putJSON(b, u64(seq), e); err != nil {
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
			var e Event
			if err := getJSON(ev, k[len(p):], &e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}
