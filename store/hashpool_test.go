package store_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pupns/store"
	"pupns/store/storetest"
)

// fillPool holds every place of p (running and waiting) until the returned release is called,
// and waits until all of them are taken.
func fillPool(t *testing.T, p *store.HashPool) (release func()) {
	t.Helper()
	_, places := p.Load()
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for range places {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.Do(func() { <-gate }); err != nil {
				t.Errorf("filling the pool: %v", err)
			}
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		if held, _ := p.Load(); held == places {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the pool did not fill")
		}
	}
	return func() { close(gate); wg.Wait() }
}

// TestHashPoolBoundsConcurrencyAndRefusesBeyondItsQueue: with 2 workers and a queue of 3, five
// calls get a place, at most two run at once, the sixth is refused with ErrBusy at once, and
// once the five are done the pool takes calls again.
func TestHashPoolBoundsConcurrencyAndRefusesBeyondItsQueue(t *testing.T) {
	p := store.NewHashPool(2, 3)
	if _, places := p.Load(); places != 5 {
		t.Fatalf("places = %d, want 5", places)
	}
	var running, most atomic.Int32
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := p.Do(func() {
				n := running.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				<-gate
				running.Add(-1)
			})
			if err != nil {
				t.Errorf("a call within the queue: %v", err)
			}
		}()
	}
	for held, _ := p.Load(); held < 5; held, _ = p.Load() {
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	ran := false
	if err := p.Do(func() { ran = true }); !errors.Is(err, store.ErrBusy) || ran {
		t.Fatalf("the sixth call: err %v, ran %v; want ErrBusy without running", err, ran)
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("the refusal took %v: it must not wait", d)
	}
	if n := running.Load(); n != 2 {
		t.Errorf("%d calls running with 2 workers", n)
	}
	close(gate)
	wg.Wait()
	if m := most.Load(); m != 2 {
		t.Errorf("at most %d ran at once, want 2", m)
	}
	if err := p.Do(func() {}); err != nil {
		t.Fatalf("after the queue drained: %v", err)
	}
}

// TestEveryPasswordPathGoesThroughTheHashingPool: while the store's pool is full, a login (known
// account or unknown: the dummy hash takes the same way), a recovery, a registration, a password
// change and a new password are all refused with ErrBusy and nothing is written; once the
// pool has room, the login works.
func TestEveryPasswordPathGoesThroughTheHashingPool(t *testing.T) {
	o := storetest.NewOffice(t, storetest.With(storetest.SeedApplicant))
	st := o.Store
	release := fillPool(t, st.Hashing())
	busy := map[string]error{}
	_, busy["login"] = st.Authenticate(storetest.NIPBudi, storetest.Password)
	_, busy["unknown login"] = st.Authenticate("tidak-ada", "apa-saja-123")
	_, busy["recovery"] = st.Recover(storetest.NIPBudi, "q", "a", "m")
	busy["password change"] = st.ChangePassword(storetest.NIPBudi, storetest.Password, "Teh-Tarik-Dingin", "Teh-Tarik-Dingin", "")
	busy["set password"] = st.SetPassword(storetest.NIPBudi, "Teh-Tarik-Dingin", "Teh-Tarik-Dingin", "")
	_, busy["registration"] = st.Register(store.Registration{NIP: storetest.NIPAgus, NIK: storetest.NIKAgus, Email: "agus@contoh.go.id",
		Password: "Teh-Tarik-Dingin", Password2: "Teh-Tarik-Dingin", Mother: "Siti Aminah", Question: store.SecurityQuestions[0].Code, Answer: "kucing"})
	for what, err := range busy {
		if !errors.Is(err, store.ErrBusy) {
			t.Errorf("%s while the pool is full: %v, want ErrBusy", what, err)
		}
	}
	release()
	if _, err := st.User(storetest.NIPAgus); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused registration was stored: %v", err)
	}
	if _, err := st.Authenticate(storetest.NIPBudi, storetest.Password); err != nil {
		t.Fatalf("login after the pool drained: %v", err)
	}
}
