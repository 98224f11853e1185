package store_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"pupns/store"
)

// randomChange changes a record the way a master import may: fields set, changed and removed,
// the unit moved, history rows added, changed, reordered and removed, tables emptied (nil or
// empty), rows without fields, a row id twice.
func randomChange(rng *rand.Rand, r *store.Record, step int) {
	texts := []string{"alamat", "lokasi_kerja", "instansi_kerja", "tempat_lahir", "gelar_belakang", "no_karpeg"}
	for range 1 + rng.IntN(3) {
		switch k := texts[rng.IntN(len(texts))]; rng.IntN(4) {
		case 0:
			delete(r.Fields, k)
		default:
			words := []string{"Semarang", "Kudus", "Demak", "Salatiga", "Pati"}
			r.Fields[k] = map[string]string{"gelar_belakang": "S.Kom.", "no_karpeg": fmt.Sprintf("N %06d", step)}[k]
			if r.Fields[k] == "" {
				r.Fields[k] = words[step%len(words)] + " " + words[rng.IntN(len(words))]
			}
		}
	}
	if rng.IntN(4) == 0 {
		r.UnitID = []string{unitU01, unitU0101, unitU02}[rng.IntN(3)]
	}
	tables := []string{"golongan", "pendidikan", "diklat_fungsional"}
	for range rng.IntN(3) {
		t := tables[rng.IntN(len(tables))]
		if r.Riwayat == nil {
			r.Riwayat = map[string][]store.Row{}
		}
		rows := r.Riwayat[t]
		switch rng.IntN(8) {
		case 0, 1: // add
			rows = append(rows, store.Row{ID: fmt.Sprintf("r%d", step), Fields: map[string]string{"tahun": fmt.Sprint(2000 + step%20), "nama_diklat": "Diklat"}})
		case 2: // change one
			if len(rows) > 0 {
				i := rng.IntN(len(rows))
				f := map[string]string{"tahun": fmt.Sprint(1990 + step%30)}
				rows = slices.Clone(rows)
				rows[i] = store.Row{ID: rows[i].ID, Fields: f}
			}
		case 3: // remove one
			if len(rows) > 0 {
				i := rng.IntN(len(rows))
				rows = slices.Delete(slices.Clone(rows), i, i+1)
			}
		case 4: // reorder
			rows = slices.Clone(rows)
			rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		case 5: // emptied: nil or empty, or the table gone
			rows = [][]store.Row{nil, {}}[rng.IntN(2)]
			if rng.IntN(2) == 0 {
				delete(r.Riwayat, t)
				continue
			}
		case 6: // a row without fields
			rows = append(slices.Clone(rows), store.Row{ID: fmt.Sprintf("n%d", step)})
		case 7: // an id twice
			if len(rows) > 0 {
				rows = append(slices.Clone(rows), store.Row{ID: rows[0].ID, Fields: map[string]string{"x": "dup"}})
			}
		}
		r.Riwayat[t] = rows
	}
	if rng.IntN(10) == 0 {
		r.Riwayat = nil
	}
}

// TestVersionDeltasRebuildEveryVersion: over many random master changes, every version read
// back equals the full copy it replaced (the record as Record returned it when it was written).
func TestVersionDeltasRebuildEveryVersion(t *testing.T) {
	for seed := range uint64(8) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			f := newFx(t)
			snaps := versionSnapshots{}
			nips := []string{nipBudi, nipSiti, nipAgus, nipDedi}
			snaps.take(t, f.s, nips...)
			rng := rand.New(rand.NewPCG(seed, 4))
			for step := range 60 {
				nip := nips[rng.IntN(len(nips))]
				rec, err := f.s.Record(nip)
				fxMust(t, err)
				randomChange(rng, &rec, step)
				f.putMasters(rec)
				snaps.take(t, f.s, nip)
			}
			snaps.check(t, f.s)
		})
	}
}
