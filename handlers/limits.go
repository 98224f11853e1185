package handlers

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
)

// Limits are the rate limits of the public doors (login, recovery, registration), kept in the
// bbolt file so a restart does not reset them.
type Limits struct {
	Account store.LimitPolicy // failures per account (login name, NIP)
	Address store.LimitPolicy // failures per client address: generous, a whole office may share one
	Lookup  store.LimitPolicy // NIP look-ups (Cari, cek status) per client address: every one counts
}

// DefaultLimits are the limits pupns serves with: an account locks after 5 failures (1 minute, doubling to at most 15 minutes, so
// the owner is never locked out for longer); an address after 50 failures; 200 look-ups an hour
// per address before look-ups slow down.
func DefaultLimits() Limits {
	return Limits{
		Account: store.LimitPolicy{Free: 5, Base: time.Minute, Max: 15 * time.Minute, Forget: 24 * time.Hour},
		Address: store.LimitPolicy{Free: 50, Base: time.Minute, Max: 15 * time.Minute, Forget: time.Hour},
		Lookup:  store.LimitPolicy{Free: 200, Base: 30 * time.Second, Max: 15 * time.Minute, Forget: time.Hour},
	}
}

func acctKey(door, who string) string {
	return door + ":akun:" + strings.ToLower(strings.TrimSpace(who))
}
func addrKey(door string, c *fiber.Ctx) string {
	return door + ":alamat:" + c.IP()
}

// waitOf is the longest wait among keys (0: go ahead).
func (h *Handler) waitOf(keys ...string) (time.Duration, error) {
	var longest time.Duration
	for _, k := range keys {
		w, err := h.store.LimitWait(k)
		if err != nil {
			return 0, err
		}
		longest = max(longest, w)
	}
	return longest, nil
}

// failed records a failure on the account and the address.
func (h *Handler) failed(account, address string) error {
	if account != "" {
		if _, err := h.store.LimitFail(account, h.cfg.Limits.Account); err != nil {
			return err
		}
	}
	_, err := h.store.LimitFail(address, h.cfg.Limits.Address)
	return err
}

// waitMessage says when to try again, in whole minutes (or seconds under a minute).
func waitMessage(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("Terlalu banyak percobaan. Coba lagi dalam %d detik.", int(math.Ceil(d.Seconds())))
	}
	return fmt.Sprintf("Terlalu banyak percobaan. Coba lagi dalam %d menit.", int(math.Ceil(d.Minutes())))
}
