package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"go.etcd.io/bbolt"
)

// The name search of the lists behind the monitoring numbers (pnslist.go). Bucket pns_search holds
// every PNS of the master data by name token: termName + token + 0x00 + unit + 0x00 + nip -> "", and
// pns_search_terms what it holds of each PNS: nip -> unit + 0x00 + the terms, 0x00-separated, so a
// change can take the old keys away. A record write keeps both (countHead calls pnsSearchUpdate).
// A list is pns_by_state's state + 0x00 + unit + 0x00 + nip; within a unit both end in the NIP, so
// a search of a list intersects, unit by unit, the list's range with each token's range (a
// leapfrog, NIP ascending) and costs about the smaller of them, never the office. A NIP, whole or its
// start, is a range of the list itself.

// pnsSearchUpdate indexes the PNS's name in its unit, replacing what was indexed before. It reads
// the name from the record just written.
func pnsSearchUpdate(tx *bbolt.Tx, nip string) error {
	raw := bk(tx, bRecords).Get([]byte(nip))
	if raw == nil {
		return ErrNotFound
	}
	h, err := nameHead(raw)
	if err != nil {
		return fmt.Errorf("data PNS %s: %w", nip, err)
	}
	nw := h.UnitID + "\x00" + strings.Join(nameTerms(h.record().Name()), "\x00")
	names := bk(tx, bPNSSearchTerms)
	old := string(names.Get([]byte(nip)))
	if old == nw {
		return nil
	}
	idx := bk(tx, bPNSSearch)
	for _, entry := range []struct {
		terms string
		put   bool
	}{{old, false}, {nw, true}} {
		if entry.terms == "" {
			continue
		}
		parts := strings.Split(entry.terms, "\x00")
		for _, tok := range parts[1:] {
			k := cat([]byte{termName}, []byte(tok), []byte{0}, []byte(parts[0]), []byte{0}, []byte(nip))
			var err error
			if entry.put {
				err = idx.Put(k, nil)
			} else {
				err = idx.Delete(k)
			}
			if err != nil {
				return err
			}
		}
	}
	return names.Put([]byte(nip), []byte(nw))
}

// nameHead reads the unit and the name of a stored record without reading all of it: the record's
// JSON has its fields before its histories (Record's field order), so only the keys up to and
// including "fields" are decoded; anything else falls back to decoding the whole record.
func nameHead(raw []byte) (recordHead, error) {
	var h recordHead
	i := bytes.Index(raw, []byte(`"fields":{`))
	if i < 0 {
		return h, json.Unmarshal(raw, &h)
	}
	dec := json.NewDecoder(bytes.NewReader(raw[i+len(`"fields":`):]))
	if err := dec.Decode(&h.Fields); err != nil {
		return h, json.Unmarshal(raw, &h)
	}
	var ids struct {
		NIP        string `json:"nip"`
		InstansiID string `json:"instansi_id"`
		UnitID     string `json:"unit_id"`
	}
	head := append(bytes.Clone(raw[:i]), []byte(`"x":0}`)...) // the keys before "fields", closed
	if err := json.Unmarshal(head, &ids); err != nil {
		return h, json.Unmarshal(raw, &h)
	}
	h.NIP, h.InstansiID, h.UnitID = ids.NIP, ids.InstansiID, ids.UnitID
	return h, nil
}

// ascSub walks one key range (pre + an 18-byte NIP) in NIP order.
type ascSub struct {
	c       cursor
	pre     []byte
	k       []byte
	started bool
}

// from moves to the first NIP after x (or at x when incl; nil: the first) and returns it, nil at the end.
func (s *ascSub) from(x []byte, incl bool) []byte {
	ok := func(k []byte) bool {
		if !bytes.HasPrefix(k, s.pre) {
			return false
		}
		c := bytes.Compare(k[len(s.pre):], x)
		return x == nil || c > 0 || (incl && c == 0)
	}
	if s.started {
		if s.k == nil || ok(s.k) {
			return s.nip()
		}
		if k, _ := s.c.Next(); k != nil && ok(k) {
			s.k = k
			return s.nip()
		}
	}
	s.started = true
	target := cat(s.pre, x)
	if x != nil && !incl {
		target = append(target, 0)
	}
	s.k, _ = s.c.Seek(target)
	if s.k != nil && !ok(s.k) {
		s.k = nil
	}
	return s.nip()
}

// nip is the current key's NIP, nil when nothing is left.
func (s *ascSub) nip() []byte {
	if s.k == nil {
		return nil
	}
	return s.k[len(s.pre):]
}

// nipStream is NIPs in ascending order: a list's range, or a name term's tokens in a unit.
type nipStream interface {
	from(x []byte, incl bool) []byte
}

// ascTerm is one term's NIPs in a unit: the merge of its tokens' ranges.
type ascTerm []*ascSub

// from is the first NIP of any token of the term after x (or at x when incl).
func (t ascTerm) from(x []byte, incl bool) []byte {
	var best []byte
	for _, s := range t {
		if v := s.from(x, incl); v != nil && (best == nil || bytes.Compare(v, best) < 0) {
			best = v
		}
	}
	return best
}

// leapfrogAsc returns the first NIP after bound (nil: from the first) that every stream holds.
func leapfrogAsc(streams []nipStream, bound []byte) []byte {
	return meet(len(streams), func(i int, x []byte, incl bool) []byte { return streams[i].from(x, incl) },
		func(a, b []byte) bool { return bytes.Compare(a, b) > 0 }, bound)
}

// listSearch is a list's search: a NIP or its start (nip), or name terms.
type listSearch struct {
	nip   string
	names []string
}

// parseListSearch reads a list's search as the inbox does (queryTerms): nil when there is none.
func parseListSearch(tx *bbolt.Tx, text string) (*listSearch, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	terms, err := queryTerms(tx, InboxQuery{Search: text})
	if err != nil {
		return nil, err
	}
	ls := &listSearch{}
	for _, t := range terms {
		if t.kind == termNIP {
			ls.nip = t.text
		} else {
			ls.names = append(ls.names, t.text)
		}
	}
	return ls, nil
}

// unitStreams opens, for one unit, the list's range (narrowed to the NIP's start) and each narrow
// name term's tokens in the unit. ok is false when some term has no token in the unit.
func (ls *listSearch) unitStreams(tx *bbolt.Tx, state, unit string) (streams []nipStream, ok bool) {
	// The list's own range in the unit, narrowed to the NIP's start when there is one.
	pre := cat([]byte(state), []byte{0}, []byte(unit), []byte{0})
	streams = append(streams, &nipRange{ascSub{c: bk(tx, bPNSByState).Cursor(), pre: pre}, ls.nip})
	idx := bk(tx, bPNSSearch)
	for _, name := range ls.names {
		if len(name) < minTokenLen {
			continue // checked on the rows
		}
		t, broad := openUnitTerm(idx, name, unit)
		if broad {
			continue
		}
		if len(t) == 0 {
			return nil, false
		}
		streams = append(streams, t)
	}
	return streams, true
}

// nipRange is a list's range in a unit, only the NIPs that start with its digits.
type nipRange struct {
	ascSub
	start string
}

// from is the list's first NIP after x (or at x when incl) that starts with the range's digits.
func (r *nipRange) from(x []byte, incl bool) []byte {
	if r.start != "" && (x == nil || bytes.Compare(x, []byte(r.start)) < 0) {
		x, incl = []byte(r.start), true
	}
	v := r.ascSub.from(x, incl)
	if v != nil && !bytes.HasPrefix(v, []byte(r.start)) {
		r.k = nil
		return nil
	}
	return v
}

// openUnitTerm opens a sub-stream on each distinct token starting with name that has PNS in unit;
// broad when more than maxTermTokens tokens of the office start with it.
func openUnitTerm(idx bucket, name, unit string) (t ascTerm, broad bool) {
	start := cat([]byte{termName}, []byte(name))
	c := idx.Cursor()
	seen := 0
	for k, _ := c.Seek(start); k != nil && bytes.HasPrefix(k, start); {
		end := bytes.IndexByte(k, 0)
		if end < 0 {
			return nil, false
		}
		if seen++; seen > maxTermTokens {
			return nil, true
		}
		pre := cat(k[:end+1], []byte(unit), []byte{0})
		if uk, _ := c.Seek(pre); uk != nil && bytes.HasPrefix(uk, pre) {
			t = append(t, &ascSub{c: idx.Cursor(), pre: pre})
		}
		k, _ = c.Seek(cat(k[:end], []byte{1}))
	}
	return t, false
}

// holdsNames tells whether a name matches every name term (each the start of one of its words).
func (ls *listSearch) holdsNames(name string) bool {
	toks := SearchTokens(name)
	for _, n := range ls.names {
		if !slices.ContainsFunc(toks, func(t string) bool { return strings.HasPrefix(t, n) }) {
			return false
		}
	}
	return true
}

// walkSearch is walkList for a search: the NIPs of the list that match it, unit by unit in order,
// from after (unit + 0x00 + nip, exclusive), up to limit rows fn accepts (0: all). fn tells whether
// the row holds (it checks what the streams could not: one-letter and broad name terms).
func walkSearch(tx *bbolt.Tx, state string, units []Unit, after []byte, limit int, ls *listSearch, fn func(Unit, []byte) (bool, error)) ([]byte, error) {
	n, last := 0, []byte(nil)
	au, anip, _ := bytes.Cut(after, []byte{0})
	for _, u := range units {
		var bound []byte
		if len(after) > 0 {
			if cmp := strings.Compare(u.ID, string(au)); cmp < 0 {
				continue
			} else if cmp == 0 {
				bound = anip
			}
		}
		streams, ok := ls.unitStreams(tx, state, u.ID)
		if !ok {
			continue
		}
		for nip := leapfrogAsc(streams, bound); nip != nil; nip = leapfrogAsc(streams, bound) {
			bound = nip
			if limit > 0 && n == limit {
				return last, nil
			}
			held, err := fn(u, nip)
			if err != nil {
				return nil, err
			}
			if held {
				n++
				last = cat([]byte(u.ID), []byte{0}, nip)
			}
		}
	}
	return nil, nil
}

// rebuildPNSSearch indexes every PNS of the master data by name (the migration to schema 4).
func rebuildPNSSearch(tx *bbolt.Tx) error {
	var nips []string
	if err := bk(tx, bRecords).ForEach(func(k, _ []byte) error {
		nips = append(nips, string(k))
		return nil
	}); err != nil {
		return err
	}
	for _, nip := range nips {
		if err := pnsSearchUpdate(tx, nip); err != nil {
			return err
		}
	}
	return nil
}
