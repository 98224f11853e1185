// Package backup takes the running server's backups: on a schedule into a folder with a retention
// rule (Run), on request (Take, the admin page's button), and as a download (Snapshot). Each backup
// is written atomically from one read transaction (store.BackupFile), then checked as a restore
// would check it (store.CheckBackup); the result is kept in a small file beside it
// (NAME.db.json), so the admin page and the monitoring warning read it without checking again.
package backup

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"pupns/store"
)

// Defaults of the serve flags.
const (
	DefaultEvery = 6 * time.Hour
	DefaultKeep  = 28
	// DirName is the folder under the data folder that holds the backups by default.
	DirName = "cadangan"
	// grace is how much later than the schedule the newest backup may be before it is stale: a
	// backup of a large file takes a while.
	grace = 10 * time.Minute
)

// nameLayout names a backup by the UTC time it began; names sort by time.
const nameLayout = "pupns-20060102-150405Z"

// Config is where and how often the server backs up.
type Config struct {
	Dir   string        // the backup folder
	Every time.Duration // how often; 0: no schedule (the page and the download still work)
	Keep  int           // how many backups the folder keeps; 0: DefaultKeep
}

// Backups takes and lists the backups of one store.
type Backups struct {
	st  *store.Store
	cfg Config
	log *slog.Logger
	now func() time.Time
	mu  sync.Mutex // one backup at a time
}

// New makes the Backups of st.
func New(st *store.Store, cfg Config, log *slog.Logger) *Backups {
	if cfg.Keep <= 0 {
		cfg.Keep = DefaultKeep
	}
	if log == nil {
		log = slog.Default()
	}
	return &Backups{st: st, cfg: cfg, log: log, now: time.Now}
}

// Config is what the Backups were made with.
func (b *Backups) Config() Config { return b.cfg }

// Entry is one backup in the folder with the result of its check.
type Entry struct {
	Name    string
	Path    string
	Size    int64
	Time    time.Time // when it was taken
	Checked bool      // a check result is on file
	OK      bool      // the check passed
	Message string    // what the check found (Indonesian): a summary when OK, the damage when not
	SHA256  string    // of the file as written
}

// result is the check result kept beside a backup.
type result struct {
	Time    time.Time `json:"waktu"`
	Size    int64     `json:"ukuran"`
	SHA256  string    `json:"sha256"`
	OK      bool      `json:"utuh"`
	Message string    `json:"pesan"`
	Took    string    `json:"lama"`
}

// sidecar is the file that holds a backup's check result.
func sidecar(path string) string { return path + ".json" }

// Take writes a backup into the folder now, checks it, records the result and applies the
// retention rule. A backup that fails its check stays on file with its finding, and is an error.
func (b *Backups) Take() (Entry, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := os.MkdirAll(b.cfg.Dir, 0o750); err != nil {
		return Entry{}, fmt.Errorf("folder cadangan %s: %w", b.cfg.Dir, err)
	}
	start := b.now()
	path := b.freeName(start)
	h := sha256.New()
	n, err := store.WriteFileAtomic(path, func(w io.Writer) (int64, error) { return b.st.Backup(io.MultiWriter(w, h)) })
	if err != nil {
		b.log.Error("cadangan gagal ditulis", "berkas", path, "err", err)
		return Entry{}, fmt.Errorf("cadangan %s gagal ditulis: %w", path, err)
	}
	rep, cerr := store.CheckBackup(path)
	res := result{Time: start, Size: n, SHA256: hex.EncodeToString(h.Sum(nil)), OK: cerr == nil,
		Took: time.Since(start).Round(time.Millisecond).String()}
	if cerr != nil {
		res.Message = cerr.Error()
	} else {
		res.Message = fmt.Sprintf("utuh: %d halaman, %d nilai dengan segel", rep.Pages, rep.Values)
	}
	raw, _ := json.Marshal(res)
	if _, err := store.WriteFileAtomic(sidecar(path), func(w io.Writer) (int64, error) {
		k, err := w.Write(append(raw, '\n'))
		return int64(k), err
	}); err != nil {
		b.log.Error("hasil pemeriksaan cadangan tidak tersimpan", "berkas", path, "err", err)
	}
	e := entryOf(path, res)
	if cerr != nil {
		b.log.Error("cadangan gagal diperiksa", "berkas", path, "ukuran", n, "err", cerr)
		return e, cerr
	}
	b.log.Info("cadangan dibuat", "berkas", path, "ukuran", n, "lama", res.Took, "halaman", rep.Pages, "nilai", rep.Values)
	b.prune()
	return e, nil
}

// freeName is the path of a backup begun at t, with a suffix when one of that second exists.
func (b *Backups) freeName(t time.Time) string {
	base := t.UTC().Format(nameLayout)
	path := filepath.Join(b.cfg.Dir, base+".db")
	for i := 2; ; i++ {
		if _, err := os.Lstat(path); errors.Is(err, os.ErrNotExist) {
			return path
		}
		path = filepath.Join(b.cfg.Dir, fmt.Sprintf("%s-%d.db", base, i))
	}
}

// entryOf is the Entry of the backup at path with its check result.
func entryOf(path string, r result) Entry {
	return Entry{Name: filepath.Base(path), Path: path, Size: r.Size, Time: r.Time, Checked: true, OK: r.OK,
		Message: r.Message, SHA256: r.SHA256}
}

// List returns the backups in the folder, newest first. A backup without a check result (one
// copied in by hand, or whose result could not be written) is listed unchecked, its time from
// its name.
func (b *Backups) List() ([]Entry, error) {
	paths, err := filepath.Glob(filepath.Join(b.cfg.Dir, "pupns-*.db"))
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		var r result
		if raw, err := os.ReadFile(sidecar(p)); err == nil && json.Unmarshal(raw, &r) == nil {
			e := entryOf(p, r)
			e.Size = fi.Size()
			out = append(out, e)
			continue
		}
		e := Entry{Name: filepath.Base(p), Path: p, Size: fi.Size(), Time: fi.ModTime(), Message: "belum diperiksa"}
		if t, err := time.Parse(nameLayout, strings.SplitN(strings.TrimSuffix(e.Name, ".db"), "Z", 2)[0]+"Z"); err == nil {
			e.Time = t
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Time.Equal(out[j].Time) {
			return out[i].Time.After(out[j].Time)
		}
		return out[i].Name > out[j].Name
	})
	return out, nil
}

// prune deletes the oldest backups beyond Keep, never the newest one that checked clean.
func (b *Backups) prune() {
	all, err := b.List()
	if err != nil {
		b.log.Warn("daftar cadangan tidak terbaca", "err", err)
		return
	}
	keptGood := false
	for i, e := range all {
		if i < b.cfg.Keep || e.OK && !keptGood {
			keptGood = keptGood || e.OK
			continue
		}
		for _, p := range []string{e.Path, sidecar(e.Path)} {
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				b.log.Warn("cadangan lama tidak terhapus", "berkas", p, "err", err)
			}
		}
		b.log.Info("cadangan lama dihapus", "berkas", e.Path, "simpan", b.cfg.Keep)
	}
}

// Newest is the time of the newest backup that checked clean, and whether there is one: the
// age the monitoring page and the metrics report.
func (b *Backups) Newest() (time.Time, bool) {
	all, err := b.List()
	if err != nil {
		return time.Time{}, false
	}
	for _, e := range all {
		if e.OK {
			return e.Time, true
		}
	}
	return time.Time{}, false
}

// Status is what the monitoring page needs to warn about backups.
type Status struct {
	Every  time.Duration // the schedule; 0: none
	Newest time.Time     // the newest backup that checked clean; zero when none
	Stale  bool          // a schedule is set and the newest good backup is older than it, or none exists
}

// Status says whether the backups keep up with the schedule.
func (b *Backups) Status() Status {
	s := Status{Every: b.cfg.Every}
	t, ok := b.Newest()
	if ok {
		s.Newest = t
	}
	s.Stale = s.Every > 0 && (!ok || b.now().Sub(t) > s.Every+grace)
	return s
}

// VerifySum compares the backup file at path with the SHA-256 recorded beside it when it was
// taken, if a record is there: a changed byte anywhere, even in a free page no check reads, is
// then found. recorded is false for a file without a record (a download, a copy); the error wraps
// store.ErrDamaged.
func VerifySum(path string) (recorded bool, err error) {
	raw, err := os.ReadFile(sidecar(path))
	if err != nil {
		return false, nil
	}
	var r result
	if json.Unmarshal(raw, &r) != nil || r.SHA256 == "" {
		return false, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return true, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return true, err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != r.SHA256 {
		return true, fmt.Errorf("berkas cadangan %s rusak, jadi tidak dipakai: %w: isinya berubah sejak dibuat (SHA-256 %s…, tercatat %s… di %s)",
			path, store.ErrDamaged, got[:12], r.SHA256[:min(12, len(r.SHA256))], filepath.Base(sidecar(path)))
	}
	return true, nil
}
