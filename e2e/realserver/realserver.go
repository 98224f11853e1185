// Package realserver builds the pupns binary and runs it as `pupns serve` for the tests that work
// on the real process (the slow groups e2e/torture and e2e/office, and the binary's own tests):
// one home for building it, starting it on a free port, reading its log and stopping it.
package realserver

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Build builds the pupns binary into a new temporary folder whose name starts with prefix, and
// returns its path and the function that removes the folder. It panics when the build fails:
// TestMain, its caller, has no t to fail.
func Build(prefix string) (bin string, cleanup func()) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "pupns")
	if out, err := exec.Command("go", "build", "-o", bin, "pupns").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		panic(string(out))
	}
	return bin, func() { os.RemoveAll(dir) }
}

// Process is one `pupns serve` process: its command, the address its ready line named, and its
// log (stdout and stderr, interleaved).
type Process struct {
	Cmd     *exec.Cmd
	URL     string        // http://127.0.0.1:<port>, as the ready line names it
	Started time.Time     // just before the process was started
	Done    chan struct{} // closed when the process has exited
	Err     error         // Wait's answer, once Done is closed
	mu      sync.Mutex
	log     strings.Builder
}

var readyURL = regexp.MustCompile(`url=(\S+)`)

// Start runs `bin serve --addr 127.0.0.1:0 args...` and waits up to wait for its ready line, which
// names the port the server chose. A process still running when the test ends is killed: a test
// that wants a clean stop (SIGTERM: the check stamp a clean close leaves) calls Stop before that.
func Start(t testing.TB, bin string, wait time.Duration, args ...string) *Process {
	t.Helper()
	p := &Process{Done: make(chan struct{})}
	p.Cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	stdout, _ := p.Cmd.StdoutPipe()
	stderr, _ := p.Cmd.StderrPipe()
	p.Started = time.Now()
	if err := p.Cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan string, 1)
	var pipes sync.WaitGroup
	pipes.Add(2)
	copyLines := func(r io.Reader, watch bool) {
		defer pipes.Done()
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.log.WriteString(line + "\n")
			p.mu.Unlock()
			if m := readyURL.FindStringSubmatch(line); watch && m != nil && strings.Contains(line, "pupns siap") {
				ready <- m[1]
				watch = false
			}
		}
	}
	go copyLines(stdout, false)
	go copyLines(stderr, true)
	// The pipes are read to their end before Wait, which closes them: no line is lost.
	go func() { pipes.Wait(); p.Err = p.Cmd.Wait(); close(p.Done) }()
	t.Cleanup(p.Kill9)
	select {
	case p.URL = <-ready:
	case <-p.Done:
		t.Fatalf("server exited before it was ready (%v):\n%s", p.Err, p.Output())
	case <-time.After(wait):
		t.Fatalf("server not ready within %v:\n%s", wait, p.Output())
	}
	return p
}

// Output is what the process has written so far.
func (p *Process) Output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// Kill9 kills the process with SIGKILL, if it still runs, and waits until it is gone.
func (p *Process) Kill9() {
	select {
	case <-p.Done:
		return
	default:
	}
	p.Cmd.Process.Signal(syscall.SIGKILL)
	<-p.Done
}

// Stop sends SIGTERM and waits up to limit: it returns how long the exit took, false when the
// process was still running at the limit (then it is killed), and the exit status (nil for 0). A
// process already gone answers at once with its status.
func (p *Process) Stop(limit time.Duration) (time.Duration, bool, error) {
	start := time.Now()
	select {
	case <-p.Done:
		return 0, true, p.Err
	default:
	}
	p.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.Done:
		return time.Since(start), true, p.Err
	case <-time.After(limit):
		p.Kill9()
		return time.Since(start), false, nil
	}
}
