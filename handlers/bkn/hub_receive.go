package bkn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"pupns/store"
)

// The hub's batched receipt: its lines and documents consumers write a fetched batch in one store
// transaction (one fsync), so the hub's rate is not the disk's fsync rate, and acknowledge each
// message after that commit. A message the store's rules keep out of the batch is settled on its
// own: terminated when refused for good, asked again when it waits for its documents.
const (
	// linesBatch is the most lines messages one transaction receives.
	linesBatch = 256
	// docsBatch and docsBatchBytes bound a batch of documents (they carry the bytes).
	docsBatch      = 16
	docsBatchBytes = 16 << 20
)

// perMessage makes the hub receive one message per transaction, as before batching: the
// benchmark's baseline (set through export_test.go).
var perMessage atomic.Bool

// commitHook, when set (the benchmark), is told after each commit of the hub's consumers what it
// held: "lines" with the message ids committed, or "docs".
var commitHook atomic.Pointer[func(kind string, ids []string)]

func tellCommit(kind string, ids []string) {
	if f := commitHook.Load(); f != nil {
		(*f)(kind, ids)
	}
}

// consumeLines runs the hub's consumer of PUPNS_LINES.
func consumeLines(ctx context.Context, st *store.Store, log *slog.Logger, poll time.Duration,
	open func(context.Context) (jetstream.Consumer, error)) {
	if perMessage.Load() {
		consume(ctx, log, poll, ConsumerLines, open, receiveLines(st))
		return
	}
	consumeBatch(ctx, log, poll, ConsumerLines, linesBatch, open, receiveLinesBatch(st))
}

// consumeDocs runs the hub's consumer of PUPNS_DOCS.
func consumeDocs(ctx context.Context, st *store.Store, log *slog.Logger, poll time.Duration,
	open func(context.Context) (jetstream.Consumer, error)) {
	if perMessage.Load() {
		consume(ctx, log, poll, ConsumerDocs, open, receiveDoc(st))
		return
	}
	consumeBatch(ctx, log, poll, ConsumerDocs, docsBatch, open, receiveDocsBatch(st))
}

// decodeLines reads a lines message; a body that does not decode or whose message id is not the
// header's is refused for good.
func decodeLines(m jetstream.Msg) (store.BKNLines, error) {
	var l store.BKNLines
	if err := json.Unmarshal(m.Data(), &l); err != nil {
		return l, fmt.Errorf("%w: %v", errPermanent, err)
	}
	if id := m.Headers().Get(jetstream.MsgIDHeader); id != l.MsgID {
		return l, fmt.Errorf("%w: id pesan %q, isi %q", errPermanent, id, l.MsgID)
	}
	return l, nil
}

// receiveLinesBatch is the hub's batched handler of the offices' lines: the batch in one
// transaction, each message settled after it; the messages waiting for their documents (which
// travel on their own stream and consumer) are tried again, as a smaller batch, for up to docWait
// before they are asked for again later. Meanwhile no later message is fetched: an office's order
// holds (the store keeps an office's later messages out while an earlier one waits).
func receiveLinesBatch(st *store.Store) func([]jetstream.Msg, func(int, error)) {
	return func(ms []jetstream.Msg, done func(int, error)) {
		var items []store.BKNIncoming
		var idx []int
		decoded, errs := decodeAll(ms)
		for i, m := range ms {
			if errs[i] != nil {
				done(i, errs[i])
				continue
			}
			items, idx = append(items, store.BKNIncoming{Subject: instansiOf(m.Subject()), Lines: decoded[i]}), append(idx, i)
		}
		wake, deadline := docsWake(st), time.Now().Add(docWait)
		for len(items) > 0 {
			got, err := st.ReceiveBKNLinesBatch(items)
			if err != nil {
				for _, i := range idx {
					done(i, err)
				}
				return
			}
			var waitItems []store.BKNIncoming
			var ids []string
			var waitAt []int
			for j, r := range got {
				if isDocMissing(r.Err) && time.Now().Before(deadline) {
					waitItems, waitAt = append(waitItems, items[j]), append(waitAt, idx[j])
					continue
				}
				if r.Err == nil {
					ids = append(ids, items[j].Lines.MsgID)
				}
				done(idx[j], r.Err)
			}
			tellCommit("lines", ids)
			if items, idx = waitItems, waitAt; len(items) > 0 {
				waitDocs(wake) // never after the last round: the next fetch goes at once
			}
		}
	}
}

// receiveDocsBatch is the hub's batched handler of the offices' documents: consecutive documents
// up to docsBatchBytes in one transaction, each checked against its hash (a mismatch is refused
// for good and the others stored).
func receiveDocsBatch(st *store.Store) func([]jetstream.Msg, func(int, error)) {
	return func(ms []jetstream.Msg, done func(int, error)) {
		var items []store.BKNIncomingDoc
		var idx []int
		size := 0
		flush := func() {
			if len(items) == 0 {
				return
			}
			errs, err := st.ReceiveBKNDocs(items)
			for j, i := range idx {
				if err != nil {
					done(i, err)
				} else {
					done(i, errs[j])
				}
			}
			if err == nil {
				tellCommit("docs", nil)
				select {
				case docsWake(st) <- struct{}{}:
				default: // a wake-up is already pending
				}
			}
			items, idx, size = nil, nil, 0
		}
		for i, m := range ms {
			d, err := decodeDoc(m)
			if err != nil {
				done(i, err)
				continue
			}
			if size+len(m.Data()) > docsBatchBytes {
				flush()
			}
			items, idx, size = append(items, store.BKNIncomingDoc{Doc: d, Data: m.Data()}), append(idx, i), size+len(m.Data())
		}
		flush()
	}
}

func isDocMissing(err error) bool { return errors.Is(err, store.ErrBKNDocMissing) }

// docWakes holds, per hub store, the channel its documents consumer signals after each commit: a
// lines message waiting for its document is tried again at once instead of after a poll.
var docWakes sync.Map // *store.Store -> chan struct{}

func docsWake(st *store.Store) chan struct{} {
	ch, _ := docWakes.LoadOrStore(st, make(chan struct{}, 1))
	return ch.(chan struct{})
}

// waitDocs waits for a documents commit, or 20 ms (a document committed by another path).
func waitDocs(wake <-chan struct{}) {
	t := time.NewTimer(20 * time.Millisecond)
	defer t.Stop()
	select {
	case <-wake:
	case <-t.C:
	}
}

// decodeAll decodes a batch's messages on every core: decoding is a third of the lines consumer's
// CPU, and the transaction that follows is single-threaded.
func decodeAll(ms []jetstream.Msg) ([]store.BKNLines, []error) {
	out, errs := make([]store.BKNLines, len(ms)), make([]error, len(ms))
	workers := min(runtime.GOMAXPROCS(0), (len(ms)+31)/32)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(ms); i += workers {
				out[i], errs[i] = decodeLines(ms[i])
			}
		})
	}
	wg.Wait()
	return out, errs
}
