package handlers

import (
	"crypto/rand"
	"encoding/binary"
	"log/slog"
	"net/netip"
	"runtime/debug"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"pupns/handlers/metrics"
)

// Every request has an id: the one a trusted proxy in front sent in X-Request-ID when it is sane,
// else a new one. Every log line of the request carries it ("req"), the answer carries it back in
// X-Request-ID, and an error page shows it as "kode galat", so a help desk given the code finds
// the line.

const (
	headerRequestID = "X-Request-ID"
	localRequestID  = "pupns.reqid"
)

// idAlphabet is Crockford's base32 (no I, L, O, U): read aloud over the phone without confusion.
const idAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newRequestID is 12 characters, 60 random bits.
func newRequestID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	n := binary.BigEndian.Uint64(b[:])
	out := make([]byte, 12)
	for i := range out {
		out[i] = idAlphabet[n&31]
		n >>= 5
	}
	return string(out)
}

// saneRequestID accepts an incoming id of 1–64 letters, digits and . _ : - (a UUID, a proxy's
// hex id): nothing that could break a log line or a page.
func saneRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		ch := id[i]
		ok := ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' ||
			ch == '.' || ch == '_' || ch == ':' || ch == '-'
		if !ok {
			return false
		}
	}
	return true
}

// assignRequestID gives the request its id and puts it on the answer. An incoming id is taken
// only from a proxy pupns trusts (the connection's own address, loopback or --trusted-proxies):
// from anybody else it could be chosen to match another visitor's and muddle the help desk's search.
func (h *Handler) assignRequestID(c *fiber.Ctx) string {
	id := c.Get(headerRequestID)
	if id == "" || !saneRequestID(id) || !h.trustedPeer(c) {
		id = newRequestID()
	}
	c.Locals(localRequestID, id)
	c.Set(headerRequestID, id)
	return id
}

// trustedPeer tells whether the connection comes from loopback or one of the trusted proxies (the
// peer's own address, not one a header claims).
func (h *Handler) trustedPeer(c *fiber.Ctx) bool {
	addr, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return false
	}
	addr = addr.Unmap()
	if addr.IsLoopback() {
		return true
	}
	for _, p := range h.proxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// parseProxies reads --trusted-proxies (addresses and CIDRs); an entry that is neither is skipped,
// as Fiber's own check skips it.
func parseProxies(list []string) []netip.Prefix {
	var out []netip.Prefix
	for _, item := range list {
		if p, err := metrics.ParseAllow(item); err == nil {
			out = append(out, p...)
		}
	}
	return out
}

// requestID is the request's id ("" outside a request that went through logRequests).
func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// reqLog is the log for lines about this request: each carries its id.
func (h *Handler) reqLog(c *fiber.Ctx) *slog.Logger {
	return h.log.With("req", requestID(c))
}

// routeLabel is the request's route pattern for the metrics: a registered pattern, never the raw
// URL, so the label's values stay as few as the routes. A request that ended in a middleware
// mounted on "/" (not found, a refused CSRF token) is "other" (Fiber reports such a middleware
// as the route "/", which only the home page's own path may claim); one under a prefix mount
// (static files) is that prefix.
func routeLabel(c *fiber.Ctx) string {
	r := c.Route()
	if len(r.Handlers) == 0 || r.Path == "" || (r.Path == "/" && c.Path() != "/") {
		return "other"
	}
	return r.Path
}

// recoverer turns a handler's panic into a 500 and logs it, with its stack, as one line of the
// request's log (in the log's format, under the request's id) instead of raw text on stderr.
func (h *Handler) recoverer() fiber.Handler {
	return recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
		h.reqLog(c).Error("panic", "panic", e, "stack", string(debug.Stack()))
	}})
}
