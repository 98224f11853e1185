package store

import "runtime"

// HashPool bounds the password hashing (argon2id) the store does for logins, registrations,
// recoveries and password changes. Each hash holds 19 MiB while it runs, so 64 logins at once
// took the server to 1 GB; through the pool at most Workers hashes run at once, at most Queue
// more wait for a worker, and a call beyond that is refused with ErrBusy at once (the page says
// to try again in a few seconds) instead of adding to the memory or the wait.
type HashPool struct {
	slots   chan struct{} // one per running hash
	tickets chan struct{} // one per running or waiting hash
}

// NewHashPool makes a pool of workers (at least 1) with room for queue waiting calls.
func NewHashPool(workers, queue int) *HashPool {
	workers = max(workers, 1)
	return &HashPool{slots: make(chan struct{}, workers), tickets: make(chan struct{}, workers+max(queue, 0))}
}

// newHashPoolFor is the pool Open makes from the options: the core count, 64 waiting per worker.
func newHashPoolFor(opt Options) *HashPool {
	w := opt.HashWorkers
	if w <= 0 {
		w = runtime.NumCPU()
	}
	q := opt.HashQueue
	if q <= 0 {
		q = 64 * w
	}
	return NewHashPool(w, q)
}

// Do runs fn on a worker, waiting for one when all are busy; when the queue is full too it
// returns ErrBusy without running fn.
//
// Each hash leaves 19 MiB of garbage. The server's collector runs at GOGC=400 (handlers/runtime.go:
// cheap pages), which lets a storm of logins pile up five times the live heap of it before a
// collection: 64 logins at once peaked at 349 MB with two workers. So when other hashes are running
// or waiting, the caller collects once its hash is done (a few milliseconds, after its worker is
// free for the next): the storm's peak stays near the workers' own memory.
func (p *HashPool) Do(fn func()) error {
	select {
	case p.tickets <- struct{}{}:
	default:
		return ErrBusy
	}
	defer func() { <-p.tickets }()
	p.slots <- struct{}{}
	func() {
		defer func() { <-p.slots }()
		fn()
	}()
	if len(p.tickets) > 1 {
		runtime.GC()
	}
	return nil
}

// Load is how many calls hold a place (running or waiting) and how many places there are: for the
// monitoring page, and for tests that fill the pool.
func (p *HashPool) Load() (held, places int) { return len(p.tickets), cap(p.tickets) }

// Hashing is the store's pool: tests fill it to see what a busy server answers.
func (s *Store) Hashing() *HashPool { return s.hashing }

// hashPasswords hashes each of pws on one worker of the pool (a registration hashes three
// values: one wait, not three).
func (s *Store) hashPasswords(pws ...string) ([]string, error) {
	out := make([]string, len(pws))
	err := s.hashing.Do(func() {
		for i, pw := range pws {
			out[i] = HashPassword(pw)
		}
	})
	return out, err
}

// hashPassword is hashPasswords for one value.
func (s *Store) hashPassword(pw string) (string, error) {
	h, err := s.hashPasswords(pw)
	if err != nil {
		return "", err
	}
	return h[0], nil
}

// checkPasswords compares pairs of (hash, value) on one worker and tells whether all match. A
// hash "" stands for an unknown account: the dummy hash is compared instead, so an unknown
// account costs as long as a known one, through the same pool.
func (s *Store) checkPasswords(pairs ...[2]string) (bool, error) {
	ok := true
	err := s.hashing.Do(func() {
		for _, p := range pairs {
			hash := p[0]
			if hash == "" {
				hash = dummyHash()
				ok = false
			}
			if !CheckPassword(hash, p[1]) {
				ok = false
			}
		}
	})
	return ok && err == nil, err
}
