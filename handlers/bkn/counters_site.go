package bkn

import (
	"fmt"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pupns/store"
)

// linkPusat starts a Kanreg hub's leaf server linked to BKN Pusat (TLS, the Kanreg's NKey from
// `pupns bkn kanreg` at Pusat) and answers the JetStream context the counters are passed on with.
// Like an office, the Kanreg works on while Pusat is away: the snapshots wait in its own stream.
func (s *Site) linkPusat(set Settings, log *slog.Logger) (jetstream.JetStream, error) {
	o, err := StartOffice(OfficeConfig{HubURL: set.PusatURL, SeedFile: set.PusatSeed, CAFile: set.PusatCA,
		MaxPayload: set.MaxPayload, Log: log})
	if err != nil {
		return nil, fmt.Errorf("--pusat: %w", err)
	}
	s.Pusat = o
	if s.pusatNC, err = o.Connect(nats.RetryOnFailedConnect(true), nats.ReconnectBufSize(-1)); err != nil {
		return nil, fmt.Errorf("--pusat: %w", err)
	}
	log.Info("hub Kanreg meneruskan angka kantor ke BKN Pusat", "pusat", set.PusatURL, "sebagai", o.Instansi())
	return OfficeJetStream(s.pusatNC)
}

// registeredKanregs adds to the offices the Kanreg hubs registered at this BKN Pusat, each allowed
// the counters of its instansi only.
func registeredKanregs(st *store.Store, offices []Office) ([]Office, error) {
	rows, err := st.BKNKanregs()
	if err != nil {
		return nil, fmt.Errorf("daftar Kanreg BKN: %w", err)
	}
	for _, r := range rows {
		offices = append(offices, Office{Instansi: r.User(), PublicKey: r.PublicKey, Counters: slices.Clone(r.Instansi)})
	}
	return offices, nil
}

// sameOffice compares two register entries (the watch reloads the server when one changed).
func sameOffice(a, b Office) bool {
	return a.Instansi == b.Instansi && a.PublicKey == b.PublicKey && slices.Equal(a.Counters, b.Counters) &&
		(a.Counters == nil) == (b.Counters == nil)
}

// envDuration is a duration flag's default from the environment (def when unset or not a duration).
func envDuration(key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(key)); err == nil && d > 0 {
		return d
	}
	return def
}
