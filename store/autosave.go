package store

import (
	"fmt"

	"go.etcd.io/bbolt"
)

// Autosave is Propose for what the PNS is still typing in an open red cross. A slip (one key
// pressed, then Tutup or Escape) must never leave a proposal that then demands documents, so a
// value typed but not saved becomes a proposal only once it differs from the master value AND a
// reason is written. Otherwise nothing is written and the answer is ErrUnchanged or ErrNoReason,
// with the form as it stands. The value's own checks still run first, so a typing error shows
// at once as a *FieldError, exactly as Simpan would show it.
func (s *Store) Autosave(a Actor, nip, key, value, reason string) (Entry, Form, error) {
	f, err := editableField(key)
	if err != nil {
		return s.refusedEntry(a, nip, err)
	}
	if !couldActFor(a, nip) {
		return Entry{}, Form{}, ErrForbidden
	}
	v, err := f.Normalize(value, s.now())
	if err != nil {
		return s.refusedEntryAt(a, nip, f, err)
	}
	why, err := NormalizeReason("alasan_"+key, reason, 300)
	if err != nil {
		return s.refusedEntryAt(a, nip, f, err)
	}
	if why == "" {
		return s.notSaved(a, nip, f, ErrNoReason)
	}
	// Only the master value decides ErrUnchanged: read it alone (from the decode cache), not the
	// whole form, so that an autosave that writes reads the form once, in its write (Propose).
	var master string
	err = s.view(func(tx *bbolt.Tx) error {
		if !mayActForTx(tx, a, nip) {
			return ErrForbidden
		}
		rec, err := getRecord(tx, nip)
		if err != nil {
			return fmt.Errorf("data PNS %s: %w", nip, err)
		}
		master = rec.MasterValue(key)
		return nil
	})
	switch {
	case err != nil:
		return Entry{}, Form{}, err
	case v == master:
		return s.notSaved(a, nip, f, ErrUnchanged)
	}
	return s.Propose(a, nip, key, value, reason)
}

// notSaved answers an autosave that writes nothing (why): with the form as it stands, unless the
// field may not be changed now, which is said first, as Propose would say it.
func (s *Store) notSaved(a Actor, nip string, f Field, why error) (Entry, Form, error) {
	form, err := s.Form(a, nip)
	if err != nil {
		return Entry{}, Form{}, err
	}
	if err := checkEditable(form, f); err != nil {
		return Entry{}, form, err
	}
	return Entry{}, form, why
}
