package bkn

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// OfficeConfig is one office's embedded NATS server: a leaf node of its hub.
type OfficeConfig struct {
	Instansi   string // the office's instansi: its subjects, consumer and inbox prefix
	HubURL     string // --bkn-hub: tls://HOST:PORT of the hub's leafnode listener
	SeedFile   string // --bkn-seed: the office's NKey seed (from `pupns bkn kantor` at the hub)
	CAFile     string // --bkn-ca: the CA that signed the hub's certificate
	MaxPayload int32  // largest message, at least the document cap; default DefaultMaxDocBytes
	Log        *slog.Logger
}

// OfficeServer is a running office server. The office's code connects to it in-process (Connect);
// the server forwards to the hub what the hub permits and queues nothing itself: the office's
// outbox is its bbolt file.
type OfficeServer struct {
	srv *server.Server
	cfg OfficeConfig
}

// CheckOfficeConfig says, in Indonesian, what is missing or wrong in an office's hub settings.
func CheckOfficeConfig(c OfficeConfig) error {
	var errs []error
	if err := CheckInstansi(c.Instansi); err != nil {
		errs = append(errs, fmt.Errorf("--instansi: %w", err))
	}
	if c.HubURL == "" {
		errs = append(errs, errors.New("--bkn-hub: alamat leafnode hub (tls://HOST:PORT) wajib diisi"))
	} else if u, err := url.Parse(c.HubURL); err != nil || u.Scheme != "tls" || u.Port() == "" {
		errs = append(errs, fmt.Errorf("--bkn-hub: %q harus berbentuk tls://HOST:PORT (sambungan ke hub selalu TLS)", c.HubURL))
	}
	if c.SeedFile == "" {
		errs = append(errs, errors.New("--bkn-seed: berkas kunci kantor (dari pupns bkn kantor di hub) wajib diisi"))
	} else if _, err := ReadSeedFile(c.SeedFile); err != nil {
		errs = append(errs, fmt.Errorf("--bkn-seed: %w", err))
	}
	if c.CAFile == "" {
		errs = append(errs, errors.New("--bkn-ca: berkas CA yang menandatangani sertifikat hub wajib diisi"))
	} else if _, err := loadCA(c.CAFile); err != nil {
		errs = append(errs, fmt.Errorf("--bkn-ca: %w", err))
	}
	return errors.Join(errs...)
}

// StartOffice starts the office's leaf server, which dials the hub with TLS and the office's NKey
// and keeps redialling while the hub is away. It does not wait for the hub: an office works offline.
func StartOffice(c OfficeConfig) (*OfficeServer, error) {
	if err := CheckOfficeConfig(c); err != nil {
		return nil, err
	}
	if c.MaxPayload <= 0 {
		c.MaxPayload = DefaultMaxDocBytes
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	kp, err := ReadSeedFile(c.SeedFile)
	if err != nil {
		return nil, err
	}
	seed, err := kp.Seed()
	if err != nil {
		return nil, err
	}
	pool, err := loadCA(c.CAFile)
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(c.HubURL)
	opts := &server.Options{ServerName: "pupns-kantor-" + c.Instansi, DontListen: true, NoSigs: true,
		MaxPayload: c.MaxPayload}
	opts.LeafNode.ReconnectInterval = 2 * time.Second
	// Nkey is the seed: the server signs the hub's nonce with it and sends the public key.
	opts.LeafNode.Remotes = []*server.RemoteLeafOpts{{
		URLs: []*url.URL{u}, Nkey: string(seed), TLS: true, TLSTimeout: 5,
		TLSConfig: &tls.Config{RootCAs: pool, ServerName: u.Hostname(), MinVersion: tls.VersionTLS12},
	}}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("server NATS kantor: %w", err)
	}
	srv.SetLoggerV2(&natsLog{log: c.Log.With("nats", opts.ServerName)}, false, false, false)
	srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("server NATS kantor tidak siap dalam 30 detik")
	}
	return &OfficeServer{srv: srv, cfg: c}, nil
}

// Connect is the office code's in-process client connection, with the office's inbox prefix (the
// only replies its hub lets through).
func (o *OfficeServer) Connect(opts ...nats.Option) (*nats.Conn, error) {
	opts = append([]nats.Option{nats.InProcessServer(o.srv), nats.CustomInboxPrefix(InboxPrefix(o.cfg.Instansi)),
		nats.Name("pupns-kantor-" + o.cfg.Instansi), nats.MaxReconnects(-1)}, opts...)
	return nats.Connect("", opts...)
}

// Linked says whether the leaf connection to the hub is up.
func (o *OfficeServer) Linked() bool { return o.srv.NumLeafNodes() > 0 }

// WaitLinked waits until the leaf connection is up (tests; the office itself never waits).
func (o *OfficeServer) WaitLinked(ctx context.Context) error {
	for !o.Linked() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("kantor %s belum tersambung ke hub: %w", o.cfg.Instansi, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}

// Server is the embedded server (tests).
func (o *OfficeServer) Server() *server.Server { return o.srv }

// Shutdown stops the office's server and waits for it.
func (o *OfficeServer) Shutdown() {
	o.srv.Shutdown()
	o.srv.WaitForShutdown()
}
