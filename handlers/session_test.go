package handlers

import (
	"maps"
	"testing"
)

// TestSessionCodecRoundTrips: what a session stores comes back exactly, including values with
// separators or non-ASCII, and an empty session.
func TestSessionCodecRoundTrips(t *testing.T) {
	for _, d := range []map[string]string{
		{},
		{"csrf": "abc", "login": "198609262015051001"},
		{"flash": "Data berhasil dikirim: 2 usulan, putaran 1 → Level 1", "k=v": "a\x00b;c"},
	} {
		got, ok := decodeSession(encodeSession(d))
		if !ok || !maps.Equal(got, d) {
			t.Fatalf("round trip of %v gave %v (ok %v)", d, got, ok)
		}
	}
}

// TestSessionCodecRefusesGarbage: a damaged stored value must not decode into a half session
// (which could, say, keep a login without its CSRF token); the request then starts a new session.
func TestSessionCodecRefusesGarbage(t *testing.T) {
	good := encodeSession(map[string]string{"login": "admin", "csrf": "x"})
	for name, raw := range map[string][]byte{
		"truncated":      good[:len(good)-1],
		"length too big": {0x05, 'a', 'b'},
		"bad varint":     {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
		"key only":       {0x01, 'k'},
	} {
		if d, ok := decodeSession(raw); ok {
			t.Errorf("%s: decoded to %v", name, d)
		}
	}
}
