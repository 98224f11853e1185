package main

import (
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
)

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
