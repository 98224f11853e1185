package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"pupns/store"
	"pupns/store/storetest"
)

// TestSweepExpiredClearsSessionsIndexAndLimiter: SweepExpired (what serve runs every five
// minutes) removes expired sessions, the index entries of their accounts and expired rate-limit
// records, and keeps what has not expired.
func TestSweepExpiredClearsSessionsIndexAndLimiter(t *testing.T) {
	clock := storetest.NewClock(fxStart, 0)
	s := storetest.Open(t, t.TempDir(), clock)
	fxMust(t, s.Sessions().Set("lama", []byte("x"), time.Hour))
	fxMust(t, s.TrackSession("budi", "lama"))
	_, err := s.LimitFail("masuk:akun:budi", store.LimitPolicy{Free: 5, Base: time.Minute, Max: time.Minute, Forget: time.Hour})
	fxMust(t, err)
	clock.Add(2 * time.Hour)
	fxMust(t, s.Sessions().Set("baru", []byte("x"), time.Hour))
	fxMust(t, s.TrackSession("budi", "baru"))
	got, err := s.SweepExpired()
	fxMust(t, err)
	if want := (store.Swept{Sessions: 1, SessionIndex: 1, Limiter: 1}); got != want {
		t.Fatalf("SweepExpired = %+v, want %+v", got, want)
	}
	if n, _ := s.SessionsOf("budi"); n != 1 {
		t.Fatalf("%d sessions of budi left, want the one not expired", n)
	}
	if got, _ := s.SweepExpired(); got != (store.Swept{}) {
		t.Fatalf("a second sweep removed %+v", got)
	}
}

// sessionRounds writes rounds of n logins (session and index entry) whose sessions then expire,
// sweeping after each round when sweep is set, and returns the file size after each round. The
// store skips fsync: what is measured is the file's layout, not the disk.
func sessionRounds(t *testing.T, rounds, n int, sweep bool) []int64 {
	t.Helper()
	dir := t.TempDir()
	clock := storetest.NewClock(fxStart, 0)
	s, err := store.Open(dir, store.Options{Now: clock.Now, NoSync: true})
	fxMust(t, err)
	defer s.Close()
	var sizes []int64
	for round := range rounds {
		var wg sync.WaitGroup
		for w := range 50 { // as many logins at once as a busy server sees: their writes share commits
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < n; i += 50 {
					sid := fmt.Sprintf("%043d", round*100000+i)
					if err := s.Sessions().Set(sid, []byte("csrf\x00token-of-forty-three-characters-long-xx"), 8*time.Hour); err != nil {
						t.Error(err)
					}
					if err := s.TrackSession(fmt.Sprintf("1986092620150510%02d", i%100), sid); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		clock.Add(9 * time.Hour)
		if sweep {
			got, err := s.SweepExpired()
			fxMust(t, err)
			if got.Sessions != n || got.SessionIndex != n {
				t.Fatalf("round %d swept %+v, want %d sessions and index entries", round, got, n)
			}
		}
		fi, err := os.Stat(filepath.Join(dir, "pupns.db"))
		fxMust(t, err)
		sizes = append(sizes, fi.Size())
	}
	return sizes
}

// TestSweptSessionsLeaveTheFileFlat: ten rounds of 5,000 logins whose sessions expire and are
// swept leave the data file the size it had after the first rounds: bbolt reuses the pages the
// sweep freed, so a busy server's file does not grow with its visitors. Without the sweep the
// same rounds grow it (the control, so the measure is known to see growth).
func TestSweptSessionsLeaveTheFileFlat(t *testing.T) {
	swept := sessionRounds(t, 10, 5000, true)
	kept := sessionRounds(t, 10, 5000, false)
	t.Logf("file size per round, swept: %v", swept)
	t.Logf("file size per round, never swept: %v", kept)
	if last, early := swept[len(swept)-1], swept[2]; last > early+early/10 {
		t.Fatalf("the file grew from %d to %d bytes over rounds 3–10: freed pages are not reused", early, last)
	}
	if kept[len(kept)-1] <= swept[len(swept)-1] {
		t.Fatalf("control: without the sweep the file (%d) is no larger than with it (%d)", kept[len(kept)-1], swept[len(swept)-1])
	}
}
