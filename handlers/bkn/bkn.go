// Package bkn carries the national link between an office and its hub over NATS JetStream: the
// office's relay publishes its bkn_outbox (lines reaching BKN, with their documents), the hub
// consumes them into its own store and relays its verifiers' decisions back, and the office applies
// them. The rules (what is queued, received, applied) are the store's (store/bkn*.go); this package
// is the transport and its wiring.
package bkn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pupns/store"
)

// Config is what an office or a hub needs to take part in the link.
type Config struct {
	Role store.BKNRole // office (default), kanreg or pusat
	// Kanreg is the Kanreg a kanreg hub is (I … XIV).
	Kanreg string
	// Instansi is the office's instansi id: its subjects, consumer and inbox prefix.
	Instansi string
	// URL is the NATS server the link talks to: an office's own server (a leaf node of its hub),
	// a hub's own server. Empty: an office is not linked.
	URL string
	// Domain is the hub's JetStream domain when it is reached through a leaf node; empty: the
	// server's own JetStream.
	Domain string
	// Listen is a hub's embedded NATS server address (host:port); with it Run starts the server
	// (JetStream in StoreDir) and links to it. Empty: URL names a server run elsewhere.
	Listen   string
	StoreDir string
	// Offices are the instansi a hub creates decision consumers for at start (others get theirs
	// with their first decision).
	Offices []string
	// Poll is the relay's idle wait when no commit wakes it, and the wait between reconnects; default 1s.
	Poll time.Duration
	// Options are more client options (credentials, TLS: the configured servers' part).
	Options []nats.Option
	Log     *slog.Logger
}

// Enabled tells whether the configuration links the store at all.
func (c Config) Enabled() bool { return c.URL != "" || (c.Role.Hub() && c.Listen != "") }

// Run is Start for serve: a hub with Listen first starts its embedded NATS server, which stop
// shuts down after the link.
func Run(st *store.Store, cfg Config) (stop func(), err error) {
	if !cfg.Role.Hub() || cfg.Listen == "" {
		return Start(st, cfg)
	}
	host, port, err := net.SplitHostPort(cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("alamat NATS %q: %w", cfg.Listen, err)
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return nil, fmt.Errorf("alamat NATS %q: %w", cfg.Listen, err)
	}
	srv, err := StartPlainServer(host, p, cfg.StoreDir)
	if err != nil {
		return nil, err
	}
	cfg.URL = srv.ClientURL()
	stopLink, err := Start(st, cfg)
	if err != nil {
		srv.Shutdown()
		return nil, err
	}
	return func() { stopLink(); srv.Shutdown(); srv.WaitForShutdown() }, nil
}

// Start links the store: it records the role in the data file, connects, and runs the relay and
// the consumers until the returned stop is called (stop waits for them). A link that cannot reach
// its server keeps trying in the background: the office works locally meanwhile.
func Start(st *store.Store, cfg Config) (stop func(), err error) {
	if cfg.Role == store.BKNNone {
		cfg.Role = store.BKNOffice
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Poll == 0 {
		cfg.Poll = time.Second
	}
	if cfg.Role == store.BKNOffice && cfg.Instansi == "" {
		return nil, errors.New("kantor BKN: instansi kantor belum diatur")
	}
	if err := st.SetBKNLink(store.BKNLink{Role: cfg.Role, Kanreg: cfg.Kanreg}); err != nil {
		return nil, err
	}
	opts := append([]nats.Option{nats.Name("pupns-" + string(cfg.Role)), nats.MaxReconnects(-1),
		nats.ReconnectWait(cfg.Poll), nats.RetryOnFailedConnect(true), nats.ReconnectBufSize(-1)}, cfg.Options...)
	if cfg.Role == store.BKNOffice {
		opts = append(opts, nats.CustomInboxPrefix(InboxPrefix(cfg.Instansi)))
	}
	nc, err := nats.Connect(cfg.URL, opts...)
	if err != nil {
		return nil, fmt.Errorf("NATS %s: %w", cfg.URL, err)
	}
	js, err := newJS(nc, cfg.Domain)
	if err != nil {
		nc.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, run := range runners(st, js, cfg) {
		wg.Go(func() { run(ctx) })
	}
	return func() { cancel(); wg.Wait(); nc.Close() }, nil
}

func newJS(nc *nats.Conn, domain string) (jetstream.JetStream, error) {
	if domain != "" {
		return jetstream.NewWithDomain(nc, domain)
	}
	return jetstream.New(nc)
}

// runners are the goroutines of a role: an office's relay and decisions consumer; a hub's relay
// (decisions) and its lines and documents consumers.
func runners(st *store.Store, js jetstream.JetStream, cfg Config) []func(context.Context) {
	relay := &Relay{Store: st, JS: js, Log: cfg.Log, Poll: cfg.Poll}
	if cfg.Role == store.BKNOffice {
		open := func(ctx context.Context) (jetstream.Consumer, error) {
			return js.Consumer(ctx, StreamDecisions, OfficeConsumer(cfg.Instansi))
		}
		return []func(context.Context){relay.Run, func(ctx context.Context) {
			consume(ctx, cfg.Log, cfg.Poll, OfficeConsumer(cfg.Instansi), open, applyDecision(st, cfg.Instansi, cfg.Log))
		}}
	}
	var mu sync.Mutex
	known := map[string]bool{}
	relay.Before = func(ctx context.Context, o store.BKNOut) error {
		mu.Lock()
		defer mu.Unlock()
		if known[o.Instansi] {
			return nil
		}
		if err := EnsureOfficeConsumer(ctx, js, o.Instansi); err != nil {
			return err
		}
		known[o.Instansi] = true
		return nil
	}
	opener := func(stream, durable string) func(context.Context) (jetstream.Consumer, error) {
		return func(ctx context.Context) (jetstream.Consumer, error) {
			if err := SetupHub(ctx, js, cfg.Offices); err != nil {
				return nil, err
			}
			return js.Consumer(ctx, stream, durable)
		}
	}
	return []func(context.Context){relay.Run,
		func(ctx context.Context) {
			consume(ctx, cfg.Log, cfg.Poll, ConsumerLines, opener(StreamLines, ConsumerLines), receiveLines(st))
		},
		func(ctx context.Context) {
			consume(ctx, cfg.Log, cfg.Poll, ConsumerDocs, opener(StreamDocs, ConsumerDocs), receiveDoc(st))
		}}
}
