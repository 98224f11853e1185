package bkn

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// OfficeConfig is one office's embedded NATS server: a leaf node of its hub.
type OfficeConfig struct {
	Instansi   string // the office's instansi (subjects, consumer, inbox prefix); "": the seed file's
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
	srv  *server.Server
	cfg  OfficeConfig
	stop chan struct{}
	done chan struct{}

	mu    sync.Mutex
	up    bool
	since time.Time // when the link last went up or down (the start counts as down)
}

// CheckOfficeConfig says, in Indonesian, what is missing or wrong in an office's hub settings.
func CheckOfficeConfig(c OfficeConfig) error {
	var errs []error
	if c.HubURL == "" {
		errs = append(errs, errors.New("--bkn-hub: alamat leafnode hub (tls://HOST:PORT) wajib diisi"))
	} else if _, err := hubURLs(c.HubURL); err != nil {
		errs = append(errs, err)
	}
	if c.SeedFile == "" {
		errs = append(errs, errors.New("--bkn-seed: berkas kunci kantor (dari pupns bkn kantor di hub) wajib diisi"))
	} else if _, inst, err := ReadSeedFile(c.SeedFile); err != nil {
		errs = append(errs, fmt.Errorf("--bkn-seed: %w", err))
	} else if err := CheckInstansi(inst); err != nil {
		errs = append(errs, fmt.Errorf("--bkn-seed: berkas %s tidak menyebut instansi kantor yang sah (%w): buat ulang dengan pupns bkn kantor di hub", c.SeedFile, err))
	} else if c.Instansi != "" && c.Instansi != inst {
		errs = append(errs, fmt.Errorf("--bkn-seed: berkas %s milik kantor instansi %s, bukan %s", c.SeedFile, inst, c.Instansi))
	}
	if c.CAFile == "" {
		errs = append(errs, errors.New("--bkn-ca: berkas CA yang menandatangani sertifikat hub wajib diisi"))
	} else if _, err := loadCA(c.CAFile); err != nil {
		errs = append(errs, fmt.Errorf("--bkn-ca: %w", err))
	}
	return errors.Join(errs...)
}

// hubURLs parses --bkn-hub: one tls://HOST:PORT, or several separated by commas (the servers of a
// hub cluster; the office links to one of them and moves to another when it fails).
func hubURLs(list string) ([]*url.URL, error) {
	var urls []*url.URL
	for _, part := range strings.Split(list, ",") {
		u, err := url.Parse(strings.TrimSpace(part))
		if err != nil || u.Scheme != "tls" || u.Port() == "" {
			return nil, fmt.Errorf("--bkn-hub: %q harus berbentuk tls://HOST:PORT (sambungan ke hub selalu TLS), beberapa dipisah koma", strings.TrimSpace(part))
		}
		urls = append(urls, u)
	}
	return urls, nil
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
	kp, inst, err := ReadSeedFile(c.SeedFile)
	if err != nil {
		return nil, err
	}
	c.Instansi = inst
	seed, err := kp.Seed()
	if err != nil {
		return nil, err
	}
	pool, err := loadCA(c.CAFile)
	if err != nil {
		return nil, err
	}
	urls, _ := hubURLs(c.HubURL)
	opts := &server.Options{ServerName: "pupns-kantor-" + c.Instansi, DontListen: true, NoSigs: true,
		MaxPayload: c.MaxPayload}
	opts.LeafNode.ReconnectInterval = 2 * time.Second
	// Nkey is the seed: the server signs the hub's nonce with it and sends the public key.
	opts.LeafNode.Remotes = []*server.RemoteLeafOpts{{
		URLs: urls, Nkey: string(seed), TLS: true, TLSTimeout: 5,
		// No ServerName: the server sets it to the host of the URL it dials, so each server of
		// a hub cluster is checked under its own name.
		TLSConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
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
	o := &OfficeServer{srv: srv, cfg: c, stop: make(chan struct{}), done: make(chan struct{}), since: time.Now()}
	go o.watchLink(c.Log)
	return o, nil
}

// watchLink logs when the link to the hub comes up or goes down, and keeps LinkState.
func (o *OfficeServer) watchLink(log *slog.Logger) {
	defer close(o.done)
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-o.stop:
			return
		case <-t.C:
		}
		up := o.Linked()
		o.mu.Lock()
		changed := up != o.up
		if changed {
			o.up, o.since = up, time.Now()
		}
		o.mu.Unlock()
		switch {
		case changed && up:
			log.Info("tersambung ke hub BKN", "hub", o.cfg.HubURL, "instansi", o.cfg.Instansi)
		case changed:
			log.Warn("sambungan ke hub BKN terputus: kiriman menunggu di kantor", "hub", o.cfg.HubURL)
		}
	}
}

// LinkState says whether the office is linked to its hub and since when it has been (or not
// been): what a PNS's "menunggu koneksi ke BKN sejak …" shows. It lags the link by a quarter second.
func (o *OfficeServer) LinkState() (up bool, since time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.up, o.since
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

// Instansi is the office's instansi (from its seed file).
func (o *OfficeServer) Instansi() string { return o.cfg.Instansi }

// Server is the embedded server (tests).
func (o *OfficeServer) Server() *server.Server { return o.srv }

// Shutdown stops the office's server and waits for it.
func (o *OfficeServer) Shutdown() {
	select {
	case <-o.stop:
	default:
		close(o.stop)
	}
	<-o.done
	o.srv.Shutdown()
	o.srv.WaitForShutdown()
}
