package store_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/store/storetest"
)

// The session and rate-limit storages are plugged into fiber; they must satisfy its interface.
var _ fiber.Storage = (*store.KV)(nil)

// fxKV opens a store whose clock only moves when the test moves it, and returns its session storage.
func fxKV(t *testing.T) (*store.Store, *store.KV, *storetest.Clock) {
	t.Helper()
	s, clock := fxOpen(t)
	clock.SetStep(0)
	return s, s.Sessions(), clock
}

func fxGet(t *testing.T, kv *store.KV, key string) []byte {
	t.Helper()
	v, err := kv.Get(key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return v
}

// TestKVRoundtrip: what is set comes back byte for byte; a missing key is (nil, nil) as fiber expects.
func TestKVRoundtrip(t *testing.T) {
	_, kv, _ := fxKV(t)
	val := []byte{0, 1, 2, 0xff, 'x'}
	fxMust(t, kv.Set("sess-1", val, time.Hour))
	if got := fxGet(t, kv, "sess-1"); !bytes.Equal(got, val) {
		t.Fatalf("Get = %v, want %v", got, val)
	}
	fxMust(t, kv.Set("sess-1", []byte("baru"), time.Hour))
	if got := fxGet(t, kv, "sess-1"); string(got) != "baru" {
		t.Fatalf("overwrite: Get = %q", got)
	}
	if got := fxGet(t, kv, "tidak-ada"); got != nil {
		t.Fatalf("missing key = %v, want nil", got)
	}
	// fiber's contract: empty key or value is ignored without an error.
	fxMust(t, kv.Set("", []byte("x"), 0))
	fxMust(t, kv.Set("kosong", nil, 0))
	if got := fxGet(t, kv, "kosong"); got != nil {
		t.Fatalf("empty value stored: %v", got)
	}
	if got := fxGet(t, kv, ""); got != nil {
		t.Fatalf("empty key = %v", got)
	}
	fxMust(t, kv.Close()) // Close must not close the shared bbolt file...
	if got := fxGet(t, kv, "sess-1"); string(got) != "baru" {
		t.Fatal("...the storage still works after Close")
	}
}

// TestKVGetReturnsCopy: bbolt's bytes are only valid inside their transaction (the bug of
// gofiber/storage/bbolt); Get must hand out a private copy, and Set must not keep the caller's slice.
func TestKVGetReturnsCopy(t *testing.T) {
	_, kv, _ := fxKV(t)
	// Fill the bucket first: a small bucket is stored inline and bbolt may hand out copies of it
	// anyway, which would hide a Get that returns bbolt's own memory.
	for i := range 50 {
		fxMust(t, kv.Set(fmt.Sprintf("awal-%03d", i), bytes.Repeat([]byte{byte(i)}, 512), time.Hour))
	}
	in := []byte("rahasia-sesi")
	fxMust(t, kv.Set("k", in, time.Hour))
	in[0] = 'X' // the caller reuses its buffer
	got := fxGet(t, kv, "k")
	if string(got) != "rahasia-sesi" {
		t.Fatalf("stored value follows the caller's buffer: %q", got)
	}
	for i := range got {
		got[i] = 0
	}
	if again := fxGet(t, kv, "k"); string(again) != "rahasia-sesi" {
		t.Fatalf("mutating a Get result changed the stored value: %q", again)
	}
	// And the copy stays valid after many later writes (no reference into a freed page).
	first := fxGet(t, kv, "k")
	for i := range 40 {
		fxMust(t, kv.Set(fmt.Sprintf("isi-%03d", i), bytes.Repeat([]byte{byte(i)}, 16<<10), time.Hour))
	}
	if string(first) != "rahasia-sesi" {
		t.Fatalf("earlier Get result changed: %q", first)
	}
}

// TestKVSessionExpires is the proof that sessions expire: a login session set for 30 minutes is
// there at 29:59 and refused from 30:00 on, even before any sweep deletes it. (The storage fiber
// ships for bbolt ignores expiry, which would keep a stolen session valid for ever.)
func TestKVSessionExpires(t *testing.T) {
	_, kv, clock := fxKV(t)
	fxMust(t, kv.Set("sess", []byte("nip=198609262015051001"), 30*time.Minute))
	clock.Add(30*time.Minute - time.Second)
	if got := fxGet(t, kv, "sess"); string(got) != "nip=198609262015051001" {
		t.Fatalf("session gone before its expiry: %q", got)
	}
	clock.Add(time.Second)
	if got := fxGet(t, kv, "sess"); got != nil {
		t.Fatalf("expired session returned: %q", got)
	}
	clock.Add(24 * time.Hour)
	if got := fxGet(t, kv, "sess"); got != nil {
		t.Fatalf("expired session returned a day later: %q", got)
	}
	// Setting it again (a new login) starts a new lifetime from now.
	fxMust(t, kv.Set("sess", []byte("baru"), time.Minute))
	if got := fxGet(t, kv, "sess"); string(got) != "baru" {
		t.Fatalf("renewed session = %q", got)
	}
}

// TestKVZeroExpiryNeverExpires: exp 0 means "no expiry" in fiber's contract.
func TestKVZeroExpiryNeverExpires(t *testing.T) {
	_, kv, clock := fxKV(t)
	fxMust(t, kv.Set("abadi", []byte("v"), 0))
	clock.Add(100 * 365 * 24 * time.Hour)
	if got := fxGet(t, kv, "abadi"); string(got) != "v" {
		t.Fatalf("exp 0 value gone: %q", got)
	}
	if n, err := kv.Sweep(); err != nil || n != 0 {
		t.Fatalf("Sweep removed %d, %v", n, err)
	}
	if got := fxGet(t, kv, "abadi"); string(got) != "v" {
		t.Fatal("Sweep removed an exp 0 value")
	}
}

// TestKVDelete: logout deletes the session; deleting a missing key is not an error.
func TestKVDelete(t *testing.T) {
	_, kv, _ := fxKV(t)
	fxMust(t, kv.Set("a", []byte("1"), time.Hour))
	fxMust(t, kv.Set("b", []byte("2"), time.Hour))
	fxMust(t, kv.Delete("a"))
	if got := fxGet(t, kv, "a"); got != nil {
		t.Fatalf("deleted key = %q", got)
	}
	if got := fxGet(t, kv, "b"); string(got) != "2" {
		t.Fatal("Delete removed another key")
	}
	fxMust(t, kv.Delete("a"))
	fxMust(t, kv.Delete(""))
}

// TestKVReset: Reset empties this storage (e.g. log everyone out) and it stays usable; the other
// storage in the same file (rate limits vs sessions) is untouched, and neither sees the other's keys.
func TestKVReset(t *testing.T) {
	s, kv, _ := fxKV(t)
	lim := s.Limiter()
	for i := range 10 {
		fxMust(t, kv.Set(fmt.Sprintf("s%d", i), []byte("x"), time.Hour))
	}
	fxMust(t, lim.Set("ip:10.0.0.1", []byte("3"), time.Minute))
	if got := fxGet(t, lim, "s1"); got != nil {
		t.Fatal("limiter sees a session key")
	}
	if got := fxGet(t, kv, "ip:10.0.0.1"); got != nil {
		t.Fatal("sessions see a limiter key")
	}
	fxMust(t, kv.Reset())
	for i := range 10 {
		if got := fxGet(t, kv, fmt.Sprintf("s%d", i)); got != nil {
			t.Fatalf("s%d survived Reset", i)
		}
	}
	if got := fxGet(t, lim, "ip:10.0.0.1"); string(got) != "3" {
		t.Fatal("Reset of sessions cleared the limiter")
	}
	fxMust(t, kv.Set("after", []byte("ok"), time.Hour))
	if got := fxGet(t, kv, "after"); string(got) != "ok" {
		t.Fatal("storage unusable after Reset")
	}
}

// TestKVSweepRemovesOnlyExpired: Sweep keeps the file from growing with dead sessions; it must
// delete every expired value (also runs of adjacent ones, where a cursor that deletes while
// iterating can skip keys) and nothing that is still valid.
func TestKVSweepRemovesOnlyExpired(t *testing.T) {
	_, kv, clock := fxKV(t)
	want := map[string]bool{} // key -> survives
	for i := range 60 {
		key := fmt.Sprintf("k%02d", i)
		var exp time.Duration
		switch {
		case i%10 < 4: // runs of four adjacent expired keys
			exp = time.Minute
		case i%10 == 4:
			exp = 0 // never expires
		default:
			exp = 2 * time.Hour
		}
		fxMust(t, kv.Set(key, []byte(key), exp))
		want[key] = exp != time.Minute
	}
	clock.Add(time.Hour)
	n, err := kv.Sweep()
	fxMust(t, err)
	if n != 24 {
		t.Fatalf("Sweep removed %d, want 24", n)
	}
	for key, survives := range want {
		got := fxGet(t, kv, key)
		if survives && string(got) != key {
			t.Errorf("%s (still valid) = %q after Sweep", key, got)
		}
		if !survives && got != nil {
			t.Errorf("%s (expired) = %q after Sweep", key, got)
		}
	}
	if n, err := kv.Sweep(); err != nil || n != 0 {
		t.Fatalf("second Sweep removed %d, %v", n, err)
	}
	// Later the two-hour ones expire too; the exp 0 ones never do.
	clock.Add(2 * time.Hour)
	if n, _ := kv.Sweep(); n != 30 {
		t.Fatalf("third Sweep removed %d, want 30", n)
	}
	if n, _ := kv.Sweep(); n != 0 {
		t.Fatalf("fourth Sweep removed %d", n)
	}
	if got := fxGet(t, kv, "k04"); string(got) != "k04" {
		t.Fatal("exp 0 value swept")
	}
}

// TestKVSurvivesReopen: sessions live in the data file, so a restart of the server does not log
// everyone out, and expiry still holds after the restart.
func TestKVSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	clock := storetest.NewClock(fxStart, 0)
	s, err := store.Open(dir, store.Options{Now: clock.Now})
	fxMust(t, err)
	fxMust(t, s.Sessions().Set("lama", []byte("v"), time.Hour))
	fxMust(t, s.Sessions().Set("pendek", []byte("v"), time.Minute))
	fxMust(t, s.Close())

	clock.Add(10 * time.Minute)
	s, err = store.Open(dir, store.Options{Now: clock.Now})
	fxMust(t, err)
	defer s.Close()
	if got := fxGet(t, s.Sessions(), "lama"); string(got) != "v" {
		t.Fatalf("session lost on reopen: %q", got)
	}
	if got := fxGet(t, s.Sessions(), "pendek"); got != nil {
		t.Fatal("expired session valid again after reopen")
	}
}

// TestKVConcurrent: many requests touch sessions at once (fiber calls the storage from every
// handler goroutine); run with -race.
func TestKVConcurrent(t *testing.T) {
	_, kv, _ := fxKV(t)
	done := make(chan error)
	for g := range 8 {
		go func() {
			var err error
			for i := 0; i < 25 && err == nil; i++ {
				key := fmt.Sprintf("g%d-%d", g, i)
				if err = kv.Set(key, []byte(key), time.Hour); err != nil {
					break
				}
				var v []byte
				if v, err = kv.Get(key); err == nil && string(v) != key {
					err = fmt.Errorf("Get(%s) = %q", key, v)
				}
				if err == nil && i%5 == 0 {
					err = kv.Delete(key)
				}
			}
			done <- err
		}()
	}
	for range 8 {
		fxMust(t, <-done)
	}
	if got := fxGet(t, kv, "g3-7"); string(got) != "g3-7" {
		t.Fatalf("g3-7 = %q", got)
	}
	if got := fxGet(t, kv, "g3-5"); got != nil {
		t.Fatalf("deleted g3-5 = %q", got)
	}
}
