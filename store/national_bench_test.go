package store_test

import (
	"fmt"
	"testing"

	"pupns/store"
	"pupns/store/demo"
)

// BenchmarkNationalSnapshot takes an office's national snapshot at 2,000 and at 20,000 PNS (demo
// master data): it reads the counters and the organisation tree, never a PNS, so both cost about
// the same (the report's ns/op side by side; README › National figures).
func BenchmarkNationalSnapshot(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		b.Run(fmt.Sprintf("pns=%d", n), func(b *testing.B) {
			st, err := store.Open(b.TempDir(), store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			if _, err := demo.Generate(st, demo.Options{PNS: n}); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				snap, err := st.NationalSnapshot("P33") // the demo's instansi
				if err != nil || snap.Counts[store.CountMaster] != uint64(n) {
					b.Fatalf("snapshot: %v, master %d", err, snap.Counts[store.CountMaster])
				}
			}
		})
	}
}
