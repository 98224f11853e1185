package store

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

// What the monitoring charts read besides the counters: the scope's daily series, the oldest
// submission waiting at each level and the verifiers' decisions per day. Each is a handful of
// seeks (a few keys per day, per inbox, per staff account), never a scan of records or entries.

// VerifierDays is one verifier's decisions per day.
type VerifierDays struct {
	Login, Name string
	Role        Role
	Days        []Day
}

// MonitorCharts is what the charts of the monitoring page show for the actor's scope.
type MonitorCharts struct {
	Sent, Finished []Day          // net PNS sent / finished per day, oldest first
	Oldest         [5]time.Time   // by level 1–4: when the oldest submission waiting there arrived; zero when none
	Verifiers      []VerifierDays // by name
	Loc            *time.Location
}

// dailyScope is the scope of the actor's monitoring series.
func dailyScope(a Actor) string {
	switch a.Role {
	case RoleV2:
		return CounterInstansi(a.ScopeID)
	case RoleV1:
		return CounterSKPD(a.ScopeID)
	}
	return CounterOffice
}

// MonitorCharts reads the charts' numbers for the actor's monitoring scope (ErrForbidden for
// staff who monitor none).
func (s *Store) MonitorCharts(a Actor) (MonitorCharts, error) {
	if !CanMonitor(a) {
		return MonitorCharts{}, ErrForbidden
	}
	series, err := s.Daily(dailyScope(a))
	if err != nil {
		return MonitorCharts{}, err
	}
	out := MonitorCharts{Sent: series[SeriesSent], Finished: series[SeriesFinished]}
	var staff []User
	err = s.view(func(tx *bbolt.Tx) error {
		sc, err := scheduleTx(tx) // through the decode cache: only its zone is read
		if err != nil {
			return err
		}
		out.Loc = sc.Location()
		units, err := unitMap(tx)
		if err != nil {
			return err
		}
		for lv := 1; lv <= 4; lv++ {
			if out.Oldest[lv], err = oldestWaiting(tx, a, lv, units); err != nil {
				return err
			}
		}
		staff, err = staffUsers(tx)
		for _, u := range staff {
			if verifierInScope(a, u, units) {
				out.Verifiers = append(out.Verifiers, VerifierDays{Login: u.Login, Name: u.Name, Role: u.Role})
			}
		}
		return err
	})
	if err != nil {
		return MonitorCharts{}, err
	}
	for i, v := range out.Verifiers {
		d, err := s.Daily(CounterVerifier(v.Login))
		if err != nil {
			return MonitorCharts{}, err
		}
		out.Verifiers[i].Days = d[SeriesDecisions]
	}
	slices.SortStableFunc(out.Verifiers, func(x, y VerifierDays) int { return cmp.Compare(x.Name, y.Name) })
	return out, nil
}

func unitMap(tx *bbolt.Tx) (map[string]Unit, error) {
	all, err := unitsOf(tx, "", "")
	m := make(map[string]Unit, len(all))
	for _, u := range all {
		m[u.ID] = u
	}
	return m, err
}

// skpdIn is the SKPD a unit falls under (itself when it is one).
func skpdIn(units map[string]Unit, unitID string) string {
	return cmp.Or(units[unitID].SKPDID, unitID)
}

// verifierInScope says whether a staff account's decisions belong to the actor's charts: every
// line verifier for the admin; those of their instansi for Level 2; those of their SKPD for Level 1.
func verifierInScope(a Actor, u User, units map[string]Unit) bool {
	if u.Role.Level() == 0 {
		return false
	}
	switch a.Role {
	case RoleAdmin:
		return true
	case RoleV2:
		return (u.Role == RoleV2 && u.ScopeID == a.ScopeID) || (u.Role == RoleV1 && units[u.ScopeID].InstansiID == a.ScopeID)
	case RoleV1:
		return u.Role == RoleV1 && u.ScopeID == a.ScopeID
	}
	return false
}

// oldestWaiting is when the oldest submission of the actor's scope waiting at a level arrived
// there. An inbox wholly in scope answers with its first key; an inbox that spans more than the
// scope (Level 1 looking at Level 2, Level 2 at Levels 3 and 4) is read from its oldest row until
// the first one in scope.
func oldestWaiting(tx *bbolt.Tx, a Actor, lv int, units map[string]Unit) (time.Time, error) {
	var oldest time.Time
	counts := bk(tx, bInboxCount).Cursor()
	lvPrefix := []byte{byte(lv)}
	for k, _ := counts.Seek(lvPrefix); k != nil && bytes.HasPrefix(k, lvPrefix); k, _ = counts.Next() {
		scope := string(k[1 : len(k)-1])
		whole, maybe := inboxInScope(a, lv, scope, units)
		if !whole && !maybe {
			continue
		}
		prefix := bytes.Clone(k)
		c := bk(tx, bInbox).Cursor()
		for ik, iv := c.Seek(prefix); ik != nil && bytes.HasPrefix(ik, prefix); ik, iv = c.Next() {
			if !whole {
				f, _, _, err := inboxFields(iv)
				if err != nil {
					return oldest, err
				}
				if !unitInScope(a, string(f[3]), units) {
					continue
				}
			}
			if rest := ik[len(prefix):]; len(rest) >= 8 {
				at := time.Unix(0, int64(be64(rest[:8])))
				if oldest.IsZero() || at.Before(oldest) {
					oldest = at
				}
			}
			break
		}
	}
	return oldest, nil
}

// inboxInScope says whether the inbox of a level and scope lies wholly in the actor's monitoring
// scope, or may hold some of it.
func inboxInScope(a Actor, lv int, scope string, units map[string]Unit) (whole, maybe bool) {
	if a.Role == RoleAdmin {
		return true, false
	}
	switch lv {
	case 1: // scope is an SKPD
		if a.Role == RoleV1 {
			return scope == a.ScopeID, false
		}
		return units[scope].InstansiID == a.ScopeID, false
	case 2: // scope is an instansi
		if a.Role == RoleV2 {
			return scope == a.ScopeID, false
		}
		return false, scope == units[a.ScopeID].InstansiID
	}
	return false, true // Kanreg and BKN Pusat inboxes span instansi
}

// unitInScope says whether a PNS of a unit is in the actor's monitoring scope.
func unitInScope(a Actor, unitID string, units map[string]Unit) bool {
	return mayMonitor(a, &Record{InstansiID: units[unitID].InstansiID}, skpdIn(units, unitID))
}

// staffUsers reads every account that is not a PNS's. PNS accounts are keyed by their 18-digit
// NIP and staff logins start with a letter (loginRe), so the digits' key range is skipped with one
// seek: the read costs the staff accounts, not the office's PNS.
func staffUsers(tx *bbolt.Tx) ([]User, error) {
	var out []User
	c := bk(tx, bUsers).Cursor()
	add := func(v []byte) error {
		var u User
		if err := json.Unmarshal(v, &u); err != nil {
			return err
		}
		if u.Role != RolePNS {
			out = append(out, u)
		}
		return nil
	}
	for k, v := c.First(); k != nil && k[0] < '0'; k, v = c.Next() {
		if err := add(v); err != nil {
			return nil, err
		}
	}
	for k, v := c.Seek([]byte{'9' + 1}); k != nil; k, v = c.Next() {
		if err := add(v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ProgressDay is one day of the campaign's progress in a scope: the net PNS sent and finished that
// day and the totals at its end.
type ProgressDay struct {
	Date                     time.Time
	Sent, Finished           int64
	SentTotal, FinishedTotal int64
}

// Progress lays the daily series out day by day from `from` to `to` (both days in the office's
// zone, inclusive), with running totals that end, with every later day, at the counters' totals
// sent and finished: so the line always meets the number in the table, even for days counted
// before the series began (folded into the first day).
func (c MonitorCharts) Progress(from, to time.Time, sent, finished uint64) []ProgressDay {
	loc := c.Loc
	if loc == nil {
		loc = time.UTC
	}
	first, last := dayStartIn(from, loc), dayStartIn(to, loc)
	if last.Before(first) {
		return nil
	}
	n := int(last.Sub(first).Hours()/24+0.5) + 1
	out := make([]ProgressDay, n)
	for i := range out {
		out[i].Date = first.AddDate(0, 0, i)
	}
	place := func(days []Day, add func(*ProgressDay, int64)) (after int64) {
		for _, d := range days {
			i := int(dayStartIn(d.Date, loc).Sub(first).Hours()/24 + 0.5)
			switch {
			case i >= n:
				after += d.Delta
			case i < 0:
				add(&out[0], d.Delta)
			default:
				add(&out[i], d.Delta)
			}
		}
		return after
	}
	sentAfter := place(c.Sent, func(p *ProgressDay, d int64) { p.Sent += d })
	finAfter := place(c.Finished, func(p *ProgressDay, d int64) { p.Finished += d })
	st, ft := int64(sent)-sentAfter, int64(finished)-finAfter
	for i := n - 1; i >= 0; i-- {
		out[i].SentTotal, out[i].FinishedTotal = st, ft
		st -= out[i].Sent
		ft -= out[i].Finished
	}
	return out
}

func dayStartIn(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
