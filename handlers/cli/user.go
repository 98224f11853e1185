package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
		return userThroughServer(*data, inUse, req, out)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	return control.RunUser(st, req, out)
}

// userThroughServer runs a user command in the server that holds the data folder, through its
// control socket; without one, it says where the same can be done by hand.
func userThroughServer(dir string, inUse inUseError, req control.Request, out io.Writer) error {
	sock := filepath.Join(dir, control.SocketName)
	if _, err := os.Stat(sock); err != nil && inUse.url == "" {
		return inUse // not a server (a demo, an import): nothing to go through
	}
	resp, err := control.Call(sock, req)
	if err != nil {
		where := "halaman /admin/akun server itu"
		if inUse.url != "" {
			where = inUse.url + "/admin/akun"
		}
		return fmt.Errorf("berkas data di folder %s sedang dipakai proses pupns lain (%w), dan soket kendalinya tidak dapat dihubungi (%v): kelola akun lewat %s, atau hentikan proses itu dulu", dir, inUse.err, err, where)
	}
	fmt.Fprint(out, resp.Output)
	if resp.Error != "" {
		return errors.New(resp.Error)
	}
	return nil
}
