package store_test

import (
	"errors"
	"testing"

	"pupns/store"
)

// TestBKNHubReceivesBatch: one batch holding a message, its duplicate, a refused message, a message
// whose document has not arrived and a later message of the same office commits the first once,
// reports the refused one, and leaves the waiting one and the one behind it out (ask again); the
// redelivered batch after a crash between the commit and the acks changes nothing already in, and
// takes the rest once its turn comes.
func TestBKNHubReceivesBatch(t *testing.T) {
	f, rows := bknOffice(t)
	hub := newHub(t)
	deliverDocs(t, f.s, hub, rows[0])
	m0, m1 := linesOf(t, rows[0]), linesOf(t, rows[1])
	refused := m1
	refused.Unit.ID = ""
	waiting := m1
	waiting.Docs = append([]store.BKNDoc(nil), m1.Docs...)
	waiting.Docs[0].SHA256 = "0000000000000000000000000000000000000000000000000000000000000000"
	in := func(ms ...store.BKNLines) []store.BKNIncoming {
		var out []store.BKNIncoming
		for _, m := range ms {
			out = append(out, store.BKNIncoming{Subject: "P33", Lines: m})
		}
		return out
	}
	got, err := hub.ReceiveBKNLinesBatch(in(m0, m0, refused, waiting, m1))
	fxMust(t, err)
	want := []error{nil, nil, store.ErrBKNRefused, store.ErrBKNDocMissing, store.ErrBKNDocMissing}
	for i, w := range want {
		if (w == nil) != (got[i].Err == nil) || (w != nil && !errors.Is(got[i].Err, w)) {
			t.Fatalf("message %d: %v, want %v", i, got[i].Err, w)
		}
	}
	if got[0].HubID == 0 || got[1].HubID != got[0].HubID {
		t.Fatalf("hub ids %d, %d: want one submission for the message and its duplicate", got[0].HubID, got[1].HubID)
	}
	wantInbox(t, hub, f.v3, 1)

	// The acks were lost: the whole batch comes again, with the documents now there.
	again, err := hub.ReceiveBKNLinesBatch(in(m0, m1))
	fxMust(t, err)
	if again[0].Err != nil || again[0].HubID != got[0].HubID || again[1].Err != nil || again[1].HubID == 0 {
		t.Fatalf("redelivery: %+v", again)
	}
	wantInbox(t, hub, f.v3, 2)
	once, err := hub.ReceiveBKNLinesBatch(in(m1))
	fxMust(t, err)
	if once[0].HubID != again[1].HubID {
		t.Fatalf("a second delivery of a committed message made #%d, not #%d", once[0].HubID, again[1].HubID)
	}
	wantInbox(t, hub, f.v3, 2)
}

// TestBKNHubReceivesDocsBatch: a batch of documents stores the good ones in one transaction and
// leaves out the one whose bytes do not match its hash; a file that is not a hub stores none.
func TestBKNHubReceivesDocsBatch(t *testing.T) {
	f, rows := bknOffice(t)
	hub := newHub(t)
	var items []store.BKNIncomingDoc
	for _, d := range rows[0].Docs {
		data, err := f.s.BKNDocument(d)
		fxMust(t, err)
		items = append(items, store.BKNIncomingDoc{Doc: d, Data: data},
			store.BKNIncomingDoc{Doc: d, Data: []byte("%PDF-1.4\nforged\n%%EOF\n")}, store.BKNIncomingDoc{Doc: d, Data: data})
	}
	errs, err := hub.ReceiveBKNDocs(items)
	fxMust(t, err)
	for i, e := range errs {
		if forged := i%3 == 1; forged != errors.Is(e, store.ErrBKNHash) || (!forged && e != nil) {
			t.Fatalf("document %d: %v", i, e)
		}
	}
	got, err := hub.ReceiveBKNLinesBatch([]store.BKNIncoming{{Subject: "P33", Lines: linesOf(t, rows[0])}})
	fxMust(t, err)
	fxMust(t, got[0].Err)

	errs, err = f.s.ReceiveBKNDocs(items[:1]) // the office's own file
	fxMust(t, err)
	fxWantErr(t, errs[0], store.ErrState)
}

func wantInbox(t *testing.T, hub *store.Store, v store.Actor, n int) {
	t.Helper()
	page, err := hub.Inbox(v, "", 10)
	fxMust(t, err)
	if len(page.Items) != n {
		t.Fatalf("hub inbox = %d items, want %d", len(page.Items), n)
	}
}
