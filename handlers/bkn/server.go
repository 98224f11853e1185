package bkn

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
)

// HubConfig is one hub's embedded NATS server: a Kanreg or BKN Pusat.
type HubConfig struct {
	Name         string // server name, e.g. "kanreg-1"; default "pupns-hub"
	ClientListen string // HOST:PORT of the client port for the hub's own code; "" = in-process only
	LeafListen   string // HOST:PORT the offices' leaf nodes dial (TLS)
	CertFile     string // the hub's certificate for the leafnode listener
	KeyFile      string // its private key
	CAFile       string // the CA the offices trust (checked to sign CertFile at start)
	StoreDir     string // JetStream's store folder (beside the hub's bbolt file)
	MaxPayload   int32  // largest message (the office's document cap); default DefaultMaxDocBytes
	// Offices is the register at start; SetOffices changes it while the hub runs.
	Offices []Office
	Log     *slog.Logger
	// Cluster makes this server one of a JetStream cluster of hubs (README › cluster); empty: alone.
	Cluster ClusterConfig
}

// ClusterConfig joins a hub server to the other servers of its cluster.
type ClusterConfig struct {
	Name   string   // the cluster's name, the same on every server
	Listen string   // HOST:PORT of this server's route listener
	Routes []string // nats-route://HOST:PORT of the other servers
}

// Hub is a running hub server.
type Hub struct {
	srv  *server.Server
	cfg  HubConfig
	tls  *tls.Config // built once: a reload must see the same leafnode TLS
	self nkeys.KeyPair
	mu   sync.Mutex // serialises SetOffices
	log  *slog.Logger
	keys atomic.Pointer[map[string]string] // the register: public key → instansi
}

// HubSeedFile is the hub's own NKey seed, in its store folder: the hub's code (and an operator's
// nats CLI) log in with it; it is made on the first start.
const HubSeedFile = "hub.nk"

// CheckHubConfig says, in Indonesian, what is missing or wrong in a hub's configuration.
func CheckHubConfig(c HubConfig) error {
	var errs []error
	if c.LeafListen == "" {
		errs = append(errs, errors.New("--nats-leaf-listen: alamat leafnode hub (HOST:PORT) wajib diisi"))
	} else if _, _, err := net.SplitHostPort(c.LeafListen); err != nil {
		errs = append(errs, fmt.Errorf("--nats-leaf-listen: %q bukan HOST:PORT", c.LeafListen))
	}
	if c.ClientListen != "" {
		if _, _, err := net.SplitHostPort(c.ClientListen); err != nil {
			errs = append(errs, fmt.Errorf("--nats-listen: %q bukan HOST:PORT", c.ClientListen))
		}
	}
	for _, f := range []struct{ flag, path string }{{"--nats-cert", c.CertFile}, {"--nats-key", c.KeyFile}, {"--nats-ca", c.CAFile}} {
		if f.path == "" {
			errs = append(errs, fmt.Errorf("%s: berkas wajib diisi (sambungan antar-situs memakai TLS)", f.flag))
		} else if _, err := os.Stat(f.path); err != nil {
			errs = append(errs, fmt.Errorf("%s: berkas %s tidak terbaca", f.flag, f.path))
		}
	}
	if c.StoreDir == "" {
		errs = append(errs, errors.New("--nats-store: folder penyimpanan JetStream wajib diisi"))
	}
	return errors.Join(errs...)
}

// StartHub starts the hub's NATS server with JetStream and its TLS leafnode listener, the offices of
// the register as its users. The caller creates the streams (EnsureStreams) through Connect.
func StartHub(c HubConfig) (*Hub, error) {
	if err := CheckHubConfig(c); err != nil {
		return nil, err
	}
	if c.Name == "" {
		c.Name = "pupns-hub"
	}
	if c.MaxPayload <= 0 {
		c.MaxPayload = DefaultMaxDocBytes
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	tc, err := hubTLS(c)
	if err != nil {
		return nil, err
	}
	self, err := hubKey(c.StoreDir)
	if err != nil {
		return nil, err
	}
	h := &Hub{cfg: c, tls: tc, self: self, log: c.Log.With("nats", c.Name)}
	h.keys.Store(keyMap(c.Offices))
	opts, err := h.options(c.Offices)
	if err != nil {
		return nil, err
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("server NATS hub: %w", err)
	}
	h.srv = srv
	srv.SetLoggerV2(&natsLog{log: h.log, who: h.officeOf}, false, false, false)
	srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, fmt.Errorf("server NATS hub tidak siap dalam 30 detik (alamat %s / %s dipakai?)", c.ClientListen, c.LeafListen)
	}
	return h, nil
}

// options builds the server's options for the register offices; called at start and at every
// SetOffices (a config reload).
func (h *Hub) options(offices []Office) (*server.Options, error) {
	c := h.cfg
	users, bad := officeUsers(offices)
	for _, err := range bad {
		h.log.Warn("kantor dalam daftar tidak dipakai", "err", err)
	}
	selfPub, _ := h.self.PublicKey()
	users = append(users, &server.NkeyUser{Nkey: selfPub,
		AllowedConnectionTypes: map[string]struct{}{"STANDARD": {}, "IN_PROCESS": {}}})
	o := &server.Options{ServerName: c.Name, JetStream: true, JetStreamDomain: Domain, StoreDir: c.StoreDir, MaxPayload: c.MaxPayload,
		Nkeys: users, NoSigs: true, DontListen: c.ClientListen == ""}
	if c.ClientListen != "" {
		host, port, err := hostPort(c.ClientListen)
		if err != nil {
			return nil, fmt.Errorf("--nats-listen: %w", err)
		}
		o.Host, o.Port = host, port
	}
	host, port, err := hostPort(c.LeafListen)
	if err != nil {
		return nil, fmt.Errorf("--nats-leaf-listen: %w", err)
	}
	o.LeafNode.Host, o.LeafNode.Port = host, port
	o.LeafNode.TLSConfig, o.LeafNode.TLSTimeout = h.tls, 5
	if c.Cluster.Name != "" {
		host, port, err := hostPort(c.Cluster.Listen)
		if err != nil {
			return nil, fmt.Errorf("cluster: %w", err)
		}
		o.Cluster.Name, o.Cluster.Host, o.Cluster.Port = c.Cluster.Name, host, port
		for _, r := range c.Cluster.Routes {
			u, err := url.Parse(r)
			if err != nil {
				return nil, fmt.Errorf("cluster route %q: %w", r, err)
			}
			o.Routes = append(o.Routes, u)
		}
	}
	return o, nil
}

// SetOffices replaces the hub's office users by the register, without a restart (a server config
// reload): a new office can connect at once; a removed one is disconnected.
func (h *Hub) SetOffices(offices []Office) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	opts, err := h.options(offices)
	if err != nil {
		return err
	}
	if err := h.srv.ReloadOptions(opts); err != nil {
		return fmt.Errorf("muat ulang daftar kantor di server NATS hub: %w", err)
	}
	h.keys.Store(keyMap(offices))
	h.log.Info("daftar kantor BKN dimuat ulang", "kantor", len(offices))
	// A reload re-checks client connections but not leaf nodes: cut off the leaves whose key is no
	// longer registered (a revoked or replaced office key).
	lz, err := h.srv.Leafz(nil)
	if err != nil {
		return err
	}
	for _, lf := range lz.Leafs {
		if h.officeOf(lf.ID) == "" {
			h.log.Warn("sambungan kantor yang kuncinya dicabut diputus", "leaf", lf.Name, "ip", lf.IP)
			_ = h.srv.DisconnectClientByID(lf.ID)
		}
	}
	return nil
}

// officeOf is the instansi of the office whose leaf connection is lid, by the NKey it logged in
// with; "" for a leaf whose key is not (or no longer) registered.
func (h *Hub) officeOf(lid uint64) string {
	c := h.srv.GetLeafNode(lid)
	if c == nil {
		return ""
	}
	o := c.GetOpts()
	if o == nil {
		return ""
	}
	return (*h.keys.Load())[o.Nkey]
}

func keyMap(offices []Office) *map[string]string {
	m := make(map[string]string, len(offices))
	for _, o := range offices {
		m[o.PublicKey] = o.Instansi
	}
	return &m
}

// Connect is a client connection of the hub's own code, in-process, with full rights.
func (h *Hub) Connect(opts ...nats.Option) (*nats.Conn, error) {
	pub, _ := h.self.PublicKey()
	opts = append([]nats.Option{nats.InProcessServer(h.srv), nats.Nkey(pub, h.self.Sign), nats.Name(h.cfg.Name)}, opts...)
	return nats.Connect("", opts...)
}

// ClientURL is nats://HOST:PORT of the client port ("" when in-process only): the hub's code, or an
// operator's nats CLI with --nkey STORE/hub.nk, connect there.
func (h *Hub) ClientURL() string {
	if h.cfg.ClientListen == "" {
		return ""
	}
	return h.srv.ClientURL()
}

// Server is the embedded server (monitoring, tests).
func (h *Hub) Server() *server.Server { return h.srv }

// LeafURL is what an office's --bkn-hub names to reach this hub: tls://HOST:PORT of the listener.
func (h *Hub) LeafURL() string {
	host, _, _ := net.SplitHostPort(h.cfg.LeafListen)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "tls://" + net.JoinHostPort(host, strconv.Itoa(h.leafPort()))
}

func (h *Hub) leafPort() int {
	lz, err := h.srv.Varz(nil)
	if err != nil {
		return 0
	}
	return lz.LeafNode.Port
}

// Shutdown stops the hub's server and waits for it.
func (h *Hub) Shutdown() {
	h.srv.Shutdown()
	h.srv.WaitForShutdown()
}

// hubTLS loads the hub's leafnode certificate and checks that the CA the offices are given signs it,
// so a wrong file is refused at start instead of at every office's connection.
func hubTLS(c HubConfig) (*tls.Config, error) {
	tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: c.CertFile, KeyFile: c.KeyFile, MinVersion: tls.VersionTLS12})
	if err != nil {
		return nil, fmt.Errorf("--nats-cert/--nats-key: sertifikat hub tidak dapat dimuat: %w", err)
	}
	pool, err := loadCA(c.CAFile)
	if err != nil {
		return nil, fmt.Errorf("--nats-ca: %w", err)
	}
	leaf, err := x509.ParseCertificate(tc.Certificates[0].Certificate[0])
	if err != nil {
		return nil, fmt.Errorf("--nats-cert: %w", err)
	}
	inter := x509.NewCertPool()
	for _, der := range tc.Certificates[0].Certificate[1:] {
		if ic, err := x509.ParseCertificate(der); err == nil {
			inter.AddCert(ic)
		}
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, Intermediates: inter}); err != nil {
		return nil, fmt.Errorf("--nats-cert %s tidak ditandatangani CA %s yang diberikan ke kantor: %w", c.CertFile, c.CAFile, err)
	}
	return tc, nil
}

// loadCA reads a PEM file of CA certificates.
func loadCA(path string) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("berkas CA %s tidak terbaca: %w", path, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("berkas CA %s tidak berisi sertifikat PEM", path)
	}
	return pool, nil
}

// hubKey reads the hub's own seed from its store folder, making it on the first start.
func hubKey(dir string) (nkeys.KeyPair, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("--nats-store: folder %s tidak dapat dibuat: %w", dir, err)
	}
	path := filepath.Join(dir, HubSeedFile)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		kp, err := nkeys.CreateUser()
		if err != nil {
			return nil, err
		}
		seed, _ := kp.Seed()
		if err := WriteSeedFile(path, "", seed); err != nil {
			return nil, err
		}
	}
	kp, _, err := ReadSeedFile(path)
	return kp, err
}

// hostPort splits HOST:PORT for the server's options; port 0 becomes a random port (tests).
func hostPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("%q bukan HOST:PORT", addr)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("port %q tidak sah", p)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	if host == "" {
		host = "0.0.0.0"
	}
	return host, port, nil
}
