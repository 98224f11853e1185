package store

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// Missing is one reason Kirim is refused: a tab and field, and what to do there.
type Missing struct {
	TabKey  string
	Tab     string
	Field   string // a field key, a table key or a row proposal's entry key
	Label   string
	Problem string
	// Unchecked marks "not looked at yet" (the rest are real problems: a reason or a document
	// missing, a value that disagrees), so the list can count those per tab instead of naming
	// each on a line of its own.
	Unchecked bool
}

// checkComplete lists, tab by tab (tabs that do not apply to the PNS are skipped), every field and
// history table not yet looked at, every proposal without a reason or without a document it needs,
// every proposal made on a master value that has changed since, and every value that disagrees
// with the rest of the record.
func checkComplete(f Form, today time.Time) []Missing {
	var out []Missing
	eff := f.Effective()
	for _, t := range f.tabs() {
		miss := func(field, label, problem string) {
			out = append(out, Missing{TabKey: t.Key, Tab: t.Label, Field: field, Label: label, Problem: problem})
		}
		fields, tables := t.toCheck()
		for _, fd := range fields {
			e, ok := f.Entries[fd.Key]
			switch {
			case !ok:
				miss(fd.Key, fd.Label, "belum diperiksa: pilih Sesuai atau usulkan perbaikan")
				out[len(out)-1].Unchecked = true
				continue
			case e.Status == EntryUsul && e.Reason == "":
				miss(fd.Key, fd.Label, "alasan perbaikan belum diisi")
			case e.Status == EntryUsul && e.Old != f.Record.MasterValue(fd.Key):
				miss(fd.Key, fd.Label, "data induk sudah berubah sejak usulan dibuat: periksa kembali")
			}
			if docs := f.MissingDocs(fd.Key); len(docs) > 0 {
				miss(fd.Key, fd.Label, "dokumen belum dilampirkan: "+strings.Join(docs, ", "))
			}
			if msg := CrossCheck(fd.Key, eff[fd.Key], eff); msg != "" {
				miss(fd.Key, fd.Label, msg)
			}
		}
		for _, tb := range tables {
			keys := rowEntryKeys(f, tb.Key)
			if !f.tableLooked(tb.Key, keys) {
				miss(TableKey(tb.Key), tb.Label, "belum diperiksa: tekan Sesuai pada tabel atau usulkan perbaikan baris")
				out[len(out)-1].Unchecked = true
			}
			rows := f.EffectiveTable(tb.Key)
			for _, k := range keys {
				e := f.Entries[k]
				_, id, _ := ParseRowKey(k)
				label := tb.Label + " (" + OpLabel(e.Op) + ")"
				if e.Reason == "" {
					miss(k, label, "alasan perbaikan belum diisi")
				}
				if e.Op != OpTambah && !slices.ContainsFunc(f.Record.Riwayat[tb.Key], func(r Row) bool { return r.ID == id && maps.Equal(r.Fields, e.OldRow) }) {
					miss(k, label, "data induk sudah berubah sejak usulan dibuat: periksa kembali")
				}
				if docs := f.MissingDocs(k); len(docs) > 0 {
					miss(k, label, "dokumen belum dilampirkan: "+strings.Join(docs, ", "))
				}
				if e.Op != OpHapus {
					if fe := checkRow(tb.Key, id, e.Row, rows, eff, today); fe != nil {
						miss(k, label, fe.Message)
					}
				}
			}
		}
	}
	return out
}

// applySelfRated writes the PNS's self assessment straight into the master record as a new
// version: it is part of the record but never verified line by line. Each proposal becomes a
// Sesuai of the value it made, so the field stays checked: after a return the PNS (who may change
// only the lines sent back) can send again without being told the self assessment is unchecked.
func applySelfRated(tx *bbolt.Tx, form *Form, by string, now time.Time) error {
	old := form.Record
	r := old.clone()
	changed := false
	for _, t := range Tabs {
		if !t.SelfRated {
			continue
		}
		for _, fd := range t.Fields {
			e, ok := form.Entries[fd.Key]
			if !ok || e.Status != EntryUsul {
				continue
			}
			if r.Fields == nil {
				r.Fields = map[string]string{}
			}
			r.Fields[fd.Key] = e.New
			changed = true
			done := Entry{Field: fd.Key, Status: EntrySesuai, Old: e.New, By: e.By, OnBehalfOf: e.OnBehalfOf, At: now}
			form.Entries[fd.Key] = done
			if err := putJSON(bk(tx, bEntries), entryKey(old.NIP, fd.Key), done); err != nil {
				return err
			}
		}
	}
	if !changed {
		return nil
	}
	r.Version = old.Version + 1
	r.UpdatedAt, r.UpdatedBy = now, by
	form.Record = r
	return writeVersion(tx, old, r, Version{At: now, By: by, Cause: "self assessment"})
}

// Kirim sends the PNS's form: it is refused with the exact list of what is missing; otherwise the
// proposals become the lines of a submission in the Level 1 inbox of the PNS's SKPD and the form
// locks. A returned submission is sent again as the same submission in a new round: lines whose
// content did not change keep their decisions. With no proposal at all the record is confirmed
// as it is and the submission is done at once.
func (s *Store) Kirim(a Actor, nip string) (Submission, error) {
	now := s.now()
	var out Submission
	// The form editForm returns is not kept in step here: Kirim answers with the submission.
	_, err := s.editForm(a, nip, s.update, func(tx *bbolt.Tx, form *Form) error {
		if form.Locked {
			return fmt.Errorf("%w: usulan sedang diverifikasi", ErrLocked)
		}
		if err := kirimWindow(tx, *form, now); err != nil {
			return err
		}
		if missing := checkComplete(*form, now); len(missing) > 0 {
			return &IncompleteError{Items: missing}
		}
		if err := applySelfRated(tx, form, a.Login, now); err != nil {
			return err
		}
		sub, err := nextSubmission(tx, *form, nip)
		if err != nil {
			return err
		}
		if err := addressLines(tx, &sub, *form, a.Login, now); err != nil {
			return err
		}
		to := StateLevel1
		if len(sub.Lines) == 0 {
			to = StateDone
		}
		if err := moveTo(tx, &sub, to, a.Login, "", now); err != nil {
			return err
		}
		if to == StateDone {
			if err := clearEntries(tx, nip); err != nil {
				return err
			}
		}
		if err := putSubmission(tx, &sub); err != nil {
			return err
		}
		out = sub
		return appendEvent(tx, Event{At: now, Actor: a.Login, OnBehalfOf: onBehalf(a, nip), NIP: nip, SubmissionID: sub.ID, Kind: EventKirim,
			Detail: fmt.Sprintf("%d usulan, putaran %d → %s", len(sub.Lines), sub.Round, to.Label())})
	})
	if err != nil {
		return Submission{}, err
	}
	return out, nil
}

// kirimWindow refuses Kirim outside the filling window of the PNS's instansi, except a returned
// submission sent again inside the late-fixes window.
func kirimWindow(tx *bbolt.Tx, form Form, now time.Time) error {
	err := windowOpenTx(tx, WindowFilling, form.Record.InstansiID, now)
	if err == nil || !errors.Is(err, ErrClosed) {
		return err
	}
	if p := form.Submission; p != nil && p.State == StateReturned && windowOpenTx(tx, WindowLateFix, form.Record.InstansiID, now) == nil {
		return nil
	}
	return err
}

// nextSubmission is the submission Kirim sends: a returned or withdrawn one again, in a new round
// and not yet opened; else a new one, numbered, indexed under the PNS, in StateDraft.
func nextSubmission(tx *bbolt.Tx, form Form, nip string) (Submission, error) {
	if p := form.Submission; p != nil && (p.State == StateReturned || p.State == StateWithdrawn) {
		sub := *p
		sub.Round++
		sub.OpenedBy, sub.OpenedAt = "", time.Time{}
		return sub, nil
	}
	id, err := bk(tx, bSubs).NextSequence()
	if err != nil {
		return Submission{}, err
	}
	if err := bk(tx, bSubsByNIP).Put(cat([]byte(nip), u64(id)), nil); err != nil {
		return Submission{}, err
	}
	return Submission{ID: id, NIP: nip, State: StateDraft, Round: 1}, nil
}

// addressLines fills in who sends the submission and where it goes, and its lines from the form:
// the Level 1 inbox is the SKPD of the unit the PNS will be in (a proposed move goes to the SKPD
// that receives the PNS, which must confirm the PNS works there); lines needing BKN go on to the
// instansi's BKN level; a unit line carries the units' paths in the organisation tree.
func addressLines(tx *bbolt.Tx, sub *Submission, form Form, by string, now time.Time) error {
	unitID := form.Effective()[KeyUnit]
	var u Unit
	if err := getJSON(bk(tx, bUnits), []byte(unitID), &u); err != nil {
		return fmt.Errorf("unit %s: %w", unitID, err)
	}
	var in Instansi
	if err := getJSON(bk(tx, bInstansi), []byte(form.Record.InstansiID), &in); err != nil {
		return fmt.Errorf("instansi %s: %w", form.Record.InstansiID, err)
	}
	sub.Name = form.Record.Name()
	sub.InstansiID, sub.UnitID, sub.UnitName, sub.SKPDID = form.Record.InstansiID, u.ID, u.Name, u.SKPDID
	sub.SentBy, sub.SentAt = by, now
	sub.BKNLevel, sub.KanregID = bknRoute(in)
	sub.Lines = mergeLines(sub.Lines, form, sub.Round)
	tree, err := unitTree(tx, form.Record.InstansiID)
	if err != nil {
		return err
	}
	for i, l := range sub.Lines {
		if f, ok := FieldByKey(l.Field); ok && f.Kind == KindUnit {
			sub.Lines[i].OldText, sub.Lines[i].NewText = tree.Label(l.Old), tree.Label(l.New)
		}
	}
	routeLines(sub)
	return nil
}

// mergeLines builds the submission's lines from the PNS's proposals (fields, then history rows, in
// catalogue order), keeping the decision history of lines whose content (values, reason and
// documents) is unchanged since the last round. Tabs that do not apply and self-rated tabs give no lines.
func mergeLines(prev []Line, f Form, round int) []Line {
	byField := map[string]Line{}
	for _, l := range prev {
		byField[l.Field] = l
	}
	var out []Line
	add := func(l Line) {
		if p, ok := byField[l.Field]; ok {
			l.Decisions = p.Decisions
			if p.Old == l.Old && p.New == l.New && p.Reason == l.Reason && slices.Equal(p.Docs, l.Docs) {
				l.Since = p.Since
			}
		}
		out = append(out, l)
	}
	for _, t := range Tabs {
		if t.SelfRated || !f.Applies(t) {
			continue
		}
		for _, fd := range t.Fields {
			e, ok := f.Entries[fd.Key]
			if !ok || e.Status != EntryUsul {
				continue
			}
			add(Line{Field: fd.Key, Label: fd.Label, Old: e.Old, New: e.New, Reason: e.Reason, BKN: fd.BKN, Since: round,
				Docs: docRefs(f.Docs[fd.Key]), Free: e.Free})
		}
		for _, tb := range t.Tables {
			for _, k := range rowEntryKeys(f, tb.Key) {
				e := f.Entries[k]
				_, id, _ := ParseRowKey(k)
				l := Line{Field: k, Label: tb.Label + ": " + OpLabel(e.Op), Old: tb.Summary(e.OldRow), Reason: e.Reason, BKN: tb.BKN, Since: round,
					Docs: docRefs(f.Docs[k]), Table: tb.Key, RowID: id, Op: e.Op, OldRow: e.OldRow, NewRow: e.Row, Free: e.Free}
				if e.Op != OpHapus {
					l.New = tb.Summary(e.Row)
				}
				add(l)
			}
		}
	}
	return out
}

func docRefs(ds []DocMeta) []DocRef {
	var out []DocRef
	for _, d := range ds {
		out = append(out, DocRef{ID: d.ID, Kind: d.Kind, Name: d.Name})
	}
	return out
}

func clearEntries(tx *bbolt.Tx, nip string) error {
	b := bk(tx, bEntries)
	c := b.Cursor()
	p := entryKey(nip, "")
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Seek(p) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	// The documents stay (the submission's lines refer to them); they are no longer attached to
	// open proposals.
	dc := bk(tx, bDocsByNIP).Cursor()
	dp := cat([]byte(nip), []byte{0})
	for k, _ := dc.Seek(dp); k != nil && bytes.HasPrefix(k, dp); k, _ = dc.Seek(dp) {
		if err := dc.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// bknRoute says where an instansi's lines needing BKN go: its Kanreg (Level 3) for an instansi
// daerah, BKN Pusat (Level 4) for an instansi pusat.
func bknRoute(in Instansi) (level int, kanreg string) {
	if in.Jenis == "pusat" {
		return 4, ""
	}
	return 3, in.KanregID
}

// routeLines sets each line's final level from the catalogue's BKN flag (carried on the line) and
// the submission's BKN level.
func routeLines(s *Submission) {
	for i := range s.Lines {
		s.Lines[i].Final = 2
		if s.Lines[i].BKN {
			s.Lines[i].Final = s.BKNLevel
		}
	}
}
