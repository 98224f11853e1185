package bkn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"pupns/store"
)

// fetchWait is how long one fetch waits for messages (it returns at once when one arrives): the
// most a stop waits for a consumer.
const fetchWait = time.Second

// errPermanent marks a message that can never be applied (undecodable, refused by the store): it
// is terminated and logged, never redelivered.
var errPermanent = errors.New("pesan tidak dapat diterapkan")

// consume fetches from a durable consumer until ctx ends: each message is handled (its store
// write committed) before it is acknowledged. A message waiting for something (a document not yet
// arrived, a store error) is asked again after a delay; a permanent refusal is terminated.
func consume(ctx context.Context, log *slog.Logger, poll time.Duration, name string,
	open func(context.Context) (jetstream.Consumer, error), handle func(jetstream.Msg) error) {
	consumeBatch(ctx, log, poll, name, 16, open, func(ms []jetstream.Msg, done func(int, error)) {
		for i, m := range ms {
			done(i, handle(m))
		}
	})
}

// consumeBatch is consume for a handler of a whole fetched batch (up to max messages): the handler
// calls done once for each message, after the commit that holds it, and done settles it (settle).
func consumeBatch(ctx context.Context, log *slog.Logger, poll time.Duration, name string, max int,
	open func(context.Context) (jetstream.Consumer, error), handle func(ms []jetstream.Msg, done func(int, error))) {
	wait := backoff{min: poll, max: 10 * time.Second}
	var cons jetstream.Consumer
	for ctx.Err() == nil {
		if cons == nil {
			var err error
			if cons, err = open(ctx); err != nil {
				cons = nil
				log.Warn("bkn: konsumen belum tersedia", "consumer", name, "err", err)
				sleep(ctx, wait.next())
				continue
			}
		}
		msgs, reopen, err := fetchBatch(cons, max)
		if len(msgs) > 0 {
			settled := make([]bool, len(msgs))
			handle(msgs, func(i int, err error) {
				if !settled[i] {
					settled[i] = true
					settle(log, name, msgs[i], err)
				}
			})
		}
		if err != nil {
			if reopen {
				cons = nil // opened again: a hub whose JetStream folder was lost makes its streams again
			}
			sleep(ctx, wait.next())
			continue
		}
		wait.reset()
	}
}

// fetchBatch waits up to fetchWait for a first message, then takes what else is waiting, up to
// max in all, without waiting for more: under load a batch is what arrived while the previous one
// was being committed, and a lone message is never held back to fill a batch. reopen says the
// consumer itself failed (open it again).
func fetchBatch(cons jetstream.Consumer, max int) (msgs []jetstream.Msg, reopen bool, err error) {
	first, err := cons.Fetch(1, jetstream.FetchMaxWait(fetchWait))
	if err != nil {
		return nil, true, err
	}
	for m := range first.Messages() {
		msgs = append(msgs, m)
	}
	if err := first.Error(); err != nil && !quietFetch(err) {
		return msgs, false, err
	}
	if len(msgs) == 0 || max <= 1 {
		return msgs, false, nil
	}
	rest, err := cons.FetchNoWait(max - len(msgs))
	if err != nil {
		return msgs, true, err
	}
	for m := range rest.Messages() {
		msgs = append(msgs, m)
	}
	if err := rest.Error(); err != nil && !quietFetch(err) {
		return msgs, false, err
	}
	return msgs, false, nil
}

// quietFetch tells a fetch that ended for lack of messages from one that failed.
func quietFetch(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, jetstream.ErrNoMessages)
}

// settle acknowledges, asks again or terminates a handled message.
func settle(log *slog.Logger, name string, m jetstream.Msg, err error) {
	switch {
	case err == nil:
		_ = m.Ack() // lost: the redelivery is a no-op (idempotent by message id)
	case errors.Is(err, errPermanent) || errors.Is(err, store.ErrBKNRefused) || errors.Is(err, store.ErrBKNHash):
		log.Error("bkn: pesan ditolak", "consumer", name, "subject", m.Subject(), "err", err)
		_ = m.Term()
	default:
		if !errors.Is(err, store.ErrBKNDocMissing) {
			log.Warn("bkn: pesan akan dicoba lagi", "consumer", name, "subject", m.Subject(), "err", err)
		}
		_ = m.NakWithDelay(500 * time.Millisecond)
	}
}

// instansiOf is the instansi token of a subject "pupns.<kind>.<instansi>".
func instansiOf(subject string) string { return subject[strings.LastIndexByte(subject, '.')+1:] }

// receiveLines is the hub's handler of an office's lines, one transaction per message (the path
// before batching: the benchmark's baseline, perMessage).
func receiveLines(st *store.Store) func(jetstream.Msg) error {
	return func(m jetstream.Msg) error {
		l, err := decodeLines(m)
		if err != nil {
			return err
		}
		// The documents travel on their own stream and consumer: wait for them a little here, in
		// order, before asking for the message again later.
		for deadline := time.Now().Add(docWait); ; time.Sleep(10 * time.Millisecond) {
			_, err := st.ReceiveBKNLines(instansiOf(m.Subject()), l)
			if err == nil {
				tellCommit("lines", []string{l.MsgID})
			}
			if !errors.Is(err, store.ErrBKNDocMissing) || time.Now().After(deadline) {
				return err
			}
		}
	}
}

// docWait is how long the lines consumer waits for a submission's documents before it asks for
// the message again (after 0.5 s).
const docWait = 2 * time.Second

// receiveDoc is the hub's handler of an office's document, one transaction per document (the
// baseline's): its hash is checked by the store.
func receiveDoc(st *store.Store) func(jetstream.Msg) error {
	return func(m jetstream.Msg) error {
		d, err := decodeDoc(m)
		if err != nil {
			return err
		}
		if err := st.ReceiveBKNDoc(d, m.Data()); err != nil {
			return err
		}
		tellCommit("docs", nil)
		return nil
	}
}

// decodeDoc reads a document's metadata from its message's header; its message id must be its hash.
func decodeDoc(m jetstream.Msg) (store.BKNDoc, error) {
	var d store.BKNDoc
	if err := json.Unmarshal([]byte(m.Headers().Get(HeaderDoc)), &d); err != nil {
		return d, fmt.Errorf("%w: %v", errPermanent, err)
	}
	if id := m.Headers().Get(jetstream.MsgIDHeader); id != d.SHA256 {
		return d, fmt.Errorf("%w: id pesan %q bukan hash dokumen", errPermanent, id)
	}
	return d, nil
}

// applyDecision is an office's handler of its hub's decisions.
func applyDecision(st *store.Store, instansi string, log *slog.Logger) func(jetstream.Msg) error {
	return func(m jetstream.Msg) error {
		var d store.BKNDecision
		if err := json.Unmarshal(m.Data(), &d); err != nil {
			return fmt.Errorf("%w: %v", errPermanent, err)
		}
		if d.Instansi != instansi || instansiOf(m.Subject()) != instansi {
			return fmt.Errorf("%w: putusan untuk instansi %s", errPermanent, d.Instansi)
		}
		applied, err := st.ApplyBKNDecision(d)
		if err == nil && !applied {
			log.Info("bkn: putusan sudah diterapkan atau tidak berlaku lagi", "id", d.ID)
		}
		return err
	}
}
