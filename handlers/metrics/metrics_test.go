package metrics

import (
	"testing"
	"time"
)

// BenchmarkObserve is what counting one request adds to it: the counter and the histogram of its
// route, from 2 goroutines per core as under load.
//
//	go test -run '^$' -bench Observe ./handlers/metrics/
func BenchmarkObserve(b *testing.B) {
	m := New(Sources{})
	routes := []string{"/data", "/verifikasi/:id", "/masuk", "/data/:tab/:field", "/static", "other"}
	b.SetParallelism(2)
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			m.Observe("GET", routes[i%len(routes)], 200, 3*time.Millisecond)
			i++
		}
	})
}

// TestAccessAllows: the token alone, an address alone, both refused when wrong; the zero Access
// lets nobody in, not even loopback.
func TestAccessAllows(t *testing.T) {
	allow, err := ParseAllow("127.0.0.1,10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	a := Access{Allow: allow, Token: "0123456789abcdef0123"}
	for _, tc := range []struct {
		ip, auth string
		want     bool
	}{
		{"127.0.0.1", "", true},
		{"::ffff:10.2.3.4", "", true},
		{"192.0.2.7", "", false},
		{"192.0.2.7", "Bearer 0123456789abcdef0123", true},
		{"192.0.2.7", "Bearer 0123456789abcdef012", false},
		{"192.0.2.7", "bearer 0123456789abcdef0123", false},
		{"", "", false},
	} {
		if got := a.Allows(tc.ip, tc.auth); got != tc.want {
			t.Errorf("Allows(%q, %q) = %v", tc.ip, tc.auth, got)
		}
	}
	var none Access
	if none.Enabled() || none.Allows("127.0.0.1", "") || none.Allows("::1", "Bearer ") {
		t.Fatal("the zero Access lets somebody in")
	}
}
