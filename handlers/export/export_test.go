package export_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"pupns/handlers/export"
	"pupns/store"
	"pupns/store/storetest"
)

var admin = store.Actor{Login: "admin", Role: store.RoleAdmin}

// hostile is a record whose free-text fields a spreadsheet would read as formulas.
var hostile = map[string]string{
	"bidang_keahlian": `=HYPERLINK("http://contoh.test","klik")`,
	"potensi":         "-2+3",
	"lokasi_kerja":    "@SUM(A1)",
	"bahasa_asing":    "+62 Inggris",
}

// office is the seeded office with Budi's free-text fields made hostile.
func office(t *testing.T) *store.Store {
	t.Helper()
	o := storetest.NewOffice(t)
	rec, err := o.Store.Record(storetest.NIPBudi)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hostile {
		rec.Fields[k] = v
	}
	if _, _, bad, err := o.Store.PutMaster([]store.MasterInput{{Record: rec}}, "test", "uji"); err != nil || len(bad) > 0 {
		t.Fatalf("put: %v %v", err, bad)
	}
	return o.Store
}

func write(t *testing.T, st *store.Store, kind store.ExportKind, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := export.Write(st, admin, store.ExportRequest{Kind: kind}, format, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// budiRow finds Budi's main row among rows whose first is the header.
func budiRow(t *testing.T, rows [][]string) map[string]string {
	t.Helper()
	for _, r := range rows[1:] {
		if r[0] == storetest.NIPBudi && r[1] == "" {
			m := map[string]string{}
			for i, k := range rows[0] {
				if i < len(r) {
					m[k] = r[i]
				}
			}
			return m
		}
	}
	t.Fatal("no row of Budi")
	return nil
}

// TestCSVNeutralisesFormulas: a UTF-8 CSV with a byte-order mark and the column keys as header;
// every cell a spreadsheet would read as a formula starts with an apostrophe.
func TestCSVNeutralisesFormulas(t *testing.T) {
	st := office(t)
	b := write(t, st, store.ExportRecords, export.CSV)
	if !bytes.HasPrefix(b, []byte("\ufeffnip,tabel,baris,")) {
		t.Fatalf("start %q", b[:40])
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := store.ExportColumns(store.ExportRecords)
	if len(rows[0]) != len(cols) {
		t.Fatalf("header %d columns, want %d", len(rows[0]), len(cols))
	}
	budi := budiRow(t, rows)
	for k, v := range hostile {
		if budi[k] != "'"+v {
			t.Errorf("%s = %q, want %q", k, budi[k], "'"+v)
		}
		if store.CellUnsafe(budi[k]) != v {
			t.Errorf("CellUnsafe(%q) != %q", budi[k], v)
		}
	}
	if budi["nama"] != "Budi Santoso" || budi["agama_label"] != "Islam" {
		t.Errorf("plain cells changed: %q %q", budi["nama"], budi["agama_label"])
	}
}

// TestXLSXStreamsTheSameCells: the workbook holds the header and the same rows as the CSV, each
// value a plain string cell (a formula-like value is text, never a formula).
func TestXLSXStreamsTheSameCells(t *testing.T) {
	st := office(t)
	b := write(t, st, store.ExportRecords, export.XLSX)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Data")
	if err != nil {
		t.Fatal(err)
	}
	csvRows, _ := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(write(t, st, store.ExportRecords, export.CSV), []byte("\ufeff")))).ReadAll()
	if len(rows) != len(csvRows) || !equal(rows[0], csvRows[0]) {
		t.Fatalf("xlsx %d rows, csv %d", len(rows), len(csvRows))
	}
	budi := budiRow(t, rows)
	for k, v := range hostile {
		if budi[k] != v {
			t.Errorf("%s = %q, want %q", k, budi[k], v)
		}
	}
	for i, k := range rows[0] {
		if k == "bidang_keahlian" {
			cell, _ := excelize.CoordinatesToCellName(i+1, 2)
			if formula, _ := f.GetCellFormula("Data", cell); formula != "" {
				t.Errorf("cell %s holds formula %q", cell, formula)
			}
		}
	}
}

func equal(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

// TestJSONLinesTyped: one object per line, keys in column order, values typed by the column.
func TestJSONLinesTyped(t *testing.T) {
	st := office(t)
	b := write(t, st, store.ExportNonCompliance, export.JSONL)
	sc := bufio.NewScanner(bytes.NewReader(b))
	n := 0
	for sc.Scan() {
		n++
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		if _, ok := m["tms"].(float64); !ok {
			t.Errorf("tms is %T, want a number", m["tms"])
		}
		if !strings.HasPrefix(sc.Text(), `{"nip":"`) {
			t.Errorf("keys out of order: %s", sc.Text())
		}
	}
	if n == 0 {
		t.Fatal("no lines")
	}
	b = write(t, st, store.ExportRecords, export.JSONL)
	if !bytes.Contains(b, []byte(`"bidang_keahlian":"=HYPERLINK(`)) || !bytes.Contains(b, []byte(`"tanggal_lahir":"1986-09-26"`)) {
		t.Errorf("values not kept as they are: %.300s", b)
	}
}

// TestRefusedBeforeWriting: an unknown format, a filter the store refuses and an actor who may not
// export are refused before a byte is written.
func TestRefusedBeforeWriting(t *testing.T) {
	st := office(t)
	for name, c := range map[string]struct {
		a      store.Actor
		req    store.ExportRequest
		format string
	}{
		"format": {admin, store.ExportRequest{Kind: store.ExportRecords}, "pdf"},
		"state":  {admin, store.ExportRequest{Kind: store.ExportRecords, Filter: store.ExportFilter{State: "entah"}}, export.CSV},
		"actor":  {store.Actor{Login: "v1", Role: store.RoleV1, ScopeID: "U01"}, store.ExportRequest{Kind: store.ExportRecords}, export.CSV},
	} {
		var buf bytes.Buffer
		if _, err := export.Write(st, c.a, c.req, c.format, &buf); err == nil || buf.Len() > 0 {
			t.Errorf("%s: err %v, %d bytes", name, err, buf.Len())
		}
	}
}
