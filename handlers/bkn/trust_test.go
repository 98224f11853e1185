package bkn

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pupns/handlers/bkn/bkntest"
)

func ctx5(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// ctxOK is the deadline of a call that must succeed: a minute, because on a loaded machine (make test
// runs the packages side by side, under -race) a 5 MiB publish through TLS and the leaf took longer
// than 5 s; the test waits no longer than the call takes. ctx5 stays for calls that must be refused,
// where a refusal may come only as an answer that never arrives, and the deadline is the wait.
func ctxOK(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// subjectCount is how many messages the stream holds on subject.
func subjectCount(t *testing.T, js jetstream.JetStream, stream, subject string) uint64 {
	t.Helper()
	s, err := js.Stream(ctxOK(t), stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctxOK(t), jetstream.WithSubjectFilter(subject))
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Subjects[subject]
}

// TestOfficePublishesItsOwnLines: office A's lines, documents and counters reach the hub's streams
// through its leaf server, acknowledged; the same message id is a duplicate, not a second message.
func TestOfficePublishesItsOwnLines(t *testing.T) {
	n := startNet(t, "A01", "B02")
	_, nc := n.office(t, "A01")
	js, _ := OfficeJetStream(nc)
	for _, subj := range []string{LinesSubject("A01"), DocsSubject("A01"), CountersSubject("A01")} {
		ack, err := js.Publish(ctxOK(t), subj, []byte("isi"), jetstream.WithMsgID("m-"+subj))
		if err != nil {
			t.Fatalf("publish %s: %v; hub log:\n%s", subj, err, n.hubLog)
		}
		if ack.Duplicate {
			t.Fatalf("%s: first publish is a duplicate", subj)
		}
	}
	ack, err := js.Publish(ctxOK(t), LinesSubject("A01"), []byte("isi"), jetstream.WithMsgID("m-"+LinesSubject("A01")))
	if err != nil || !ack.Duplicate {
		t.Fatalf("same message id again: ack %+v, %v; want a duplicate", ack, err)
	}
	hub := n.hubJS(t)
	if got := subjectCount(t, hub, StreamLines, LinesSubject("A01")); got != 1 {
		t.Fatalf("PUPNS_LINES has %d messages of A01, want 1", got)
	}
	if strings.Contains(n.hubLog.String(), "Violation") {
		t.Fatalf("a well-behaved office caused a violation:\n%s", n.hubLog)
	}
}

// TestOfficeCannotPublishForAnother: office A's code publishing pupns.lines.B02 gets no ack and
// the stream holds nothing of B02; a tampered office A that sends it anyway is cut off by the hub,
// which logs the violation with the leaf's name.
func TestOfficeCannotPublishForAnother(t *testing.T) {
	n := startNet(t, "A01", "B02")
	_, nc := n.office(t, "A01")
	js, _ := OfficeJetStream(nc)
	if _, err := js.Publish(ctx5(t), LinesSubject("B02"), []byte("palsu"), jetstream.WithMsgID("x")); err == nil {
		t.Fatal("office A published B02's line and got an ack")
	}
	conn, r := n.rogueLeaf(t, "A01")
	fmt.Fprintf(conn, "LMSG %s 5\r\npalsu\r\n", LinesSubject("B02"))
	if e := readErr(t, conn, r); !strings.Contains(e, "Permissions Violation for Publish") {
		t.Fatalf("hub answered %q, want a publish permissions violation", e)
	}
	line := n.hubLog.waitLog(t, "level=ERROR", `Publish Violation on \"pupns.lines.B02\"`, "kantor=A01")
	t.Logf("hub log: %s", line)
	if got := subjectCount(t, n.hubJS(t), StreamLines, LinesSubject("B02")); got != 0 {
		t.Fatalf("PUPNS_LINES has %d messages of B02 sent by A01", got)
	}
}

// TestOfficeCannotReadAnothersDecisions: office A can neither fetch from office_B02 nor subscribe to
// pupns.decisions.B02 — through its leaf server nothing arrives, and a tampered office A is cut off
// and logged at the hub for each attempt.
func TestOfficeCannotReadAnothersDecisions(t *testing.T) {
	n := startNet(t, "A01", "B02")
	hub := n.hubJS(t)
	if _, err := hub.Publish(ctxOK(t), DecisionsSubject("B02"), []byte("putusan B")); err != nil {
		t.Fatal(err)
	}
	_, nc := n.office(t, "A01")
	js, _ := OfficeJetStream(nc)
	if _, err := js.Consumer(ctx5(t), StreamDecisions, ConsumerName("B02")); err == nil {
		t.Fatal("office A read office_B02's consumer info")
	}
	sub, err := nc.SubscribeSync(DecisionsSubject("B02"))
	if err != nil {
		t.Fatal(err)
	}
	nc.Flush()
	if _, err := hub.Publish(ctxOK(t), DecisionsSubject("B02"), []byte("putusan B lagi")); err != nil {
		t.Fatal(err)
	}
	if m, err := sub.NextMsg(500 * time.Millisecond); err == nil {
		t.Fatalf("office A received B02's decision %q", m.Data)
	}
	// The hub logs a domain call ($JS.bkn.API.…) under the subject it maps it to ($JS.API.…).
	for _, try := range []struct{ send, want string }{
		{"LS+ " + DecisionsSubject("B02") + "\r\n", `Subscription Violation on \"pupns.decisions.B02\"`},
		{"LMSG $JS.bkn.API.CONSUMER.MSG.NEXT.PUPNS_DECISIONS.office_B02 _INBOX_A01.x 1\r\n1\r\n", `Publish Violation on \"$JS.API.CONSUMER.MSG.NEXT.PUPNS_DECISIONS.office_B02\"`},
		{"LS+ _INBOX_B02.abc\r\n", `Subscription Violation on \"_INBOX_B02.abc\"`},
		{"LMSG $JS.bkn.API.STREAM.INFO.PUPNS_LINES _INBOX_A01.x 0\r\n\r\n", `Publish Violation on \"$JS.API.STREAM.INFO.PUPNS_LINES\"`},
		{"LMSG $JS.API.CONSUMER.INFO.PUPNS_DECISIONS.office_A01 _INBOX_A01.x 0\r\n\r\n", `Publish Violation on \"$JS.API.CONSUMER.INFO.PUPNS_DECISIONS.office_A01\"`},
	} {
		conn, r := n.rogueLeaf(t, "A01")
		fmt.Fprint(conn, try.send)
		if e := readErr(t, conn, r); !strings.Contains(e, "Permissions Violation") {
			t.Fatalf("%q: hub answered %q, want a permissions violation", try.send, e)
		}
		t.Logf("hub log: %s", n.hubLog.waitLog(t, "level=ERROR", try.want, "kantor=A01"))
	}
}

// TestOfficeFetchesItsOwnDecisions: what the hub publishes for A reaches A through office_A01 (fetch
// and ack through the leaf), and the ack reaches the consumer.
func TestOfficeFetchesItsOwnDecisions(t *testing.T) {
	n := startNet(t, "A01", "B02")
	hub := n.hubJS(t)
	for i := range 3 {
		if _, err := hub.Publish(ctxOK(t), DecisionsSubject("A01"), fmt.Appendf(nil, "putusan %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := hub.Publish(ctxOK(t), DecisionsSubject("B02"), []byte("putusan B")); err != nil {
		t.Fatal(err)
	}
	_, nc := n.office(t, "A01")
	if err := fetchAndAck(ctxOK(t), nc, "A01", 3); err != nil {
		t.Fatalf("%v; hub log:\n%s", err, n.hubLog)
	}
	c, err := hub.Consumer(ctxOK(t), StreamDecisions, ConsumerName("A01"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.Info(ctxOK(t))
	if err != nil {
		t.Fatal(err)
	}
	if info.AckFloor.Consumer != 3 || info.NumPending != 0 {
		t.Fatalf("office_A01 after the acks: ack floor %d, pending %d; want 3, 0", info.AckFloor.Consumer, info.NumPending)
	}
}

// fetchAndAck fetches want decisions from the office's own consumer and acks each (waiting for the
// server's confirmation of the ack). It fetches again until it has them all or ctx ends: on a loaded
// machine one fetch's 2 s may end before every message came.
func fetchAndAck(ctx context.Context, nc *nats.Conn, id string, want int) error {
	js, err := OfficeJetStream(nc)
	if err != nil {
		return err
	}
	c, err := js.Consumer(ctx, StreamDecisions, ConsumerName(id))
	if err != nil {
		return fmt.Errorf("consumer info: %w", err)
	}
	got := 0
	for got < want {
		batch, err := c.Fetch(want-got, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return fmt.Errorf("fetch: %w", err)
		}
		for m := range batch.Messages() {
			if !strings.HasPrefix(m.Subject(), DecisionsSubject(id)) {
				return fmt.Errorf("fetched %s", m.Subject())
			}
			if err := m.DoubleAck(ctx); err != nil {
				return fmt.Errorf("ack: %w", err)
			}
			got++
		}
		if got < want && ctx.Err() != nil {
			return fmt.Errorf("fetched %d decisions, want %d (%v)", got, want, batch.Error())
		}
	}
	return nil
}

// TestDocumentAboveNATSDefaultPayload: a 5 MiB document (NATS's default max payload is 1 MiB) goes
// from the office through the leaf into PUPNS_DOCS; one above the cap is refused.
func TestDocumentAboveNATSDefaultPayload(t *testing.T) {
	n := startNet(t, "A01")
	_, nc := n.office(t, "A01")
	js, _ := OfficeJetStream(nc)
	doc := make([]byte, 5<<20)
	if _, err := js.Publish(ctxOK(t), DocsSubject("A01"), doc); err != nil {
		t.Fatalf("5 MiB document: %v", err)
	}
	if _, err := js.Publish(ctx5(t), DocsSubject("A01"), make([]byte, DefaultMaxDocBytes+1)); err == nil {
		t.Fatal("a document above the cap was accepted")
	}
	if got := subjectCount(t, n.hubJS(t), StreamDocs, DocsSubject("A01")); got != 1 {
		t.Fatalf("PUPNS_DOCS has %d documents, want 1", got)
	}
}

// TestWildcardInterestGetsNothingOfAnother: a tampered office A may declare a wildcard interest
// (the hub accepts wildcard subscriptions and filters what it sends), but nothing of B02 — a
// decision, a reply to B02's inbox — reaches it.
func TestWildcardInterestGetsNothingOfAnother(t *testing.T) {
	n := startNet(t, "A01", "B02")
	conn, r := n.rogueLeaf(t, "A01")
	fmt.Fprint(conn, "LS+ pupns.>\r\nLS+ _INBOX_B02.>\r\nLS+ >\r\nPING\r\n")
	hubNC, err := n.hub.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer hubNC.Close()
	time.Sleep(200 * time.Millisecond)
	for _, subj := range []string{DecisionsSubject("B02"), InboxPrefix("B02") + ".x.y", LinesSubject("B02")} {
		if err := hubNC.Publish(subj, []byte("rahasia")); err != nil {
			t.Fatal(err)
		}
	}
	hubNC.Flush()
	conn.SetReadDeadline(time.Now().Add(time.Second))
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			break
		}
		if strings.HasPrefix(line, "LMSG") {
			t.Fatalf("the tampered office received %q", strings.TrimSpace(line))
		}
	}
}

// TestLeafRefusedWithoutTLSOrWithUnknownKey: the hub takes no leaf without TLS, and no leaf whose
// key is not in the register; an office given the wrong CA refuses the hub.
func TestLeafRefusedWithoutTLSOrWithUnknownKey(t *testing.T) {
	n := startNet(t, "A01")
	// Without TLS: read the INFO, answer in plain text.
	raw, err := net.DialTimeout("tcp", strings.TrimPrefix(n.hub.LeafURL(), "tls://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	br := bufio.NewReader(raw)
	info, _ := br.ReadString('\n')
	if !strings.Contains(info, `"tls_required":true`) {
		t.Fatalf("hub INFO does not require TLS: %s", info)
	}
	fmt.Fprint(raw, "CONNECT {\"name\":\"tanpa-tls\"}\r\nPING\r\n")
	raw.SetReadDeadline(time.Now().Add(time.Minute)) // the close ends the read at once; a loaded machine is slow
	if rest, err := io.ReadAll(br); err != nil || strings.Contains(string(rest), "PONG") {
		t.Fatalf("plain-text leaf: got %q, %v; want the connection closed", rest, err)
	}
	t.Logf("hub log: %s", n.hubLog.waitLog(t, "Leafnode connection closed: TLS Handshake Failure"))

	// An unknown key: a seed the hub never registered.
	n.newOfficeSeed(t, "X09")
	o, err := StartOffice(OfficeConfig{Instansi: "X09", HubURL: n.hub.LeafURL(), SeedFile: n.seeds["X09"], CAFile: n.pki.CA})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Shutdown()
	t.Logf("hub log: %s", n.hubLog.waitLog(t, "authentication error", "Nkey"))
	if o.Linked() {
		t.Fatal("an office with an unknown key is linked")
	}

	// A registered office given another CA does not trust the hub.
	other := bkntest.NewPKI(t, n.dir, "lain")
	officeLog := &syncBuf{}
	o2, err := StartOffice(OfficeConfig{Instansi: "A01", HubURL: n.hub.LeafURL(), SeedFile: n.seeds["A01"], CAFile: other.CA,
		Log: slog.New(slog.NewTextHandler(officeLog, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer o2.Shutdown()
	t.Logf("office log: %s", officeLog.waitLog(t, "certificate signed by unknown authority"))
	if o2.Linked() {
		t.Fatal("an office linked to a hub its CA did not sign")
	}
}

// TestNewOfficeWithoutRestart: an office registered while the hub runs links once the hub reloads
// its register (SetOffices), and a removed office is cut off.
func TestNewOfficeWithoutRestart(t *testing.T) {
	n := startNet(t, "A01")
	pub := n.newOfficeSeed(t, "C03")
	o, err := StartOffice(OfficeConfig{Instansi: "C03", HubURL: n.hub.LeafURL(), SeedFile: n.seeds["C03"], CAFile: n.pki.CA})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Shutdown()
	n.hubLog.waitLog(t, "authentication error", "Nkey")
	hubJS := n.hubJS(t)
	if err := EnsureOfficeConsumer(ctxOK(t), hubJS, "C03"); err != nil {
		t.Fatal(err)
	}
	if err := n.hub.SetOffices(append(n.reg, Office{Instansi: "C03", PublicKey: pub})); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // must link; a loaded machine is slow
	defer cancel()
	start := time.Now()
	if err := o.WaitLinked(ctx); err != nil {
		t.Fatalf("%v; hub log:\n%s", err, n.hubLog)
	}
	t.Logf("C03 linked %v after the reload", time.Since(start).Round(time.Millisecond))
	time.Sleep(500 * time.Millisecond)
	if up, _ := o.LinkState(); !up {
		t.Fatal("LinkState says down while linked")
	}
	waitInterest(t, o)
	nc, err := o.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := OfficeJetStream(nc)
	if _, err := js.Publish(ctxOK(t), LinesSubject("C03"), []byte("baris")); err != nil {
		t.Fatal(err)
	}
	if err := n.hub.SetOffices(n.reg); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for o.Linked() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if o.Linked() {
		t.Fatal("C03 removed from the register is still linked")
	}
	time.Sleep(500 * time.Millisecond)
	if up, since := o.LinkState(); up || time.Since(since) > 10*time.Second {
		t.Fatalf("LinkState after the cut: up %v since %v; want down since the cut", up, since)
	}
}

// TestClientPortIsTheHubsOwn: the hub's client port takes the hub's own key (the file in its store
// folder, as an operator's nats CLI reads it) and refuses an office key, which may only link as a
// leaf node.
func TestClientPortIsTheHubsOwn(t *testing.T) {
	dir := t.TempDir()
	p := bkntest.NewPKI(t, dir, "bkn")
	seed, pub, _ := NewOfficeKey()
	officeSeed := filepath.Join(dir, "kantor-A01.nk")
	if err := WriteSeedFile(officeSeed, "A01", seed); err != nil {
		t.Fatal(err)
	}
	h, err := StartHub(HubConfig{ClientListen: "127.0.0.1:0", LeafListen: "127.0.0.1:0", CertFile: p.Cert, KeyFile: p.Key,
		CAFile: p.CA, StoreDir: filepath.Join(dir, "js"), Offices: []Office{{Instansi: "A01", PublicKey: pub}}})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Shutdown()
	own, err := nats.NkeyOptionFromSeed(filepath.Join(dir, "js", HubSeedFile))
	if err != nil {
		t.Fatal(err)
	}
	nc, err := nats.Connect(h.ClientURL(), own)
	if err != nil {
		t.Fatalf("the hub's own key on its client port: %v", err)
	}
	nc.Close()
	office, err := nats.NkeyOptionFromSeed(officeSeed)
	if err != nil {
		t.Fatal(err)
	}
	if nc, err := nats.Connect(h.ClientURL(), office); err == nil {
		nc.Close()
		t.Fatal("an office key connected to the hub's client port")
	}
}
