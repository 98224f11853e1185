package store

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// The demo generator and its tests moved to package store/demo. What stays here is the fixed
// clock those tests used, which importcsv_test.go still opens its store with, and the test of the
// nomor registrasi, which is store's own.

var demoNow = time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC)

// openDemoStore opens an empty store in a temporary folder whose clock says demoNow.
func openDemoStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.TempDir(), Options{Now: func() time.Time { return demoNow }, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestRegNo(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		n := NewRegNo(r)
		if len(n) != RegNoLen || !RegNoValid(n) || seen[n] {
			t.Fatalf("NewRegNo gave %q", n)
		}
		seen[n] = true
		// Every single wrong character is caught.
		for pos := 0; pos < RegNoLen; pos++ {
			for _, c := range RegNoAlphabet {
				if byte(c) == n[pos] {
					continue
				}
				bad := n[:pos] + string(c) + n[pos+1:]
				if RegNoValid(bad) {
					t.Fatalf("%s accepted for %s", bad, n)
				}
			}
		}
	}
	for _, bad := range []string{"", "23456789A", "23456789ABC", "0OI1234567", "abc"} {
		if RegNoValid(bad) {
			t.Errorf("RegNoValid(%q)", bad)
		}
	}
	n := NewRegNo(CryptoSource)
	if !RegNoValid(" "+strings.ToLower(n)+" ") || NormalizeRegNo(" "+strings.ToLower(n)) != n {
		t.Errorf("typed forms of %s", n)
	}
}
