package bkn

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
)

// TestNATSConfigIsWhatTheEmbeddedHubUses: the block `pupns bkn nats-conf` prints, read by
// nats-server's own config parser, gives each office the same key, connection type and
// permissions as the embedded hub's users.
func TestNATSConfigIsWhatTheEmbeddedHubUses(t *testing.T) {
	var offices []Office
	for _, id := range []string{"A01", "B02"} {
		_, pub, err := NewOfficeKey()
		if err != nil {
			t.Fatal(err)
		}
		offices = append(offices, Office{Instansi: id, PublicKey: pub})
	}
	path := filepath.Join(t.TempDir(), "kantor.conf")
	if err := os.WriteFile(path, []byte(NATSConfig(offices)), 0o600); err != nil {
		t.Fatal(err)
	}
	opts, err := server.ProcessConfigFile(path)
	if err != nil {
		t.Fatalf("nats-server refuses the block: %v\n%s", err, NATSConfig(offices))
	}
	want, _ := officeUsers(offices)
	if len(opts.Nkeys) != len(want) {
		t.Fatalf("%d users in the config, want %d", len(opts.Nkeys), len(want))
	}
	for i, u := range opts.Nkeys {
		w := want[i]
		_, leafOnly := u.AllowedConnectionTypes["LEAFNODE"]
		if u.Nkey != w.Nkey || !leafOnly || len(u.AllowedConnectionTypes) != 1 ||
			!slices.Equal(u.Permissions.Publish.Allow, w.Permissions.Publish.Allow) ||
			!slices.Equal(u.Permissions.Subscribe.Allow, w.Permissions.Subscribe.Allow) {
			t.Fatalf("user %d from the config: %+v %+v %+v; want %+v %+v", i, u, u.Permissions.Publish, u.Permissions.Subscribe, w.Permissions.Publish, w.Permissions.Subscribe)
		}
	}
}
