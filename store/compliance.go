package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// The non-compliance list (DOMAIN.md, Schedule and sanctions): every PNS of the master data who has
// not done their part, at any moment, and the close that marks them kedudukan hukum 90.

// Non-compliance categories: why a PNS is on the list, in the order a PNS passes them.
const (
	NonRegistered = "belum_registrasi"  // no account (or the registration was refused)
	NonActivated  = "belum_aktivasi"    // registered, the account not active
	NonSent       = "belum_kirim"       // active, nothing sent (or only a withdrawn submission)
	NonResent     = "belum_kirim_ulang" // the latest submission was returned and not sent again
)

// NonComplianceKinds lists the categories with their labels, in order, for filters and pages.
var NonComplianceKinds = CodeList{
	{NonRegistered, "Belum registrasi"},
	{NonActivated, "Registrasi belum diaktifkan"},
	{NonSent, "Belum mengirim"},
	{NonResent, "Dikembalikan, belum dikirim ulang"},
}

// KedudukanTidakIkut is the kedudukan hukum the close gives every non-complier (Tidak Ikut PUPNS).
const KedudukanTidakIkut = "90"

// NonCompliant is one PNS on the list: who, where, why, and the lines of their latest submission
// that a verifier rejected for good (TMS).
type NonCompliant struct {
	NIP        string
	Name       string
	InstansiID string
	UnitID     string
	SKPDID     string
	Kategori   string
	Kedudukan  string // the record's kedudukan hukum: 90 once the close has marked them
	TMS        []Line
}

// NonComplianceFilter narrows the list: an SKPD, a category, and where the previous page ended
// (After, a NIP: the list runs in NIP order). Limit 0 means every match.
type NonComplianceFilter struct {
	SKPDID   string
	Kategori string
	After    string
	Limit    int
}

// NonCompliancePage is one page of the list; Next is the cursor of the next page ("" at the end).
type NonCompliancePage struct {
	Items []NonCompliant
	Next  string
}

// CanMonitor says, before anything is read, whether the actor watches the office's progress:
// the admin (the whole office), a Level 2 verifier (their instansi), a Level 1 verifier (their SKPD).
func CanMonitor(a Actor) bool {
	return a.Role == RoleAdmin || ((a.Role == RoleV1 || a.Role == RoleV2) && a.ScopeID != "")
}

// mayMonitor says whether a PNS (their record, whose unit falls under skpd) is in the monitoring
// scope of the actor: the one rule for the non-compliance list, its print and its CSV.
func mayMonitor(a Actor, rec *Record, skpd string) bool {
	switch a.Role {
	case RoleAdmin:
		return true
	case RoleV2:
		return a.ScopeID != "" && rec.InstansiID == a.ScopeID
	case RoleV1:
		return a.ScopeID != "" && skpd == a.ScopeID
	}
	return false
}

// classify says why a PNS is non-compliant ("" when they are not), in the caller's transaction,
// with the TMS lines of their latest submission.
func classify(tx *bbolt.Tx, nip string) (string, []Line, error) {
	var u struct {
		Role   Role   `json:"role"`
		Status string `json:"status"`
	}
	err := getJSON(bk(tx, bUsers), []byte(nip), &u)
	switch {
	case errors.Is(err, ErrNotFound):
		return NonRegistered, nil, nil
	case err != nil:
		return "", nil, err
	case u.Role != RolePNS || u.Status == StatusRejected:
		return NonRegistered, nil, nil
	case u.Status != "" && u.Status != StatusActive:
		return NonActivated, nil, nil
	}
	sub, err := latestSubmission(tx, nip)
	if errors.Is(err, ErrNotFound) {
		return NonSent, nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	var tms []Line
	for _, l := range sub.Lines {
		if l.Rejected(sub.Round) {
			tms = append(tms, l)
		}
	}
	switch sub.State {
	case StateWithdrawn, StateDraft:
		return NonSent, tms, nil
	case StateReturned:
		return NonResent, tms, nil
	}
	return "", tms, nil
}

// skpdOf finds the SKPD of a unit, remembering what it has read in seen.
func skpdOf(tx *bbolt.Tx, seen map[string]string, unitID string) string {
	if s, ok := seen[unitID]; ok {
		return s
	}
	u, err := getCached[Unit](tx, bUnits, []byte(unitID))
	s := ""
	if err == nil {
		s = u.SKPDID
	}
	seen[unitID] = s
	return s
}

// recordHead is the part of a master record the list needs: decoding only this skips the
// history tables and the other fields, which are most of a record's bytes.
type recordHead struct {
	NIP        string `json:"nip"`
	InstansiID string `json:"instansi_id"`
	UnitID     string `json:"unit_id"`
	Fields     struct {
		Nama          string `json:"nama"`
		GelarDepan    string `json:"gelar_depan"`
		GelarBelakang string `json:"gelar_belakang"`
		Kedudukan     string `json:"kedudukan_hukum"`
	} `json:"fields"`
}

// record makes the Record the scope rule and Name read.
func (h recordHead) record() Record {
	return Record{NIP: h.NIP, InstansiID: h.InstansiID, UnitID: h.UnitID, Fields: map[string]string{
		KeyNama: h.Fields.Nama, "gelar_depan": h.Fields.GelarDepan, "gelar_belakang": h.Fields.GelarBelakang}}
}

// walkNonCompliant calls fn for every non-complier in the actor's scope that the filter names, in
// NIP order from f.After, until fn returns false. It reads the master records one by one (a scan,
// see README › Non-compliance and the close).
func walkNonCompliant(tx *bbolt.Tx, a Actor, f NonComplianceFilter, fn func(NonCompliant) bool) error {
	seen := map[string]string{}
	c := bk(tx, bRecords).Cursor()
	k, v := c.First()
	if f.After != "" {
		k, v = c.Seek([]byte(f.After + "\x00"))
	}
	for ; k != nil; k, v = c.Next() {
		nc, ok, err := nonCompliantAt(tx, a, f, seen, k, v)
		if err != nil {
			return err
		}
		if ok && !fn(nc) {
			return nil
		}
	}
	return nil
}

// nonCompliantAt reads one master record (k, v of the records bucket) and says whether its PNS is a
// non-complier in the actor's scope that the filter names (f.After aside): the body of
// walkNonCompliant, which the export also walks in chunks. seen remembers the SKPD of each unit.
func nonCompliantAt(tx *bbolt.Tx, a Actor, f NonComplianceFilter, seen map[string]string, k, v []byte) (NonCompliant, bool, error) {
	var h recordHead
	if err := json.Unmarshal(v, &h); err != nil {
		return NonCompliant{}, false, fmt.Errorf("data PNS %s: %w", k, err)
	}
	rec := h.record()
	skpd := skpdOf(tx, seen, rec.UnitID)
	if !mayMonitor(a, &rec, skpd) || (f.SKPDID != "" && skpd != f.SKPDID) {
		return NonCompliant{}, false, nil
	}
	kind, tms, err := classify(tx, rec.NIP)
	if err != nil || kind == "" || (f.Kategori != "" && kind != f.Kategori) {
		return NonCompliant{}, false, err
	}
	return NonCompliant{NIP: rec.NIP, Name: rec.Name(), InstansiID: rec.InstansiID, UnitID: rec.UnitID, SKPDID: skpd,
		Kategori: kind, Kedudukan: h.Fields.Kedudukan, TMS: tms}, true, nil
}

// KeyKedudukan is the record's field of kedudukan hukum.
const KeyKedudukan = "kedudukan_hukum"

// NonCompliance returns one page of the non-compliance list as the actor may see it (admin: the
// office; Level 2: their instansi; Level 1: their SKPD), filtered by SKPD and category.
func (s *Store) NonCompliance(a Actor, f NonComplianceFilter) (NonCompliancePage, error) {
	var out NonCompliancePage
	if !CanMonitor(a) {
		return out, ErrForbidden
	}
	if f.Kategori != "" && !NonComplianceKinds.Has(f.Kategori) {
		return out, fieldErr("kategori", "Kategori %q tidak dikenal.", f.Kategori)
	}
	err := s.view(func(tx *bbolt.Tx) error {
		return walkNonCompliant(tx, a, f, func(nc NonCompliant) bool {
			if f.Limit > 0 && len(out.Items) == f.Limit {
				out.Next = out.Items[len(out.Items)-1].NIP
				return false
			}
			out.Items = append(out.Items, nc)
			return true
		})
	})
	return out, err
}

// CloseCampaign marks every non-complier's kedudukan hukum as 90 (Tidak Ikut PUPNS) in one transaction:
// each a new master version and an event that keep the kedudukan hukum they had. expect is the
// count the admin confirmed on the confirmation page: when the list has changed since, nothing is
// written and the refusal says the new count. Those already marked are left alone, so a second
// close changes nothing. It returns how many were marked.
func (s *Store) CloseCampaign(a Actor, expect int) (int, error) {
	if !mayAdminister(a) {
		return 0, ErrForbidden
	}
	n := 0
	err := s.update(func(tx *bbolt.Tx) error {
		n = 0
		var todo []NonCompliant
		if err := walkNonCompliant(tx, a, NonComplianceFilter{}, func(nc NonCompliant) bool {
			if nc.Kedudukan != KedudukanTidakIkut {
				todo = append(todo, nc)
			}
			return true
		}); err != nil {
			return err
		}
		if len(todo) != expect {
			return fieldErr("konfirmasi", "Daftar berubah: kini %d PNS akan ditandai, bukan %d. Periksa daftar lalu konfirmasi lagi.", len(todo), expect)
		}
		for _, nc := range todo {
			detail := fmt.Sprintf("penutupan PUPNS (%s): kedudukan hukum %s → %s", NonComplianceKinds.Label(nc.Kategori), nc.Kedudukan, KedudukanTidakIkut)
			if err := setKedudukan(tx, a, nc.NIP, KedudukanTidakIkut, CauseClose, EventClose, detail, s.now()); err != nil {
				return err
			}
		}
		n = len(todo)
		return nil
	})
	return n, err
}

// Causes of the versions the close and its reversal write; Restore finds the close by CauseClose.
const (
	CauseClose   = "penutupan PUPNS"
	CauseRestore = "pemulihan (susulan)"
)

// Event kinds of the close and its reversal.
const (
	EventClose   = "tutup_pupns"
	EventRestore = "pulihkan_pupns"
)

// setKedudukan writes the record with a new kedudukan hukum as a new version, with its event.
func setKedudukan(tx *bbolt.Tx, a Actor, nip, value, cause, kind, detail string, now time.Time) error {
	cur, err := getRecord(tx, nip)
	if err != nil {
		return fmt.Errorf("data PNS %s: %w", nip, err)
	}
	old := *cur
	r := old.clone()
	if r.Fields == nil {
		r.Fields = map[string]string{}
	}
	r.Fields[KeyKedudukan] = value
	r.Version = old.Version + 1
	r.UpdatedAt, r.UpdatedBy = now, a.Login
	if err := writeVersion(tx, old, r, Version{At: now, By: a.Login, Cause: cause}); err != nil {
		return err
	}
	return appendEvent(tx, Event{At: now, Actor: a.Login, NIP: nip, Kind: kind, Detail: detail})
}

// Restore reverses the close for one PNS who registered late (susulan): the admin gives a reason,
// and the kedudukan hukum the PNS had before the close comes back as a new version with an event.
// A PNS whose kedudukan hukum the close did not set cannot be restored (ErrState).
func (s *Store) Restore(a Actor, nip, alasan string) (Record, error) {
	if !mayAdminister(a) {
		return Record{}, ErrForbidden
	}
	alasan, err := checkText("alasan", "Alasan pemulihan", alasan, 300)
	if err != nil {
		return Record{}, err
	}
	var out Record
	err = s.update(func(tx *bbolt.Tx) error {
		cur, err := getRecord(tx, nip)
		if err != nil {
			return fmt.Errorf("data PNS %s: %w", nip, err)
		}
		if cur.Fields[KeyKedudukan] != KedudukanTidakIkut {
			return fmt.Errorf("%w: kedudukan hukum PNS ini bukan 90 (Tidak Ikut PUPNS)", ErrState)
		}
		before, ok, err := beforeClose(tx, nip, cur.Version)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: kedudukan hukum 90 PNS ini bukan dari penutupan PUPNS", ErrState)
		}
		detail := fmt.Sprintf("pemulihan: kedudukan hukum %s → %s; alasan: %s", KedudukanTidakIkut, before, alasan)
		if err := setKedudukan(tx, a, nip, before, CauseRestore+": "+alasan, EventRestore, detail, s.now()); err != nil {
			return err
		}
		rec, err := getRecord(tx, nip)
		if err == nil {
			out = rec.clone()
		}
		return err
	})
	return out, err
}

// beforeClose reads the kedudukan hukum the PNS had before the close that set the current one:
// walking back from version v, the latest version that changed kedudukan hukum must be the
// close's, and its change keeps the old value.
func beforeClose(tx *bbolt.Tx, nip string, v int) (string, bool, error) {
	vers, err := readVersions(tx, nip) // stored as what changed: the changes come with the records
	if err != nil {
		return "", false, err
	}
	for i := len(vers) - 1; i >= 0; i-- {
		if vers[i].Version > v {
			continue
		}
		for _, ch := range vers[i].Changes {
			if ch.Field == KeyKedudukan {
				return ch.Old, vers[i].Cause == CauseClose, nil
			}
		}
	}
	return "", false, nil
}

// MonitorSKPDs lists the SKPDs the actor may filter the non-compliance list by, sorted by name:
// every SKPD for the admin, those of their instansi for Level 2, their own for Level 1.
func (s *Store) MonitorSKPDs(a Actor) ([]Unit, error) {
	if !CanMonitor(a) {
		return nil, ErrForbidden
	}
	var out []Unit
	err := s.view(func(tx *bbolt.Tx) error {
		all, err := unitsOf(tx, "", "")
		for _, u := range all {
			if u.IsSKPD() && mayMonitor(a, &Record{InstansiID: u.InstansiID}, u.ID) {
				out = append(out, u)
			}
		}
		return err
	})
	slices.SortStableFunc(out, func(x, y Unit) int { return strings.Compare(x.Name, y.Name) })
	return out, err
}
