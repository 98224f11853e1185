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

	"pupns/handlers/control"
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
Tanpa --out hasilnya ditulis ke keluaran standar. Selama server memakai folder data, ekspor
dengan --out ditulis oleh server itu (server tetap melayani). Kolom tiap jenis: README › Ekspor.

`

// Export writes an export of the data folder (store.Export through handlers/export) to a file
// or stdout, as the office's admin (store.SystemActor). A file is written beside its name first
// and renamed when complete, so a broken run never leaves a file that looks whole. While a server
// holds the data folder, an export to a file (--out) is written by that server through its control
// socket while it keeps serving; to stdout it cannot be, and the error says to name a file or use
// the server's page for exports.
func Export(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	data := fs.String("data", Env("PUPNS_DATA", "./data"), "folder data [PUPNS_DATA]")
	a := control.ExportArgs{}
	str := func(name, usage string) { fs.Func(name, usage, func(v string) error { a[name] = v; return nil }) }
	str("kind", "jenis ekspor: records, changes atau noncompliance")
	str("format", "format: csv, xlsx atau jsonl (bawaan csv)")
	str("instansi", "hanya instansi dengan id ini")
	str("unit", "hanya unit organisasi dengan id ini (dan unit di bawahnya)")
	str("from", "sejak tanggal (YYYY-MM-DD): perubahan terakhir data, selesainya usulan")
	str("to", "sampai tanggal (YYYY-MM-DD), termasuk")
	str("state", "status usulan terakhir (records: "+codes(store.ExportStates)+"); kategori (noncompliance: "+codes(store.NonComplianceKinds)+")")
	outFile := fs.String("out", "", "berkas tujuan (tanpa ini: keluaran standar)")
	fs.Usage = func() { fmt.Fprint(fs.Output(), exportUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("argumen tidak dikenal: %q (berkas tujuan diberikan dengan --out)", fs.Arg(0))
	}
	req, format, err := control.ParseExport(a)
	if err != nil {
		if a["kind"] == "" {
			fs.Usage()
		}
		return err
	}
	if _, err := os.Stat(filepath.Join(*data, "pupns.db")); err != nil {
		return fmt.Errorf("folder data %s belum berisi data kantor (tidak ada pupns.db): periksa --data", *data)
	}
	if *outFile != "" {
		if a["file"], err = filepath.Abs(*outFile); err != nil {
			return err
		}
	}
	st, err := OpenStore(*data, store.Options{})
	if err != nil {
		var inUse inUseError
		if errors.As(err, &inUse) && *outFile != "" {
			return throughServer(*data, inUse, control.Request{Cmd: "export", Args: a}, exportWait, out, "ekspor lewat %s", "/admin/ekspor")
		}
		if errors.As(err, &inUse) {
			return exportInUse(inUse)
		}
		return err
	}
	defer st.Close()
	if *outFile != "" {
		return control.RunExport(st, control.Request{Cmd: "export", Args: a}, out)
	}
	req.Progress = func(done, total int) {
		if done == total || done%(50*256) == 0 {
			fmt.Fprintf(os.Stderr, "  %d dari %d dibaca…\n", done, total)
		}
	}
	n, err := export.Write(st, store.SystemActor, req, format, out)
	if err != nil {
		return control.ExportError(err)
	}
	fmt.Fprintf(os.Stderr, "%d baris diekspor.\n", n)
	return nil
}

// exportWait is how long `pupns export --out` waits for a running server to write the file: the
// whole office of 250,000 PNS in the slowest format, with room.
const exportWait = 60 * time.Minute

// exportInUse says that a server (or another command) holds the data folder: an export to stdout
// needs the folder to itself; one to a file (--out) goes through the server, and so does its page.
func exportInUse(e inUseError) error {
	where := "halaman /admin/ekspor server itu"
	if e.url != "" {
		where = "halaman " + e.url + "/admin/ekspor"
	}
	return fmt.Errorf("berkas data di folder %s sedang dipakai server pupns, jadi ekspor ke keluaran standar tidak dapat dibuat: "+
		"sebutkan berkas tujuan dengan --out (server yang menuliskannya, sambil tetap melayani), atau ekspor lewat %s", e.dir, where)
}

// codes lists a code list's codes for a usage line.
func codes(l store.CodeList) string {
	out := make([]string, len(l))
	for i, c := range l {
		out[i] = c.Code
	}
	return strings.Join(out, ", ")
}
