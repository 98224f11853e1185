package store

// The hub's side of the BKN link: what arrives from offices becomes a submission in the hub's own
// inbox at Level 3 or 4; when the hub's verifier forwards it, the decisions go back.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// bknOrigin is where a hub's submission came from: the office's instansi, submission, level and
// round (its lines' message id). bkn_origin keeps it under the hub's submission id.
type bknOrigin struct {
	MsgID        string `json:"msg_id"`
	Instansi     string `json:"instansi"`
	SubmissionID uint64 `json:"submission_id"`
	Level        int    `json:"level"`
	Round        int    `json:"round"`
	Send         int    `json:"send,omitempty"` // the office's BKNSends (bkn_turun.go)
}

const bknBlobChunk = 256 << 10 // as documents.go stores an upload

// ReceiveBKNDoc stores a document an office sent, after checking its bytes against its hash; a
// document already stored (the same hash) is a no-op. A mismatch is ErrBKNHash: never stored.
func (s *Store) ReceiveBKNDoc(d BKNDoc, data []byte) error {
	if err := checkBKNDoc(d, data); err != nil {
		return err
	}
	now := s.now()
	return s.update(func(tx *bbolt.Tx) error {
		if !bknLinkTx(tx).Role.Hub() {
			return fmt.Errorf("%w: berkas data ini bukan hub BKN", ErrState)
		}
		return receiveDocTx(tx, d, data, now)
	})
}

// checkBKNDoc compares a document's bytes with its hash and size.
func checkBKNDoc(d BKNDoc, data []byte) error {
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != d.SHA256 || int64(len(data)) != d.Size {
		return fmt.Errorf("%w: dokumen %s (%s)", ErrBKNHash, d.Name, d.SHA256)
	}
	return nil
}

// receiveDocTx stores a checked document once per hash, in the caller's transaction.
func receiveDocTx(tx *bbolt.Tx, d BKNDoc, data []byte, now time.Time) error {
	idx := bk(tx, bBKNDocHash)
	if idx.Get([]byte(d.SHA256)) != nil {
		return nil
	}
	id, err := bk(tx, bDocs).NextSequence()
	if err != nil {
		return err
	}
	m := DocMeta{ID: id, NIP: d.NIP, Entry: d.Entry, Kind: d.Kind, Name: d.Name, Type: d.Type, Size: d.Size, By: "kantor", At: now}
	if err := putJSON(bk(tx, bDocs), u64(id), m); err != nil {
		return err
	}
	blobs := bk(tx, bDocBlobs)
	for i := 0; i*bknBlobChunk < len(data); i++ {
		if err := blobs.Put(blobKey(id, i), data[i*bknBlobChunk:min(len(data), (i+1)*bknBlobChunk)]); err != nil {
			return err
		}
	}
	if err := idx.Put([]byte(d.SHA256+"/"+d.NIP), u64(id)); err != nil {
		return err
	}
	return idx.Put([]byte(d.SHA256), u64(id))
}

// ReceiveBKNLines writes an office's submission into the hub's inbox in one transaction. subject
// is the instansi the message's subject names: the body must agree with it, and the instansi must
// be this hub's (its Kanreg's daerah, or a pusat at BKN Pusat). A message id received before is a
// no-op (the hub's copy is returned); a document not yet arrived is ErrBKNDocMissing (ask again).
func (s *Store) ReceiveBKNLines(subject string, m BKNLines) (hubID uint64, err error) {
	now := s.now()
	err = s.update(func(tx *bbolt.Tx) error {
		if hubID = bknReceivedID(tx, m.MsgID); hubID != 0 {
			return nil
		}
		if err := bknCheckLines(tx, subject, m); err != nil {
			return err
		}
		hubID, err = bknWriteLines(tx, m, now)
		return err
	})
	return hubID, err
}

// bknReceivedID is the hub's submission made from a message id received before; 0 when new.
func bknReceivedID(tx *bbolt.Tx, msgID string) uint64 {
	if raw := bk(tx, bBKNReceived).Get([]byte(msgID)); raw != nil {
		return binaryID(raw)
	}
	return 0
}

// bknCheckLines is every rule a received message must meet, checked before anything is written
// (so that a batch can leave a refused or waiting message out of its transaction): it fits the hub
// (bknAccepts), names its unit, and every document it refers to has a hash and has arrived.
func bknCheckLines(tx *bbolt.Tx, subject string, m BKNLines) error {
	if err := bknAccepts(bknLinkTx(tx), subject, m); err != nil {
		return err
	}
	if u := m.Unit; u.ID == "" || u.InstansiID != m.Instansi.ID {
		return fmt.Errorf("%w: unit %q", ErrBKNRefused, u.ID)
	}
	idx := bk(tx, bBKNDocHash)
	carried := map[uint64]bool{}
	for _, d := range m.Docs {
		if idx.Get([]byte(d.SHA256+"/"+m.Submission.NIP)) == nil && idx.Get([]byte(d.SHA256)) == nil {
			return fmt.Errorf("%w: %s", ErrBKNDocMissing, d.SHA256)
		}
		carried[d.ID] = true
	}
	for _, l := range m.Submission.Lines {
		for _, d := range l.Docs {
			if !carried[d.ID] {
				return fmt.Errorf("%w: dokumen #%d tanpa hash", ErrBKNRefused, d.ID)
			}
		}
	}
	return nil
}

// bknWriteLines writes a checked message: the instansi and unit rows, the hub's submission in its
// inbox, the message id received and the submission's origin, and the event.
func bknWriteLines(tx *bbolt.Tx, m BKNLines, now time.Time) (uint64, error) {
	if err := bknOrgRows(tx, m); err != nil {
		return 0, err
	}
	sub, err := hubCopy(tx, m, now)
	if err != nil {
		return 0, err
	}
	if err := arrivedAgain(tx, m, &sub); err != nil { // after a turun status: the same hub copy (bkn_turun.go)
		return 0, err
	}
	if err := inboxAdd(tx, &sub); err != nil {
		return 0, err
	}
	if err := putSubmission(tx, &sub); err != nil {
		return 0, err
	}
	if err := bk(tx, bBKNReceived).Put([]byte(m.MsgID), u64(sub.ID)); err != nil {
		return 0, err
	}
	o := m.Submission
	if err := putJSON(bk(tx, bBKNOrigin), u64(sub.ID), bknOrigin{MsgID: m.MsgID, Instansi: o.InstansiID,
		SubmissionID: o.ID, Level: o.State.Level(), Round: o.Round, Send: o.BKNSends}); err != nil {
		return 0, err
	}
	return sub.ID, appendEvent(tx, Event{At: now, Actor: "kantor " + o.InstansiID, NIP: sub.NIP, SubmissionID: sub.ID,
		Kind: EventBKNReceived, Detail: fmt.Sprintf("usulan #%d kantor %s, putaran %d", o.ID, o.InstansiID, o.Round)})
}

func binaryID(raw []byte) uint64 {
	var id uint64
	for _, b := range raw[:8] {
		id = id<<8 | uint64(b)
	}
	return id
}

// bknAccepts checks a message against the hub: its subject's instansi is the body's, it waits at
// the hub's level, and the instansi belongs to the hub.
func bknAccepts(l BKNLink, subject string, m BKNLines) error {
	o := m.Submission
	switch {
	case !l.Role.Hub():
		return fmt.Errorf("%w: berkas data ini bukan hub BKN", ErrState)
	case subject != o.InstansiID || m.Instansi.ID != o.InstansiID:
		return fmt.Errorf("%w: subjek %s memuat usulan instansi %s", ErrBKNRefused, subject, o.InstansiID)
	case m.MsgID != BKNSendMsgID(o.InstansiID, o.ID, o.State.Level(), o.Round, o.BKNSends):
		return fmt.Errorf("%w: id pesan %s", ErrBKNRefused, m.MsgID)
	case l.Role == BKNRoleKanreg && (o.State != StateLevel3 || m.Instansi.Jenis != "daerah" || m.Instansi.KanregID != l.Kanreg):
		return fmt.Errorf("%w: instansi %s bukan wilayah Kanreg %s", ErrBKNRefused, o.InstansiID, l.Kanreg)
	case l.Role == BKNRolePusat && (o.State != StateLevel4 || m.Instansi.Jenis != "pusat"):
		return fmt.Errorf("%w: instansi %s bukan instansi pusat", ErrBKNRefused, o.InstansiID)
	}
	return nil
}

// bknOrgRows creates (or refreshes) the instansi and unit rows of a received submission: the hub's
// inbox and pages read them.
func bknOrgRows(tx *bbolt.Tx, m BKNLines) error {
	if err := putJSON(bk(tx, bInstansi), []byte(m.Instansi.ID), m.Instansi); err != nil {
		return err
	}
	u := m.Unit
	if u.ID == "" || u.InstansiID != m.Instansi.ID {
		return fmt.Errorf("%w: unit %q", ErrBKNRefused, u.ID)
	}
	return putJSON(bk(tx, bUnits), []byte(u.ID), u)
}

// hubCopy makes the hub's submission from the office's: a new id, waiting at the hub's level, its
// documents' refs turned into the hub's own document ids.
func hubCopy(tx *bbolt.Tx, m BKNLines, now time.Time) (Submission, error) {
	o := m.Submission
	byOffice := map[uint64]uint64{}
	for _, d := range m.Docs {
		id, err := hubDoc(tx, d.SHA256, o.NIP)
		if err != nil {
			return Submission{}, err
		}
		byOffice[d.ID] = id
	}
	sub := o
	sub.Lines = make([]Line, len(o.Lines))
	for i, l := range o.Lines {
		l.Docs = append([]DocRef(nil), l.Docs...)
		for j, d := range l.Docs {
			id, ok := byOffice[d.ID]
			if !ok {
				return Submission{}, fmt.Errorf("%w: dokumen #%d tanpa hash", ErrBKNRefused, d.ID)
			}
			l.Docs[j].ID = id
		}
		sub.Lines[i] = l
	}
	id, err := bk(tx, bSubs).NextSequence()
	if err != nil {
		return Submission{}, err
	}
	if err := bk(tx, bSubsByNIP).Put(cat([]byte(o.NIP), u64(id)), nil); err != nil {
		return Submission{}, err
	}
	sub.ID, sub.TakenBy, sub.Version = id, "", 0
	sub.Steps = append(append([]Step(nil), o.Steps...), Step{At: now, From: o.State, To: o.State, By: "kantor " + o.InstansiID,
		Note: fmt.Sprintf("diterima dari kantor (usulan #%d)", o.ID)})
	sub.InboxAt, sub.UpdatedAt = now, now
	return sub, nil
}

// hubDoc is the hub's document with a hash for a PNS. Documents are kept once per hash, but a
// document is shown to the verifiers of its PNS's submission (Document checks its NIP): the same
// bytes sent for another PNS get a copy of their own, indexed under hash + "/" + NIP.
func hubDoc(tx *bbolt.Tx, sha, nip string) (uint64, error) {
	idx := bk(tx, bBKNDocHash)
	if raw := idx.Get([]byte(sha + "/" + nip)); raw != nil {
		return binaryID(raw), nil
	}
	raw := idx.Get([]byte(sha))
	if raw == nil {
		return 0, fmt.Errorf("%w: %s", ErrBKNDocMissing, sha)
	}
	first := binaryID(raw)
	var m DocMeta
	if err := getJSON(bk(tx, bDocs), u64(first), &m); err != nil {
		return 0, err
	}
	if m.NIP == nip {
		return first, nil
	}
	var chunks [][]byte
	c := bk(tx, bDocBlobs).Cursor()
	for k, v := c.Seek(u64(first)); k != nil && bytes.HasPrefix(k, u64(first)); k, v = c.Next() {
		chunks = append(chunks, bytes.Clone(v))
	}
	id, err := bk(tx, bDocs).NextSequence()
	if err != nil {
		return 0, err
	}
	m.ID, m.NIP = id, nip
	if err := putJSON(bk(tx, bDocs), u64(id), m); err != nil {
		return 0, err
	}
	for i, ch := range chunks {
		if err := bk(tx, bDocBlobs).Put(blobKey(id, i), ch); err != nil {
			return 0, err
		}
	}
	return id, idx.Put([]byte(sha+"/"+nip), u64(id))
}

// queueDecision puts the hub verifier's decisions on a submission that leaves the hub's level into
// the hub's bkn_outbox, for its office.
func queueDecision(tx *bbolt.Tx, sub *Submission, from int, now time.Time) error {
	var o bknOrigin
	if err := getJSON(bk(tx, bBKNOrigin), u64(sub.ID), &o); err != nil {
		return fmt.Errorf("asal usulan #%d: %w", sub.ID, err)
	}
	d := BKNDecision{ID: "d/" + o.MsgID, Instansi: o.Instansi, SubmissionID: o.SubmissionID, Level: from, Round: o.Round, Send: o.Send, At: now}
	for _, l := range sub.Lines {
		if dec, ok := l.Decision(from, sub.Round); ok && l.UnderReview(from, sub.Round) {
			dec.Field = l.Field
			d.Decisions = append(d.Decisions, dec)
			d.By = dec.By
		}
	}
	return putOut(tx, BKNOut{Kind: BKNKindDecision, Instansi: o.Instansi, MsgID: d.ID, SubmissionID: sub.ID, At: now}, d)
}

// EventBKNReceived is a hub's event: an office's submission arrived in its inbox.
const EventBKNReceived = "bkn_diterima"

// BKNIncoming is one message of a batch the hub's lines consumer received: the instansi its
// subject names, and its body.
type BKNIncoming struct {
	Subject string
	Lines   BKNLines
}

// BKNReceipt is what became of one message of a batch: the hub's submission (a new one, or the
// one a message id received before made), or the rule that kept it out of the transaction:
// ErrBKNRefused (never applicable), ErrBKNDocMissing (its documents, or an earlier message of the
// same office that waits for them, have not arrived: ask again), ErrState (not a hub).
type BKNReceipt struct {
	HubID uint64
	Err   error
}

// ReceiveBKNLinesBatch writes a batch of offices' messages into the hub's inbox in ONE transaction
// (one fsync for the batch: the hub's rate is no longer the disk's fsync rate). Each message
// follows ReceiveBKNLines's rule; a message the rules keep out is checked before anything of it is
// written, so it is skipped without failing the others (no savepoints needed). An office's order
// holds: once one of its messages waits, its later ones in the batch wait too. The error is the
// transaction's (nothing committed: ask again for every message).
func (s *Store) ReceiveBKNLinesBatch(items []BKNIncoming) ([]BKNReceipt, error) {
	now := s.now()
	out := make([]BKNReceipt, len(items))
	err := s.update(func(tx *bbolt.Tx) error {
		waiting := map[string]bool{}
		for i, it := range items {
			out[i] = BKNReceipt{}
			if out[i].HubID = bknReceivedID(tx, it.Lines.MsgID); out[i].HubID != 0 {
				continue
			}
			if waiting[it.Subject] {
				out[i].Err = fmt.Errorf("%w: menunggu pesan sebelumnya dari kantor %s", ErrBKNDocMissing, it.Subject)
				continue
			}
			if err := bknCheckLines(tx, it.Subject, it.Lines); err != nil {
				out[i].Err = err
				waiting[it.Subject] = errors.Is(err, ErrBKNDocMissing)
				continue
			}
			id, err := bknWriteLines(tx, it.Lines, now)
			if err != nil {
				return err
			}
			out[i].HubID = id
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// BKNIncomingDoc is one document of a batch the hub's documents consumer received.
type BKNIncomingDoc struct {
	Doc  BKNDoc
	Data []byte
}

// ReceiveBKNDocs stores a batch of documents in one transaction, each as ReceiveBKNDoc does: one
// whose bytes do not match its hash is left out (its result is ErrBKNHash) and the others are
// stored. The caller bounds the batch's bytes. The error is the transaction's (nothing stored).
func (s *Store) ReceiveBKNDocs(items []BKNIncomingDoc) ([]error, error) {
	out := make([]error, len(items))
	for i, it := range items {
		out[i] = checkBKNDoc(it.Doc, it.Data)
	}
	now := s.now()
	err := s.update(func(tx *bbolt.Tx) error {
		hub := bknLinkTx(tx).Role.Hub()
		for i, it := range items {
			switch {
			case out[i] != nil && errors.Is(out[i], ErrBKNHash):
			case !hub:
				out[i] = fmt.Errorf("%w: berkas data ini bukan hub BKN", ErrState)
			default:
				if err := receiveDocTx(tx, it.Doc, it.Data, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
