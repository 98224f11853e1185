package demo

import (
	"bytes"
	"encoding/csv"
	"os"
	"strconv"
	"testing"
	"time"

	"pupns/store"
)

// TestImportBig times the first SAPK import of a large office through `pupns import`'s path
// (ImportCSV, written by PutMasterBulk in transactions of 5,000 with an fsync each), against the
// demo build of the same PNS in the same run: PUPNS_BIG_IMPORT=20000 go test ./store/demo/ -run
// ImportBig -v. The CSV is the records export of the demo (every tab and history row), imported
// into a fresh file that holds only the organisation.
func TestImportBig(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("PUPNS_BIG_IMPORT"))
	if n <= 0 {
		t.Skip("set PUPNS_BIG_IMPORT=N to time an import of N PNS")
	}
	src, err := store.Open(t.TempDir(), store.Options{BulkBuild: true})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	res, err := Generate(src, Options{PNS: n})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cols, _ := store.ExportColumns(store.ExportRecords)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.Key
	}
	cw.Write(head)
	admin := store.Actor{Login: "admin", Role: store.RoleAdmin}
	if err := src.Export(admin, store.ExportRequest{Kind: store.ExportRecords}, func(row []string) error { return cw.Write(row) }); err != nil {
		t.Fatal(err)
	}
	cw.Flush()

	dst, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if _, err := newGen(1, dst.Now()).writeOrg(dst); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rep, err := dst.ImportCSV(bytes.NewReader(buf.Bytes()), "import:sapk.csv", nil)
	took := time.Since(start)
	if err != nil || rep.Created != n || len(rep.Errors) > 0 {
		t.Fatalf("import: %v, %d created of %d, errors %v", err, rep.Created, n, rep.Errors[:min(3, len(rep.Errors))])
	}
	fi, _ := os.Stat(dst.DB().Path())
	t.Logf("FIGURE import pns=%d csv_mb=%d took=%s per_pns=%s file_mb=%d; demo build of the same %s (%.2f× the import's time)",
		n, buf.Len()>>20, took.Round(time.Millisecond), (took / time.Duration(n)).Round(time.Microsecond), fi.Size()>>20,
		res.Elapsed.Round(time.Millisecond), res.Elapsed.Seconds()/took.Seconds())
}
