package mail

import (
	"flag"
	"os"
	"strconv"
)

// Flags registers serve's SMTP flags on fs, each falling back to its environment variable, and
// returns the function that reads them after fs.Parse. The password is read from
// PUPNS_SMTP_PASSWORD only: a flag would show it in the process list.
func Flags(fs *flag.FlagSet) func() (Config, error) {
	env := func(key, def string) string {
		if v := os.Getenv(key); v != "" {
			return v
		}
		return def
	}
	port, _ := strconv.Atoi(env("PUPNS_SMTP_PORT", "587"))
	host := fs.String("smtp-host", env("PUPNS_SMTP_HOST", ""), "server SMTP untuk e-mail pemberitahuan; kosong = tidak ada e-mail dikirim [PUPNS_SMTP_HOST]")
	p := fs.Int("smtp-port", port, "port server SMTP [PUPNS_SMTP_PORT]")
	mode := fs.String("smtp-tls", env("PUPNS_SMTP_TLS", TLSStartTLS), "TLS SMTP: none, starttls atau tls [PUPNS_SMTP_TLS]")
	user := fs.String("smtp-user", env("PUPNS_SMTP_USER", ""), "nama pengguna SMTP; kata sandi dari PUPNS_SMTP_PASSWORD [PUPNS_SMTP_USER]")
	from := fs.String("smtp-from", env("PUPNS_SMTP_FROM", ""), "alamat pengirim, mis. \"PUPNS BKD <pupns@bkd.go.id>\" [PUPNS_SMTP_FROM]")
	return func() (Config, error) {
		c := Config{Host: *host, Port: *p, TLS: *mode, User: *user, Password: os.Getenv("PUPNS_SMTP_PASSWORD"), From: *from}
		return c, c.Check()
	}
}
