// Command pupns is the e-PUPNS re-registration server for one regional office: one binary, one
// bbolt file. main only wires: flags to store, store to handlers, handlers to the listener.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"pupns/handlers"
	"pupns/handlers/backup"
	"pupns/handlers/bkn"
	"pupns/handlers/cli"
	"pupns/handlers/control"
	"pupns/handlers/mail"
	"pupns/handlers/metrics"
	"pupns/static"
	"pupns/store"
	"pupns/store/demo"
)

const usage = `pupns: pendataan ulang PNS (e-PUPNS) untuk satu kantor regional.

Pemakaian:
  pupns serve  [--data DIR] [--addr HOST:PORT] [--demo]    jalankan server web
               [--role kanreg|pusat --nats-leaf-listen HOST:PORT ... | --bkn-hub URL --bkn-seed F --bkn-ca F]  tautan ke BKN
  pupns demo   [--data DIR] [--pns N] [--seed S] [--password P] [--json]   buat kantor demo
  pupns import [--data DIR] FILE.csv                         impor data induk PNS
  pupns user   add|list|disable [--data DIR] ...               kelola akun petugas
  pupns backup [--data DIR] BERKAS                           cadangkan data (juga selagi server berjalan)
  pupns restore BERKAS [--data DIR]                          pulihkan cadangan (server harus berhenti)
  pupns check  [--data DIR] | BERKAS                         periksa keutuhan data atau cadangan
  pupns compact [--data DIR] [--out BERKAS]                  padatkan berkas data (server harus berhenti)
  pupns export [--data DIR] --kind K [--format F] [--out FILE]  ekspor data, perubahan, ketidakpatuhan
  pupns bkn    kantor|kanreg|daftar [--data DIR] ...        (di hub BKN) daftarkan kantor atau hub Kanreg, tulis berkas kuncinya

Setiap perintah menerima --help.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "demo":
		err = cli.Demo(os.Args[2:], os.Stdout)
	case "import":
		err = cli.Import(os.Args[2:], os.Stdout)
	case "user":
		err = cli.User(os.Args[2:], os.Stdout)
	case "backup":
		err = cli.Backup(os.Args[2:], os.Stdout)
	case "restore":
		err = cli.Restore(os.Args[2:], os.Stdout)
	case "check":
		err = cli.Check(os.Args[2:], os.Stdout)
	case "export":
		err = cli.Export(os.Args[2:], os.Stdout)
	case "compact":
		err = cli.Compact(os.Args[2:], os.Stdout)
	case "bkn":
		err = cli.BKN(os.Args[2:], os.Stdout)
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

// serve serves the office until SIGINT or SIGTERM, then stops within the grace period.
func serve(args []string) error {
	cfg, err := serveFlags(args)
	if err != nil {
		return err
	}
	log := newLogger(cfg.logFormat, os.Stderr)
	// Listen before anything else: a busy port is refused at once, before a demo is built for
	// nothing, and the banner names the address actually served (the port chosen for :0).
	ln, err := listen(cfg.addr)
	if err != nil {
		return err
	}
	defer ln.Close() // app.Listener closes it too; a second Close is harmless
	handlers.TuneGC()
	if err := cli.CheckData(cfg.data, log); err != nil {
		return err
	}
	st, err := cli.OpenStore(cfg.data, cfg.store)
	if err != nil {
		return err
	}
	defer st.Close()
	url := cli.SiteURL(ln.Addr().String())
	if cfg.demo {
		if err := cli.EnsureDemo(st, cfg.demoPNS, os.Stdout); err != nil {
			return err
		}
	}
	if res, ok, err := demo.Saved(st); err != nil {
		log.Warn("hasil demo tidak terbaca", "err", err)
	} else if ok {
		res.WriteLogins(os.Stdout, url)
	}

	cfg.web.Log = log
	cfg.web.Backups = backup.New(st, cfg.backup, log)
	h := handlers.New(st, cfg.web)
	app := h.App()
	var busy control.InFlight
	busy.Wrap(app)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go control.Sweep(ctx, st, log)
	defer cfg.web.Backups.Start(ctx)()                                       // stopped before the store closes
	defer (&mail.Sender{Store: st, Config: cfg.mail, Log: log}).Start(ctx)() // stopped before the store closes; idle without SMTP
	if err := control.WriteAddr(cfg.data, url); err != nil {
		log.Warn("alamat server tidak dapat dicatat di folder data", "err", err)
	}
	defer control.RemoveAddr(cfg.data)
	defer serveControl(cfg.data, st, log)()            // closed before the store: the user commands use it
	site, err := bkn.Start(st, cfg.data, cfg.bkn, log) // nil when neither hub nor linked office
	if err != nil {
		return err
	}
	defer site.Close() // before the store closes: a hub reads its register of offices from it
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
	logFormat  string // text or json
	store      store.Options
	web        handlers.Config
	mail       mail.Config
	backup     backup.Config
	bkn        bkn.Settings
}

// serveFlags reads serve's flags; each falls back to its environment variable.
func serveFlags(args []string) (serveConfig, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	data := fs.String("data", cli.Env("PUPNS_DATA", "./data"), "folder data (berkas pupns.db) [PUPNS_DATA]")
	addr := fs.String("addr", cli.Env("PUPNS_ADDR", ":8080"), "alamat dengar HOST:PORT [PUPNS_ADDR]")
	withDemo := fs.Bool("demo", cli.EnvBool("PUPNS_DEMO"), "buat kantor demo bila folder data masih kosong [PUPNS_DEMO]")
	demoPNS := fs.Int("demo-pns", cli.EnvInt("PUPNS_DEMO_PNS", 2000), "jumlah PNS demo untuk --demo [PUPNS_DEMO_PNS]")
	writers := fs.Int("writers", cli.EnvInt("PUPNS_WRITERS", 64), "perkiraan penulis serentak (MaxBatchSize bbolt) [PUPNS_WRITERS]")
	secure := fs.Bool("secure-cookies", cli.EnvBool("PUPNS_SECURE_COOKIES"), "cookie hanya lewat HTTPS (di belakang proxy TLS) [PUPNS_SECURE_COOKIES]")
	proxyHeader := fs.String("proxy-header", cli.Env("PUPNS_PROXY_HEADER", ""), "header alamat klien dari reverse proxy, mis. X-Real-IP [PUPNS_PROXY_HEADER]")
	trusted := fs.String("trusted-proxies", cli.Env("PUPNS_TRUSTED_PROXIES", "127.0.0.1,::1"), "alamat/CIDR proxy yang dipercaya untuk --proxy-header, dipisah koma [PUPNS_TRUSTED_PROXIES]")
	noCaptcha := fs.Bool("no-captcha", cli.EnvBool("PUPNS_NO_CAPTCHA"), "matikan captcha registrasi: HANYA untuk uji dan demo [PUPNS_NO_CAPTCHA]")
	grace := fs.Duration("shutdown-grace", cli.EnvDuration("PUPNS_SHUTDOWN_GRACE", 10*time.Second), "masa tenggang berhenti: permintaan yang berjalan diberi waktu selama ini [PUPNS_SHUTDOWN_GRACE]")
	reserve := fs.String("disk-reserve", cli.Env("PUPNS_DISK_RESERVE", "512MiB"), "ruang disk kosong minimum sebelum peringatan di /healthz dan ringkasan, mis. 512MiB, 2GiB [PUPNS_DISK_RESERVE]")
	hashWorkers := fs.Int("hash-workers", cli.EnvInt("PUPNS_HASH_WORKERS", 0), "hash kata sandi (19 MiB) yang boleh berjalan bersamaan; 0 = jumlah inti CPU [PUPNS_HASH_WORKERS]")
	hashQueue := fs.Int("hash-queue", cli.EnvInt("PUPNS_HASH_QUEUE", 0), "login yang boleh menunggu hash; lebih dari itu dijawab 503; 0 = 64 per pekerja [PUPNS_HASH_QUEUE]")
	docLim := store.DefaultDocLimits()
	docsProposal := fs.Int("docs-per-proposal", cli.EnvInt("PUPNS_DOCS_PER_PROPOSAL", docLim.PerProposal), "dokumen paling banyak per usulan [PUPNS_DOCS_PER_PROPOSAL]")
	mibProposal := fs.Int("doc-mib-per-proposal", cli.EnvInt("PUPNS_DOC_MIB_PER_PROPOSAL", int(docLim.PerProposalBytes>>20)), "MiB dokumen paling banyak per usulan [PUPNS_DOC_MIB_PER_PROPOSAL]")
	docsPNS := fs.Int("docs-per-pns", cli.EnvInt("PUPNS_DOCS_PER_PNS", docLim.PerPNS), "dokumen paling banyak per PNS (semua usulan terbuka) [PUPNS_DOCS_PER_PNS]")
	mibPNS := fs.Int("doc-mib-per-pns", cli.EnvInt("PUPNS_DOC_MIB_PER_PNS", int(docLim.PerPNSBytes>>20)), "MiB dokumen paling banyak per PNS [PUPNS_DOC_MIB_PER_PNS]")
	backupDir := fs.String("backup-dir", cli.Env("PUPNS_BACKUP_DIR", ""), "folder cadangan terjadwal; kosong = DATA/"+backup.DirName+" [PUPNS_BACKUP_DIR]")
	backupEvery := fs.Duration("backup-every", cli.EnvDuration("PUPNS_BACKUP_EVERY", backup.DefaultEvery), "selang cadangan terjadwal, mis. 6h; 0 = tanpa jadwal [PUPNS_BACKUP_EVERY]")
	backupKeep := fs.Int("backup-keep", cli.EnvInt("PUPNS_BACKUP_KEEP", backup.DefaultKeep), "jumlah cadangan terjadwal yang disimpan; yang lebih lama dihapus [PUPNS_BACKUP_KEEP]")
	smtp := mail.Flags(fs)
	metricsAccess := metrics.Flags(fs)
	bknFlags := bkn.Flags(fs)
	logFormat := fs.String("log-format", cli.Env("PUPNS_LOG_FORMAT", "text"), "bentuk log: text atau json (satu objek JSON per baris) [PUPNS_LOG_FORMAT]")
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
	if *backupDir == "" {
		*backupDir = filepath.Join(*data, backup.DirName)
	}
	access, err := metricsAccess()
	if err != nil {
		return serveConfig{}, err
	}
	if *logFormat != "text" && *logFormat != "json" {
		return serveConfig{}, fmt.Errorf("--log-format: %q bukan text atau json", *logFormat)
	}
	link, err := bknFlags()
	if err != nil {
		return serveConfig{}, err
	}
	return serveConfig{data: *data, addr: *addr, demo: *withDemo, demoPNS: *demoPNS, grace: *grace, logFormat: *logFormat,
		backup: backup.Config{Dir: *backupDir, Every: *backupEvery, Keep: *backupKeep},
		store: store.Options{Writers: *writers, HashWorkers: *hashWorkers, HashQueue: *hashQueue,
			DocLimits: store.DocLimits{PerProposal: *docsProposal, PerProposalBytes: int64(*mibProposal) << 20,
				PerPNS: *docsPNS, PerPNSBytes: int64(*mibPNS) << 20}, LinkedToHub: link.IsOffice()},
		web: handlers.Config{Static: static.FS, SecureCookies: *secure, NoCaptcha: *noCaptcha,
			ProxyHeader: *proxyHeader, TrustedProxies: strings.Split(*trusted, ","), DiskReserve: diskReserve,
			SMTPConfigured: mailCfg.Configured(), MetricsAccess: access},
		mail: mailCfg, bkn: link,
	}, nil
}

// newLogger is the server's log in the format --log-format names: slog's text or JSON lines.
func newLogger(format string, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// listen opens the listening socket, saying plainly when the port is taken.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("alamat %s sudah dipakai program lain (server pupns yang masih berjalan?): pilih alamat lain dengan --addr atau PUPNS_ADDR", addr)
	}
	return ln, err
}

// serveControl opens the control socket in the data folder for the `user` and `backup` commands while this
// server holds the data file. A socket that cannot be opened (a folder path too long for a unix
// socket, a file system without them) is only a warning: `user` then points at /admin/akun.
func serveControl(dir string, st *store.Store, log *slog.Logger) func() {
	srv, err := control.Listen(filepath.Join(dir, control.SocketName), func(req control.Request, out io.Writer) error {
		return control.Run(st, req, out)
	})
	if err != nil {
		log.Warn("soket kendali tidak dapat dibuka: perintah pupns user tidak dapat dipakai selama server berjalan", "err", err)
		return func() {}
	}
	return func() { _ = srv.Close() }
}
