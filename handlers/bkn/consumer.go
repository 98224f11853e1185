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
	wait := backoff{min: poll, max: 10 * time.Second}
	var cons jetstream.Consumer
	for ctx.Err() == nil {
		var err error
		if cons == nil {
			if cons, err = open(ctx); err != nil {
				cons = nil
				log.Warn("bkn: konsumen belum tersedia", "consumer", name, "err", err)
				sleep(ctx, wait.next())
				continue
			}
		}
		batch, err := cons.Fetch(16, jetstream.FetchMaxWait(fetchWait))
		if err != nil {
			cons = nil // opened again: a hub whose JetStream folder was lost makes its streams again
			sleep(ctx, wait.next())
			continue
		}
		for m := range batch.Messages() {
			settle(log, name, m, handle(m))
		}
		if err := batch.Error(); err != nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, jetstream.ErrNoMessages) {
			sleep(ctx, wait.next())
			continue
		}
		wait.reset()
	}
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

// receiveLines is the hub's handler of an office's lines.
func receiveLines(st *store.Store) func(jetstream.Msg) error {
	return func(m jetstream.Msg) error {
		var l store.BKNLines
		if err := json.Unmarshal(m.Data(), &l); err != nil {
			return fmt.Errorf("%w: %v", errPermanent, err)
		}
		if id := m.Headers().Get(jetstream.MsgIDHeader); id != l.MsgID {
			return fmt.Errorf("%w: id pesan %q, isi %q", errPermanent, id, l.MsgID)
		}
		// The documents travel on their own stream and consumer: wait for them a little here, in
		// order, before asking for the message again later.
		for deadline := time.Now().Add(docWait); ; time.Sleep(10 * time.Millisecond) {
			_, err := st.ReceiveBKNLines(instansiOf(m.Subject()), l)
			if !errors.Is(err, store.ErrBKNDocMissing) || time.Now().After(deadline) {
				return err
			}
		}
	}
}

// docWait is how long the lines consumer waits for a submission's documents before it asks for
// the message again (after 0.5 s).
const docWait = 2 * time.Second

// receiveDoc is the hub's handler of an office's document: its hash is checked by the store.
func receiveDoc(st *store.Store) func(jetstream.Msg) error {
	return func(m jetstream.Msg) error {
		var d store.BKNDoc
		if err := json.Unmarshal([]byte(m.Headers().Get(HeaderDoc)), &d); err != nil {
			return fmt.Errorf("%w: %v", errPermanent, err)
		}
		if id := m.Headers().Get(jetstream.MsgIDHeader); id != d.SHA256 {
			return fmt.Errorf("%w: id pesan %q bukan hash dokumen", errPermanent, id)
		}
		return st.ReceiveBKNDoc(d, m.Data())
	}
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
