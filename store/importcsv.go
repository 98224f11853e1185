package store

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.etcd.io/bbolt"
)

// ImportColumns are the columns ImportCSV knows, in the order a template file lists them: the NIP,
// the instansi and unit organisasi IDs, then every Data Utama field of the catalogue by its key.
// Columns may come in any order; nip, instansi_id, unit_id and nama are required.
var ImportColumns = func() []string {
	cols := []string{"nip", "instansi_id", "unit_id"}
	t, _ := TabByKey("utama")
	for _, f := range t.Fields {
		if f.Key != "nip" {
			cols = append(cols, f.Key)
		}
	}
	return cols
}()

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

const importChunk = 1000

type importRow struct {
	line       int
	nip        string
	instansiID string
	unitID     string
	fields     map[string]string // only the file's columns; "" clears the field
}

// ImportCSV loads master data from a CSV file with a header row, one PNS per row (ImportColumns).
// The separator is ';' or ',', whichever the header uses. Values are checked and normalized as the
// form does (dates may be YYYY-MM-DD or DD-MM-YYYY; NPWP and phone numbers may carry separators);
// an empty cell empties the field.
//
// A NIP already in the master data gets a new version only when something changed. Fields whose
// column is not in the file, other tabs' fields and the riwayat are kept from the current master.
// Bad rows are reported (line, NIP, reason) and not written at all; the good rows are written in
// transactions of 1,000. A NIP appearing twice is refused on the later line. progress, when set,
// is called every 1,000 rows and once at the end.
//
// The returned error is for the file as a whole: unreadable, no header, an unknown column, a
// required column missing, or a failed write.
func (s *Store) ImportCSV(r io.Reader, by string, progress func(rows int)) (ImportReport, error) {
	var rep ImportReport
	br := bufio.NewReader(r)
	head, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return rep, fmt.Errorf("impor: baca berkas: %w", err)
	}
	head = strings.TrimPrefix(head, "\uFEFF") // Excel's byte-order mark
	if strings.TrimSpace(head) == "" {
		return rep, fmt.Errorf("%w: berkas CSV kosong atau baris pertama bukan judul kolom", ErrInvalid)
	}
	comma := ','
	if strings.Count(head, ";") > strings.Count(head, ",") {
		comma = ';'
	}
	cr := csv.NewReader(io.MultiReader(strings.NewReader(head), br))
	cr.Comma = comma
	cr.FieldsPerRecord = -1 // counted per row below, with a message a person understands

	header, err := cr.Read()
	if err != nil {
		return rep, fmt.Errorf("%w: judul kolom tidak terbaca: %v", ErrInvalid, err)
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if name == "" {
			return rep, fmt.Errorf("%w: kolom ke-%d tidak berjudul", ErrInvalid, i+1)
		}
		if !slices.Contains(ImportColumns, name) {
			return rep, fmt.Errorf("%w: kolom %q tidak dikenal; kolom yang dikenal: %s", ErrInvalid, strings.TrimSpace(h), strings.Join(ImportColumns, ", "))
		}
		if _, dup := col[name]; dup {
			return rep, fmt.Errorf("%w: kolom %q muncul dua kali", ErrInvalid, name)
		}
		col[name] = i
	}
	for _, req := range importRequired {
		if _, ok := col[req]; !ok {
			return rep, fmt.Errorf("%w: kolom wajib %q tidak ada", ErrInvalid, req)
		}
	}

	units := map[string]Unit{}
	us, err := s.Units("")
	if err != nil {
		return rep, err
	}
	for _, u := range us {
		units[u.ID] = u
	}
	instansi := map[string]bool{}
	knownInstansi := func(id string) bool {
		if ok, seen := instansi[id]; seen {
			return ok
		}
		_, err := s.Instansi(id)
		instansi[id] = err == nil
		return err == nil
	}

	today := s.now()
	seen := map[string]int{} // nip -> first line
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
		if progress != nil && rep.Rows%importChunk == 0 {
			progress(rep.Rows)
		}
		cell := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		rawNIP := strings.TrimSpace(cell("nip"))
		rowErr := func(field, format string, a ...any) {
			rep.Errors = append(rep.Errors, ImportRowError{Line: line, NIP: rawNIP, Field: field, Message: fmt.Sprintf(format, a...)})
		}
		if len(rec) != len(header) {
			rowErr("", "Baris ini berisi %d kolom, judul berisi %d.", len(rec), len(header))
			continue
		}
		nip := strings.TrimPrefix(stripSeparators(rawNIP, " .-"), "'")
		if strings.ContainsAny(rawNIP, "eE") && strings.Contains(rawNIP, "+") {
			rowErr("nip", "NIP terbaca sebagai angka (%s); simpan kolom NIP sebagai teks di lembar kerja.", rawNIP)
			continue
		}
		if _, err := ParseNIP(nip); err != nil {
			rowErr("nip", "%s", asFieldError("nip", err).Message)
			continue
		}
		if first, dup := seen[nip]; dup {
			rowErr("nip", "NIP ini sudah ada di baris %d.", first)
			continue
		}
		seen[nip] = line
		bad := false
		row := importRow{line: line, nip: nip, instansiID: strings.TrimSpace(cell("instansi_id")),
			unitID: strings.TrimSpace(cell("unit_id")), fields: map[string]string{}}
		switch u, ok := units[row.unitID]; {
		case row.instansiID == "":
			rowErr("instansi_id", "Instansi wajib diisi.")
			bad = true
		case !knownInstansi(row.instansiID):
			rowErr("instansi_id", "Instansi %q tidak dikenal.", row.instansiID)
			bad = true
		case row.unitID == "":
			rowErr("unit_id", "Unit organisasi wajib diisi.")
			bad = true
		case !ok:
			rowErr("unit_id", "Unit organisasi %q tidak dikenal.", row.unitID)
			bad = true
		case u.InstansiID != row.instansiID:
			rowErr("unit_id", "Unit organisasi %q bukan bagian dari instansi %q.", row.unitID, row.instansiID)
			bad = true
		}
		for _, name := range ImportColumns[3:] {
			i, ok := col[name]
			if !ok {
				continue
			}
			f, _ := FieldByKey(name)
			raw := rec[i]
			if strings.TrimSpace(raw) == "" {
				if name == "nama" {
					rowErr(name, "Nama wajib diisi.")
					bad = true
				}
				row.fields[name] = ""
				continue
			}
			v, err := f.Normalize(raw, today)
			if err != nil {
				rowErr(name, "%s", asFieldError(name, err).Message)
				bad = true
				continue
			}
			row.fields[name] = v
		}
		if bad {
			continue
		}
		pending = append(pending, row)
		if len(pending) == importChunk {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	if err := flush(); err != nil {
		return rep, err
	}
	if progress != nil && rep.Rows%importChunk != 0 {
		progress(rep.Rows)
	}
	slices.SortStableFunc(rep.Errors, func(a, b ImportRowError) int { return a.Line - b.Line })
	return rep, nil
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
// PutMaster (one transaction).
func (s *Store) importChunk(rows []importRow, by string, rep *ImportReport) error {
	existing := make([]*Record, len(rows))
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bRecords)
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
	in := make([]MasterInput, len(rows))
	byLine := map[int]string{}
	for i, row := range rows {
		rec := Record{Fields: map[string]string{}}
		if existing[i] != nil {
			rec = existing[i].clone() // keeps the riwayat and every field the file does not carry
			if rec.Fields == nil {
				rec.Fields = map[string]string{}
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
		in[i] = MasterInput{Record: rec, Line: row.line}
		byLine[row.line] = row.nip
	}
	created, updated, bad, err := s.PutMaster(in, by, "impor")
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
