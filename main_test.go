package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
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

	"pupns/e2e/realserver"
	"pupns/store"
	"pupns/store/demo"
)

// bin is the pupns binary built once for these tests: they check the wiring a user meets
// (subcommands, flags, signals), which the package tests below main cannot see.
var bin string

func TestMain(m *testing.M) {
	var cleanup func()
	bin, cleanup = realserver.Build("pupns-bin")
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// TestServeMakesDemoAndStopsOnSIGTERM: `serve --demo` on an empty folder creates the demo office,
// prints how to log in, answers /healthz, and on SIGTERM finishes and exits 0 (graceful shutdown).
// The server picks its own port (127.0.0.1:0) and names it: a port chosen by the test and closed
// before the server starts could be taken by another test in between.
func TestServeMakesDemoAndStopsOnSIGTERM(t *testing.T) {
	s := startServe(t, "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--demo", "--demo-pns", "40")
	base := s.url(t)
	res, err := http.Get(base + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("healthz: %v", err)
	}
	res.Body.Close()
	out := s.waitStdout(t, base+"/registrasi")
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.wait() }()
	select {
	case err := <-done:
		if err != nil {
			_, errOut := s.output()
			t.Fatalf("exit after SIGTERM: %v\n%s", err, errOut)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not stop within 15 s of SIGTERM")
	}
	for _, want := range []string{"v1-", "v2", "admin", "demo12345", "PNS"} {
		if !strings.Contains(out, want) {
			t.Errorf("startup output lacks %q:\n%s", want, out)
		}
	}
}

// TestDemoRefusesForeignDataAndPrintsJSON: the demo never writes into a folder holding real
// (imported) data, and --json gives scripts the logins.
func TestDemoRefusesForeignDataAndPrintsJSON(t *testing.T) {
	demoDir := t.TempDir()
	out, err := exec.Command(bin, "demo", "--data", demoDir, "--pns", "30", "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var res demo.Result
	if err := json.Unmarshal(out, &res); err != nil || res.PNS != 30 || len(res.Logins) == 0 || len(res.SamplePNS) == 0 {
		t.Fatalf("demo --json: %v %+v", err, res)
	}

	real := t.TempDir()
	st, err := store.Open(real, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutUsers([]store.User{{Login: "admin", Role: store.RoleAdmin, Hash: "x"}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	cmd := exec.Command(bin, "demo", "--data", real, "--pns", "10")
	msg, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("demo wrote into a folder with real data:\n%s", msg)
	}
	if !strings.Contains(string(msg), "bukan demo") {
		t.Errorf("refusal does not say why: %s", msg)
	}
}

// TestHelpExitsZero: --help on every command and subcommand prints its usage and exits 0.
func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"demo", "--help"}, {"import", "--help"},
		{"user", "--help"}, {"user", "help"}, {"user", "add", "--help"}, {"user", "list", "--help"}, {"user", "disable", "--help"}} {
		cmd := exec.Command(bin, args...)
		cmd.Dir = t.TempDir() // nothing may be created in ./data
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "pupns") && !strings.Contains(string(out), "-data") {
			t.Errorf("pupns %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		if entries, _ := os.ReadDir(cmd.Dir); len(entries) > 0 {
			t.Errorf("pupns %s created %v", strings.Join(args, " "), entries)
		}
	}
}

// TestBusyPortFailsBeforeDemo: serving on a port another program holds fails at once with a
// sentence saying so, before the demo office is built (no data file is made).
func TestBusyPortFailsBeforeDemo(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	data := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "serve", "--data", data, "--addr", ln.Addr().String(), "--demo", "--demo-pns", "40").CombinedOutput()
	if err == nil || ctx.Err() != nil {
		t.Fatalf("serve on a busy port: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "alamat "+ln.Addr().String()+" sudah dipakai program lain") {
		t.Errorf("the refusal does not say the port is taken:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(data, "pupns.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a data file was made before the port was checked: %v", err)
	}
}

// server is a `pupns serve` started by a test, with what it printed so far.
type server struct {
	cmd            *exec.Cmd
	mu             sync.Mutex
	stdout, stderr strings.Builder
	readers        sync.WaitGroup // the two goroutines copying stdout and stderr
}

// wait waits for the process to exit, its last lines read first: exec.Cmd.Wait closes the pipes,
// so calling it while a reader has not reached the end loses what the process said last (its exit
// sentence), and a test reading it then sees a different story depending on the machine's load.
func (s *server) wait() error {
	s.readers.Wait()
	return s.cmd.Wait()
}

func (s *server) output() (string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stdout.String(), s.stderr.String()
}

// url is the address the server says it serves (its ready line's url=...).
func (s *server) url(t *testing.T) string {
	t.Helper()
	_, errOut := s.output()
	m := regexp.MustCompile(`url=(http://\S+)`).FindStringSubmatch(errOut)
	if m == nil {
		t.Fatalf("the ready line names no address:\n%s", errOut)
	}
	return m[1]
}

// waitStdout waits until the server's stdout holds want (stdout and stderr are read apart, so the
// logins printed before the ready line may arrive after it) and returns stdout.
func (s *server) waitStdout(t *testing.T, want string) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		out, _ := s.output()
		if strings.Contains(out, want) {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("stdout lacks %q:\n%s", want, out)
		}
	}
}

// startServe starts `pupns serve args...` and waits until it says it is ready; it is stopped
// (SIGTERM, then kill) when the test ends.
func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	s := &server{cmd: exec.Command(bin, append([]string{"serve"}, args...)...)}
	stdout, _ := s.cmd.StdoutPipe()
	stderr, _ := s.cmd.StderrPipe()
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	copyLines := func(r io.Reader, to *strings.Builder, readyOn string) {
		defer s.readers.Done()
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			s.mu.Lock()
			to.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			if readyOn != "" && strings.Contains(sc.Text(), readyOn) {
				close(ready)
				readyOn = ""
			}
		}
	}
	s.readers.Add(2)
	go copyLines(stdout, &s.stdout, "")
	go copyLines(stderr, &s.stderr, "pupns siap")
	t.Cleanup(func() {
		s.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { s.wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			s.cmd.Process.Kill()
		}
	})
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		out, errOut := s.output()
		t.Fatalf("server not ready:\n%s\n%s", out, errOut)
	}
	return s
}

// TestBannerNamesServedAddress: with --addr 127.0.0.1:0 the banner and the demo logins name the
// port actually chosen, and the server answers there.
func TestBannerNamesServedAddress(t *testing.T) {
	s := startServe(t, "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--demo", "--demo-pns", "20")
	out, errOut := s.output()
	m := regexp.MustCompile(`url=(http://127\.0\.0\.1:(\d+))`).FindStringSubmatch(errOut)
	if m == nil || m[2] == "0" {
		t.Fatalf("the ready line names no served address:\n%s", errOut)
	}
	// The logins come on stdout before the ready line on stderr, but the two pipes are read apart.
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(out, m[1]+"/registrasi") && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		out, _ = s.output()
	}
	if !strings.Contains(out, "Masuk di "+m[1]+"/masuk") || !strings.Contains(out, m[1]+"/registrasi") {
		t.Errorf("the demo logins do not name %s:\n%s", m[1], out)
	}
	res, err := http.Get(m[1] + "/healthz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("nothing answers at %s: %v", m[1], err)
	}
	res.Body.Close()
}

// TestDataFolderInUse: a second `serve` or a `demo` on the data folder of a running server says
// the data file is in use by another pupns process (not "timeout"), names the address that server
// serves, and exits non-zero; after the server stops cleanly the address file is gone and the
// folder opens again.
func TestDataFolderInUse(t *testing.T) {
	data := t.TempDir()
	s := startServe(t, "--data", data, "--addr", "127.0.0.1:0")
	base := s.url(t)
	for _, args := range [][]string{{"serve", "--addr", "127.0.0.1:0"}, {"demo", "--pns", "5"}} {
		out, err := exec.Command(bin, append(args, "--data", data)...).CombinedOutput()
		if err == nil {
			t.Fatalf("%s on a folder in use succeeded:\n%s", args[0], out)
		}
		for _, want := range []string{"berkas data di folder " + data + " sedang dipakai proses pupns lain", "server yang melayani " + base} {
			if !strings.Contains(string(out), want) || strings.Contains(string(out), "timeout") {
				t.Errorf("%s: the refusal lacks %q:\n%s", args[0], want, out)
			}
		}
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := s.wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	for _, name := range []string{"pupns.addr", "pupns.sock"} {
		if _, err := os.Stat(filepath.Join(data, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left after a clean shutdown: %v", name, err)
		}
	}
	if out, err := exec.Command(bin, "user", "list", "--data", data).CombinedOutput(); err != nil {
		t.Fatalf("user list after the server stopped: %v\n%s", err, out)
	}
}

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
			for _, want := range []string{"berkas data " + path + " rusak", "Pulihkan dari cadangan", "pupns restore BERKAS-CADANGAN --data " + dir} {
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

// stalledPost opens a connection to the server at base and sends a POST whose body stops after
// sent of its declared length bytes; the connection is left open, as a client on a dead link does.
func stalledPost(t *testing.T, base string, length, sent int) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	head := fmt.Sprintf("POST /masuk HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", length)
	if _, err := c.Write([]byte(head + "login=" + strings.Repeat("a", sent-6))); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // the server has read what was sent
	return c
}

// stopWithin sends SIGTERM and waits at most limit for the process to end; it returns how long
// the stop took and the exit error.
func stopWithin(t *testing.T, s *server, limit time.Duration) (time.Duration, error) {
	t.Helper()
	start := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.wait() }()
	select {
	case err := <-done:
		return time.Since(start), err
	case <-time.After(limit):
		_, errOut := s.output()
		t.Fatalf("still running %s after SIGTERM:\n%s", limit, errOut)
	}
	return 0, nil
}

// TestStalledClientDoesNotHoldShutdown: a client that sent half a request body and stalls does
// not keep the server past its grace period (--shutdown-grace 1s: it exits within grace + 1 s),
// and since nothing of its request was acted upon the shutdown is clean: exit status 0, with a
// log line saying the stalled connection was dropped.
func TestStalledClientDoesNotHoldShutdown(t *testing.T) {
	// No scheduled backup: the first one, taken at start, would compete with the stalled request
	// for the server's attention in the moments this test times.
	s := startServe(t, "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--shutdown-grace", "1s", "--backup-every", "0")
	stalledPost(t, s.url(t), 100, 40)
	took, err := stopWithin(t, s, 2*time.Second)
	_, errOut := s.output()
	if err != nil {
		t.Fatalf("exit after SIGTERM with a stalled client: %v (want status 0)\n%s", err, errOut)
	}
	if took < 900*time.Millisecond {
		t.Errorf("stopped after %s: the grace period was not given", took)
	}
	if !strings.Contains(errOut, "masa tenggang habis") {
		t.Errorf("the log does not say the stalled connection was dropped:\n%s", errOut)
	}
	t.Logf("SIGTERM → exit with a stalled client: %s (grace 1 s)", took.Round(10*time.Millisecond))
}

// TestRequestCutOffAtGraceExitsNonZero: a request whose handler is still at work when the grace
// period ends (here a large body the handler is reading when its client stalls) is cut off: the
// server still exits within grace + 1 s, but with status 1 and a sentence saying so.
func TestRequestCutOffAtGraceExitsNonZero(t *testing.T) {
	s := startServe(t, "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--shutdown-grace", "1s")
	stalledPost(t, s.url(t), 100_000, 20_000) // past fasthttp's first 8 KiB: the handler reads the rest
	took, err := stopWithin(t, s, 2*time.Second)
	_, errOut := s.output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("exit with a request cut off: %v, want status 1\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "1 permintaan masih berjalan") {
		t.Errorf("the refusal does not say a request was cut off:\n%s", errOut)
	}
	t.Logf("SIGTERM → exit with a request cut off: %s (grace 1 s)", took.Round(10*time.Millisecond))
}
