package bkn

import (
	"context"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// The streams on the hub, and their subjects (one token per instansi id).
const (
	StreamLines     = "PUPNS_LINES"
	StreamDocs      = "PUPNS_DOCS"
	StreamDecisions = "PUPNS_DECISIONS"
	StreamCounters  = "PUPNS_COUNTERS"

	// The hub's durable consumers of the offices' lines and documents.
	ConsumerLines = "hub_lines"
	ConsumerDocs  = "hub_docs"

	// HeaderDoc carries a document's metadata (store.BKNDoc as JSON) on the documents stream.
	HeaderDoc = "Pupns-Doc"

	// DuplicateWindow is how long a stream remembers message ids: an outbox row a crash left after
	// the acknowledgement is published again within it and dropped as a duplicate.
	DuplicateWindow = 7 * 24 * time.Hour
)

// SubjectLines is where an office publishes its submissions' lines.
func SubjectLines(instansi string) string { return "pupns.lines." + instansi }

// SubjectDocs is where an office publishes the documents its lines carry.
func SubjectDocs(instansi string) string { return "pupns.docs." + instansi }

// SubjectDecisions is where the hub publishes its decisions for an instansi.
func SubjectDecisions(instansi string) string { return "pupns.decisions." + instansi }

// SubjectCounters is where an office publishes its counters (national figures).
func SubjectCounters(instansi string) string { return "pupns.counters." + instansi }

// OfficeConsumer is the durable consumer an office reads its decisions with; the hub creates it.
func OfficeConsumer(instansi string) string { return "office_" + instansi }

// InboxPrefix is an office's client inbox prefix: its permissions allow replies only there.
func InboxPrefix(instansi string) string { return "_INBOX_" + instansi }

// SetupHub creates (or updates) the hub's streams and its consumers: the lines and documents
// consumers, and each known office's decisions consumer. It is idempotent.
func SetupHub(ctx context.Context, js jetstream.JetStream, offices []string) error {
	for name, subj := range map[string]string{StreamLines: "pupns.lines.*", StreamDocs: "pupns.docs.*",
		StreamDecisions: "pupns.decisions.*", StreamCounters: "pupns.counters.*"} {
		if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: name, Subjects: []string{subj},
			Storage: jetstream.FileStorage, Duplicates: DuplicateWindow, MaxMsgSize: MaxPayload}); err != nil {
			return err
		}
	}
	for stream, durable := range map[string]string{StreamLines: ConsumerLines, StreamDocs: ConsumerDocs} {
		if _, err := js.CreateOrUpdateConsumer(ctx, stream, consumerConfig(durable, "")); err != nil {
			return err
		}
	}
	for _, inst := range offices {
		if err := EnsureOfficeConsumer(ctx, js, inst); err != nil {
			return err
		}
	}
	return nil
}

// EnsureOfficeConsumer creates an office's decisions consumer, filtered to its own subject.
func EnsureOfficeConsumer(ctx context.Context, js jetstream.JetStream, instansi string) error {
	_, err := js.CreateOrUpdateConsumer(ctx, StreamDecisions, consumerConfig(OfficeConsumer(instansi), SubjectDecisions(instansi)))
	return err
}

// consumerConfig is a durable pull consumer with explicit acks, redelivering without limit.
func consumerConfig(durable, filter string) jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{Durable: durable, FilterSubject: filter, AckPolicy: jetstream.AckExplicitPolicy,
		AckWait: 30 * time.Second, MaxDeliver: -1, DeliverPolicy: jetstream.DeliverAllPolicy}
}
