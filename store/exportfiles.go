package store

import (
	"encoding/json"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// ExportFile is an export the server wrote, or is writing, into the data folder's ekspor/ folder
// for an account: remembered in the store so that its owner can still download it after the
// server restarts, and so that old files are removed instead of filling the disk.
type ExportFile struct {
	ID       string       `json:"id"`
	Owner    string       `json:"owner"` // the login of the account that asked for it
	Kind     ExportKind   `json:"kind"`
	Format   string       `json:"format"`
	Filter   ExportFilter `json:"filter"`
	Name     string       `json:"name"` // the file's name in ekspor/ and for the download
	Started  time.Time    `json:"started"`
	Finished time.Time    `json:"finished,omitzero"`
	Rows     int          `json:"rows,omitempty"`
	Size     int64        `json:"size,omitempty"`
	Failed   string       `json:"failed,omitempty"` // why it failed, in the user's words
}

// ExportKeep is how long an export file is kept for download again: a week, long enough to
// fetch it on another day, short enough that a campaign's daily exports do not fill the disk.
const ExportKeep = 7 * 24 * time.Hour

// ExportFilesKept is how many export files are kept at most, whatever their age.
const ExportFilesKept = 50

// PutExportFile records an export file (when it begins and again when it ends) in one
// transaction.
func (s *Store) PutExportFile(f ExportFile) error {
	return s.update(func(tx *bbolt.Tx) error {
		return putJSON(bk(tx, bExportFiles), []byte(f.ID), f)
	})
}

// ExportFiles lists the export files recorded, in the order they began.
func (s *Store) ExportFiles() ([]ExportFile, error) {
	var out []ExportFile
	err := s.view(func(tx *bbolt.Tx) error {
		return bk(tx, bExportFiles).ForEach(func(k, v []byte) error {
			var f ExportFile
			if err := json.Unmarshal(v, &f); err != nil {
				return err
			}
			out = append(out, f)
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b ExportFile) int { return a.Started.Compare(b.Started) })
	return out, err
}

// DeleteExportFile forgets an export file (its file is removed by the caller, which owns the
// folder).
func (s *Store) DeleteExportFile(id string) error {
	return s.update(func(tx *bbolt.Tx) error { return bk(tx, bExportFiles).Delete([]byte(id)) })
}

// ExportFileExpired is the store's rule for removing an export file: older than ExportKeep, or
// beyond the newest ExportFilesKept (files is in the order they began; i is its index).
func ExportFileExpired(files []ExportFile, i int, now time.Time) bool {
	return now.Sub(files[i].Started) > ExportKeep || len(files)-i > ExportFilesKept
}
