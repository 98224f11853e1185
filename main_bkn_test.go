package main

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pupns/handlers/bkn"
	"pupns/store"
)

// TestServeAsKanregHub: `pupns serve --role kanreg` runs the hub: its embedded NATS server listens
// where --nats-listen says, the hub creates the streams and the known offices' consumers there, and
// its data file records that it is Kanreg I's hub.
func TestServeAsKanregHub(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	natsAddr := ln.Addr().String()
	ln.Close()
	data := t.TempDir()
	s := startServe(t, "--data", data, "--addr", "127.0.0.1:0", "--role", "kanreg", "--kanreg", "I",
		"--nats-listen", natsAddr, "--bkn-offices", "P33,P34")

	nc, err := nats.Connect("nats://" + natsAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, want := range []struct{ stream, consumer string }{
		{bkn.StreamLines, bkn.ConsumerLines}, {bkn.StreamDocs, bkn.ConsumerDocs},
		{bkn.StreamDecisions, bkn.OfficeConsumer("P33")}, {bkn.StreamDecisions, bkn.OfficeConsumer("P34")},
	} {
		for {
			if _, err := js.Consumer(ctx, want.stream, want.consumer); err == nil {
				break
			} else if ctx.Err() != nil {
				t.Fatalf("consumer %s on %s: %v", want.consumer, want.stream, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	if _, err := stopWithin(t, s, 15*time.Second); err != nil {
		t.Fatalf("the hub stopped with %v", err)
	}
	st, err := store.Open(data, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if l, err := st.BKNLinkOf(); err != nil || l != (store.BKNLink{Role: store.BKNKanreg, Kanreg: "I"}) {
		t.Fatalf("the hub's data file says %+v (%v)", l, err)
	}
}
