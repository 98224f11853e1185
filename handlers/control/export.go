package control

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"pupns/handlers/export"
	"pupns/store"
)

// ExportArgs are the arguments of an export, by the name of the command's flag: kind, format,
// instansi, unit, from, to, state, and file (the destination, an absolute path).
type ExportArgs = map[string]string

// ParseExport reads an export's arguments into the store's request and the format, refusing what
// it does not know with a sentence naming the flag. The command line and the server's control
// socket read them the same way.
func ParseExport(args ExportArgs) (store.ExportRequest, string, error) {
	var req store.ExportRequest
	kind := args["kind"]
	if kind == "" {
		return req, "", errors.New("sebutkan --kind: records, changes atau noncompliance")
	}
	if !store.ExportKinds.Has(kind) {
		return req, "", fmt.Errorf("--kind: jenis ekspor %q tidak dikenal: pilih records, changes atau noncompliance", kind)
	}
	format := args["format"]
	if format == "" {
		format = export.CSV
	}
	if !export.Formats.Has(format) {
		return req, "", fmt.Errorf("format %q tidak dikenal: pilih csv, xlsx atau jsonl", format)
	}
	req.Kind = store.ExportKind(kind)
	req.Filter = store.ExportFilter{InstansiID: args["instansi"], UnitID: args["unit"], State: args["state"]}
	for _, d := range []struct {
		flag string
		t    *time.Time
	}{{"from", &req.Filter.From}, {"to", &req.Filter.To}} {
		flag, t := d.flag, d.t
		if v := args[flag]; v != "" {
			d, err := time.ParseInLocation(time.DateOnly, v, time.Local)
			if err != nil {
				return req, "", fmt.Errorf("--%s: tanggal %q tidak terbaca: tulis YYYY-MM-DD", flag, v)
			}
			*t = d
		}
	}
	return req, format, nil
}

// ExportError turns a filter the store refused into a sentence about the flag it concerns.
func ExportError(err error) error {
	var fe *store.FieldError
	if errors.As(err, &fe) {
		flagOf := map[string]string{"kind": "--kind", "instansi": "--instansi", "unit": "--unit", "sampai": "--to", "status": "--state"}
		return fmt.Errorf("%s: %s", flagOf[fe.Field], fe.Message)
	}
	return err
}

// RunExport writes an export of the open store, as the office's admin, to the file named by the
// "file" argument (an absolute path: the server's working folder is not the caller's), whole or
// not at all: `pupns export --out` run by the command itself or by the server that holds the data
// folder, which keeps serving meanwhile (the export reads in short transactions).
func RunExport(st *store.Store, req Request, out io.Writer) error {
	file := req.Args["file"]
	if !filepath.IsAbs(file) {
		return fmt.Errorf("berkas ekspor %q: sebutkan jalur lengkap", file)
	}
	er, format, err := ParseExport(req.Args)
	if err != nil {
		return err
	}
	n, err := export.WriteFile(st, store.SystemActor, er, format, file)
	if err != nil {
		return ExportError(err)
	}
	fmt.Fprintf(out, "%d baris diekspor ke %s.\n", n, file)
	return nil
}
