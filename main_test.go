package main

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"pupns/store"
	"pupns/store/demo"
)

// bin is the pupns binary built once for these tests: they check the wiring a user meets
// (subcommands, flags, signals), which the package tests below main cannot see.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pupns-bin")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "pupns")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeMakesDemoAndStopsOnSIGTERM: `serve --demo` on an empty folder creates the demo office,
// prints how to log in, answers /healthz, and on SIGTERM finishes and exits 0 (graceful shutdown).
func TestServeMakesDemoAndStopsOnSIGTERM(t *testing.T) {
	data := t.TempDir()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", addr, "--demo", "--demo-pns", "40")
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var printed strings.Builder
	sc := bufio.NewScanner(stdout)
	go func() {
		for sc.Scan() {
			printed.WriteString(sc.Text() + "\n")
		}
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not up: %v\n%s", err, stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not stop within 15 s of SIGTERM")
	}
	for _, want := range []string{"v1-", "v2", "admin", "demo12345", "PNS"} {
		if !strings.Contains(printed.String(), want) {
			t.Errorf("startup output lacks %q:\n%s", want, printed.String())
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
