package store

import (
	"encoding/json"
	"errors"
	"fmt"

	"go.etcd.io/bbolt"
)

// The records export: one row per PNS with every single-valued field of every tab (tabel empty),
// followed by one row per row of each history table (tabel names it, baris is the row's id) that
// fills only the nip and that table's columns. One file holds the whole record, and the rows of a
// PNS come together, so `pupns import` reads the record back whole.

// Record export column keys besides the catalogue's.
const (
	ColNIP      = "nip"
	ColTabel    = "tabel"
	ColBaris    = "baris"
	ColInstansi = "instansi_id"
	ColUnit     = "unit_id"
	labelSuffix = "_label"
)

// LabelSuffix ends the key of a column that holds the label of the code in the column before it.
const LabelSuffix = labelSuffix

// recordColumns is the column definition of the records export (README › Exports).
var recordColumns = func() []ExportColumn {
	cols := []ExportColumn{
		{ColNIP, "NIP", ColText}, {ColTabel, "Tabel riwayat", ColText}, {ColBaris, "ID baris riwayat", ColText},
		{ColInstansi, "ID Instansi", ColText}, {"instansi", "Instansi", ColText},
		{ColUnit, "ID Unit Organisasi", ColText}, {"unit", "Unit Organisasi", ColText},
	}
	for _, t := range Tabs {
		for _, f := range t.Fields {
			if f.Key == KeyNIP || f.Key == KeyInstansi || f.Key == KeyUnit {
				continue
			}
			cols = append(cols, fieldColumns(f.Key, f)...)
		}
	}
	for _, t := range Tables {
		for _, f := range t.Fields {
			cols = append(cols, fieldColumns(t.Key+"."+f.Key, f)...)
		}
	}
	return cols
}()

// fieldColumns is a field's column under key, and the column of its code's label when it has codes.
func fieldColumns(key string, f Field) []ExportColumn {
	typ := ColText
	if f.Kind == KindDate || f.Kind == KindDateAny {
		typ = ColDate
	}
	out := []ExportColumn{{key, f.Label, typ}}
	if f.Kind == KindCode {
		out = append(out, ExportColumn{key + labelSuffix, f.Label + " (uraian)", ColText})
	}
	return out
}

// recordColumnIndex finds a records export column by key.
var recordColumnIndex = func() map[string]int {
	m := map[string]int{}
	for i, c := range recordColumns {
		m[c.Key] = i
	}
	return m
}()

// exportRecords streams the records export.
func (s *Store) exportRecords(sc *exportScope, req ExportRequest, row func([]string) error) error {
	read := func(tx *bbolt.Tx, k, v []byte) (Record, bool, error) {
		var rec Record
		if err := json.Unmarshal(v, &rec); err != nil {
			return rec, false, fmt.Errorf("data PNS %s: %w", k, err)
		}
		if !sc.inPlace(rec.InstansiID, rec.UnitID) || !sc.inRange(rec.UpdatedAt) {
			return rec, false, nil
		}
		if sc.f.State != "" {
			st := StateNone
			sub, err := latestSubmission(tx, rec.NIP)
			switch {
			case err == nil:
				st = string(sub.State)
			case !errors.Is(err, ErrNotFound):
				return rec, false, err
			}
			if st != sc.f.State {
				return rec, false, nil
			}
		}
		return rec, true, nil
	}
	cells := make([]string, len(recordColumns))
	return walkChunks(s, bRecords, read, req.Progress, func(rec Record) error { return recordRows(sc, rec, cells, row) })
}

// recordRows lays a record out as the records export's rows, each in cells (reused), to row.
func recordRows(sc *exportScope, rec Record, cells []string, row func([]string) error) error {
	set := func(key, v string, f Field) {
		cells[recordColumnIndex[key]] = v
		if f.Kind == KindCode {
			cells[recordColumnIndex[key+labelSuffix]] = f.Codes.Label(v)
		}
	}
	clear(cells)
	cells[0] = rec.NIP
	cells[recordColumnIndex[ColInstansi]], cells[recordColumnIndex["instansi"]] = rec.InstansiID, sc.instansiName(rec.InstansiID)
	cells[recordColumnIndex[ColUnit]], cells[recordColumnIndex["unit"]] = rec.UnitID, sc.unitName(rec.UnitID)
	for _, t := range Tabs {
		for _, f := range t.Fields {
			if _, ok := recordColumnIndex[f.Key]; ok {
				set(f.Key, rec.Fields[f.Key], f)
			}
		}
	}
	if err := row(cells); err != nil {
		return err
	}
	for _, t := range Tables {
		for _, r := range rec.Rows(t.Key) {
			clear(cells)
			cells[0], cells[1], cells[2] = rec.NIP, t.Key, r.ID
			for _, f := range t.Fields {
				set(t.Key+"."+f.Key, r.Fields[f.Key], f)
			}
			if err := row(cells); err != nil {
				return err
			}
		}
	}
	return nil
}
