// Serving: the address file a running server leaves in the data folder, the count of requests under
// way and the graceful shutdown that uses it, the sweeper of expired state, and reading sizes such
// as --disk-reserve.

package control

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"pupns/store"
)

// AddrFile is the file in the data folder where `serve` says which address it serves, so that a
// second process refused the folder can name it. It is removed on a clean shutdown; one left by a
// killed server is ignored (its process is gone) and replaced by the next serve.
const AddrFile = "pupns.addr"

// servedAddr is AddrFile's content.
type servedAddr struct {
	URL string `json:"url"`
	PID int    `json:"pid"`
}

// WriteAddr records the address this process serves in the data folder.
func WriteAddr(dir, url string) error {
	b, _ := json.Marshal(servedAddr{URL: url, PID: os.Getpid()})
	tmp := filepath.Join(dir, AddrFile+".tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, AddrFile))
}

// ReadAddr returns the address a running server of the data folder serves, or "" when none is
// recorded or the process that recorded it is gone (a kill -9 leaves the file behind).
func ReadAddr(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, AddrFile))
	if err != nil {
		return ""
	}
	var a servedAddr
	if json.Unmarshal(b, &a) != nil || a.PID <= 0 || syscall.Kill(a.PID, 0) == syscall.ESRCH {
		return ""
	}
	return a.URL
}

// RemoveAddr removes AddrFile if this process wrote it.
func RemoveAddr(dir string) {
	b, err := os.ReadFile(filepath.Join(dir, AddrFile))
	var a servedAddr
	if err == nil && json.Unmarshal(b, &a) == nil && a.PID == os.Getpid() {
		_ = os.Remove(filepath.Join(dir, AddrFile))
	}
}

// InFlight counts the requests the app is working on: a request counts from the moment fasthttp
// hands it to the app until its handler returns. fasthttp reads the headers and the first 8 KiB of
// the body first, so a client stalled before that is not counted (nothing of its request has been
// acted upon); a larger body, which the handler reads as it arrives (an upload), is.
type InFlight struct{ n atomic.Int64 }

// Wrap counts around the app's fasthttp handler.
func (f *InFlight) Wrap(app *fiber.App) {
	inner := app.Server().Handler
	app.Server().Handler = func(ctx *fasthttp.RequestCtx) {
		f.n.Add(1)
		defer f.n.Add(-1)
		inner(ctx)
	}
}

// Shutdown stops the server within grace: no new connections, idle ones closed, requests under
// way given until the deadline. A connection still open then (a client stalled while sending its
// request, a stream) is dropped when the process exits. The result is nil, so the exit status is
// 0, when every request that was being worked on finished; otherwise an error naming how many were
// cut off (each store write is one transaction, so none is half-written).
func Shutdown(app *fiber.App, busy *InFlight, grace time.Duration, log *slog.Logger) error {
	err := app.ShutdownWithTimeout(grace)
	if err == nil {
		return nil
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if n := busy.n.Load(); n > 0 {
		return fmt.Errorf("masa tenggang %s habis dengan %d permintaan masih berjalan: permintaan itu terputus (tiap perubahan data tersimpan utuh atau tidak sama sekali)", grace, n)
	}
	log.Warn("masa tenggang habis: koneksi yang belum selesai mengirim permintaan diputus", "grace", grace, "koneksi", app.Server().GetOpenConnectionsCount())
	return nil
}

// ParseBytes reads an amount of disk space: a number of bytes, or one with a unit (KiB, MiB, GiB,
// TiB; KB, MB, GB, TB and K, M, G, T read as the binary units too).
func ParseBytes(s string) (uint64, error) {
	num := strings.TrimRight(strings.TrimSpace(s), "KMGTIBkmgtib ")
	unit := strings.ToUpper(strings.TrimSpace(strings.TrimSpace(s)[len(num):]))
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("ukuran tidak terbaca: %q (mis. 512MiB, 2GiB, atau jumlah bita)", s)
	}
	shift := map[string]uint{"": 0, "B": 0, "K": 10, "KB": 10, "KIB": 10, "M": 20, "MB": 20, "MIB": 20,
		"G": 30, "GB": 30, "GIB": 30, "T": 40, "TB": 40, "TIB": 40}
	sh, ok := shift[unit]
	if !ok || n > (1<<64-1)>>sh {
		return 0, fmt.Errorf("ukuran tidak terbaca: %q (mis. 512MiB, 2GiB, atau jumlah bita)", s)
	}
	return n << sh, nil
}

// Sweep deletes expired sessions, their index entries and limiter state every few minutes
// (store.SweepExpired): nothing a visitor leaves behind outlives its expiry.
func Sweep(ctx context.Context, st *store.Store, log *slog.Logger) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := st.SweepExpired()
			if err != nil {
				log.Error("sweep", "err", err)
			} else if n != (store.Swept{}) {
				log.Info("sweep", "sessions", n.Sessions, "session_index", n.SessionIndex, "limiter", n.Limiter)
			}
		}
	}
}
