package backup

import (
	"context"
	"fmt"
	"os"
	"time"
)

// Run takes a backup every Config.Every until ctx ends: the first as soon as the newest good one
// is a schedule old (at once on a server that was stopped for longer, or that never had one).
// Without a schedule it returns at once.
func (b *Backups) Run(ctx context.Context) {
	if b.cfg.Every <= 0 {
		return
	}
	b.log.Info("cadangan terjadwal", "folder", b.cfg.Dir, "setiap", b.cfg.Every.String(), "simpan", b.cfg.Keep)
	wait := time.Duration(0)
	if t, ok := b.Newest(); ok {
		wait = max(0, b.cfg.Every-b.now().Sub(t))
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		_, _ = b.Take() // Take logs its outcome; a failed backup is retried at the next turn
		timer.Reset(b.cfg.Every)
	}
}

// Snapshot writes a fresh consistent backup into a temporary file in the backup folder and
// returns it open at its start, already unlinked (the space is freed when it is closed), with its
// size: a download then reads the file at the client's pace while no read transaction is held.
func (b *Backups) Snapshot() (*os.File, int64, error) {
	if err := os.MkdirAll(b.cfg.Dir, 0o750); err != nil {
		return nil, 0, fmt.Errorf("folder cadangan %s: %w", b.cfg.Dir, err)
	}
	f, err := os.CreateTemp(b.cfg.Dir, ".unduh-*.tmp")
	if err != nil {
		return nil, 0, err
	}
	_ = os.Remove(f.Name())
	n, err := b.st.Backup(f)
	if err == nil {
		_, err = f.Seek(0, 0)
	}
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("cadangan untuk diunduh gagal ditulis: %w", err)
	}
	b.log.Info("cadangan diunduh", "ukuran", n)
	return f, n, nil
}

// Start runs the schedule in the background until ctx ends or the returned stop is called; stop
// waits for a backup under way, so the store is closed after it.
func (b *Backups) Start(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.Run(ctx)
	}()
	return func() { cancel(); <-done }
}
