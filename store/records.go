package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// Row is one row of a history table (riwayat). ID is stable across versions.
type Row struct {
	ID     string            `json:"id"`
	Fields map[string]string `json:"f"`
}

// Record is a PNS's master record as the office holds it. Fields holds the single-valued fields by
// catalogue key (Data Utama, Data Posisi, …), values in canonical form (dates YYYY-MM-DD, codes as
// codes). Riwayat holds the history tables by table key; the row field keys are:
//
//	golongan:   golongan, tmt_golongan, nomor_sk, tanggal_sk, nomor_pertek, tanggal_pertek, jenis_kp, mk_tahun, mk_bulan
//	pendidikan: tingkat, jurusan, nama_sekolah, tahun_lulus, nomor_ijazah
//	jabatan:    jenis_jabatan, unit_organisasi, nama_jabatan, eselon, tmt_jabatan, nomor_sk, tanggal_sk, tmt_pelantikan
type Record struct {
	NIP        string            `json:"nip"`
	Version    int               `json:"version"`
	InstansiID string            `json:"instansi_id"`
	UnitID     string            `json:"unit_id"`
	Fields     map[string]string `json:"fields"`
	Riwayat    map[string][]Row  `json:"riwayat,omitempty"`
	UpdatedAt  time.Time         `json:"updated_at"`
	UpdatedBy  string            `json:"updated_by"`
}

// Change is one field's move from Old to New in a version.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Version is one version of a master record: what changed, who caused it and why. Approvals lists
// who approved the change at each level when the version came from a submission.
type Version struct {
	NIP          string     `json:"nip"`
	Version      int        `json:"version"`
	At           time.Time  `json:"at"`
	By           string     `json:"by"`
	Cause        string     `json:"cause"`
	SubmissionID uint64     `json:"submission_id,omitempty"`
	Changes      []Change   `json:"changes"`
	Approvals    []Decision `json:"approvals,omitempty"`
	Record       Record     `json:"record"`
}

// Name returns the full name with academic titles, as an office letter would print it.
func (r Record) Name() string {
	n := r.Fields[KeyNama]
	if g := r.Fields["gelar_depan"]; g != "" {
		n = g + " " + n
	}
	if g := r.Fields["gelar_belakang"]; g != "" {
		n = n + ", " + g
	}
	return n
}

// LatestRow returns the row of a history table with the greatest value in dateKey.
func (r Record) LatestRow(table, dateKey string) (Row, bool) {
	var best Row
	found := false
	for _, row := range r.Riwayat[table] {
		if !found || row.Fields[dateKey] > best.Fields[dateKey] {
			best, found = row, true
		}
	}
	return best, found
}

// Derived is what Data Utama shows read-only, computed from the history tables.
type Derived struct {
	Golongan       string
	TMTGolongan    string
	Pendidikan     string
	TahunLulus     string
	JumlahGolongan int
}

// Derive computes golongan and pendidikan terakhir from the history tables.
func (r Record) Derive() Derived {
	var d Derived
	if g, ok := r.LatestRow("golongan", "tmt_golongan"); ok {
		d.Golongan = Golongan.Label(g.Fields["golongan"])
		d.TMTGolongan = (Field{Kind: KindDate}).Display(g.Fields["tmt_golongan"])
	}
	if p, ok := r.LatestRow("pendidikan", "tahun_lulus"); ok {
		d.Pendidikan = TingkatPendidikan.Label(p.Fields["tingkat"])
		if j := p.Fields["jurusan"]; j != "" {
			d.Pendidikan += " " + j
		}
		d.TahunLulus = p.Fields["tahun_lulus"]
	}
	d.JumlahGolongan = len(r.Riwayat["golongan"])
	return d
}

// clone deep-copies a record so a caller can change it without touching a stored value.
func (r Record) clone() Record {
	c := r
	c.Fields = maps.Clone(r.Fields)
	if r.Riwayat != nil {
		c.Riwayat = make(map[string][]Row, len(r.Riwayat))
		for k, rows := range r.Riwayat {
			cr := make([]Row, len(rows))
			for i, row := range rows {
				cr[i] = Row{ID: row.ID, Fields: maps.Clone(row.Fields)}
			}
			c.Riwayat[k] = cr
		}
	}
	return c
}

// diffFields lists the single-valued fields that differ between two records, in catalogue order.
func diffFields(old, nw Record) []Change {
	var out []Change
	seen := map[string]bool{}
	for _, t := range Tabs {
		for _, f := range t.Fields {
			seen[f.Key] = true
			if old.Fields[f.Key] != nw.Fields[f.Key] {
				out = append(out, Change{Field: f.Key, Old: old.Fields[f.Key], New: nw.Fields[f.Key]})
			}
		}
	}
	// Fields outside the catalogue (imported extras) still count.
	keys := slices.Sorted(maps.Keys(nw.Fields))
	for _, k := range keys {
		if !seen[k] && old.Fields[k] != nw.Fields[k] {
			out = append(out, Change{Field: k, Old: old.Fields[k], New: nw.Fields[k]})
		}
	}
	if old.UnitID != nw.UnitID {
		out = append(out, Change{Field: KeyUnit, Old: old.UnitID, New: nw.UnitID})
	}
	// History rows, by row id: added, changed, removed.
	for _, t := range Tables {
		oldRows := map[string]Row{}
		for _, r := range old.Riwayat[t.Key] {
			oldRows[r.ID] = r
		}
		for _, r := range nw.Riwayat[t.Key] {
			o, ok := oldRows[r.ID]
			delete(oldRows, r.ID)
			if !ok || !maps.Equal(o.Fields, r.Fields) {
				out = append(out, Change{Field: RowKey(t.Key, r.ID), Old: t.Summary(o.Fields), New: t.Summary(r.Fields)})
			}
		}
		for _, id := range slices.Sorted(maps.Keys(oldRows)) {
			out = append(out, Change{Field: RowKey(t.Key, id), Old: t.Summary(oldRows[id].Fields)})
		}
	}
	return out
}

// MasterValue is the master value of a single-valued field: most live in Record.Fields; the unit
// and instansi are the record's own ids.
func (r Record) MasterValue(key string) string {
	switch key {
	case KeyNIP:
		return r.NIP
	case KeyUnit:
		return r.UnitID
	case KeyInstansi:
		return r.InstansiID
	}
	return r.Fields[key]
}

// getRecord returns the decoded master record of a PNS (shared: read-only).
func getRecord(tx *bbolt.Tx, nip string) (*Record, error) {
	return getCached[Record](tx, bRecords, []byte(nip))
}

// Record returns the current master record of a PNS.
func (s *Store) Record(nip string) (Record, error) {
	var r Record
	err := s.view(func(tx *bbolt.Tx) error {
		rec, err := getRecord(tx, nip)
		if err == nil {
			r = rec.clone() // the caller may change its copy
		}
		return err
	})
	if err != nil {
		return Record{}, fmt.Errorf("data PNS %s: %w", nip, err)
	}
	return r, nil
}

// Versions returns every version of a PNS's master record, oldest first.
func (s *Store) Versions(nip string) ([]Version, error) {
	var out []Version
	err := s.view(func(tx *bbolt.Tx) (err error) {
		out, err = readVersions(tx, nip)
		return err
	})
	return out, err
}

// MasterInput is one PNS's master data as an import or the demo supplies it.
type MasterInput struct {
	Record Record
	Line   int // the source line, for messages
}

// normalizeMaster checks a master record as a whole (the NIP, its unit, each field on its own) and
// puts every value into its canonical form, so that a date imported as 26-09-1986 is stored as
// 1986-09-26 and the cross-checks read it right. Cross-field disagreement is allowed in master data:
// finding and correcting it is what the PNS is there for. It returns every problem, one per field.
func (s *Store) normalizeMaster(tx *bbolt.Tx, r *Record) []*FieldError {
	if _, err := ParseNIP(r.NIP); err != nil {
		return []*FieldError{asFieldError(KeyNIP, err)}
	}
	if r.Fields == nil {
		r.Fields = map[string]string{}
	}
	var errs []*FieldError
	var u Unit
	if err := getJSON(bk(tx, bUnits), []byte(r.UnitID), &u); err != nil {
		errs = append(errs, fieldErr("unit_organisasi", "unit organisasi %q tidak dikenal", r.UnitID))
	} else if u.InstansiID != r.InstansiID {
		errs = append(errs, fieldErr("unit_organisasi", "unit %q bukan bagian dari instansi %q", r.UnitID, r.InstansiID))
	}
	today := s.now()
	for _, t := range Tabs {
		for _, f := range t.Fields {
			v := r.Fields[f.Key]
			if v == "" || f.Kind == KindNIP {
				continue
			}
			nv, err := f.Normalize(v, today)
			if err != nil {
				errs = append(errs, asFieldError(f.Key, err))
				continue
			}
			r.Fields[f.Key] = nv
		}
	}
	return errs
}

// PutMaster writes master records (import, demo) in one transaction: each NIP new or, when it
// exists, a new version with the old values kept in history. Records that do not validate are
// skipped and reported; the rest are written. It returns the counts of created and updated records.
// PutMasterBulk (bulk.go) is the same write for large loads, with the accounts of their PNS.
func (s *Store) PutMaster(in []MasterInput, by, cause string) (created, updated int, bad map[int][]*FieldError, err error) {
	bad = map[int][]*FieldError{}
	now := s.now()
	err = s.update(func(tx *bbolt.Tx) error {
		clear(bad)
		var err error
		created, updated, err = s.putMasterTx(tx, s.normalizeAll(tx, in, bad), by, cause, now)
		return err
	})
	return created, updated, bad, err
}

func riwayatEqual(a, b Record) bool {
	ja, _ := json.Marshal(a.Riwayat)
	jb, _ := json.Marshal(b.Riwayat)
	return bytes.Equal(ja, jb)
}

// writeVersion stores r as the current record, appends it to the version history, and adds the
// schools it names to the list of schools.
func writeVersion(tx *bbolt.Tx, old, r Record, v Version) error {
	if err := putJSON(bk(tx, bRecords), []byte(r.NIP), r); err != nil {
		return err
	}
	if err := addSchools(tx, r); err != nil { // the schools the record names join the list offered
		return err
	}
	v.NIP, v.Version = r.NIP, r.Version
	v.Changes = diffFields(old, r)
	if err := putVersion(tx, old, r, v); err != nil { // what changed, not a full copy (versions_delta.go)
		return err
	}
	return countHead(tx, r.NIP, &recHead{r.InstansiID, r.UnitID}) // a new PNS, or one moved to another unit, moves between counters
}

// CountRecords returns how many PNS the master data holds.
func (s *Store) CountRecords() (n int, err error) {
	err = s.view(func(tx *bbolt.Tx) error { n = bk(tx, bRecords).Stats().KeyN; return nil })
	return
}

// History returns the current record and every version of it, oldest first, to the PNS or a
// verifier in scope.
func (s *Store) History(a Actor, nip string) (Record, []Version, error) {
	var rec Record
	var out []Version
	err := s.view(func(tx *bbolt.Tx) error {
		if err := getJSON(bk(tx, bRecords), []byte(nip), &rec); err != nil {
			return fmt.Errorf("data PNS %s: %w", nip, err)
		}
		if !mayViewRecord(tx, a, rec) {
			return ErrForbidden
		}
		var err error
		out, err = readVersions(tx, nip)
		return err
	})
	if err != nil {
		return Record{}, nil, err
	}
	return rec, out, nil
}

// applyApproved writes every approved line into the master record as one new version, and clears the PNS's form.
func applyApproved(tx *bbolt.Tx, sub *Submission, by string, now time.Time) error {
	cur, err := getRecord(tx, sub.NIP)
	if err != nil {
		return err
	}
	old := *cur
	r := old.clone()
	var approvals []Decision
	for _, l := range sub.Lines {
		if !l.Approved(sub.Round) {
			continue
		}
		applyLine(&r, l)
		for _, lv := range levelsOf(l) {
			d, _ := l.Decision(lv, sub.Round)
			approvals = append(approvals, d)
		}
	}
	if err := clearEntries(tx, sub.NIP); err != nil {
		return err
	}
	if len(approvals) == 0 {
		return nil
	}
	r.Version = old.Version + 1
	r.UpdatedAt, r.UpdatedBy = now, by
	sub.Version = r.Version
	return writeVersion(tx, old, r, Version{At: now, By: sub.SentBy, Cause: fmt.Sprintf("usulan #%d", sub.ID), SubmissionID: sub.ID, Approvals: approvals})
}

// applyLine writes one approved line into a record: a field, the unit, or a history row operation.
func applyLine(r *Record, l Line) {
	switch {
	case l.Table != "":
		rows := r.Riwayat[l.Table]
		i := slices.IndexFunc(rows, func(x Row) bool { return x.ID == l.RowID })
		switch {
		case l.Op == OpHapus && i >= 0:
			rows = slices.Delete(rows, i, i+1)
		case l.Op == OpUbah && i >= 0:
			rows[i] = Row{ID: l.RowID, Fields: maps.Clone(l.NewRow)}
		case l.Op == OpTambah && i < 0:
			rows = append(rows, Row{ID: l.RowID, Fields: maps.Clone(l.NewRow)})
		}
		sortRows(l.Table, rows)
		if r.Riwayat == nil {
			r.Riwayat = map[string][]Row{}
		}
		r.Riwayat[l.Table] = rows
	case l.Field == KeyUnit:
		r.UnitID = l.New
	default:
		if r.Fields == nil {
			r.Fields = map[string]string{}
		}
		r.Fields[l.Field] = l.New
	}
}
