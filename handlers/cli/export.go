package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"pupns/handlers/export"
	"pupns/store"
)

const exportUsage = `pupns export: ekspor data kantor untuk basis data nasional (SAPK/SIASN) dan laporan.

Pemakaian:
  pupns export [--data DIR] --kind records|changes|noncompliance [--format csv|xlsx|jsonl]
               [--instansi ID] [--unit ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--state S]
               [--out FILE]

Jenis (--kind):
  records        data PNS saat ini: semua tab dan tabel riwayat
  changes        daftar perubahan yang diterapkan (usulan selesai)
  noncompliance  daftar ketidakpatuhan
Tanpa --out hasilnya ditulis ke keluaran standar. Kolom tiap jenis: README › Ekspor.

`

// Export writes an export of the data folder (store.Export through handlers/export) to a file
// or stdout, as the office's admin (store.SystemActor). A file is written beside its name first
// and renamed when complete, so a broken run never leaves a file that looks whole. While a server
// holds the data folder the store cannot be opened: the error says so, and where the server's
// page for exports is.
func Export(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	data := fs.String("data", Env("PUPNS_DATA", "./data"), "folder data [PUPNS_DATA]")
	kind := fs.String("kind", "", "jenis ekspor: records, changes atau noncompliance")
	format := fs.String("format", export.CSV, "format: csv, xlsx atau jsonl")
	var f store.ExportFilter
	fs.StringVar(&f.InstansiID, "instansi", "", "hanya instansi dengan id ini")
	fs.StringVar(&f.UnitID, "unit", "", "hanya unit organisasi dengan id ini (dan unit di bawahnya)")
	fs.Func("from", "sejak tanggal (YYYY-MM-DD): perubahan terakhir data, selesainya usulan", dateFlag(&f.From))
	fs.Func("to", "sampai tanggal (YYYY-MM-DD), termasuk", dateFlag(&f.To))
	fs.StringVar(&f.State, "state", "", "status usulan terakhir (records: "+codes(store.ExportStates)+"); kategori (noncompliance: "+codes(store.NonComplianceKinds)+")")
	outFile := fs.String("out", "", "berkas tujuan (tanpa ini: keluaran standar)")
	fs.Usage = func() { fmt.Fprint(fs.Output(), exportUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("argumen tidak dikenal: %q (berkas tujuan diberikan dengan --out)", fs.Arg(0))
	}
	if *kind == "" {
		fs.Usage()
		return errors.New("sebutkan --kind: records, changes atau noncompliance")
	}
	if !store.ExportKinds.Has(*kind) {
		return fmt.Errorf("--kind: jenis ekspor %q tidak dikenal: pilih records, changes atau noncompliance", *kind)
	}
	if !export.Formats.Has(*format) {
		return fmt.Errorf("format %q tidak dikenal: pilih csv, xlsx atau jsonl", *format)
	}
	if _, err := os.Stat(filepath.Join(*data, "pupns.db")); err != nil {
		return fmt.Errorf("folder data %s belum berisi data kantor (tidak ada pupns.db): periksa --data", *data)
	}
	st, err := OpenStore(*data, store.Options{})
	if err != nil {
		var inUse inUseError
		if errors.As(err, &inUse) {
			return exportInUse(inUse)
		}
		return err
	}
	defer st.Close()
	req := store.ExportRequest{Kind: store.ExportKind(*kind), Filter: f, Progress: func(done, total int) {
		if done == total || done%(50*256) == 0 {
			fmt.Fprintf(os.Stderr, "  %d dari %d dibaca…\n", done, total)
		}
	}}
	return writeExport(st, req, *format, *outFile, out)
}

// writeExport writes the export to path (through a temporary file beside it), or to out when
// path is empty, and says on stderr how many rows it wrote.
func writeExport(st *store.Store, req store.ExportRequest, format, path string, out io.Writer) error {
	if path == "" {
		n, err := export.Write(st, store.SystemActor, req, format, out)
		if err != nil {
			return exportError(err)
		}
		fmt.Fprintf(os.Stderr, "%d baris diekspor.\n", n)
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	n, err := export.Write(st, store.SystemActor, req, format, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return exportError(err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d baris diekspor ke %s.\n", n, path)
	return nil
}

// exportError turns a filter the store refused into a sentence about the flag it concerns.
func exportError(err error) error {
	var fe *store.FieldError
	if errors.As(err, &fe) {
		flagOf := map[string]string{"kind": "--kind", "instansi": "--instansi", "unit": "--unit", "sampai": "--to", "status": "--state"}
		return fmt.Errorf("%s: %s", flagOf[fe.Field], fe.Message)
	}
	return err
}

// exportInUse says that a server (or another command) holds the data folder: an export needs the
// folder to itself; the server's own page exports while it keeps serving.
func exportInUse(e inUseError) error {
	if e.url != "" {
		return fmt.Errorf("berkas data di folder %s sedang dipakai server yang melayani %s, jadi baris perintah tidak dapat membukanya. "+
			"Ekspor lewat halaman %s/admin/ekspor (server tetap melayani selama ekspor), atau hentikan server dulu", e.dir, e.url, e.url)
	}
	return e
}

// dateFlag parses a YYYY-MM-DD flag into t.
func dateFlag(t *time.Time) func(string) error {
	return func(v string) error {
		d, err := time.ParseInLocation(time.DateOnly, v, time.Local)
		if err != nil {
			return fmt.Errorf("tanggal %q tidak terbaca: tulis YYYY-MM-DD", v)
		}
		*t = d
		return nil
	}
}

// codes lists a code list's codes for a usage line.
func codes(l store.CodeList) string {
	out := make([]string, len(l))
	for i, c := range l {
		out[i] = c.Code
	}
	return strings.Join(out, ", ")
}
