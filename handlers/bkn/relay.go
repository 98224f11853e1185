package bkn

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pupns/store"
)

// Relay publishes the store's bkn_outbox in sequence order: each row (an office's lines after
// their documents, or a hub's decisions) with its message id, and removes the row only after the
// stream acknowledged it. A failure backs off and tries the same row again: nothing is skipped or
// dropped, and a row published twice (a crash between the ack and the removal) is dropped by the
// stream's duplicate window.
type Relay struct {
	Store *store.Store
	JS    jetstream.JetStream
	Log   *slog.Logger
	Poll  time.Duration // idle wait between looks at an empty outbox
}

// Run relays until ctx ends.
func (r *Relay) Run(ctx context.Context) {
	wait := backoff{min: r.Poll, max: 10 * time.Second}
	wake := r.Store.BKNWake()
	for ctx.Err() == nil {
		rows, err := r.Store.BKNOutbox(0, 32)
		if err == nil && len(rows) == 0 {
			idle(ctx, wake, r.Poll)
			continue
		}
		for _, o := range rows {
			if err = r.publish(ctx, o); err != nil {
				break
			}
		}
		if err != nil {
			r.Log.Warn("bkn: relay menunggu koneksi", "err", err, "retry", wait.cur)
			sleep(ctx, wait.next())
			continue
		}
		wait.reset()
	}
}

// publish sends one row and removes it once acknowledged.
func (r *Relay) publish(ctx context.Context, o store.BKNOut) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	for _, d := range o.Docs {
		data, err := r.Store.BKNDocument(d)
		if err != nil {
			return err
		}
		meta, err := json.Marshal(d)
		if err != nil {
			return err
		}
		m := nats.NewMsg(DocsSubject(o.Instansi))
		m.Header.Set(HeaderDoc, string(meta))
		m.Data = data
		if _, err := r.JS.PublishMsg(ctx, m, jetstream.WithMsgID(d.SHA256)); err != nil {
			return fmt.Errorf("dokumen %s: %w", d.SHA256, err)
		}
	}
	subject := LinesSubject(o.Instansi)
	if o.Kind == store.BKNKindDecision {
		subject = DecisionsSubject(o.Instansi)
	}
	m := nats.NewMsg(subject)
	m.Data = o.Body
	if _, err := r.JS.PublishMsg(ctx, m, jetstream.WithMsgID(o.MsgID)); err != nil {
		return fmt.Errorf("%s: %w", o.MsgID, err)
	}
	return r.Store.BKNAcked(o.Seq)
}

// backoff doubles a wait from min up to max.
type backoff struct{ min, max, cur time.Duration }

func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	}
	d := b.cur
	b.cur = min(2*b.cur, b.max)
	return d
}

func (b *backoff) reset() { b.cur = 0 }

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// idle waits until the store says a row was added, d passed, or ctx ends.
func idle(ctx context.Context, wake <-chan struct{}, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-wake:
	case <-t.C:
	}
}
