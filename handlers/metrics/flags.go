package metrics

import (
	"errors"
	"flag"
	"fmt"
	"os"
)

// MinTokenLen is the shortest bearer token accepted: a token anybody could guess is no lock.
const MinTokenLen = 16

// Flags declares serve's --metrics-allow on fs (falling back to PUPNS_METRICS_ALLOW) and returns
// the function that reads the Access after fs.Parse. The token is read from PUPNS_METRICS_TOKEN
// only, as the SMTP password is: a flag would show it in the process list.
func Flags(fs *flag.FlagSet) func() (Access, error) {
	allow := fs.String("metrics-allow", os.Getenv("PUPNS_METRICS_ALLOW"),
		"alamat/CIDR yang boleh membaca /metrics, dipisah koma, mis. 127.0.0.1,10.0.0.0/8; kosong = tidak ada; token Bearer dari PUPNS_METRICS_TOKEN [PUPNS_METRICS_ALLOW]")
	return func() (Access, error) {
		a := Access{Token: os.Getenv("PUPNS_METRICS_TOKEN")}
		if a.Token != "" && len(a.Token) < MinTokenLen {
			return Access{}, fmt.Errorf("PUPNS_METRICS_TOKEN terlalu pendek: paling sedikit %d karakter (mis. keluaran `openssl rand -hex 32`)", MinTokenLen)
		}
		var err error
		if a.Allow, err = ParseAllow(*allow); err != nil {
			return Access{}, errors.New("--metrics-allow: " + err.Error())
		}
		return a, nil
	}
}
