package store

import (
	"cmp"
	"encoding/binary"
	"slices"
	"strings"

	"go.etcd.io/bbolt"
)

// MonitorRow is one unit on the monitoring page: an SKPD (its counts summed over every unit under
// it) or a unit under an SKPD (its own PNS only).
type MonitorRow struct {
	Unit   Unit
	SKPD   bool
	Counts Counts
}

// Progress is the share of the PNS in the master data who sent (a finished submission included),
// in per mille, so that sorting and bars need no floating point.
func (c Counts) Progress() int {
	if c[CountMaster] == 0 {
		return 0
	}
	return int(c[CountSent] * 1000 / c[CountMaster])
}

// Monitor is the progress of the actor's monitoring scope, read only from the counters and the
// organisation tree: the admin sees the office, Level 2 their instansi, Level 1 their SKPD. Other
// staff see only the office's totals (Rows empty).
type Monitor struct {
	Total Counts
	Rows  []MonitorRow
}

// Monitor reads the counters of the actor's scope. byProgress sorts the SKPDs by progress, the
// least advanced first (each SKPD's units stay under it); otherwise they are sorted by name.
func (s *Store) Monitor(a Actor, byProgress bool) (Monitor, error) {
	all, err := s.Counters()
	if err != nil {
		return Monitor{}, err
	}
	if !CanMonitor(a) {
		return Monitor{Total: nonNil(all[CounterOffice])}, nil
	}
	var units []Unit
	if err := s.view(func(tx *bbolt.Tx) (err error) { units, err = unitsOf(tx, "", ""); return }); err != nil {
		return Monitor{}, err
	}
	groups := map[string][]MonitorRow{}
	var skpds []MonitorRow
	for _, u := range units {
		skpd := cmp.Or(u.SKPDID, u.ID)
		if !mayMonitor(a, &Record{InstansiID: u.InstansiID}, skpd) {
			continue
		}
		row := MonitorRow{Unit: u, SKPD: u.IsSKPD(), Counts: nonNil(all[CounterUnit(u.ID)])}
		if row.SKPD {
			skpds = append(skpds, row)
		} else {
			groups[skpd] = append(groups[skpd], row)
		}
	}
	out := Monitor{Total: Counts{}}
	switch a.Role {
	case RoleAdmin:
		out.Total = nonNil(all[CounterOffice])
	case RoleV2:
		out.Total = nonNil(all[CounterInstansi(a.ScopeID)])
	}
	for i := range skpds {
		sum := Counts{}
		for k, v := range skpds[i].Counts {
			sum[k] += v
		}
		for _, r := range groups[skpds[i].Unit.ID] {
			for k, v := range r.Counts {
				sum[k] += v
			}
		}
		skpds[i].Counts = sum
		if a.Role == RoleV1 {
			out.Total = sum
		}
	}
	slices.SortStableFunc(skpds, func(x, y MonitorRow) int {
		if byProgress {
			if c := cmp.Compare(x.Counts.Progress(), y.Counts.Progress()); c != 0 {
				return c
			}
		}
		return strings.Compare(x.Unit.Name, y.Unit.Name)
	})
	for _, r := range skpds {
		out.Rows = append(out.Rows, r)
		sub := groups[r.Unit.ID]
		slices.SortStableFunc(sub, func(x, y MonitorRow) int { return strings.Compare(x.Unit.Name, y.Unit.Name) })
		out.Rows = append(out.Rows, sub...)
	}
	return out, nil
}

func nonNil(c Counts) Counts {
	if c == nil {
		return Counts{}
	}
	return c
}

// AccountsByRole counts the accounts of each role for the summary page: the PNS accounts from the
// office's counters, the staff from their own key range (staffUsers), so a page load decodes no
// PNS account, record, entry or submission.
func (s *Store) AccountsByRole() (map[Role]int, error) {
	out := map[Role]int{}
	err := s.view(func(tx *bbolt.Tx) error {
		n := bk(tx, bCounters).Get(counterKey(CounterOffice, CountRegistered))
		if len(n) == 8 {
			out[RolePNS] = int(binary.BigEndian.Uint64(n))
		}
		staff, err := staffUsers(tx)
		for _, u := range staff {
			out[u.Role]++
		}
		return err
	})
	return out, err
}
