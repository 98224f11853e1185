package handlers

import (
	"fmt"
	"net"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// The admin's backups (handlers/backup takes them): the list with each check result, a backup
// into the folder now, and a fresh snapshot to download while the server keeps serving.

// downloadIdle is how long a backup download may go without the client taking a byte before it is
// cut off; the server's WriteTimeout would cut a large file on a slow link.
const downloadIdle = 60 * time.Second

// backupPage lists the backups in the folder.
func (h *Handler) backupPage(c *fiber.Ctx) error {
	p, err := h.backupProps()
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.BackupPage(h.meta(c, "Cadangan data"), p))
}

// backupProps is the backup page: the folder, the schedule and every backup in words.
func (h *Handler) backupProps() (views.BackupProps, error) {
	b := h.cfg.Backups
	cfg := b.Config()
	p := views.BackupProps{Dir: cfg.Dir, Schedule: "tidak dijadwalkan (--backup-every 0)"}
	if cfg.Every > 0 {
		p.Schedule = fmt.Sprintf("setiap %s, %d terakhir disimpan", fmtEvery(cfg.Every), cfg.Keep)
	}
	all, err := b.List()
	if err != nil {
		return p, err
	}
	loc := h.officeZone()
	for _, e := range all {
		p.Rows = append(p.Rows, views.BackupRow{Name: e.Name, Size: fmtSize(e.Size), Time: fmtWhen(e.Time, loc),
			Checked: e.Checked, OK: e.OK, Message: e.Message})
	}
	p.Warning = h.backupWarning()
	return p, nil
}

// backupNow takes a backup into the folder and checks it; a failure is shown on the page.
func (h *Handler) backupNow(c *fiber.Ctx) error {
	a, _ := actor(c)
	e, err := h.cfg.Backups.Take()
	if err != nil {
		h.log.Error("cadangan dari halaman admin gagal", "login", a.Login, "err", err)
		p, perr := h.backupProps()
		if perr != nil {
			return perr
		}
		p.Error = "Cadangan gagal: " + err.Error()
		return render(c, fiber.StatusInternalServerError, views.BackupPage(h.meta(c, "Cadangan data"), p))
	}
	h.log.Info("cadangan dibuat dari halaman admin", "login", a.Login, "berkas", e.Path)
	setFlash(c, fmt.Sprintf("Cadangan %s (%s) dibuat dan diperiksa: utuh.", e.Name, fmtSize(e.Size)))
	return seeOther(c, views.BackupURL)
}

// backupDownload sends a fresh consistent snapshot as a dated file. The snapshot is written to a
// temporary file first (a short read transaction), then streamed at the client's pace; each
// read pushes the write deadline forward, so a slow link finishes and a stalled one is cut off.
func (h *Handler) backupDownload(c *fiber.Ctx) error {
	a, _ := actor(c)
	f, n, err := h.cfg.Backups.Snapshot()
	if err != nil {
		return err
	}
	h.log.Info("cadangan diunduh", "login", a.Login, "ukuran", n)
	name := "pupns-cadangan-" + h.store.Now().In(h.officeZone()).Format("20060102-1504") + ".db"
	c.Set(fiber.HeaderContentType, "application/octet-stream")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Context().Response.SetBodyStream(&paced{f: f, conn: c.Context().Conn()}, int(n))
	return nil
}

// paced reads a download's file and, before each chunk goes out, gives the connection
// downloadIdle more to take it. The server closes it when the response is done.
type paced struct {
	f    *os.File
	conn net.Conn
}

func (p *paced) Read(b []byte) (int, error) {
	_ = p.conn.SetWriteDeadline(time.Now().Add(downloadIdle))
	return p.f.Read(b)
}

func (p *paced) Close() error { return p.f.Close() }

// backupWarning is the warning the admin sees when the newest good backup is older than the
// schedule (or none exists while one is set); nil when the backups keep up.
func (h *Handler) backupWarning() *views.BackupWarning {
	st := h.cfg.Backups.Status()
	if !st.Stale {
		return nil
	}
	w := &views.BackupWarning{Every: fmtEvery(st.Every)}
	if !st.Newest.IsZero() {
		w.Newest = fmtWhen(st.Newest, h.officeZone())
	}
	return w
}

// officeZone is the campaign's time zone (WIB when the schedule cannot be read).
func (h *Handler) officeZone() *time.Location {
	sc, err := h.store.Schedule()
	if err != nil {
		return store.Schedule{}.Location()
	}
	return sc.Location()
}

// fmtWhen writes a moment in words in zone loc: "30 November 2026 pukul 16.35 WIB".
func fmtWhen(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return store.LongDate(t.Format(time.DateOnly)) + " pukul " + t.Format("15.04") + " " + loc.String()
}

// fmtEvery writes a schedule's period in words: "6 jam", "1 hari", "30 menit".
func fmtEvery(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%d hari", d/(24*time.Hour))
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%d jam", d/time.Hour)
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%d menit", d/time.Minute)
	}
	return d.String()
}
