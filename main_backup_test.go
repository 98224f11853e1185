package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// pupns runs the binary with args and returns what it printed and whether it exited 0.
func pupns(t *testing.T, args ...string) (string, bool) {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
		t.Fatal(err)
	}
	return string(out), err == nil
}

// TestBackupRestoreCheckCommands: `pupns backup` writes a checked snapshot, through the server's
// control socket while one serves the folder; `restore` and `check` refuse a folder a server
// holds; a backup with bytes flipped in the middle is refused by restore and check with a sentence
// saying it is damaged and the data file untouched; a good one is restored, the replaced file kept
// beside it, and the office checks clean (exit 0).
func TestBackupRestoreCheckCommands(t *testing.T) {
	data, out := t.TempDir(), t.TempDir()
	s := startServe(t, "--data", data, "--addr", "127.0.0.1:0", "--demo", "--demo-pns", "60")
	served := filepath.Join(out, "saat-berjalan.db")
	if text, ok := pupns(t, "backup", "--data", data, served); !ok || !strings.Contains(text, "Cadangan ditulis ke "+served) ||
		!strings.Contains(text, "Cadangan diperiksa: utuh") {
		t.Fatalf("backup while serving: %v\n%s", ok, text)
	}
	if text, ok := pupns(t, "restore", served, "--data", data); ok || !strings.Contains(text, "sedang dipakai") ||
		!strings.Contains(text, "berkas data tidak diubah") {
		t.Fatalf("restore while serving: %v\n%s", ok, text)
	}
	if text, ok := pupns(t, "check", "--data", data); ok || !strings.Contains(text, "tidak diperiksa") {
		t.Fatalf("check while serving: %v\n%s", ok, text)
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("serve did not stop cleanly: %v", err)
	}

	stopped := filepath.Join(out, "berhenti.db")
	if text, ok := pupns(t, "backup", "--data", data, stopped); !ok || !strings.Contains(text, "utuh") {
		t.Fatalf("backup of a stopped office: %v\n%s", ok, text)
	}
	bad := filepath.Join(out, "rusak.db")
	raw, err := os.ReadFile(stopped)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(raw)/2 - 32<<10; i < len(raw)/2+32<<10; i++ {
		raw[i] ^= 0xFF
	}
	if err := os.WriteFile(bad, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(data, "pupns.db"))
	if text, ok := pupns(t, "restore", bad, "--data", data); ok || !strings.Contains(text, "berkas cadangan "+bad+" rusak, jadi tidak dipakai") ||
		!strings.Contains(text, "tidak diubah") {
		t.Fatalf("restore of a damaged backup: %v\n%s", ok, text)
	}
	if after, _ := os.ReadFile(filepath.Join(data, "pupns.db")); string(after) != string(before) {
		t.Fatal("a refused restore changed the data file")
	}
	if text, ok := pupns(t, "check", bad); ok || !strings.Contains(text, "TIDAK UTUH") {
		t.Fatalf("check of a damaged backup: %v\n%s", ok, text)
	}

	text, ok := pupns(t, "restore", served, "--data", data)
	if !ok || !strings.Contains(text, "Berkas data lama disimpan sebagai "+filepath.Join(data, "pupns.db.sebelum-pulih-")) ||
		!strings.Contains(text, "Cadangan dipulihkan ke "+filepath.Join(data, "pupns.db")) {
		t.Fatalf("restore: %v\n%s", ok, text)
	}
	kept, _ := filepath.Glob(filepath.Join(data, "pupns.db.sebelum-pulih-*"))
	if len(kept) != 1 {
		t.Fatalf("kept files: %v", kept)
	}
	if old, _ := os.ReadFile(kept[0]); string(old) != string(before) {
		t.Fatal("the kept file is not the replaced data file")
	}
	if text, ok := pupns(t, "check", "--data", data); !ok || !strings.HasPrefix(text, "UTUH: berkas data") {
		t.Fatalf("check after restore: %v\n%s", ok, text)
	}
	// A damaged data file: check says so, names the restore command, and exits 1.
	f, err := os.OpenFile(filepath.Join(data, "pupns.db"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := f.Stat()
	junk := make([]byte, 64<<10)
	for i := range junk {
		junk[i] = 0xA5
	}
	if _, err := f.WriteAt(junk, info.Size()/2-32<<10); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if text, ok := pupns(t, "check", "--data", data); ok || !strings.Contains(text, "TIDAK UTUH") || !strings.Contains(text, "pupns restore BERKAS-CADANGAN --data "+data) {
		t.Fatalf("check of a damaged office: %v\n%s", ok, text)
	}
}

// TestScheduledBackups: `serve --backup-every` backs up into --backup-dir on schedule, each backup
// with its check result beside it, and keeps the newest --backup-keep.
func TestScheduledBackups(t *testing.T) {
	data, dir := t.TempDir(), filepath.Join(t.TempDir(), "cadangan")
	srv := startServe(t, "--data", data, "--addr", "127.0.0.1:0", "--demo", "--demo-pns", "20",
		"--backup-dir", dir, "--backup-every", "300ms", "--backup-keep", "2")
	deadline := time.Now().Add(10 * time.Second)
	for {
		files, _ := filepath.Glob(filepath.Join(dir, "pupns-*.db"))
		results, _ := filepath.Glob(filepath.Join(dir, "pupns-*.db.json"))
		if len(files) == 2 && len(results) == 2 {
			if raw, _ := os.ReadFile(results[0]); !strings.Contains(string(raw), `"utuh":true`) {
				t.Fatalf("check result: %s", raw)
			}
			// Five turns later, still two: the oldest are deleted. The server is stopped before the
			// files are read, so retention cannot delete one while it is being checked.
			time.Sleep(1500 * time.Millisecond)
			if _, err := stopWithin(t, srv, 10*time.Second); err != nil {
				t.Fatalf("stopping the server: %v", err)
			}
			if files, _ = filepath.Glob(filepath.Join(dir, "pupns-*.db")); len(files) != 2 {
				t.Fatalf("after more turns the folder holds %v, want the newest 2", files)
			}
			if text, ok := pupns(t, "check", files[1]); !ok || !strings.HasPrefix(text, "UTUH") {
				t.Fatalf("check of a scheduled backup: %s", text)
			}
			// A copy with its record and one changed byte, at the end where no check reads: refused.
			copied := filepath.Join(t.TempDir(), filepath.Base(files[1]))
			raw, _ := os.ReadFile(files[1])
			rec, _ := os.ReadFile(files[1] + ".json")
			raw[len(raw)-1] ^= 1
			if os.WriteFile(copied, raw, 0o600) != nil || os.WriteFile(copied+".json", rec, 0o600) != nil {
				t.Fatal("copy")
			}
			if text, ok := pupns(t, "restore", copied, "--data", t.TempDir()); ok || !strings.Contains(text, "isinya berubah sejak dibuat") {
				t.Fatalf("restore of a changed scheduled backup: %v\n%s", ok, text)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no scheduled backups in %s: %v %v", dir, files, results)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
