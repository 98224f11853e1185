package export

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"unsafe"

	"github.com/xuri/excelize/v2"

	"pupns/store"
)

// xlsxWriter writes a workbook with excelize's StreamWriter: rows go to the sheet's stream (kept
// in memory up to 16 MB, then in a temporary file), and the archive is written straight onto the
// destination at Close, never built in memory. A sheet holds at most excelize.TotalRows rows; the
// rows beyond go on to the next sheet (Data, Data 2, …), each with the header.
type xlsxWriter struct {
	f      *excelize.File
	sw     *excelize.StreamWriter
	cols   []store.ExportColumn
	sheets int
	row    int
	vals   []any
}

func newXLSX(w io.Writer, cols []store.ExportColumn) (*xlsxWriter, error) {
	x := &xlsxWriter{f: excelize.NewFile(), cols: cols, vals: make([]any, len(cols))}
	x.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	if err := x.nextSheet(); err != nil {
		x.f.Close()
		return nil, err
	}
	return x, nil
}

// nextSheet flushes the sheet being written and begins the next with the header row.
func (x *xlsxWriter) nextSheet() error {
	if x.sw != nil {
		if err := x.sw.Flush(); err != nil {
			return err
		}
		if releaseChunk(x.sw) {
			runtime.GC() // return the old sheet's array before the next sheet's is made
		}
	}
	x.sheets++
	name := "Data"
	if x.sheets == 1 {
		if err := x.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else {
		name = fmt.Sprintf("Data %d", x.sheets)
		if _, err := x.f.NewSheet(name); err != nil {
			return err
		}
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	sizeChunk(sw)
	x.sw, x.row = sw, 0
	for i, c := range x.cols {
		x.vals[i] = c.Key
	}
	return x.put()
}

// put writes x.vals as the sheet's next row.
func (x *xlsxWriter) put() error {
	x.row++
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, x.vals)
}

func (x *xlsxWriter) Row(cells []string) error {
	if x.row == excelize.TotalRows {
		if err := x.nextSheet(); err != nil {
			return err
		}
	}
	for i, v := range cells {
		switch n, isInt := x.cols[i].Value(v).(int64); {
		case v == "":
			x.vals[i] = nil // no cell at all: a records row fills few of its columns
		case isInt:
			x.vals[i] = n
		default:
			x.vals[i] = v
		}
	}
	if x.row%xlsxCollectEvery == 0 {
		runtime.GC()
	}
	return x.put()
}

// excelize's StreamWriter keeps each sheet's XML in a bytes.Buffer and moves it to the sheet's
// temporary file whenever it passes 16 MiB (excelize.StreamChunkSize). Left to itself the buffer
// doubles its way to a 32 MiB array, and keeps it: Flush empties the buffer but not the array, and
// every sheet's StreamWriter lives until the workbook is written. An export of a large office (1.33
// million rows at 100,000 PNS: two sheets) would hold 64 MiB for it. sizeChunk gives a new sheet's
// buffer its final size at once (the chunk plus room for the row that passes it, so it never grows
// and never copies), and releaseChunk lets go of it once the sheet is flushed to its file: an XLSX
// export then holds one 17 MiB array whatever its size. excelize has no API for either, so both
// reach the unexported field (rawData.buf) by reflection, guarded; TestReleaseChunk fails if an
// excelize upgrade moves the field, so the saving is never lost silently.
func chunkBuffer(sw *excelize.StreamWriter) (buf *bytes.Buffer, onDisk bool) {
	raw := reflect.ValueOf(sw).Elem().FieldByName("rawData")
	if !raw.IsValid() || raw.Kind() != reflect.Struct {
		return nil, false
	}
	tmp, b := raw.FieldByName("tmp"), raw.FieldByName("buf")
	if !tmp.IsValid() || tmp.Kind() != reflect.Pointer || !b.IsValid() || b.Type() != reflect.TypeFor[bytes.Buffer]() {
		return nil, false
	}
	return (*bytes.Buffer)(unsafe.Pointer(b.UnsafeAddr())), !tmp.IsNil()
}

// chunkRoom is what sizeChunk leaves above the chunk: more than one row's XML can be.
const chunkRoom = 1 << 20

// sizeChunk gives a new sheet's buffer the capacity of a chunk plus chunkRoom, keeping what it holds.
func sizeChunk(sw *excelize.StreamWriter) bool {
	b, _ := chunkBuffer(sw)
	if b == nil {
		return false
	}
	sized := bytes.NewBuffer(make([]byte, 0, excelize.StreamChunkSize+chunkRoom))
	sized.Write(b.Bytes())
	*b = *sized
	return true
}

// releaseChunk drops a flushed sheet's buffer when its rows are all in the temporary file; a small
// sheet, whose rows are only in the buffer, is left alone. It reports whether it released anything.
func releaseChunk(sw *excelize.StreamWriter) bool {
	b, onDisk := chunkBuffer(sw)
	if b == nil || !onDisk || b.Len() != 0 {
		return false
	}
	*b = bytes.Buffer{}
	return true
}

// xlsxCollectEvery is how many rows the XLSX writer writes between two collections it asks for.
// excelize allocates some kilobytes per row, and the collector's headroom the server runs with
// (GOGC=400, handlers/runtime.go) would let that garbage grow the heap to five times what is live,
// some hundreds of megabytes for a large office; collecting every two thousand rows keeps an
// XLSX export near its live memory (about 19 MiB: excelize's chunk, sized once by sizeChunk) at a
// few per cent of its time (each collection finds little to mark: the chunk holds no pointers).
const xlsxCollectEvery = 2048

func (x *xlsxWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	return x.f.Write(io.Discard) // the archive goes to x.out through the zip writer set in newXLSX
}
