package store

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// MayViewNational is the one rule of the national pages: they exist at a hub only (a Kanreg's or
// BKN Pusat's), for its admin, its Level 4 verifiers and the Level 3 verifiers of its own Kanreg.
func MayViewNational(a Actor, l BKNLink) bool {
	if !l.Role.Hub() {
		return false
	}
	switch a.Role {
	case RoleAdmin, RoleV4:
		return true
	case RoleV3:
		return l.Role == BKNRoleKanreg && a.ScopeID == l.Kanreg
	}
	return false
}

// NationalGroup is one Kanreg's instansi (Kanreg "" is BKN Pusat's own, the instansi pusat) with
// their sums.
type NationalGroup struct {
	Kanreg        string
	Label         string
	Total         Counts
	NonCompliance map[string]uint64
	Instansi      []NationalEntry
}

// National is what the hub holds of the country (a Kanreg hub: its region) at Now.
type National struct {
	Hub    BKNLink
	Now    time.Time
	Groups []NationalGroup
}

// KanregLabel names a Kanreg group ("" is BKN Pusat's own instansi pusat).
func KanregLabel(k string) string {
	if k == "" {
		return "BKN Pusat (instansi pusat)"
	}
	if l := Kanregs.Label(k); l != "" {
		return l
	}
	return "Kanreg " + k
}

// National reads the latest snapshots the hub holds, grouped by Kanreg (in the order I … XIV, BKN
// Pusat's own last), each group's instansi by name; kanreg narrows to one group ("" = all).
func (s *Store) National(a Actor, kanreg string) (National, error) {
	var out National
	var entries []NationalEntry
	err := s.view(func(tx *bbolt.Tx) (err error) {
		out.Hub = bknLinkTx(tx)
		if !MayViewNational(a, out.Hub) {
			return ErrForbidden
		}
		entries, err = nationalEntries(tx)
		return err
	})
	if err != nil {
		return National{}, err
	}
	out.Now = s.now()
	groups := map[string]*NationalGroup{}
	for _, e := range entries {
		k := e.Snapshot.Kanreg
		if kanreg != "" && k != kanreg {
			continue
		}
		g := groups[k]
		if g == nil {
			g = &NationalGroup{Kanreg: k, Label: KanregLabel(k), Total: Counts{}, NonCompliance: map[string]uint64{}}
			groups[k] = g
		}
		for st, n := range e.Snapshot.Counts {
			g.Total[st] += n
		}
		for c, n := range e.Snapshot.NonCompliance {
			g.NonCompliance[c] += n
		}
		g.Instansi = append(g.Instansi, e)
	}
	for _, g := range groups {
		slices.SortFunc(g.Instansi, func(x, y NationalEntry) int { return strings.Compare(x.Snapshot.Name, y.Snapshot.Name) })
		out.Groups = append(out.Groups, *g)
	}
	slices.SortFunc(out.Groups, func(x, y NationalGroup) int { return cmp.Compare(kanregOrder(x.Kanreg), kanregOrder(y.Kanreg)) })
	return out, nil
}

// kanregOrder places the Kanregs in their official order (I … XIV), unknown codes after them and
// BKN Pusat's own instansi last.
func kanregOrder(k string) int {
	if k == "" {
		return len(Kanregs) + 1
	}
	for i, c := range Kanregs {
		if c.Code == k {
			return i
		}
	}
	return len(Kanregs)
}

// NotDoneShare is the share of the instansi's PNS not done, in per mille (1000 when it has none
// counted: nothing known is nothing done).
func (e NationalEntry) NotDoneShare() int {
	c := e.Snapshot.Counts
	if c[CountMaster] == 0 {
		return 1000
	}
	return int((c[CountMaster] - min(c.Finished(), c[CountMaster])) * 1000 / c[CountMaster])
}

// NationalNonCompliance is the national non-compliance list: every instansi the hub holds (of
// kanreg only when given) with its counts per category, the largest share not done first.
func (s *Store) NationalNonCompliance(a Actor, kanreg string) (National, []NationalEntry, error) {
	n, err := s.National(a, kanreg)
	if err != nil {
		return National{}, nil, err
	}
	var out []NationalEntry
	for _, g := range n.Groups {
		out = append(out, g.Instansi...)
	}
	slices.SortStableFunc(out, func(x, y NationalEntry) int {
		if c := cmp.Compare(y.NotDoneShare(), x.NotDoneShare()); c != 0 {
			return c
		}
		return strings.Compare(x.Snapshot.Name, y.Snapshot.Name)
	})
	return n, out, nil
}
