package store

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
	form, err := s.Form(a, nip)
	if err != nil {
		return Entry{}, Form{}, err
	}
	if err := checkEditable(form, f); err != nil {
		return Entry{}, form, err
	}
	switch {
	case v == form.Record.MasterValue(key):
		return Entry{}, form, ErrUnchanged
	case why == "":
		return Entry{}, form, ErrNoReason
	}
	return s.Propose(a, nip, key, value, reason)
}
