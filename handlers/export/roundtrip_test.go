package export_test

import (
	"bytes"
	"strings"
	"testing"

	"pupns/handlers/export"
	"pupns/store"
	"pupns/store/demo"
	"pupns/store/storetest"
)

// TestRecordsRoundTrip: the records export of a demo office (every tab, every history table, a
// formula-like value), imported into an empty office with the same organisation, exports again
// to the identical file.
func TestRecordsRoundTrip(t *testing.T) {
	a := storetest.Open(t, t.TempDir(), storetest.NewClock(storetest.Start, 0))
	if _, err := demo.Generate(a, demo.Options{PNS: 300}); err != nil {
		t.Fatal(err)
	}
	withHostile(t, a)
	first := csvOf(t, a)
	if n := bytes.Count(first, []byte("\n")); n < 600 {
		t.Fatalf("the demo export has only %d lines: too few history rows to prove anything", n)
	}
	for _, table := range store.Tables {
		if !bytes.Contains(first, []byte(","+table.Key+",")) {
			t.Errorf("no %s rows in the demo export", table.Key)
		}
	}

	b := storetest.Open(t, t.TempDir(), storetest.NewClock(storetest.Start, 0))
	copyOrg(t, a, b)
	rep, err := b.ImportCSV(bytes.NewReader(first), "uji", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) > 0 {
		t.Fatalf("import refused %d rows, first: %v", len(rep.Errors), rep.Errors[0])
	}
	if rep.Created != 300 {
		t.Errorf("created %d, want 300", rep.Created)
	}
	if second := csvOf(t, b); !bytes.Equal(first, second) {
		t.Fatalf("the second export differs:\n%s", firstDiff(first, second))
	}

	// Importing the same file again changes nothing.
	rep, err = b.ImportCSV(bytes.NewReader(first), "uji", nil)
	if err != nil || rep.Unchanged != 300 || rep.Updated != 0 {
		t.Errorf("second import: %+v %v", rep, err)
	}
}

func withHostile(t *testing.T, st *store.Store) {
	t.Helper()
	ids := firstRecord(t, st)
	rec, err := st.Record(ids)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hostile {
		rec.Fields[k] = v
	}
	if _, _, bad, err := st.PutMaster([]store.MasterInput{{Record: rec}}, "test", "uji"); err != nil || len(bad) > 0 {
		t.Fatalf("put: %v %v", err, bad)
	}
}

// firstRecord is the NIP of the first record the export lists.
func firstRecord(t *testing.T, st *store.Store) string {
	t.Helper()
	nip := ""
	err := st.Export(admin, store.ExportRequest{Kind: store.ExportRecords}, func(row []string) error {
		if nip == "" {
			nip = row[0]
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return nip
}

func csvOf(t *testing.T, st *store.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := export.Write(st, admin, store.ExportRequest{Kind: store.ExportRecords}, export.CSV, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// copyOrg puts a's instansi and units into b.
func copyOrg(t *testing.T, a, b *store.Store) {
	t.Helper()
	units, err := a.Units("")
	if err != nil {
		t.Fatal(err)
	}
	done := map[string]bool{}
	for _, u := range units {
		if !done[u.InstansiID] {
			in, err := a.Instansi(u.InstansiID)
			if err != nil {
				t.Fatal(err)
			}
			if err := b.PutInstansi(in); err != nil {
				t.Fatal(err)
			}
			done[u.InstansiID] = true
		}
	}
	for len(units) > 0 { // parents first
		var later []store.Unit
		for _, u := range units {
			if err := b.PutUnit(u); err != nil {
				later = append(later, u)
			}
		}
		if len(later) == len(units) {
			t.Fatalf("units refused: %v", later[0])
		}
		units = later
	}
}

func firstDiff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return "line " + strings.Repeat(" ", 0) + la[i] + "\n  vs\n" + lb[i]
		}
	}
	return "lengths differ"
}
