package store

import (
	"bytes"
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
	// Repacked is how many values written before packing (pack.go) or as JSON events
	// (events_codec.go) the copy stores packed or in the compact encoding.
	Repacked int
	Took     time.Duration
}

// Compact rewrites the data file of a stopped office at its live size: bbolt never gives back the
// pages that deletes freed (ended sessions, limiter rows, a purge), it only reuses them, so after
// the close or a big purge the file stays as large as it ever was. The file is checked (CheckFile:
// a file held by a running pupns is ErrInUse, a damaged one ErrDamaged, and nothing is written),
// copied key by key into a new file (bucket sequences kept; values written before packing are
// packed and JSON events re-encoded on the way, everything else copied as stored), and the copy is
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
	if rep.Repacked, err = compactInto(rep.Data, tmp.Name()); err != nil {
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

// compactInto copies the bbolt file at src into a new bbolt file at dst, synced once at the end,
// and says how many values it repacked (compactCopy). The source is opened read-only and without
// waiting: a running pupns holds it (ErrInUse).
func compactInto(src, dst string) (repacked int, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverDamage(&err)
	from, err := bbolt.Open(src, 0o600, &bbolt.Options{ReadOnly: true, Timeout: 100 * time.Millisecond})
	if errors.Is(err, bberrors.ErrTimeout) {
		return 0, fmt.Errorf("padatkan %s: %w", filepath.Dir(src), ErrInUse)
	}
	if err != nil {
		return 0, err
	}
	defer from.Close()
	to, err := bbolt.Open(dst, 0o600, &bbolt.Options{NoSync: true})
	if err != nil {
		return 0, err
	}
	repacked, err = compactCopy(to, from, 64<<20)
	if err == nil {
		err = to.Sync()
	}
	if cerr := to.Close(); err == nil {
		err = cerr
	}
	if err != nil && isNoSpace(err) {
		return 0, fmt.Errorf("padatkan %s: %w: %w", filepath.Dir(src), ErrDiskFull, err)
	}
	return repacked, err
}

// compactCopy copies every top-level bucket of from into to, in key order (pages filled whole),
// with its sequence, committing every txMax bytes as bbolt.Compact does. A value is verified
// against its seal and copied as stored, except a value written before packing existed in a
// bucket that packs (sealed anew: packed when it pays) and an event still in JSON (re-encoded).
func compactCopy(to, from *bbolt.DB, txMax int) (repacked int, err error) {
	tx, err := to.Begin(true)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.Rollback() }() // after a commit: ErrTxClosed, ignored
	size := 0
	err = from.View(func(src *bbolt.Tx) error {
		return src.ForEach(func(name []byte, sb *bbolt.Bucket) error {
			name = bytes.Clone(name)
			nb, err := tx.CreateBucket(name)
			if err != nil {
				return err
			}
			seq := sb.Sequence()
			if err := nb.SetSequence(seq); err != nil { // an empty bucket keeps its sequence too
				return err
			}
			return sb.ForEach(func(k, v []byte) error {
				if v == nil {
					return fmt.Errorf("%w: wadah bersarang %s/%s tidak dikenal", ErrDamaged, name, keyText(k))
				}
				out, changed, err := repackValue(name, k, v)
				if err != nil {
					return err
				}
				if changed {
					repacked++
				}
				if size += len(k) + len(out); size > txMax {
					if err := tx.Commit(); err != nil {
						return err
					}
					if tx, err = to.Begin(true); err != nil {
						return err
					}
					size = len(k) + len(out)
				}
				b := tx.Bucket(name)
				b.FillPercent = 1.0
				if err := b.SetSequence(seq); err != nil {
					return err
				}
				return b.Put(bytes.Clone(k), out)
			})
		})
	})
	if err != nil {
		return 0, err
	}
	return repacked, tx.Commit()
}

// repackValue is the value raw (as stored under key in bucket) as the copy stores it, and whether
// that differs from raw.
func repackValue(bucket, key, raw []byte) ([]byte, bool, error) {
	stored, packed, err := unsealRaw(bucket, key, raw)
	if err != nil || packed {
		return raw, false, err
	}
	val := stored
	if bytes.Equal(bucket, bEvents) && len(stored) > 0 && stored[0] == '{' {
		e, err := decodeEvent(be64(key), stored)
		if err != nil {
			return nil, false, fmt.Errorf("%w: peristiwa %s: %v", ErrDamaged, keyText(key), err)
		}
		val = encodeEvent(e)
	}
	out := seal(bucket, key, val)
	return out, !bytes.Equal(out, raw), nil
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
