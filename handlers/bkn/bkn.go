package bkn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pupns/store"
)

// Config is the data flow of one side of the link: an office's relay (its bkn_outbox: lines and
// their documents) and its decisions consumer, or a hub's relay (decisions) and its lines and
// documents consumers. The rules (what is queued, received, applied) are the store's
// (store/bkn*.go); this is the transport. serve runs it on the Site's connections (Start); tests
// and development run it on a plain server's client URL (Link, StartPlainServer).
type Config struct {
	Role store.BKNRole // office (default), kanreg or pusat
	// Kanreg is the Kanreg a kanreg hub is (I … XIV).
	Kanreg string
	// Instansi is the office's instansi id: its subjects, consumer and inbox prefix.
	Instansi string
	// URL is the plain server Link connects to (not used by Start: the Site's connections).
	URL string
	// Offices are the instansi whose decisions consumers a hub creates when it opens its consumers
	// (SetupHub); Start passes the register of offices (and its watch adds new ones).
	Offices []string
	// Streams sizes the hub's streams (SetupHub): the Site's, so a clustered hub keeps three replicas.
	Streams StreamsConfig
	// Poll is the relay's idle wait when no commit wakes it, and the wait between reconnects; default 1s.
	Poll time.Duration
	// CountersEvery is how often an office publishes its counters snapshot (default
	// DefaultCountersEvery); Linked says whether its link is up (nil: always), so that it publishes
	// again when the link comes back.
	CountersEvery time.Duration
	Linked        func() bool
	// Pusat is a Kanreg hub's JetStream at BKN Pusat (its leaf link there): the counters its offices
	// publish are passed on (nil: not linked to Pusat).
	Pusat jetstream.JetStream
	// Options are more client options for Link.
	Options []nats.Option
	Log     *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Role == store.BKNRoleNone {
		c.Role = store.BKNRoleOffice
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.Poll == 0 {
		c.Poll = time.Second
	}
	if c.CountersEvery <= 0 {
		c.CountersEvery = DefaultCountersEvery
	}
	return c
}

// Link connects to cfg.URL and runs the flow until the returned stop is called (stop waits for it
// and closes the connection): the path of tests and development, on a plain server without TLS or
// accounts. A link that cannot reach its server keeps trying in the background.
func Link(st *store.Store, cfg Config) (stop func(), err error) {
	cfg = cfg.withDefaults()
	opts := append([]nats.Option{nats.Name("pupns-" + string(cfg.Role)), nats.MaxReconnects(-1),
		nats.ReconnectWait(cfg.Poll), nats.RetryOnFailedConnect(true), nats.ReconnectBufSize(-1)}, cfg.Options...)
	if cfg.Role == store.BKNRoleOffice {
		opts = append(opts, nats.CustomInboxPrefix(InboxPrefix(cfg.Instansi)))
	}
	nc, err := nats.Connect(cfg.URL, opts...)
	if err != nil {
		return nil, fmt.Errorf("NATS %s: %w", cfg.URL, err)
	}
	js, err := jetstream.New(nc)
	if err == nil {
		var stopFlow func()
		if stopFlow, err = Run(st, js, cfg); err == nil {
			return func() { stopFlow(); nc.Close() }, nil
		}
	}
	nc.Close()
	return nil, err
}

// Run records the role in the data file and runs the role's relay and consumers on js until the
// returned stop is called (stop waits for them; the connection stays the caller's). An office's
// js is OfficeJetStream on its server's connection (the hub's domain); a hub's, its own.
func Run(st *store.Store, js jetstream.JetStream, cfg Config) (stop func(), err error) {
	cfg = cfg.withDefaults()
	if cfg.Role == store.BKNRoleOffice && cfg.Instansi == "" {
		return nil, errors.New("kantor BKN: instansi kantor belum diatur")
	}
	if err := st.SetBKNLink(store.BKNLink{Role: cfg.Role, Kanreg: cfg.Kanreg}); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, run := range runners(st, js, cfg) {
		wg.Go(func() { run(ctx) })
	}
	return func() { cancel(); wg.Wait() }, nil
}

// runners are the goroutines of a role: an office's relay and decisions consumer; a hub's relay
// (decisions) and its lines and documents consumers.
func runners(st *store.Store, js jetstream.JetStream, cfg Config) []func(context.Context) {
	relay := &Relay{Store: st, JS: js, Log: cfg.Log, Poll: cfg.Poll}
	if cfg.Role == store.BKNRoleOffice {
		open := func(ctx context.Context) (jetstream.Consumer, error) {
			return js.Consumer(ctx, StreamDecisions, ConsumerName(cfg.Instansi))
		}
		return []func(context.Context){relay.Run, func(ctx context.Context) {
			consume(ctx, cfg.Log, cfg.Poll, ConsumerName(cfg.Instansi), open, applyDecision(st, cfg.Instansi, cfg.Log))
		}, publishCounters(st, js, cfg)}
	}
	opener := func(stream, durable string) func(context.Context) (jetstream.Consumer, error) {
		return func(ctx context.Context) (jetstream.Consumer, error) {
			if err := SetupHub(ctx, js, cfg.Streams, cfg.Offices); err != nil {
				return nil, err
			}
			return js.Consumer(ctx, stream, durable)
		}
	}
	hub := []func(context.Context){relay.Run, receiveCounters(st, js, cfg),
		func(ctx context.Context) {
			consumeLines(ctx, st, cfg.Log, cfg.Poll, opener(StreamLines, ConsumerLines))
		},
		func(ctx context.Context) { consumeDocs(ctx, st, cfg.Log, cfg.Poll, opener(StreamDocs, ConsumerDocs)) }}
	if cfg.Pusat != nil && cfg.Role == store.BKNRoleKanreg {
		hub = append(hub, forwardCounters(js, cfg))
	}
	return hub
}
