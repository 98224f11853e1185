package bkn

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"pupns/store"
)

// Flags adds serve's flags of the link to BKN (each with its environment variable); the returned
// function reads them once parsed, with the data folder (the hub's JetStream folder defaults to
// DATA/jetstream).
func Flags(fs *flag.FlagSet) func(dataDir string) (Config, error) {
	env := func(key, def string) string {
		if v := os.Getenv(key); v != "" {
			return v
		}
		return def
	}
	role := fs.String("role", env("PUPNS_ROLE", "office"), "peran server: office (kantor instansi), kanreg (hub Kanreg BKN) atau pusat (BKN Pusat) [PUPNS_ROLE]")
	kanreg := fs.String("kanreg", env("PUPNS_KANREG", ""), "Kanreg yang dilayani hub --role kanreg, mis. I [PUPNS_KANREG]")
	instansi := fs.String("instansi", env("PUPNS_INSTANSI", ""), "id instansi kantor ini (subjek NATS-nya) [PUPNS_INSTANSI]")
	url := fs.String("nats-url", env("PUPNS_NATS_URL", ""), "server NATS tautan ke BKN; kosong = kantor tanpa tautan [PUPNS_NATS_URL]")
	listen := fs.String("nats-listen", env("PUPNS_NATS_LISTEN", ""), "hub: alamat server NATS tertanam HOST:PORT [PUPNS_NATS_LISTEN]")
	dir := fs.String("nats-dir", env("PUPNS_NATS_DIR", ""), "hub: folder JetStream; kosong = DATA/jetstream [PUPNS_NATS_DIR]")
	domain := fs.String("nats-domain", env("PUPNS_NATS_DOMAIN", ""), "domain JetStream hub bila dicapai lewat leaf node [PUPNS_NATS_DOMAIN]")
	offices := fs.String("bkn-offices", env("PUPNS_BKN_OFFICES", ""), "hub: id instansi kantor yang dilayani, dipisah koma [PUPNS_BKN_OFFICES]")
	return func(dataDir string) (Config, error) {
		c := Config{Role: store.BKNRole(*role), Kanreg: *kanreg, Instansi: *instansi, URL: *url, Listen: *listen,
			StoreDir: *dir, Domain: *domain}
		if c.StoreDir == "" {
			c.StoreDir = filepath.Join(dataDir, "jetstream")
		}
		for _, id := range strings.Split(*offices, ",") {
			if id = strings.TrimSpace(id); id != "" {
				c.Offices = append(c.Offices, id)
			}
		}
		switch {
		case c.Role != store.BKNOffice && !c.Role.Hub():
			return Config{}, fmt.Errorf("--role: %q bukan office, kanreg atau pusat", *role)
		case c.Role == store.BKNKanreg && !store.Kanregs.Has(c.Kanreg):
			return Config{}, fmt.Errorf("--kanreg: %q bukan Kanreg yang dikenal (I … XIV)", c.Kanreg)
		case c.Role.Hub() && c.URL == "" && c.Listen == "":
			return Config{}, fmt.Errorf("--role %s butuh --nats-listen (server NATS tertanam) atau --nats-url", c.Role)
		case c.Role == store.BKNOffice && c.URL != "" && c.Instansi == "":
			return Config{}, fmt.Errorf("--nats-url butuh --instansi: id instansi kantor ini")
		}
		return c, nil
	}
}
