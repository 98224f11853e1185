package metrics

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/netip"
	"strings"
)

// Access says who may read /metrics: a client whose address lies in Allow, or one that sends
// "Authorization: Bearer <Token>". The zero Access lets nobody in: metrics are never public by
// default. Loopback is deliberately not allowed by default either: behind a reverse proxy on the
// same host without --proxy-header, every visitor arrives from 127.0.0.1.
type Access struct {
	Allow []netip.Prefix
	Token string
}

// Enabled tells whether anybody at all may read the page.
func (a Access) Enabled() bool { return len(a.Allow) > 0 || a.Token != "" }

// Allows tells whether a client at ip (as the app resolves it) sending the Authorization header
// auth may read the page. The token is compared in constant time (of hashes, so not even its
// length shows).
func (a Access) Allows(ip, auth string) bool {
	if a.Token != "" {
		if got, ok := strings.CutPrefix(auth, "Bearer "); ok {
			g, w := sha256.Sum256([]byte(strings.TrimSpace(got))), sha256.Sum256([]byte(a.Token))
			if subtle.ConstantTimeCompare(g[:], w[:]) == 1 {
				return true
			}
		}
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range a.Allow {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// ParseAllow reads a comma-separated list of addresses and CIDRs (e.g. "10.0.0.5,192.168.1.0/24,
// ::1"); empty items are skipped, so "" allows nobody.
func ParseAllow(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("alamat atau CIDR tidak valid: %q", item)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
