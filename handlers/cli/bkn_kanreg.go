package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"pupns/handlers/bkn"
	"pupns/handlers/control"
	"pupns/store"
)

// bknKanreg is `pupns bkn kanreg I --instansi a,b,c` at BKN Pusat: it registers Kanreg I's hub,
// which passes its region's counters on to Pusat, like an office (an NKey whose seed goes to a
// new 0600 file carried to the Kanreg; only the public key is registered) but allowed to publish
// only the counters of the instansi listed.
func bknKanreg(args []string, out io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprint(os.Stderr, bknUsage)
		return errors.New("pupns bkn kanreg KANREG --instansi a,b,c: sebutkan Kanreg (I … XIV)")
	}
	k, args := args[0], args[1:]
	fs := flag.NewFlagSet("bkn kanreg", flag.ContinueOnError)
	data := fs.String("data", Env("PUPNS_DATA", "./data"), "folder data BKN Pusat [PUPNS_DATA]")
	list := fs.String("instansi", "", "instansi daerah Kanreg itu yang angkanya boleh diteruskan, dipisah koma")
	outFile := fs.String("out", "", "berkas kunci Kanreg yang ditulis; kosong = kanreg-KANREG.nk di folder ini")
	replace := fs.Bool("ganti", false, "Kanreg sudah terdaftar: ganti kunci dan daftar instansinya")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !store.Kanregs.Has(k) {
		return fmt.Errorf("kode Kanreg %q tidak dikenal (I … XIV)", k)
	}
	for _, id := range strings.Split(*list, ",") {
		if err := bkn.CheckInstansi(strings.TrimSpace(id)); err != nil {
			return fmt.Errorf("--instansi: %w", err)
		}
	}
	path := *outFile
	if path == "" {
		path = "kanreg-" + k + ".nk"
	}
	seed, pub, err := bkn.NewOfficeKey()
	if err != nil {
		return err
	}
	if err := bkn.WriteSeedFile(path, store.KanregUser(k), seed); err != nil {
		return err
	}
	req := control.Request{Cmd: "bkn kanreg", Args: map[string]string{"kanreg": k, "kunci": pub, "instansi": *list}}
	if *replace {
		req.Args["ganti"] = "1"
	}
	if err := runBKN(*data, req, out); err != nil {
		_ = os.Remove(path)
		return err
	}
	abs, _ := filepath.Abs(path)
	fmt.Fprintf(out, "Berkas kunci Kanreg %s: %s (mode 600).\nBawa berkas itu ke hub Kanreg %s bersama berkas CA BKN Pusat, lalu di sana jalankan:\n"+
		"  pupns serve --role kanreg --kanreg %s ... --pusat tls://PUSAT:PORT --pusat-seed %s --pusat-ca CA-PUSAT.pem\n",
		k, abs, k, k, filepath.Base(path))
	return nil
}
