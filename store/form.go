package store

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"

	"go.etcd.io/bbolt"
)

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
	eff[KeyNIP] = f.Record.NIP
	eff[KeyUnit] = f.Record.UnitID
	eff[KeyInstansi] = f.Record.InstansiID
	for k, e := range f.Entries {
		if e.Status == EntryUsul && e.Op == "" {
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

// MissingDocs lists the documents the proposal under key still needs.
func (f Form) MissingDocs(key string) []string {
	e, ok := f.Entries[key]
	if !ok || e.Status != EntryUsul {
		return nil
	}
	need, _ := DocsFor(key, e.Op)
	var out []string
	for _, kind := range need {
		if !slices.ContainsFunc(f.Docs[key], func(d DocMeta) bool { return d.Kind == kind }) {
			out = append(out, kind)
		}
	}
	return out
}

// EffectiveTable returns a history table as it will be: master rows with the PNS's proposals
// applied (changed rows replaced, removed rows left out, added rows appended), ordered by the
// table's date field.
func (f Form) EffectiveTable(table string) []Row {
	var out []Row
	for _, r := range f.Record.Riwayat[table] {
		e, ok := f.Entries[RowKey(table, r.ID)]
		switch {
		case ok && e.Status == EntryUsul && e.Op == OpHapus:
			continue
		case ok && e.Status == EntryUsul && e.Op == OpUbah:
			out = append(out, Row{ID: r.ID, Fields: maps.Clone(e.Row)})
		default:
			out = append(out, r)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(f.Entries)) {
		e := f.Entries[k]
		if t, id, ok := ParseRowKey(k); ok && t == table && id != "" && e.Status == EntryUsul && e.Op == OpTambah {
			out = append(out, Row{ID: id, Fields: maps.Clone(e.Row)})
		}
	}
	sortRows(table, out)
	return out
}

// Applies tells whether a tab is for this PNS: guru and dokter only when the latest jabatan (as
// it will be, with the PNS's proposals) names it, e.g. "Guru Ahli Pertama" or "Dokter Ahli Muda".
func (f Form) Applies(t Tab) bool {
	return t.Only == "" || JabatanIs(f.latestJabatan(), t.Only)
}

// latestJabatan is the name of the PNS's latest jabatan as it will be ("" when none).
func (f Form) latestJabatan() string {
	rows := f.EffectiveTable("jabatan")
	if len(rows) == 0 {
		return ""
	}
	return rows[len(rows)-1].Fields["nama_jabatan"]
}

// tabs lists the tabs that apply to this PNS (Applies), in the catalogue's order, reading the
// latest jabatan once.
func (f Form) tabs() []Tab {
	out := make([]Tab, 0, len(Tabs))
	jabatan, read := "", false
	for _, t := range Tabs {
		if t.Only != "" && !read {
			jabatan, read = f.latestJabatan(), true
		}
		if t.Only == "" || JabatanIs(jabatan, t.Only) {
			out = append(out, t)
		}
	}
	return out
}

// rowEntryKeys lists the keys of the row proposals on a history table, in key order.
func rowEntryKeys(f Form, table string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(f.Entries)) {
		if t, id, ok := ParseRowKey(k); ok && t == table && id != "" && f.Entries[k].Status == EntryUsul {
			out = append(out, k)
		}
	}
	return out
}

// tableLooked tells whether the PNS has looked at a history table: said sesuai to it, or proposed
// a change to a row (rowKeys, from rowEntryKeys).
func (f Form) tableLooked(table string, rowKeys []string) bool {
	_, ok := f.Entries[TableKey(table)]
	return ok || len(rowKeys) > 0
}

// Progress is how far the PNS has come with the form: of the Total things to look at (fields and
// history tables of the tabs that apply), how many are Checked, and how many proposals they made.
type Progress struct {
	Total     int
	Checked   int
	Proposals int
	Locked    bool // the form is with the verifiers
	// Unchecked names what is not looked at yet (labels, in the tab's order); only TabProgress
	// fills it, so "mark the rest Sesuai" can say what it will mark.
	Unchecked []string
}

// Progress counts what the PNS has looked at, as Kirim will judge it (checkComplete): every field
// that is not read-only and every history table of the tabs that apply.
func (f Form) Progress() Progress {
	p := Progress{Locked: f.Locked}
	rows := f.rowProposals()
	for _, t := range f.tabs() {
		tp := f.tabProgress(t, rows, false)
		p.Total += tp.Total
		p.Checked += tp.Checked
		p.Proposals += tp.Proposals
	}
	return p
}

// TabProgress is Progress for one tab, with the labels of what is not looked at yet: each tab of
// the form shows its own count ("12 dari 14 diperiksa"), counted as Kirim will judge it.
func (f Form) TabProgress(t Tab) Progress {
	return f.tabProgress(t, f.rowProposals(), true)
}

// tabProgress counts one tab (rows: rowProposals); labels asks for the names of what is left.
// It reads the catalogue in place (a Field is large: copying each was a tenth of a proposal POST).
func (f Form) tabProgress(t Tab, rows map[string]int, labels bool) Progress {
	p := Progress{Locked: f.Locked}
	for i := range t.Fields {
		fd := &t.Fields[i]
		if fd.ReadOnly {
			continue
		}
		p.Total++
		e, ok := f.Entries[fd.Key]
		switch {
		case !ok:
			if labels {
				p.Unchecked = append(p.Unchecked, fd.Label)
			}
			continue
		case e.Status == EntryUsul:
			p.Proposals++
		}
		p.Checked++
	}
	for i := range t.Tables {
		tb := &t.Tables[i]
		p.Total++
		n := rows[tb.Key]
		p.Proposals += n
		if _, ok := f.Entries[TableKey(tb.Key)]; ok || n > 0 {
			p.Checked++
		} else if labels {
			p.Unchecked = append(p.Unchecked, tb.Label)
		}
	}
	return p
}

// rowProposals counts the row proposals on each history table (what rowEntryKeys lists), nil
// when there are none.
func (f Form) rowProposals() map[string]int {
	var out map[string]int
	for k, e := range f.Entries {
		if e.Status != EntryUsul {
			continue
		}
		if t, id, ok := ParseRowKey(k); ok && id != "" {
			if out == nil {
				out = map[string]int{}
			}
			out[t]++
		}
	}
	return out
}

// checkEditable refuses a change to a field the PNS may not touch now.
func checkEditable(f Form, fd Field) error {
	if err := checkApplies(f, fd); err != nil {
		return err
	}
	if f.Locked {
		return ErrLocked
	}
	if !f.Editable(fd.Key) {
		return fieldErr(fd.Key, "%s tidak dikembalikan untuk diperbaiki: hanya baris bertanda BTS yang dapat diubah.", fd.Label)
	}
	return nil
}

// checkApplies refuses a write to a field of a tab that does not apply to this PNS (Applies: Data
// Guru for a PNS who is no teacher), as the page refuses to show it: ErrNotFound, so a hidden
// proposal or Sesuai is never stored for a tab the PNS cannot see, and Kirim never carries one.
func checkApplies(f Form, fd Field) error {
	if t, ok := TabByKey(fd.Tab); ok && !f.Applies(t) {
		return fmt.Errorf("%s: tab %s tidak berlaku untuk PNS ini: %w", fd.Label, t.Label, ErrNotFound)
	}
	return nil
}

// readForm reads everything the form page shows, in the caller's transaction.
func readForm(tx *bbolt.Tx, nip string) (Form, error) {
	var f Form
	rec, err := getRecord(tx, nip)
	if err != nil {
		return f, fmt.Errorf("data PNS %s: %w", nip, err)
	}
	f.Record = *rec
	f.Entries = map[string]Entry{}
	c := bk(tx, bEntries).Cursor()
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
	if !couldActFor(a, nip) {
		return Form{}, ErrForbidden
	}
	var f Form
	err := s.view(func(tx *bbolt.Tx) (err error) {
		if !mayActForTx(tx, a, nip) {
			return ErrForbidden
		}
		f, err = readForm(tx, nip)
		return err
	})
	if err != nil {
		return Form{}, err
	}
	return f, nil
}

// editForm is the frame of every write to a PNS's form, in one write transaction (write is
// s.batch or s.update): the actor must be allowed to act for the PNS (an operator's scope is read
// in that transaction), the form is read, and fn checks the change and writes it, keeping f in
// step with what it writes. It returns the form as fn leaves it, which is the form as it stands
// after the write, so the caller does not read it again. A refusal comes back through refused.
func (s *Store) editForm(a Actor, nip string, write func(func(*bbolt.Tx) error) error, fn func(tx *bbolt.Tx, f *Form) error) (Form, error) {
	if !couldActFor(a, nip) {
		return Form{}, ErrForbidden
	}
	var out Form
	err := write(func(tx *bbolt.Tx) error {
		if !mayActForTx(tx, a, nip) {
			return ErrForbidden
		}
		f, err := readForm(tx, nip)
		if err != nil {
			return err
		}
		if err := fn(tx, &f); err != nil {
			return err
		}
		out = f
		return nil
	})
	if err != nil {
		return s.refused(a, nip, err)
	}
	return out, nil
}

// refused answers a write to the PNS's form that did not happen. A field error comes back with the
// form as it stands (nothing was written: the page shows it again with the message beside the
// input), unless the actor may not see the form: then ErrForbidden, so that validation tells an
// outsider nothing (or the form cannot be read: then that error). Any other error comes back alone.
func (s *Store) refused(a Actor, nip string, err error) (Form, error) {
	if _, ok := AsFieldErrors(err); !ok {
		return Form{}, err
	}
	f, ferr := s.Form(a, nip)
	if ferr != nil {
		return Form{}, ferr // ErrForbidden, or the form cannot be read to show the message in
	}
	return f, err
}
