package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"pupns/handlers/export"
	"pupns/store"
)

// Export jobs: an export started on /admin/ekspor runs in the server, one at a time, and writes a
// file into <data>/ekspor/ (first as .part, renamed when whole). The running job's progress is
// kept in memory for its owner's pages; the job itself is recorded in the store when it begins and
// when it ends (store.ExportFile), so after a restart its owner still finds the file to download,
// and a job a restart cut short says so. Files are kept for store.ExportKeep, at most
// store.ExportFilesKept of them; older ones, and files no job names (a .part a kill left), are
// removed when the server starts and whenever a job begins.

// exportDir is the folder under the data folder that holds the export files.
const exportDir = "ekspor"

// exportJob is one export: who started it, what it is, and how far it has come.
type exportJob struct {
	id      string
	owner   store.Actor
	req     store.ExportRequest
	format  string
	path    string // the finished file
	name    string // its name for the download
	started time.Time

	mu         sync.Mutex
	done, tot  int
	rows       int
	size       int64
	finished   bool
	err        error
	finishedAt time.Time
}

// snapshot is the job's progress, read under its lock.
type exportSnapshot struct {
	done, total, rows int
	size              int64
	finished          bool
	err               error
}

func (j *exportJob) snapshot() exportSnapshot {
	j.mu.Lock()
	defer j.mu.Unlock()
	return exportSnapshot{done: j.done, total: j.tot, rows: j.rows, size: j.size, finished: j.finished, err: j.err}
}

// exportJobs is the server's list of jobs and the one slot they run in.
type exportJobs struct {
	mu   sync.Mutex
	jobs []*exportJob // oldest first
	slot chan struct{}
}

func newExportJobs() *exportJobs { return &exportJobs{slot: make(chan struct{}, 1)} }

// loadExportJobs is the server's list as the store recorded it: finished jobs as they ended, a job
// a restart cut short as failed (and recorded so), the old ones and stray files removed.
func loadExportJobs(st *store.Store, log *slog.Logger) *exportJobs {
	x := newExportJobs()
	files, err := st.ExportFiles()
	if err != nil {
		log.Error("daftar ekspor tidak terbaca: ekspor sebelumnya tidak tercantum", "err", err)
	}
	for _, f := range files {
		if f.Finished.IsZero() {
			f.Finished, f.Failed = st.Now(), "Ekspor terhenti karena server dimulai ulang sebelum selesai: ulangi ekspornya."
			if err := st.PutExportFile(f); err != nil {
				log.Error("ekspor yang terhenti tidak dapat dicatat", "id", f.ID, "err", err)
			}
		}
		x.jobs = append(x.jobs, jobOf(st, f))
	}
	x.prune(st, log)
	return x
}

// jobOf is a recorded export as a finished job.
func jobOf(st *store.Store, f store.ExportFile) *exportJob {
	j := &exportJob{id: f.ID, owner: store.Actor{Login: f.Owner}, req: store.ExportRequest{Kind: f.Kind, Filter: f.Filter},
		format: f.Format, name: f.Name, path: filepath.Join(st.Dir(), exportDir, f.Name), started: f.Started,
		rows: f.Rows, size: f.Size, finished: true, finishedAt: f.Finished}
	if f.Failed != "" {
		j.err = recordedFailure(f.Failed)
	}
	return j
}

// recordedFailure is a failed job's sentence as the store recorded it (exportError shows it as is).
type recordedFailure string

func (r recordedFailure) Error() string { return string(r) }

// record is the job as the store keeps it.
func (j *exportJob) record() store.ExportFile {
	j.mu.Lock()
	defer j.mu.Unlock()
	f := store.ExportFile{ID: j.id, Owner: j.owner.Login, Kind: j.req.Kind, Format: j.format, Filter: j.req.Filter,
		Name: j.name, Started: j.started, Rows: j.rows, Size: j.size}
	if j.finished {
		f.Finished = j.finishedAt
		if j.err != nil {
			f.Failed = exportError(j.err)
		}
	}
	return f
}

// prune removes the jobs the store's rule expires (their files and records) and every file in
// the folder no remaining job names. A running job is never removed.
func (x *exportJobs) prune(st *store.Store, log *slog.Logger) {
	x.mu.Lock()
	files := make([]store.ExportFile, len(x.jobs))
	for i, j := range x.jobs {
		files[i] = store.ExportFile{Started: j.started}
	}
	var keep []*exportJob
	var gone []*exportJob
	for i, j := range x.jobs {
		if store.ExportFileExpired(files, i, st.Now()) && j.snapshot().finished {
			gone = append(gone, j)
		} else {
			keep = append(keep, j)
		}
	}
	x.jobs = keep
	named := map[string]bool{}
	for _, j := range keep {
		named[j.name] = true
		named[j.name+".part"] = true
	}
	x.mu.Unlock()
	for _, j := range gone {
		if err := os.Remove(j.path); err != nil && !errors.Is(err, os.ErrNotExist) {
			log.Error("berkas ekspor lama tidak dapat dihapus", "file", j.path, "err", err)
		}
		if err := st.DeleteExportFile(j.id); err != nil {
			log.Error("catatan ekspor lama tidak dapat dihapus", "id", j.id, "err", err)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(st.Dir(), exportDir))
	for _, e := range entries {
		if !e.IsDir() && !named[e.Name()] {
			_ = os.Remove(filepath.Join(st.Dir(), exportDir, e.Name()))
		}
	}
}

// get finds a job of the owner's (another account's job is not found).
func (x *exportJobs) get(login, id string) (*exportJob, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, j := range x.jobs {
		if j.id == id && j.owner.Login == login {
			return j, true
		}
	}
	return nil, false
}

// of lists the owner's jobs, newest first.
func (x *exportJobs) of(login string) []*exportJob {
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []*exportJob
	for _, j := range slices.Backward(x.jobs) {
		if j.owner.Login == login {
			out = append(out, j)
		}
	}
	return out
}

// start remembers a new job and runs it in the background, after the jobs before it.
func (x *exportJobs) start(st *store.Store, log *slog.Logger, a store.Actor, req store.ExportRequest, format string) (*exportJob, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	now := st.Now()
	id := hex.EncodeToString(b[:])
	name := fmt.Sprintf("ekspor-%s-%s-%s.%s", req.Kind, now.Format("20060102-150405"), id[:6], format)
	j := &exportJob{id: id, owner: a, req: req, format: format, name: name, started: now,
		path: filepath.Join(st.Dir(), exportDir, name)}
	j.req.Progress = func(done, total int) { j.mu.Lock(); j.done, j.tot = done, total; j.mu.Unlock() }
	if err := st.PutExportFile(j.record()); err != nil {
		return nil, err
	}
	x.mu.Lock()
	x.jobs = append(x.jobs, j)
	x.mu.Unlock()
	x.prune(st, log)
	go func() {
		x.slot <- struct{}{}
		defer func() { <-x.slot }()
		rows, size, err := j.run(st)
		j.mu.Lock()
		j.rows, j.size, j.err, j.finished, j.finishedAt = rows, size, err, true, st.Now()
		j.mu.Unlock()
		if err := st.PutExportFile(j.record()); err != nil {
			log.Error("akhir ekspor tidak dapat dicatat", "id", j.id, "err", err)
		}
	}()
	return j, nil
}

// run writes the export into its file: first beside it as .part, renamed when whole.
func (j *exportJob) run(st *store.Store) (rows int, size int64, err error) {
	if err := os.MkdirAll(filepath.Dir(j.path), 0o750); err != nil {
		return 0, 0, err
	}
	part := j.path + ".part"
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return 0, 0, err
	}
	defer os.Remove(part) // gone after the rename; a failed run leaves nothing
	rows, err = export.Write(st, j.owner, j.req, j.format, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, 0, err
	}
	fi, err := os.Stat(part)
	if err != nil {
		return 0, 0, err
	}
	return rows, fi.Size(), os.Rename(part, j.path)
}

// wait blocks until the job has finished (tests, benchmarks).
func (j *exportJob) wait() exportSnapshot {
	for {
		if s := j.snapshot(); s.finished {
			return s
		}
		time.Sleep(5 * time.Millisecond)
	}
}
