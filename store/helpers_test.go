package store_test

// Shared fixture for the store tests: a real bbolt file in a temp folder, a fake clock, one
// instansi with a small unit tree, a few master records whose NIP, NIK and dates agree (and one
// that deliberately does not), and the actors who act on them.
//
// Helper names carry an "fx" prefix so they cannot collide with helpers of other test files in
// this package.

import (
	"bytes"
	"errors"
	"slices"
	"testing"
	"time"

	"pupns/store"
	"pupns/store/storetest"
)

// wib is Western Indonesia Time (UTC+7), where most offices running pupns sit.
var wib = time.FixedZone("WIB", 7*60*60)

// fxStart is the fake clock's first reading: inside the 2026 filling window, mid-morning WIB.
var fxStart = time.Date(2026, 3, 10, 9, 30, 0, 0, wib)

// fxOpen opens a store on a fresh temp folder with a fake clock (one second per reading, so each
// store call gets its own timestamp and "newest first" orders are deterministic).
func fxOpen(t *testing.T) (*store.Store, *storetest.Clock) {
	t.Helper()
	clock := storetest.NewClock(fxStart, time.Second)
	return storetest.Open(t, t.TempDir(), clock), clock
}

// The PNS of the fixture. Every NIP encodes birth date, TMT CPNS month, sex and a sequence.
const (
	// Budi: man, born 26-09-1986, CPNS 05-2015, unit U01 (an SKPD).
	nipBudi = "198609262015051001"
	nikBudi = "3374012609860001"
	// Siti: woman, born 15-01-1990, CPNS 02-2014, unit U01.01 (nested under SKPD U01).
	// Her NIK carries day 15+40 = 55.
	nipSiti = "199001152014022001"
	nikSiti = "3374015501900002"
	// Agus: man, born 10-03-1988, CPNS 01-2010, unit U02 (another SKPD).
	nipAgus = "198803102010011002"
	nikAgus = "3374021003880003"
	// Dedi: man, NIP says born 17-07-1985, but the master data holds 18-07-1985 and a NIK made
	// for the 18th: the kind of inconsistent record PUPNS exists to correct.
	nipDedi       = "198507172009031001"
	nikDediMaster = "3374011807850004"
)

// Unit tree of instansi P33 (a province, Kanreg I), as storetest.SeedOrg puts it.
const (
	fxInstansi = "P33"
	unitU01    = "U01"    // SKPD Dinas Pendidikan
	unitU0101  = "U01.01" // a bidang inside U01: its PNS go to U01's Level 1 inbox
	unitU02    = "U02"    // SKPD Dinas Kesehatan
)

// fx is the fixture: store, clock and actors.
type fx struct {
	t     *testing.T
	s     *store.Store
	clock *storetest.Clock

	budi, siti, agus, dedi store.Actor // PNS, each only for their own NIP
	v1U01, v1U01b          store.Actor // two Level 1 verifiers of SKPD U01
	v1U02                  store.Actor // Level 1 verifier of another SKPD
	v2                     store.Actor // Level 2 verifier of instansi P33
}

func fxPNS(nip string) store.Actor {
	return store.Actor{Login: nip, Role: store.RolePNS, NIP: nip}
}

// newFx opens a store and loads the test office's organisation tree and the master records.
func newFx(t *testing.T) *fx {
	t.Helper()
	s, clock := fxOpen(t)
	f := &fx{t: t, s: s, clock: clock,
		budi: fxPNS(nipBudi), siti: fxPNS(nipSiti), agus: fxPNS(nipAgus), dedi: fxPNS(nipDedi),
		v1U01:  store.Actor{Login: "v1.u01", Role: store.RoleV1, ScopeID: unitU01, Name: "Verifikator Disdik"},
		v1U01b: store.Actor{Login: "v1.u01.b", Role: store.RoleV1, ScopeID: unitU01, Name: "Verifikator Disdik 2"},
		v1U02:  store.Actor{Login: "v1.u02", Role: store.RoleV1, ScopeID: unitU02, Name: "Verifikator Dinkes"},
		v2:     store.Actor{Login: "v2.p33", Role: store.RoleV2, ScopeID: fxInstansi, Name: "Verifikator BKD"},
	}
	fxMust(t, storetest.SeedOrg(s))

	dedi := storetest.Record(nipDedi, unitU01, "Dedi Kurniawan", nikDediMaster)
	dedi.Fields["tanggal_lahir"] = "1985-07-18" // disagrees with the NIP (17-07-1985)
	f.putMasters(
		storetest.Record(nipBudi, unitU01, "Budi Santoso", nikBudi),
		storetest.Record(nipSiti, unitU0101, "Siti Rahayu", nikSiti),
		storetest.Record(nipAgus, unitU02, "Agus Salim", nikAgus),
		dedi,
	)
	return f
}

func (f *fx) putMasters(recs ...store.Record) {
	f.t.Helper()
	var in []store.MasterInput
	for i, r := range recs {
		in = append(in, store.MasterInput{Record: r, Line: i + 1})
	}
	_, _, bad, err := f.s.PutMaster(in, "admin", "impor awal")
	fxMust(f.t, err)
	for line, errs := range bad {
		f.t.Fatalf("fixture master record %d refused: %v", line, errs)
	}
}

// addPNS adds one more consistent master record (NIK sequence seq) and returns its actor.
func (f *fx) addPNS(nip, unit, nama string, seq int) store.Actor {
	f.t.Helper()
	f.putMasters(storetest.Record(nip, unit, nama, storetest.NIK(nip, seq)))
	return fxPNS(nip)
}

func fxMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// fxWantErr fails unless errors.Is(err, target).
func fxWantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

// fxEditableKeys lists every field a PNS must look at before Kirim.
func fxEditableKeys() []string {
	return store.AllCheckKeys()
}

// fxPDF is the smallest document the store accepts as a PDF: the signature and the end marker.
var fxPDF = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// attachDocs uploads a small PDF for every document the proposal under key still needs, as a
// PNS does before Kirim.
func (f *fx) attachDocs(a store.Actor, key string) {
	f.t.Helper()
	f.attachDocsFor(a, a.NIP, key)
}

// attachDocsFor is attachDocs for the form of nip, as an operator does for a PNS.
func (f *fx) attachDocsFor(a store.Actor, nip, key string) {
	f.t.Helper()
	form, err := f.s.Form(a, nip)
	fxMust(f.t, err)
	for _, kind := range form.MissingDocs(key) {
		if _, _, err := f.s.AddDocument(a, nip, key, kind, kind+".pdf", bytes.NewReader(fxPDF)); err != nil {
			f.t.Fatalf("AddDocument(%s, %s): %v", key, kind, err)
		}
	}
}

// fxUsul is one proposal: field, new value, reason.
type fxUsul struct{ key, value, reason string }

// propose makes a proposal that must be accepted.
func (f *fx) propose(a store.Actor, u fxUsul) store.Entry {
	f.t.Helper()
	e, _, err := f.s.Propose(a, a.NIP, u.key, u.value, u.reason)
	if err != nil {
		f.t.Fatalf("Propose(%s=%q): %v", u.key, u.value, err)
	}
	f.attachDocs(a, u.key)
	return e
}

// confirmRest marks every field the PNS has not looked at as sesuai.
func (f *fx) confirmRest(a store.Actor) {
	f.t.Helper()
	fxMust(f.t, fxErrOf(f.s.Confirm(a, a.NIP, fxEditableKeys(), true)))
}

// send makes the proposals, confirms the rest and sends; Kirim must succeed.
func (f *fx) send(a store.Actor, us ...fxUsul) store.Submission {
	f.t.Helper()
	for _, u := range us {
		f.propose(a, u)
	}
	f.confirmRest(a)
	sub, err := f.s.Kirim(a, a.NIP)
	if err != nil {
		f.t.Fatalf("Kirim %s: %v", a.NIP, err)
	}
	return sub
}

// rev reads the submission's current revision as the verifier sees it.
func (f *fx) rev(v store.Actor, id uint64) int {
	f.t.Helper()
	sub, err := f.s.Submission(v, id)
	if err != nil {
		f.t.Fatalf("Submission(%s, #%d): %v", v.Login, id, err)
	}
	return sub.Rev
}

// decide records a verdict on the current revision; it must succeed.
func (f *fx) decide(v store.Actor, id uint64, field, verdict, note string) store.Submission {
	f.t.Helper()
	sub, err := f.s.Decide(v, id, f.rev(v, id), field, verdict, note)
	if err != nil {
		f.t.Fatalf("Decide(%s, #%d, %s, %s): %v", v.Login, id, field, verdict, err)
	}
	return sub
}

// forward moves the submission on from the current revision; it must succeed.
func (f *fx) forward(v store.Actor, id uint64) store.Submission {
	f.t.Helper()
	sub, err := f.s.Forward(v, id, f.rev(v, id))
	if err != nil {
		f.t.Fatalf("Forward(%s, #%d): %v", v.Login, id, err)
	}
	return sub
}

// inbox returns every submission ID in a verifier's inbox, in the order shown (newest first).
func (f *fx) inbox(v store.Actor) []uint64 {
	f.t.Helper()
	var ids []uint64
	cursor := ""
	for {
		page, err := f.s.Inbox(v, cursor, 200)
		fxMust(f.t, err)
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		if page.Next == "" {
			return ids
		}
		cursor = page.Next
	}
}

func (f *fx) inInbox(v store.Actor, id uint64) bool { return slices.Contains(f.inbox(v), id) }

// events returns the kinds of a PNS's events, oldest first.
func (f *fx) eventKinds(nip string) []string {
	f.t.Helper()
	evs, err := f.s.Events(nip)
	fxMust(f.t, err)
	var out []string
	for _, e := range evs {
		out = append(out, e.Kind)
	}
	return out
}

// line finds a submission's line by field.
func fxLine(t *testing.T, sub store.Submission, field string) store.Line {
	t.Helper()
	for _, l := range sub.Lines {
		if l.Field == field {
			return l
		}
	}
	t.Fatalf("submission #%d has no line %q", sub.ID, field)
	return store.Line{}
}

// fxErrOf is the error of a form write, for the helpers that take an error.
func fxErrOf(_ store.Form, err error) error { return err }
