package store

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.etcd.io/bbolt"
)

// Actor is whoever makes a call: the logged-in account.
type Actor struct {
	Login   string
	Role    Role
	ScopeID string
	NIP     string // the PNS's own NIP when Role is RolePNS
	Name    string
}

// ActorOf makes the Actor for an account.
func ActorOf(u User) Actor {
	return Actor{Login: u.Login, Role: u.Role, ScopeID: u.ScopeID, NIP: u.NIP, Name: u.Name}
}

// Entry states: the PNS confirmed the master value, or proposes a new one.
const (
	EntrySesuai = "sesuai"
	EntryUsul   = "usul"
)

// Entry is what the PNS said about one field: sesuai, or a proposal (old → new, with a reason).
// OnBehalfOf is set when an operator made it for the PNS.
type Entry struct {
	Field      string    `json:"field"`
	Status     string    `json:"status"`
	Old        string    `json:"old,omitempty"`
	New        string    `json:"new,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	By         string    `json:"by"`
	OnBehalfOf string    `json:"on_behalf_of,omitempty"`
	At         time.Time `json:"at"`
}

// Form is everything the PNS's form page shows, read in one transaction.
type Form struct {
	Record     Record
	Entries    map[string]Entry
	Submission *Submission // the latest submission, nil when none was ever sent
	Locked     bool        // a submission is with the verifiers
}

// Effective returns the record's single-valued fields with the PNS's proposals applied.
func (f Form) Effective() map[string]string {
	eff := maps.Clone(f.Record.Fields)
	for k, e := range f.Entries {
		if e.Status == EntryUsul {
			eff[k] = e.New
		}
	}
	return eff
}

// Editable tells whether the PNS may change what they said about a field now: not while the
// submission is with the verifiers, and while it is returned only on the lines marked BTS.
func (f Form) Editable(key string) bool {
	if f.Locked {
		return false
	}
	if f.Submission != nil && f.Submission.State == StateReturned {
		return f.Submission.ReturnedFields()[key]
	}
	return true
}

// checkEditable refuses a change to a field the PNS may not touch now.
func checkEditable(f Form, fd Field) error {
	if f.Locked {
		return ErrLocked
	}
	if !f.Editable(fd.Key) {
		return fieldErr(fd.Key, "%s tidak dikembalikan untuk diperbaiki: hanya baris bertanda BTS yang dapat diubah.", fd.Label)
	}
	return nil
}

func entryKey(nip, field string) []byte { return cat([]byte(nip), []byte{0}, []byte(field)) }

// mayActFor says whether the actor may see and change the PNS's form: the PNS themself only.
// (Operators acting for a PNS in scope join with the accounts issue.)
func mayActFor(a Actor, nip string) bool {
	return a.Role == RolePNS && a.NIP == nip
}

func readForm(tx *bbolt.Tx, nip string) (Form, error) {
	var f Form
	if err := getJSON(tx.Bucket(bRecords), []byte(nip), &f.Record); err != nil {
		return f, fmt.Errorf("data PNS %s: %w", nip, err)
	}
	f.Entries = map[string]Entry{}
	c := tx.Bucket(bEntries).Cursor()
	p := entryKey(nip, "")
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		var e Entry
		if err := jsonUnmarshal(v, &e); err != nil {
			return f, err
		}
		f.Entries[e.Field] = e
	}
	sub, err := latestSubmission(tx, nip)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return f, err
	}
	if err == nil {
		f.Submission = &sub
		f.Locked = sub.State.WithVerifiers()
	}
	return f, nil
}

// Form reads a PNS's form for an actor allowed to see it.
func (s *Store) Form(a Actor, nip string) (Form, error) {
	if !mayActFor(a, nip) {
		return Form{}, ErrForbidden
	}
	var f Form
	err := s.db.View(func(tx *bbolt.Tx) (err error) { f, err = readForm(tx, nip); return })
	return f, err
}

// editableField returns the catalogue field for a key the PNS may propose on.
func editableField(key string) (Field, error) {
	f, ok := FieldByKey(key)
	if !ok {
		return Field{}, fmt.Errorf("kolom %q: %w", key, ErrNotFound)
	}
	if f.ReadOnly {
		return Field{}, fieldErr(key, "%s tidak dapat diubah.", f.Label)
	}
	return f, nil
}

// NormalizeReason checks the free-text reason of a proposal or decision note.
func NormalizeReason(key, raw string, max int) (string, error) {
	v := strings.TrimSpace(raw)
	for _, r := range v {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return "", fieldErr(key, "Teks berisi karakter kendali yang tidak diizinkan.")
		}
	}
	if utf8.RuneCountInString(v) > max {
		return "", fieldErr(key, "Teks paling panjang %d karakter.", max)
	}
	return v, nil
}

// update runs fn in a batched write transaction. fn must be safe to run twice: it may only
// touch the transaction and variables it assigns afresh on each run.
func (s *Store) update(fn func(tx *bbolt.Tx) error) error { return s.db.Batch(fn) }

// Propose saves (or replaces) the PNS's proposal for one field. The value is checked on its own and
// against the rest of the record; nothing invalid is stored. A value equal to the master value is
// refused with a pointer to Sesuai.
func (s *Store) Propose(a Actor, nip, key, value, reason string) (Entry, error) {
	f, err := editableField(key)
	if err != nil {
		return Entry{}, err
	}
	if !mayActFor(a, nip) {
		return Entry{}, ErrForbidden
	}
	now := s.now()
	v, err := f.Normalize(value, now)
	if err != nil {
		return Entry{}, err
	}
	why, err := NormalizeReason("alasan_"+key, reason, 300)
	if err != nil {
		return Entry{}, err
	}
	var out Entry
	err = s.update(func(tx *bbolt.Tx) error {
		form, err := readForm(tx, nip)
		if err != nil {
			return err
		}
		if err := checkEditable(form, f); err != nil {
			return err
		}
		old := form.Record.Fields[key]
		if v == old {
			return fieldErr(key, "Nilai usulan sama dengan data saat ini. Tekan Sesuai bila data sudah benar.")
		}
		eff := form.Effective()
		eff[key] = v
		if msg := CrossCheck(key, v, eff); msg != "" {
			return fieldErr(key, "%s", msg)
		}
		e := Entry{Field: key, Status: EntryUsul, Old: old, New: v, Reason: why, By: a.Login, At: now}
		if a.NIP != nip {
			e.OnBehalfOf = nip
		}
		if err := putJSON(tx.Bucket(bEntries), entryKey(nip, key), e); err != nil {
			return err
		}
		out = e
		return appendEvent(tx, Event{At: now, Actor: a.Login, OnBehalfOf: e.OnBehalfOf, NIP: nip, Kind: "usul",
			Detail: fmt.Sprintf("%s: %q → %q", f.Label, f.Display(old), f.Display(v))})
	})
	return out, err
}

// Confirm marks fields as sesuai (the master value is right), replacing any proposal on them.
// With onlyUnseen, fields the PNS already looked at are left as they are ("the rest is correct").
func (s *Store) Confirm(a Actor, nip string, keys []string, onlyUnseen bool) error {
	var fields []Field
	for _, k := range keys {
		f, err := editableField(k)
		if err != nil {
			return err
		}
		fields = append(fields, f)
	}
	if !mayActFor(a, nip) {
		return ErrForbidden
	}
	now := s.now()
	return s.update(func(tx *bbolt.Tx) error {
		form, err := readForm(tx, nip)
		if err != nil {
			return err
		}
		if form.Locked {
			return ErrLocked
		}
		var labels []string
		for _, f := range fields {
			if _, seen := form.Entries[f.Key]; seen && onlyUnseen {
				continue
			}
			if err := checkEditable(form, f); err != nil {
				return err
			}
			e := Entry{Field: f.Key, Status: EntrySesuai, Old: form.Record.Fields[f.Key], By: a.Login, At: now}
			if a.NIP != nip {
				e.OnBehalfOf = nip
			}
			if err := putJSON(tx.Bucket(bEntries), entryKey(nip, f.Key), e); err != nil {
				return err
			}
			labels = append(labels, f.Label)
		}
		if len(labels) == 0 {
			return nil
		}
		return appendEvent(tx, Event{At: now, Actor: a.Login, NIP: nip, Kind: "sesuai", Detail: strings.Join(labels, ", ")})
	})
}

// Withdraw removes what the PNS said about a field (a proposal or a sesuai), back to unchecked.
func (s *Store) Withdraw(a Actor, nip, key string) error {
	f, err := editableField(key)
	if err != nil {
		return err
	}
	if !mayActFor(a, nip) {
		return ErrForbidden
	}
	now := s.now()
	return s.update(func(tx *bbolt.Tx) error {
		form, err := readForm(tx, nip)
		if err != nil {
			return err
		}
		if err := checkEditable(form, f); err != nil {
			return err
		}
		if _, ok := form.Entries[key]; !ok {
			return nil
		}
		if err := tx.Bucket(bEntries).Delete(entryKey(nip, key)); err != nil {
			return err
		}
		return appendEvent(tx, Event{At: now, Actor: a.Login, NIP: nip, Kind: "batal", Detail: f.Label})
	})
}
