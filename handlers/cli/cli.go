// Package cli holds the commands of the pupns binary besides serve (demo, import, user, …) and what
// they share with it: the environment defaults of flags and opening a data folder with a sentence
// that says what to do when it is held or damaged. main only dispatches to them.
package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"pupns/handlers/control"
	"pupns/store"
	"strconv"
	"strings"
	"time"
)

// Env returns the environment variable or the default.
func Env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

func EnvBool(key string) bool { b, _ := strconv.ParseBool(os.Getenv(key)); return b }

func EnvDuration(key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(key)); err == nil {
		return d
	}
	return def
}

func EnvInt(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return n
	}
	return def
}

// SiteURL is how a browser on this machine reaches a server listening on addr: a wildcard host
// (":8080", "0.0.0.0", "[::]") is reached as localhost.
func SiteURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// OpenStore opens the data folder, naming it when another pupns process holds it or when its
// file is damaged.
func OpenStore(dir string, opt store.Options) (*store.Store, error) {
	st, err := store.Open(dir, opt)
	if errors.Is(err, store.ErrInUse) {
		return nil, inUseError{dir: dir, url: control.ReadAddr(dir), err: err}
	}
	if errors.Is(err, store.ErrDamaged) {
		return nil, damagedError{dir: dir, err: err}
	}
	return st, err
}

// CheckData runs the store's consistency check before the server serves anything and logs how long
// it took: a damaged, truncated or emptied file is refused with the way back, never served.
func CheckData(dir string, log *slog.Logger) error {
	rep, err := store.CheckStart(dir)
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
			"halaman", rep.Pages, "nilai", rep.Values, "cara", checkWay(rep))
	}
	return nil
}

// checkWay says in the log how the data file was checked at start.
func checkWay(rep store.CheckReport) string {
	if rep.Quick {
		return "cepat: berkas tidak berubah sejak ditutup rapi"
	}
	return "penuh"
}

// damagedError says which data file is damaged and how to get back to work: `pupns restore` puts a
// backup back while the server is stopped, keeping the damaged file beside it.
type damagedError struct {
	dir string
	err error
}

func (e damagedError) Error() string {
	detail := strings.Replace(e.err.Error(), store.ErrDamaged.Error()+": ", "", 1)
	return fmt.Sprintf("berkas data %s rusak (%s), jadi tidak dipakai. Pulihkan dari cadangan: "+
		"selagi server berhenti, jalankan pupns restore BERKAS-CADANGAN --data %s (berkas yang rusak disimpan di sampingnya), lalu jalankan lagi",
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

// throughServer runs a command in the server that holds the data folder, through its control
// socket, within wait (0: the socket's usual limit). Without a server (a demo or an import holds
// the folder) it returns inUse; when the socket cannot be reached, the sentence names the page
// where the same can be done by hand (instead, a format with one %s for the page's address).
func throughServer(dir string, inUse inUseError, req control.Request, wait time.Duration, out io.Writer, instead, page string) error {
	sock := filepath.Join(dir, control.SocketName)
	if _, err := os.Stat(sock); err != nil && inUse.url == "" {
		return inUse // not a server (a demo, an import): nothing to go through
	}
	var resp control.Response
	var err error
	if wait > 0 {
		resp, err = control.CallWithin(sock, req, wait)
	} else {
		resp, err = control.Call(sock, req)
	}
	if err != nil {
		where := "halaman " + page + " server itu"
		if inUse.url != "" {
			where = inUse.url + page
		}
		return fmt.Errorf("berkas data di folder %s sedang dipakai server pupns (%w), dan soket kendalinya tidak dapat dihubungi (%v): "+instead, dir, inUse.err, err, where)
	}
	fmt.Fprint(out, resp.Output)
	if resp.Error != "" {
		return errors.New(resp.Error)
	}
	return nil
}
