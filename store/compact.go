package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"
)

// CompactReport says what Compact did.
type CompactReport struct {
	Data   string      // the data file compacted
	Out    string      // the compacted file: Data itself after the swap, or the --out file
	Kept   string      // where the file before compaction is kept ("" with an --out file)
	Before int64       // bytes of the data file before
	After  int64       // bytes of the compacted file
	Check  CheckReport // of the compacted file, before anything was swapped
	Took   time.Duration
}

// Compact rewrites the data file of a stopped office at its live size: bbolt never gives back the
// pages that deletes freed (ended sessions, limiter rows, a purge), it only reuses them, so after
// the close or a big purge the file stays as large as it ever was. The file is checked (CheckFile:
// a file held by a running pupns is ErrInUse, a damaged one ErrDamaged, and nothing is written),
// copied key by key into a new file (bbolt.Compact, bucket sequences kept), and the copy is
// checked and must hold every value the file held. With out "", the copy then replaces the data
// file, and the file before is kept beside it as pupns.db.sebelum-padat-<time> (as Restore keeps
// the file it replaces); otherwise the copy is left at out and the data file is not touched.
func Compact(dir, out string, now time.Time) (rep CompactReport, err error) {
	start := time.Now()
	rep.Data = filepath.Join(dir, "pupns.db")
	was, err := os.Stat(rep.Data) // swapIn refuses a file changed since
	if err != nil {
		return rep, fmt.Errorf("folder %s tidak berisi berkas data (pupns.db): %w", dir, err)
	}
	rep.Before = was.Size()
	before, err := CheckFile(rep.Data)
	if err != nil {
		return rep, err
	}
	target := out
	if target == "" {
		target = rep.Data
	} else if _, err := os.Stat(out); err == nil {
		return rep, fmt.Errorf("berkas %s sudah ada: pilih nama lain untuk hasil pemadatan", out)
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), ".pupns.db.*.padat")
	if err != nil {
		return rep, err
	}
	tmp.Close()
	defer os.Remove(tmp.Name()) // gone after the rename; removes a failed copy
	if err := compactInto(rep.Data, tmp.Name()); err != nil {
		return rep, err
	}
	if rep.Check, err = CheckFile(tmp.Name()); err != nil {
		return rep, fmt.Errorf("hasil pemadatan tidak utuh, berkas data tidak diubah: %w", err)
	}
	if rep.Check.Values != before.Values || rep.Check.Schema != before.Schema {
		return rep, fmt.Errorf("%w: hasil pemadatan berisi %d nilai (skema %d), berkas data %d (skema %d); berkas data tidak diubah",
			ErrDamaged, rep.Check.Values, rep.Check.Schema, before.Values, before.Schema)
	}
	fi, err := os.Stat(tmp.Name())
	if err != nil {
		return rep, err
	}
	rep.After = fi.Size()
	if err := swapIn(&rep, tmp.Name(), target, out == "", was, now); err != nil {
		return rep, err
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// compactInto copies the bbolt file at src into a new bbolt file at dst, synced once at the end.
// The source is opened read-only and without waiting: a running pupns holds it (ErrInUse).
func compactInto(src, dst string) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverDamage(&err)
	from, err := bbolt.Open(src, 0o600, &bbolt.Options{ReadOnly: true, Timeout: 100 * time.Millisecond})
	if errors.Is(err, bberrors.ErrTimeout) {
		return fmt.Errorf("padatkan %s: %w", filepath.Dir(src), ErrInUse)
	}
	if err != nil {
		return err
	}
	defer from.Close()
	to, err := bbolt.Open(dst, 0o600, &bbolt.Options{NoSync: true})
	if err != nil {
		return err
	}
	err = bbolt.Compact(to, from, 64<<20)
	if err == nil {
		err = to.Sync()
	}
	if cerr := to.Close(); err == nil {
		err = cerr
	}
	if err != nil && isNoSpace(err) {
		return fmt.Errorf("padatkan %s: %w: %w", filepath.Dir(src), ErrDiskFull, err)
	}
	return err
}

// swapIn moves the compacted file at tmp to target. Over the data file (replace), it first takes
// the lock a server takes, so a server that started meanwhile is ErrInUse and nothing changes,
// and keeps the file before beside it; a data file changed since it was compacted (was) stays.
func swapIn(rep *CompactReport, tmp, target string, replace bool, was os.FileInfo, now time.Time) error {
	rep.Out = target
	if !replace {
		if err := os.Rename(tmp, target); err != nil {
			return err
		}
		return syncDir(filepath.Dir(target))
	}
	unlock, _, err := lockData(target)
	if errors.Is(err, ErrInUse) {
		return fmt.Errorf("padatkan %s: %w", filepath.Dir(target), ErrInUse)
	}
	if err != nil {
		return err
	}
	defer unlock()
	if fi, err := os.Stat(target); err != nil || !fi.ModTime().Equal(was.ModTime()) || fi.Size() != was.Size() {
		return fmt.Errorf("padatkan %s: berkas data berubah selama pemadatan (server sempat berjalan?); berkas data tidak diubah, ulangi", filepath.Dir(target))
	}
	if rep.Kept, err = keepAs(target, ".sebelum-padat-", now); err != nil {
		return fmt.Errorf("simpan berkas data lama: %w", err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return err
	}
	return syncDir(filepath.Dir(target))
}

// keepAs links the file at path under path + infix + <time> (with a number when one of the same
// second exists) and returns that name.
func keepAs(path, infix string, now time.Time) (string, error) {
	base := path + infix + now.Format("20060102-150405")
	name := base
	for i := 2; ; i++ {
		err := os.Link(path, name)
		if !errors.Is(err, os.ErrExist) {
			return name, err
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}
