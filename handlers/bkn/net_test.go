package bkn

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pupns/handlers/bkn/bkntest"
)

// syncBuf is a log sink the servers write to from their own goroutines.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitLog waits until the log has a line containing every one of parts.
func (s *syncBuf) waitLog(t *testing.T, parts ...string) string {
	t.Helper()
	deadline := time.Now().Add(time.Minute) // a bound for a loaded machine, not an expectation
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(s.String(), "\n") {
			if containsAll(line, parts) {
				return line
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no log line with %q; log:\n%s", parts, s.String())
	return ""
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// testNet is a hub and its offices, each with its own log.
type testNet struct {
	dir    string
	pki    bkntest.PKI
	hub    *Hub
	hubLog *syncBuf
	seeds  map[string]string // instansi → seed file
	reg    []Office
}

// newOfficeSeed registers nothing: it makes a seed file for id and returns its public key.
func (n *testNet) newOfficeSeed(t *testing.T, id string) string {
	t.Helper()
	seed, pub, err := NewOfficeKey()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(n.dir, "kantor-"+id+".nk")
	if err := WriteSeedFile(path, id, seed); err != nil {
		t.Fatal(err)
	}
	n.seeds[id] = path
	return pub
}

// startNet starts a hub (TLS leafnode listener, JetStream, the streams) with offices ids registered
// and their consumers created.
func startNet(t *testing.T, ids ...string) *testNet {
	t.Helper()
	dir := t.TempDir()
	n := &testNet{dir: dir, pki: bkntest.NewPKI(t, dir, "bkn"), hubLog: &syncBuf{}, seeds: map[string]string{}}
	for _, id := range ids {
		n.reg = append(n.reg, Office{Instansi: id, PublicKey: n.newOfficeSeed(t, id)})
	}
	hub, err := StartHub(HubConfig{Name: "kanreg-uji", LeafListen: "127.0.0.1:0", CertFile: n.pki.Cert, KeyFile: n.pki.Key,
		CAFile: n.pki.CA, StoreDir: filepath.Join(dir, "jetstream"), Offices: n.reg,
		Log: slog.New(slog.NewTextHandler(n.hubLog, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	if err != nil {
		t.Fatal(err)
	}
	n.hub = hub
	t.Cleanup(hub.Shutdown)
	js := n.hubJS(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // must succeed; a loaded machine is slow
	defer cancel()
	if err := EnsureStreams(ctx, js, StreamsConfig{}); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if err := EnsureOfficeConsumer(ctx, js, id); err != nil {
			t.Fatal(err)
		}
	}
	return n
}

func (n *testNet) hubJS(t *testing.T) jetstream.JetStream {
	t.Helper()
	nc, err := n.hub.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// office starts the leaf server of office id (its seed, the net's CA) and waits for the link.
func (n *testNet) office(t *testing.T, id string) (*OfficeServer, *nats.Conn) {
	t.Helper()
	o, err := StartOffice(OfficeConfig{Instansi: id, HubURL: n.hub.LeafURL(), SeedFile: n.seeds[id], CAFile: n.pki.CA})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(o.Shutdown)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // must succeed; a loaded machine is slow
	defer cancel()
	if err := o.WaitLinked(ctx); err != nil {
		t.Fatalf("%v; hub log:\n%s", err, n.hubLog)
	}
	nc, err := o.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	waitInterest(t, o)
	return o, nc
}

// waitInterest waits until the hub's interest (the JetStream API, the streams' subjects) has reached
// the office's server over the fresh leaf connection.
func waitInterest(t *testing.T, o *OfficeServer) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		lz, err := o.Server().Leafz(nil)
		if err == nil && len(lz.Leafs) > 0 && lz.Leafs[0].NumSubs > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// rogueLeaf speaks the leafnode protocol itself with office id's seed, as a tampered office would:
// it ignores the permissions the hub sends and sends what it likes. It returns the TLS connection
// after the hub accepted its CONNECT.
func (n *testNet) rogueLeaf(t *testing.T, id string) (net.Conn, *bufio.Reader) {
	t.Helper()
	kp, _, err := ReadSeedFile(n.seeds[id])
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(n.hub.LeafURL(), "tls://")
	raw, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	info, err := bufio.NewReader(raw).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	var in struct {
		Nonce string `json:"nonce"`
	}
	if err := json.Unmarshal([]byte(strings.TrimPrefix(strings.TrimSpace(info), "INFO ")), &in); err != nil {
		t.Fatalf("INFO %q: %v", info, err)
	}
	pool := x509.NewCertPool()
	caPEM, _ := os.ReadFile(n.pki.CA)
	pool.AppendCertsFromPEM(caPEM)
	conn := tls.Client(raw, &tls.Config{RootCAs: pool, ServerName: "localhost"})
	if err := conn.Handshake(); err != nil {
		t.Fatal(err)
	}
	sig, _ := kp.Sign([]byte(in.Nonce))
	pub, _ := kp.PublicKey()
	connect, _ := json.Marshal(map[string]any{"nkey": pub, "sig": base64.RawURLEncoding.EncodeToString(sig),
		"name": "pupns-kantor-" + id + "-palsu", "headers": true, "remote_account": "$G"})
	fmt.Fprintf(conn, "CONNECT %s\r\nPING\r\n", connect)
	r := bufio.NewReader(conn)
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("rogue leaf: no PONG from the hub: %v; hub log:\n%s", err, n.hubLog)
		}
		if strings.HasPrefix(line, "PONG") {
			return conn, r
		}
		if strings.HasPrefix(line, "-ERR") {
			t.Fatalf("rogue leaf refused at CONNECT: %s", line)
		}
	}
}

// readErr reads the hub's lines until an -ERR (or the connection's end) and returns that line.
func readErr(t *testing.T, conn net.Conn, r *bufio.Reader) string {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	for {
		line, err := r.ReadString('\n')
		if strings.HasPrefix(line, "-ERR") {
			return strings.TrimSpace(line)
		}
		if err != nil {
			return ""
		}
	}
}
