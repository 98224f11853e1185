package store

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// National figures (README › Offices and BKN › National figures): every linked office publishes a
// snapshot of its instansi's counters periodically; every hub keeps the latest per instansi in
// bkn_national, and a Kanreg hub passes its region's on to BKN Pusat, which so sees the country.
// The snapshot holds counts only: individual PNS stay at their office.

var bBKNNational = []byte("bkn_national")

// NationalSnapshot is an office's progress at one moment, as its monitoring page counts it: the
// instansi's counters by state (CountMaster, CountRegistered, CountActive, CountSent, each level,
// CountDone, …), the non-compliance counts per category (NonComplianceKinds) and its SKPDs' counts.
type NationalSnapshot struct {
	Instansi string    `json:"instansi"`
	Name     string    `json:"nama"`
	Kanreg   string    `json:"kanreg,omitempty"` // "" for an instansi pusat
	Taken    time.Time `json:"waktu"`
	// Every is how often the office publishes (the hub marks a snapshot stale after three).
	Every         time.Duration     `json:"interval"`
	Counts        Counts            `json:"angka"`
	NonCompliance map[string]uint64 `json:"tidak_patuh"`
	SKPD          []NationalSKPD    `json:"skpd,omitempty"`
}

// NationalSKPD is one SKPD's counts (its units summed) in a snapshot.
type NationalSKPD struct {
	ID     string `json:"id"`
	Name   string `json:"nama"`
	Counts Counts `json:"angka"`
}

// Finished is how many PNS are done (approved, or every line rejected for good).
func (c Counts) Finished() uint64 { return c[CountDone] + c[CountTMS] }

// NonCompliant is how many PNS of the snapshot have not done their part, all categories.
func (n NationalSnapshot) NonCompliant() uint64 {
	var sum uint64
	for _, v := range n.NonCompliance {
		sum += v
	}
	return sum
}

// NationalSnapshot reads the snapshot of instansi from the counters bucket and the organisation
// tree (no PNS is read: the same cost at 2,000 as at 250,000 PNS). The non-compliance counts are
// derived from the counters (nonComplianceOf).
func (s *Store) NationalSnapshot(instansi string) (NationalSnapshot, error) {
	in, err := s.Instansi(instansi)
	if err != nil {
		return NationalSnapshot{}, fmt.Errorf("instansi %s: %w", instansi, err)
	}
	all, err := s.Counters()
	if err != nil {
		return NationalSnapshot{}, err
	}
	snap := NationalSnapshot{Instansi: in.ID, Name: in.Name, Kanreg: in.KanregID, Taken: s.now(),
		Counts: nonNil(all[CounterInstansi(in.ID)])}
	snap.NonCompliance = nonComplianceOf(snap.Counts)
	var units []Unit
	if err := s.view(func(tx *bbolt.Tx) (err error) { units, err = unitsOf(tx, in.ID, ""); return }); err != nil {
		return NationalSnapshot{}, err
	}
	bySKPD := map[string]*NationalSKPD{}
	for _, u := range units {
		if u.IsSKPD() {
			bySKPD[u.ID] = &NationalSKPD{ID: u.ID, Name: u.Name, Counts: Counts{}}
		}
	}
	for _, u := range units {
		row := bySKPD[cmp.Or(u.SKPDID, u.ID)]
		if row == nil {
			continue
		}
		for k, v := range all[CounterUnit(u.ID)] {
			row.Counts[k] += v
		}
	}
	for _, r := range bySKPD {
		snap.SKPD = append(snap.SKPD, *r)
	}
	slices.SortFunc(snap.SKPD, func(a, b NationalSKPD) int { return strings.Compare(a.Name, b.Name) })
	return snap, nil
}

// nonComplianceOf derives the non-compliance counts from an instansi's counters, without reading a
// PNS: belum registrasi = no account; belum diaktifkan = an account not active; belum mengirim =
// nothing sent (or withdrawn) less those two (a PNS without an active account cannot send);
// dikembalikan = returned and not sent again. Two rare cases count differently from the list,
// which classifies PNS by PNS (compliance.go): a refused registration counts here as not
// activated (the list says not registered), and a PNS whose account was disabled after sending is
// counted where their submission is (the list says not activated).
func nonComplianceOf(c Counts) map[string]uint64 {
	reg, act := c[CountNotRegistered], c[CountNotActivated]
	sent := c[CountNotStarted]
	if sent > reg+act {
		sent -= reg + act
	} else {
		sent = 0
	}
	return map[string]uint64{NonRegistered: reg, NonActivated: act, NonSent: sent, NonResent: c[CountReturned]}
}

// NationalEntry is the latest snapshot of an instansi a hub holds, and when it arrived.
type NationalEntry struct {
	Snapshot NationalSnapshot `json:"snapshot"`
	Received time.Time        `json:"diterima"`
}

// Age is how old the snapshot is at now.
func (e NationalEntry) Age(now time.Time) time.Duration { return now.Sub(e.Snapshot.Taken) }

// Stale says whether the snapshot is older than three of its office's intervals at now.
func (e NationalEntry) Stale(now time.Time) bool {
	every := cmp.Or(e.Snapshot.Every, time.Minute)
	return e.Age(now) > 3*every
}

// ReceiveNationalSnapshots keeps, in ONE transaction, each snapshot that is newer than the one the
// hub holds for its instansi (an older or equal one is dropped: a redelivery, or an old message
// passed on late), filed under the Kanreg the hub knows it by (filedUnder), not the sender's word.
// It answers how many were kept.
func (s *Store) ReceiveNationalSnapshots(snaps []NationalSnapshot) (int, error) {
	for _, sn := range snaps {
		if !bknInstansiRe.MatchString(sn.Instansi) || sn.Taken.IsZero() {
			return 0, fmt.Errorf("%w: snapshot instansi %q waktu %v", ErrBKNRefused, sn.Instansi, sn.Taken)
		}
	}
	kept := 0
	err := s.update(func(tx *bbolt.Tx) error {
		kept = 0
		filed, err := filedUnder(tx)
		if err != nil {
			return err
		}
		b := bk(tx, bBKNNational)
		now := s.now()
		for _, sn := range snaps {
			if k, ok := filed(sn.Instansi); ok {
				sn.Kanreg = k
			}
			var old NationalEntry
			err := getJSON(b, []byte(sn.Instansi), &old)
			switch {
			case err == nil && !sn.Taken.After(old.Snapshot.Taken):
				continue
			case err != nil && !errors.Is(err, ErrNotFound):
				return err
			}
			if err := putJSON(b, []byte(sn.Instansi), NationalEntry{Snapshot: sn, Received: now}); err != nil {
				return err
			}
			kept++
		}
		return nil
	})
	return kept, err
}

// nationalEntries reads every entry the hub holds (one per instansi: at most a few hundred).
func nationalEntries(tx *bbolt.Tx) ([]NationalEntry, error) {
	var out []NationalEntry
	err := bk(tx, bBKNNational).ForEach(func(k, v []byte) error {
		var e NationalEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("%w: bkn_national %s: %v", ErrDamaged, k, err)
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// filedUnder says under which Kanreg the hub files an instansi's snapshot, when it knows: at a
// Kanreg hub every snapshot is its own Kanreg's (its offices are its region's); at BKN Pusat an
// instansi a registered Kanreg passes on is that Kanreg's, and one of Pusat's own offices is
// Pusat's own (""). Otherwise (ok false) the snapshot's Kanreg stands.
func filedUnder(tx *bbolt.Tx) (func(instansi string) (string, bool), error) {
	link := bknLinkTx(tx)
	if link.Role == BKNRoleKanreg {
		return func(string) (string, bool) { return link.Kanreg, true }, nil
	}
	known := map[string]string{}
	err := bk(tx, bBKNKanregs).ForEach(func(_, v []byte) error {
		var r BKNKanreg
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("%w: bkn_kanregs: %v", ErrDamaged, err)
		}
		for _, id := range r.Instansi {
			known[id] = r.Kanreg
		}
		return nil
	})
	if err == nil {
		err = bk(tx, bBKNOffices).ForEach(func(k, _ []byte) error {
			known[string(k)] = ""
			return nil
		})
	}
	return func(id string) (string, bool) { k, ok := known[id]; return k, ok }, err
}
