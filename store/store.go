// Package store owns pupns's data model and every rule that keeps it true.
//
// Everything lives in one bbolt file (DIR/pupns.db). The bucket tree:
//
//	meta                      "schema" -> schema version (6); "demo" -> "1" when made by `pupns demo`;
//	                          "form_secret" -> 32 random bytes signing the CSRF tokens of visitors without a session;
//	                          "schedule" -> Schedule (JSON): the campaign's time zone, windows and extensions (schedule.go)
//	                          "bkn_role" -> BKNLink (JSON): office, kanreg or pusat in the national link (bkn.go)
//	kanreg                    id -> Kanreg (JSON)
//	instansi                  id -> Instansi (JSON)
//	units                     id -> Unit (JSON)
//	records                   nip (18 bytes) -> Record (JSON, packed: pack.go): the current master version
//	versions                  nip + seq (8-byte big-endian) -> storedVersion (JSON, packed): every master version ever, as what
//	                          changed: cause, changes, approvals and an undo back to the previous record (versions_delta.go)
//	users                     login -> User (JSON): staff by username, PNS by NIP
//	users_by_regno            nomor registrasi -> nip
//	users_pending             instansi + 0x00 + time (8-byte big-endian unix nanos) + nip -> "": registrations waiting for activation
//	entries                   nip + 0x00 + field key -> Entry (JSON): the PNS's sesuai/usul per field;
//	                          history rows as "riwayat.<table>.<row id>", a table looked at as "riwayat.<table>"
//	documents                 id (8-byte big-endian sequence) -> DocMeta (JSON, packed): an uploaded document
//	document_blobs            id + chunk (4-byte big-endian) -> up to 256 KiB of the document's bytes
//	documents_by_nip          nip + 0x00 + entry key + 0x00 + id -> "" (documents attached to open proposals)
//	schools                   school name -> "" (every school named in the master data: the list offered)
//	submissions               id (8-byte big-endian sequence) -> Submission (JSON, packed)
//	submissions_by_nip        nip + id -> "" (every submission of a PNS, oldest first)
//	inbox                     level (1 byte) + scope + 0x00 + time (8-byte big-endian unix nanos) + id -> row summary (inbox.go)
//	inbox_search              level (1 byte) + scope + 0x00 + kind + term + 0x00 + time + id -> "": the inbox rows by
//	                          name token, NIP and unit (search.go), kept with the inbox
//	pns_search                "n" + name token + 0x00 + unit id + 0x00 + nip -> "": every PNS of the master data by
//	                          the words of its name (search_pns.go), kept with every record write
//	pns_search_terms          nip -> unit id + 0x00 + the tokens pns_search holds of the PNS, 0x00-separated
//	inbox_count               level (1 byte) + scope + 0x00 -> number of inbox keys under it (8-byte big-endian)
//	events                    seq (8-byte big-endian) -> Event (compact encoding: events_codec.go; older ones JSON):
//	                          append-only log of every change
//	events_by_nip             nip + seq -> ""
//	sessions                  id -> expiry (8-byte big-endian unix nanos) + session bytes
//	sessions_by_login         login + 0x00 + session id -> "": the logged-in sessions of an account
//	outbox                    seq (8-byte big-endian) -> Mail (JSON): e-mail waiting to be sent, enqueued in the
//	                          transaction of the change it reports (outbox.go)
//	outbox_sent               seq -> Mail (JSON): e-mail sent, moved here from outbox
//	counters                  scope + 0x00 + counted state -> number of PNS (8-byte big-endian), scope "o" (the
//	                          office), "i/" + instansi id or "u/" + unit id; kept in the transaction of every
//	                          change that moves a PNS between them (counters.go)
//	pns_state                 nip -> the unit, SKPD, instansi and counted states the counters hold of the PNS (JSON)
//	pns_by_state              counted state + 0x00 + unit id + 0x00 + nip -> "": the PNS behind each counter (the
//	                          lists the monitoring page links to), kept with the counters
//	daily                     scope + 0x00 + day "YYYYMMDD" + 0x00 + series -> net change that day (8-byte big-endian,
//	                          two's complement): PNS sent and finished per office/instansi/SKPD ("k/" + id), decisions
//	                          per verifier ("v/" + login); kept with the counters (daily.go)
//	export_files              id -> ExportFile (JSON): the export files the server wrote into DATA/ekspor/, for
//	                          their owners to download again and for removing old ones (exportfiles.go)
//	bkn_outbox                seq (8-byte big-endian) -> BKNOut (JSON): lines (office) or decisions (hub) waiting for
//	                          the stream's acknowledgement, queued in the transaction of the move (bkn.go)
//	bkn_pending               submission id -> time (JSON) its lines entered bkn_outbox: "menunggu koneksi ke BKN"
//	bkn_sent                  submission id -> {msg id, time} the hub's stream acknowledged its lines
//	bkn_applied               decision id -> time (8-byte big-endian): the hub's decisions this office applied
//	bkn_received              (hub) lines message id -> the hub's submission id (8-byte big-endian)
//	bkn_origin                (hub) submission id -> {office instansi, submission, level, round, msg id} (JSON)
//	bkn_doc_hash              (hub) document sha256 (hex), and sha256 + "/" + NIP -> the hub's document id (8-byte
//	                          big-endian): each document once, and a copy per PNS when two sent the same bytes
//	limiter                   "lim:" + key -> expiry (8-byte big-endian unix nanos) + limitState (JSON):
//	                          the failures of an account or a client address (limiter.go)
//	bkn_offices               instansi id -> BKNOffice (JSON): at a BKN hub, the offices that may link to it and
//	                          their NKey public keys (bkn_offices.go)
//	bkn_national              (hub) instansi id -> NationalEntry (JSON): the latest counters snapshot of the instansi
//	                          and when it arrived; an older snapshot never replaces a newer (national.go)
//	bkn_kanregs               (BKN Pusat) Kanreg code -> BKNKanreg (JSON): the Kanreg hubs that pass their region's
//	                          snapshots on, their NKey public keys and instansi (national_kanreg.go)
//
// Every write is one transaction; secondary indexes (users_by_regno, users_pending, submissions_by_nip,
// inbox, inbox_count, inbox_search, pns_search, pns_search_terms, counters, pns_state, pns_by_state, daily, events_by_nip, sessions_by_login, documents_by_nip) are maintained in the same
// transaction as the row they index. Bytes read from bbolt are decoded (copied) before the
// transaction ends.
//
// Every value above, empty index values included, is stored sealed: followed by a CRC-32C of the
// bucket name, key and value (seal.go, schema version 2), and verified on every read, so damage is
// ErrDamaged naming the bucket and key, never a changed answer. Check (check.go) verifies a whole
// file before a server serves it. The large values of the buckets marked packed are compressed
// against a built-in dictionary before they are sealed (pack.go); a value written before that reads
// as it is, and `pupns compact` packs it.
package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the version of the bucket layout this code reads and writes.
const SchemaVersion = 6

var (
	bMeta           = []byte("meta")
	bKanreg         = []byte("kanreg")
	bInstansi       = []byte("instansi")
	bUnits          = []byte("units")
	bRecords        = []byte("records")
	bVersions       = []byte("versions")
	bUsers          = []byte("users")
	bUsersRegNo     = []byte("users_by_regno")
	bUsersPending   = []byte("users_pending")
	bEntries        = []byte("entries")
	bSubs           = []byte("submissions")
	bSubsByNIP      = []byte("submissions_by_nip")
	bInbox          = []byte("inbox")
	bInboxCount     = []byte("inbox_count")
	bInboxSearch    = []byte("inbox_search")
	bPNSSearch      = []byte("pns_search")
	bPNSSearchTerms = []byte("pns_search_terms")
	bEvents         = []byte("events")
	bCounters       = []byte("counters")
	bPNSState       = []byte("pns_state")
	bPNSByState     = []byte("pns_by_state")
	bDaily          = []byte("daily")
	bEventsNIP      = []byte("events_by_nip")
	bSessions       = []byte("sessions")
	bSessLogin      = []byte("sessions_by_login")
	bLimiter        = []byte("limiter")
	bDocs           = []byte("documents")
	bDocBlobs       = []byte("document_blobs")
	bDocsByNIP      = []byte("documents_by_nip")
	bSchools        = []byte("schools")
	bExportFiles    = []byte("export_files")
	bBKNOutbox      = []byte("bkn_outbox")
	bBKNPending     = []byte("bkn_pending")
	bBKNSent        = []byte("bkn_sent")
	bBKNApplied     = []byte("bkn_applied")
	bBKNReceived    = []byte("bkn_received")
	bBKNOrigin      = []byte("bkn_origin")
	bBKNDocHash     = []byte("bkn_doc_hash")

	allBuckets = [][]byte{bMeta, bKanreg, bInstansi, bUnits, bRecords, bVersions, bUsers, bUsersRegNo,
		bUsersPending, bEntries, bSubs, bSubsByNIP, bInbox, bInboxCount, bEvents, bEventsNIP, bSessions, bSessLogin, bLimiter,
		bDocs, bDocBlobs, bDocsByNIP, bSchools, bOutbox, bOutboxSent, bCounters, bPNSState, bPNSByState, bDaily,
		bInboxSearch, bPNSSearch, bPNSSearchTerms, bExportFiles,
		bBKNOffices, bBKNOutbox, bBKNPending, bBKNSent, bBKNApplied, bBKNReceived, bBKNOrigin, bBKNDocHash,
		bBKNNational,
		bBKNKanregs}
)

// Store is the application's single handle on its bbolt file.
type Store struct {
	db  *bbolt.DB
	now func() time.Time
	dir string
	// noSpace is the last write that failed for lack of space, until space comes back (space.go).
	noSpace atomic.Pointer[spaceFailure]
	// hashing bounds the argon2id work (hashpool.go); formSecret signs the forms' CSRF tokens of
	// visitors without a session (sessions.go); docLimits caps what a PNS may upload (documents.go).
	hashing    *HashPool
	formSecret []byte
	docLimits  DocLimits
	// damaged is set when a transaction met damage: Close then leaves no check stamp (checkstamp.go).
	// closed makes a second Close a no-op, so it cannot stamp a file another Store has opened since.
	damaged, closed atomic.Bool
	// group shares a commit among concurrent batch writes (groupcommit.go).
	group groupCommit
}

// Options tune Open.
type Options struct {
	// Writers is the expected number of concurrent writers; it becomes bbolt's MaxBatchSize.
	Writers int
	// Now replaces the clock (tests).
	Now func() time.Time
	// NoSync skips fsync (benchmarks of the in-memory path and bulk demo creation only).
	NoSync bool
	// BulkBuild maps the file with room to grow from the start, for a large office about to be
	// built through the bulk path (`pupns demo`); see mmapSizeFor.
	BulkBuild bool
	// CacheEntries bounds the decode cache (records, units, accounts); default 20,000.
	CacheEntries int
	// HashWorkers is how many password hashes (argon2id, 19 MiB each) may run at once; default
	// the core count. HashQueue is how many more may wait for a worker before ErrBusy; default
	// 64 per worker.
	HashWorkers, HashQueue int
	// DocLimits caps the documents per proposal and per PNS; zero fields take DefaultDocLimits.
	DocLimits DocLimits
	// LinkedToHub says this office is linked to a BKN hub (serve --bkn-hub): Open records the
	// file's role as office (meta bkn_role, kept from then on), so BKN's Levels 3 and 4 are the
	// hub's (Store.LinkedToHub: no local Level 3/4 account, no local Level 3/4 step).
	LinkedToHub bool
}

// Open opens (creating if needed) DIR/pupns.db, creates every bucket and checks the schema version.
func Open(dir string, opt Options) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("store: buat folder data: %w", err)
	}
	db, err := openBolt(filepath.Join(dir, "pupns.db"), opt.BulkBuild)
	if errors.Is(err, bberrors.ErrTimeout) { // bbolt holds an exclusive lock for as long as a process has the file open
		return nil, fmt.Errorf("store: buka %s: %w", dir, ErrInUse)
	}
	if err != nil && isNoSpace(err) {
		return nil, fmt.Errorf("store: buka %s: %w: %w", dir, ErrDiskFull, err)
	}
	if err != nil {
		return nil, fmt.Errorf("store: buka %s: %w", dir, err)
	}
	if err := removeStamp(dir); err != nil { // the file is about to change: the next start checks it whole unless Close stamps it
		db.Close()
		return nil, err
	}
	if opt.Writers <= 0 {
		opt.Writers = 64
	}
	db.MaxBatchSize = opt.Writers
	db.MaxBatchDelay = 2 * time.Millisecond
	db.NoSync = opt.NoSync
	s := &Store{db: db, now: opt.Now, dir: dir, hashing: newHashPoolFor(opt), docLimits: opt.DocLimits.withDefaults()}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.update(func(tx *bbolt.Tx) error {
		if err := prepare(tx); err != nil {
			return err
		}
		if opt.LinkedToHub {
			if err := markLinkedToHub(tx); err != nil {
				return err
			}
		}
		secret, err := ensureFormSecret(tx)
		s.formSecret = secret
		return err
	}); err != nil {
		db.Close()
		return nil, s.wrote(fmt.Errorf("store: buka %s: %w", dir, err))
	}
	caches.Store(db, newDecodeCache(opt.CacheEntries))
	if err := s.view(countOutbox); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: buka %s: %w", dir, err)
	}
	return s, nil
}

// openBolt opens the bbolt file at path. A file that exists but is empty is refused (bbolt would
// start an empty office in it), and a panic or fault while bbolt reads a damaged file is an error.
func openBolt(path string, bulk bool) (db *bbolt.DB, err error) {
	if fi, serr := os.Stat(path); serr == nil && fi.Size() == 0 {
		return nil, fmt.Errorf("%w: %s kosong (0 byte)", ErrDamaged, path)
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverDamage(&err)
	return bbolt.Open(path, 0o600, &bbolt.Options{Timeout: 2 * time.Second, InitialMmapSize: mmapSizeFor(path, bulk)})
}

// mmapSizeFor is the address space to map a data file in at open: for a large file (or one about
// to be built in bulk), the file and mmapHeadroom beyond it; otherwise bbolt's default. bbolt must
// remap to grow past its mapping, waiting for every read transaction and moving every dirty node
// of the transaction that grows it; a large office would remap at each GiB it grows, and one being
// built at every doubling on the way. Only the pages read cost memory: the rest is address space.
// Small files keep the default because a mapping larger than the file makes bbolt grow the file
// in 16 MiB steps.
func mmapSizeFor(path string, bulk bool) int {
	size := int64(0)
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	}
	if size < mmapLargeFile && !bulk {
		return 0
	}
	return int(size + mmapHeadroom)
}

// mmapLargeFile is the size from which a data file is mapped with mmapHeadroom; mmapHeadroom is how
// far it may then grow before its first remap.
const (
	mmapLargeFile = 1 << 30
	mmapHeadroom  = 2 << 30
)

// prepare brings a file opened by Open up to date in one transaction: a version-1 file gets every
// value sealed, every bucket is created, an old inbox index is rebuilt, the school list backfilled.
func prepare(tx *bbolt.Tx) error {
	ver, err := storedSchema(tx)
	if err != nil {
		return err
	}
	switch ver {
	case 0, SchemaVersion, 4, 5: // 5 → 6: nothing to rewrite (packed values and compact events are read beside plain ones)
	case 1:
		if err := sealAll(tx); err != nil {
			return err
		}
		if err := migrateVersionDeltas(tx); err != nil {
			return err
		}
	case 2, 3:
		if err := migrateVersionDeltas(tx); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%w: berkas %d, program %d", ErrSchema, ver, SchemaVersion)
	}
	// A file from before the inbox rows carried summaries and counts gets them rebuilt once.
	oldInbox := tx.Bucket(bInbox) != nil && tx.Bucket(bInboxCount) == nil
	// A file from before the counters, or (version 2) before their lists and daily series, gets
	// them counted once.
	noCounters := tx.Bucket(bCounters) == nil || (ver > 0 && ver < 3)
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	if oldInbox {
		if err := rebuildInboxIndex(tx); err != nil {
			return err
		}
	}
	if noCounters {
		if err := rebuildCounters(tx); err != nil {
			return err
		}
	}
	if ver > 0 && ver < 5 {
		if err := migrateSearchIndexes(tx); err != nil {
			return err
		}
	}
	if ver != SchemaVersion {
		if err := bk(tx, bMeta).Put([]byte("schema"), fmt.Appendf(nil, "%d", SchemaVersion)); err != nil {
			return err
		}
	}
	return backfillSchools(tx)
}

// Close closes the bbolt file.
// A clean close leaves the check stamp that lets the next start skip the full check (checkstamp.go),
// unless a transaction met damage.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	caches.Delete(s.db)
	outboxLens.Delete(s.db)
	relayWakes.Delete(s.db)
	if err := s.db.Close(); err != nil {
		return err
	}
	if s.damaged.Load() {
		return nil
	}
	return writeStamp(s.dir)
}

// sawDamage notes damage met by a transaction, for Close.
func (s *Store) sawDamage(err error) error {
	if errors.Is(err, ErrDamaged) {
		s.damaged.Store(true)
	}
	return err
}

// view runs fn in a read transaction; damage becomes ErrDamaged, never a crash.
func (s *Store) view(fn func(tx *bbolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() { s.sawDamage(err) }()
	defer recoverDamage(&err)
	return s.db.View(fn)
}

// batch runs fn in a write transaction that it may share with other concurrent writers (one
// fsync for many small writes: proposals, decisions; groupcommit.go). fn must be safe to run twice: when any fn of
// the batch fails, the batch is rolled back and each fn runs again, the failing one on its own.
// So fn may only touch the transaction and variables it assigns afresh on each run, and a write
// that fails often (validation) should fail before it is batched. A panic in fn (damage) is raised
// again in this goroutine after the rollback, and becomes ErrDamaged here; a write that
// fails for lack of space comes back as ErrDiskFull (space.go).
func (s *Store) batch(fn func(tx *bbolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() { s.sawDamage(err) }()
	defer recoverDamage(&err)
	return s.wrote(s.group.do(s.db, func(tx *bbolt.Tx) error {
		// Another writer's goroutine may run fn (it leads the group): a fault there must be a panic too.
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		return fn(tx)
	}))
}

// update runs fn in a write transaction of its own: for writes that are large (documents, a
// master import), rare, or long (Kirim, Forward), where sharing a commit would only delay others.
func (s *Store) update(fn func(tx *bbolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() { s.sawDamage(err) }()
	defer recoverDamage(&err)
	return s.wrote(s.db.Update(fn))
}

// DB exposes the handle for the session storage and benchmarks; nothing else should need it.
func (s *Store) DB() *bbolt.DB { return s.db }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// IsDemo tells whether the data was made by `pupns demo`, and whether it holds anything at all.
func (s *Store) IsDemo() (demo, empty bool, err error) {
	err = s.view(func(tx *bbolt.Tx) error {
		demo = string(bk(tx, bMeta).Get([]byte("demo"))) == "1"
		k, _ := bk(tx, bRecords).Cursor().First()
		u, _ := bk(tx, bUsers).Cursor().First()
		empty = k == nil && u == nil
		return nil
	})
	return
}

// u64 encodes n as an 8-byte big-endian key.
func u64(n uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

// timeKey encodes t as a fixed-width, order-preserving key.
func timeKey(t time.Time) []byte { return u64(uint64(t.UnixNano())) }

func cat(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func getJSON(b bucket, key []byte, v any) error {
	raw := b.Get(key)
	if raw == nil {
		return ErrNotFound
	}
	return json.Unmarshal(raw, v) // Unmarshal copies: nothing refers to bbolt memory afterwards.
}

func putJSON(b bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}

// MarkDemo records that this data file was made by `pupns demo`, so a later demo run may add to it
// and `pupns demo` refuses any file without the mark.
func (s *Store) MarkDemo() error {
	return s.update(func(tx *bbolt.Tx) error { return bk(tx, bMeta).Put([]byte("demo"), []byte("1")) })
}

// PutMeta stores a small value in the meta bucket (e.g. the demo's printed logins).
func (s *Store) PutMeta(key string, val []byte) error {
	if key == "schema" || key == "demo" {
		return fmt.Errorf("%w: kunci meta %q dikelola store", ErrInvalid, key)
	}
	return s.update(func(tx *bbolt.Tx) error { return bk(tx, bMeta).Put([]byte(key), val) })
}

// Meta returns a copy of a meta value, or nil.
func (s *Store) Meta(key string) ([]byte, error) {
	var out []byte
	err := s.view(func(tx *bbolt.Tx) error {
		if v := bk(tx, bMeta).Get([]byte(key)); v != nil {
			out = append([]byte(nil), v...)
		}
		return nil
	})
	return out, err
}
