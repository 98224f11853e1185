package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"pupns/handlers/export"
	"pupns/store"
)

// Export jobs: an export started on /admin/ekspor runs in the server, one at a time, and writes a
// file into <data>/ekspor/ (first as .part, renamed when whole). The job (its progress, its
// result) is kept in memory for its owner's pages; the file stays on disk.

// exportDir is the folder under the data folder that holds the export files.
const exportDir = "ekspor"

// maxExportJobs is how many jobs are remembered; older ones drop from the list (their files stay).
const maxExportJobs = 50

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
func (x *exportJobs) start(st *store.Store, a store.Actor, req store.ExportRequest, format string) (*exportJob, error) {
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
	x.mu.Lock()
	x.jobs = append(x.jobs, j)
	if len(x.jobs) > maxExportJobs {
		x.jobs = slices.Delete(x.jobs, 0, len(x.jobs)-maxExportJobs)
	}
	x.mu.Unlock()
	go func() {
		x.slot <- struct{}{}
		defer func() { <-x.slot }()
		rows, size, err := j.run(st)
		j.mu.Lock()
		j.rows, j.size, j.err, j.finished, j.finishedAt = rows, size, err, true, time.Now()
		j.mu.Unlock()
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
