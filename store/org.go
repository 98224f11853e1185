package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"go.etcd.io/bbolt"
)

// Instansi is a ministry, province or kabupaten/kota. Jenis is "daerah" (verified at Level 3 by its
// Kanreg) or "pusat" (Level 4, BKN Pusat).
type Instansi struct {
	ID       string `json:"id"`
	Name     string `json:"nama"`
	Jenis    string `json:"jenis"`
	KanregID string `json:"kanreg_id,omitempty"`
	// ActivationOff makes registrations of this instansi active at once.
	ActivationOff bool `json:"activation_off,omitempty"`
}

// Unit is a unit organisasi; units nest. SKPDID is the top-level unit (the SKPD) it falls under,
// which decides the Level 1 inbox; for a top-level unit it is its own ID.
type Unit struct {
	ID         string `json:"id"`
	InstansiID string `json:"instansi_id"`
	ParentID   string `json:"parent_id,omitempty"`
	Name       string `json:"nama"`
	SKPDID     string `json:"skpd_id"`
}

// PutInstansi creates or replaces an instansi.
func (s *Store) PutInstansi(in Instansi) error {
	if in.ID == "" || in.Name == "" || (in.Jenis != "daerah" && in.Jenis != "pusat") {
		return fmt.Errorf("%w: instansi butuh id, nama dan jenis daerah/pusat", ErrInvalid)
	}
	if in.Jenis == "daerah" && !Kanregs.Has(in.KanregID) {
		return fmt.Errorf("%w: instansi daerah butuh kanreg yang dikenal", ErrInvalid)
	}
	return s.update(func(tx *bbolt.Tx) error { return putJSON(bk(tx, bInstansi), []byte(in.ID), in) })
}

// PutUnit creates or replaces a unit; its parent (if any) must exist in the same instansi.
// SKPDID is derived from the tree.
func (s *Store) PutUnit(u Unit) error {
	return s.update(func(tx *bbolt.Tx) error { return putUnit(tx, &u) })
}

func putUnit(tx *bbolt.Tx, u *Unit) error {
	if u.ID == "" || u.Name == "" {
		return fmt.Errorf("%w: unit butuh id dan nama", ErrInvalid)
	}
	if bk(tx, bInstansi).Get([]byte(u.InstansiID)) == nil {
		return fmt.Errorf("%w: instansi %q", ErrNotFound, u.InstansiID)
	}
	u.SKPDID = u.ID
	if u.ParentID != "" {
		var p Unit
		if err := getJSON(bk(tx, bUnits), []byte(u.ParentID), &p); err != nil {
			return fmt.Errorf("unit induk %q: %w", u.ParentID, err)
		}
		if p.InstansiID != u.InstansiID {
			return fmt.Errorf("%w: unit induk di instansi lain", ErrInvalid)
		}
		u.SKPDID = p.SKPDID
	}
	return putJSON(bk(tx, bUnits), []byte(u.ID), u)
}

// Instansi returns one instansi.
func (s *Store) Instansi(id string) (Instansi, error) {
	var in Instansi
	err := s.view(func(tx *bbolt.Tx) error {
		v, err := getCached[Instansi](tx, bInstansi, []byte(id))
		if err == nil {
			in = *v
		}
		return err
	})
	return in, err
}

// Unit returns one unit.
func (s *Store) Unit(id string) (Unit, error) {
	var u Unit
	err := s.view(func(tx *bbolt.Tx) error {
		v, err := getCached[Unit](tx, bUnits, []byte(id))
		if err == nil {
			u = *v
		}
		return err
	})
	return u, err
}

// IsSKPD tells whether the unit is an SKPD: a top-level unit, the SKPD of itself.
func (u Unit) IsSKPD() bool { return u.SKPDID == u.ID }

// Units lists every unit of an instansi (all of them when instansiID is "").
func (s *Store) Units(instansiID string) ([]Unit, error) {
	var out []Unit
	err := s.view(func(tx *bbolt.Tx) (err error) { out, err = unitsOf(tx, instansiID, ""); return })
	return out, err
}

// unitsOf lists the units of an instansi (all of them when instansiID is ""), only those under the
// SKPD skpdID when it is set, in id order.
func unitsOf(tx *bbolt.Tx, instansiID, skpdID string) ([]Unit, error) {
	var out []Unit
	err := bk(tx, bUnits).ForEach(func(_, v []byte) error {
		var u Unit
		if err := json.Unmarshal(v, &u); err != nil {
			return err
		}
		if (instansiID == "" || u.InstansiID == instansiID) && (skpdID == "" || u.SKPDID == skpdID) {
			out = append(out, u)
		}
		return nil
	})
	return out, err
}

// FilterUnits lists the units a verifier may filter their inbox by, sorted by name: at Level 1 the
// units under their SKPD, at Level 2 the units of their instansi. Levels 3 and 4 get none: their
// inboxes span instansi.
func (s *Store) FilterUnits(a Actor) ([]Unit, error) {
	var out []Unit
	err := s.view(func(tx *bbolt.Tx) (err error) {
		switch a.Role {
		case RoleV1:
			var u Unit
			if err := getJSON(bk(tx, bUnits), []byte(a.ScopeID), &u); err != nil {
				return fmt.Errorf("unit %s: %w", a.ScopeID, err)
			}
			out, err = unitsOf(tx, u.InstansiID, u.ID)
		case RoleV2:
			out, err = unitsOf(tx, a.ScopeID, "")
		}
		return err
	})
	slices.SortStableFunc(out, func(x, y Unit) int { return strings.Compare(x.Name, y.Name) })
	return out, err
}

// unitTree lists an instansi's units as a pick list: each unit named by its path from the SKPD
// ("Dinas Pendidikan › Bidang Pembinaan SMA"), sorted by that name.
func unitTree(tx *bbolt.Tx, instansiID string) (CodeList, error) {
	byID := map[string]Unit{}
	err := bk(tx, bUnits).ForEach(func(_, v []byte) error {
		var u Unit
		if err := json.Unmarshal(v, &u); err != nil {
			return err
		}
		if u.InstansiID == instansiID {
			byID[u.ID] = u
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make(CodeList, 0, len(byID))
	for _, u := range byID {
		name := u.Name
		for p, ok := byID[u.ParentID]; ok; p, ok = byID[p.ParentID] {
			name = p.Name + " › " + name
		}
		out = append(out, Code{Code: u.ID, Label: name})
	}
	slices.SortFunc(out, func(a, b Code) int { return strings.Compare(a.Label, b.Label) })
	return out, nil
}

// UnitTree returns an instansi's organisation tree as a pick list (see unitTree).
func (s *Store) UnitTree(instansiID string) (CodeList, error) {
	var out CodeList
	err := s.view(func(tx *bbolt.Tx) (err error) { out, err = unitTree(tx, instansiID); return })
	return out, err
}
