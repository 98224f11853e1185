package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"go.etcd.io/bbolt"
)

// Backups are made from the running store, never by copying its file: a file copied while bbolt
// writes may hold half of a commit. One read transaction's WriteTo writes the file as that
// transaction sees it, every page of one committed state, while writers go on (bbolt's copy-on-write
// keeps the pages the snapshot reads). The transaction stays open for as long as the writing takes,
// so a backup goes to a local file first (BackupFile) and a slow reader (a download) is served
// from that file, never from the transaction.

// Backup writes a consistent snapshot of the whole data file to w and returns its size. It holds
// one read transaction while it writes: w should be a local file, not a network peer.
func (s *Store) Backup(w io.Writer) (n int64, err error) {
	err = s.view(func(tx *bbolt.Tx) error {
		var werr error
		n, werr = tx.WriteTo(w)
		return werr
	})
	return n, err
}

// BackupFile writes a snapshot to path atomically: into a temporary file beside it, synced, then
// renamed over path, so path is never a half-written backup, even after a crash or a full disk.
func (s *Store) BackupFile(path string) (int64, error) {
	return WriteFileAtomic(path, func(w io.Writer) (int64, error) { return s.Backup(w) })
}

// WriteFileAtomic writes path through fill: into a temporary file in the same folder, fsynced,
// renamed over path, the folder fsynced. On any failure the temporary file is removed and path is
// left as it was.
func WriteFileAtomic(path string, fill func(io.Writer) (int64, error)) (n int64, err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if n, err = fill(f); err != nil {
		return n, err
	}
	if err = f.Sync(); err != nil {
		return n, err
	}
	if err = f.Close(); err != nil {
		return n, err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return n, err
	}
	return n, syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// CheckBackup verifies a backup file before it is restored: CheckFile (structure, bbolt's
// consistency check, every seal) and a schema version this program reads. The error says, in
// Indonesian, why the file cannot be trusted; it wraps ErrDamaged or ErrSchema.
func CheckBackup(path string) (CheckReport, error) {
	rep, err := CheckFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return rep, fmt.Errorf("berkas cadangan %s tidak ada", path)
	case errors.Is(err, ErrDamaged):
		return rep, fmt.Errorf("berkas cadangan %s rusak, jadi tidak dipakai: %w", path, err)
	case err != nil:
		return rep, fmt.Errorf("berkas cadangan %s: %w", path, err)
	case rep.Schema == 0:
		return rep, fmt.Errorf("berkas cadangan %s: %w: berkas bbolt tanpa versi skema, bukan data pupns", path, ErrSchema)
	case rep.Schema > SchemaVersion:
		return rep, fmt.Errorf("berkas cadangan %s: %w: berkas versi %d, program ini versi %d; pulihkan dengan pupns yang lebih baru",
			path, ErrSchema, rep.Schema, SchemaVersion)
	}
	return rep, nil
}

// RestoreReport says what Restore did.
type RestoreReport struct {
	Check CheckReport // of the backup, before anything was replaced
	Data  string      // the data file now holding the backup
	Kept  string      // where the replaced data file is kept; "" when the folder had none
	Size  int64       // bytes restored
}

// Restore puts the backup file into dir as its data file, for a stopped office. The backup is
// verified first (CheckBackup); a data file held by a running pupns is ErrInUse and stays as it
// is. The replaced file is kept beside the new one as pupns.db.sebelum-pulih-<time>, and the new
// one is written atomically: at every moment pupns.db is wholly the old file or wholly the backup.
func Restore(file, dir string, now time.Time) (rep RestoreReport, err error) {
	if rep.Check, err = CheckBackup(file); err != nil {
		return rep, err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return rep, err
	}
	rep.Data = filepath.Join(dir, "pupns.db")
	unlock, exists, err := lockData(rep.Data)
	if err != nil {
		return rep, err
	}
	defer unlock()
	if exists && sameFile(file, rep.Data) {
		return rep, fmt.Errorf("berkas cadangan %s adalah berkas data itu sendiri", file)
	}
	src, err := os.Open(file)
	if err != nil {
		return rep, err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(dir, ".pupns.db.*.pulih")
	if err != nil {
		return rep, err
	}
	defer os.Remove(tmp.Name()) // gone after the rename; removes a failed copy
	if rep.Size, err = io.Copy(tmp, src); err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return rep, fmt.Errorf("salin cadangan ke %s: %w", dir, err)
	}
	if exists {
		if rep.Kept, err = keep(rep.Data, now); err != nil {
			return rep, fmt.Errorf("simpan berkas data lama: %w", err)
		}
	}
	if err := os.Rename(tmp.Name(), rep.Data); err != nil {
		return rep, err
	}
	return rep, syncDir(dir)
}

// keep links the data file at path under a name of its own, pupns.db.sebelum-pulih-<time> (with
// a number when a restore of the same second kept one), and returns that name.
func keep(path string, now time.Time) (string, error) {
	base := path + ".sebelum-pulih-" + now.Format("20060102-150405")
	name := base
	for i := 2; ; i++ {
		err := os.Link(path, name)
		if !errors.Is(err, os.ErrExist) {
			return name, err
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}

// lockData takes the lock bbolt takes (flock, exclusive) on the data file at path, without
// waiting: a running pupns holds it, and is ErrInUse. It returns whether the file exists.
func lockData(path string) (unlock func(), exists bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return func() {}, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, true, fmt.Errorf("pulihkan ke %s: %w", filepath.Dir(path), ErrInUse)
		}
		return nil, true, err
	}
	return func() { f.Close() }, true, nil
}

// sameFile tells whether a and b name the same file.
func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// Dir is the data folder the store was opened in: the default backup folder lives under it.
func (s *Store) Dir() string { return s.dir }
