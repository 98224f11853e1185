package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"pupns/handlers/bkn"
	"pupns/handlers/control"
	"pupns/store"
)

const bknUsage = `pupns bkn: kantor yang tersambung ke hub BKN (dijalankan di hub: Kanreg atau BKN Pusat).

Pemakaian:
  pupns bkn kantor --instansi ID [--data DIR] [--out BERKAS] [--ganti]
      daftarkan kantor instansi ID di hub ini dan tulis berkas kuncinya (bawa ke kantor itu)
  pupns bkn daftar [--data DIR]
      daftar kantor yang terdaftar di hub ini
  pupns bkn kanreg KANREG --instansi ID,ID,... [--data DIR] [--out BERKAS] [--ganti]
      (di BKN Pusat) daftarkan hub Kanreg yang meneruskan angka kantor wilayahnya, tulis berkas kuncinya
  pupns bkn nats-conf [--data DIR]
      daftar kantor sebagai blok konfigurasi nats-server (untuk server lain dalam cluster hub)
`

// BKN registers offices at a hub: `bkn kantor` makes the office's NKey, writes its seed to a new
// file (0600) to carry to the office, and registers only the public key at the hub (through the
// control socket while the hub's server runs; the server picks it up without a restart).
func BKN(args []string, out io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, bknUsage)
		return errors.New("pupns bkn kantor|daftar|nats-conf: sebutkan sub-perintah")
	}
	sub, args := args[0], args[1:]
	if sub == "kanreg" {
		return bknKanreg(args, out)
	}
	switch sub {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(os.Stderr, bknUsage)
		return flag.ErrHelp
	case "kantor", "daftar", "nats-conf":
	default:
		return fmt.Errorf("sub-perintah tidak dikenal: %q (kantor, daftar, nats-conf)", sub)
	}
	fs := flag.NewFlagSet("bkn "+sub, flag.ContinueOnError)
	data := fs.String("data", Env("PUPNS_DATA", "./data"), "folder data hub [PUPNS_DATA]")
	instansi := fs.String("instansi", "", "id instansi kantor")
	outFile := fs.String("out", "", "berkas kunci kantor yang ditulis; kosong = kantor-ID.nk di folder ini")
	replace := fs.Bool("ganti", false, "kantor sudah terdaftar: ganti kuncinya (kunci lama tidak berlaku lagi)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	req := control.Request{Cmd: "bkn " + sub, Args: map[string]string{}}
	if sub == "daftar" || sub == "nats-conf" {
		return runBKN(*data, req, out)
	}
	if err := bkn.CheckInstansi(*instansi); err != nil {
		return fmt.Errorf("--instansi: %w", err)
	}
	path := *outFile
	if path == "" {
		path = "kantor-" + *instansi + ".nk"
	}
	seed, pub, err := bkn.NewOfficeKey()
	if err != nil {
		return err
	}
	if err := bkn.WriteSeedFile(path, *instansi, seed); err != nil {
		return err
	}
	req.Args["instansi"], req.Args["kunci"] = *instansi, pub
	if *replace {
		req.Args["ganti"] = "1"
	}
	if err := runBKN(*data, req, out); err != nil {
		_ = os.Remove(path) // a key no hub knows is of no use to anyone
		return err
	}
	abs, _ := filepath.Abs(path)
	fmt.Fprintf(out, "Berkas kunci kantor: %s (mode 600).\nBawa berkas itu ke kantor instansi %s bersama berkas CA hub; itulah satu-satunya rahasia kantor terhadap hub:\n"+
		"jangan disalin ke tempat lain, dan hapus dari hub setelah dibawa. Di kantor jalankan:\n"+
		"  pupns serve --bkn-hub tls://HUB:PORT --bkn-seed %s --bkn-ca CA.pem\n", abs, *instansi, filepath.Base(path))
	return nil
}

// runBKN runs a bkn command on the hub's store: directly, or through the server that holds it.
func runBKN(dir string, req control.Request, out io.Writer) error {
	st, err := OpenStore(dir, store.Options{})
	var inUse inUseError
	if errors.As(err, &inUse) {
		return throughServer(dir, inUse, req, 0, out, "hentikan proses itu dulu, atau coba lagi (%s)", "")
	}
	if err != nil {
		return err
	}
	defer st.Close()
	return control.RunBKN(st, req, out)
}
