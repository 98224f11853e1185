package store_test

import (
	"errors"
	"testing"
	"time"

	"pupns/store"
)

// auditAll reads every page of the log for a filter, limit 2 per page, and checks newest first.
func auditAll(t *testing.T, s *store.Store, f store.AuditFilter) []store.Event {
	t.Helper()
	var out []store.Event
	f.Limit = 2
	for {
		p, err := s.Audit(fxAdmin, f)
		fxMust(t, err)
		out = append(out, p.Items...)
		if p.Next == 0 {
			break
		}
		f.Before = p.Next
	}
	for i := 1; i < len(out); i++ {
		if out[i].Seq >= out[i-1].Seq {
			t.Fatalf("not newest first: %d after %d", out[i].Seq, out[i-1].Seq)
		}
	}
	return out
}

func TestAuditFilters(t *testing.T) {
	f := newFx(t)
	op := store.Actor{Login: "op.u01", Role: store.RoleOperator, ScopeID: unitU01}
	mid := f.clock.Now()
	if _, _, err := f.s.Propose(op, nipSiti, "alamat", "Jl. Pemuda No. 9, Semarang", "pindah rumah"); err != nil {
		t.Fatal(err)
	}
	f.propose(f.budi, fxUsul{"alamat", "Jl. Pemuda No. 2, Semarang", "pindah rumah"})

	all := auditAll(t, f.s, store.AuditFilter{})
	if len(all) < 6 {
		t.Fatalf("log has %d events", len(all))
	}
	for _, c := range []struct {
		name string
		f    store.AuditFilter
		want func(store.Event) bool
	}{
		{"nip", store.AuditFilter{NIP: nipSiti}, func(e store.Event) bool { return e.NIP == nipSiti }},
		{"actor", store.AuditFilter{Actor: "op.u01"}, func(e store.Event) bool { return e.Actor == "op.u01" }},
		{"behalf", store.AuditFilter{OnBehalfOf: nipSiti}, func(e store.Event) bool { return e.OnBehalfOf == nipSiti }},
		{"kind", store.AuditFilter{Kind: store.EventPropose}, func(e store.Event) bool { return e.Kind == store.EventPropose }},
		{"kind+nip", store.AuditFilter{Kind: store.EventMaster, NIP: nipBudi}, func(e store.Event) bool { return e.Kind == store.EventMaster && e.NIP == nipBudi }},
		{"from", store.AuditFilter{From: mid}, func(e store.Event) bool { return !e.At.Before(mid) }},
		{"to", store.AuditFilter{To: mid}, func(e store.Event) bool { return e.At.Before(mid) }},
	} {
		got := auditAll(t, f.s, c.f)
		n := 0
		for _, e := range all {
			if c.want(e) {
				n++
			}
		}
		if n == 0 || len(got) != n {
			t.Errorf("%s: %d events, want %d (of %d)", c.name, len(got), n, len(all))
		}
		for _, e := range got {
			if !c.want(e) {
				t.Errorf("%s: %+v does not match", c.name, e)
			}
		}
	}
	if got := auditAll(t, f.s, store.AuditFilter{From: mid.Add(time.Hour)}); len(got) != 0 {
		t.Errorf("future range: %d events", len(got))
	}
	if _, err := f.s.Audit(f.v2, store.AuditFilter{}); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("Level 2 read the log: %v", err)
	}
}

func TestAuditScanIsBoundedAndResumes(t *testing.T) {
	f := newFx(t)
	op := store.Actor{Login: "op.u01", Role: store.RoleOperator, ScopeID: unitU01}
	if _, _, err := f.s.Propose(op, nipSiti, "alamat", "Jl. Pemuda No. 9, Semarang", "pindah rumah"); err != nil {
		t.Fatal(err)
	}
	for range 5 { // newer events by someone else between the operator's event and the newest
		f.propose(f.budi, fxUsul{"alamat", "Jl. Pemuda No. 2, Semarang", "pindah rumah"})
	}
	defer store.SetAuditScanLimitForTesting(3)()
	var found []store.Event
	pages, partial := 0, 0
	for before := uint64(0); ; pages++ {
		p, err := f.s.Audit(fxAdmin, store.AuditFilter{Actor: "op.u01", Before: before})
		fxMust(t, err)
		found = append(found, p.Items...)
		if p.Partial {
			partial++
		}
		if p.Next == 0 {
			break
		}
		before = p.Next
	}
	if len(found) != 1 || found[0].Actor != "op.u01" || partial == 0 {
		t.Fatalf("found %v over %d pages (%d partial), want the operator's one event after partial pages", found, pages, partial)
	}
}
