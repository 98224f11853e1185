package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestServeMetricsTokenAndJSONLog: the real server with --log-format json and the token from
// PUPNS_METRICS_TOKEN: /metrics refuses a loopback scraper without the token (loopback is not
// allowed by default) and serves the Prometheus text with it; a refused page's X-Request-ID is the
// "req" of its JSON log line on stderr.
func TestServeMetricsTokenAndJSONLog(t *testing.T) {
	const token = "token-uji-metrik-0123456789abcdef"
	t.Setenv("PUPNS_METRICS_TOKEN", token)
	s := startServe(t, "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--log-format", "json", "--metrics-allow", "10.0.0.0/8")
	base := ""
	_, errOut := s.output()
	for _, l := range strings.Split(errOut, "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == "pupns siap" {
			base, _ = m["url"].(string)
		}
	}
	if base == "" {
		t.Fatalf("no JSON ready line with the url:\n%s", errOut)
	}
	get := func(path, auth string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", base+path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	if res, body := get("/metrics", ""); res.StatusCode != http.StatusForbidden || strings.Contains(body, "pupns_") {
		t.Fatalf("/metrics without the token from loopback: %d\n%s", res.StatusCode, body)
	}
	res, body := get("/metrics", "Bearer "+token)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "pupns_db_file_size_bytes ") || !strings.Contains(body, `pupns_http_requests_total{method="GET",route="/metrics",status="403"} 1`) {
		t.Fatalf("/metrics with the token: %d\n%s", res.StatusCode, body)
	}
	res, body = get("/tidak-ada", "")
	id := res.Header.Get("X-Request-ID")
	if res.StatusCode != http.StatusNotFound || id == "" || !strings.Contains(body, id) {
		t.Fatalf("404: %d id %q", res.StatusCode, id)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, errOut := s.output()
		found := false
		for _, l := range strings.Split(errOut, "\n") {
			var m map[string]any
			if json.Unmarshal([]byte(l), &m) == nil && m["req"] == id && m["msg"] == "http" && m["status"] == float64(404) {
				found = true
			}
		}
		if found {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no JSON line with req=%s on stderr:\n%s", id, errOut)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestServeRefusesBadMetricsAndLogFlags: a bad CIDR, a short token or an unknown log format
// stops serve at once with a sentence naming the setting.
func TestServeRefusesBadMetricsAndLogFlags(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		token string
		want  string
	}{
		{[]string{"--metrics-allow", "10.0.0.0/33"}, "", "--metrics-allow"},
		{nil, "pendek", "PUPNS_METRICS_TOKEN terlalu pendek"},
		{[]string{"--log-format", "xml"}, "", "--log-format"},
	} {
		cmd := exec.Command(bin, append([]string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0"}, tc.args...)...)
		cmd.Env = append(cmd.Environ(), "PUPNS_METRICS_TOKEN="+tc.token)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), tc.want) {
			t.Errorf("%v token %q: %v\n%s", tc.args, tc.token, err, out)
		}
	}
}
