// Package bkn links the offices to their BKN hub (a Kanreg or BKN Pusat) over NATS JetStream: the
// embedded servers, the offices' credentials and permissions, the streams and consumers (Start,
// Site), and the data flow on them (Run: the office's relay of its bkn_outbox and its decisions
// consumer; the hub's lines and documents consumers and its relay of decisions). Every office is a
// leaf node of exactly one hub; the hub holds the streams. The rules (what is queued, received,
// applied) are the store's (store/bkn*.go); this package is the transport and its wiring.
package bkn

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The streams on the hub, one subject per instansi in each (pupns.<kind>.<instansi id>).
const (
	StreamLines     = "PUPNS_LINES"     // lines an office sends to BKN (office publishes)
	StreamDocs      = "PUPNS_DOCS"      // the documents those lines need (office publishes)
	StreamDecisions = "PUPNS_DECISIONS" // BKN's decisions back to the office (hub publishes)
	StreamCounters  = "PUPNS_COUNTERS"  // an office's progress counters, the latest per office

	// The hub's durable consumers of the offices' lines and documents (the hub's own code).
	ConsumerLines = "hub_lines"
	ConsumerDocs  = "hub_docs"

	// HeaderDoc carries a document's metadata (store.BKNDoc as JSON) on the documents stream.
	HeaderDoc = "Pupns-Doc"
)

// Domain is the JetStream domain of every hub. Through a leaf node the hub answers JetStream API
// calls only under a domain prefix ($JS.bkn.API.…, mapped on the hub to $JS.API.…): an office's
// plain $JS.API calls are denied by the server itself. Offices reach their hub's streams with
// OfficeJetStream. Hubs are never linked to each other, so one name serves them all.
const Domain = "bkn"

// OfficeJetStream is the JetStream context an office's code uses on its in-process connection: the
// API calls go to the hub's domain.
func OfficeJetStream(nc *nats.Conn) (jetstream.JetStream, error) {
	return jetstream.NewWithDomain(nc, Domain)
}

// instansiRe is what an instansi id must look like to be one NATS subject token and part of a
// consumer name: no dots, wildcards or spaces.
var instansiRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// CheckInstansi refuses an instansi id that cannot be a subject token, so that no id can widen an
// office's permissions ("*" or ">" would match every office's subjects).
func CheckInstansi(id string) error {
	if !instansiRe.MatchString(id) {
		return fmt.Errorf("id instansi %q tidak sah: hanya huruf, angka, _ dan -, paling panjang 32 karakter", id)
	}
	return nil
}

// LinesSubject is where the office of instansi id publishes its lines.
func LinesSubject(id string) string { return "pupns.lines." + id }

// DocsSubject is where the office of instansi id publishes its documents.
func DocsSubject(id string) string { return "pupns.docs." + id }

// DecisionsSubject is where the hub publishes the decisions for the office of instansi id.
func DecisionsSubject(id string) string { return "pupns.decisions." + id }

// CountersSubject is where the office of instansi id publishes its counters.
func CountersSubject(id string) string { return "pupns.counters." + id }

// ConsumerName is the durable pull consumer the hub creates for the office of instansi id on
// PUPNS_DECISIONS; the office may only fetch from and ack on it.
func ConsumerName(id string) string { return "office_" + id }

// InboxPrefix is the reply-subject prefix of the office's client connection (nats.CustomInboxPrefix):
// the office may subscribe only below it, so replies to another office never reach it.
func InboxPrefix(id string) string { return "_INBOX_" + id }

// StreamsConfig sizes the streams the hub creates.
type StreamsConfig struct {
	// DupWindow is how long a Nats-Msg-Id is remembered for de-duplication on PUPNS_LINES and
	// PUPNS_DOCS: longer than an office may stay offline with lines in its outbox. Default 14 days.
	DupWindow time.Duration
	// MaxDocBytes is the largest document message (the office's document cap); default 8 MiB. The
	// servers' max_payload must be at least this (HubConfig.MaxPayload, OfficeConfig.MaxPayload).
	MaxDocBytes int32
	// Replicas is the stream replica count: 1 for a single hub server, 3 for a three-node cluster.
	Replicas int
}

// DefaultDupWindow and DefaultMaxDocBytes are StreamsConfig's defaults.
const (
	DefaultDupWindow   = 14 * 24 * time.Hour
	DefaultMaxDocBytes = 8 << 20
)

func (c StreamsConfig) withDefaults() StreamsConfig {
	if c.DupWindow <= 0 {
		c.DupWindow = DefaultDupWindow
	}
	if c.MaxDocBytes <= 0 {
		c.MaxDocBytes = DefaultMaxDocBytes
	}
	if c.Replicas <= 0 {
		c.Replicas = 1
	}
	return c
}

// keptFor is how long PUPNS_LINES and PUPNS_DOCS keep a message: twice the duplicate window. The
// hub's own consumers, in the same process as the streams, take each message into the hub's data
// file within moments, so the stream's copy is needed only while it may still be redelivered or
// published again; without an age limit the hub's disk would hold every document twice for the
// whole campaign. PUPNS_DECISIONS has none: an office may stay away for weeks and still be owed
// its decisions.
func keptFor(c StreamsConfig) time.Duration { return 2 * c.DupWindow }

// StreamConfigs are the four streams as the hub creates them (exported for the README and the
// cluster variant).
func StreamConfigs(c StreamsConfig) []jetstream.StreamConfig {
	c = c.withDefaults()
	return []jetstream.StreamConfig{
		{Name: StreamLines, Subjects: []string{LinesSubject("*")}, Storage: jetstream.FileStorage,
			Duplicates: c.DupWindow, Replicas: c.Replicas, Retention: jetstream.LimitsPolicy, MaxAge: keptFor(c)},
		{Name: StreamDocs, Subjects: []string{DocsSubject("*")}, Storage: jetstream.FileStorage,
			Duplicates: c.DupWindow, Replicas: c.Replicas, MaxMsgSize: c.MaxDocBytes, MaxAge: keptFor(c)},
		{Name: StreamDecisions, Subjects: []string{DecisionsSubject("*")}, Storage: jetstream.FileStorage,
			Duplicates: c.DupWindow, Replicas: c.Replicas},
		{Name: StreamCounters, Subjects: []string{CountersSubject("*")}, Storage: jetstream.FileStorage,
			MaxMsgsPerSubject: 1, Replicas: c.Replicas},
	}
}

// adminMu serialises the JetStream administration this process asks for (streams created or
// updated, consumers created): nats-server v2.15.2 reads a stream's configuration without its lock
// when it creates a consumer (fileStore.ConsumerStore) while a stream update rewrites it
// (fileStore.UpdateConfig), and a hub's lines, documents and counters loops each prepare the
// streams when they (re)open their consumers. The race detector caught the two overlapping
// (TestCrashAfterAckPublishesOnce under -race); one at a time, they cannot.
var adminMu sync.Mutex

// admin runs one JetStream administration request under adminMu.
func admin(call func() error) error {
	adminMu.Lock()
	defer adminMu.Unlock()
	return call()
}

// EnsureStreams creates the four streams on the hub, or updates them to c: the hub calls it at
// every start, so a changed window or cap takes effect without a manual step.
func EnsureStreams(ctx context.Context, js jetstream.JetStream, c StreamsConfig) error {
	for _, sc := range StreamConfigs(c) {
		if err := admin(func() error { _, err := js.CreateOrUpdateStream(ctx, sc); return err }); err != nil {
			return fmt.Errorf("stream %s: %w", sc.Name, err)
		}
	}
	return nil
}

// EnsureOfficeConsumer creates (or keeps) the durable pull consumer office_<id> on PUPNS_DECISIONS,
// filtered to the office's subject. Only the hub creates consumers; offices may not.
func EnsureOfficeConsumer(ctx context.Context, js jetstream.JetStream, id string) error {
	if err := CheckInstansi(id); err != nil {
		return err
	}
	err := admin(func() error {
		_, err := js.CreateOrUpdateConsumer(ctx, StreamDecisions, jetstream.ConsumerConfig{
			Durable:       ConsumerName(id),
			FilterSubject: DecisionsSubject(id),
			AckPolicy:     jetstream.AckExplicitPolicy,
			DeliverPolicy: jetstream.DeliverAllPolicy,
			AckWait:       time.Minute,
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("consumer %s: %w", ConsumerName(id), err)
	}
	return nil
}

// SetupHub prepares a hub's JetStream: the streams (EnsureStreams), the hub's own consumers of
// the lines and documents, and the decisions consumer of each office given. It is idempotent: the
// hub calls it at start, and its consumers again when they must be opened anew (a lost folder).
func SetupHub(ctx context.Context, js jetstream.JetStream, c StreamsConfig, offices []string) error {
	if err := EnsureStreams(ctx, js, c); err != nil {
		return err
	}
	if err := ensureHubConsumers(ctx, js); err != nil {
		return err
	}
	for _, id := range offices {
		if err := EnsureOfficeConsumer(ctx, js, id); err != nil {
			return err
		}
	}
	return nil
}

// ensureHubConsumers creates the hub's durable pull consumers of PUPNS_LINES and PUPNS_DOCS:
// explicit acks (after the store's commit), redelivered without limit.
func ensureHubConsumers(ctx context.Context, js jetstream.JetStream) error {
	for stream, durable := range map[string]string{StreamLines: ConsumerLines, StreamDocs: ConsumerDocs} {
		err := admin(func() error {
			_, err := js.CreateOrUpdateConsumer(ctx, stream, jetstream.ConsumerConfig{Durable: durable,
				AckPolicy: jetstream.AckExplicitPolicy, AckWait: 30 * time.Second, MaxDeliver: -1,
				DeliverPolicy: jetstream.DeliverAllPolicy})
			return err
		})
		if err != nil {
			return fmt.Errorf("consumer %s: %w", durable, err)
		}
	}
	return nil
}
