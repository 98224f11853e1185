package main

import (
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
)

// TestParseBytes reads the sizes --disk-reserve accepts and refuses the rest.
func TestParseBytes(t *testing.T) {
	for in, want := range map[string]uint64{"0": 0, "4096": 4096, "512MiB": 512 << 20, "512M": 512 << 20, "2GiB": 2 << 30,
		"2 GB": 2 << 30, "1tib": 1 << 40, "64KiB": 64 << 10} {
		if got, err := parseBytes(in); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MiB", "-1", "1.5GiB", "12XB", "99999999999TiB"} {
		if _, err := parseBytes(in); err == nil {
			t.Errorf("parseBytes(%q) accepted", in)
		}
	}
}

// TestServeDiskReserveFlag: --disk-reserve reaches the health check (a reserve larger than any
// disk makes it warn), and a size it cannot read stops serve with a sentence.
func TestServeDiskReserveFlag(t *testing.T) {
	s := startServe(t, "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--disk-reserve", "1000000TiB")
	resp, err := http.Get(s.url(t) + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"status":"peringatan"`) {
		t.Fatalf("healthz with a huge reserve: %d %s", resp.StatusCode, body)
	}
	out, err := exec.Command(bin, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--disk-reserve", "banyak").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--disk-reserve: ukuran tidak terbaca") {
		t.Fatalf("an unreadable reserve: %v\n%s", err, out)
	}
}
