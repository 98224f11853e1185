package handlers

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/handlers/backup"
	"pupns/store"
	"pupns/views"
)

// The admin's backup page: empty at first; the button backs up into the folder (303, a flash
// saying it checked clean) and the list shows it with size, time in words and its check; the
// download is a fresh snapshot with a dated name that a restore accepts.
func TestBackupPageTakesListsAndDownloads(t *testing.T) {
	w := newWorld(t)
	admin := w.as("admin")
	r := admin.get(views.BackupURL)
	if r.status != fiber.StatusOK {
		t.Fatalf("backup page: %d", r.status)
	}
	contains(t, "empty backup page", r.body, `id="cadangan-kosong"`, "tidak dijadwalkan", `href="/admin/cadangan/unduh"`)
	r = admin.post(views.BackupURL, url.Values{})
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != views.BackupURL {
		t.Fatalf("backup now: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	r = admin.get(views.BackupURL)
	contains(t, "backup page after a backup", r.body, "dibuat dan diperiksa: utuh", `id="daftar-cadangan"`, "Utuh", "KiB",
		store.MonthNames[time.Now().In(time.FixedZone("WIB", 7*3600)).Month()-1], " WIB")
	if m := regexp.MustCompile(`pupns-\d{8}-\d{6}Z\.db`).FindString(r.body); m == "" {
		t.Errorf("the list does not name the backup file:\n%s", r.body)
	}

	d := admin.get(views.BackupDownloadURL)
	if d.status != fiber.StatusOK || d.header.Get("Content-Type") != "application/octet-stream" {
		t.Fatalf("download: %d %q", d.status, d.header.Get("Content-Type"))
	}
	if cd := d.header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="pupns-cadangan-\d{8}-\d{4}\.db"$`).MatchString(cd) {
		t.Errorf("Content-Disposition = %q", cd)
	}
	path := filepath.Join(t.TempDir(), "unduhan.db")
	if err := os.WriteFile(path, []byte(d.body), 0o600); err != nil {
		t.Fatal(err)
	}
	if rep, err := store.CheckBackup(path); err != nil || rep.Values == 0 {
		t.Fatalf("the download does not check clean: %+v %v", rep, err)
	}
	if left, _ := filepath.Glob(filepath.Join(w.st.Dir(), backup.DirName, ".unduh-*")); len(left) > 0 {
		t.Errorf("the download left %v behind", left)
	}
}

// The monitoring page warns the admin, and only the admin, when a schedule is set and no backup
// checked clean, or the newest is older than the schedule; a fresh backup ends the warning.
func TestSummaryWarnsWhenBackupsAreLate(t *testing.T) {
	w := newWorld(t)
	dir := t.TempDir()
	w.cfg.Backups = backup.New(w.st, backup.Config{Dir: dir, Every: time.Hour}, nil)
	w.app = New(w.st, w.cfg).App()
	admin := w.as("admin")
	r := admin.get("/ringkasan")
	contains(t, "summary without backups", r.body, `id="cadangan-peringatan"`, "Belum ada cadangan yang utuh", "setiap 1 jam")
	if v1 := w.as("v1-didik").get("/ringkasan"); strings.Contains(v1.body, "cadangan-peringatan") {
		t.Error("a Level 1 verifier sees the backup warning")
	}

	old := filepath.Join(dir, "pupns-20261130-010000Z.db")
	if err := os.WriteFile(old, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	res, _ := json.Marshal(map[string]any{"waktu": time.Now().Add(-3 * time.Hour), "utuh": true, "pesan": "utuh"})
	if err := os.WriteFile(old+".json", res, 0o600); err != nil {
		t.Fatal(err)
	}
	r = admin.get("/ringkasan")
	contains(t, "summary with a late backup", r.body, "Cadangan terlambat:", "lebih lama dari jadwal setiap 1 jam")

	if _, err := w.cfg.Backups.Take(); err != nil {
		t.Fatal(err)
	}
	if r = admin.get("/ringkasan"); strings.Contains(r.body, "cadangan-peringatan") {
		t.Error("the warning stays after a fresh backup")
	}
	if r = admin.get(views.BackupURL); !strings.Contains(r.body, "setiap 1 jam, 28 terakhir disimpan") {
		t.Errorf("the page does not say the schedule:\n%s", r.body)
	}
}
