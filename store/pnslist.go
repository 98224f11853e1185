package store

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"go.etcd.io/bbolt"
)

// The list of PNS behind every number of the monitoring page: the PNS of one counted state in the
// actor's scope, by unit, read from the index the counters keep (bucket pns_by_state), so a page
// costs its own rows, not the office.

// CountedStates names every counted state as the monitoring page and its lists show it, in the
// order a PNS passes them.
var CountedStates = CodeList{
	{CountMaster, "Dalam data induk"},
	{CountNotRegistered, "Belum registrasi"},
	{CountRegistered, "Sudah registrasi"},
	{CountNotActivated, "Registrasi belum diaktifkan"},
	{CountActive, "Akun aktif"},
	{CountNotStarted, "Belum mengirim"},
	{CountSent, "Sudah mengirim"},
	{CountLevel(1), StateLevelLabel(1)},
	{CountLevel(2), StateLevelLabel(2)},
	{CountLevel(3), StateLevelLabel(3)},
	{CountLevel(4), StateLevelLabel(4)},
	{CountReturned, StateReturned.Label()},
	{CountDone, StateDone.Label()},
	{CountTMS, "Selesai, semua usulan TMS"},
}

// PNSListQuery asks for the PNS of one counted state (State, required), optionally of one SKPD or
// one unit, from where the previous page ended (After, a cursor from PNSListPage.Next). Search, when
// given, keeps the PNS it matches, as the inbox's search does: a NIP or its first digits, a nomor
// registrasi, or the start of each word of the name (search_pns.go).
type PNSListQuery struct {
	State, SKPD, Unit string
	After             string
	Limit             int // rows per page; 0 means every row (the CSV and the print)
	Search            string
}

// PNSListItem is one PNS of a list.
type PNSListItem struct {
	NIP, Name        string
	UnitID, UnitName string
	SKPDName         string
}

// PNSListPage is one page of a list: its rows, the cursor of the next page ("" at the end), and
// how many PNS the whole list holds (from the counters; before any search).
type PNSListPage struct {
	Items []PNSListItem
	Next  string
	Total uint64
}

// listUnits is the units a query reads, in id order: those of the actor's scope that the filter
// names. ErrInvalid when the state, SKPD or unit is unknown or out of scope.
func listUnits(tx *bbolt.Tx, a Actor, q PNSListQuery) ([]Unit, map[string]Unit, error) {
	if CountedStates.Label(q.State) == "" {
		return nil, nil, fieldErr("status", "Pilih status yang ada dalam daftar.")
	}
	units, err := unitMap(tx)
	if err != nil {
		return nil, nil, err
	}
	var out []Unit
	for _, u := range units {
		skpd := skpdIn(units, u.ID)
		if !unitInScope(a, u.ID, units) || (q.SKPD != "" && skpd != q.SKPD) || (q.Unit != "" && u.ID != q.Unit) {
			continue
		}
		out = append(out, u)
	}
	if len(out) == 0 && (q.SKPD != "" || q.Unit != "") {
		return nil, nil, fieldErr("unit", "Unit itu tidak ada dalam lingkup Anda.")
	}
	slices.SortFunc(out, func(x, y Unit) int { return strings.Compare(x.ID, y.ID) })
	return out, units, nil
}

// PNSList returns one page of the PNS behind a counter, as the actor may see them.
func (s *Store) PNSList(a Actor, q PNSListQuery) (PNSListPage, error) {
	if !CanMonitor(a) {
		return PNSListPage{}, ErrForbidden
	}
	after, err := base64.RawURLEncoding.DecodeString(q.After)
	if err != nil {
		return PNSListPage{}, fieldErr("setelah", "Tautan halaman tidak valid: buka daftar dari awal.")
	}
	var out PNSListPage
	err = s.view(func(tx *bbolt.Tx) error {
		units, all, err := listUnits(tx, a, q)
		if err != nil {
			return err
		}
		counters := bk(tx, bCounters)
		for _, u := range units {
			if v := counters.Get(counterKey(CounterUnit(u.ID), q.State)); len(v) == 8 {
				out.Total += binary.BigEndian.Uint64(v)
			}
		}
		ls, err := parseListSearch(tx, q.Search)
		if err != nil {
			return err
		}
		var last []byte
		if ls == nil {
			last, err = walkList(tx, q.State, units, after, q.Limit, func(unit Unit, nip []byte) error {
				it, err := listItem(tx, all, unit, string(nip))
				out.Items = append(out.Items, it)
				return err
			})
		} else {
			last, err = walkSearch(tx, q.State, units, after, q.Limit, ls, func(unit Unit, nip []byte) (bool, error) {
				it, err := listItem(tx, all, unit, string(nip))
				if err != nil || !ls.holdsNames(it.Name) {
					return false, err
				}
				out.Items = append(out.Items, it)
				return true, nil
			})
		}
		if last != nil {
			out.Next = base64.RawURLEncoding.EncodeToString(last)
		}
		return err
	})
	return out, err
}

// WalkPNSList calls fn for every PNS of a list, reading a thousand at a time in short read
// transactions, so a long CSV never holds one open.
func (s *Store) WalkPNSList(a Actor, q PNSListQuery, fn func(PNSListItem) error) error {
	q.Limit = 1000
	for {
		page, err := s.PNSList(a, q)
		if err != nil {
			return err
		}
		for _, it := range page.Items {
			if err := fn(it); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		q.After = page.Next
	}
}

// walkList visits the index keys of a state for the units in order, from after (unit + 0x00 +
// nip, exclusive), up to limit keys (0: all). It returns the position to resume from (the last
// key visited) when it stopped at the limit with more to come, else nil.
func walkList(tx *bbolt.Tx, state string, units []Unit, after []byte, limit int, fn func(Unit, []byte) error) ([]byte, error) {
	c := bk(tx, bPNSByState).Cursor()
	n, last := 0, []byte(nil)
	for _, u := range units {
		prefix := cat([]byte(state), []byte{0}, []byte(u.ID), []byte{0})
		start := prefix
		if len(after) > 0 {
			au, anip, _ := bytes.Cut(after, []byte{0})
			if cmp := strings.Compare(u.ID, string(au)); cmp < 0 {
				continue
			} else if cmp == 0 {
				start = cat(prefix, anip, []byte{0})
			}
		}
		for k, _ := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if limit > 0 && n == limit {
				return last, nil // more to come: resume after the last row shown
			}
			if err := fn(u, k[len(prefix):]); err != nil {
				return nil, err
			}
			n++
			last = cat([]byte(u.ID), []byte{0}, k[len(prefix):])
		}
	}
	return nil, nil
}

// listItem reads what a list row shows of a PNS: the name from the master record's head.
func listItem(tx *bbolt.Tx, units map[string]Unit, u Unit, nip string) (PNSListItem, error) {
	it := PNSListItem{NIP: nip, UnitID: u.ID, UnitName: u.Name, SKPDName: units[skpdIn(units, u.ID)].Name}
	raw := bk(tx, bRecords).Get([]byte(nip))
	if raw == nil {
		return it, fmt.Errorf("daftar %s: data PNS %s: %w", "pns_by_state", nip, ErrNotFound)
	}
	var h recordHead
	if err := json.Unmarshal(raw, &h); err != nil {
		return it, fmt.Errorf("data PNS %s: %w", nip, err)
	}
	it.Name = h.record().Name()
	return it, nil
}
