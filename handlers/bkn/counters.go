package bkn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"pupns/store"
)

// The national figures on PUPNS_COUNTERS: an office publishes a snapshot of its instansi every
// CountersEvery and at each (re)connection; every hub keeps the latest per instansi in its bbolt
// file (consumer hub_counters); a Kanreg hub linked to BKN Pusat passes each one on there
// (consumer hub_counters_pusat, acked after Pusat's stream acked).

const (
	// ConsumerCounters is the hub's durable consumer of PUPNS_COUNTERS into its bbolt file.
	ConsumerCounters = "hub_counters"
	// ConsumerCountersPusat is a Kanreg hub's durable consumer that passes the snapshots on to Pusat.
	ConsumerCountersPusat = "hub_counters_pusat"
	// DefaultCountersEvery is how often an office publishes its counters (--counters-every).
	DefaultCountersEvery = time.Minute
	// countersBatch is how many snapshots one fetch takes, written in one transaction.
	countersBatch = 64
)

// publishCounters is an office's publisher: one snapshot at start, at every tick of
// cfg.CountersEvery and whenever the link comes back (cfg.Linked). A snapshot is replaceable, so a
// failed tick is not queued: the next tick publishes a fresh one. Only the snapshot owed to a
// (re)connection is tried again every cfg.Poll until one is acknowledged, since the hub's
// interest takes a moment to reach a leaf that has just linked.
func publishCounters(st *store.Store, js jetstream.JetStream, cfg Config) func(context.Context) {
	return func(ctx context.Context) {
		tick := time.NewTicker(cfg.CountersEvery)
		defer tick.Stop()
		look := time.NewTicker(min(cfg.Poll, 250*time.Millisecond))
		defer look.Stop()
		wasUp, owed, due := false, true, true
		var last time.Time
		for {
			up := cfg.Linked == nil || cfg.Linked()
			if up && !wasUp {
				owed = true
			}
			wasUp = up
			if up && (due || owed && time.Since(last) >= cfg.Poll) {
				last = time.Now()
				err := publishSnapshot(ctx, st, js, cfg)
				if err != nil {
					cfg.Log.Warn("bkn: angka nasional belum terkirim, dicoba lagi nanti", "err", err)
				}
				// A snapshot the office cannot take (its instansi missing from its data) waits for the
				// next tick like any failure; only a publish owed to a reconnection is tried sooner.
				due, owed = false, owed && err != nil && !errors.Is(err, errNoSnapshot)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				due = true
			case <-look.C:
			}
		}
	}
}

// errNoSnapshot marks a snapshot the office's store could not take.
var errNoSnapshot = errors.New("angka kantor tidak dapat diambil")

// publishSnapshot takes the office's snapshot and publishes it, waiting for the stream's ack.
func publishSnapshot(ctx context.Context, st *store.Store, js jetstream.JetStream, cfg Config) error {
	snap, err := st.NationalSnapshot(cfg.Instansi)
	if err != nil {
		return fmt.Errorf("%w: %w", errNoSnapshot, err)
	}
	snap.Every = cfg.CountersEvery
	data, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err = js.Publish(ctx, CountersSubject(cfg.Instansi), data)
	return err
}

// receiveCounters is a hub's consumer of PUPNS_COUNTERS: each batch is kept in one transaction
// (the store keeps only what is newer than what it holds). The first snapshot of each instansi
// since the start is logged (`angka nasional diterima`), the later ones not.
func receiveCounters(st *store.Store, js jetstream.JetStream, cfg Config) func(context.Context) {
	return func(ctx context.Context) {
		seen := map[string]bool{}
		countersLoop(ctx, js, cfg, ConsumerCounters, func(_ context.Context, snaps []store.NationalSnapshot) error {
			if _, err := st.ReceiveNationalSnapshots(snaps); err != nil {
				return err
			}
			for _, sn := range snaps {
				if !seen[sn.Instansi] {
					seen[sn.Instansi] = true
					cfg.Log.Info("angka nasional diterima", "instansi", sn.Instansi, "pns", sn.Counts[store.CountMaster])
				}
			}
			return nil
		})
	}
}

// forwardCounters is a Kanreg hub's consumer that passes each snapshot on to BKN Pusat, its
// Kanreg written in, and acknowledges it only after Pusat's stream did.
func forwardCounters(js jetstream.JetStream, cfg Config) func(context.Context) {
	return func(ctx context.Context) {
		countersLoop(ctx, js, cfg, ConsumerCountersPusat, func(ctx context.Context, snaps []store.NationalSnapshot) error {
			for _, sn := range snaps {
				sn.Kanreg = cfg.Kanreg
				data, err := json.Marshal(sn)
				if err != nil {
					return err
				}
				pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				_, err = cfg.Pusat.Publish(pctx, CountersSubject(sn.Instansi), data)
				cancel()
				if err != nil {
					return fmt.Errorf("ke BKN Pusat: %w", err)
				}
			}
			return nil
		})
	}
}

// countersLoop fetches batches from the durable consumer on PUPNS_COUNTERS and hands the decoded
// snapshots to handle: all acknowledged when it succeeds, all asked again (with back-off) when it
// fails. A message that is not a snapshot of its subject's instansi is terminated and logged.
func countersLoop(ctx context.Context, js jetstream.JetStream, cfg Config, durable string,
	handle func(context.Context, []store.NationalSnapshot) error) {
	wait := backoff{min: cfg.Poll, max: 10 * time.Second}
	var cons jetstream.Consumer
	for ctx.Err() == nil {
		if cons == nil {
			c, err := countersConsumer(ctx, js, durable)
			if err != nil {
				sleep(ctx, wait.next())
				continue
			}
			cons = c
		}
		batch, err := cons.Fetch(countersBatch, jetstream.FetchMaxWait(fetchWait))
		if err != nil {
			cons = nil
			sleep(ctx, wait.next())
			continue
		}
		var msgs []jetstream.Msg
		var snaps []store.NationalSnapshot
		for m := range batch.Messages() {
			sn, err := decodeSnapshot(m)
			if err != nil {
				cfg.Log.Error("bkn: pesan ditolak", "consumer", durable, "subject", m.Subject(), "err", err)
				_ = m.Term()
				continue
			}
			msgs, snaps = append(msgs, m), append(snaps, sn)
		}
		if len(snaps) == 0 {
			continue
		}
		if err := handle(ctx, snaps); err != nil {
			cfg.Log.Warn("bkn: angka nasional akan dicoba lagi", "consumer", durable, "err", err, "retry", wait.cur)
			for _, m := range msgs {
				_ = m.NakWithDelay(wait.min)
			}
			sleep(ctx, wait.next())
			continue
		}
		for _, m := range msgs {
			_ = m.Ack() // lost: the redelivery is dropped as not newer
		}
		wait.reset()
	}
}

// decodeSnapshot reads a snapshot and checks it names its subject's instansi.
func decodeSnapshot(m jetstream.Msg) (store.NationalSnapshot, error) {
	var sn store.NationalSnapshot
	if err := json.Unmarshal(m.Data(), &sn); err != nil {
		return sn, fmt.Errorf("%w: %v", errPermanent, err)
	}
	if sn.Instansi != instansiOf(m.Subject()) || CheckInstansi(sn.Instansi) != nil || sn.Taken.IsZero() {
		return sn, fmt.Errorf("%w: angka instansi %q di subjek %s", errPermanent, sn.Instansi, m.Subject())
	}
	return sn, nil
}

// countersConsumer creates (or keeps) a hub's durable consumer of PUPNS_COUNTERS.
func countersConsumer(ctx context.Context, js jetstream.JetStream, durable string) (jetstream.Consumer, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var c jetstream.Consumer
	err := admin(func() (err error) {
		c, err = js.CreateOrUpdateConsumer(ctx, StreamCounters, jetstream.ConsumerConfig{Durable: durable,
			AckPolicy: jetstream.AckExplicitPolicy, AckWait: 30 * time.Second, MaxDeliver: -1,
			DeliverPolicy: jetstream.DeliverAllPolicy})
		return err
	})
	return c, err
}

// KanregPermissions are what Kanreg hub k's link may do at BKN Pusat: publish the counters of the
// instansi Pusat registered for it (`pupns bkn kanreg`), and receive the stream's acks on its own
// inbox prefix. Nothing else: no lines, documents, decisions or JetStream API.
func KanregPermissions(user string, instansi []string) *server.Permissions {
	var pub []string
	for _, id := range instansi {
		pub = append(pub, CountersSubject(id))
	}
	return &server.Permissions{
		Publish:   &server.SubjectPermission{Allow: pub},
		Subscribe: &server.SubjectPermission{Allow: []string{InboxPrefix(user) + ".>"}},
	}
}
