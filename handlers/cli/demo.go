package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"pupns/store"
	"pupns/store/demo"
	"time"
)

// EnsureDemo creates the demo office when the data folder is empty.
func EnsureDemo(st *store.Store, n int, out io.Writer) error {
	_, empty, err := st.IsDemo()
	if err != nil || !empty {
		return err
	}
	fmt.Fprintf(out, "Folder data kosong: membuat kantor demo dengan %d PNS…\n", n)
	_, err = generateDemo(st, demo.Options{PNS: n, Seed: 1}, out)
	return err
}

// generateDemo makes the demo office, printing its progress about once a second.
func generateDemo(st *store.Store, opt demo.Options, progress io.Writer) (demo.Result, error) {
	last := time.Now()
	opt.Progress = func(done, total int) {
		if time.Since(last) > time.Second || done == total {
			fmt.Fprintf(progress, "  %d/%d PNS\n", done, total)
			last = time.Now()
		}
	}
	return demo.Generate(st, opt)
}

// bulkBuildFrom is the demo size from which the data file is opened for a bulk build.
const bulkBuildFrom = 50_000

// Demo makes a demo office in a data folder: the demo command.
func Demo(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	data := fs.String("data", Env("PUPNS_DATA", "./data"), "folder data [PUPNS_DATA]")
	n := fs.Int("pns", 2000, "jumlah PNS")
	seed := fs.Int64("seed", 1, "benih acak (hasil sama untuk benih sama)")
	pw := fs.String("password", "demo12345", "kata sandi semua akun demo")
	asJSON := fs.Bool("json", false, "cetak hasil sebagai JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := OpenStore(*data, store.Options{BulkBuild: *n >= bulkBuildFrom})
	if err != nil {
		return err
	}
	defer st.Close()
	progress := io.Writer(os.Stderr)
	res, err := generateDemo(st, demo.Options{PNS: *n, Seed: *seed, Password: *pw}, progress)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(out, "Selesai dalam %s.\n", res.Elapsed.Round(time.Millisecond))
	// The server is not running yet: name the address it will serve by default.
	return res.WriteLogins(out, SiteURL(Env("PUPNS_ADDR", ":8080")))
}
