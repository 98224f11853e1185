package store

// The link to BKN (issue 14): an office sends the lines that need BKN's authority to its hub (its
// Kanreg for an instansi daerah, BKN Pusat for an instansi pusat) and applies the hub's decisions;
// a hub keeps what it receives in its own file and sends its verifiers' decisions back. The store
// holds the data and the rules: what goes into the outbox (in the transaction of the move that
// causes it), what a received message becomes, how a decision is applied. The transport (NATS
// JetStream) is handlers/bkn's.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.etcd.io/bbolt"
)

// BKNRole is what a data file is in the national link: nothing (a lone office, Levels 3 and 4
// decided by local accounts), an office linked to its hub, or a hub (a Kanreg or BKN Pusat).
type BKNRole string

// The roles of a data file in the national link.
const (
	BKNRoleNone   BKNRole = ""
	BKNRoleOffice BKNRole = "office"
	BKNRoleKanreg BKNRole = "kanreg"
	BKNRolePusat  BKNRole = "pusat"
)

// Hub tells whether the role receives lines and decides them (a Kanreg or BKN Pusat).
func (r BKNRole) Hub() bool { return r == BKNRoleKanreg || r == BKNRolePusat }

// BKNLink is the role stored in the data file (meta "bkn_role"): once an office is linked, its
// Level 3/4 lines queue for the hub even when a restart forgets the flag.
type BKNLink struct {
	Role   BKNRole `json:"role"`
	Kanreg string  `json:"kanreg,omitempty"` // the Kanreg a kanreg hub is
}

var metaBKNRole = []byte("bkn_role")

// Outbox kinds: what a bkn_outbox row carries.
const (
	BKNKindLines    = "lines"    // an office's submission reaching its BKN level
	BKNKindDecision = "decision" // a hub's decisions on a submission's lines
)

// BKNDoc is a document a line carries, as it travels: the office's id, its content hash (the
// message id on the documents stream, checked by the hub on arrival) and its metadata.
type BKNDoc struct {
	ID     uint64 `json:"id"`
	SHA256 string `json:"sha256"`
	NIP    string `json:"nip"`
	Entry  string `json:"entry"`
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
}

// BKNLines is an office's submission as the hub needs it: the submission with its lines and their
// Level 1–2 decisions, the instansi and unit rows the hub creates, and the documents' refs.
type BKNLines struct {
	MsgID      string     `json:"msg_id"`
	Instansi   Instansi   `json:"instansi"`
	Unit       Unit       `json:"unit"`
	Submission Submission `json:"submission"`
	Docs       []BKNDoc   `json:"docs,omitempty"`
}

// BKNDecision is a hub's decisions at its level on one submission, round and level: ID is the
// decision id the office remembers (applied once). Kind BKNDecisionTurun is the hub verifier's
// turun status instead (no verdicts, a Reason): the office moves the submission back to Level 2.
type BKNDecision struct {
	ID           string     `json:"id"`
	Kind         string     `json:"kind,omitempty"`   // "" (verdicts) or BKNDecisionTurun
	Reason       string     `json:"reason,omitempty"` // turun status: why
	Send         int        `json:"send,omitempty"`   // the office's BKNSends the lines carried
	Instansi     string     `json:"instansi"`
	SubmissionID uint64     `json:"submission_id"` // the office's
	Level        int        `json:"level"`
	Round        int        `json:"round"`
	Decisions    []Decision `json:"decisions"`
	By           string     `json:"by"`
	At           time.Time  `json:"at"`
}

// BKNOut is one bkn_outbox row: a message waiting for its stream's acknowledgement.
type BKNOut struct {
	Seq          uint64          `json:"seq"`
	Kind         string          `json:"kind"`
	Instansi     string          `json:"instansi"` // the subject's instansi
	MsgID        string          `json:"msg_id"`
	SubmissionID uint64          `json:"submission_id"` // in this file
	At           time.Time       `json:"at"`
	Body         json.RawMessage `json:"body"`
	Docs         []BKNDoc        `json:"docs,omitempty"` // lines: published before the body
}

// bknSent is what an office remembers of a submission's lines once the stream acknowledged them.
type bknSent struct {
	MsgID string    `json:"msg_id"`
	At    time.Time `json:"at"`
}

// BKNLinesMsgID is the message id of a submission's lines: the stream drops a second copy.
func BKNLinesMsgID(instansi string, subID uint64, level, round int) string {
	return fmt.Sprintf("%s/%d/%d/%d", instansi, subID, level, round)
}

// BKNSendMsgID is the message id of a submission's send-th send of its lines to BKN: the first
// keeps BKNLinesMsgID (ids already stored stay valid); a forward again after a hub's turun status
// appends "/<send>", so neither the stream nor the hub's bkn_received drops it as a duplicate.
func BKNSendMsgID(instansi string, subID uint64, level, round, send int) string {
	id := BKNLinesMsgID(instansi, subID, level, round)
	if send > 1 {
		id += fmt.Sprintf("/%d", send)
	}
	return id
}

// SetBKNLink stores the file's role in the national link (serve calls it at start).
func (s *Store) SetBKNLink(l BKNLink) error {
	if l.Role != BKNRoleNone && l.Role != BKNRoleOffice && !l.Role.Hub() {
		return fmt.Errorf("%w: peran %q", ErrInvalid, l.Role)
	}
	if l.Role == BKNRoleKanreg && !Kanregs.Has(l.Kanreg) {
		return fmt.Errorf("%w: kanreg %q tidak dikenal", ErrInvalid, l.Kanreg)
	}
	return s.update(func(tx *bbolt.Tx) error { return putJSON(bk(tx, bMeta), metaBKNRole, l) })
}

// BKNLinkOf reads the file's role in the national link.
func (s *Store) BKNLinkOf() (BKNLink, error) {
	var l BKNLink
	err := s.view(func(tx *bbolt.Tx) error { l = bknLinkTx(tx); return nil })
	return l, err
}

// bknLinkTx reads the role in the caller's transaction; none when it was never set.
func bknLinkTx(tx *bbolt.Tx) BKNLink {
	var l BKNLink
	if err := getJSON(bk(tx, bMeta), metaBKNRole, &l); err != nil {
		return BKNLink{}
	}
	return l
}

// LinkedToHub tells whether this file is an office linked to a BKN hub (recorded by Open with
// Options.LinkedToHub or by SetBKNLink when the link starts). It is the one rule behind two
// refusals: BKN's verifiers (Levels 3 and 4) log in at the hub, so a linked office neither creates
// their accounts (AddStaff) nor lets a local account take a Level 3/4 step (bknLocalStep).
func (s *Store) LinkedToHub() bool {
	linked := false
	_ = s.view(func(tx *bbolt.Tx) error { linked = linkedToHub(tx); return nil })
	return linked
}

func linkedToHub(tx *bbolt.Tx) bool { return bknLinkTx(tx).Role == BKNRoleOffice }

// markLinkedToHub records a file opened as a linked office; a hub's file is refused.
func markLinkedToHub(tx *bbolt.Tx) error {
	switch l := bknLinkTx(tx); {
	case l.Role.Hub():
		return fmt.Errorf("%w: berkas data ini hub BKN (%s), bukan kantor yang tersambung ke hub", ErrInvalid, l.Role)
	case l.Role == BKNRoleOffice:
		return nil
	}
	return putJSON(bk(tx, bMeta), metaBKNRole, BKNLink{Role: BKNRoleOffice})
}

// bknLocalStep refuses a local verifier's step at Level 3 or 4 in a linked office: those levels
// are decided at the hub, never by an account of the office.
func bknLocalStep(tx *bbolt.Tx, sub *Submission) error {
	if sub.State.Level() >= 3 && linkedToHub(tx) {
		return fmt.Errorf("%w: Level %d diputuskan di BKN", ErrForbidden, sub.State.Level())
	}
	return nil
}

// bknForwarded is the link's part of a forward, in its transaction: an office queues the lines
// when the submission reaches its BKN level; a hub queues its decisions when the submission leaves
// its level. hub tells the caller the file is a hub (no master record to apply, no PNS to mail).
func bknForwarded(tx *bbolt.Tx, sub *Submission, from int, now time.Time) (hub bool, err error) {
	l := bknLinkTx(tx)
	switch {
	case l.Role == BKNRoleOffice && sub.State.Level() >= 3: // linkedToHub
		return false, queueLines(tx, sub, now)
	case l.Role.Hub():
		if from >= 3 {
			return true, queueDecision(tx, sub, from, now)
		}
		return true, nil
	}
	return false, nil
}

// queueLines puts the submission's lines into bkn_outbox, with the refs and hashes of the
// documents they carry (the relay reads the bytes when it publishes).
func queueLines(tx *bbolt.Tx, sub *Submission, now time.Time) error {
	lv := sub.State.Level()
	sub.BKNSends++ // stored with the submission by the forward's transaction
	m := BKNLines{MsgID: BKNSendMsgID(sub.InstansiID, sub.ID, lv, sub.Round, sub.BKNSends), Submission: *sub}
	if err := getJSON(bk(tx, bInstansi), []byte(sub.InstansiID), &m.Instansi); err != nil {
		return fmt.Errorf("instansi %s: %w", sub.InstansiID, err)
	}
	if err := getJSON(bk(tx, bUnits), []byte(sub.UnitID), &m.Unit); err != nil {
		return fmt.Errorf("unit %s: %w", sub.UnitID, err)
	}
	seen := map[uint64]bool{}
	for _, l := range sub.Lines {
		for _, d := range l.Docs {
			if seen[d.ID] {
				continue
			}
			seen[d.ID] = true
			doc, err := docHash(tx, d.ID)
			if err != nil {
				return err
			}
			m.Docs = append(m.Docs, doc)
		}
	}
	if err := putOut(tx, BKNOut{Kind: BKNKindLines, Instansi: sub.InstansiID, MsgID: m.MsgID, SubmissionID: sub.ID, At: now, Docs: m.Docs}, m); err != nil {
		return err
	}
	return nil
}

// docHash reads a document's metadata and hashes its bytes, chunk by chunk.
func docHash(tx *bbolt.Tx, id uint64) (BKNDoc, error) {
	var m DocMeta
	if err := getJSON(bk(tx, bDocs), u64(id), &m); err != nil {
		return BKNDoc{}, fmt.Errorf("dokumen #%d: %w", id, err)
	}
	h := sha256.New()
	c := bk(tx, bDocBlobs).Cursor()
	p := u64(id)
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		h.Write(v)
	}
	return BKNDoc{ID: id, SHA256: hex.EncodeToString(h.Sum(nil)), NIP: m.NIP, Entry: m.Entry, Kind: m.Kind,
		Name: m.Name, Type: m.Type, Size: m.Size}, nil
}

// putOut appends a row to bkn_outbox, and for an office's lines the submission's pending mark
// (what the PNS's page reads: waiting since when).
func putOut(tx *bbolt.Tx, o BKNOut, body any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	b := bk(tx, bBKNOutbox)
	if o.Seq, err = b.NextSequence(); err != nil {
		return err
	}
	o.Body = raw
	if err := putJSON(b, u64(o.Seq), o); err != nil {
		return err
	}
	db := tx.DB() // the transaction forgets its DB when it closes, before the handler runs
	tx.OnCommit(func() { wakeRelay(db) })
	if o.Kind != BKNKindLines {
		return nil
	}
	return putJSON(bk(tx, bBKNPending), u64(o.SubmissionID), o.At)
}

// BKNOutbox returns up to limit outbox rows after seq, oldest first, in one short read.
func (s *Store) BKNOutbox(after uint64, limit int) ([]BKNOut, error) {
	var out []BKNOut
	err := s.view(func(tx *bbolt.Tx) error {
		c := bk(tx, bBKNOutbox).Cursor()
		for k, _ := c.Seek(u64(after + 1)); k != nil && len(out) < limit; k, _ = c.Next() {
			var o BKNOut
			if err := getJSON(bk(tx, bBKNOutbox), k, &o); err != nil {
				return err
			}
			out = append(out, o)
		}
		return nil
	})
	return out, err
}

// BKNOutboxLen is how many messages wait for the hub's acknowledgement.
func (s *Store) BKNOutboxLen() (n int, err error) {
	err = s.view(func(tx *bbolt.Tx) error { n = bk(tx, bBKNOutbox).Stats().KeyN; return nil })
	return n, err
}

// BKNAcked removes an outbox row once its stream acknowledged it, and remembers when an office's
// lines left. A row already gone (a second call) is no error.
func (s *Store) BKNAcked(seq uint64) error {
	now := s.now()
	return s.update(func(tx *bbolt.Tx) error {
		var o BKNOut
		switch err := getJSON(bk(tx, bBKNOutbox), u64(seq), &o); {
		case errors.Is(err, ErrNotFound):
			return nil
		case err != nil:
			return err
		}
		if err := bk(tx, bBKNOutbox).Delete(u64(seq)); err != nil {
			return err
		}
		if o.Kind != BKNKindLines {
			return nil
		}
		if err := bk(tx, bBKNPending).Delete(u64(o.SubmissionID)); err != nil {
			return err
		}
		return putJSON(bk(tx, bBKNSent), u64(o.SubmissionID), bknSent{MsgID: o.MsgID, At: now})
	})
}

// BKNDocument returns a document's bytes for the relay, checked against the hash the outbox row
// carries (a changed file is never sent under an old hash).
func (s *Store) BKNDocument(d BKNDoc) ([]byte, error) {
	var data []byte
	err := s.view(func(tx *bbolt.Tx) error {
		c := bk(tx, bDocBlobs).Cursor()
		p := u64(d.ID)
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			data = append(data, v...) // copied out before the transaction ends
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != d.SHA256 {
		return nil, fmt.Errorf("%w: dokumen #%d tidak cocok dengan hash-nya", ErrDamaged, d.ID)
	}
	return data, nil
}

// BKNStatus is where a submission's lines stand on the way to BKN, for the PNS's page.
type BKNStatus struct {
	Waiting bool      // in the outbox: "menunggu koneksi ke BKN"
	Since   time.Time // when it entered the outbox
	Sent    bool      // acknowledged by the hub's stream
	SentAt  time.Time
}

// BKNStatusOf tells a reader of the submission where its lines stand on the way to BKN; the zero
// status when they are not on the way (not at a BKN level, or the office is not linked).
func (s *Store) BKNStatusOf(a Actor, id uint64) (BKNStatus, error) {
	var st BKNStatus
	err := s.view(func(tx *bbolt.Tx) error {
		var sub Submission
		if err := getJSON(bk(tx, bSubs), u64(id), &sub); err != nil {
			return fmt.Errorf("usulan #%d: %w", id, err)
		}
		if !mayRead(tx, a, sub) {
			return ErrForbidden
		}
		if sub.State.Level() < 3 {
			return nil
		}
		switch err := getJSON(bk(tx, bBKNPending), u64(id), &st.Since); {
		case err == nil:
			st.Waiting = true
			return nil
		case !errors.Is(err, ErrNotFound):
			return err
		}
		var sent bknSent
		switch err := getJSON(bk(tx, bBKNSent), u64(id), &sent); {
		case err == nil:
			st.Sent, st.SentAt = true, sent.At
		case !errors.Is(err, ErrNotFound):
			return err
		}
		return nil
	})
	return st, err
}

// relayWakes holds each open file's wake-up channel (BKNWake), by its bbolt handle: putOut runs
// inside a transaction, which knows its DB but not the Store.
var relayWakes sync.Map // *bbolt.DB -> chan struct{}

// BKNWake is a channel that receives after a transaction that added to bkn_outbox committed: the
// relay publishes at once instead of at its next look.
func (s *Store) BKNWake() <-chan struct{} {
	ch, _ := relayWakes.LoadOrStore(s.db, make(chan struct{}, 1))
	return ch.(chan struct{})
}

func wakeRelay(db *bbolt.DB) {
	if ch, ok := relayWakes.Load(db); ok {
		select {
		case ch.(chan struct{}) <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
}
