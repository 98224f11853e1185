package store

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// State is where a submission is.
type State string

// Submission states. draft is implicit: a PNS's entries before Kirim.
const (
	StateLevel1    State = "level1"
	StateLevel2    State = "level2"
	StateLevel3    State = "level3"
	StateLevel4    State = "level4"
	StateReturned  State = "dikembalikan"
	StateDone      State = "selesai"
	StateWithdrawn State = "ditarik"
)

// WithVerifiers tells whether the submission waits at some verification level (the form is locked).
func (s State) WithVerifiers() bool { return s.Level() > 0 }

// Level is the verification level the submission waits at, 0 when it waits at none.
func (s State) Level() int {
	switch s {
	case StateLevel1:
		return 1
	case StateLevel2:
		return 2
	case StateLevel3:
		return 3
	case StateLevel4:
		return 4
	}
	return 0
}

// Label is the state in the words the PNS sees.
func (s State) Label() string {
	switch s {
	case StateLevel1:
		return "Verifikasi Level 1 (SKPD)"
	case StateLevel2:
		return "Verifikasi Level 2 (BKD)"
	case StateLevel3:
		return "Verifikasi Level 3 (Kanreg BKN)"
	case StateLevel4:
		return "Verifikasi Level 4 (BKN Pusat)"
	case StateReturned:
		return "Dikembalikan kepada PNS untuk diperbaiki"
	case StateDone:
		return "Selesai"
	case StateWithdrawn:
		return "Ditarik oleh PNS"
	}
	return string(s)
}

// StateLevelLabel names the state of waiting at a verification level.
func StateLevelLabel(level int) string { return stateAt(level).Label() }

func stateAt(level int) State {
	switch level {
	case 1:
		return StateLevel1
	case 2:
		return StateLevel2
	case 3:
		return StateLevel3
	case 4:
		return StateLevel4
	}
	return StateDone
}

// Verdicts a verifier gives a line.
const (
	Setuju = "setuju" // approve
	BTS    = "bts"    // berkas tidak sesuai: back to the PNS to fix
	TMS    = "tms"    // tidak memenuhi syarat: rejected for good
)

// VerdictLabel names a verdict.
func VerdictLabel(v string) string {
	switch v {
	case Setuju:
		return "Setuju"
	case BTS:
		return "BTS (berkas tidak sesuai)"
	case TMS:
		return "TMS (tidak memenuhi syarat)"
	}
	return "Belum diputuskan"
}

// Decision is one verifier's verdict on one line at one level, in one round.
type Decision struct {
	Level   int       `json:"level"`
	Round   int       `json:"round"`
	Field   string    `json:"field,omitempty"`
	Verdict string    `json:"verdict"`
	Note    string    `json:"note,omitempty"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// Line is one proposal inside a submission: old → new with the reason, and every decision on it.
// Since is the round in which its content last changed; decisions from earlier rounds stay valid
// for it (except BTS, which always asks for a new look). BKN comes from the field catalogue;
// Final is the last level the line needs (2, or the submission's BKN level when BKN), set by routeLines.
type Line struct {
	Field     string     `json:"field"`
	Label     string     `json:"label"`
	Old       string     `json:"old"`
	New       string     `json:"new"`
	Reason    string     `json:"reason"`
	BKN       bool       `json:"bkn"`
	Final     int        `json:"final,omitempty"`
	Since     int        `json:"since"`
	Decisions []Decision `json:"decisions,omitempty"`
	// Docs are the documents attached to the proposal when it was sent.
	Docs []DocRef `json:"docs,omitempty"`
	// Free marks a value typed outside the offered list, for the verifier to check by hand.
	Free bool `json:"free,omitempty"`
	// OldText and NewText are how Old and New read for people when the code alone does not say
	// (a unit's id → its path in the organisation tree), fixed when the line is sent.
	OldText string `json:"old_text,omitempty"`
	NewText string `json:"new_text,omitempty"`
	// History row lines: the table, row and operation, and the rows before and after.
	Table  string            `json:"table,omitempty"`
	RowID  string            `json:"row_id,omitempty"`
	Op     string            `json:"op,omitempty"`
	OldRow map[string]string `json:"old_row,omitempty"`
	NewRow map[string]string `json:"new_row,omitempty"`
}

// Step is one move of a submission between states.
type Step struct {
	At   time.Time `json:"at"`
	From State     `json:"from"`
	To   State     `json:"to"`
	By   string    `json:"by"`
	Note string    `json:"note,omitempty"`
}

// Submission is a sent form: its lines and where it is. Rev increases with every change, so a
// decision made on a stale view is refused (optimistic versioning).
type Submission struct {
	ID         uint64    `json:"id"`
	NIP        string    `json:"nip"`
	Nama       string    `json:"nama"`
	InstansiID string    `json:"instansi_id"`
	UnitID     string    `json:"unit_id"`
	UnitNama   string    `json:"unit_nama"`
	SKPDID     string    `json:"skpd_id"`
	State      State     `json:"state"`
	Round      int       `json:"round"`
	Rev        int       `json:"rev"`
	Lines      []Line    `json:"lines"`
	Steps      []Step    `json:"steps"`
	SentBy     string    `json:"sent_by"`
	SentAt     time.Time `json:"sent_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	InboxAt    time.Time `json:"inbox_at"`
	Version    int       `json:"version,omitempty"` // the master version it produced when done
	// BKNLevel is where lines needing BKN's authority go after Level 2: 3 (the Kanreg KanregID) for
	// an instansi daerah, 4 (BKN Pusat) for an instansi pusat. Set at Kirim from the instansi.
	BKNLevel int    `json:"bkn_level,omitempty"`
	KanregID string `json:"kanreg_id,omitempty"`
	// OpenedBy and OpenedAt record the first verifier who opened the submission since it was last
	// sent; until then the PNS may withdraw it.
	OpenedBy string    `json:"opened_by,omitempty"`
	OpenedAt time.Time `json:"opened_at,omitzero"`
	// TakenBy is the first verifier who opened it at its current level (the inbox shows it, so a
	// colleague sees it is being handled); moveTo clears it.
	TakenBy string `json:"taken_by,omitempty"`
}

// Decision returns the line's valid decision at a level in the current round, if any.
func (l Line) Decision(level, round int) (Decision, bool) {
	for i := len(l.Decisions) - 1; i >= 0; i-- {
		d := l.Decisions[i]
		if d.Level != level || d.Round < l.Since {
			continue
		}
		if d.Verdict == BTS && d.Round < round {
			return Decision{}, false
		}
		return d, true
	}
	return Decision{}, false
}

// Rejected tells whether some level rejected the line for good (TMS) in a valid decision.
func (l Line) Rejected(round int) bool {
	for lv := 1; lv <= 4; lv++ {
		if d, ok := l.Decision(lv, round); ok && d.Verdict == TMS {
			return true
		}
	}
	return false
}

// UnderReview tells whether the line is for the verifier at level to decide: level 1 sees every
// line; a higher level on the line's path sees it once the level before approved it.
func (l Line) UnderReview(level, round int) bool {
	path := levelsOf(l)
	i := slices.Index(path, level)
	switch {
	case i < 0:
		return false
	case i == 0:
		return true
	}
	d, ok := l.Decision(path[i-1], round)
	return ok && d.Verdict == Setuju
}

// finalLevel is the last level a line goes to: Level 2 unless it needs BKN's authority, then the
// submission's BKN level (3 or 4). Lines stored before routing existed end at Level 2.
func finalLevel(l Line) int {
	if l.Final > 2 {
		return l.Final
	}
	return 2
}

// levelsOf is the path of levels a line passes: Level 1, Level 2, and its BKN level when it has one.
func levelsOf(l Line) []int {
	if f := finalLevel(l); f > 2 {
		return []int{1, 2, f}
	}
	return []int{1, 2}
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

// Path lists the levels the submission passes: 1 and 2, and its BKN level when a line needs BKN.
func (s Submission) Path() []int {
	out := []int{1, 2}
	for _, l := range s.Lines {
		if f := finalLevel(l); f > 2 {
			return append(out, f)
		}
	}
	return out
}

// ReviewLines returns the indexes of the lines the current level decides.
func (s Submission) ReviewLines() []int {
	var out []int
	lv := s.State.Level()
	for i, l := range s.Lines {
		if lv > 0 && l.UnderReview(lv, s.Round) {
			out = append(out, i)
		}
	}
	return out
}

// InboxScope is the scope of the inbox the submission waits in now ("" when it waits in none, or at Level 4).
func (s Submission) InboxScope() string { return s.inboxScope(s.State.Level()) }

// InboxScopeAt is the scope of the submission's inbox at a level.
func (s Submission) InboxScopeAt(level int) string { return s.inboxScope(level) }

// inboxScope is the scope key of the inbox a submission waits in at a level.
func (s Submission) inboxScope(level int) string {
	switch level {
	case 1:
		return s.SKPDID
	case 2:
		return s.InstansiID
	case 3:
		return s.KanregID
	}
	return "" // Level 4: BKN Pusat has one inbox
}

func inboxKey(level int, scope string, at time.Time, id uint64) []byte {
	return cat([]byte{byte(level)}, []byte(scope), []byte{0}, timeKey(at), u64(id))
}

func inboxPrefix(level int, scope string) []byte {
	return cat([]byte{byte(level)}, []byte(scope), []byte{0})
}

// mayVerify says whether a verifier may see and decide a submission at its current level.
func mayVerify(a Actor, s Submission) bool {
	lv := a.Role.Level()
	if lv == 0 || lv != s.State.Level() {
		return false
	}
	if a.Login == s.NIP || a.Login == s.SentBy || (a.NIP != "" && a.NIP == s.NIP) {
		return false
	}
	return a.ScopeID == s.inboxScope(lv)
}

// verifierCheck says why a verifier may not act on a submission now, or nil when they may: it
// must wait at their level in their scope, and they must not have made, sent or proposed for it
// (verifyRefusal words the refusal without telling an outsider the submission's state).
func verifierCheck(tx *bbolt.Tx, a Actor, s Submission) error {
	if mayVerify(a, s) && !actedOn(tx, a, s.NIP) {
		return nil
	}
	return verifyRefusal(tx, a, s)
}

// mayRead says whether an actor may read a submission: its PNS (or their operator), or a verifier
// of its current level in scope.
func (st *Store) mayRead(a Actor, s Submission) bool {
	return st.mayActFor(a, s.NIP) || mayVerify(a, s)
}

func latestSubmission(tx *bbolt.Tx, nip string) (Submission, error) {
	c := tx.Bucket(bSubsByNIP).Cursor()
	p := []byte(nip)
	// Seek past every key of this NIP, then step back: the last one is the newest.
	k, _ := c.Seek(cat(p, []byte{0xff}))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, p) || len(k) != len(p)+8 {
		return Submission{}, ErrNotFound
	}
	s, err := getCached[Submission](tx, bSubs, k[len(p):])
	if err != nil {
		return Submission{}, err
	}
	// The caller may change its copy (Kirim resends a returned submission): copy the slices.
	out := *s
	out.Lines = append([]Line(nil), s.Lines...)
	for i := range out.Lines {
		out.Lines[i].Decisions = append([]Decision(nil), s.Lines[i].Decisions...)
	}
	out.Steps = append([]Step(nil), s.Steps...)
	return out, nil
}

func putSubmission(tx *bbolt.Tx, s *Submission) error {
	return putJSON(tx.Bucket(bSubs), u64(s.ID), s)
}

// moveTo changes the state, keeping the inbox index and its counts true in the same transaction.
func moveTo(tx *bbolt.Tx, s *Submission, to State, by, note string, now time.Time) error {
	if lv := s.State.Level(); lv > 0 {
		if err := inboxRemove(tx, s); err != nil {
			return err
		}
	}
	s.Steps = append(s.Steps, Step{At: now, From: s.State, To: to, By: by, Note: note})
	s.State = to
	s.UpdatedAt = now
	s.Rev++
	s.TakenBy = ""
	if lv := to.Level(); lv > 0 {
		s.InboxAt = now
		return inboxAdd(tx, s)
	}
	return nil
}

// Missing is one reason Kirim is refused: a tab and field, and what to do there.
type Missing struct {
	TabKey  string
	Tab     string
	Field   string // a field key, a table key or a row proposal's entry key
	Label   string
	Problem string
}

// IncompleteError lists everything that stops Kirim.
type IncompleteError struct{ Items []Missing }

func (e *IncompleteError) Error() string {
	var b strings.Builder
	for i, m := range e.Items {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(m.Label + ": " + m.Problem)
	}
	return "belum dapat dikirim: " + b.String()
}

// Is lets errors.Is(err, ErrIncomplete) match.
func (e *IncompleteError) Is(target error) bool { return target == ErrIncomplete }

// checkComplete lists, tab by tab (tabs that do not apply to the PNS are skipped), every field and
// history table not yet looked at, every proposal without a reason or without a document it needs,
// every proposal made on a master value that has changed since, and every value that disagrees
// with the rest of the record.
func checkComplete(f Form, today time.Time) []Missing {
	var out []Missing
	eff := f.Effective()
	for _, t := range Tabs {
		if !f.Applies(t) {
			continue
		}
		miss := func(field, label, problem string) {
			out = append(out, Missing{TabKey: t.Key, Tab: t.Label, Field: field, Label: label, Problem: problem})
		}
		for _, fd := range t.Fields {
			if fd.ReadOnly {
				continue
			}
			e, ok := f.Entries[fd.Key]
			switch {
			case !ok:
				miss(fd.Key, fd.Label, "belum diperiksa: pilih Sesuai atau usulkan perbaikan")
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
		for _, tb := range t.Tables {
			keys := rowEntryKeys(f, tb.Key)
			if _, ok := f.Entries[TableKey(tb.Key)]; !ok && len(keys) == 0 {
				miss(TableKey(tb.Key), tb.Label, "belum diperiksa: tekan Sesuai pada tabel atau usulkan perbaikan baris")
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

// applySelfRated writes the PNS's self assessment straight into the master record as a new
// version: it is part of the record but never verified line by line. The entries are removed.
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
			delete(form.Entries, fd.Key)
			if err := tx.Bucket(bEntries).Delete(entryKey(old.NIP, fd.Key)); err != nil {
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
	if !s.mayActFor(a, nip) {
		return Submission{}, ErrForbidden
	}
	now := s.now()
	var out Submission
	err := s.db.Update(func(tx *bbolt.Tx) error {
		form, err := readForm(tx, nip)
		if err != nil {
			return err
		}
		if form.Locked {
			return fmt.Errorf("%w: usulan sedang diverifikasi", ErrLocked)
		}
		if missing := checkComplete(form, now); len(missing) > 0 {
			return &IncompleteError{Items: missing}
		}
		if err := applySelfRated(tx, &form, a.Login, now); err != nil {
			return err
		}
		// The Level 1 inbox is the SKPD of the unit the PNS will be in: a proposed move goes to
		// the SKPD that receives the PNS, which must confirm the PNS works there.
		unitID := form.Effective()["unit_organisasi"]
		var u Unit
		if err := getJSON(tx.Bucket(bUnits), []byte(unitID), &u); err != nil {
			return fmt.Errorf("unit %s: %w", unitID, err)
		}
		var in Instansi
		if err := getJSON(tx.Bucket(bInstansi), []byte(form.Record.InstansiID), &in); err != nil {
			return fmt.Errorf("instansi %s: %w", form.Record.InstansiID, err)
		}
		var sub Submission
		if form.Submission != nil && (form.Submission.State == StateReturned || form.Submission.State == StateWithdrawn) {
			sub = *form.Submission
			sub.Round++
			sub.OpenedBy, sub.OpenedAt = "", time.Time{}
		} else {
			id, err := tx.Bucket(bSubs).NextSequence()
			if err != nil {
				return err
			}
			sub = Submission{ID: id, NIP: nip, State: "draf", Round: 1}
			if err := tx.Bucket(bSubsByNIP).Put(cat([]byte(nip), u64(id)), nil); err != nil {
				return err
			}
		}
		sub.Nama = form.Record.Name()
		sub.InstansiID, sub.UnitID, sub.UnitNama, sub.SKPDID = form.Record.InstansiID, u.ID, u.Nama, u.SKPDID
		sub.SentBy, sub.SentAt = a.Login, now
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
		routeLines(&sub)
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
		return appendEvent(tx, Event{At: now, Actor: a.Login, OnBehalfOf: onBehalf(a, nip), NIP: nip, SubmissionID: sub.ID, Kind: "kirim",
			Detail: fmt.Sprintf("%d usulan, putaran %d → %s", len(sub.Lines), sub.Round, to.Label())})
	})
	return out, err
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
	b := tx.Bucket(bEntries)
	c := b.Cursor()
	p := entryKey(nip, "")
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Seek(p) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	// The documents stay (the submission's lines refer to them); they are no longer attached to
	// open proposals.
	dc := tx.Bucket(bDocsByNIP).Cursor()
	dp := cat([]byte(nip), []byte{0})
	for k, _ := dc.Seek(dp); k != nil && bytes.HasPrefix(k, dp); k, _ = dc.Seek(dp) {
		if err := dc.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// Submission returns a submission the actor may read.
func (s *Store) Submission(a Actor, id uint64) (Submission, error) {
	var sub Submission
	err := s.db.View(func(tx *bbolt.Tx) error { return getJSON(tx.Bucket(bSubs), u64(id), &sub) })
	if err != nil {
		return Submission{}, fmt.Errorf("usulan #%d: %w", id, err)
	}
	if !s.mayRead(a, sub) {
		return Submission{}, ErrForbidden
	}
	return sub, nil
}

// Decide records a verifier's verdict on one line at the submission's current level. rev is the
// submission revision the verifier saw; a stale one is refused with ErrConflict. BTS and TMS need a note.
func (s *Store) Decide(a Actor, id uint64, rev int, field, verdict, note string) (Submission, error) {
	if verdict != Setuju && verdict != BTS && verdict != TMS {
		return Submission{}, fieldErr("verdict_"+field, "Pilih Setuju, BTS atau TMS.")
	}
	note, err := NormalizeReason("catatan_"+field, note, 500)
	if err != nil {
		return Submission{}, err
	}
	if verdict != Setuju && note == "" {
		return Submission{}, fieldErr("catatan_"+field, "Catatan wajib diisi untuk BTS atau TMS: tulis apa yang harus diperbaiki atau mengapa ditolak.")
	}
	now := s.now()
	var out Submission
	err = s.update(func(tx *bbolt.Tx) error {
		var sub Submission
		if err := getJSON(tx.Bucket(bSubs), u64(id), &sub); err != nil {
			return fmt.Errorf("usulan #%d: %w", id, err)
		}
		if err := verifierCheck(tx, a, sub); err != nil {
			return err
		}
		if rev != sub.Rev {
			return ErrConflict
		}
		if markOpened(&sub, a, now) {
			if err := inboxPut(tx, &sub); err != nil {
				return err
			}
		}
		lv := sub.State.Level()
		idx := -1
		for _, i := range sub.ReviewLines() {
			if sub.Lines[i].Field == field {
				idx = i
			}
		}
		if idx < 0 {
			return fmt.Errorf("baris %q: %w", field, ErrNotFound)
		}
		sub.Lines[idx].Decisions = append(sub.Lines[idx].Decisions, Decision{Level: lv, Round: sub.Round, Field: field, Verdict: verdict, Note: note, By: a.Login, At: now})
		sub.Rev++
		sub.UpdatedAt = now
		if err := putSubmission(tx, &sub); err != nil {
			return err
		}
		out = sub
		return appendEvent(tx, Event{At: now, Actor: a.Login, NIP: sub.NIP, SubmissionID: id, Kind: "putusan",
			Detail: fmt.Sprintf("Level %d, %s: %s %s", lv, sub.Lines[idx].Label, VerdictLabel(verdict), note)})
	})
	return out, err
}

// Undecided lists the lines of the current level that still wait for a decision.
func (s Submission) Undecided() []Line {
	var out []Line
	for _, i := range s.ReviewLines() {
		if _, ok := s.Lines[i].Decision(s.State.Level(), s.Round); !ok {
			out = append(out, s.Lines[i])
		}
	}
	return out
}

// Forward moves a fully decided submission on: back to the PNS when any line is BTS; else to the next
// level when an approved line needs it; else done, applying every approved line to the master record
// as a new version in the same transaction.
func (s *Store) Forward(a Actor, id uint64, rev int) (Submission, error) {
	now := s.now()
	var out Submission
	err := s.db.Update(func(tx *bbolt.Tx) error {
		var sub Submission
		if err := getJSON(tx.Bucket(bSubs), u64(id), &sub); err != nil {
			return fmt.Errorf("usulan #%d: %w", id, err)
		}
		if err := verifierCheck(tx, a, sub); err != nil {
			return err
		}
		if rev != sub.Rev {
			return ErrConflict
		}
		markOpened(&sub, a, now)
		if und := sub.Undecided(); len(und) > 0 {
			var names []string
			for _, l := range und {
				names = append(names, l.Label)
			}
			return &IncompleteError{Items: []Missing{{Field: und[0].Field, Label: "Belum diputuskan", Problem: strings.Join(names, ", ")}}}
		}
		lv := sub.State.Level()
		to := sub.NextState()
		if err := moveTo(tx, &sub, to, a.Login, "", now); err != nil {
			return err
		}
		if to == StateDone {
			if err := applyApproved(tx, &sub, a.Login, now); err != nil {
				return err
			}
		}
		if err := putSubmission(tx, &sub); err != nil {
			return err
		}
		out = sub
		return appendEvent(tx, Event{At: now, Actor: a.Login, NIP: sub.NIP, SubmissionID: id, Kind: "teruskan",
			Detail: fmt.Sprintf("Level %d → %s", lv, to.Label())})
	})
	return out, err
}

// LastChange is who made the latest decision or move on the submission, and when.
func (s Submission) LastChange() (by string, at time.Time) {
	for _, st := range s.Steps {
		if !st.At.Before(at) {
			by, at = st.By, st.At
		}
	}
	for _, l := range s.Lines {
		for _, d := range l.Decisions {
			if !d.At.Before(at) {
				by, at = d.By, d.At
			}
		}
	}
	return by, at
}

// NextState is where Forward sends the submission, given the decisions at its current level: back
// to the PNS when a line is BTS; else to the nearest level an approved line still needs; else done.
func (s Submission) NextState() State {
	lv := s.State.Level()
	var bts bool
	next := 0
	for _, i := range s.ReviewLines() {
		l := s.Lines[i]
		d, _ := l.Decision(lv, s.Round)
		switch {
		case d.Verdict == BTS:
			bts = true
		case d.Verdict == Setuju && finalLevel(l) > lv:
			path := levelsOf(l)
			if nl := path[slices.Index(path, lv)+1]; next == 0 || nl < next {
				next = nl
			}
		}
	}
	switch {
	case bts:
		return StateReturned
	case next > 0:
		return stateAt(next)
	}
	return StateDone
}

// Approved tells whether every level on the line's path approved it in the current round.
func (l Line) Approved(round int) bool {
	for _, lv := range levelsOf(l) {
		d, ok := l.Decision(lv, round)
		if !ok || d.Verdict != Setuju {
			return false
		}
	}
	return true
}

// applyApproved writes every approved line into the master record as one new version, and clears the PNS's form.
func applyApproved(tx *bbolt.Tx, sub *Submission, by string, now time.Time) error {
	cur, err := getRecord(tx, sub.NIP)
	if err != nil {
		return err
	}
	old := *cur
	r := old.clone()
	var approvals []Decision
	for _, l := range sub.Lines {
		if !l.Approved(sub.Round) {
			continue
		}
		applyLine(&r, l)
		for _, lv := range levelsOf(l) {
			d, _ := l.Decision(lv, sub.Round)
			approvals = append(approvals, d)
		}
	}
	if err := clearEntries(tx, sub.NIP); err != nil {
		return err
	}
	if len(approvals) == 0 {
		return nil
	}
	r.Version = old.Version + 1
	r.UpdatedAt, r.UpdatedBy = now, by
	sub.Version = r.Version
	return writeVersion(tx, old, r, Version{At: now, By: sub.SentBy, Cause: fmt.Sprintf("usulan #%d", sub.ID), SubmissionID: sub.ID, Approvals: approvals})
}

// applyLine writes one approved line into a record: a field, the unit, or a history row operation.
func applyLine(r *Record, l Line) {
	switch {
	case l.Table != "":
		rows := r.Riwayat[l.Table]
		i := slices.IndexFunc(rows, func(x Row) bool { return x.ID == l.RowID })
		switch {
		case l.Op == OpHapus && i >= 0:
			rows = slices.Delete(rows, i, i+1)
		case l.Op == OpUbah && i >= 0:
			rows[i] = Row{ID: l.RowID, Fields: maps.Clone(l.NewRow)}
		case l.Op == OpTambah && i < 0:
			rows = append(rows, Row{ID: l.RowID, Fields: maps.Clone(l.NewRow)})
		}
		sortRows(l.Table, rows)
		if r.Riwayat == nil {
			r.Riwayat = map[string][]Row{}
		}
		r.Riwayat[l.Table] = rows
	case l.Field == "unit_organisasi":
		r.UnitID = l.New
	default:
		if r.Fields == nil {
			r.Fields = map[string]string{}
		}
		r.Fields[l.Field] = l.New
	}
}

// Submissions returns every submission of a PNS, newest first, for its PNS.
func (s *Store) Submissions(a Actor, nip string) ([]Submission, error) {
	if !s.mayActFor(a, nip) {
		return nil, ErrForbidden
	}
	var out []Submission
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bSubsByNIP).Cursor()
		p := []byte(nip)
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			var sub Submission
			if err := getJSON(tx.Bucket(bSubs), k[len(p):], &sub); err != nil {
				return err
			}
			out = append([]Submission{sub}, out...)
		}
		return nil
	})
	return out, err
}

// markOpened records the first verifier who looks at a submission since it was sent, and the first
// at its current level (TakenBy, shown in the inbox). It tells whether TakenBy changed.
func markOpened(s *Submission, a Actor, now time.Time) bool {
	if s.OpenedAt.IsZero() {
		s.OpenedBy, s.OpenedAt = a.Login, now
	}
	if s.TakenBy == "" {
		s.TakenBy = a.Login
		return true
	}
	return false
}

// OpenForReview returns a submission to a verifier of its current level in scope and records, the
// first time at each level only, that a verifier opened it (from then on the PNS can no longer
// withdraw it, and the inbox shows who took it). It is called on every GET of the review page, so
// it writes only when nothing was recorded yet at this level: a page load costs one read
// transaction; opening is not a change of content and leaves Rev alone. first tells whether this
// call recorded the opening (the inboxes then show it).
func (s *Store) OpenForReview(a Actor, id uint64) (sub Submission, first bool, err error) {
	err = s.db.View(func(tx *bbolt.Tx) error { return getJSON(tx.Bucket(bSubs), u64(id), &sub) })
	if err != nil {
		return Submission{}, false, fmt.Errorf("usulan #%d: %w", id, err)
	}
	if !mayVerify(a, sub) {
		return Submission{}, false, ErrForbidden
	}
	if sub.TakenBy != "" {
		return sub, false, nil
	}
	now := s.now()
	err = s.update(func(tx *bbolt.Tx) error {
		first = false
		if err := getJSON(tx.Bucket(bSubs), u64(id), &sub); err != nil {
			return fmt.Errorf("usulan #%d: %w", id, err)
		}
		if !mayVerify(a, sub) {
			return ErrForbidden // it moved (withdrawn, forwarded) between the read and the write
		}
		if sub.TakenBy != "" {
			return nil // a colleague opened it first
		}
		markOpened(&sub, a, now)
		if err := putSubmission(tx, &sub); err != nil {
			return err
		}
		if err := inboxPut(tx, &sub); err != nil { // the inbox row shows who opened it
			return err
		}
		first = true
		return appendEvent(tx, Event{At: now, Actor: a.Login, NIP: sub.NIP, SubmissionID: id, Kind: "dibuka",
			Detail: fmt.Sprintf("Level %d mulai memeriksa", sub.State.Level())})
	})
	if err != nil {
		return Submission{}, false, err
	}
	return sub, first, nil
}

// WithdrawSubmission takes the PNS's latest submission back before any verifier opened it: it leaves
// the inbox, its state becomes ditarik and the form unlocks. Sending again continues the same
// submission in a new round.
func (s *Store) WithdrawSubmission(a Actor, nip string) (Submission, error) {
	if !s.mayActFor(a, nip) {
		return Submission{}, ErrForbidden
	}
	now := s.now()
	var out Submission
	err := s.db.Update(func(tx *bbolt.Tx) error {
		sub, err := latestSubmission(tx, nip)
		if err != nil {
			return fmt.Errorf("usulan %s: %w", nip, err)
		}
		if !sub.State.WithVerifiers() {
			return fmt.Errorf("%w: usulan berstatus %s", ErrState, sub.State.Label())
		}
		if !sub.OpenedAt.IsZero() {
			return fmt.Errorf("%w: usulan sudah dibuka verifikator", ErrState)
		}
		if err := moveTo(tx, &sub, StateWithdrawn, a.Login, "", now); err != nil {
			return err
		}
		if err := putSubmission(tx, &sub); err != nil {
			return err
		}
		out = sub
		return appendEvent(tx, Event{At: now, Actor: a.Login, NIP: nip, SubmissionID: sub.ID, Kind: "tarik",
			Detail: fmt.Sprintf("ditarik sebelum dibuka verifikator, putaran %d", sub.Round)})
	})
	return out, err
}

// SendDown is the 2015 turun status: a verifier at Level 2 or above sends the submission back to
// the level before it on its path (Level 2 to Level 1; Level 3 or 4 to Level 2) with a reason.
// Decisions stay; the lower level sees the reason and may change any of its decisions before
// forwarding again.
func (s *Store) SendDown(a Actor, id uint64, rev int, reason string) (Submission, error) {
	now := s.now()
	var out Submission
	err := s.db.Update(func(tx *bbolt.Tx) error {
		var sub Submission
		if err := getJSON(tx.Bucket(bSubs), u64(id), &sub); err != nil {
			return fmt.Errorf("usulan #%d: %w", id, err)
		}
		// Authority first: an outsider learns nothing, not even that the reason was missing.
		if err := verifierCheck(tx, a, sub); err != nil {
			return err
		}
		lv := sub.State.Level()
		if lv < 2 {
			return fmt.Errorf("%w: Level 1 tidak dapat menurunkan status", ErrState)
		}
		reason, err := NormalizeReason("alasan_turun", reason, 500)
		if err != nil {
			return err
		}
		if reason == "" {
			return fieldErr("alasan_turun", "Alasan turun status wajib diisi: tulis apa yang harus diperiksa ulang.")
		}
		if rev != sub.Rev {
			return ErrConflict
		}
		to := stateAt(1)
		if lv > 2 {
			to = stateAt(2)
		}
		markOpened(&sub, a, now)
		if err := moveTo(tx, &sub, to, a.Login, reason, now); err != nil {
			return err
		}
		if err := putSubmission(tx, &sub); err != nil {
			return err
		}
		out = sub
		return appendEvent(tx, Event{At: now, Actor: a.Login, NIP: sub.NIP, SubmissionID: id, Kind: "turun",
			Detail: fmt.Sprintf("Level %d → %s: %s", lv, to.Label(), reason)})
	})
	return out, err
}

// ReturnedFields lists the fields the PNS may change while the submission is returned: the lines
// some level marked BTS in the current round. Nil when the submission is not returned.
func (s Submission) ReturnedFields() map[string]bool {
	if s.State != StateReturned {
		return nil
	}
	out := map[string]bool{}
	for _, l := range s.Lines {
		for _, lv := range levelsOf(l) {
			if d, ok := l.Decision(lv, s.Round); ok && d.Verdict == BTS {
				out[l.Field] = true
			}
		}
	}
	return out
}
