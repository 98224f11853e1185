package bkn

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"pupns/handlers/bkn/bkntest"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startCluster starts three hub servers clustered with each other, office registered on each, and
// returns them with their leafnode URLs and their shared log.
func startCluster(t *testing.T, dir string, p bkntest.PKI, office Office) ([]*Hub, []string, *syncBuf) {
	t.Helper()
	routes := []string{freeAddr(t), freeAddr(t), freeAddr(t)}
	// The three start together: a clustered server's start completes only once it has peers.
	hubs := make([]*Hub, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	log := &syncBuf{}
	for i, name := range []string{"kanreg-a", "kanreg-b", "kanreg-c"} {
		var others []string
		for j, r := range routes {
			if j != i {
				others = append(others, "nats-route://"+r)
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			hubs[i], errs[i] = StartHub(HubConfig{Name: name, ClientListen: "127.0.0.1:0", LeafListen: "127.0.0.1:0",
				CertFile: p.Cert, KeyFile: p.Key, CAFile: p.CA,
				StoreDir: filepath.Join(dir, name), Offices: []Office{office},
				Log:     slog.New(slog.NewTextHandler(log, nil)),
				Cluster: ClusterConfig{Name: "kanreg-1", Listen: routes[i], Routes: others}})
		}()
	}
	wg.Wait()
	var urls []string
	for i, h := range hubs {
		if errs[i] != nil {
			t.Fatalf("%v; log:\n%s", errs[i], log)
		}
		t.Cleanup(h.Shutdown)
		urls = append(urls, h.LeafURL())
	}
	return hubs, urls, log
}

// TestHubClusterSurvivesAServer: a hub as a three-server JetStream cluster (streams with three
// replicas). An office given all three leafnode URLs publishes, the server it is linked to stops,
// and the office — moved to another server — publishes again; both lines are in the stream.
func TestHubClusterSurvivesAServer(t *testing.T) {
	if testing.Short() {
		t.Skip("cluster: a few seconds of elections")
	}
	dir := t.TempDir()
	p := bkntest.NewPKI(t, dir, "bkn")
	seedA := filepath.Join(dir, "kantor-A01.nk")
	seed, pub, _ := NewOfficeKey()
	if err := WriteSeedFile(seedA, "A01", seed); err != nil {
		t.Fatal(err)
	}
	hubs, urls, log := startCluster(t, dir, p, Office{Instansi: "A01", PublicKey: pub})
	nc, err := hubs[0].Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for { // the cluster elects its meta leader first
		actx, acancel := context.WithTimeout(ctx, 2*time.Second) // unanswered until there is a leader
		err := EnsureStreams(actx, js, StreamsConfig{Replicas: 3})
		acancel()
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("streams with three replicas: %v; log:\n%s", err, log)
		}
		time.Sleep(200 * time.Millisecond)
	}

	o, err := StartOffice(OfficeConfig{HubURL: strings.Join(urls, ","), SeedFile: seedA, CAFile: p.CA})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Shutdown()
	if err := o.WaitLinked(ctx); err != nil {
		t.Fatal(err)
	}
	onc, err := o.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer onc.Close()
	ojs, _ := OfficeJetStream(onc)
	publish := func(id string) error { return publishUntilAck(ctx, ojs, id) }
	if err := publish("baris-1"); err != nil {
		t.Fatal(err)
	}
	linked := -1
	for i, h := range hubs {
		if h.Server().NumLeafNodes() > 0 {
			linked = i
		}
	}
	if linked < 0 {
		t.Fatal("the office is linked to no server of the cluster")
	}
	hubs[linked].Shutdown()
	start := time.Now()
	if err := publish("baris-2"); err != nil {
		t.Fatalf("%v after %s stopped", err, hubs[linked].cfg.Name)
	}
	t.Logf("%s stopped; the office published again after %v", hubs[linked].cfg.Name, time.Since(start).Round(time.Millisecond))
	if got := waitStreamMsgs(ctx, t, hubs[(linked+1)%3], 2); got != 2 {
		t.Fatalf("PUPNS_LINES on a surviving server holds %d lines, want 2", got)
	}
}

// publishUntilAck publishes line id (its own message id) until the stream acknowledges it.
func publishUntilAck(ctx context.Context, js jetstream.JetStream, id string) error {
	for ctx.Err() == nil {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := js.Publish(pctx, LinesSubject("A01"), []byte(id), jetstream.WithMsgID(id))
		cancel()
		if err == nil {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("publish %s: %w", id, ctx.Err())
}

// waitStreamMsgs waits until PUPNS_LINES seen from h holds want messages, and returns the count.
func waitStreamMsgs(ctx context.Context, t *testing.T, h *Hub, want uint64) uint64 {
	nc, err := h.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	var got uint64
	for ctx.Err() == nil {
		if s, err := js.Stream(ctx, StreamLines); err == nil {
			if info, err := s.Info(ctx); err == nil {
				if got = info.State.Msgs; got == want {
					return got
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return got
}
