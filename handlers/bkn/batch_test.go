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
	off := storetest.NewOffice(t, storetest.With(seedDIY))
	must(t, off.Store.SetBKNLink(store.BKNLink{Role: store.BKNRoleOffice}))
	toBKN(t, off.Store, storetest.NIPBudi, "Budi Susanto", v1P33, v2P33)
	toBKN(t, off.Store, storetest.NIPSri, "Sri Wahyuni Lestari", v1P33, v2P33)
	toBKN(t, off.Store, nipRudi, "Rudi Hartanto", v1P34, v2P34)
	toBKN(t, off.Store, storetest.NIPMade, "Made Wirawan Putra", v1Dinkes, v2P33)
	rows, err := off.Store.BKNOutbox(0, 10)
	must(t, err)
	budi, sri, rudi, made := rows[0], rows[1], rows[2], rows[3]
	for _, d := range made.Docs {
		data, err := off.Store.BKNDocument(d)
		must(t, err)
		must(t, hub.ReceiveBKNDoc(d, data))
	}

	// Budi's lines were committed at the hub, and the hub crashed before its ack.
	for _, d := range budi.Docs {
		data, err := off.Store.BKNDocument(d)
		must(t, err)
		must(t, hub.ReceiveBKNDoc(d, data))
	}
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
	publish := func(subject string, o store.BKNOut) {
		m := nats.NewMsg(subject)
		m.Data = o.Body
		_, err := js.PublishMsg(ctx, m, jetstream.WithMsgID(o.MsgID))
		must(t, err)
	}
	publish(bkn.LinesSubject("P33"), budi)
	publish(bkn.LinesSubject("P33"), rudi) // P34's lines on P33's subject
	publish(bkn.LinesSubject("P33"), sri)  // its documents are not there yet
	publish(bkn.LinesSubject("P33"), made) // ready, but after Sri's in P33's order

	var mu sync.Mutex
	var commits [][]string
	defer bkn.SetCommitHook(func(kind string, ids []string) {
		mu.Lock()
		defer mu.Unlock()
		if kind == "lines" {
			commits = append(commits, ids)
		}
	})()
	link(t, hub, bkn.Config{Role: store.BKNRoleKanreg, Kanreg: "I", URL: hs.url(), Offices: []string{"P33", "P34"}})

	cons, err := js.Consumer(ctx, bkn.StreamLines, bkn.ConsumerLines)
	must(t, err)
	eventually(t, "Sri's lines asked for again and redelivered", func() bool {
		info, err := cons.Info(ctx)
		return err == nil && info.NumRedelivered >= 1
	})
	mu.Lock()
	if len(commits) == 0 || !slices.Equal(commits[0], []string{budi.MsgID}) {
		t.Fatalf("first commit %v, want only Budi's (received before)", commits)
	}
	mu.Unlock()
	if _, err := terminated.NextMsg(5 * time.Second); err != nil {
		t.Fatalf("the refused message was not terminated: %v", err)
	}
	if n := len(hubInbox(t, hub)); n != 1 {
		t.Fatalf("hub inbox holds %d, want Budi's only (Made's waits behind Sri's)", n)
	}

	for _, d := range sri.Docs {
		data, err := off.Store.BKNDocument(d)
		must(t, err)
		meta, _ := json.Marshal(d)
		dm := nats.NewMsg(bkn.DocsSubject("P33"))
		dm.Header.Set(bkn.HeaderDoc, string(meta))
		dm.Data = data
		_, err = js.PublishMsg(ctx, dm, jetstream.WithMsgID(d.SHA256))
		must(t, err)
	}
	eventually(t, "Sri's and Made's lines at the hub", func() bool { return len(hubInbox(t, hub)) == 3 })
	mu.Lock()
	at := map[string]int{}
	for i, ids := range commits {
		for _, id := range ids {
			at[id] = i
		}
	}
	mu.Unlock()
	if at[sri.MsgID] > at[made.MsgID] {
		t.Fatalf("Made's lines committed before Sri's, the earlier of the same office: %v", commits)
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
