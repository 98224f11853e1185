package bkn_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pupns/handlers/bkn"
	"pupns/store"
	"pupns/store/storetest"
)

// TestCrashAfterAckPublishesOnce: an office crashed after the stream acknowledged its lines but
// before the outbox row was removed. When it starts again its relay publishes the row again; the
// stream drops it as a duplicate (one message in PUPNS_LINES), the row goes, and the hub has the
// submission once.
func TestCrashAfterAckPublishesOnce(t *testing.T) {
	hs := startHubServer(t)
	hub := storetest.Open(t, t.TempDir(), storetest.NewClock(storetest.Start, 0))
	link(t, hub, bkn.Config{Role: store.BKNRoleKanreg, Kanreg: "I", URL: hs.url(), Offices: []string{"P33"}})
	off := storetest.NewOffice(t)
	must(t, off.Store.SetBKNLink(store.BKNLink{Role: store.BKNRoleOffice}))
	toBKN(t, off.Store, storetest.NIPBudi, "Budi Susanto", v1P33, v2P33)
	rows, err := off.Store.BKNOutbox(0, 10)
	must(t, err)
	if len(rows) != 1 {
		t.Fatalf("outbox rows = %d, want 1", len(rows))
	}

	// What the relay did before the crash: the documents and the lines, acknowledged.
	nc, err := nats.Connect(hs.url())
	must(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	must(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // spans the eventually waits below (a minute each at most)
	defer cancel()
	eventually(t, "the hub's streams", func() bool { _, err := js.Stream(ctx, bkn.StreamLines); return err == nil })
	for _, d := range rows[0].Docs {
		data, err := off.Store.BKNDocument(d)
		must(t, err)
		meta, _ := json.Marshal(d)
		m := nats.NewMsg(bkn.DocsSubject("P33"))
		m.Header.Set(bkn.HeaderDoc, string(meta))
		m.Data = data
		_, err = js.PublishMsg(ctx, m, jetstream.WithMsgID(d.SHA256))
		must(t, err)
	}
	m := nats.NewMsg(bkn.LinesSubject("P33"))
	m.Data = rows[0].Body
	ack, err := js.PublishMsg(ctx, m, jetstream.WithMsgID(rows[0].MsgID))
	must(t, err)
	if ack.Duplicate {
		t.Fatal("the first publication was taken for a duplicate")
	}

	link(t, off.Store, bkn.Config{Instansi: "P33", URL: hs.url()}) // the office starts again
	eventually(t, "the outbox row removed", func() bool { n, _ := off.Store.BKNOutboxLen(); return n == 0 })
	eventually(t, "the submission at the hub", func() bool { return len(hubInbox(t, hub)) == 1 })
	s, err := js.Stream(ctx, bkn.StreamLines)
	must(t, err)
	info, err := s.Info(ctx)
	must(t, err)
	if info.State.Msgs != 1 {
		t.Fatalf("PUPNS_LINES holds %d messages, want 1", info.State.Msgs)
	}
}
