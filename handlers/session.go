package handlers

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
)

// sessionStore keeps login sessions server-side in the bbolt file through store.KV (real expiry).
// The cookie holds only a random id. Session data is a few short strings, encoded as
// length-prefixed pairs: fiber's session middleware builds a new gob decoder for every request,
// which cost a tenth of the CPU of a page view (see README, Performance).
type sessionStore struct {
	kv     *store.KV
	ttl    time.Duration
	cookie string
	secure bool
	// A visitor without a session gets forms whose CSRF token is signed with secret and bound to
	// a random value in the formCookie (double submit), valid for formTTL: nothing is stored for
	// them. now is the store's clock.
	secret     []byte
	formCookie string
	formTTL    time.Duration
	now        func() time.Time
}

// newSessionStore is the session storage of the app: sessions in the store's file, form tokens
// signed with the store's form secret.
func newSessionStore(st *store.Store, cfg Config) *sessionStore {
	m := &sessionStore{kv: st.Sessions(), ttl: cfg.SessionTTL, cookie: "pupns_sesi", secure: cfg.SecureCookies,
		secret: st.FormSecret(), formCookie: "pupns_formulir", formTTL: cfg.FormTokenTTL, now: st.Now}
	if cfg.SecureCookies {
		m.formCookie = "__Host-pupns_formulir" // over HTTPS: no other host may plant it
	}
	return m
}

// session is one request's view of its session.
type session struct {
	m    *sessionStore
	c    *fiber.Ctx
	id   string
	data map[string]string
}

const sessionIDLen = 43 // base64url of 32 random bytes

// get loads the session the request's cookie names, or starts a new one (not yet stored).
func (m *sessionStore) get(c *fiber.Ctx) (*session, error) {
	s := &session{m: m, c: c, data: map[string]string{}}
	if id := c.Cookies(m.cookie); len(id) == sessionIDLen {
		raw, err := m.kv.Get(id)
		if err != nil {
			return nil, err
		}
		if d, ok := decodeSession(raw); ok && raw != nil {
			s.id, s.data = id, d
		}
	}
	if s.id == "" {
		s.id = newToken()
	}
	return s, nil
}

// ID is the session id (what the cookie carries).
func (s *session) ID() string { return s.id }

// Get returns a value, "" when unset.
func (s *session) Get(key string) string { return s.data[key] }

// Set sets a value; Save stores it.
func (s *session) Set(key, val string) { s.data[key] = val }

// Delete removes a value; Save stores the change.
func (s *session) Delete(key string) { delete(s.data, key) }

// Regenerate moves the data to a new id and forgets the old one (on login: no fixation).
func (s *session) Regenerate() error {
	if err := s.m.kv.Delete(s.id); err != nil {
		return err
	}
	s.id = newToken()
	return nil
}

// Destroy forgets the session in storage and in the browser.
func (s *session) Destroy() error {
	if err := s.m.kv.Delete(s.id); err != nil {
		return err
	}
	s.data = map[string]string{}
	s.c.Cookie(&fiber.Cookie{Name: s.m.cookie, Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0),
		HTTPOnly: true, Secure: s.m.secure, SameSite: fiber.CookieSameSiteLaxMode})
	return nil
}

// Save stores the session with a fresh expiry and (re)sets the cookie. A session left with
// nothing in it (a flash shown to a visitor who is not logged in) is forgotten instead.
func (s *session) Save() error {
	if len(s.data) == 0 {
		return s.Destroy()
	}
	if err := s.m.kv.Set(s.id, encodeSession(s.data), s.m.ttl); err != nil {
		return err
	}
	s.c.Cookie(&fiber.Cookie{Name: s.m.cookie, Value: s.id, Path: "/", MaxAge: int(s.m.ttl.Seconds()),
		HTTPOnly: true, Secure: s.m.secure, SameSite: fiber.CookieSameSiteLaxMode})
	return nil
}

// encodeSession writes the pairs in key order: uvarint length, bytes, for key then value.
func encodeSession(d map[string]string) []byte {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]byte, 0, 128)
	for _, k := range keys {
		out = binary.AppendUvarint(out, uint64(len(k)))
		out = append(out, k...)
		out = binary.AppendUvarint(out, uint64(len(d[k])))
		out = append(out, d[k]...)
	}
	if len(out) == 0 {
		out = append(out, 0) // KV does not keep empty values; a lone 0 is an empty key, skipped on decode
	}
	return out
}

// decodeSession reads what encodeSession wrote; ok is false for anything malformed.
func decodeSession(raw []byte) (map[string]string, bool) {
	d := map[string]string{}
	next := func() (string, bool) {
		n, w := binary.Uvarint(raw)
		if w <= 0 || uint64(len(raw)-w) < n {
			return "", false
		}
		s := string(raw[w : w+int(n)])
		raw = raw[w+int(n):]
		return s, true
	}
	for len(raw) > 0 {
		k, ok := next()
		if !ok {
			return nil, false
		}
		if k == "" && len(raw) == 0 {
			break
		}
		v, ok := next()
		if !ok {
			return nil, false
		}
		d[k] = v
	}
	return d, true
}

// formMACLen is how many bytes of the HMAC a form token carries.
const formMACLen = 24

// visitorCookie returns the request's form cookie value, setting a new random one on the response
// when the request has none (or a malformed one).
func (m *sessionStore) visitorCookie(c *fiber.Ctx) string {
	if v := c.Cookies(m.formCookie); len(v) == sessionIDLen {
		return v
	}
	v := newToken()
	c.Cookie(&fiber.Cookie{Name: m.formCookie, Value: v, Path: "/", HTTPOnly: true, Secure: m.secure,
		SameSite: fiber.CookieSameSiteLaxMode})
	return v
}

// formMAC signs a form cookie value and an expiry.
func (m *sessionStore) formMAC(cookie string, exp uint64) []byte {
	mac := hmac.New(sha256.New, m.secret)
	mac.Write([]byte("pupns-formulir\x00"))
	mac.Write([]byte(cookie))
	mac.Write(binary.BigEndian.AppendUint64(nil, exp))
	return mac.Sum(nil)[:formMACLen]
}

// formToken is the CSRF token for a visitor without a session: its expiry (unix seconds) and
// the signature of the expiry and their form cookie.
func (m *sessionStore) formToken(cookie string) string {
	exp := uint64(m.now().Add(m.formTTL).Unix())
	raw := binary.BigEndian.AppendUint64(nil, exp)
	return base64.RawURLEncoding.EncodeToString(append(raw, m.formMAC(cookie, exp)...))
}

// formTokenOK tells whether tok is a form token for cookie that has not expired.
func (m *sessionStore) formTokenOK(cookie, tok string) bool {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw) != 8+formMACLen || len(cookie) != sessionIDLen {
		return false
	}
	exp := binary.BigEndian.Uint64(raw)
	if int64(exp) < m.now().Unix() {
		return false
	}
	return subtle.ConstantTimeCompare(raw[8:], m.formMAC(cookie, exp)) == 1
}
