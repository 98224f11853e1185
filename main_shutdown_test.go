package main

import (
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

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
	go func() { done <- s.cmd.Wait() }()
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
	s := startServe(t, "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--shutdown-grace", "1s")
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
