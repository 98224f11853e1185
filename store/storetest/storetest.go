// Package storetest is the one test office: a store on a temporary folder, a settable clock, and
// a small seeded office with named people, shared by the store, handler, browser and benchmark
// tests. It is imported by tests only; nothing in it is for production.
package storetest

import (
	"sync"
	"testing"
	"time"

	"pupns/store"
)

// Start is the default clock's first reading: 1 October 2016, 09:00 UTC, inside the 2016
// re-registration, when every seeded PNS has served long enough for their histories to agree.
var Start = time.Date(2016, 10, 1, 9, 0, 0, 0, time.UTC)

// Clock is a goroutine-safe settable time source shared by the store (as Options.Now) and the
// test. Each reading advances it by its step (zero by default), so a test that wants every store
// call to get its own timestamp sets one.
type Clock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

// NewClock starts a clock at start that advances by step on every reading.
func NewClock(start time.Time, step time.Duration) *Clock {
	return &Clock{t: start, step: step}
}

// Now reads the clock and then advances it by the step.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.t
	c.t = c.t.Add(c.step)
	return now
}

// Add moves the clock forward by d without a reading.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// SetStep changes how far each reading moves the clock.
func (c *Clock) SetStep(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.step = d
}

// CheapPasswords makes every password hash of this test binary cheap (argon2id with 1 pass over
// 64 KiB instead of the production 2 passes over 19 MiB), so that the hundreds of logins of the
// handler and browser tests do not dominate the run. Call it first in TestMain, before any
// goroutine hashes. The store's own tests do not call it: they pin the production cost.
func CheapPasswords() {
	store.SetPasswordCostForTesting(1, 64)
}

// Open opens a store on dir with the clock (nil: the wall clock) and closes it when the test ends.
// A test that closes it earlier (to reopen the same folder) may: closing twice is harmless.
func Open(tb testing.TB, dir string, clock *Clock) *store.Store {
	tb.Helper()
	var opt store.Options
	if clock != nil {
		opt.Now = clock.Now
	}
	st, err := store.Open(dir, opt)
	if err != nil {
		tb.Fatalf("store.Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := st.Close(); err != nil {
			tb.Errorf("closing the store: %v", err)
		}
	})
	return st
}
