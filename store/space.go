package store

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"time"
)

// Disk space: a write that fails because the data folder's filesystem is full becomes ErrDiskFull,
// and the health check and the summary page read how much room is left.
//
// Why bbolt needs nothing more than this to write again once space returns (bbolt v1.4.3, tx.go
// Commit and db.go): every step of a commit that can meet a full disk — growing the file
// (db.grow: ftruncate + fsync), writing the dirty pages (pwrite, then fdatasync), writing the meta
// page (pwrite, then fdatasync) — on failure calls tx.rollback, which gives back the pages the
// transaction took, reloads the free list from the meta page in force and releases the writer
// lock. The meta page readers trust is only replaced by the last step, so a commit that fails
// anywhere before it leaves the file and the handle exactly as they were, and the next commit
// simply tries again; allocating pages only remaps memory (mmap never needs disk space). No
// reopen is needed, and none would help: a reopened handle reads the same page cache.
//
// One case is not clean: if the final fdatasync of the meta page fails, the new meta page is
// already in the page cache, so the transaction is visible to readers (and the free list matches
// it) although Commit returned the error. The store then says ErrDiskFull for a change that may in
// fact stay; the next successful commit writes the other meta page and makes it durable. On
// ext4 and xfs the space for the meta page is allocated long before, so this needs a filesystem
// that allocates on overwrite (btrfs, thin volumes, NFS); retrying a proposal is harmless, as it
// stores the same value again.

// fullFloor is the free space under which the filesystem counts as full even before a write fails.
const fullFloor = 1 << 20

// spaceBack is how much free space must come back after a failed write before the health check
// stops saying full: enough for a document upload and bbolt's next file growth on a small file.
const spaceBack = 4 << 20

// spaceFailure is the last write refused for lack of space: when, and how much was free then.
type spaceFailure struct {
	at   time.Time
	free uint64
}

// isNoSpace tells whether err is the filesystem saying it is full. bbolt wraps some causes (file
// growth, mmap) with %s, losing the errno, so their message is matched as well; never for a
// refused input, whose message may quote what a person typed.
func isNoSpace(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	if errors.Is(err, ErrInvalid) {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, syscall.ENOSPC.Error()) || strings.Contains(msg, syscall.EDQUOT.Error())
}

// wrote is the one place a write's outcome passes (batch, update, Open): a lack of space becomes
// ErrDiskFull, with the cause kept for the log, and is remembered for the health check.
func (s *Store) wrote(err error) error {
	if err == nil || !isNoSpace(err) {
		return err
	}
	free, _, serr := s.Space()
	if serr != nil {
		free = 0
	}
	s.noSpace.Store(&spaceFailure{at: s.now(), free: free})
	return fmt.Errorf("%w: %w", ErrDiskFull, err)
}

// Space is the room on the data folder's filesystem: bytes this process may still use (what an
// unprivileged user may, so the root reserve of ext4 counts as used) and the filesystem's size.
// One statfs call: cheap enough for every health check.
func (s *Store) Space() (free, total uint64, err error) {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(s.dir, &fs); err != nil {
		return 0, 0, fmt.Errorf("store: statfs %s: %w", s.dir, err)
	}
	unit := uint64(fs.Frsize)
	if unit == 0 {
		unit = uint64(fs.Bsize)
	}
	return fs.Bavail * unit, fs.Blocks * unit, nil
}

// DiskState is what the health check and the staff's summary page say about the data folder's room.
type DiskState struct {
	Free, Total uint64
	Reserve     uint64 // the room under which staff are warned
	// Low is free space under the reserve: the warning that comes before the disk fills.
	Low bool
	// Full is a write refused for lack of space with the room not come back since, or free space
	// under 1 MiB: writes are failing or about to.
	Full bool
	// FailedAt is when the last write was refused for lack of space (zero when the room came back).
	FailedAt time.Time
}

// Disk reads the room left and compares it with reserve and with the last write refused for lack
// of space. Once at least 4 MiB more than at that failure is free again, the failure is forgotten:
// writes resume by themselves (each commit simply tries again), so nothing else needs resetting.
func (s *Store) Disk(reserve uint64) (DiskState, error) {
	free, total, err := s.Space()
	if err != nil {
		return DiskState{}, err
	}
	d := DiskState{Free: free, Total: total, Reserve: reserve, Low: free < reserve, Full: free < fullFloor}
	if f := s.noSpace.Load(); f != nil {
		if free >= f.free+spaceBack {
			s.noSpace.CompareAndSwap(f, nil)
		} else {
			d.Full, d.FailedAt = true, f.at
		}
	}
	d.Low = d.Low || d.Full
	return d, nil
}
