package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// A full Check reads the whole data file: about 4 GB, and far more than a second, for an office of
// 250,000 PNS. What it guards against is damage from outside pupns: a disk error, a file cut short,
// a crash during a write, a file copied or edited. So when pupns closes a data file cleanly it
// leaves a check stamp beside it (DIR/pupns.checked) naming the file exactly as it left it: its
// last transaction, size, modification time and inode. A start that finds the file still so,
// with both meta pages sound and the file as long as its meta says, skips the full walk; any
// other start (no stamp, a crash, a restored, copied or touched file, a damaged meta page) checks
// the whole file as before. Open removes the stamp, so a process that dies never leaves one that
// matches. Damage to a data page while the file rests unchanged is still found: every value is
// verified against its seal when it is read, and `pupns check` walks everything on demand.

// stampName is the check stamp's file name in the data folder.
const stampName = "pupns.checked"

// checkStamp is what the stamp records of the file a clean close left.
type checkStamp struct {
	TxID  uint64    `json:"txid"`
	Size  int64     `json:"size"`
	MTime int64     `json:"mtime_ns"`
	Inode uint64    `json:"inode"`
	At    time.Time `json:"closed_at"`
}

// stampOf describes the file at path as it is now: its newest meta's transaction (both meta pages
// must be sound and the file as long as the meta says), size, modification time and inode.
func stampOf(path string) (checkStamp, error) {
	f, err := os.Open(path)
	if err != nil {
		return checkStamp{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return checkStamp{}, err
	}
	w := &walk{f: f, size: fi.Size(), seen: map[uint64]bool{}}
	if err := w.pickMeta(); err != nil {
		return checkStamp{}, err
	}
	if len(w.warnings) > 0 {
		return checkStamp{}, errors.New(w.warnings[0])
	}
	st := checkStamp{TxID: w.meta.txid, Size: fi.Size(), MTime: fi.ModTime().UnixNano()}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.Inode = sys.Ino
	}
	return st, nil
}

// writeStamp leaves the check stamp for the data file in dir, just closed cleanly. It is written
// to a temporary file and renamed, so a stamp is whole or absent.
func writeStamp(dir string) error {
	st, err := stampOf(filepath.Join(dir, "pupns.db"))
	if err != nil {
		return err
	}
	st.At = time.Now()
	raw, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, stampName+".tmp")
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, stampName))
}

// removeStamp removes the stamp of a data file about to be written.
func removeStamp(dir string) error {
	if err := os.Remove(filepath.Join(dir, stampName)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("store: hapus %s: %w", stampName, err)
	}
	return nil
}

// stamped tells whether the data file in dir is exactly as a clean close left it.
func stamped(dir string) bool {
	raw, err := os.ReadFile(filepath.Join(dir, stampName))
	if err != nil {
		return false
	}
	var want checkStamp
	if json.Unmarshal(raw, &want) != nil {
		return false
	}
	got, err := stampOf(filepath.Join(dir, "pupns.db"))
	if err != nil {
		return false
	}
	got.At = want.At
	return got == want
}

// CheckStart is the check a server runs before it serves the data file in dir: Check, unless the
// file is exactly as a clean close left it (the check stamp above), when reading its meta pages
// is enough. The report says which (Quick).
func CheckStart(dir string) (CheckReport, error) {
	start := time.Now()
	if stamped(dir) {
		return CheckReport{Quick: true, Took: time.Since(start)}, nil
	}
	return Check(dir)
}
