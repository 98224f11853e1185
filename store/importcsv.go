package store

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// ImportColumns are the field columns ImportCSV knows, in the order a template file lists them:
// the NIP, the instansi and unit organisasi IDs, then every single-valued field of every tab of the
// catalogue by its key. Columns may come in any order; nip, instansi_id, unit_id and nama are
// required. Every other column of the records export (ExportColumns(ExportRecords)) is known too:
// tabel, baris and the history tables' columns carry the history rows; the labels (instansi,
// unit, *_label) are read from the codes and the organisation, so their cells are ignored.
var ImportColumns = func() []string {
	cols := []string{"nip", "instansi_id", "unit_id"}
	for _, t := range Tabs {
		for _, f := range t.Fields {
			if f.Key != KeyNIP && f.Key != KeyInstansi && f.Key != KeyUnit {
				cols = append(cols, f.Key)
			}
		}
	}
	return cols
}()

// importKnown says whether an import header names a column ImportCSV knows.
func importKnown(name string) bool {
	_, ok := recordColumnIndex[name]
	return ok || slices.Contains(ImportColumns, name)
}

var importRequired = []string{"nip", "instansi_id", "unit_id", "nama"}

// ImportReport counts what an import did. Rows counts the data rows read (blank rows excepted);
// a row is Created, Updated, Unchanged (same values as the master already holds) or in Errors
// (possibly several errors for one row).
type ImportReport struct {
	Rows      int
	Created   int
	Updated   int
	Unchanged int
	Errors    []ImportRowError
}

// importChunk is how many PNS one transaction of an import writes (PutMasterBulk: each its own
// fsync, since an import goes into a live office's file); importProgress is how often progress is told.
const (
	importChunk    = 5000
	importProgress = 1000
)

type importRow struct {
	line       int
	nip        string
	instansiID string
	unitID     string
	fields     map[string]string // only the file's columns; "" clears the field
	hist       *importHistory    // the history rows that follow it, when the file has a tabel column
}

// importHistory is the history rows of one PNS in a file that carries them: they replace the
// master's, all or (bad: one was refused) none.
type importHistory struct {
	rows map[string][]Row
	bad  bool
}

// ImportCSV loads master data from a CSV file with a header row, one PNS per row (ImportColumns).
// The separator is ';' or ',', whichever the header uses. Values are checked and normalized as the
// form does (dates may be YYYY-MM-DD or DD-MM-YYYY; NPWP and phone numbers may carry separators);
// an empty cell empties the field.
//
// A NIP already in the master data gets a new version only when something changed. Fields whose
// column is not in the file are kept from the current master; so is the riwayat, unless the file
// has a tabel column (the records export): then the history rows under each PNS's row (historyRow)
// are that PNS's whole riwayat, so export → import → export gives the same file.
// Bad rows are reported (line, NIP, reason) and not written at all; the good rows are written in
// transactions of 5,000 through the bulk path (PutMasterBulk). A NIP appearing twice is refused on
// the later line. progress, when set, is called every 1,000 rows and once at the end.
//
// The returned error is for the file as a whole: unreadable, no header, an unknown column, a
// required column missing, or a failed write.
func (s *Store) ImportCSV(r io.Reader, by string, progress func(rows int)) (ImportReport, error) {
	var rep ImportReport
	cr, header, col, err := readImportHeader(r)
	if err != nil {
		return rep, err
	}
	im, err := s.newImporter(header, col, &rep)
	if err != nil {
		return rep, err
	}
	var pending []importRow
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		err := s.importChunk(pending, by, &rep)
		pending = pending[:0]
		return err
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rep.Rows++
			rep.Errors = append(rep.Errors, ImportRowError{Line: pe.StartLine, Message: "Baris CSV rusak (tanda petik tidak berpasangan?): " + pe.Err.Error()})
			continue
		}
		if err != nil {
			return rep, fmt.Errorf("impor: baca berkas: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if blankRecord(rec) {
			continue
		}
		rep.Rows++
		if progress != nil && rep.Rows%importProgress == 0 {
			progress(rep.Rows)
		}
		row, ok := im.row(rec, line)
		if !ok {
			continue
		}
		if len(pending) == importChunk { // flushed only here: the history rows that follow a PNS join it first
			if err := flush(); err != nil {
				return rep, err
			}
		}
		pending = append(pending, row)
	}
	if err := flush(); err != nil {
		return rep, err
	}
	if progress != nil && rep.Rows%importProgress != 0 {
		progress(rep.Rows)
	}
	slices.SortStableFunc(rep.Errors, func(a, b ImportRowError) int { return a.Line - b.Line })
	return rep, nil
}

// readImportHeader reads the header row: the separator (';' or ',', whichever it uses more), and
// each column's index by name. An empty file, an unnamed, unknown or repeated column, or a
// missing required one is refused (ErrInvalid). The reader continues with the data rows.
func readImportHeader(r io.Reader) (*csv.Reader, []string, map[string]int, error) {
	br := bufio.NewReader(r)
	head, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, nil, fmt.Errorf("impor: baca berkas: %w", err)
	}
	head = strings.TrimPrefix(head, "\uFEFF") // Excel's byte-order mark
	if strings.TrimSpace(head) == "" {
		return nil, nil, nil, fmt.Errorf("%w: berkas CSV kosong atau baris pertama bukan judul kolom", ErrInvalid)
	}
	comma := ','
	if strings.Count(head, ";") > strings.Count(head, ",") {
		comma = ';'
	}
	cr := csv.NewReader(io.MultiReader(strings.NewReader(head), br))
	cr.Comma = comma
	cr.FieldsPerRecord = -1 // counted per row by importer.row, with a message a person understands

	header, err := cr.Read()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%w: judul kolom tidak terbaca: %w", ErrInvalid, err)
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if name == "" {
			return nil, nil, nil, fmt.Errorf("%w: kolom ke-%d tidak berjudul", ErrInvalid, i+1)
		}
		if !importKnown(name) {
			return nil, nil, nil, fmt.Errorf("%w: kolom %q tidak dikenal; kolom yang dikenal: %s", ErrInvalid, strings.TrimSpace(h), strings.Join(ImportColumns, ", "))
		}
		if _, dup := col[name]; dup {
			return nil, nil, nil, fmt.Errorf("%w: kolom %q muncul dua kali", ErrInvalid, name)
		}
		col[name] = i
	}
	for _, req := range importRequired {
		if _, ok := col[req]; !ok {
			return nil, nil, nil, fmt.Errorf("%w: kolom wajib %q tidak ada", ErrInvalid, req)
		}
	}
	return cr, header, col, nil
}

// importer checks the data rows of one import against the header, the organisation and each other.
type importer struct {
	s        *Store
	header   []string
	col      map[string]int
	units    map[string]Unit
	instansi map[string]bool // known instansi ids, looked up once each
	today    time.Time
	seen     map[string]int // nip -> first line
	rep      *ImportReport
	last     importRow // the latest PNS row, whose history rows may follow
}

func (s *Store) newImporter(header []string, col map[string]int, rep *ImportReport) (*importer, error) {
	us, err := s.Units("")
	if err != nil {
		return nil, err
	}
	units := map[string]Unit{}
	for _, u := range us {
		units[u.ID] = u
	}
	return &importer{s: s, header: header, col: col, units: units, instansi: map[string]bool{}, today: s.now(),
		seen: map[string]int{}, rep: rep}, nil
}

func (im *importer) knownInstansi(id string) bool {
	if ok, seen := im.instansi[id]; seen {
		return ok
	}
	_, err := im.s.Instansi(id)
	im.instansi[id] = err == nil
	return err == nil
}

// row checks one data row (its line in the file) and returns it normalized; every problem is
// added to the report, and ok is false when there was one.
func (im *importer) row(rec []string, line int) (row importRow, ok bool) {
	cell := func(name string) string {
		if i, ok := im.col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	for i := range rec {
		rec[i] = CellUnsafe(rec[i]) // a cell the export neutralised reads as it was
	}
	rawNIP := strings.TrimSpace(cell("nip"))
	bad := false
	rowErr := func(field, format string, a ...any) {
		im.rep.Errors = append(im.rep.Errors, ImportRowError{Line: line, NIP: rawNIP, Field: field, Message: fmt.Sprintf(format, a...)})
		bad = true
	}
	if len(rec) != len(im.header) {
		rowErr("", "Baris ini berisi %d kolom, judul berisi %d.", len(rec), len(im.header))
		return row, false
	}
	nip := strings.TrimPrefix(stripSeparators(rawNIP, " .-"), "'")
	if _, ok := im.col[ColTabel]; ok && strings.TrimSpace(cell(ColTabel)) != "" {
		im.historyRow(nip, cell, rowErr)
		return row, false
	}
	im.last = importRow{}
	if strings.ContainsAny(rawNIP, "eE") && strings.Contains(rawNIP, "+") {
		rowErr("nip", "NIP terbaca sebagai angka (%s); simpan kolom NIP sebagai teks di lembar kerja.", rawNIP)
		return row, false
	}
	if _, err := ParseNIP(nip); err != nil {
		rowErr("nip", "%s", asFieldError("nip", err).Message)
		return row, false
	}
	if first, dup := im.seen[nip]; dup {
		rowErr("nip", "NIP ini sudah ada di baris %d.", first)
		return row, false
	}
	im.seen[nip] = line
	row = importRow{line: line, nip: nip, instansiID: strings.TrimSpace(cell("instansi_id")),
		unitID: strings.TrimSpace(cell("unit_id")), fields: map[string]string{}}
	im.checkPlace(row, rowErr)
	im.normalizeFields(rec, &row, rowErr)
	if _, ok := im.col[ColTabel]; ok && !bad {
		row.hist = &importHistory{rows: map[string][]Row{}}
	}
	im.last = row
	return row, !bad
}

// checkPlace checks the row's instansi and unit organisasi: both known, the unit in the instansi.
func (im *importer) checkPlace(row importRow, rowErr func(field, format string, a ...any)) {
	switch u, ok := im.units[row.unitID]; {
	case row.instansiID == "":
		rowErr("instansi_id", "Instansi wajib diisi.")
	case !im.knownInstansi(row.instansiID):
		rowErr("instansi_id", "Instansi %q tidak dikenal.", row.instansiID)
	case row.unitID == "":
		rowErr("unit_id", "Unit organisasi wajib diisi.")
	case !ok:
		rowErr("unit_id", "Unit organisasi %q tidak dikenal.", row.unitID)
	case u.InstansiID != row.instansiID:
		rowErr("unit_id", "Unit organisasi %q bukan bagian dari instansi %q.", row.unitID, row.instansiID)
	}
}

// normalizeFields checks each field column of the row as the form does; an empty cell empties the
// field, except the name, which is required.
func (im *importer) normalizeFields(rec []string, row *importRow, rowErr func(field, format string, a ...any)) {
	for _, name := range ImportColumns[3:] {
		if name == KeyNIP {
			continue
		}
		i, ok := im.col[name]
		if !ok {
			continue
		}
		f, _ := FieldByKey(name)
		raw := rec[i]
		if strings.TrimSpace(raw) == "" {
			if name == KeyNama {
				rowErr(name, "Nama wajib diisi.")
			}
			row.fields[name] = ""
			continue
		}
		v, err := f.Normalize(raw, im.today)
		if err != nil {
			rowErr(name, "%s", asFieldError(name, err).Message)
			continue
		}
		row.fields[name] = v
	}
}

func blankRecord(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// importChunk merges one chunk of rows into the current master records and writes them with
// PutMasterBulk (one transaction).
func (s *Store) importChunk(rows []importRow, by string, rep *ImportReport) error {
	existing := make([]*Record, len(rows))
	err := s.view(func(tx *bbolt.Tx) error {
		b := bk(tx, bRecords)
		for i, row := range rows {
			var rec Record
			switch err := getJSON(b, []byte(row.nip), &rec); {
			case err == nil:
				existing[i] = &rec
			case !errors.Is(err, ErrNotFound):
				return fmt.Errorf("data PNS %s: %w", row.nip, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	in := make([]MasterInput, 0, len(rows))
	byLine := map[int]string{}
	for i, row := range rows {
		rec := Record{Fields: map[string]string{}}
		if existing[i] != nil {
			rec = existing[i].clone() // keeps the riwayat and every field the file does not carry
			if rec.Fields == nil {
				rec.Fields = map[string]string{}
			}
		}
		if row.hist != nil && row.hist.bad {
			continue // a history row of this PNS was refused (and reported): none of it is written
		}
		if row.hist != nil {
			rec.Riwayat = nil
			if len(row.hist.rows) > 0 {
				rec.Riwayat = row.hist.rows
			}
		}
		rec.NIP, rec.InstansiID, rec.UnitID = row.nip, row.instansiID, row.unitID
		for k, v := range row.fields {
			if v == "" {
				delete(rec.Fields, k)
			} else {
				rec.Fields[k] = v
			}
		}
		in = append(in, MasterInput{Record: rec, Line: row.line})
		byLine[row.line] = row.nip
	}
	created, updated, bad, err := s.PutMasterBulk(in, nil, by, "impor")
	if err != nil {
		return fmt.Errorf("impor: simpan: %w", err)
	}
	rep.Created += created
	rep.Updated += updated
	rep.Unchanged += len(in) - created - updated - len(bad)
	for line, errs := range bad {
		for _, fe := range errs {
			rep.Errors = append(rep.Errors, ImportRowError{Line: line, NIP: byLine[line], Field: fe.Field, Message: fe.Message})
		}
	}
	return nil
}

// historyRow reads a history row of the records export (tabel names the table, baris the row's
// id) into the PNS row just above it. A refused row is reported and keeps the whole PNS out.
func (im *importer) historyRow(nip string, cell func(string) string, rowErr func(field, format string, a ...any)) {
	if im.last.nip != nip {
		rowErr(ColTabel, "Baris riwayat ini harus tepat di bawah baris data PNS-nya (NIP %s) atau baris riwayat lain PNS itu.", nip)
		return
	}
	if im.last.hist == nil {
		return // the PNS's own row was refused, and reported
	}
	h := im.last.hist
	fail := func(field, format string, a ...any) { rowErr(field, format, a...); h.bad = true }
	t, ok := TableByKey(strings.TrimSpace(cell(ColTabel)))
	if !ok {
		fail(ColTabel, "Tabel riwayat %q tidak dikenal.", cell(ColTabel))
		return
	}
	id := strings.TrimSpace(cell(ColBaris))
	if id == "" || slices.ContainsFunc(h.rows[t.Key], func(r Row) bool { return r.ID == id }) {
		fail(ColBaris, "ID baris riwayat %s kosong atau sudah dipakai baris lain.", t.Label)
		return
	}
	in := map[string]string{}
	for _, f := range t.Fields {
		in[f.Key] = cell(t.Key + "." + f.Key)
	}
	row, err := normalizeRow(t, in, im.today)
	if err != nil {
		fe := asFieldError("", err)
		fail(t.Key+"."+fe.Field, "%s: %s", t.Label, fe.Message)
		return
	}
	h.rows[t.Key] = append(h.rows[t.Key], Row{ID: id, Fields: row})
	sortRows(t.Key, h.rows[t.Key])
}
