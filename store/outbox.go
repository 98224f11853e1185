package store

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// The outbox holds every e-mail the office owes a PNS, in the same bbolt file as the change it
// reports: a message is enqueued in the same transaction as that change (a refused or rolled-back
// change enqueues nothing, a committed one cannot lose its mail), and the sender goroutine
// (handlers/mail) takes due messages, sends them and moves them to outbox_sent.

var (
	bOutbox     = []byte("outbox")
	bOutboxSent = []byte("outbox_sent")
)

// Mail kinds: what the message reports.
const (
	MailReturned = "dikembalikan"
	MailDone     = "selesai"
	MailRejected = "ditolak"
	MailReminder = "pengingat"
)

// Retry policy: the first retry waits MailRetryFirst, each next one twice as long up to
// MailRetryMax; a message still not sent MailGiveUpAfter after it was enqueued is given up (it
// stays in the outbox, shown to the admin as gagal).
const (
	MailRetryFirst  = time.Minute
	MailRetryMax    = time.Hour
	MailGiveUpAfter = 3 * 24 * time.Hour
)

// Mail is one message of the outbox. MessageID, derived from the event it reports, is the
// idempotency key: every attempt carries the same one, so a receiver that saw the message already
// (a crash between the end of DATA and MarkMailSent) can recognise the repeat.
type Mail struct {
	Seq       uint64    `json:"seq"`
	MessageID string    `json:"message_id"`
	Kind      string    `json:"kind"`
	NIP       string    `json:"nip"`
	To        string    `json:"to"`
	Name      string    `json:"name,omitempty"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
	// Attempts counts the sends begun; SendingAt is when the last began (recorded, and fsynced,
	// before the SMTP conversation); NextAt is when the message is due again.
	Attempts  int       `json:"attempts,omitempty"`
	SendingAt time.Time `json:"sending_at,omitzero"`
	NextAt    time.Time `json:"next_at"`
	LastError string    `json:"last_error,omitempty"`
	GaveUp    bool      `json:"gave_up,omitempty"`
	SentAt    time.Time `json:"sent_at,omitzero"`
}

// MailBackoff is how long to wait after the attempt-th failed attempt (1-based).
func MailBackoff(attempt int) time.Duration {
	d := MailRetryFirst
	for i := 1; i < attempt && d < MailRetryMax; i++ {
		d *= 2
	}
	return min(d, MailRetryMax)
}

// enqueueMail adds m to the outbox inside tx, the transaction of the change it reports. A message
// without an address is not enqueued: there is nobody to write to.
func enqueueMail(tx *bbolt.Tx, m Mail, now time.Time) error {
	if m.To == "" {
		return nil
	}
	b := bk(tx, bOutbox)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	m.Seq, m.CreatedAt, m.NextAt = seq, now, now
	outboxMoved(tx, +1)
	return putJSON(b, u64(seq), &m)
}

// DueMail returns up to limit messages of the outbox due at now, oldest first: not given up and
// NextAt reached. The sender calls it; it is not an actor's read.
func (s *Store) DueMail(now time.Time, limit int) ([]Mail, error) {
	var out []Mail
	err := s.view(func(tx *bbolt.Tx) error {
		c := bk(tx, bOutbox).Cursor()
		for k, v := c.First(); k != nil && len(out) < limit; k, v = c.Next() {
			var m Mail
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			if !m.GaveUp && !m.NextAt.After(now) {
				out = append(out, m)
			}
		}
		return nil
	})
	return out, err
}

// changeMail runs fn on the outbox message seq in one write transaction of its own (fsynced: the
// sender relies on the mark being on disk before it talks to the SMTP server).
func (s *Store) changeMail(seq uint64, fn func(tx *bbolt.Tx, m *Mail) error) (Mail, error) {
	var m Mail
	err := s.update(func(tx *bbolt.Tx) error {
		if err := getJSON(bk(tx, bOutbox), u64(seq), &m); err != nil {
			return fmt.Errorf("surat #%d: %w", seq, err)
		}
		return fn(tx, &m)
	})
	return m, err
}

// MarkMailSending records that an attempt begins, before the SMTP conversation: the attempt is
// counted and the message is due again only after the backoff, so a crash during the send does
// not turn into a tight loop, and a restart resends it (same MessageID) when the backoff ends.
func (s *Store) MarkMailSending(seq uint64) (Mail, error) {
	now := s.now()
	return s.changeMail(seq, func(tx *bbolt.Tx, m *Mail) error {
		m.Attempts++
		m.SendingAt = now
		m.NextAt = now.Add(MailBackoff(m.Attempts))
		return putJSON(bk(tx, bOutbox), u64(seq), m)
	})
}

// MarkMailFailed records why the attempt failed; the message stays due at the NextAt set by
// MarkMailSending, or is given up once MailGiveUpAfter has passed since it was enqueued.
func (s *Store) MarkMailFailed(seq uint64, why string) (Mail, error) {
	now := s.now()
	return s.changeMail(seq, func(tx *bbolt.Tx, m *Mail) error {
		m.LastError = why
		if now.Sub(m.CreatedAt) >= MailGiveUpAfter {
			m.GaveUp = true
		}
		return putJSON(bk(tx, bOutbox), u64(seq), m)
	})
}

// MarkMailSent moves the message from the outbox to outbox_sent, in one transaction.
func (s *Store) MarkMailSent(seq uint64) (Mail, error) {
	now := s.now()
	return s.changeMail(seq, func(tx *bbolt.Tx, m *Mail) error {
		m.SentAt, m.LastError = now, ""
		if err := bk(tx, bOutbox).Delete(u64(seq)); err != nil {
			return err
		}
		outboxMoved(tx, -1)
		return putJSON(bk(tx, bOutboxSent), u64(seq), m)
	})
}

// OutboxView is what the admin's outbox page shows: the oldest messages still waiting (or given
// up), how many wait in all, and the last sent ones, newest first.
type OutboxView struct {
	Waiting      []Mail
	WaitingCount int
	Sent         []Mail
}

// Outbox returns the outbox to an admin: the oldest limit waiting messages, their count, and the
// newest limit sent ones.
func (s *Store) Outbox(a Actor, limit int) (OutboxView, error) {
	if a.Role != RoleAdmin {
		return OutboxView{}, ErrForbidden
	}
	var out OutboxView
	err := s.view(func(tx *bbolt.Tx) error {
		out.WaitingCount = bk(tx, bOutbox).Stats().KeyN
		c := bk(tx, bOutbox).Cursor()
		for k, v := c.First(); k != nil && len(out.Waiting) < limit; k, v = c.Next() {
			var m Mail
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			out.Waiting = append(out.Waiting, m)
		}
		c = bk(tx, bOutboxSent).Cursor()
		for k, v := c.Last(); k != nil && len(out.Sent) < limit; k, v = c.Prev() {
			var m Mail
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			out.Sent = append(out.Sent, m)
		}
		return nil
	})
	return out, err
}
