package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"pupns/store"
)

// Import reads a master-data CSV into a data folder: the import command.
func Import(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	data := fs.String("data", Env("PUPNS_DATA", "./data"), "folder data [PUPNS_DATA]")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "pupns import [--data DIR] FILE.csv\n\nKolom: %v\n"+
			"Berkas `pupns export --kind records` (CSV) juga diterima utuh: kolom tabel, baris dan kolom tabel riwayat\n"+
			"memuat riwayat; kolom uraian (*_label, instansi, unit) diabaikan.\n", store.ImportColumns)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("sebutkan satu berkas CSV")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := OpenStore(*data, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := st.ImportCSV(f, "import:"+fs.Arg(0), func(rows int) { fmt.Fprintf(os.Stderr, "  %d baris…\n", rows) })
	if err != nil {
		return err
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(out, "baris %d (NIP %s) %s: %s\n", e.Line, e.NIP, e.Field, e.Message)
	}
	fmt.Fprintf(out, "%d baris: %d baru, %d diperbarui, %d tidak berubah, %d ditolak.\n", rep.Rows, rep.Created, rep.Updated, rep.Unchanged, len(rep.Errors))
	if len(rep.Errors) > 0 {
		return fmt.Errorf("%d baris ditolak", len(rep.Errors))
	}
	return nil
}
