package bkn_test

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pupns/handlers/bkn"
	"pupns/store"
	"pupns/store/storetest"
)

var v1Dinkes = store.Actor{Login: storetest.LoginV1Dinkes, Role: store.RoleV1, ScopeID: "U02"}

// TestHubReceivesABatch: the hub's lines consumer finds, in one fetch, a message it had committed
// before a crash kept it from acknowledging (redelivered), a message refused for good (P34's lines
// on P33's subject) and a message whose documents have not arrived. One commit holds the first (a
// no-op: the hub has it once), the refused one is terminated (JetStream's advisory), the waiting
// one is asked again and redelivered, and taken once its documents arrive; a later message of the
// same office, ready, waits behind it (an office's order holds).
func TestHubReceivesABatch(t *testing.T) {
	hs := startHubServer(t)
	hub := storetest.Open(t, t.TempDir(), storetest.NewClock(storetest.Start, 0))
	must(t, hub.SetBKNLink(store.BKNLink{Role: store.BKNRoleKanreg, Kanreg: "I"}))
	off, rows := fourToBKN(t)
	budi, sri, rudi, made := rows[0], rows[1], rows[2], rows[3]
	handDocs(t, off.Store, made, func(d store.BKNDoc, data []byte) { must(t, hub.ReceiveBKNDoc(d, data)) })

	// Budi's lines were committed at the hub, and the hub crashed before its ack.
	handDocs(t, off.Store, budi, func(d store.BKNDoc, data []byte) { must(t, hub.ReceiveBKNDoc(d, data)) })
	var m store.BKNLines
	must(t, json.Unmarshal(budi.Body, &m))
	budiID, err := hub.ReceiveBKNLines("P33", m)
	must(t, err)

	nc, err := nats.Connect(hs.url())
	must(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	must(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	must(t, bkn.SetupHub(ctx, js, bkn.StreamsConfig{}, []string{"P33", "P34"}))
	terminated, err := nc.SubscribeSync("$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.>")
	must(t, err)
	// On P33's subject: Budi's; Rudi's (P34's lines: refused); Sri's (its documents are not there
	// yet); Made's (ready, but after Sri's in P33's order).
	for _, o := range []store.BKNOut{budi, rudi, sri, made} {
		_, err := js.PublishMsg(ctx, &nats.Msg{Subject: bkn.LinesSubject("P33"), Data: o.Body}, jetstream.WithMsgID(o.MsgID))
		must(t, err)
	}

	var log commitLog
	defer bkn.SetCommitHook(log.hook)()
	link(t, hub, bkn.Config{Role: store.BKNRoleKanreg, Kanreg: "I", URL: hs.url(), Offices: []string{"P33", "P34"}})

	cons, err := js.Consumer(ctx, bkn.StreamLines, bkn.ConsumerLines)
	must(t, err)
	eventually(t, "Sri's lines asked for again and redelivered", func() bool {
		info, err := cons.Info(ctx)
		return err == nil && info.NumRedelivered >= 1
	})
	if c := log.all(); len(c) == 0 || !slices.Equal(c[0], []string{budi.MsgID}) {
		t.Fatalf("first commit %v, want only Budi's (received before)", c)
	}
	if _, err := terminated.NextMsg(5 * time.Second); err != nil {
		t.Fatalf("the refused message was not terminated: %v", err)
	}
	if n := len(hubInbox(t, hub)); n != 1 {
		t.Fatalf("hub inbox holds %d, want Budi's only (Made's waits behind Sri's)", n)
	}

	handDocs(t, off.Store, sri, func(d store.BKNDoc, data []byte) {
		meta, _ := json.Marshal(d)
		dm := nats.NewMsg(bkn.DocsSubject("P33"))
		dm.Header.Set(bkn.HeaderDoc, string(meta))
		dm.Data = data
		_, err := js.PublishMsg(ctx, dm, jetstream.WithMsgID(d.SHA256))
		must(t, err)
	})
	eventually(t, "Sri's and Made's lines at the hub", func() bool { return len(hubInbox(t, hub)) == 3 })
	if log.at(sri.MsgID) > log.at(made.MsgID) {
		t.Fatalf("Made's lines committed before Sri's, the earlier of the same office: %v", log.all())
	}
	eventually(t, "every message settled", func() bool {
		info, err := cons.Info(ctx)
		return err == nil && info.NumAckPending == 0 && info.NumPending == 0
	})
	for _, it := range hubInbox(t, hub) {
		if it.NIP == nipRudi {
			t.Fatal("the refused message reached the inbox")
		}
		if it.NIP == storetest.NIPBudi && it.ID != budiID {
			t.Fatalf("Budi's lines made a second submission #%d (first #%d)", it.ID, budiID)
		}
	}
}

// fourToBKN sends Budi's, Sri's (P33), Rudi's (P34) and Made's (P33) names to BKN from one office
// holding both instansi: its outbox rows, in that order.
func fourToBKN(t *testing.T) (*storetest.Office, []store.BKNOut) {
	t.Helper()
	off := storetest.NewOffice(t, storetest.With(seedDIY))
	must(t, off.Store.SetBKNLink(store.BKNLink{Role: store.BKNRoleOffice}))
	toBKN(t, off.Store, storetest.NIPBudi, "Budi Susanto", v1P33, v2P33)
	toBKN(t, off.Store, storetest.NIPSri, "Sri Wahyuni Lestari", v1P33, v2P33)
	toBKN(t, off.Store, nipRudi, "Rudi Hartanto", v1P34, v2P34)
	toBKN(t, off.Store, storetest.NIPMade, "Made Wirawan Putra", v1Dinkes, v2P33)
	rows, err := off.Store.BKNOutbox(0, 10)
	must(t, err)
	if len(rows) != 4 {
		t.Fatalf("outbox rows = %d, want 4", len(rows))
	}
	return off, rows
}

// handDocs hands each document of an outbox row, with its bytes, to give.
func handDocs(t *testing.T, st *store.Store, o store.BKNOut, give func(store.BKNDoc, []byte)) {
	t.Helper()
	for _, d := range o.Docs {
		data, err := st.BKNDocument(d)
		must(t, err)
		give(d, data)
	}
}

// commitLog records the message ids of the hub's lines commits (bkn.SetCommitHook).
type commitLog struct {
	mu      sync.Mutex
	commits [][]string
}

func (c *commitLog) hook(kind string, ids []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if kind == "lines" {
		c.commits = append(c.commits, ids)
	}
}

func (c *commitLog) all() [][]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.commits)
}

// at is the index of the commit that held message id; -1 if none did.
func (c *commitLog) at(id string) int {
	for i, ids := range c.all() {
		if slices.Contains(ids, id) {
			return i
		}
	}
	return -1
}
