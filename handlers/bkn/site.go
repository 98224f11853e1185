package bkn

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pupns/store"
)

// Settings are serve's flags for the link to BKN: a server is a hub (Role kanreg or pusat), an
// office linked to a hub (HubURL), or neither (an office on its own, as before).
type Settings struct {
	// Role is the server's role in the link (--role): office (or empty), kanreg or pusat.
	Role store.BKNRole
	// Kanreg is the Kanreg a kanreg hub serves (--kanreg: I … XIV).
	Kanreg string
	// The hub's: its client port, its leafnode listener, the TLS files and JetStream's folder.
	NATSListen, LeafListen, Cert, Key, CA, StoreDir string
	// The office's: the hub's leafnode URL, the office's seed file and the CA that signed the hub.
	HubURL, Seed, HubCA string
	// Cluster makes the hub's server one of a JetStream cluster (README › cluster): its name, this
	// server's route listener and the other servers' routes (comma-separated nats-route://HOST:PORT).
	Cluster, ClusterListen, Routes string
	// MaxPayload is the largest message: a document at the office's cap with its headers
	// (default MaxPayload).
	MaxPayload int32
	// Poll is the data flow's idle wait (Config.Poll); default 1 s.
	Poll time.Duration
	// CountersEvery is how often an office publishes its counters (--counters-every, default 1 min).
	CountersEvery time.Duration
	// A Kanreg hub's link to BKN Pusat, where it passes its region's counters on (--pusat,
	// --pusat-seed, --pusat-ca): Pusat's leafnode URL, the seed of `pupns bkn kanreg` at Pusat, and
	// the CA that signed Pusat's certificate.
	PusatURL, PusatSeed, PusatCA string
}

// IsHub and IsOffice say which side of the link this server is.
func (s Settings) IsHub() bool    { return s.Role.Hub() }
func (s Settings) IsOffice() bool { return s.HubURL != "" }

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

// Flags declares serve's BKN flags on fs; the function it returns reads and checks them once parsed.
// A store folder left empty is DATA/jetstream, filled in by Start.
func Flags(fs *flag.FlagSet) func() (Settings, error) {
	var s Settings
	role := fs.String("role", env("PUPNS_ROLE", "office"), "peran server dalam tautan ke BKN: office (kantor instansi), kanreg (hub Kanreg BKN) atau pusat (hub BKN Pusat) [PUPNS_ROLE]")
	fs.StringVar(&s.Kanreg, "kanreg", env("PUPNS_KANREG", ""), "hub --role kanreg: Kanreg yang dilayani, mis. I [PUPNS_KANREG]")
	fs.StringVar(&s.NATSListen, "nats-listen", env("PUPNS_NATS_LISTEN", "127.0.0.1:4222"), "hub: port klien NATS untuk kode hub sendiri, HOST:PORT; kosong = hanya di dalam proses [PUPNS_NATS_LISTEN]")
	fs.StringVar(&s.LeafListen, "nats-leaf-listen", env("PUPNS_NATS_LEAF_LISTEN", ""), "hub: alamat leafnode (TLS) yang dihubungi kantor, mis. 0.0.0.0:7422; wajib untuk --role kanreg|pusat [PUPNS_NATS_LEAF_LISTEN]")
	fs.StringVar(&s.Cert, "nats-cert", env("PUPNS_NATS_CERT", ""), "hub: sertifikat TLS leafnode (PEM) [PUPNS_NATS_CERT]")
	fs.StringVar(&s.Key, "nats-key", env("PUPNS_NATS_KEY", ""), "hub: kunci privat sertifikat itu (PEM) [PUPNS_NATS_KEY]")
	fs.StringVar(&s.CA, "nats-ca", env("PUPNS_NATS_CA", ""), "hub: CA yang menandatangani sertifikat hub, yang juga dibawa ke kantor (PEM) [PUPNS_NATS_CA]")
	fs.StringVar(&s.StoreDir, "nats-store", env("PUPNS_NATS_STORE", ""), "hub: folder penyimpanan JetStream; kosong = DATA/jetstream [PUPNS_NATS_STORE]")
	fs.StringVar(&s.Cluster, "nats-cluster", env("PUPNS_NATS_CLUSTER", ""), "hub: nama cluster JetStream hub (tiga server); kosong = hub satu server [PUPNS_NATS_CLUSTER]")
	fs.StringVar(&s.ClusterListen, "nats-cluster-listen", env("PUPNS_NATS_CLUSTER_LISTEN", ""), "hub: alamat route cluster server ini, HOST:PORT [PUPNS_NATS_CLUSTER_LISTEN]")
	fs.StringVar(&s.Routes, "nats-routes", env("PUPNS_NATS_ROUTES", ""), "hub: route server lain dalam cluster, nats-route://HOST:PORT dipisah koma [PUPNS_NATS_ROUTES]")
	fs.StringVar(&s.HubURL, "bkn-hub", env("PUPNS_BKN_HUB", ""), "kantor: alamat leafnode hub BKN, tls://HOST:PORT; diisi = kantor ini tersambung ke hub [PUPNS_BKN_HUB]")
	fs.StringVar(&s.Seed, "bkn-seed", env("PUPNS_BKN_SEED", ""), "kantor: berkas kunci kantor dari pupns bkn kantor di hub [PUPNS_BKN_SEED]")
	fs.StringVar(&s.HubCA, "bkn-ca", env("PUPNS_BKN_CA", ""), "kantor: CA yang menandatangani sertifikat hub (PEM) [PUPNS_BKN_CA]")
	fs.DurationVar(&s.CountersEvery, "counters-every", envDuration("PUPNS_COUNTERS_EVERY", DefaultCountersEvery), "kantor: selang pengiriman angka kemajuan ke hub BKN [PUPNS_COUNTERS_EVERY]")
	fs.StringVar(&s.PusatURL, "pusat", env("PUPNS_PUSAT", ""), "hub --role kanreg: alamat leafnode BKN Pusat, tls://HOST:PORT; diisi = angka kantor diteruskan ke Pusat [PUPNS_PUSAT]")
	fs.StringVar(&s.PusatSeed, "pusat-seed", env("PUPNS_PUSAT_SEED", ""), "hub --role kanreg: berkas kunci Kanreg dari pupns bkn kanreg di BKN Pusat [PUPNS_PUSAT_SEED]")
	fs.StringVar(&s.PusatCA, "pusat-ca", env("PUPNS_PUSAT_CA", ""), "hub --role kanreg: CA yang menandatangani sertifikat BKN Pusat (PEM) [PUPNS_PUSAT_CA]")
	return func() (Settings, error) {
		s.Role = store.BKNRole(*role)
		if s.MaxPayload == 0 {
			s.MaxPayload = MaxPayload
		}
		return s, s.check()
	}
}

// check refuses a server that would be both sides, or one side half-configured. The files are
// checked again, in full, when the servers start.
func (s Settings) check() error {
	hubOnly := s.Cert != "" || s.Key != "" || s.CA != "" || s.StoreDir != "" || s.Cluster != "" || s.ClusterListen != "" || s.Routes != ""
	officeOnly := s.Seed != "" || s.HubCA != ""
	switch {
	case s.Role != store.BKNRoleNone && s.Role != store.BKNRoleOffice && !s.Role.Hub():
		return fmt.Errorf("--role: %q bukan office, kanreg atau pusat", s.Role)
	case s.Role == store.BKNRoleKanreg && !store.Kanregs.Has(s.Kanreg):
		return fmt.Errorf("--kanreg: %q bukan Kanreg yang dikenal (I … XIV)", s.Kanreg)
	case s.Role != store.BKNRoleKanreg && s.Kanreg != "":
		return errors.New("--kanreg hanya untuk --role kanreg")
	case s.IsHub() && s.LeafListen == "":
		return fmt.Errorf("--role %s: isi --nats-leaf-listen (alamat leafnode TLS yang dihubungi kantor)", s.Role)
	case !s.IsHub() && s.LeafListen != "":
		return errors.New("--nats-leaf-listen hanya untuk hub BKN: tambahkan --role kanreg atau --role pusat")
	case s.IsHub() && s.IsOffice():
		return errors.New("--role kanreg|pusat dan --bkn-hub: satu server adalah hub BKN atau kantor yang tersambung ke hub, bukan keduanya")
	case s.IsHub() && officeOnly:
		return errors.New("--bkn-seed/--bkn-ca hanya untuk kantor (dengan --bkn-hub), bukan untuk hub")
	case s.IsOffice() && hubOnly:
		return errors.New("--nats-cert/--nats-key/--nats-ca/--nats-store/--nats-cluster… hanya untuk hub (--role kanreg|pusat), bukan untuk kantor")
	case !s.IsHub() && !s.IsOffice() && (hubOnly || officeOnly):
		return errors.New("berkas TLS atau kunci BKN diberikan tanpa --role kanreg|pusat (hub) atau --bkn-hub (kantor)")
	case s.Cluster != "" && (s.ClusterListen == "" || s.Routes == ""):
		return errors.New("--nats-cluster: isi juga --nats-cluster-listen dan --nats-routes (dua server lain dalam cluster)")
	case s.Cluster != "" && s.NATSListen == "":
		return errors.New("--nats-cluster: server cluster memerlukan --nats-listen (port klien)")
	case (s.PusatURL != "" || s.PusatSeed != "" || s.PusatCA != "") && s.Role != store.BKNRoleKanreg:
		return errors.New("--pusat/--pusat-seed/--pusat-ca hanya untuk hub --role kanreg (meneruskan angka kantor ke BKN Pusat)")
	case s.PusatURL != "" && (s.PusatSeed == "" || s.PusatCA == ""), s.PusatURL == "" && (s.PusatSeed != "" || s.PusatCA != ""):
		return errors.New("--pusat, --pusat-seed dan --pusat-ca diisi bersama (alamat BKN Pusat, kunci Kanreg, CA Pusat)")
	case s.Cluster == "" && (s.ClusterListen != "" || s.Routes != ""):
		return errors.New("--nats-cluster-listen/--nats-routes tanpa --nats-cluster: sebutkan nama cluster")
	}
	return nil
}

// Site is the running link of a server: the hub's server, or the office's leaf server.
type Site struct {
	Hub    *Hub
	Office *OfficeServer
	stop   context.CancelFunc
	done   chan struct{}
	flow   func()     // stops the data flow (relay, consumers)
	nc     *nats.Conn // the flow's connection

	// Pusat is a Kanreg hub's leaf server linked to BKN Pusat (--pusat), nil otherwise.
	Pusat   *OfficeServer
	pusatNC *nats.Conn
}

// RegisterPoll is how often a hub reads the register of offices for changes (`pupns bkn kantor`
// writes it, through the control socket while the hub runs).
var RegisterPoll = 2 * time.Second

// Start starts this server's side of the link: nothing (nil) for an office on its own; for an
// office, its leaf server and the data flow on it (startOffice); for a hub, its server, the
// streams, the hub's consumers and one per registered office, the data flow, and a watch of the
// register that reloads the server when an office is added or its key replaced.
func Start(st *store.Store, dataDir string, s Settings, log *slog.Logger) (*Site, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if s.MaxPayload == 0 {
		s.MaxPayload = MaxPayload
	}
	switch {
	case s.IsOffice():
		return startOffice(st, s, log)
	case !s.IsHub():
		return nil, nil
	}
	if s.StoreDir == "" {
		s.StoreDir = filepath.Join(dataDir, "jetstream")
	}
	offices, err := registered(st)
	if err != nil {
		return nil, err
	}
	hc := HubConfig{ClientListen: s.NATSListen, LeafListen: s.LeafListen, CertFile: s.Cert, KeyFile: s.Key,
		CAFile: s.CA, StoreDir: s.StoreDir, MaxPayload: s.MaxPayload, Offices: offices, Log: log}
	sc := StreamsConfig{MaxDocBytes: s.MaxPayload}
	if s.Cluster != "" {
		hc.Cluster = ClusterConfig{Name: s.Cluster, Listen: s.ClusterListen, Routes: strings.Split(s.Routes, ",")}
		sc.Replicas = 3
	}
	h, err := StartHub(hc)
	if err != nil {
		return nil, err
	}
	site := &Site{Hub: h}
	js, err := site.hubJetStream()
	if err == nil {
		err = setupPatiently(js, sc, instansiOfAll(offices), log)
	}
	var pusat jetstream.JetStream
	if err == nil && s.PusatURL != "" {
		pusat, err = site.linkPusat(s, log)
	}
	if err == nil {
		site.flow, err = Run(st, js, Config{Role: s.Role, Kanreg: s.Kanreg, Offices: instansiOfAll(offices),
			Streams: sc, Poll: s.Poll, Pusat: pusat, Log: log})
	}
	if err != nil {
		site.Close()
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	site.stop, site.done = stop, make(chan struct{})
	go site.watch(ctx, st, js, offices, log)
	log.Info("hub BKN siap", "leafnode", h.LeafURL(), "kantor", len(offices))
	return site, nil
}

// startOffice starts the office's leaf server and runs the data flow on its in-process connection
// (inbox prefix _INBOX_<instansi>, JetStream in the hub's domain). The office works locally while
// the leaf is down: the relay keeps its outbox until the hub acknowledges.
func startOffice(st *store.Store, s Settings, log *slog.Logger) (*Site, error) {
	o, err := StartOffice(OfficeConfig{HubURL: s.HubURL, SeedFile: s.Seed, CAFile: s.HubCA, MaxPayload: s.MaxPayload, Log: log})
	if err != nil {
		return nil, err
	}
	site := &Site{Office: o}
	site.nc, err = o.Connect(nats.RetryOnFailedConnect(true), nats.ReconnectBufSize(-1))
	var js jetstream.JetStream
	if err == nil {
		js, err = OfficeJetStream(site.nc)
	}
	if err == nil {
		site.flow, err = Run(st, js, Config{Role: store.BKNRoleOffice, Instansi: o.Instansi(), Poll: s.Poll,
			CountersEvery: s.CountersEvery, Linked: o.Linked, Log: log})
	}
	if err != nil {
		site.Close()
		return nil, err
	}
	log.Info("kantor tersambung ke hub BKN sebagai leafnode", "hub", s.HubURL, "instansi", o.Instansi())
	return site, nil
}

// Close stops the watch, the data flow, its connection and the server.
func (s *Site) Close() {
	if s == nil {
		return
	}
	if s.stop != nil {
		s.stop()
		<-s.done
	}
	if s.flow != nil {
		s.flow()
	}
	if s.nc != nil {
		s.nc.Close()
	}
	if s.pusatNC != nil {
		s.pusatNC.Close()
	}
	if s.Pusat != nil {
		s.Pusat.Shutdown()
	}
	if s.Hub != nil {
		s.Hub.Shutdown()
	}
	if s.Office != nil {
		s.Office.Shutdown()
	}
}

// watch reloads the hub's office users when the register changes, after creating the new offices'
// consumers (so an office never links before its consumer exists).
func (s *Site) watch(ctx context.Context, st *store.Store, js jetstream.JetStream, known []Office, log *slog.Logger) {
	defer close(s.done)
	t := time.NewTicker(RegisterPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now, err := registered(st)
		if err != nil {
			log.Error("daftar kantor BKN tidak terbaca", "err", err)
			continue
		}
		if slices.EqualFunc(now, known, sameOffice) {
			continue
		}
		if err := prepare(js, now); err != nil {
			log.Error("consumer kantor BKN tidak dapat dibuat", "err", err)
			continue
		}
		if err := s.Hub.SetOffices(now); err != nil {
			log.Error("daftar kantor BKN tidak dapat dimuat ulang", "err", err)
			continue
		}
		known = now
	}
}

// registered is the store's register as the hub's offices, and at BKN Pusat its Kanreg hubs
// (registeredKanregs).
func registered(st *store.Store) ([]Office, error) {
	rows, err := st.BKNOffices()
	if err != nil {
		return nil, fmt.Errorf("daftar kantor BKN: %w", err)
	}
	out := make([]Office, len(rows))
	for i, r := range rows {
		out[i] = Office{Instansi: r.Instansi, PublicKey: r.PublicKey}
	}
	return registeredKanregs(st, out)
}

// instansiOfAll is the offices' instansi ids (a Kanreg hub's link is no office: no consumer).
func instansiOfAll(offices []Office) []string {
	var out []string
	for _, o := range offices {
		if o.Counters == nil {
			out = append(out, o.Instansi)
		}
	}
	return out
}

// setupPatiently prepares the hub's JetStream (SetupHub), retrying for a minute: a clustered hub
// answers JetStream calls only once its servers have elected a leader (the others may start later).
func setupPatiently(js jetstream.JetStream, sc StreamsConfig, offices []string, log *slog.Logger) error {
	deadline := time.Now().Add(time.Minute)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		err := SetupHub(ctx, js, sc, offices)
		cancel()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		log.Info("menunggu JetStream hub siap (pemimpin cluster)", "err", err)
		time.Sleep(time.Second)
	}
}

// prepare creates each office's consumer (the ones that exist are kept).
func prepare(js jetstream.JetStream, offices []Office) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, id := range instansiOfAll(offices) {
		if err := EnsureOfficeConsumer(ctx, js, id); err != nil {
			return err
		}
	}
	return nil
}

// hubJetStream is the hub code's JetStream context on a connection of its own (closed by Close).
func (s *Site) hubJetStream() (jetstream.JetStream, error) {
	nc, err := s.Hub.Connect(nats.MaxReconnects(-1))
	if err != nil {
		return nil, fmt.Errorf("sambungan NATS hub: %w", err)
	}
	s.nc = nc
	return jetstream.New(nc)
}
