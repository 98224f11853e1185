package store_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"pupns/store"
)

// TestPasswordCostIsProduction pins the argon2id parameters of a hash made without
// SetPasswordCostForTesting (this binary never calls it): OWASP's minimum, 19 MiB, 2 passes,
// 1 lane. The handler and browser tests make hashing cheap; production must not.
func TestPasswordCostIsProduction(t *testing.T) {
	h := store.HashPassword("rahasia123")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q, want argon2id with m=19456,t=2,p=1", h)
	}
	if !store.CheckPassword(h, "rahasia123") || store.CheckPassword(h, "rahasia124") {
		t.Fatal("the production hash does not check")
	}
}

// TestCheckPasswordReadsTheCostFromTheHash: a hash made at another cost (as the tests' cheap
// one) still checks, because CheckPassword takes m, t and p from the hash, not from the constants.
func TestCheckPasswordReadsTheCostFromTheHash(t *testing.T) {
	salt := []byte("0123456789abcdef")
	enc := base64.RawStdEncoding
	key := argon2.IDKey([]byte("rahasia123"), salt, 1, 64, 1, 32)
	h := "$argon2id$v=19$m=64,t=1,p=1$" + enc.EncodeToString(salt) + "$" + enc.EncodeToString(key)
	if !store.CheckPassword(h, "rahasia123") || store.CheckPassword(h, "rahasia124") {
		t.Fatal("a cheap hash does not check")
	}
}
