package export

import (
	"archive/zip"
	"fmt"
	"io"
	"runtime"

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

// xlsxCollectEvery is how many rows the XLSX writer writes between two collections it asks for.
// excelize allocates some kilobytes per row, and the collector's headroom the server runs with
// (GOGC=400, handlers/runtime.go) would let that garbage grow the heap to five times what is live,
// some hundreds of megabytes for a large office; collecting every few thousand rows keeps an
// XLSX export near its live memory (excelize's 16 MiB chunk) at a few per cent of its time.
const xlsxCollectEvery = 4096

func (x *xlsxWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	return x.f.Write(io.Discard) // the archive goes to x.out through the zip writer set in newXLSX
}
