package bkn

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// officeFlow is everything an office does at its hub: publish a line, a document and its counters
// with the stream's ack, then fetch its decisions and ack them.
func officeFlow(ctx context.Context, n *testNet, nc *nats.Conn, id string) error {
	js, err := OfficeJetStream(nc)
	if err != nil {
		return err
	}
	for _, subj := range []string{LinesSubject(id), DocsSubject(id), CountersSubject(id)} {
		if _, err := js.Publish(ctx, subj, []byte("isi")); err != nil {
			return fmt.Errorf("publish %s: %w", subj, err)
		}
	}
	return fetchAndAck(ctx, nc, id, 1)
}

// TestOfficeNeedsEveryGrantedSubject measures the permissions through a real leaf node: with all of
// OfficePermissions the office's flow works (TestOfficeFetchesItsOwnDecisions and the first case
// here), and without any one of the granted subjects it fails. So nothing in the list is spare.
func TestOfficeNeedsEveryGrantedSubject(t *testing.T) {
	full := OfficePermissions("A01")
	var cases []string
	cases = append(cases, "")
	for _, s := range full.Publish.Allow {
		cases = append(cases, "pub "+s)
	}
	for _, s := range full.Subscribe.Allow {
		cases = append(cases, "sub "+s)
	}
	t.Cleanup(func() { officePermissions = OfficePermissions })
	for _, drop := range cases {
		officePermissions = func(id string) *server.Permissions {
			p := OfficePermissions(id)
			p.Publish.Allow = slices.DeleteFunc(p.Publish.Allow, func(s string) bool { return "pub "+s == drop })
			p.Subscribe.Allow = slices.DeleteFunc(p.Subscribe.Allow, func(s string) bool { return "sub "+s == drop })
			if len(p.Subscribe.Allow) == 0 { // an empty allow list would allow everything
				p.Subscribe.Allow = []string{"pupns.tidak-ada"}
			}
			return p
		}
		n := startNet(t, "A01")
		if _, err := n.hubJS(t).Publish(ctxOK(t), DecisionsSubject("A01"), []byte("putusan")); err != nil {
			t.Fatal(err)
		}
		_, nc := n.office(t, "A01")
		// Without a grant the flow fails, often as an answer that never comes: 3 s is that wait.
		// With every grant it must work, however loaded the machine: a minute.
		wait := 3 * time.Second
		if drop == "" {
			wait = time.Minute
		}
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		err := officeFlow(ctx, n, nc, "A01")
		cancel()
		switch {
		case drop == "" && err != nil:
			t.Fatalf("with every granted subject the flow fails: %v", err)
		case drop != "" && err == nil:
			t.Errorf("without %q the flow still works: the grant is spare", drop)
		case drop != "":
			t.Logf("without %-60q: %v", drop, err)
		}
		n.hub.Shutdown()
	}
}
