//go:build torture

package torture

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// Damaged files on the 2,000-PNS demo office: `pupns serve` checks the file at start, reports how
// long that took, and refuses every damaged variant with the sentence and the way back, never with
// a panic trace; one damaged meta page is survived (bbolt reads the other) with a warning.

// integritySafeBuffer collects a process's output while the test reads it.
type integritySafeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *integritySafeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *integritySafeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// integrityServe runs `pupns serve` on dir until it is ready (then stops it with SIGTERM) or exits
// by itself; it returns the output and whether the server became ready.
func integrityServe(t *testing.T, dir string) (out string, ready bool, exitErr error) {
	t.Helper()
	var buf integritySafeBuffer
	cmd := exec.Command(bin, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.After(2 * time.Minute)
	for {
		select {
		case err := <-done:
			return buf.String(), false, err
		case <-deadline:
			cmd.Process.Kill()
			t.Fatalf("serve neither ready nor exited:\n%s", buf.String())
		case <-time.After(20 * time.Millisecond):
			if strings.Contains(buf.String(), "pupns siap") {
				cmd.Process.Signal(syscall.SIGTERM)
				err := <-done
				return buf.String(), true, err
			}
		}
	}
}

// integrityUsersPages finds the users bucket's root (a branch), its first leaf, and the stored
// bytes of the first master record.
func integrityUsersPages(t *testing.T, path string) (branch, leaf, ps int, record []byte) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.View(func(tx *bbolt.Tx) error {
		branch, ps = int(tx.Bucket([]byte("users")).Root()), db.Info().PageSize
		_, v := tx.Bucket([]byte("records")).Cursor().First()
		record = bytes.Clone(v)
		return nil
	})
	db.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	if le.Uint16(b[branch*ps+8:]) != 0x01 {
		t.Fatalf("users root %d is not a branch", branch)
	}
	for leaf = branch; le.Uint16(b[leaf*ps+8:]) == 0x01; { // down the first children to a leaf
		leaf = int(le.Uint64(b[leaf*ps+16+8:]))
	}
	if le.Uint16(b[leaf*ps+8:]) != 0x02 {
		t.Fatalf("users page %d under the root is not a leaf", leaf)
	}
	return branch, leaf, ps, record
}

func TestIntegrityDamagedFilesOn2000PNS(t *testing.T) {
	base := t.TempDir()
	start := time.Now()
	if out, err := exec.Command(bin, "demo", "--data", base, "--pns", "2000").CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	t.Logf("demo --pns 2000: %v", time.Since(start).Round(time.Millisecond))
	path := filepath.Join(base, "pupns.db")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	branch, leaf, ps, record := integrityUsersPages(t, path)

	// The intact file: checked, timed, served. Three starts, the figure is each one's. Each start
	// follows the removal of the check stamp a clean close leaves (store/checkstamp.go), so the
	// figure is the full check's, as after a crash; a start that finds the stamp only reads the meta
	// pages.
	check := regexp.MustCompile(`berkas data diperiksa" lama=(\S+) halaman=(\d+) nilai=(\d+)`)
	for i := range 3 {
		if err := os.Remove(filepath.Join(base, "pupns.checked")); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		out, ready, err := integrityServe(t, base)
		m := check.FindStringSubmatch(out)
		if !ready || err != nil || m == nil || m[2] == "0" {
			t.Fatalf("intact file: ready=%v err=%v, want a full check\n%s", ready, err, out)
		}
		fmt.Printf("FIGURE integrity start-up check, 2,000-PNS demo (%d MB, %s pages, %s values), run %d: %s\n",
			len(raw)>>20, m[2], m[3], i+1, m[1])
	}

	garble := func(id int) func([]byte) []byte {
		return func(b []byte) []byte {
			for i := id*ps + 16; i < id*ps+16+64; i++ {
				b[i] ^= 0xA5
			}
			return b
		}
	}
	flipMeta := func(b []byte, page int) { b[page*ps+16+20] ^= 0xFF }
	for _, tc := range []struct {
		name   string
		damage func([]byte) []byte
		want   string // "" when the server must start (with a warning)
	}{
		{"record value", func(b []byte) []byte { b[bytes.Index(b, record)+len(record)/2] ^= 0x01; return b }, "wadah records"},
		{"users branch page", garble(branch), "halaman"},
		{"users leaf page", garble(leaf), "halaman"},
		{"both meta pages", func(b []byte) []byte { flipMeta(b, 0); flipMeta(b, 1); return b }, "kedua halaman meta rusak"},
		{"truncated", func(b []byte) []byte { return b[:len(b)/3] }, "terpotong"},
		{"empty", func([]byte) []byte { return nil }, "kosong"},
		{"one meta page", func(b []byte) []byte { flipMeta(b, 0); return b }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "pupns.db"), tc.damage(bytes.Clone(raw)), 0o600); err != nil {
				t.Fatal(err)
			}
			out, ready, err := integrityServe(t, dir)
			if strings.Contains(out, "panic:") || strings.Contains(out, "goroutine ") {
				t.Fatalf("panic trace:\n%s", out)
			}
			if tc.want == "" {
				if !ready || !strings.Contains(out, "halaman meta 0 rusak") {
					t.Fatalf("one damaged meta page: ready=%v, want a start with a warning\n%s", ready, out)
				}
				return
			}
			if ready || err == nil {
				t.Fatalf("served a damaged file (ready=%v, exit %v):\n%s", ready, err, out)
			}
			for _, w := range []string{tc.want, "Pulihkan dari cadangan", "pupns restore BERKAS-CADANGAN --data " + dir} {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
