package bkn

import (
	"fmt"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"pupns/store"
)

// MaxPayload is the largest message the servers take: one document at the office's cap
// (store.MaxDocSize) with room for its headers.
const MaxPayload = store.MaxDocSize + 64<<10

// StartPlainServer starts an embedded NATS server with JetStream in storeDir, listening on
// host:port (port -1: any free port), without TLS or accounts: for tests and development. The
// configured servers (a hub with a TLS leafnode listener and NKey users, an office as its leaf
// node) replace it; everything else talks to a server only through its client URL.
func StartPlainServer(host string, port int, storeDir string) (*server.Server, error) {
	srv, err := server.NewServer(&server.Options{ServerName: "pupns-hub", Host: host, Port: port, JetStream: true,
		StoreDir: storeDir, MaxPayload: MaxPayload, NoSigs: true, NoLog: true})
	if err != nil {
		return nil, err
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, fmt.Errorf("server NATS di %s:%d tidak siap dalam 10 detik", host, port)
	}
	return srv, nil
}
