package store_test

import (
	"errors"
	"slices"
	"testing"

	"pupns/store"
	"pupns/store/storetest"
)

const nipEko = "199203032016011004" // active, sent and waiting at Level 1: compliant

// fxAdmin is the office admin (the outbox, non-compliance and audit tests act as it).
var fxAdmin = store.Actor{Login: "admin", Role: store.RoleAdmin, Name: "Admin"}

// newComplianceFx builds an office with one PNS in each category: Dedi has no account (belum
// registrasi), Agus waits for activation, Siti is active and sent nothing, Budi's submission was
// returned (with a TMS line on nama), Eko sent and is compliant.
func newComplianceFx(t *testing.T) *fx {
	t.Helper()
	f := newFx(t)
	eko := f.addPNS(nipEko, unitU02, "Eko Prasetyo", 5)
	h := store.HashPassword(storetest.Password)
	fxMust(t, f.s.PutUsers([]store.User{
		{Login: nipAgus, Role: store.RolePNS, NIP: nipAgus, Name: "Agus Salim", Hash: h, Status: store.StatusPending, InstansiID: fxInstansi},
		{Login: nipSiti, Role: store.RolePNS, NIP: nipSiti, Name: "Siti Rahayu", Hash: h},
		{Login: nipBudi, Role: store.RolePNS, NIP: nipBudi, Name: "Budi Santoso", Hash: h},
		{Login: nipEko, Role: store.RolePNS, NIP: nipEko, Name: "Eko Prasetyo", Hash: h},
	}))
	sub := f.send(f.budi, fxUsul{"nama", "Budi Santosa", "salah ketik"}, fxUsul{"alamat", "Jl. Pemuda No. 2, Semarang", "pindah rumah"})
	f.decide(f.v1U01, sub.ID, "nama", store.TMS, "tidak ada dasar")
	f.decide(f.v1U01, sub.ID, "alamat", store.BTS, "lampirkan KTP baru")
	if got := f.forward(f.v1U01, sub.ID); got.State != store.StateReturned {
		t.Fatalf("Budi's submission is %s, want returned", got.State)
	}
	f.send(eko, fxUsul{"alamat", "Jl. Merdeka No. 5, Semarang", "pindah rumah"})
	return f
}

// ncList reads the whole list for an actor with a filter, page by page of size 2.
func ncList(t *testing.T, s *store.Store, a store.Actor, f store.NonComplianceFilter) map[string]store.NonCompliant {
	t.Helper()
	out := map[string]store.NonCompliant{}
	f.Limit = 2
	for {
		p, err := s.NonCompliance(a, f)
		fxMust(t, err)
		if len(p.Items) > 2 {
			t.Fatalf("page of %d, limit 2", len(p.Items))
		}
		for _, it := range p.Items {
			if _, dup := out[it.NIP]; dup {
				t.Fatalf("%s on two pages", it.NIP)
			}
			out[it.NIP] = it
		}
		if p.Next == "" {
			return out
		}
		f.After = p.Next
	}
}

func TestNonComplianceCategories(t *testing.T) {
	f := newComplianceFx(t)
	got := ncList(t, f.s, fxAdmin, store.NonComplianceFilter{})
	want := map[string]string{nipDedi: store.NonRegistered, nipAgus: store.NonActivated, nipSiti: store.NonSent, nipBudi: store.NonResent}
	if len(got) != len(want) {
		t.Fatalf("list = %v, want %v", got, want)
	}
	for nip, kind := range want {
		if got[nip].Kategori != kind {
			t.Errorf("%s: category %q, want %q", nip, got[nip].Kategori, kind)
		}
	}
	if tms := got[nipBudi].TMS; len(tms) != 1 || tms[0].Field != "nama" {
		t.Errorf("Budi's TMS lines = %+v, want the line nama", tms)
	}
	if got[nipAgus].SKPDID != unitU02 || got[nipSiti].SKPDID != unitU01 {
		t.Errorf("SKPD of Agus %q, Siti %q", got[nipAgus].SKPDID, got[nipSiti].SKPDID)
	}

	// Filters: by SKPD (Siti's unit U01.01 falls under U01), by category.
	u01 := ncList(t, f.s, fxAdmin, store.NonComplianceFilter{SKPDID: unitU01})
	if len(u01) != 3 || u01[nipAgus].NIP != "" {
		t.Errorf("SKPD U01 = %v, want Dedi, Siti, Budi", u01)
	}
	sent := ncList(t, f.s, fxAdmin, store.NonComplianceFilter{Kategori: store.NonSent})
	if len(sent) != 1 || sent[nipSiti].NIP == "" {
		t.Errorf("belum kirim = %v, want Siti", sent)
	}
	if _, err := f.s.NonCompliance(fxAdmin, store.NonComplianceFilter{Kategori: "x"}); err == nil {
		t.Error("an unknown category was accepted")
	}

	// A withdrawn submission is not sent: Eko takes his back and joins the list.
	if _, err := f.s.WithdrawSubmission(fxPNS(nipEko), nipEko); err != nil {
		t.Fatal(err)
	}
	if got := ncList(t, f.s, fxAdmin, store.NonComplianceFilter{}); got[nipEko].Kategori != store.NonSent {
		t.Errorf("Eko after withdrawing: %+v, want belum kirim", got[nipEko])
	}
}

func TestNonComplianceScope(t *testing.T) {
	f := newComplianceFx(t)
	if got := ncList(t, f.s, f.v1U02, store.NonComplianceFilter{}); len(got) != 1 || got[nipAgus].NIP == "" {
		t.Errorf("Level 1 of U02 sees %v, want only Agus", got)
	}
	if got := ncList(t, f.s, f.v1U01, store.NonComplianceFilter{SKPDID: unitU02}); len(got) != 0 {
		t.Errorf("Level 1 of U01 filtering U02 sees %v", got)
	}
	if got := ncList(t, f.s, f.v2, store.NonComplianceFilter{}); len(got) != 4 {
		t.Errorf("Level 2 of P33 sees %d, want 4", len(got))
	}
	otherV2 := store.Actor{Login: "v2.k01", Role: store.RoleV2, ScopeID: "K01"}
	if got := ncList(t, f.s, otherV2, store.NonComplianceFilter{}); len(got) != 0 {
		t.Errorf("Level 2 of K01 sees %v", got)
	}
	for _, a := range []store.Actor{f.budi, {Login: "op", Role: store.RoleOperator, ScopeID: unitU01}, {Login: "v3", Role: store.RoleV3, ScopeID: "I"}} {
		if _, err := f.s.NonCompliance(a, store.NonComplianceFilter{}); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("%s (%s): %v, want ErrForbidden", a.Login, a.Role, err)
		}
	}
}

func TestCloseMarksEveryNonComplierInOneTransaction(t *testing.T) {
	f := newComplianceFx(t)
	nips := []string{nipDedi, nipAgus, nipSiti, nipBudi}
	versions := map[string]int{}
	for _, nip := range append(nips, nipEko) {
		r, err := f.s.Record(nip)
		fxMust(t, err)
		versions[nip] = r.Version
	}
	// A stale count changes nothing at all.
	if _, err := f.s.CloseCampaign(fxAdmin, 3); !errors.As(err, new(*store.FieldError)) {
		t.Fatalf("close with a stale count: %v, want a field error", err)
	}
	for _, nip := range nips {
		if r, _ := f.s.Record(nip); r.Version != versions[nip] || r.Fields["kedudukan_hukum"] != "01" {
			t.Fatalf("%s changed by a refused close: v%d %s", nip, r.Version, r.Fields["kedudukan_hukum"])
		}
	}
	if _, err := f.s.CloseCampaign(f.v2, 4); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("Level 2 closed: %v", err)
	}
	n, err := f.s.CloseCampaign(fxAdmin, 4)
	fxMust(t, err)
	if n != 4 {
		t.Fatalf("closed %d, want 4", n)
	}
	for _, nip := range nips {
		r, _ := f.s.Record(nip)
		if r.Fields["kedudukan_hukum"] != "90" || r.Version != versions[nip]+1 {
			t.Errorf("%s after close: v%d kedudukan %s", nip, r.Version, r.Fields["kedudukan_hukum"])
		}
		vs, _ := f.s.Versions(nip)
		if last := vs[len(vs)-1]; last.Cause != store.CauseClose || last.Changes[0].Old != "01" {
			t.Errorf("%s last version %+v", nip, last)
		}
		if k := f.eventKinds(nip); k[len(k)-1] != store.EventClose {
			t.Errorf("%s events %v", nip, k)
		}
	}
	if r, _ := f.s.Record(nipEko); r.Version != versions[nipEko] || r.Fields["kedudukan_hukum"] != "01" {
		t.Errorf("compliant Eko changed: %+v", r)
	}
	// Idempotent: a second close marks nobody and writes nothing.
	before := len(f.eventKinds(nipDedi))
	if n, err := f.s.CloseCampaign(fxAdmin, 0); err != nil || n != 0 {
		t.Fatalf("second close: %d, %v", n, err)
	}
	if len(f.eventKinds(nipDedi)) != before {
		t.Error("second close wrote an event")
	}
}

func TestRestoreReversesTheCloseForOnePNS(t *testing.T) {
	f := newComplianceFx(t)
	// Siti was CLTN (02) before the close: the restore gives back 02, not 01.
	siti, _ := f.s.Record(nipSiti)
	siti.Fields["kedudukan_hukum"] = "02"
	f.putMasters(siti)
	_, err := f.s.Restore(fxAdmin, nipSiti, "registrasi susulan")
	fxWantErr(t, err, store.ErrState) // not closed yet
	if _, err := f.s.CloseCampaign(fxAdmin, 4); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Restore(fxAdmin, nipSiti, "  "); !errors.As(err, new(*store.FieldError)) {
		t.Errorf("restore without a reason: %v", err)
	}
	if _, err := f.s.Restore(f.v2, nipSiti, "susulan"); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("Level 2 restored: %v", err)
	}
	r, err := f.s.Restore(fxAdmin, nipSiti, "registrasi susulan 3 Januari")
	fxMust(t, err)
	if r.Fields["kedudukan_hukum"] != "02" {
		t.Errorf("restored kedudukan %q, want 02", r.Fields["kedudukan_hukum"])
	}
	vs, _ := f.s.Versions(nipSiti)
	if last := vs[len(vs)-1]; last.Version != r.Version || last.Changes[0].New != "02" || last.By != "admin" {
		t.Errorf("restore version %+v", last)
	}
	evs, _ := f.s.Events(nipSiti)
	if e := evs[len(evs)-1]; e.Kind != store.EventRestore || !slices.Contains([]string{e.Detail}, "pemulihan: kedudukan hukum 90 → 02; alasan: registrasi susulan 3 Januari") {
		t.Errorf("restore event %+v", e)
	}
	fxWantErr(t, errOf(f.s.Restore(fxAdmin, nipSiti, "lagi")), store.ErrState)
	// The others stay marked.
	if d, _ := f.s.Record(nipDedi); d.Fields["kedudukan_hukum"] != "90" {
		t.Error("Dedi was restored too")
	}
}

func errOf(_ store.Record, err error) error { return err }
