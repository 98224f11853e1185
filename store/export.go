package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// Exports: what a campaign produces leaves the office as rows (README › Exports). Every export is
// one column definition (ExportColumns) and a stream of rows of strings in that order (Export), so
// the CSV, XLSX and JSON Lines writers share it. Rows are read in chunks of short read
// transactions, each resuming after the last key of the one before: a writer never waits for an
// export, and the memory an export takes does not grow with the office.

// ExportKind names what an export holds.
type ExportKind string

// Export kinds.
const (
	ExportRecords       ExportKind = "records"       // the master records as they now stand, every tab and history table
	ExportChanges       ExportKind = "changes"       // every applied line of a finished submission
	ExportNonCompliance ExportKind = "noncompliance" // the non-compliance list
)

// ExportKinds lists the kinds with their labels, for the form and the command's usage.
var ExportKinds = CodeList{
	{string(ExportRecords), "Data PNS (semua tab dan riwayat)"},
	{string(ExportChanges), "Daftar perubahan yang diterapkan"},
	{string(ExportNonCompliance), "Daftar ketidakpatuhan"},
}

// ColType is how a column's strings read as typed values (JSON Lines).
type ColType int

// Column types. Dates are YYYY-MM-DD and times RFC 3339 (ISO 8601) in every format.
const (
	ColText ColType = iota
	ColInt
	ColDate
	ColTime
)

// ExportColumn is one column of an export: its stable key (the header of CSV and XLSX, the name in
// JSON Lines), its label for people, and its type.
type ExportColumn struct {
	Key   string
	Label string
	Type  ColType
}

// Value is the typed value of a cell for JSON: a number for an integer column, nil for an empty
// cell that is not text, else the string itself.
func (c ExportColumn) Value(s string) any {
	if s == "" && c.Type != ColText {
		return nil
	}
	if c.Type == ColInt {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
	}
	return s
}

// ExportFilter narrows an export. InstansiID and UnitID (the unit or any unit under it) name
// places; From and To (days, inclusive; zero for open) bound the records' last change, the
// changes' completion; State is a submission state (records: their latest submission's; "belum"
// for none) or, for the non-compliance list, a category (NonComplianceKinds).
type ExportFilter struct {
	InstansiID string
	UnitID     string
	From, To   time.Time
	State      string
}

// ExportRequest is one export: its kind and filter, and Progress, when set, called after each
// chunk with how many items (records or submissions) were read of how many there are.
type ExportRequest struct {
	Kind     ExportKind
	Filter   ExportFilter
	Progress func(done, total int)
}

// StateNone is the records filter's state for a PNS who never sent a submission.
const StateNone = "belum"

// exportChunk is how many items one read transaction of an export reads.
const exportChunk = 256

// ExportColumns returns the columns of an export kind.
func ExportColumns(kind ExportKind) ([]ExportColumn, error) {
	switch kind {
	case ExportRecords:
		return recordColumns, nil
	case ExportChanges:
		return changeColumns, nil
	case ExportNonCompliance:
		return nonComplianceColumns, nil
	}
	return nil, fmt.Errorf("%w: jenis ekspor %q tidak dikenal", ErrInvalid, kind)
}

// MayExport says whether the actor may export at all: the admin (the office) and a Level 2
// verifier (their instansi).
func MayExport(a Actor) bool {
	return a.Role == RoleAdmin || (a.Role == RoleV2 && a.ScopeID != "")
}

// Export streams the rows of an export in the actor's scope to row, in the order of
// ExportColumns(req.Kind). row is never called inside a transaction, so it may be slow (a
// network, a disk); an error from it stops the export and is returned. The slice row gets is
// reused for the next row: row copies what it keeps.
func (s *Store) Export(a Actor, req ExportRequest, row func([]string) error) error {
	if err := s.CheckExport(a, req); err != nil {
		return err
	}
	scope, err := s.newExportScope(a, req.Filter)
	if err != nil {
		return err
	}
	switch req.Kind {
	case ExportRecords:
		return s.exportRecords(scope, req, row)
	case ExportChanges:
		return s.exportChanges(scope, req, row)
	case ExportNonCompliance:
		return s.exportNonCompliance(scope, req, row)
	}
	return fmt.Errorf("%w: jenis ekspor %q tidak dikenal", ErrInvalid, req.Kind)
}

// CheckExport says, before an export is begun, whether the actor may run it: ErrForbidden, or a
// *FieldError at the filter field it concerns (kind, instansi, unit, sampai, status).
func (s *Store) CheckExport(a Actor, req ExportRequest) error {
	if !MayExport(a) {
		return ErrForbidden
	}
	return s.checkExportFilter(a, req)
}

// checkExportFilter refuses a filter that names nothing this export knows, at the field it concerns.
func (s *Store) checkExportFilter(a Actor, req ExportRequest) error {
	f := req.Filter
	if _, err := ExportColumns(req.Kind); err != nil {
		return fieldErr("kind", "Jenis ekspor %q tidak dikenal.", req.Kind)
	}
	if f.InstansiID != "" {
		if _, err := s.Instansi(f.InstansiID); err != nil {
			return fieldErr("instansi", "Instansi %q tidak dikenal.", f.InstansiID)
		}
		if a.Role == RoleV2 && f.InstansiID != a.ScopeID {
			return ErrForbidden
		}
	}
	if f.UnitID != "" {
		u, err := s.Unit(f.UnitID)
		if err != nil {
			return fieldErr("unit", "Unit organisasi %q tidak dikenal.", f.UnitID)
		}
		if a.Role == RoleV2 && u.InstansiID != a.ScopeID {
			return ErrForbidden
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return fieldErr("sampai", "Tanggal akhir harus sama dengan atau sesudah tanggal awal.")
	}
	if f.State == "" {
		return nil
	}
	switch req.Kind {
	case ExportNonCompliance:
		if !NonComplianceKinds.Has(f.State) {
			return fieldErr("status", "Kategori %q tidak dikenal.", f.State)
		}
	case ExportChanges:
		if State(f.State) != StateDone {
			return fieldErr("status", "Daftar perubahan hanya memuat usulan yang selesai.")
		}
	default:
		if !ExportStates.Has(f.State) {
			return fieldErr("status", "Status %q tidak dikenal.", f.State)
		}
	}
	return nil
}

// ExportStates are the states the records export filters by: the latest submission's, or none.
var ExportStates = CodeList{
	{StateNone, "Belum pernah mengirim"},
	{string(StateLevel1), StateLevel1.Label()}, {string(StateLevel2), StateLevel2.Label()},
	{string(StateLevel3), StateLevel3.Label()}, {string(StateLevel4), StateLevel4.Label()},
	{string(StateReturned), StateReturned.Label()}, {string(StateDone), StateDone.Label()},
	{string(StateWithdrawn), StateWithdrawn.Label()},
}

// exportScope is what an export needs to place a PNS: the organisation (read once: it is small),
// the actor and the filter.
type exportScope struct {
	a        Actor
	f        ExportFilter
	units    map[string]Unit
	instansi map[string]string // id -> name
	to       time.Time         // the end of the range, exclusive (the day after f.To)
}

func (s *Store) newExportScope(a Actor, f ExportFilter) (*exportScope, error) {
	sc := &exportScope{a: a, f: f, units: map[string]Unit{}, instansi: map[string]string{}}
	if !f.To.IsZero() {
		sc.to = time.Date(f.To.Year(), f.To.Month(), f.To.Day()+1, 0, 0, 0, 0, f.To.Location())
	}
	err := s.view(func(tx *bbolt.Tx) error {
		if err := bk(tx, bInstansi).ForEach(func(_, v []byte) error {
			var in Instansi
			err := json.Unmarshal(v, &in)
			sc.instansi[in.ID] = in.Name
			return err
		}); err != nil {
			return err
		}
		us, err := unitsOf(tx, "", "")
		for _, u := range us {
			sc.units[u.ID] = u
		}
		return err
	})
	return sc, err
}

// inPlace says whether a PNS of instansi and unit is in the actor's scope and the filter's places.
func (sc *exportScope) inPlace(instansiID, unitID string) bool {
	rec := Record{InstansiID: instansiID, UnitID: unitID}
	if !mayMonitor(sc.a, &rec, sc.units[unitID].SKPDID) {
		return false
	}
	if sc.f.InstansiID != "" && instansiID != sc.f.InstansiID {
		return false
	}
	return sc.f.UnitID == "" || sc.under(unitID, sc.f.UnitID)
}

// under says whether unit id is top or lies under it in the organisation tree.
func (sc *exportScope) under(id, top string) bool {
	for range 64 { // a tree is never this deep; a cycle ends here
		if id == top {
			return true
		}
		u, ok := sc.units[id]
		if !ok || u.ParentID == "" {
			return false
		}
		id = u.ParentID
	}
	return false
}

// inRange says whether t falls within the filter's days.
func (sc *exportScope) inRange(t time.Time) bool {
	if !sc.f.From.IsZero() && t.Before(sc.f.From) {
		return false
	}
	return sc.to.IsZero() || t.Before(sc.to)
}

// unitName and instansiName are the labels of the organisation's ids.
func (sc *exportScope) unitName(id string) string { return sc.units[id].Name }

func (sc *exportScope) instansiName(id string) string { return sc.instansi[id] }

// walkChunks reads bucket name in chunks of exportChunk keys, each in a read transaction of its
// own that resumes after the last key of the one before. read decodes one value into an item
// (inside the transaction: it must copy what it keeps), or skips it (ok false); the items of a
// chunk go to emit after the transaction has ended, so a slow writer holds no transaction, and
// only one chunk of decoded items is held at a time. progress, when set, hears the keys read of
// the bucket's count.
func walkChunks[T any](s *Store, name []byte, read func(tx *bbolt.Tx, k, v []byte) (T, bool, error),
	progress func(done, total int), emit func(T) error) error {
	var after []byte
	done, total := 0, 0
	items := make([]T, 0, exportChunk)
	for {
		items = items[:0]
		n := 0
		err := s.view(func(tx *bbolt.Tx) error {
			b := bk(tx, name)
			if after == nil {
				total = b.Stats().KeyN
			}
			c := b.Cursor()
			k, v := c.First()
			if after != nil {
				if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			for ; k != nil && n < exportChunk; k, v = c.Next() {
				it, ok, err := read(tx, k, v)
				if err != nil {
					return err
				}
				if ok {
					items = append(items, it)
				}
				after = append(after[:0], k...)
				n++
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := emit(it); err != nil {
				return err
			}
		}
		done += n
		if progress != nil {
			progress(done, max(total, done))
		}
		if n < exportChunk {
			return nil
		}
	}
}

// isoTime writes a time in ISO 8601 (RFC 3339), "" for the zero time.
func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// CellSafe neutralises a cell a spreadsheet would read as a formula: a value starting with =, +,
// -, @, a tab or a carriage return gets a leading apostrophe, so "=HYPERLINK(…)" stays text.
// Every CSV the office writes goes through it; CellUnsafe undoes it on import.
func CellSafe(v string) string {
	if v != "" && strings.ContainsRune(formulaStarts, rune(v[0])) {
		return "'" + v
	}
	return v
}

// CellUnsafe undoes CellSafe: an apostrophe before a character a formula starts with is dropped.
func CellUnsafe(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.ContainsRune(formulaStarts, rune(v[1])) {
		return v[1:]
	}
	return v
}

// formulaStarts are the characters a spreadsheet reads a formula from.
const formulaStarts = "=+-@\t\r"
