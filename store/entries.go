package store

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"go.etcd.io/bbolt"
)

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

func entryKey(nip, field string) []byte { return cat([]byte(nip), []byte{0}, []byte(field)) }

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
func NormalizeReason(key, raw string, limit int) (string, error) {
	v := strings.TrimSpace(raw)
	if err := checkChars(key, "Teks", v, true); err != nil {
		return "", err
	}
	if utf8.RuneCountInString(v) > limit {
		return "", fieldErr(key, "Teks paling panjang %d karakter.", limit)
	}
	return v, nil
}

// Propose saves (or replaces) the PNS's proposal for one field. The value is checked on its own and
// against the rest of the record; nothing invalid is stored. A value equal to the master value is
// refused with a pointer to Sesuai. It returns the entry and the form as it stands after the write
// (or, on a field error, as it stands unchanged).
func (s *Store) Propose(a Actor, nip, key, value, reason string) (Entry, Form, error) {
	f, err := editableField(key)
	if err != nil {
		return s.refusedEntry(a, nip, err)
	}
	if !couldActFor(a, nip) {
		return Entry{}, Form{}, ErrForbidden
	}
	now := s.now()
	v, err := f.Normalize(value, now)
	if err != nil {
		return s.refusedEntryAt(a, nip, f, err)
	}
	why, err := NormalizeReason("alasan_"+key, reason, 300)
	if err != nil {
		return s.refusedEntryAt(a, nip, f, err)
	}
	var out Entry
	form, err := s.editForm(a, nip, s.batch, func(tx *bbolt.Tx, form *Form) error {
		if err := checkEditable(*form, f); err != nil {
			return err
		}
		old := form.Record.MasterValue(key)
		if v == old {
			return fieldErr(key, "Nilai usulan sama dengan data saat ini. Tekan Sesuai bila data sudah benar.")
		}
		if f.Kind == KindUnit {
			var u Unit
			if err := getJSON(bk(tx, bUnits), []byte(v), &u); err != nil || u.InstansiID != form.Record.InstansiID {
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
		if err := putJSON(bk(tx, bEntries), entryKey(nip, key), e); err != nil {
			return err
		}
		form.Entries[key] = e
		out = e
		return appendEvent(tx, Event{At: now, Actor: a.Login, OnBehalfOf: e.OnBehalfOf, NIP: nip, Kind: EventPropose,
			Key: key, Reason: why, Detail: fmt.Sprintf("%s: %q → %q", f.Label, f.Display(old), f.Display(v))})
	})
	if err != nil {
		return Entry{}, form, err
	}
	return out, form, nil
}

// refusedEntry is refused for a proposal refused before its write began.
func (s *Store) refusedEntry(a Actor, nip string, err error) (Entry, Form, error) {
	f, err := s.refused(a, nip, err)
	return Entry{}, f, err
}

// refusedEntryAt is refusedEntry for input refused before the write on field f began: on a tab
// that does not apply to the PNS the answer is checkApplies' ErrNotFound, the same as a valid value
// gets, so what comes back never depends on the value sent to a tab the PNS cannot see.
func (s *Store) refusedEntryAt(a Actor, nip string, f Field, err error) (Entry, Form, error) {
	form, err := s.refused(a, nip, err)
	if _, isField := AsFieldErrors(err); isField {
		if aerr := checkApplies(form, f); aerr != nil {
			return Entry{}, Form{}, aerr
		}
	}
	return Entry{}, form, err
}

// Confirm marks fields as sesuai (the master value is right), replacing any proposal on them.
// With onlyUnseen, fields the PNS already looked at are left as they are ("the rest is correct").
// It returns the form as it stands after the write.
func (s *Store) Confirm(a Actor, nip string, keys []string, onlyUnseen bool) (Form, error) {
	var fields []Field
	for _, k := range keys {
		f, err := checkableKey(k)
		if err != nil {
			return s.refused(a, nip, err)
		}
		fields = append(fields, f)
	}
	now := s.now()
	return s.editForm(a, nip, s.batch, func(tx *bbolt.Tx, form *Form) error {
		if form.Locked {
			return ErrLocked
		}
		marks, err := confirmable(*form, fields, onlyUnseen)
		if err != nil {
			return err
		}
		var labels []string
		for _, f := range marks {
			e := Entry{Field: f.Key, Status: EntrySesuai, Old: form.Record.MasterValue(f.Key), By: a.Login, At: now, OnBehalfOf: onBehalf(a, nip)}
			if err := putJSON(bk(tx, bEntries), entryKey(nip, f.Key), e); err != nil {
				return err
			}
			form.Entries[f.Key] = e
			if err := dropDocs(tx, form, f.Key); err != nil {
				return err
			}
			labels = append(labels, f.Label)
		}
		if len(labels) == 0 {
			return nil
		}
		return appendEvent(tx, Event{At: now, Actor: a.Login, OnBehalfOf: onBehalf(a, nip), NIP: nip, Kind: EventConfirm, Detail: strings.Join(labels, ", ")})
	})
}

// confirmable picks what Confirm marks Sesuai. With onlyUnseen ("the rest is correct") that is the
// fields not yet looked at on the tabs that apply: a tab that does not apply needs no looking at;
// only when every key lies on such a tab is the call refused (checkApplies), as the tab's page is.
// Without it, every field named, each of which must be editable now.
func confirmable(form Form, fields []Field, onlyUnseen bool) ([]Field, error) {
	var out []Field
	var notApplies error
	applies := 0
	for _, f := range fields {
		if onlyUnseen {
			if err := checkApplies(form, f); err != nil {
				notApplies = err
				continue
			}
			applies++
			if _, seen := form.Entries[f.Key]; seen {
				continue
			}
		}
		if err := checkEditable(form, f); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if onlyUnseen && applies == 0 && notApplies != nil {
		return nil, notApplies
	}
	return out, nil
}

// Withdraw removes what the PNS said about a field (a proposal or a sesuai), back to unchecked. It
// returns the form as it stands after the write.
func (s *Store) Withdraw(a Actor, nip, key string) (Form, error) {
	f, err := entryField(key)
	if err != nil {
		return s.refused(a, nip, err)
	}
	now := s.now()
	return s.editForm(a, nip, s.batch, func(tx *bbolt.Tx, form *Form) error {
		if err := checkEditable(*form, f); err != nil {
			return err
		}
		if _, ok := form.Entries[key]; !ok {
			return nil
		}
		if err := bk(tx, bEntries).Delete(entryKey(nip, key)); err != nil {
			return err
		}
		delete(form.Entries, key)
		if err := dropDocs(tx, form, key); err != nil {
			return err
		}
		return appendEvent(tx, Event{At: now, Actor: a.Login, OnBehalfOf: onBehalf(a, nip), NIP: nip, Kind: EventWithdraw, Detail: f.Label})
	})
}
