package bkn_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"

	"pupns/handlers/bkn"
	"pupns/store"
	"pupns/store/storetest"
)

// The placeholders of the message template, replaced per message (tmpl.render).
const (
	phInstansi = "QZZZZ"      // the office's instansi id (also in its unit id and the msg id)
	phSubID    = 987654321987 // the office's submission id (also in the msg id)
	phNIP      = "@NIP-PLACEHOLDER@"
	phSHA      = "@SHA-PLACEHOLDER@"
	phSize     = 555555555
)

// tmpl is what the store builds for a submission of three lines needing BKN (nama, gelar depan,
// gelar belakang) at Level 3, marshalled once with placeholders: with one document, and without.
type tmpl struct{ withDoc, noDoc []byte }

// newTemplate has a real office send a three-line submission through Levels 1 and 2 and takes the
// lines message its outbox holds.
func newTemplate(tb testing.TB) tmpl {
	off := storetest.NewOffice(tb)
	okB(tb, off.Store.SetBKNLink(store.BKNLink{Role: store.BKNRoleOffice}))
	nip := storetest.NIPBudi
	pns := store.Actor{Login: nip, Role: store.RolePNS, NIP: nip}
	for _, p := range [][2]string{{"nama", "Budi Susanto"}, {"gelar_depan", "Dr."}, {"gelar_belakang", "S.Kom."}} {
		okB(tb, err3(off.Store.Propose(pns, nip, p[0], p[1], "sesuai SK dan ijazah")))
	}
	form, err := off.Store.Form(pns, nip)
	okB(tb, err)
	for _, field := range []string{"nama", "gelar_depan", "gelar_belakang"} {
		for _, kind := range form.MissingDocs(field) {
			_, _, err := off.Store.AddDocument(pns, nip, field, kind, kind+".pdf", bytes.NewReader(pdfFor(nip, field+kind)))
			okB(tb, err)
		}
	}
	_, err = off.Store.Confirm(pns, nip, store.AllCheckKeys(), true)
	okB(tb, err)
	sub, err := off.Store.Kirim(pns, nip)
	okB(tb, err)
	for _, v := range []store.Actor{v1P33, v2P33} {
		sub, err = off.Store.Submission(v, sub.ID)
		okB(tb, err)
		for _, l := range sub.Undecided() {
			sub, err = off.Store.Decide(v, sub.ID, sub.Rev, l.Field, store.Setuju, "")
			okB(tb, err)
		}
		sub, err = off.Store.Forward(v, sub.ID, sub.Rev)
		okB(tb, err)
	}
	rows, err := off.Store.BKNOutbox(0, 1)
	okB(tb, err)
	var m store.BKNLines
	okB(tb, json.Unmarshal(rows[0].Body, &m))
	if len(m.Submission.Lines) != 3 || len(m.Docs) == 0 {
		tb.Fatalf("template: %d lines, %d documents", len(m.Submission.Lines), len(m.Docs))
	}
	m.Instansi.ID, m.Unit.ID, m.Unit.InstansiID, m.Unit.SKPDID = phInstansi, phInstansi+"-U1", phInstansi, phInstansi+"-U1"
	m.Submission.InstansiID, m.Submission.UnitID, m.Submission.ID, m.Submission.NIP = phInstansi, phInstansi+"-U1", phSubID, phNIP
	m.MsgID = store.BKNLinesMsgID(phInstansi, phSubID, 3, m.Submission.Round)
	doc := m.Docs[0]
	doc.SHA256, doc.Size, doc.NIP = phSHA, phSize, phNIP
	m.Docs = []store.BKNDoc{doc}
	for i := range m.Submission.Lines {
		m.Submission.Lines[i].Docs = m.Submission.Lines[i].Docs[:1]
		m.Submission.Lines[i].Docs[0].ID = doc.ID
	}
	var t tmpl
	t.withDoc, err = json.Marshal(m)
	okB(tb, err)
	m.Docs = nil
	for i := range m.Submission.Lines {
		m.Submission.Lines[i].Docs = nil
	}
	t.noDoc, err = json.Marshal(m)
	okB(tb, err)
	return t
}

// render is message k of office inst: its lines body and id, and its document (nil when none).
func (t tmpl) render(inst string, k int, doc []byte) (body []byte, msgID string, meta store.BKNDoc) {
	nip := fmt.Sprintf("19%016d", k)
	src := t.noDoc
	if doc != nil {
		src = t.withDoc
		sum := sha256.Sum256(doc)
		meta = store.BKNDoc{SHA256: hex.EncodeToString(sum[:]), NIP: nip, Size: int64(len(doc))}
	}
	r := []string{phInstansi, inst, strconv.Itoa(phSubID), strconv.Itoa(k), phNIP, nip}
	if doc != nil {
		r = append(r, phSHA, meta.SHA256, strconv.Itoa(phSize), strconv.Itoa(len(doc)))
	}
	body = src
	for i := 0; i < len(r); i += 2 {
		body = bytes.ReplaceAll(body, []byte(r[i]), []byte(r[i+1]))
	}
	return body, store.BKNLinesMsgID(inst, uint64(k), 3, 1), meta
}

// benchServer is the hub's NATS server as StartHub configures it (JetStream, the hub's domain, its
// own NKey user with full rights, one NKey user per office with OfficePermissions), except that the
// offices connect as plain clients rather than leaf nodes: 600 embedded leaf servers would cost the
// 2 cores more than the hub. The permissions, subjects and publish acks are the leaves'.
func benchServer(tb testing.TB, dir string, offices []string) (*server.Server, map[string]nkeys.KeyPair, nkeys.KeyPair) {
	self, _ := nkeys.CreateUser()
	selfPub, _ := self.PublicKey()
	users := []*server.NkeyUser{{Nkey: selfPub}}
	keys := map[string]nkeys.KeyPair{}
	for _, id := range offices {
		kp, _ := nkeys.CreateUser()
		pub, _ := kp.PublicKey()
		keys[id] = kp
		users = append(users, &server.NkeyUser{Nkey: pub, Permissions: bkn.OfficePermissions(id),
			AllowedConnectionTypes: map[string]struct{}{"STANDARD": {}}})
	}
	srv, err := server.NewServer(&server.Options{ServerName: "bench-hub", Host: "127.0.0.1", Port: -1, JetStream: true,
		JetStreamDomain: bkn.Domain, StoreDir: dir, MaxPayload: bkn.MaxPayload, Nkeys: users, NoSigs: true, NoLog: true})
	okB(tb, err)
	srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		tb.Fatal("the hub's NATS server did not start")
	}
	return srv, keys, self
}

// office is one simulated office: its own NKey connection, publishing as its relay does (the
// document, acknowledged, then the lines, acknowledged), in the order of its jobs.
type office struct {
	id   string
	nc   *nats.Conn
	js   jetstream.JetStream
	jobs chan int
}

func dialOffice(tb testing.TB, url, id string, kp nkeys.KeyPair) *office {
	pub, _ := kp.PublicKey()
	nc, err := nats.Connect(url, nats.Nkey(pub, kp.Sign), nats.CustomInboxPrefix(bkn.InboxPrefix(id)), nats.Name("kantor-"+id))
	okB(tb, err)
	js, err := jetstream.New(nc)
	okB(tb, err)
	return &office{id: id, nc: nc, js: js, jobs: make(chan int, 4096)}
}

// load is one run of the generator: the scheduled send time of every message k, what was sent,
// and the documents' share and size.
type load struct {
	t       tmpl
	sched   []int64 // unix nanoseconds, by k
	sent    atomic.Int64
	failed  atomic.Int64
	bytes   atomic.Int64 // lines bodies and documents published
	docEach int          // every docEach-th message carries a new document
	docSize int
}

// run publishes the office's jobs until its channel closes.
func (l *load) run(ctx context.Context, o *office, wg *sync.WaitGroup) {
	defer wg.Done()
	for k := range o.jobs {
		var doc []byte
		if k%l.docEach == 0 {
			doc = makeDoc(o.id, k, l.docSize)
		}
		body, id, meta := l.t.render(o.id, k, doc)
		if err := l.publish(ctx, o, body, id, meta, doc); err != nil {
			l.failed.Add(1)
			continue
		}
		l.sent.Add(1)
	}
}

func (l *load) publish(ctx context.Context, o *office, body []byte, id string, meta store.BKNDoc, doc []byte) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if doc != nil {
		raw, _ := json.Marshal(meta)
		m := nats.NewMsg(bkn.DocsSubject(o.id))
		m.Header.Set(bkn.HeaderDoc, string(raw))
		m.Data = doc
		if _, err := o.js.PublishMsg(ctx, m, jetstream.WithMsgID(meta.SHA256)); err != nil {
			return err
		}
		l.bytes.Add(int64(len(doc)))
	}
	m := nats.NewMsg(bkn.LinesSubject(o.id))
	m.Data = body
	_, err := o.js.PublishMsg(ctx, m, jetstream.WithMsgID(id))
	l.bytes.Add(int64(len(body)))
	return err
}

// schedule hands message k to office k mod n at t0 + k/rate (open loop: a late office queues, and
// its wait is part of the latency), for the whole duration.
func (l *load) schedule(offices []*office, rate float64, d time.Duration) time.Time {
	t0 := time.Now()
	total := int(rate * d.Seconds())
	for k := range total {
		at := t0.Add(time.Duration(float64(k) / rate * float64(time.Second)))
		atomic.StoreInt64(&l.sched[k], at.UnixNano())
		if wait := time.Until(at); wait > 0 {
			time.Sleep(wait)
		}
		offices[k%len(offices)].jobs <- k
	}
	return t0
}

func okB(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func loadInt64(p *int64) int64 { return atomic.LoadInt64(p) }

// makeDoc is a document of size bytes, unique to message k: a PDF header and incompressible bytes
// (a scan's PDF is compressed already).
func makeDoc(id string, k, size int) []byte {
	doc := make([]byte, size)
	n := copy(doc, fmt.Sprintf("%%PDF-1.4\n%% %s %d\n", id, k))
	var seed [32]byte
	binary.LittleEndian.PutUint64(seed[:], uint64(k))
	_, _ = rand.NewChaCha8(seed).Read(doc[n:])
	return doc
}
