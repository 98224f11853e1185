package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// TestServeRefusesDamagedData: `serve` on a data file with a damaged value, cut short, or emptied
// exits non-zero with the sentence that names the file and the way back (restore a backup copy),
// and never with a Go panic trace. On the intact file it starts and logs how long the check took.
func TestServeRefusesDamagedData(t *testing.T) {
	good := t.TempDir()
	if out, err := exec.Command(bin, "demo", "--data", good, "--pns", "30").CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(filepath.Join(good, "pupns.db"))
	if err != nil {
		t.Fatal(err)
	}
	s := startServe(t, "--data", good, "--addr", "127.0.0.1:0")
	if _, errOut := s.output(); !strings.Contains(errOut, "berkas data diperiksa") || !strings.Contains(errOut, "lama=") {
		t.Errorf("start-up does not log the check and its time:\n%s", errOut)
	}

	for _, tc := range []struct {
		name   string
		damage func(path string, b []byte) []byte
	}{
		{"value", func(path string, b []byte) []byte {
			v := firstRecord(t, path)
			i := bytes.Index(b, v)
			if i < 0 {
				t.Fatal("the record's bytes are not in the file")
			}
			b[i+len(v)/2] ^= 0x01 // one bit of one record
			return b
		}},
		{"truncated", func(_ string, b []byte) []byte { return b[:len(b)/3] }},
		{"empty", func(string, []byte) []byte { return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "pupns.db")
			if err := os.WriteFile(path, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tc.damage(path, bytes.Clone(raw)), 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, bin, "serve", "--data", dir, "--addr", "127.0.0.1:0").CombinedOutput()
			text := string(out)
			if err == nil || ctx.Err() != nil {
				t.Fatalf("serve on a damaged file: %v (want a non-zero exit)\n%s", err, text)
			}
			for _, want := range []string{"berkas data " + path + " rusak", "Pulihkan dari cadangan", "salin cadangan pupns.db ke folder " + dir} {
				if !strings.Contains(text, want) {
					t.Errorf("output lacks %q:\n%s", want, text)
				}
			}
			if strings.Contains(text, "panic:") || strings.Contains(text, "goroutine ") || strings.Contains(text, "pupns siap") {
				t.Errorf("output has a panic trace or a ready server:\n%s", text)
			}
		})
	}
}

// firstRecord returns the stored bytes of the first master record in the file at path.
func firstRecord(t *testing.T, path string) []byte {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v []byte
	_ = db.View(func(tx *bbolt.Tx) error {
		_, val := tx.Bucket([]byte("records")).Cursor().First()
		v = bytes.Clone(val)
		return nil
	})
	if len(v) < 100 {
		t.Fatalf("first record is %d bytes", len(v))
	}
	return v
}
