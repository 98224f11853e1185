package store_test

import (
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"pupns/store"
	"pupns/store/demo"
)

// TestComplianceSize times the non-compliance list and the close on a demo office of PUPNS_BIG PNS
// (the README's figures); skipped without it.
func TestComplianceSize(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("PUPNS_BIG"))
	if n <= 0 {
		t.Skip("set PUPNS_BIG=N to time the list and the close on N PNS")
	}
	s, err := store.Open(t.TempDir(), store.Options{})
	fxMust(t, err)
	defer s.Close()
	if _, err := demo.Generate(s, demo.Options{PNS: n}); err != nil {
		t.Fatal(err)
	}
	admin := store.Actor{Login: "admin", Role: store.RoleAdmin}
	start := time.Now()
	page, err := s.NonCompliance(admin, store.NonComplianceFilter{Limit: 50})
	fxMust(t, err)
	t.Logf("first page of 50: %v", time.Since(start))
	start = time.Now()
	all, err := s.NonCompliance(admin, store.NonComplianceFilter{})
	fxMust(t, err)
	t.Logf("whole list (%d of %d): %v; first page had %d", len(all.Items), n, time.Since(start), len(page.Items))
	before, _ := os.Stat(s.DB().Path())
	var ms runtime.MemStats
	runtime.GC()
	start = time.Now()
	closed, err := s.CloseCampaign(admin, len(all.Items))
	fxMust(t, err)
	el := time.Since(start)
	runtime.ReadMemStats(&ms)
	after, _ := os.Stat(s.DB().Path())
	t.Logf("close of %d: %v, file %d → %d MiB, heap in use after %d MiB", closed, el, before.Size()>>20, after.Size()>>20, ms.HeapInuse>>20)
	start = time.Now()
	again, err := s.CloseCampaign(admin, 0)
	fxMust(t, err)
	t.Logf("second close (%d): %v", again, time.Since(start))
	start = time.Now()
	p, err := s.Audit(admin, store.AuditFilter{Actor: "nobody"})
	fxMust(t, err)
	t.Logf("audit page for an absent actor: %v (partial %v)", time.Since(start), p.Partial)
}
