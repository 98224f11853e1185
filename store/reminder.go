package store

import (
	"encoding/json"
	"errors"
	"fmt"

	"go.etcd.io/bbolt"
)

// Recipient is one PNS a reminder would be mailed to.
type Recipient struct {
	NIP, Name, Email string
	// Why is the reason in words: belum pernah mengirim, dikembalikan belum dikirim ulang, ditarik.
	Why string
}

// ReminderPreview is what the admin sees before sending a reminder: how many PNS would get it and
// the first of them, and the text they would read.
type ReminderPreview struct {
	Count   int
	First   []Recipient
	Subject string
	Body    string
}

// EventReminder is the event of a reminder sent by an admin.
const EventReminder = "pengingat"

const reminderSubject = "PUPNS: pengingat pemutakhiran data"

// reminderBody is the text of the reminder, greeting name.
func reminderBody(name string) string {
	return fmt.Sprintf("Yth. %s,\n\nKami mencatat bahwa Anda belum mengirim usulan pemutakhiran data PNS, "+
		"atau usulan Anda dikembalikan dan belum dikirim ulang. Mohon lengkapi data Anda dan kirim usulan "+
		"sebelum batas waktu.\n", name) + mailFooter
}

// reminderWhy tells whether the PNS of an active account has not sent: no submission, or the
// newest one returned or withdrawn and not sent again. It returns the reason, "" when they have sent.
func reminderWhy(tx *bbolt.Tx, nip string) (string, error) {
	sub, err := latestSubmission(tx, nip)
	switch {
	case errors.Is(err, ErrNotFound):
		return "belum pernah mengirim", nil
	case err != nil:
		return "", err
	case sub.State == StateReturned:
		return "dikembalikan, belum dikirim ulang", nil
	case sub.State == StateWithdrawn || sub.State == StateDraft:
		return "ditarik, belum dikirim ulang", nil
	}
	return "", nil
}

// reminderRecipients walks every active PNS account with an e-mail address and calls fn for each
// one who has not sent.
func reminderRecipients(tx *bbolt.Tx, fn func(Recipient) error) error {
	return bk(tx, bUsers).ForEach(func(_, v []byte) error {
		var u User
		if err := json.Unmarshal(v, &u); err != nil {
			return err
		}
		if u.Role != RolePNS || u.Status != StatusActive || u.Email == "" {
			return nil
		}
		why, err := reminderWhy(tx, u.NIP)
		if err != nil || why == "" {
			return err
		}
		name := u.Name
		if name == "" {
			name = "PNS NIP " + u.NIP
		}
		return fn(Recipient{NIP: u.NIP, Name: name, Email: u.Email, Why: why})
	})
}

// PreviewReminder counts, for an admin, the PNS a reminder would reach now and lists the first
// first of them.
func (s *Store) PreviewReminder(a Actor, first int) (ReminderPreview, error) {
	if a.Role != RoleAdmin {
		return ReminderPreview{}, ErrForbidden
	}
	out := ReminderPreview{Subject: reminderSubject, Body: reminderBody("(nama PNS)")}
	err := s.view(func(tx *bbolt.Tx) error {
		return reminderRecipients(tx, func(r Recipient) error {
			out.Count++
			if len(out.First) < first {
				out.First = append(out.First, r)
			}
			return nil
		})
	})
	return out, err
}

// SendReminder enqueues, for an admin, one reminder to every PNS who has not sent, in one
// transaction with the event that records it. It returns how many were enqueued.
func (s *Store) SendReminder(a Actor) (int, error) {
	if a.Role != RoleAdmin {
		return 0, ErrForbidden
	}
	now := s.now()
	n := 0
	err := s.update(func(tx *bbolt.Tx) error {
		n = 0
		batch := now.UnixNano() // names this reminder in its Message-IDs
		if err := reminderRecipients(tx, func(r Recipient) error {
			n++
			return enqueueMail(tx, Mail{Kind: MailReminder, NIP: r.NIP, To: r.Email, Name: r.Name,
				Subject: reminderSubject, Body: reminderBody(r.Name),
				MessageID: fmt.Sprintf("<pengingat-%d-%s@pupns>", batch, r.NIP)}, now)
		}); err != nil {
			return err
		}
		return appendEvent(tx, Event{At: now, Actor: a.Login, Kind: EventReminder, Detail: fmt.Sprintf("pengingat dikirim ke %d PNS", n)})
	})
	return n, err
}
