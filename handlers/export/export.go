// Package export writes the store's exports (store.Export: a column definition and a stream of
// rows) as files: CSV, XLSX and JSON Lines, each from the same columns, each without holding the
// export in memory. The command `pupns export` and the page /admin/ekspor both write through it.
package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"pupns/store"
)

// Formats.
const (
	CSV   = "csv"
	XLSX  = "xlsx"
	JSONL = "jsonl"
)

// Formats lists the formats with their labels, for the form and the command's usage.
var Formats = store.CodeList{
	{Code: CSV, Label: "CSV (UTF-8, dipisah koma)"},
	{Code: XLSX, Label: "Excel (XLSX)"},
	{Code: JSONL, Label: "JSON Lines"},
}

// ContentType is the media type of a format, for a download.
func ContentType(format string) string {
	switch format {
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case JSONL:
		return "application/x-ndjson; charset=utf-8"
	}
	return "text/csv; charset=utf-8"
}

// Writer writes the rows of one export in one format; Close finishes the file (XLSX writes its
// archive there) and must be called once, after the last row.
type Writer interface {
	Row(cells []string) error
	Close() error
}

// NewWriter starts a file of the format on w with the columns' header.
func NewWriter(format string, w io.Writer, cols []store.ExportColumn) (Writer, error) {
	switch format {
	case CSV:
		return newCSV(w, cols)
	case XLSX:
		return newXLSX(w, cols)
	case JSONL:
		return &jsonlWriter{w: bufio.NewWriterSize(w, 64<<10), cols: cols}, nil
	}
	return nil, fmt.Errorf("%w: format %q tidak dikenal (pilih csv, xlsx atau jsonl)", store.ErrInvalid, format)
}

// Write runs an export of the actor's into w in the format and returns how many rows it wrote
// (the header aside).
func Write(st *store.Store, a store.Actor, req store.ExportRequest, format string, w io.Writer) (int, error) {
	cols, err := store.ExportColumns(req.Kind)
	if err != nil {
		return 0, err
	}
	if err := st.CheckExport(a, req); err != nil { // before a file is begun
		return 0, err
	}
	ew, err := NewWriter(format, w, cols)
	if err != nil {
		return 0, err
	}
	n := 0
	err = st.Export(a, req, func(row []string) error { n++; return ew.Row(row) })
	if cerr := ew.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// csvWriter writes UTF-8 CSV with a byte-order mark (spreadsheet programs then read names right)
// and a header row of the column keys; every cell goes through store.CellSafe.
type csvWriter struct {
	bw   *bufio.Writer
	w    *csv.Writer
	safe []string
}

func newCSV(w io.Writer, cols []store.ExportColumn) (*csvWriter, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return nil, err
	}
	cw := &csvWriter{bw: bw, w: csv.NewWriter(bw), safe: make([]string, len(cols))}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Key
	}
	return cw, cw.w.Write(header)
}

func (c *csvWriter) Row(cells []string) error {
	for i, v := range cells {
		c.safe[i] = store.CellSafe(v)
	}
	return c.w.Write(c.safe[:len(cells)])
}

func (c *csvWriter) Close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.bw.Flush()
}

// jsonlWriter writes one JSON object per line, its keys in column order, its values typed by
// the column (store.ExportColumn.Value); an empty cell's key is left out.
type jsonlWriter struct {
	w    *bufio.Writer
	cols []store.ExportColumn
	buf  []byte
}

func (j *jsonlWriter) Row(cells []string) error {
	b := append(j.buf[:0], '{')
	first := true
	for i, v := range cells {
		if v == "" {
			continue // an absent key is an empty cell: a records row fills few of its columns
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		k, _ := json.Marshal(j.cols[i].Key)
		val, err := json.Marshal(j.cols[i].Value(v))
		if err != nil {
			return err
		}
		b = append(append(append(b, k...), ':'), val...)
	}
	b = append(b, '}', '\n')
	j.buf = b
	_, err := j.w.Write(b)
	return err
}

func (j *jsonlWriter) Close() error { return j.w.Flush() }

// WriteFile writes the export to path whole or not at all: into a temporary file beside it first,
// renamed to path once complete, so a broken run (a full disk, a refused filter, a kill) never
// leaves a file that looks whole. It is what `pupns export --out` runs, in the command or in the
// server that holds the data folder.
func WriteFile(st *store.Store, a store.Actor, req store.ExportRequest, format, path string) (int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	n, err := Write(st, a, req, format, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, err
	}
	return n, os.Rename(tmp.Name(), path)
}
