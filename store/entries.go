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
	// Free marks a value typed by the PNS that is not in the list offered (a long list: units),
	// so the verifier knows to check it by hand.
	Free bool `json:"free,omitempty"`
	// Row proposals (Field is RowKey(table, id)): Op says add, change or remove; Row holds the
	// proposed row fields (add, change), OldRow the master row (change, remove).
	Op     string            `json:"op,omitempty"`
	Row    map[string]string `json:"row,omitempty"`
	OldRow map[string]string `json:"old_row,omitempty"`
}

// Form is everything the PNS's form page shows, read in one transaction. Record shares its maps
// with the store's decode cache: treat it as read-only (Effective returns a copy to change).
type Form struct {
	Record     Record
	Entries    map[string]Entry
	Submission *Submission          // the latest submission, nil when none was ever sent
	Locked     bool                 // a submission is with the verifiers
	Docs       map[string][]DocMeta // documents attached to proposals, by entry key, oldest first
}

// Effective returns the record's single-valued fields with the PNS's proposals applied.
func (f Form) Effective() map[string]string {
	eff := maps.Clone(f.Record.Fields)
	if eff == nil {
		eff = map[string]string{}
	}
	eff["nip"] = f.Record.NIP
	eff["unit_organisasi"] = f.Record.UnitID
	eff["instansi_induk"] = f.Record.InstansiID
	for k, e := range f.Entries {
		if e.Status == EntryUsul && e.Op == "" {
			eff[k] = e.New
		}
	}
	return eff
}

// MasterValue is the master value of a single-valued field: most live in Record.Fields; the unit
// and instansi are the record's own ids.
func (r Record) MasterValue(key string) string {
	switch key {
	case "nip":
		return r.NIP
	case "unit_organisasi":
		return r.UnitID
	case "instansi_induk":
		return r.InstansiID
	}
	return r.Fields[key]
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

// mayActFor says whether the actor may see and change the PNS's form: the PNS themself, or an
// operator whose SKPD the PNS's unit falls under (read from the record and its unit in one
// transaction).
func (s *Store) mayActFor(a Actor, nip string) bool {
	switch a.Role {
	case RolePNS:
		return a.NIP == nip
	case RoleOperator:
		ok := false
		_ = s.db.View(func(tx *bbolt.Tx) error { ok = operatorInScope(tx, a, nip); return nil })
		return ok
	}
	return false
}

// mayActForTx is mayActFor inside a transaction the caller already holds (opening a second read
// transaction there could deadlock against a writer waiting to grow the file).
func mayActForTx(tx *bbolt.Tx, a Actor, nip string) bool {
	switch a.Role {
	case RolePNS:
		return a.NIP == nip
	case RoleOperator:
		return operatorInScope(tx, a, nip)
	}
	return false
}

// MayActFor is mayActFor for handlers that must refuse before they read anything.
func (s *Store) MayActFor(a Actor, nip string) bool { return s.mayActFor(a, nip) }

// onBehalf is the NIP a change is made for when the actor is not that PNS (an operator).
func onBehalf(a Actor, nip string) string {
	if a.NIP != nip {
		return nip
	}
	return ""
}

func readForm(tx *bbolt.Tx, nip string) (Form, error) {
	var f Form
	rec, err := getRecord(tx, nip)
	if err != nil {
		return f, fmt.Errorf("data PNS %s: %w", nip, err)
	}
	f.Record = *rec
	f.Entries = map[string]Entry{}
	c := tx.Bucket(bEntries).Cursor()
	p := entryKey(nip, "")
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		e, err := decodeCached[Entry](tx, bEntries, k, v)
		if err != nil {
			return f, err
		}
		f.Entries[e.Field] = *e
	}
	docs, err := readDocs(tx, nip)
	if err != nil {
		return f, err
	}
	f.Docs = docs
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
	if !s.mayActFor(a, nip) {
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

// checkableKey returns what Confirm marks sesuai: a catalogue field, or a whole history table
// (its key TableKey(table), shown as a pseudo-field with the table's label).
func checkableKey(key string) (Field, error) {
	if table, rowID, ok := ParseRowKey(key); ok && rowID == "" {
		t, _ := TableByKey(table)
		return Field{Key: key, Label: t.Label, Tab: "riwayat"}, nil
	}
	return editableField(key)
}

// entryField returns what Withdraw may take back: a field, a table's sesuai, or a row proposal.
func entryField(key string) (Field, error) {
	if table, rowID, ok := ParseRowKey(key); ok && rowID != "" {
		t, _ := TableByKey(table)
		return Field{Key: key, Label: t.Label + " (baris)", Tab: "riwayat"}, nil
	}
	return checkableKey(key)
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
	if !s.mayActFor(a, nip) {
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
		old := form.Record.MasterValue(key)
		if v == old {
			return fieldErr(key, "Nilai usulan sama dengan data saat ini. Tekan Sesuai bila data sudah benar.")
		}
		if f.Kind == KindUnit {
			var u Unit
			if err := getJSON(tx.Bucket(bUnits), []byte(v), &u); err != nil || u.InstansiID != form.Record.InstansiID {
				return fieldErr(key, "Pilih unit organisasi dari susunan organisasi instansi Anda.")
			}
		}
		eff := form.Effective()
		eff[key] = v
		if msg := CrossCheck(key, v, eff); msg != "" {
			return fieldErr(key, "%s", msg)
		}
		e := Entry{Field: key, Status: EntryUsul, Old: old, New: v, Reason: why, By: a.Login, At: now}
		if f.Free {
			ok, err := inList(tx, key, v, form.Record.InstansiID)
			if err != nil {
				return err
			}
			e.Free = !ok
		}
		e.OnBehalfOf = onBehalf(a, nip)
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
		f, err := checkableKey(k)
		if err != nil {
			return err
		}
		fields = append(fields, f)
	}
	if !s.mayActFor(a, nip) {
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
			e := Entry{Field: f.Key, Status: EntrySesuai, Old: form.Record.MasterValue(f.Key), By: a.Login, At: now}
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
		return appendEvent(tx, Event{At: now, Actor: a.Login, OnBehalfOf: onBehalf(a, nip), NIP: nip, Kind: "sesuai", Detail: strings.Join(labels, ", ")})
	})
}

// Withdraw removes what the PNS said about a field (a proposal or a sesuai), back to unchecked.
func (s *Store) Withdraw(a Actor, nip, key string) error {
	f, err := entryField(key)
	if err != nil {
		return err
	}
	if !s.mayActFor(a, nip) {
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
		return appendEvent(tx, Event{At: now, Actor: a.Login, OnBehalfOf: onBehalf(a, nip), NIP: nip, Kind: "batal", Detail: f.Label})
	})
}
