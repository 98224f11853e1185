package store

import (
	crand "crypto/rand"
	"encoding/binary"
	"math/rand/v2"
	"strings"
)

// A nomor registrasi is what a PNS gets on registering (DOMAIN.md "The flow", step 1) and may log in
// with. It is RegNoLen characters from RegNoAlphabet (no 0/O, 1/I: nothing a person can misread when
// copying it from the printed bukti registrasi); the last character is a check character over the
// first nine, so a mistyped number is refused at once instead of looked up. It is random, never
// derived from the NIP: knowing someone's NIP must not give their login.
const (
	RegNoAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	RegNoLen      = 10
)

// regNoCheck returns the check character for the first RegNoLen-1 characters: the sum of each
// character's value times an odd weight (1, 3, 5, …), mod 32. Odd weights are invertible mod 32, so
// every single wrong character changes the check; swapping two neighbours changes it unless their
// values differ by exactly 16.
func regNoCheck(body string) (byte, bool) {
	sum := 0
	for i := 0; i < len(body); i++ {
		v := strings.IndexByte(RegNoAlphabet, body[i])
		if v < 0 {
			return 0, false
		}
		sum += v * (2*i + 1)
	}
	return RegNoAlphabet[sum%len(RegNoAlphabet)], true
}

// NewRegNo draws a nomor registrasi from src. The demo passes its seeded generator; registration
// should pass CryptoSource (or a ChaCha8 seeded from crypto/rand) so numbers cannot be predicted.
// Callers check uniqueness against users_by_regno themselves.
func NewRegNo(src rand.Source) string {
	b := make([]byte, RegNoLen)
	x := src.Uint64()
	for i := 0; i < RegNoLen-1; i++ { // 9 × 5 bits out of one 64-bit draw; 32 is a power of two, so uniform
		b[i] = RegNoAlphabet[x&31]
		x >>= 5
	}
	c, _ := regNoCheck(string(b[:RegNoLen-1]))
	b[RegNoLen-1] = c
	return string(b)
}

// RegNoValid tells whether s is a well-formed nomor registrasi: the right length, the alphabet and a
// matching check character. Letters may be typed in lower case; surrounding spaces are ignored.
func RegNoValid(s string) bool {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != RegNoLen {
		return false
	}
	c, ok := regNoCheck(s[:RegNoLen-1])
	return ok && s[RegNoLen-1] == c
}

// NormalizeRegNo returns the stored form of a typed nomor registrasi (trimmed, upper case).
func NormalizeRegNo(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

type cryptoSource struct{}

func (cryptoSource) Uint64() uint64 {
	var b [8]byte
	if _, err := crand.Read(b[:]); err != nil {
		panic(err)
	}
	return binary.LittleEndian.Uint64(b[:])
}

// CryptoSource is a rand.Source reading crypto/rand, for nomor registrasi that must not be guessable.
var CryptoSource rand.Source = cryptoSource{}
