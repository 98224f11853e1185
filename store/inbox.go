package store

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"
)

// The inbox index: one key per waiting submission, level + scope + 0x00 + time + id, newest last,
// whose value is a compact summary of the row (inboxEntry) so that a page, or a filtered scan of a
// 100,000-row inbox, never decodes a whole submission. inbox_count holds the number of keys under
// each level + scope prefix, so the navigation's count is one read.

// inboxEntry is what an inbox row shows and filters on.
type inboxEntry struct {
	NIP     string
	Name    string
	UnitID  string
	Unit    string
	Lines   int
	Round   int
	TakenBy string
	Down    bool // it arrived here by turun status
}

const inboxEntryV1 = 1

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// encode writes the entry as a version byte and length-prefixed fields; the lower-cased name is
// stored as well, for the name search.
func (e inboxEntry) encode() []byte {
	b := []byte{inboxEntryV1}
	for _, s := range []string{e.NIP, e.Name, strings.ToLower(e.Name), e.UnitID, e.Unit, e.TakenBy} {
		b = appendStr(b, s)
	}
	b = binary.AppendUvarint(b, uint64(e.Lines))
	b = binary.AppendUvarint(b, uint64(e.Round))
	var flags byte
	if e.Down {
		flags = 1
	}
	return append(b, flags)
}

// inboxFields splits an encoded entry without copying: nip, nama, nama lower-cased, unit id, unit,
// taken by; then lines, round, flags.
func inboxFields(v []byte) (strs [6][]byte, nums [2]uint64, flags byte, err error) {
	if len(v) == 0 || v[0] != inboxEntryV1 {
		return strs, nums, 0, errBadEntry
	}
	v = v[1:]
	for i := range strs {
		n, k := binary.Uvarint(v)
		if k <= 0 || uint64(len(v)-k) < n {
			return strs, nums, 0, errBadEntry
		}
		strs[i], v = v[k:k+int(n)], v[k+int(n):]
	}
	for i := range nums {
		n, k := binary.Uvarint(v)
		if k <= 0 {
			return strs, nums, 0, errBadEntry
		}
		nums[i], v = n, v[k:]
	}
	if len(v) != 1 {
		return strs, nums, 0, errBadEntry
	}
	return strs, nums, v[0], nil
}

func decodeInboxEntry(v []byte) (inboxEntry, error) {
	s, n, fl, err := inboxFields(v)
	if err != nil {
		return inboxEntry{}, err
	}
	return inboxEntry{NIP: string(s[0]), Name: string(s[1]), UnitID: string(s[3]), Unit: string(s[4]), TakenBy: string(s[5]),
		Lines: int(n[0]), Round: int(n[1]), Down: fl&1 != 0}, nil
}

func entryOf(s *Submission) inboxEntry {
	e := inboxEntry{NIP: s.NIP, Name: s.Name, UnitID: s.UnitID, Unit: s.UnitName, Lines: len(s.ReviewLines()), Round: s.Round, TakenBy: s.TakenBy}
	_, e.Down = s.ArrivedDown()
	return e
}

// inboxPut writes (or rewrites) the submission's row in the inbox of its current level.
// Its search terms follow it (inbox_search): those of the row it replaces go, its own come.
func inboxPut(tx *bbolt.Tx, s *Submission) error {
	lv := s.State.Level()
	b, k, e := bk(tx, bInbox), inboxKey(lv, s.inboxScope(lv), s.InboxAt, s.ID), entryOf(s)
	old := storedTerms(b, k)
	if err := b.Put(k, e.encode()); err != nil {
		return err
	}
	return searchUpdate(tx, k, old, e.searchTerms())
}

// inboxAdd puts the submission into the inbox of its current level and counts it.
func inboxAdd(tx *bbolt.Tx, s *Submission) error {
	if err := inboxPut(tx, s); err != nil {
		return err
	}
	lv := s.State.Level()
	return inboxCountAdd(tx, inboxPrefix(lv, s.inboxScope(lv)), 1)
}

// inboxRemove takes the submission out of the inbox of its current level.
func inboxRemove(tx *bbolt.Tx, s *Submission) error {
	lv := s.State.Level()
	b := bk(tx, bInbox)
	k := inboxKey(lv, s.inboxScope(lv), s.InboxAt, s.ID)
	if b.Get(k) == nil {
		return nil
	}
	if err := searchUpdate(tx, k, storedTerms(b, k), nil); err != nil {
		return err
	}
	if err := b.Delete(k); err != nil {
		return err
	}
	return inboxCountAdd(tx, inboxPrefix(lv, s.inboxScope(lv)), -1)
}

func inboxCountAdd(tx *bbolt.Tx, prefix []byte, d int) error {
	b := bk(tx, bInboxCount)
	n := int64(0)
	if v := b.Get(prefix); len(v) == 8 {
		n = int64(binary.BigEndian.Uint64(v))
	}
	n += int64(d)
	if n <= 0 {
		return b.Delete(prefix)
	}
	return b.Put(prefix, u64(uint64(n)))
}

// rebuildInboxIndex recomputes every inbox row and count from the submissions (a data file made
// before the summaries and counts existed).
func rebuildInboxIndex(tx *bbolt.Tx) error {
	for _, name := range [][]byte{bInbox, bInboxCount, bInboxSearch} {
		if err := tx.DeleteBucket(name); err != nil && !errors.Is(err, bberrors.ErrBucketNotFound) {
			return err
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	return bk(tx, bSubs).ForEach(func(_, v []byte) error {
		var s Submission
		if err := json.Unmarshal(v, &s); err != nil {
			return err
		}
		if s.State.Level() == 0 {
			return nil
		}
		return inboxAdd(tx, &s)
	})
}

// InboxCount is how many submissions wait in the verifier's inbox: one read, for the navigation.
func (s *Store) InboxCount(a Actor) (int, error) {
	lv := a.Role.Level()
	if lv == 0 {
		return 0, ErrForbidden
	}
	n := 0
	err := s.view(func(tx *bbolt.Tx) error {
		if v := bk(tx, bInboxCount).Get(inboxPrefix(lv, a.ScopeID)); len(v) == 8 {
			n = int(binary.BigEndian.Uint64(v))
		}
		return nil
	})
	return n, err
}

// InboxItem is one row of a verifier's inbox.
type InboxItem struct {
	ID      uint64
	NIP     string
	Name    string
	UnitID  string
	Unit    string
	Lines   int
	SentAt  time.Time // when it arrived in this inbox
	Round   int
	TakenBy string // the colleague who opened it at this level, if any
	Down    bool   // sent down by the level above (turun status)
}

// InboxPage is one page of an inbox, newest first. Next is the cursor for the following page ("" at
// the end). Total is the size of the whole inbox without filters, or -1 when a filter is on.
type InboxPage struct {
	Items []InboxItem
	Next  string
	Total int
}

// Inbox filters by status.
const (
	InboxNew      = "baru"        // nobody at this level has opened it
	InboxTaken    = "dibuka"      // a verifier at this level has opened it
	InboxResent   = "kirim_ulang" // sent again after a return (round > 1)
	InboxSentDown = "turun"       // sent down by the level above
)

// InboxQuery selects a page of an inbox. Every filter is optional: Status one of the Inbox*
// constants; UnitID a unit organisasi; From and To the days (inclusive, in the store's clock's
// location) it arrived; Search an 18-digit NIP, a nomor registrasi, or part of a name.
type InboxQuery struct {
	Cursor string
	Limit  int
	Status string
	UnitID string
	From   time.Time
	To     time.Time
	Search string
}

func (q InboxQuery) filtered() bool {
	return q.Status != "" || q.UnitID != "" || !q.From.IsZero() || !q.To.IsZero() || strings.TrimSpace(q.Search) != ""
}

// Inbox lists the submissions waiting at the actor's level and scope, newest first, from the
// cursor (a value of InboxPage.Next; "" for the first page).
func (s *Store) Inbox(a Actor, cursor string, limit int) (InboxPage, error) {
	return s.InboxSearch(a, InboxQuery{Cursor: cursor, Limit: limit})
}

// InboxSearch is Inbox with filters. The search and the unit are read through the search index
// (search.go: a seek per term, so a page costs the same at 250,000 waiting as at 2,000, and a term
// that matches nothing one seek); date bounds seek straight to the range; the status is checked on
// the compact index values, so no submission is decoded to filter.
func (s *Store) InboxSearch(a Actor, q InboxQuery) (InboxPage, error) {
	lv := a.Role.Level()
	if lv == 0 {
		return InboxPage{}, ErrForbidden
	}
	if err := q.check(); err != nil {
		return InboxPage{}, err
	}
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	prefix := inboxPrefix(lv, a.ScopeID)
	start, err := q.start(prefix)
	if err != nil {
		return InboxPage{}, err
	}
	var page InboxPage
	err = s.view(func(tx *bbolt.Tx) error {
		terms, err := queryTerms(tx, q)
		if err != nil {
			return err
		}
		m, rows := inboxMatch{q: q, terms: terms}, openInboxRows(tx, prefix, terms, start)
		var from []byte
		if !q.From.IsZero() {
			from = cat(prefix, timeKey(dayStart(q.From)))
		}
		for k, v := rows(); k != nil; k, v = rows() {
			if from != nil && bytes.Compare(k, from) < 0 {
				break
			}
			if len(v) == 0 {
				continue // a key written before summaries existed; Open rebuilds these
			}
			if ok, err := m.matches(k, v); err != nil || !ok {
				if err != nil {
					return err
				}
				continue
			}
			if len(page.Items) == q.Limit {
				page.Next = encodeCursor(lastShownKey(prefix, page.Items[len(page.Items)-1]))
				break
			}
			it, err := inboxItem(k, v, s.now().Location())
			if err != nil {
				return err
			}
			page.Items = append(page.Items, it)
		}
		page.Total = -1
		if !q.filtered() {
			page.Total = 0
			if cv := bk(tx, bInboxCount).Get(prefix); len(cv) == 8 {
				page.Total = int(binary.BigEndian.Uint64(cv))
			}
		}
		return nil
	})
	return page, err
}

// check refuses a status outside the Inbox* constants and a date range that ends before it starts.
func (q InboxQuery) check() error {
	switch q.Status {
	case "", InboxNew, InboxTaken, InboxResent, InboxSentDown:
	default:
		return fieldErr("status", "Pilih status dari daftar.")
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return fieldErr("sampai", "Tanggal akhir harus sama dengan atau sesudah tanggal awal.")
	}
	return nil
}

// start is where the page begins, as an exclusive bound on the rows' time + id suffix: the page
// cursor, or the end of To's day, or nil (the newest row).
func (q InboxQuery) start(prefix []byte) ([]byte, error) {
	switch {
	case q.Cursor != "":
		ck, err := decodeCursor(q.Cursor)
		if err != nil || !bytes.HasPrefix(ck, prefix) || len(ck) != len(prefix)+16 {
			return nil, fmt.Errorf("%w: kursor halaman", ErrInvalid)
		}
		return ck[len(prefix):], nil
	case !q.To.IsZero():
		return timeKey(dayStart(q.To).AddDate(0, 0, 1)), nil
	}
	return nil, nil
}

// inboxItem decodes an inbox row (key k, value v) for the page, its time in loc.
func inboxItem(k, v []byte, loc *time.Location) (InboxItem, error) {
	e, err := decodeInboxEntry(v)
	if err != nil {
		return InboxItem{}, err
	}
	at := int64(binary.BigEndian.Uint64(k[len(k)-16 : len(k)-8]))
	return InboxItem{ID: binary.BigEndian.Uint64(k[len(k)-8:]), NIP: e.NIP, Name: e.Name, UnitID: e.UnitID, Unit: e.Unit,
		Lines: e.Lines, SentAt: time.Unix(0, at).In(loc), Round: e.Round, TakenBy: e.TakenBy, Down: e.Down}, nil
}

// seekBefore positions the cursor on the last key strictly before k.
func seekBefore(c cursor, k []byte) ([]byte, []byte) {
	ck, cv := c.Seek(k)
	if ck == nil {
		return c.Last()
	}
	for ck != nil && bytes.Compare(ck, k) >= 0 {
		ck, cv = c.Prev()
	}
	return ck, cv
}

func dayStart(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func encodeCursor(k []byte) string { return base64.RawURLEncoding.EncodeToString(k) }

func decodeCursor(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

func lastShownKey(prefix []byte, it InboxItem) []byte {
	return cat(prefix, timeKey(it.SentAt), u64(it.ID))
}

// InboxScope is the scope of the inbox the submission waits in now ("" when it waits in none, or at Level 4).
func (s Submission) InboxScope() string { return s.inboxScope(s.State.Level()) }

// InboxScopeAt is the scope of the submission's inbox at a level.
func (s Submission) InboxScopeAt(level int) string { return s.inboxScope(level) }

// inboxScope is the scope key of the inbox a submission waits in at a level.
func (s Submission) inboxScope(level int) string {
	switch level {
	case 1:
		return s.SKPDID
	case 2:
		return s.InstansiID
	case 3:
		return s.KanregID
	}
	return "" // Level 4: BKN Pusat has one inbox
}

func inboxKey(level int, scope string, at time.Time, id uint64) []byte {
	return cat([]byte{byte(level)}, []byte(scope), []byte{0}, timeKey(at), u64(id))
}

func inboxPrefix(level int, scope string) []byte {
	return cat([]byte{byte(level)}, []byte(scope), []byte{0})
}
