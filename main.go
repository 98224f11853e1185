// Command pupns is the e-PUPNS re-registration server for one regional office: one binary, one
// bbolt file. main only wires: flags to store, store to handlers, handlers to the listener.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"pupns/handlers"
	"pupns/handlers/control"
	"pupns/handlers/mail"
	"pupns/static"
	"pupns/store"
	"pupns/store/demo"
)

const usage = `pupns: pendataan ulang PNS (e-PUPNS) untuk satu kantor regional.

Pemakaian:
  pupns serve  [--data DIR] [--addr HOST:PORT] [--demo]    jalankan server web
  pupns demo   [--data DIR] [--pns N] [--seed S] [--password P] [--json]   buat kantor demo
  pupns import [--data DIR] FILE.csv                         impor data induk PNS
  pupns user   add|list|disable [--data DIR] ...               kelola akun petugas

Setiap perintah menerima --help.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:], log)
	case "demo":
		err = demoCmd(os.Args[2:], os.Stdout)
	case "import":
		err = importCSV(os.Args[2:], os.Stdout)
	case "user":
		err = userCmd(os.Args[2:], os.Stdout)
	case "-h", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "perintah tidak dikenal: %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "galat:", err)
		os.Exit(1)
	}
}

// env returns the environment variable or the default.
func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

func envBool(key string) bool { b, _ := strconv.ParseBool(os.Getenv(key)); return b }

func envDuration(key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(key)); err == nil {
		return d
	}
	return def
}

func envInt(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return n
	}
	return def
}

// serve serves the office until SIGINT or SIGTERM, then stops within the grace period.
func serve(args []string, log *slog.Logger) error {
	cfg, err := serveFlags(args)
	if err != nil {
		return err
	}
	// Listen before anything else: a busy port is refused at once, before a demo is built for
	// nothing, and the banner names the address actually served (the port chosen for :0).
	ln, err := listen(cfg.addr)
	if err != nil {
		return err
	}
	defer ln.Close() // app.Listener closes it too; a second Close is harmless
	handlers.TuneGC()
	if err := checkData(cfg.data, log); err != nil {
		return err
	}
	st, err := openStore(cfg.data, cfg.store)
	if err != nil {
		return err
	}
	defer st.Close()
	url := siteURL(ln.Addr().String())
	if cfg.demo {
		if err := ensureDemo(st, cfg.demoPNS, os.Stdout); err != nil {
			return err
		}
	}
	if res, ok, err := demo.Saved(st); err != nil {
		log.Warn("hasil demo tidak terbaca", "err", err)
	} else if ok {
		res.WriteLogins(os.Stdout, url)
	}

	cfg.web.Log = log
	h := handlers.New(st, cfg.web)
	app := h.App()
	var busy control.InFlight
	busy.Wrap(app)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go control.Sweep(ctx, st, log)
	defer (&mail.Sender{Store: st, Config: cfg.mail, Log: log}).Start(ctx)() // stopped before the store closes; idle without SMTP
	if err := control.WriteAddr(cfg.data, url); err != nil {
		log.Warn("alamat server tidak dapat dicatat di folder data", "err", err)
	}
	defer control.RemoveAddr(cfg.data)
	defer serveControl(cfg.data, st, log)() // closed before the store: the user commands use it
	done := make(chan error, 1)
	go func() { done <- app.Listener(ln) }()
	log.Info("pupns siap", "url", url, "addr", ln.Addr().String(), "data", cfg.data)
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	log.Info("berhenti: menunggu permintaan yang sedang berjalan", "grace", cfg.grace)
	return control.Shutdown(app, &busy, cfg.grace, log)
}

// serveConfig is what serve's flags (or their environment variables) say.
type serveConfig struct {
	data, addr string
	demo       bool
	demoPNS    int
	grace      time.Duration
	store      store.Options
	web        handlers.Config
	mail       mail.Config
}

// serveFlags reads serve's flags; each falls back to its environment variable.
func serveFlags(args []string) (serveConfig, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	data := fs.String("data", env("PUPNS_DATA", "./data"), "folder data (berkas pupns.db) [PUPNS_DATA]")
	addr := fs.String("addr", env("PUPNS_ADDR", ":8080"), "alamat dengar HOST:PORT [PUPNS_ADDR]")
	withDemo := fs.Bool("demo", envBool("PUPNS_DEMO"), "buat kantor demo bila folder data masih kosong [PUPNS_DEMO]")
	demoPNS := fs.Int("demo-pns", envInt("PUPNS_DEMO_PNS", 2000), "jumlah PNS demo untuk --demo [PUPNS_DEMO_PNS]")
	writers := fs.Int("writers", envInt("PUPNS_WRITERS", 64), "perkiraan penulis serentak (MaxBatchSize bbolt) [PUPNS_WRITERS]")
	secure := fs.Bool("secure-cookies", envBool("PUPNS_SECURE_COOKIES"), "cookie hanya lewat HTTPS (di belakang proxy TLS) [PUPNS_SECURE_COOKIES]")
	proxyHeader := fs.String("proxy-header", env("PUPNS_PROXY_HEADER", ""), "header alamat klien dari reverse proxy, mis. X-Real-IP [PUPNS_PROXY_HEADER]")
	trusted := fs.String("trusted-proxies", env("PUPNS_TRUSTED_PROXIES", "127.0.0.1,::1"), "alamat/CIDR proxy yang dipercaya untuk --proxy-header, dipisah koma [PUPNS_TRUSTED_PROXIES]")
	noCaptcha := fs.Bool("no-captcha", envBool("PUPNS_NO_CAPTCHA"), "matikan captcha registrasi: HANYA untuk uji dan demo [PUPNS_NO_CAPTCHA]")
	grace := fs.Duration("shutdown-grace", envDuration("PUPNS_SHUTDOWN_GRACE", 10*time.Second), "masa tenggang berhenti: permintaan yang berjalan diberi waktu selama ini [PUPNS_SHUTDOWN_GRACE]")
	reserve := fs.String("disk-reserve", env("PUPNS_DISK_RESERVE", "512MiB"), "ruang disk kosong minimum sebelum peringatan di /healthz dan ringkasan, mis. 512MiB, 2GiB [PUPNS_DISK_RESERVE]")
	hashWorkers := fs.Int("hash-workers", envInt("PUPNS_HASH_WORKERS", 0), "hash kata sandi (19 MiB) yang boleh berjalan bersamaan; 0 = jumlah inti CPU [PUPNS_HASH_WORKERS]")
	hashQueue := fs.Int("hash-queue", envInt("PUPNS_HASH_QUEUE", 0), "login yang boleh menunggu hash; lebih dari itu dijawab 503; 0 = 64 per pekerja [PUPNS_HASH_QUEUE]")
	docLim := store.DefaultDocLimits()
	docsProposal := fs.Int("docs-per-proposal", envInt("PUPNS_DOCS_PER_PROPOSAL", docLim.PerProposal), "dokumen paling banyak per usulan [PUPNS_DOCS_PER_PROPOSAL]")
	mibProposal := fs.Int("doc-mib-per-proposal", envInt("PUPNS_DOC_MIB_PER_PROPOSAL", int(docLim.PerProposalBytes>>20)), "MiB dokumen paling banyak per usulan [PUPNS_DOC_MIB_PER_PROPOSAL]")
	docsPNS := fs.Int("docs-per-pns", envInt("PUPNS_DOCS_PER_PNS", docLim.PerPNS), "dokumen paling banyak per PNS (semua usulan terbuka) [PUPNS_DOCS_PER_PNS]")
	mibPNS := fs.Int("doc-mib-per-pns", envInt("PUPNS_DOC_MIB_PER_PNS", int(docLim.PerPNSBytes>>20)), "MiB dokumen paling banyak per PNS [PUPNS_DOC_MIB_PER_PNS]")
	smtp := mail.Flags(fs)
	if err := fs.Parse(args); err != nil {
		return serveConfig{}, err
	}
	mailCfg, err := smtp()
	if err != nil {
		return serveConfig{}, err
	}
	diskReserve, err := control.ParseBytes(*reserve)
	if err != nil {
		return serveConfig{}, fmt.Errorf("--disk-reserve: %w", err)
	}
	return serveConfig{data: *data, addr: *addr, demo: *withDemo, demoPNS: *demoPNS, grace: *grace,
		store: store.Options{Writers: *writers, HashWorkers: *hashWorkers, HashQueue: *hashQueue,
			DocLimits: store.DocLimits{PerProposal: *docsProposal, PerProposalBytes: int64(*mibProposal) << 20,
				PerPNS: *docsPNS, PerPNSBytes: int64(*mibPNS) << 20}},
		web: handlers.Config{Static: static.FS, SecureCookies: *secure, NoCaptcha: *noCaptcha,
			ProxyHeader: *proxyHeader, TrustedProxies: strings.Split(*trusted, ","), DiskReserve: diskReserve,
			SMTPConfigured: mailCfg.Configured()},
		mail: mailCfg,
	}, nil
}

// listen opens the listening socket, saying plainly when the port is taken.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("alamat %s sudah dipakai program lain (server pupns yang masih berjalan?): pilih alamat lain dengan --addr atau PUPNS_ADDR", addr)
	}
	return ln, err
}

// siteURL is how a browser on this machine reaches a server listening on addr: a wildcard host
// (":8080", "0.0.0.0", "[::]") is reached as localhost.
func siteURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// openStore opens the data folder, naming it when another pupns process holds it or when its
// file is damaged.
func openStore(dir string, opt store.Options) (*store.Store, error) {
	st, err := store.Open(dir, opt)
	if errors.Is(err, store.ErrInUse) {
		return nil, inUseError{dir: dir, url: control.ReadAddr(dir), err: err}
	}
	if errors.Is(err, store.ErrDamaged) {
		return nil, damagedError{dir: dir, err: err}
	}
	return st, err
}

// checkData runs the store's consistency check before the server serves anything and logs how long
// it took: a damaged, truncated or emptied file is refused with the way back, never served.
func checkData(dir string, log *slog.Logger) error {
	rep, err := store.Check(dir)
	switch {
	case errors.Is(err, store.ErrInUse):
		return inUseError{dir: dir, url: control.ReadAddr(dir), err: err}
	case errors.Is(err, store.ErrDamaged):
		return damagedError{dir: dir, err: err}
	case err != nil:
		return err
	}
	for _, w := range rep.Warnings {
		log.Warn("berkas data bermasalah tetapi masih terbaca", "data", dir, "peringatan", w)
	}
	if !rep.Missing {
		log.Info("berkas data diperiksa", "lama", rep.Took.Round(time.Millisecond).String(),
			"halaman", rep.Pages, "nilai", rep.Values)
	}
	return nil
}

// damagedError says which data file is damaged and how to get back to work: there is no restore
// command, a backup copy of pupns.db goes back into the folder while the server is stopped.
type damagedError struct {
	dir string
	err error
}

func (e damagedError) Error() string {
	detail := strings.Replace(e.err.Error(), store.ErrDamaged.Error()+": ", "", 1)
	return fmt.Sprintf("berkas data %s rusak (%s), jadi tidak dipakai. Pulihkan dari cadangan: "+
		"selagi server berhenti, salin cadangan pupns.db ke folder %s (menggantikan berkas yang rusak), lalu jalankan lagi",
		filepath.Join(e.dir, "pupns.db"), detail, e.dir)
}

func (e damagedError) Unwrap() error { return e.err }

// inUseError says which data folder another pupns process holds and, when that process is a
// server, the address it serves.
type inUseError struct {
	dir string
	url string // "" when the holder is not a server (demo, import, user) or did not say
	err error
}

func (e inUseError) Error() string {
	if e.url != "" {
		return fmt.Sprintf("berkas data di folder %s sedang dipakai proses pupns lain: server yang melayani %s. Hentikan server itu dulu, atau pakai --data lain", e.dir, e.url)
	}
	return fmt.Sprintf("berkas data di folder %s sedang dipakai proses pupns lain (server, demo atau impor yang masih berjalan?): hentikan proses itu dulu, atau pakai --data lain", e.dir)
}

func (e inUseError) Unwrap() error { return e.err }

// ensureDemo creates the demo office when the data folder is empty.
func ensureDemo(st *store.Store, n int, out io.Writer) error {
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

func demoCmd(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	data := fs.String("data", env("PUPNS_DATA", "./data"), "folder data [PUPNS_DATA]")
	n := fs.Int("pns", 2000, "jumlah PNS")
	seed := fs.Int64("seed", 1, "benih acak (hasil sama untuk benih sama)")
	pw := fs.String("password", "demo12345", "kata sandi semua akun demo")
	asJSON := fs.Bool("json", false, "cetak hasil sebagai JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := openStore(*data, store.Options{})
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
	return res.WriteLogins(out, siteURL(env("PUPNS_ADDR", ":8080")))
}

func importCSV(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	data := fs.String("data", env("PUPNS_DATA", "./data"), "folder data [PUPNS_DATA]")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "pupns import [--data DIR] FILE.csv\n\nKolom: %v\n", store.ImportColumns)
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
	st, err := openStore(*data, store.Options{})
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

const userUsage = `pupns user: kelola akun petugas.

Pemakaian:
  pupns user add     [--data DIR] --login L --name N --role R [--scope S] [--password P]
  pupns user list    [--data DIR]
  pupns user disable [--data DIR] LOGIN

Setiap sub-perintah menerima --help.
`

// userCmd manages staff accounts from the command line: add, list, disable. The rules are the
// store's (the same as the admin pages), acting as store.SystemActor. While a server holds the data
// folder, the command goes through the server's control socket and runs there, on the same calls.
func userCmd(args []string, out io.Writer) error {
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
	data := fs.String("data", env("PUPNS_DATA", "./data"), "folder data [PUPNS_DATA]")
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
	st, err := openStore(*data, store.Options{})
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

// serveControl opens the control socket in the data folder for the `user` commands while this
// server holds the data file. A socket that cannot be opened (a folder path too long for a unix
// socket, a file system without them) is only a warning: `user` then points at /admin/akun.
func serveControl(dir string, st *store.Store, log *slog.Logger) func() {
	srv, err := control.Listen(filepath.Join(dir, control.SocketName), func(req control.Request, out io.Writer) error {
		return control.RunUser(st, req, out)
	})
	if err != nil {
		log.Warn("soket kendali tidak dapat dibuka: perintah pupns user tidak dapat dipakai selama server berjalan", "err", err)
		return func() {}
	}
	return func() { _ = srv.Close() }
}
