package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"

	"go.etcd.io/bbolt"
)

// How an inbox query reads the search index (search.go). Every term of the query (the name tokens,
// the NIP or the NIP a nomor registrasi names, the unit) is a stream of row suffixes (time + id),
// newest first: the merge of the index ranges of the distinct tokens the term is a prefix of. The
// streams are intersected by leapfrogging (each seeks to at most the oldest current suffix of the
// others until they agree), so several terms cost about as much as the rarest of them. A term that
// no token starts with empties the page at once. A term that starts more than maxTermTokens distinct
// tokens (two letters of a name, the first digits of a NIP) is not walked but checked on the rows
// the other streams find, or, when no term is narrow, on the inbox walked newest first, where such a
// term's rows are dense.

// queryTerm is one term of a search: its kind, its text, and whether a token need only start with it.
type queryTerm struct {
	kind   byte
	text   string
	prefix bool
}

// holds tells whether the inbox row's fields (inboxFields) match the term.
func (t queryTerm) holds(f [6][]byte) bool {
	switch t.kind {
	case termNIP:
		return string(f[0]) == t.text || (t.prefix && bytes.HasPrefix(f[0], []byte(t.text)))
	case termUnit:
		return string(f[3]) == t.text
	}
	for _, tok := range SearchTokens(string(f[1])) {
		if strings.HasPrefix(tok, t.text) {
			return true
		}
	}
	return false
}

// queryTerms reads the query's search and unit filter as terms: an 18-digit NIP exactly, fewer
// digits as the start of a NIP, a known nomor registrasi as its PNS's NIP, anything else as name
// tokens each a token's start (a one-letter token is only checked on the rows the others find). A
// search without a token of two characters is refused at its field.
func queryTerms(tx *bbolt.Tx, q InboxQuery) ([]queryTerm, error) {
	var terms []queryTerm
	search := strings.TrimSpace(q.Search)
	digits := stripSeparators(search, " .-")
	var regNIP []byte
	if RegNoValid(search) {
		// An unknown nomor falls through to the NIP or name search (a word can look like a nomor).
		regNIP = bk(tx, bUsersRegNo).Get([]byte(NormalizeRegNo(search)))
	}
	switch {
	case search == "":
	case regNIP != nil:
		terms = append(terms, queryTerm{termNIP, string(regNIP), false})
	case allDigits(digits) && len(digits) >= minTokenLen:
		terms = append(terms, queryTerm{termNIP, digits, len(digits) < 18})
	default:
		long := false
		for _, t := range SearchTokens(search) {
			if len(t) > maxTokenLen {
				t = strings.ToValidUTF8(t[:maxTokenLen], "")
			}
			long = long || len(t) >= minTokenLen
			terms = append(terms, queryTerm{termName, t, true})
		}
		if !long {
			return nil, fieldErr("cari", "Ketik paling sedikit dua huruf nama, atau NIP atau nomor registrasi.")
		}
	}
	if q.UnitID != "" {
		terms = append(terms, queryTerm{termUnit, q.UnitID, false})
	}
	return terms, nil
}

// subStream walks one token's rows in the index, newest first.
type subStream struct {
	c       cursor
	pre     []byte // level + scope + 0x00 + kind + token + 0x00
	k       []byte // the current key; nil once nothing is left
	started bool
}

// before moves to the newest row whose suffix is before x (or equal to it when incl) and returns
// that suffix, nil when there is none. It only ever moves back: a step, else a seek.
func (s *subStream) before(x []byte, incl bool) []byte {
	ok := func(k []byte) bool {
		if !bytes.HasPrefix(k, s.pre) || len(k) != len(s.pre)+16 {
			return false
		}
		c := bytes.Compare(k[len(s.pre):], x)
		return x == nil || c < 0 || (incl && c == 0)
	}
	if s.started {
		if s.k == nil || ok(s.k) {
			return s.suffix()
		}
		if k, _ := s.c.Prev(); k != nil && ok(k) {
			s.k = k
			return s.suffix()
		}
	}
	s.started = true
	target := cat(s.pre, x)
	if x == nil {
		target = cat(s.pre[:len(s.pre)-1], []byte{1}) // the end of the token's range
	} else if incl {
		target = append(target, 0)
	}
	s.k, _ = seekBefore(s.c, target)
	if s.k != nil && !ok(s.k) {
		s.k = nil
	}
	return s.suffix()
}

// suffix is the current row's time + id, nil when nothing is left.
func (s *subStream) suffix() []byte {
	if s.k == nil {
		return nil
	}
	return s.k[len(s.pre):]
}

// termStream is one term's rows: the merge of its tokens' sub-streams.
type termStream []*subStream

// before is the newest suffix of any token of the term before x (or at x when incl).
func (t termStream) before(x []byte, incl bool) []byte {
	var best []byte
	for _, s := range t {
		if v := s.before(x, incl); v != nil && (best == nil || bytes.Compare(v, best) > 0) {
			best = v
		}
	}
	return best
}

// openTerm finds the distinct tokens of the index, under base (level + scope + 0x00), that the term
// matches, and opens a sub-stream on each; broad is true when there are more than maxTermTokens.
func openTerm(b bucket, base []byte, t queryTerm) (ts termStream, broad bool) {
	start := cat(base, []byte{t.kind}, []byte(t.text))
	if !t.prefix {
		start = append(start, 0)
	}
	c := b.Cursor()
	for k, _ := c.Seek(start); k != nil && bytes.HasPrefix(k, start); k, _ = c.Seek(ts[len(ts)-1].next()) {
		end := bytes.IndexByte(k[len(base)+1:], 0)
		if end < 0 {
			return nil, false // not an index key: nothing matches
		}
		if len(ts) == maxTermTokens {
			return nil, true
		}
		ts = append(ts, &subStream{c: b.Cursor(), pre: bytes.Clone(k[:len(base)+1+end+1])})
	}
	return ts, false
}

// next is the first key after every key of the sub-stream's token.
func (s *subStream) next() []byte { return cat(s.pre[:len(s.pre)-1], []byte{1}) }

// leapfrog returns the newest suffix before bound (nil: no bound) that every stream holds, nil
// when there is none.
func leapfrog(streams []termStream, bound []byte) []byte {
	return meet(len(streams), func(i int, x []byte, incl bool) []byte { return streams[i].before(x, incl) },
		func(a, b []byte) bool { return bytes.Compare(a, b) < 0 }, bound)
}

// meet is the leapfrog join of n sorted streams walked in one direction: seek(i, x, incl) is
// stream i's first key past x (or at x when incl; past nothing when x is nil), and further(a, b)
// says a lies past b in the walk's direction. Each stream seeks to the furthest key the others
// have reached until all agree: it returns that key (a copy), nil when a stream runs out. The
// cost is about the rarest stream's keys, not the sum of them.
func meet(n int, seek func(i int, x []byte, incl bool) []byte, further func(a, b []byte) bool, bound []byte) []byte {
	var cur []byte
	for i := range n {
		v := seek(i, bound, false)
		if v == nil {
			return nil
		}
		if cur == nil || further(v, cur) {
			cur = v
		}
	}
	for {
		agree := true
		for i := range n {
			v := seek(i, cur, true)
			if v == nil {
				return nil
			}
			if !bytes.Equal(v, cur) {
				cur, agree = v, false
			}
		}
		if agree {
			return bytes.Clone(cur)
		}
	}
}

// inboxRows yields the candidate rows of a query, newest first, one per call; nil at the end.
type inboxRows func() (k, v []byte)

// openInboxRows opens the candidate rows of a query from start (an exclusive bound on the time + id
// suffix; nil: the newest): through the index when a term is narrow, else by walking the inbox. When
// some term matches nothing there are none, at the cost of one seek.
func openInboxRows(tx *bbolt.Tx, base []byte, terms []queryTerm, start []byte) inboxRows {
	var streams []termStream
	idx := bk(tx, bInboxSearch)
	for _, t := range terms {
		if t.kind == termName && len(t.text) < minTokenLen {
			continue // not indexed: checked on the rows
		}
		ts, broad := openTerm(idx, base, t)
		if broad {
			continue
		}
		if len(ts) == 0 {
			return func() ([]byte, []byte) { return nil, nil }
		}
		streams = append(streams, ts)
	}
	inbox := bk(tx, bInbox)
	if len(streams) == 0 {
		c := inbox.Cursor()
		end := cat(base[:len(base)-1], []byte{1})
		if start != nil {
			end = cat(base, start)
		}
		k, v := seekBefore(c, end)
		return func() ([]byte, []byte) {
			if k == nil || !bytes.HasPrefix(k, base) {
				return nil, nil
			}
			rk, rv := k, v
			k, v = c.Prev()
			return rk, rv
		}
	}
	bound := start
	return func() ([]byte, []byte) {
		for {
			suf := leapfrog(streams, bound)
			if suf == nil {
				return nil, nil
			}
			bound = suf
			k := cat(base, suf)
			if v := inbox.Get(k); v != nil {
				return k, v
			}
		}
	}
}

// inboxMatch is an inbox query's filters, checked on the compact index values.
type inboxMatch struct {
	q     InboxQuery
	terms []queryTerm
}

// matches tells whether the inbox row (key k, value v) passes every filter.
func (m inboxMatch) matches(k, v []byte) (bool, error) {
	f, n, fl, err := inboxFields(v)
	if err != nil {
		return false, fmt.Errorf("%w (usulan #%d)", err, binary.BigEndian.Uint64(k[len(k)-8:]))
	}
	switch q := m.q; {
	case q.Status == InboxNew && len(f[5]) != 0,
		q.Status == InboxTaken && len(f[5]) == 0,
		q.Status == InboxResent && n[1] < 2,
		q.Status == InboxSentDown && fl&1 == 0:
		return false, nil
	}
	for _, t := range m.terms {
		if !t.holds(f) {
			return false, nil
		}
	}
	return true, nil
}
