package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"pupns/handlers/control"
	"pupns/store"
)

const userUsage = `pupns user: kelola akun petugas.

Pemakaian:
  pupns user add     [--data DIR] --login L --name N --role R [--scope S] [--password P]
  pupns user list    [--data DIR]
  pupns user disable [--data DIR] LOGIN

Setiap sub-perintah menerima --help.
`

// User manages staff accounts from the command line: add, list, disable. The rules are the
// store's (the same as the admin pages), acting as store.SystemActor. While a server holds the data
// folder, the command goes through the server's control socket and runs there, on the same calls.
func User(args []string, out io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, userUsage)
		return errors.New("pupns user add|list|disable: sebutkan sub-perintah")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(os.Stderr, userUsage)
		return flag.ErrHelp
	case "add", "list", "disable":
	default:
		return fmt.Errorf("sub-perintah tidak dikenal: %q (add, list, disable)", sub)
	}
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	data := fs.String("data", Env("PUPNS_DATA", "./data"), "folder data [PUPNS_DATA]")
	req := control.Request{Cmd: "user " + sub, Args: map[string]string{}}
	if sub == "add" {
		for _, a := range []struct{ name, def, usage string }{
			{"login", "", "nama pengguna (huruf kecil, angka, . _ -)"},
			{"name", "", "nama lengkap"},
			{"role", "", "peran: admin, verifikator_registrasi, verifikator_1 … verifikator_4, operator"},
			{"scope", "", "lingkup: id SKPD (level 1, operator), id instansi (level 2, verifikator registrasi), kode Kanreg (level 3)"},
			{"password", os.Getenv("PUPNS_USER_PASSWORD"), "kata sandi awal [PUPNS_USER_PASSWORD]"},
		} {
			fs.Func(a.name, a.usage, func(v string) error { req.Args[a.name] = v; return nil })
			if a.def != "" {
				req.Args[a.name] = a.def
			}
		}
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if sub == "disable" {
		if fs.NArg() != 1 {
			return errors.New("pupns user disable LOGIN")
		}
		req.Args["login"] = fs.Arg(0)
	}
	st, err := OpenStore(*data, store.Options{})
	var inUse inUseError
	if errors.As(err, &inUse) {
		return throughServer(*data, inUse, req, 0, out,
			"kelola akun lewat %s, atau hentikan proses itu dulu", "/admin/akun")
	}
	if err != nil {
		return err
	}
	defer st.Close()
	return control.RunUser(st, req, out)
}
