package bkn

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
)

// TestNATSConfigKeepsKanregPermissions: in the block `pupns bkn nats-conf` prints at BKN Pusat, a
// Kanreg hub's user may publish the counters of its instansi only and subscribe to its inbox, as
// on the embedded server; the flags of the link to Pusat go together and only with --role kanreg.
func TestNATSConfigKeepsKanregPermissions(t *testing.T) {
	_, pub, err := NewOfficeKey()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pusat.conf")
	reg := []Office{{Instansi: "kanreg_I", PublicKey: pub, Counters: []string{"P33", "P34"}}}
	if err := os.WriteFile(path, []byte(NATSConfig(reg)), 0o600); err != nil {
		t.Fatal(err)
	}
	opts, err := server.ProcessConfigFile(path)
	if err != nil || len(opts.Nkeys) != 1 {
		t.Fatalf("config: %v, %d users", err, len(opts.Nkeys))
	}
	p := opts.Nkeys[0].Permissions
	if !slices.Equal(p.Publish.Allow, []string{"pupns.counters.P33", "pupns.counters.P34"}) ||
		!slices.Equal(p.Subscribe.Allow, []string{"_INBOX_kanreg_I.>"}) {
		t.Fatalf("Kanreg user: publish %v subscribe %v", p.Publish.Allow, p.Subscribe.Allow)
	}

	base := Settings{Role: "kanreg", Kanreg: "I", LeafListen: "127.0.0.1:0"}
	for _, bad := range []Settings{
		{Role: "pusat", LeafListen: "127.0.0.1:0", PusatURL: "tls://p:7422", PusatSeed: "k.nk", PusatCA: "ca.pem"},
		{HubURL: "tls://h:7422", PusatURL: "tls://p:7422", PusatSeed: "k.nk", PusatCA: "ca.pem"},
		func() Settings { s := base; s.PusatURL = "tls://p:7422"; return s }(),
		func() Settings { s := base; s.PusatSeed, s.PusatCA = "k.nk", "ca.pem"; return s }(),
	} {
		if bad.check() == nil {
			t.Errorf("settings accepted: %+v", bad)
		}
	}
	ok := base
	ok.PusatURL, ok.PusatSeed, ok.PusatCA = "tls://p:7422", "k.nk", "ca.pem"
	if err := ok.check(); err != nil {
		t.Errorf("a Kanreg hub linked to Pusat refused: %v", err)
	}
}
