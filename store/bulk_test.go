package store_test

import (
	"errors"
	"testing"

	"pupns/store"
	"pupns/store/storetest"
)

// TestPutMasterBulkChecksEveryRule: the bulk path refuses what PutMaster refuses (a record of an
// unknown unit, a NIP that is no NIP), reports it by line, and writes neither that record nor the
// account of its NIP; the others are written with their accounts, whatever order they come in, and
// counted once each.
func TestPutMasterBulkChecksEveryRule(t *testing.T) {
	s, _ := fxOpen(t)
	fxMust(t, storetest.SeedOrg(s))
	good := storetest.Record(nipSiti, unitU0101, "Siti Aminah", nikSiti)
	good2 := storetest.Record(nipBudi, unitU01, "Budi Santoso", nikBudi)
	lost := storetest.Record(nipAgus, "U99", "Agus Salim", nikAgus)
	notNIP := storetest.Record(nipDedi, unitU01, "Bukan NIP", nikDediMaster)
	notNIP.NIP = "19850717200903100X"
	in := []store.MasterInput{{Record: good, Line: 2}, {Record: lost, Line: 3}, {Record: good2, Line: 4}, {Record: notNIP, Line: 5}}
	var users []store.User
	for _, nip := range []string{nipSiti, nipAgus, nipBudi} {
		users = append(users, store.User{Login: nip, NIP: nip, Role: store.RolePNS, Name: nip, Hash: "x", Status: store.StatusActive})
	}
	created, updated, bad, err := s.PutMasterBulk(in, users, "test", "impor")
	fxMust(t, err)
	if created != 2 || updated != 0 || len(bad) != 2 || bad[3] == nil || bad[5] == nil {
		t.Fatalf("created %d updated %d bad %v, want 2, 0 and lines 3 and 5", created, updated, bad)
	}
	if _, err := s.Record(nipAgus); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("refused record written: %v", err)
	}
	if _, err := s.User(nipAgus); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("account of a refused record written: %v", err)
	}
	for _, nip := range []string{nipSiti, nipBudi} {
		if r, err := s.Record(nip); err != nil || r.Version != 1 {
			t.Errorf("record %s: %v (version %d)", nip, err, r.Version)
		}
		if _, err := s.User(nip); err != nil {
			t.Errorf("account %s: %v", nip, err)
		}
	}
	counts, err := s.Counters()
	fxMust(t, err)
	if c := counts["o"]; c[store.CountMaster] != 2 || c[store.CountActive] != 2 || c[store.CountNotStarted] != 2 {
		t.Errorf("office counts %v, want 2 in master data, active and not started", c)
	}

	// Again, one of them changed: one new version, the other unchanged, nothing counted twice.
	good2.Fields["alamat"] = "Jl. Baru No. 1, Semarang"
	created, updated, bad, err = s.PutMasterBulk([]store.MasterInput{{Record: good2, Line: 2}, {Record: good, Line: 3}}, nil, "test", "impor")
	fxMust(t, err)
	if created != 0 || updated != 1 || len(bad) != 0 {
		t.Fatalf("second load: created %d updated %d bad %v", created, updated, bad)
	}
	counts, _ = s.Counters()
	if c := counts["o"]; c[store.CountMaster] != 2 || c[store.CountActive] != 2 {
		t.Errorf("office counts after an update %v", c)
	}
}
