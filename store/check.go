package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"
)

// CheckReport is what Check found in a data file that it accepts.
type CheckReport struct {
	Took     time.Duration // the whole check
	Pages    int           // pages walked
	Values   int           // values whose seal was verified
	Missing  bool          // there is no data file yet: a new office
	Schema   int           // the schema version the file holds (0: no pupns data in it)
	Warnings []string      // damage bbolt can live with (one meta page), to be logged
	Quick    bool          // CheckStart found the file as a clean close left it and read only its meta pages
}

// Check verifies the data file in dir before a server serves it (CheckFile on DIR/pupns.db). A
// missing file is no damage: Open creates it, and the report says Missing.
func Check(dir string) (CheckReport, error) {
	path := filepath.Join(dir, "pupns.db")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return CheckReport{Missing: true}, nil
	}
	return CheckFile(path)
}

// CheckFile verifies the bbolt file at path, a data folder's or a backup's, before anything trusts
// it: the file is not empty, every page is readable where the structure says (pagewalk.go), bbolt's
// own consistency check passes, and every value matches its seal. Damage is an error wrapping
// ErrDamaged that says what was found; a file held by a running pupns is ErrInUse. The report
// carries the schema version the file holds (CheckBackup refuses the ones Open could not read).
//
// CheckFile opens the file read-only and closes it again; it takes about as long as reading the file.
func CheckFile(path string) (rep CheckReport, err error) {
	start := time.Now()
	defer func() { rep.Took = time.Since(start) }()
	fi, err := os.Stat(path)
	if err != nil {
		return rep, err
	}
	if fi.Size() == 0 {
		return rep, fmt.Errorf("%w: berkas kosong (0 byte)", ErrDamaged)
	}
	rep.Pages, rep.Warnings, err = walkFile(path)
	if err != nil {
		return rep, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	rep.Values, rep.Schema, err = checkBolt(path)
	return rep, err
}

// checkBolt runs bbolt's consistency check and reads every value through its seal, read-only.
func checkBolt(path string) (values, schema int, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverDamage(&err)
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: 2 * time.Second})
	if errors.Is(err, bberrors.ErrTimeout) {
		return 0, 0, ErrInUse
	}
	if err != nil {
		return 0, 0, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	defer db.Close()
	err = db.View(func(tx *bbolt.Tx) error {
		var found []string
		for e := range tx.Check() {
			if len(found) < 5 {
				found = append(found, e.Error())
			}
		}
		if len(found) > 0 {
			return fmt.Errorf("%w: %s", ErrDamaged, strings.Join(found, "; "))
		}
		ver, err := storedSchema(tx)
		if err != nil {
			return err
		}
		schema = ver
		if ver < 2 || ver > SchemaVersion {
			return nil // version 1 has no seals yet (Open adds them); a later one is Open's to refuse
		}
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if _, _, err := unsealRaw(name, k, v); err != nil { // the seal, without unpacking
					return err
				}
				values++
			}
			return nil
		})
	})
	return values, schema, err
}
