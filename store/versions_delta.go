package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// Record versions are stored as what changed (schema version 4), not as full copies: the current
// record is kept whole in the records bucket, and each version k keeps an undo, the few values
// that turn record k back into record k-1. Reading a PNS's versions walks back from the current
// record, so every version can still be shown whole (readVersions). A first version (a record as
// imported) keeps no undo. The changes a version lists are derived when read (diffFields of the
// two records, as writeVersion computed them) instead of stored. Version 3 files hold full copies (storedVersion.Record); they are read as
// they are and rewritten as undos by migrateVersionDeltas.

// storedVersion is a version as the versions bucket holds it; NIP and number are the key's.
type storedVersion struct {
	At           time.Time  `json:"at"`
	By           string     `json:"by"`
	Cause        string     `json:"cause"`
	SubmissionID uint64     `json:"submission_id,omitempty"`
	Changes      []Change   `json:"changes,omitempty"`
	Approvals    []Decision `json:"approvals,omitempty"`
	// Derived marks a version whose changes are not stored but are diffFields(the previous
	// version's record, or an empty one before the first, its record): as writeVersion made them.
	Derived bool `json:"derived,omitempty"`
	// Undo turns this version's record into the previous one's (nil for a first version).
	Undo *recordUndo `json:"undo,omitempty"`
	// Record is a full copy: only in versions written before schema version 4.
	Record *Record `json:"record,omitempty"`
}

// recordUndo holds, of the previous record, only what differs from this one: the head fields
// that changed (nil: the same), each field whose value differs (nil: the field was absent), and
// the history tables that differ.
type recordUndo struct {
	Version    *int                  `json:"v,omitempty"`
	InstansiID *string               `json:"i,omitempty"`
	UnitID     *string               `json:"u,omitempty"`
	UpdatedAt  *time.Time            `json:"at,omitempty"`
	UpdatedBy  *string               `json:"by,omitempty"`
	NoFields   bool                  `json:"nf,omitempty"` // the previous record's Fields was nil
	Fields     map[string]*string    `json:"f,omitempty"`
	NoRiwayat  bool                  `json:"nr,omitempty"` // the previous record had no history table
	Tables     map[string]*tableUndo `json:"t,omitempty"`
}

// tableUndo is one history table of the previous record: gone (the table was absent), or whole
// (when its rows cannot be matched by id: empty, or an id twice), or by row: the order of the
// row ids when it differs, and each row whose fields differ or that the newer table lacks.
type tableUndo struct {
	Gone  bool                       `json:"g,omitempty"`
	Whole json.RawMessage            `json:"w,omitempty"`
	Order []string                   `json:"o,omitempty"`
	Rows  map[string]json.RawMessage `json:"r,omitempty"`
}

// newStoredVersion is v as stored: with an undo against old when there was a previous record,
// and its changes derived when diffFields gives them from the two records (always, for the
// versions writeVersion makes; a migrated version keeps changes an older catalogue listed).
func newStoredVersion(old, r Record, v Version) storedVersion {
	sv := storedVersion{At: v.At, By: v.By, Cause: v.Cause, SubmissionID: v.SubmissionID, Changes: v.Changes, Approvals: v.Approvals}
	if old.NIP != "" || old.Version != 0 {
		sv.Undo = makeUndo(r, old)
	}
	if sv.Derived = slices.Equal(v.Changes, diffFields(old, r)); sv.Derived {
		sv.Changes = nil
	}
	return sv
}

// sameStr is nil when a equals b, else a pointer to a copy of a.
func sameStr(a, b string) *string {
	if a == b {
		return nil
	}
	return &a
}

// makeUndo is what turns newer back into older.
func makeUndo(newer, older Record) *recordUndo {
	u := &recordUndo{InstansiID: sameStr(older.InstansiID, newer.InstansiID), UnitID: sameStr(older.UnitID, newer.UnitID),
		UpdatedBy: sameStr(older.UpdatedBy, newer.UpdatedBy)}
	if older.Version != newer.Version {
		u.Version = &older.Version
	}
	if older.UpdatedAt.Format(time.RFC3339Nano) != newer.UpdatedAt.Format(time.RFC3339Nano) { // as JSON holds it
		at := older.UpdatedAt
		u.UpdatedAt = &at
	}
	u.NoFields = older.Fields == nil
	for k, v := range older.Fields {
		if nv, ok := newer.Fields[k]; !ok || nv != v {
			if u.Fields == nil {
				u.Fields = map[string]*string{}
			}
			u.Fields[k] = &v
		}
	}
	for k := range newer.Fields {
		if _, ok := older.Fields[k]; !ok {
			if u.Fields == nil {
				u.Fields = map[string]*string{}
			}
			u.Fields[k] = nil
		}
	}
	u.NoRiwayat = len(older.Riwayat) == 0
	for _, k := range slices.Sorted(maps.Keys(keysOf(older.Riwayat, newer.Riwayat))) {
		if tu := makeTableUndo(newer.Riwayat[k], older.Riwayat[k], hasKey(older.Riwayat, k)); tu != nil && !u.NoRiwayat {
			if u.Tables == nil {
				u.Tables = map[string]*tableUndo{}
			}
			u.Tables[k] = tu
		}
	}
	return u
}

func keysOf(a, b map[string][]Row) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func hasKey(m map[string][]Row, k string) bool { _, ok := m[k]; return ok }

// rowFieldsJSON is a row's fields as JSON (sorted keys), the unit rows are compared and kept in.
func rowFieldsJSON(r Row) json.RawMessage {
	b, _ := json.Marshal(r.Fields)
	return b
}

// rowsByID indexes rows by id, or says they cannot be: an id appears twice.
func rowsByID(rows []Row) (map[string]Row, bool) {
	out := make(map[string]Row, len(rows))
	for _, r := range rows {
		if _, dup := out[r.ID]; dup {
			return nil, false
		}
		out[r.ID] = r
	}
	return out, true
}

// makeTableUndo is what turns the newer table back into the older one, nil when they are equal.
func makeTableUndo(newer, older []Row, present bool) *tableUndo {
	if !present {
		return &tableUndo{Gone: true}
	}
	ob, _ := json.Marshal(older)
	if nb, _ := json.Marshal(newer); bytes.Equal(ob, nb) {
		return nil
	}
	newByID, okN := rowsByID(newer)
	_, okO := rowsByID(older)
	if len(older) == 0 || !okN || !okO {
		return &tableUndo{Whole: ob}
	}
	tu := &tableUndo{}
	ids := func(rows []Row) []string {
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = r.ID
		}
		return out
	}
	if oi := ids(older); !slices.Equal(oi, ids(newer)) {
		tu.Order = oi
	}
	for _, r := range older {
		if n, ok := newByID[r.ID]; !ok || !bytes.Equal(rowFieldsJSON(n), rowFieldsJSON(r)) {
			if tu.Rows == nil {
				tu.Rows = map[string]json.RawMessage{}
			}
			tu.Rows[r.ID] = rowFieldsJSON(r)
		}
	}
	return tu
}

// apply turns a copy of newer (which it may change: callers pass a fresh decode) into the older record.
func (u *recordUndo) apply(r Record) (Record, error) {
	if u.Version != nil {
		r.Version = *u.Version
	}
	if u.InstansiID != nil {
		r.InstansiID = *u.InstansiID
	}
	if u.UnitID != nil {
		r.UnitID = *u.UnitID
	}
	if u.UpdatedAt != nil {
		r.UpdatedAt = *u.UpdatedAt
	}
	if u.UpdatedBy != nil {
		r.UpdatedBy = *u.UpdatedBy
	}
	if r.Fields == nil {
		r.Fields = map[string]string{}
	}
	for k, v := range u.Fields {
		if v == nil {
			delete(r.Fields, k)
		} else {
			r.Fields[k] = *v
		}
	}
	if u.NoFields {
		r.Fields = nil
	}
	if u.NoRiwayat {
		r.Riwayat = nil
		return r, nil
	}
	for k, tu := range u.Tables {
		if r.Riwayat == nil {
			r.Riwayat = map[string][]Row{}
		}
		rows, gone, err := tu.apply(r.Riwayat[k])
		if err != nil {
			return r, fmt.Errorf("tabel %s: %w", k, err)
		}
		if gone {
			delete(r.Riwayat, k)
		} else {
			r.Riwayat[k] = rows
		}
	}
	return r, nil
}

// apply turns the newer table into the older one; gone when the older record had no such table.
func (tu *tableUndo) apply(newer []Row) (rows []Row, gone bool, err error) {
	switch {
	case tu.Gone:
		return nil, true, nil
	case tu.Whole != nil:
		err = json.Unmarshal(tu.Whole, &rows)
		return rows, false, err
	}
	byID, _ := rowsByID(newer)
	order := tu.Order
	if order == nil {
		for _, r := range newer {
			order = append(order, r.ID)
		}
	}
	rows = make([]Row, 0, len(order))
	for _, id := range order {
		row, ok := byID[id]
		if raw, changed := tu.Rows[id]; changed {
			row = Row{ID: id}
			if err := json.Unmarshal(raw, &row.Fields); err != nil {
				return nil, false, err
			}
		} else if !ok {
			return nil, false, fmt.Errorf("%w: baris %s tidak ada di versi sesudahnya", ErrDamaged, id)
		}
		rows = append(rows, row)
	}
	return rows, false, nil
}

// versionKey is the key of version n of nip's record.
func versionKey(nip string, n int) []byte { return cat([]byte(nip), u64(uint64(n))) }

// putVersion stores version v of the record r, whose previous record was old.
func putVersion(tx *bbolt.Tx, old, r Record, v Version) error {
	return putJSON(bk(tx, bVersions), versionKey(r.NIP, r.Version), newStoredVersion(old, r, v))
}

// readVersions reads every version of a PNS's record, oldest first, in the caller's transaction:
// the stored versions, then each record rebuilt backwards from the current one.
func readVersions(tx *bbolt.Tx, nip string) ([]Version, error) {
	var stored []storedVersion
	var nums []int
	c := bk(tx, bVersions).Cursor()
	prefix := []byte(nip)
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var sv storedVersion
		if err := json.Unmarshal(v, &sv); err != nil {
			return nil, err
		}
		stored = append(stored, sv)
		nums = append(nums, int(binary.BigEndian.Uint64(k[len(prefix):])))
	}
	if len(stored) == 0 {
		return nil, nil
	}
	var cur Record // none: only versions that keep full copies can be shown
	if err := getJSON(bk(tx, bRecords), []byte(nip), &cur); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("data PNS %s: %w", nip, err)
	}
	return rebuildVersions(nip, cur, nums, stored)
}

// rebuildVersions makes the versions whole: walking back from cur (the record of the last
// version), each record is the full copy a version holds or the next one's undo applied; then
// the derived changes are each record against the one before.
func rebuildVersions(nip string, cur Record, nums []int, stored []storedVersion) ([]Version, error) {
	recs := make([]Record, len(stored))
	rec := cur
	for i := len(stored) - 1; i >= 0; i-- {
		switch sv := &stored[i]; {
		case sv.Record != nil:
			rec = *sv.Record
		case i < len(stored)-1 && stored[i+1].Undo != nil:
			var err error
			if rec, err = stored[i+1].Undo.apply(rec.clone()); err != nil {
				return nil, fmt.Errorf("%w: versi %d data PNS %s: %v", ErrDamaged, nums[i], nip, err)
			}
		case i < len(stored)-1:
			return nil, fmt.Errorf("%w: versi %d data PNS %s tidak dapat dibangun kembali", ErrDamaged, nums[i], nip)
		case cur.Version != nums[i]:
			return nil, fmt.Errorf("%w: data PNS %s versi %d, riwayat versi sampai %d", ErrDamaged, nip, cur.Version, nums[i])
		}
		recs[i] = rec.clone()
	}
	out := make([]Version, len(stored))
	for i, sv := range stored {
		out[i] = Version{NIP: nip, Version: nums[i], At: sv.At, By: sv.By, Cause: sv.Cause, SubmissionID: sv.SubmissionID,
			Changes: sv.Changes, Approvals: sv.Approvals, Record: recs[i]}
		if sv.Derived {
			var prev Record
			if i > 0 {
				prev = recs[i-1]
			}
			out[i].Changes = diffFields(prev, recs[i])
		}
	}
	return out, nil
}
