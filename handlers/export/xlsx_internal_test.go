package export

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/xuri/excelize/v2"
)

// TestReleaseChunk: a sized chunk never grows (one array for all of a sheet); a sheet larger than excelize's 16 MiB chunk has its rows in a temporary file
// once flushed, and releaseChunk lets go of the chunk's array without losing a row; a small sheet,
// whose rows are only in that buffer, is left alone. The test fails if an excelize upgrade moves
// the field releaseChunk reaches, so an XLSX export of a large office never silently goes back to
// holding one 32 MiB array per sheet.
func TestReleaseChunk(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	big, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if !sizeChunk(big) {
		t.Fatal("sizeChunk found no buffer: has excelize's StreamWriter changed?")
	}
	chunk, _ := chunkBuffer(big)
	arrays := map[*byte]bool{}
	wide := strings.Repeat("x", 2000)
	const rows = 9000 // about 18 MiB of XML: past the chunk, so the rows go to a temporary file
	for r := 1; r <= rows; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := big.SetRow(cell, []any{r, wide}); err != nil {
			t.Fatal(err)
		}
		arrays[unsafe.SliceData(chunk.Bytes()[:1])] = true
	}
	if len(arrays) != 1 || chunk.Cap() != excelize.StreamChunkSize+chunkRoom {
		t.Fatalf("the sized chunk grew: %d arrays, capacity %d", len(arrays), chunk.Cap())
	}
	if err := big.Flush(); err != nil {
		t.Fatal(err)
	}
	if !releaseChunk(big) {
		t.Fatal("releaseChunk found nothing to release in a sheet past 16 MiB: has excelize's StreamWriter changed?")
	}

	if _, err := f.NewSheet("Kecil"); err != nil {
		t.Fatal(err)
	}
	small, err := f.NewStreamWriter("Kecil")
	if err != nil {
		t.Fatal(err)
	}
	if err := small.SetRow("A1", []any{"satu", "dua"}); err != nil {
		t.Fatal(err)
	}
	if err := small.Flush(); err != nil {
		t.Fatal(err)
	}
	if releaseChunk(small) {
		t.Fatal("releaseChunk released the only copy of a small sheet's rows")
	}

	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		t.Fatal(err)
	}
	back, err := excelize.OpenReader(&out)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	got, err := back.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != rows || got[rows-1][0] != fmt.Sprint(rows) || got[rows/2][1] != wide {
		t.Fatalf("the big sheet came back with %d rows, want %d intact", len(got), rows)
	}
	if v, _ := back.GetCellValue("Kecil", "B1"); v != "dua" {
		t.Fatalf("the small sheet's B1 = %q, want dua", v)
	}
}
