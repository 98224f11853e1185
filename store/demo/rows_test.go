package demo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pupns/store"
)

// rowKeys are the row field keys of each history table, from the catalogue.
var rowKeys = func() map[string][]string {
	m := map[string][]string{}
	for _, t := range store.Tables {
		for _, f := range t.Fields {
			m[t.Key] = append(m[t.Key], f.Key)
		}
	}
	return m
}()

func checkRiwayat(t *testing.T, ctx string, r store.Record, today string, units map[string]store.Unit) {
	t.Helper()
	for table, rows := range r.Riwayat {
		keys, ok := rowKeys[table]
		if !ok {
			t.Errorf("%s: table %s", ctx, table)
		}
		ids := map[string]bool{}
		for i, row := range rows {
			if want := table[:1] + strconv.Itoa(i+1); row.ID != want || ids[row.ID] {
				t.Errorf("%s: %s row id %s", ctx, table, row.ID)
			}
			ids[row.ID] = true
			for k, v := range row.Fields {
				if !slices.Contains(keys, k) {
					t.Errorf("%s: %s key %s", ctx, table, k)
				}
				if v == "" {
					t.Errorf("%s: %s.%s empty value kept", ctx, table, k)
				}
				if strings.HasPrefix(k, "tmt_") || strings.HasPrefix(k, "tanggal_") {
					if _, err := time.Parse("2006-01-02", v); err != nil || v > today {
						t.Errorf("%s: %s.%s = %s", ctx, table, k, v)
					}
				}
			}
		}
	}
	checkCareer(t, ctx, r, today, units)
}

// checkCareer: golongan starts at the entry education's and rises, education is in order, and
// every jabatan names a unit of the tree and has an eselon exactly when structural.
func checkCareer(t *testing.T, ctx string, r store.Record, today string, units map[string]store.Unit) {
	t.Helper()
	gol := r.Riwayat["golongan"]
	if len(gol) == 0 || gol[0].Fields["jenis_kp"] != "211" || gol[0].Fields["tmt_golongan"] != r.Fields["tmt_cpns"] {
		t.Fatalf("%s: first golongan row %+v", ctx, gol)
	}
	start := map[string]string{"15": "21", "17": "21", "30": "23", "35": "31", "40": "31", "42": "32", "45": "32"}
	entry := ""
	for _, p := range r.Riwayat["pendidikan"] {
		if p.Fields["tahun_lulus"] < r.Fields["tmt_cpns"][:4] {
			entry = p.Fields["tingkat"]
			if strings.HasPrefix(p.Fields["jurusan"], "Profesi Ners") {
				entry = "40" // nurses with profesi ners start as graduates, III/a
			}
		}
	}
	if start[entry] != gol[0].Fields["golongan"] {
		t.Errorf("%s: entry education %s starts at golongan %s", ctx, entry, gol[0].Fields["golongan"])
	}
	for i := 1; i < len(gol); i++ {
		a, b := gol[i-1].Fields, gol[i].Fields
		if b["golongan"] <= a["golongan"] || b["tmt_golongan"] <= a["tmt_golongan"] || b["jenis_kp"] != "101" {
			t.Errorf("%s: golongan %v then %v", ctx, a, b)
		}
		mk, _ := strconv.Atoi(b["mk_tahun"])
		if mb, _ := strconv.Atoi(b["mk_bulan"]); mk < 0 || mk > 40 || mb < 0 || mb > 11 {
			t.Errorf("%s: masa kerja %v", ctx, b)
		}
	}
	edu := r.Riwayat["pendidikan"]
	if len(edu) < 3 || edu[0].Fields["tingkat"] != "05" {
		t.Errorf("%s: pendidikan %v", ctx, edu)
	}
	born := r.NIP[:4]
	for i, p := range edu {
		y := p.Fields["tahun_lulus"]
		if y > today[:4] || y <= born || (i > 0 && y < edu[i-1].Fields["tahun_lulus"]) || (i > 0 && p.Fields["tingkat"] <= edu[i-1].Fields["tingkat"]) {
			t.Errorf("%s: pendidikan %v", ctx, edu)
		}
	}
	jab := r.Riwayat["jabatan"]
	if len(jab) < 1 || len(jab) > 3 {
		t.Errorf("%s: %d jabatan rows", ctx, len(jab))
	}
	for _, j := range jab {
		f := j.Fields
		if !store.JenisJabatan.Has(f["jenis_jabatan"]) || f["nama_jabatan"] == "" {
			t.Errorf("%s: jabatan %v", ctx, f)
		}
		// The unit is named as the organisation tree offers it, so it is "in the list".
		if !slices.ContainsFunc(slices.Collect(maps.Values(units)), func(u store.Unit) bool { return unitPathOf(units, u) == f["unit_organisasi"] }) {
			t.Errorf("%s: jabatan unit %v", ctx, f)
		}
		if (f["jenis_jabatan"] == "1") != (f["eselon"] != "") || (f["eselon"] != "" && !store.Eselon.Has(f["eselon"])) {
			t.Errorf("%s: eselon %v", ctx, f)
		}
	}
}

// checkRowsAccepted: every demo row is one a PNS could have typed, canonical, and it passes the
// row checks the form applies (spouse of the other sex, children younger, family allowance by
// age). The store answers one proposal at a time; the people are independent, so they are asked
// side by side and the store batches their writes.
func checkRowsAccepted(t *testing.T, s *store.Store, people []*person) {
	t.Helper()
	var wg sync.WaitGroup
	for _, p := range people {
		wg.Go(func() {
			r, err := s.Record(p.nip)
			if err != nil {
				t.Errorf("record %s: %v", p.nip, err)
				return
			}
			for _, table := range slices.Sorted(maps.Keys(r.Riwayat)) {
				for _, row := range r.Riwayat[table] {
					if err := rowAccepted(s, p.nip, table, row); err != nil {
						t.Errorf("%s %s: %s row %s: %v", p.nip, strings.Join(p.wrong, ","), table, row.ID, err)
					}
				}
			}
		})
	}
	wg.Wait()
}

// rowAccepted asks the store, acting as the PNS, whether a demo row is one the PNS could have
// typed. Proposing the row unchanged must be refused only because nothing changed: every field is
// valid on its own and already in its canonical form. Adding a copy as a new row must pass the
// row rules against the record; the copy is withdrawn again. Golongan is left out of the second
// step, as it always was: a copy of a golongan row never rises above the rows around it.
func rowAccepted(s *store.Store, nip, table string, row store.Row) error {
	pns := store.Actor{Login: nip, Role: store.RolePNS, NIP: nip}
	e, _, err := s.ProposeRow(pns, nip, table, row.ID, store.OpUbah, row.Fields, "")
	var fe *store.FieldError
	switch {
	case err == nil:
		if _, err := s.Withdraw(pns, nip, e.Field); err != nil {
			return err
		}
		return errors.New("not canonical: the store reads the row as it stands as a change")
	case !errors.As(err, &fe) || fe.Field != "alasan" || !strings.Contains(fe.Message, "sama dengan data saat ini"):
		return fmt.Errorf("refused as it stands: %w", err)
	case table == "golongan":
		return nil
	}
	e, _, err = s.ProposeRow(pns, nip, table, "", store.OpTambah, row.Fields, "")
	if err != nil {
		return fmt.Errorf("row rules: %w", err)
	}
	_, err = s.Withdraw(pns, nip, e.Field)
	return err
}

// unitPathOf names a unit by its path from the SKPD, as store.Store.UnitTree does.
func unitPathOf(units map[string]store.Unit, u store.Unit) string {
	name := u.Name
	for p, ok := units[u.ParentID]; ok; p, ok = units[p.ParentID] {
		name = p.Name + " › " + name
	}
	return name
}

// riwayatEqual says whether two records hold the same history rows, compared as stored (JSON).
func riwayatEqual(a, b store.Record) bool {
	ja, errA := json.Marshal(a.Riwayat)
	jb, errB := json.Marshal(b.Riwayat)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}
