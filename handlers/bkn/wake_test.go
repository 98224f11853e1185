package bkn_test

import (
	"testing"
	"time"

	"pupns/handlers/bkn"
	"pupns/store"
	"pupns/store/storetest"
)

// TestRelayWakesOnCommit: the relay publishes as soon as a forward commits its outbox row, not at
// its next look: with a 30 s idle wait the line still reaches the hub's inbox within seconds.
func TestRelayWakesOnCommit(t *testing.T) {
	hs := startHubServer(t)
	hub := storetest.Open(t, t.TempDir(), storetest.NewClock(storetest.Start, 0))
	link(t, hub, bkn.Config{Role: store.BKNRoleKanreg, Kanreg: "I", URL: hs.url(), Offices: []string{"P33"}})
	off := storetest.NewOffice(t)
	link(t, off.Store, bkn.Config{Instansi: "P33", URL: hs.url(), Poll: 30 * time.Second})
	time.Sleep(200 * time.Millisecond) // the relay has looked at the empty outbox and idles
	toBKN(t, off.Store, storetest.NIPBudi, "Budi Susanto", v1P33, v2P33)
	start := time.Now() // the Level 2 forward has committed
	eventually(t, "the line at the hub", func() bool { return len(hubInbox(t, hub)) == 1 })
	took := time.Since(start)
	if took > 10*time.Second {
		t.Fatalf("the line took %s to reach the hub: the relay waited for its next look", took)
	}
	t.Logf("Level 2 forward committed → in the hub's inbox: %s (polled every 20 ms)", took)
}
