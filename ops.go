package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"pupns/handlers/control"
	"pupns/store"
)

// addrFile is the file in the data folder where `serve` says which address it serves, so that a
// second process refused the folder can name it. It is removed on a clean shutdown; one left by a
// killed server is ignored (its process is gone) and replaced by the next serve.
const addrFile = "pupns.addr"

// servedAddr is addrFile's content.
type servedAddr struct {
	URL string `json:"url"`
	PID int    `json:"pid"`
}

// writeAddr records the address this process serves in the data folder.
func writeAddr(dir, url string) error {
	b, _ := json.Marshal(servedAddr{URL: url, PID: os.Getpid()})
	tmp := filepath.Join(dir, addrFile+".tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, addrFile))
}

// readAddr returns the address a running server of the data folder serves, or "" when none is
// recorded or the process that recorded it is gone (a kill -9 leaves the file behind).
func readAddr(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, addrFile))
	if err != nil {
		return ""
	}
	var a servedAddr
	if json.Unmarshal(b, &a) != nil || a.PID <= 0 || syscall.Kill(a.PID, 0) == syscall.ESRCH {
		return ""
	}
	return a.URL
}

// removeAddr removes addrFile if this process wrote it.
func removeAddr(dir string) {
	b, err := os.ReadFile(filepath.Join(dir, addrFile))
	var a servedAddr
	if err == nil && json.Unmarshal(b, &a) == nil && a.PID == os.Getpid() {
		_ = os.Remove(filepath.Join(dir, addrFile))
	}
}

// serveControl opens the control socket in the data folder for the `user` commands while this
// server holds the data file. A socket that cannot be opened (a folder path too long for a unix
// socket, a file system without them) is only a warning: `user` then points at /admin/akun.
func serveControl(dir string, st *store.Store, log *slog.Logger) func() {
	srv, err := control.Listen(filepath.Join(dir, control.SocketName), func(req control.Request, out io.Writer) error {
		return runUser(st, req, out)
	})
	if err != nil {
		log.Warn("soket kendali tidak dapat dibuka: perintah pupns user tidak dapat dipakai selama server berjalan", "err", err)
		return func() {}
	}
	return func() { _ = srv.Close() }
}

// inFlight counts the requests the app is working on: a request counts from the moment fasthttp
// hands it to the app until its handler returns. fasthttp reads the headers and the first 8 KiB of
// the body first, so a client stalled before that is not counted (nothing of its request has been
// acted upon); a larger body, which the handler reads as it arrives (an upload), is.
type inFlight struct{ n atomic.Int64 }

// wrap counts around the app's fasthttp handler.
func (f *inFlight) wrap(app *fiber.App) {
	inner := app.Server().Handler
	app.Server().Handler = func(ctx *fasthttp.RequestCtx) {
		f.n.Add(1)
		defer f.n.Add(-1)
		inner(ctx)
	}
}

// shutdown stops the server within grace: no new connections, idle ones closed, requests under
// way given until the deadline. A connection still open then (a client stalled while sending its
// request, a stream) is dropped when the process exits. The result is nil, so the exit status is
// 0, when every request that was being worked on finished; otherwise an error naming how many were
// cut off (each store write is one transaction, so none is half-written).
func shutdown(app *fiber.App, busy *inFlight, grace time.Duration, log *slog.Logger) error {
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
