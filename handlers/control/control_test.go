package control

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSocketAnswersOneCommandPerConnection: a socket left by a killed server is replaced; the
// socket is mode 0600; a command's output and error come back; a line that is not a request is
// answered with an error, not a hang; Close removes the socket file.
func TestSocketAnswersOneCommandPerConnection(t *testing.T) {
	path := filepath.Join(t.TempDir(), SocketName)
	if err := os.WriteFile(path, []byte("stale"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, err := Listen(path, func(req Request, out io.Writer) error {
		fmt.Fprintf(out, "%s %s\n", req.Cmd, req.Args["login"])
		if req.Args["login"] == "" {
			return errors.New("login wajib diisi")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 || fi.Mode()&os.ModeSocket == 0 {
		t.Fatalf("socket %v %v, want mode 0600", fi, err)
	}
	resp, err := Call(path, Request{Cmd: "user disable", Args: map[string]string{"login": "ani"}})
	if err != nil || resp.Output != "user disable ani\n" || resp.Error != "" {
		t.Fatalf("call: %+v %v", resp, err)
	}
	if resp, err = Call(path, Request{Cmd: "user disable"}); err != nil || resp.Error != "login wajib diisi" {
		t.Fatalf("failing command: %+v %v", resp, err)
	}
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(c, "bukan json\n")
	line, _ := bufio.NewReader(c).ReadString('\n')
	c.Close()
	if !strings.Contains(line, "permintaan tidak terbaca") {
		t.Fatalf("garbage answered %q", line)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("socket left after Close: %v", err)
	}
}

// TestParseBytes reads the sizes --disk-reserve accepts and refuses the rest.
func TestParseBytes(t *testing.T) {
	for in, want := range map[string]uint64{"0": 0, "4096": 4096, "512MiB": 512 << 20, "512M": 512 << 20, "2GiB": 2 << 30,
		"2 GB": 2 << 30, "1tib": 1 << 40, "64KiB": 64 << 10} {
		if got, err := ParseBytes(in); err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MiB", "-1", "1.5GiB", "12XB", "99999999999TiB"} {
		if _, err := ParseBytes(in); err == nil {
			t.Errorf("ParseBytes(%q) accepted", in)
		}
	}
}
