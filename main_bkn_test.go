package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pupns/handlers/bkn"
	"pupns/handlers/bkn/bkntest"
	"pupns/store"
)

// freePort is a TCP port free a moment ago on 127.0.0.1.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// waitStderr waits until the server's log holds every one of parts on one line.
func (s *server) waitStderr(t *testing.T, within time.Duration, parts ...string) string {
	t.Helper()
	for deadline := time.Now().Add(within); ; time.Sleep(50 * time.Millisecond) {
		_, errOut := s.output()
		for _, line := range strings.Split(errOut, "\n") {
			ok := true
			for _, p := range parts {
				ok = ok && strings.Contains(line, p)
			}
			if ok {
				return line
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("log lacks %q:\n%s", parts, errOut)
		}
	}
}

// TestBKNHubAndLinkedOffice runs the real binary as Kanreg I's hub (`serve --role kanreg`) and as
// an office: an office registered with `pupns bkn kantor` while the hub runs (through its control
// socket) links over TLS with the seed file, without a restart of the hub; the seed file is the
// owner's only; the hub has made its streams, its consumers and the new office's consumer; the
// linked office refuses a Level 3 account; the hub's data file records that it is Kanreg I's hub.
func TestBKNHubAndLinkedOffice(t *testing.T) {
	dir := t.TempDir()
	pki := bkntest.NewPKI(t, dir, "bkn")
	hubDir, officeDir := filepath.Join(dir, "hub"), filepath.Join(dir, "kantor")
	leaf, client := "127.0.0.1:"+freePort(t), "127.0.0.1:"+freePort(t)
	hub := startServe(t, "--data", hubDir, "--addr", "127.0.0.1:0", "--role", "kanreg", "--kanreg", "I",
		"--nats-listen", client, "--nats-leaf-listen", leaf, "--nats-cert", pki.Cert, "--nats-key", pki.Key, "--nats-ca", pki.CA)
	hub.waitStderr(t, 10*time.Second, "hub BKN siap")

	seed := filepath.Join(dir, "kantor-P33.nk")
	out, err := exec.Command(bin, "bkn", "kantor", "--instansi", "P33", "--data", hubDir, "--out", seed).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Kantor instansi P33 terdaftar di hub ini") {
		t.Fatalf("bkn kantor while the hub runs: %v\n%s", err, out)
	}
	if fi, err := os.Stat(seed); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("seed file: %v %v, want mode 0600", fi, err)
	}
	out, err = exec.Command(bin, "bkn", "kantor", "--instansi", "P33", "--data", hubDir, "--out", seed+".2").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "sudah ada") {
		t.Fatalf("registering P33 twice: %v\n%s", err, out)
	}
	if _, err := os.Stat(seed + ".2"); !os.IsNotExist(err) {
		t.Fatalf("the refused registration left its seed file: %v", err)
	}
	if out, err := exec.Command(bin, "bkn", "daftar", "--data", hubDir).CombinedOutput(); err != nil || !strings.Contains(string(out), "P33") {
		t.Fatalf("bkn daftar: %v\n%s", err, out)
	}

	if out, err := exec.Command(bin, "bkn", "nats-conf", "--data", hubDir).CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "# kantor instansi P33") || !strings.Contains(string(out), `"pupns.lines.P33"`) {
		t.Fatalf("bkn nats-conf: %v\n%s", err, out)
	}

	office := startServe(t, "--data", officeDir, "--addr", "127.0.0.1:0", "--demo", "--demo-pns", "10",
		"--bkn-hub", "tls://"+leaf, "--bkn-seed", seed, "--bkn-ca", pki.CA)
	office.waitStderr(t, 20*time.Second, "tersambung ke hub BKN", "instansi=P33")

	out, err = exec.Command(bin, "user", "add", "--data", officeDir, "--login", "bkn.tiga", "--name", "Rina Wati",
		"--role", "verifikator_3", "--scope", "I", "--password", "Teh-Tarik-Dingin").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "hub BKN") {
		t.Fatalf("a Level 3 account at a linked office: %v\n%s", err, out)
	}
	hubHasConsumers(t, client, filepath.Join(hubDir, "jetstream", bkn.HubSeedFile), "P33")
	if _, err := stopWithin(t, hub, 15*time.Second); err != nil {
		t.Fatalf("the hub stopped with %v", err)
	}
	st, err := store.Open(hubDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if l, err := st.BKNLinkOf(); err != nil || l != (store.BKNLink{Role: store.BKNRoleKanreg, Kanreg: "I"}) {
		t.Fatalf("the hub's data file says %+v (%v)", l, err)
	}
}

// hubHasConsumers waits until the hub's JetStream (reached on its client port with the hub's own
// key) has the hub's lines and documents consumers and the offices' decisions consumers.
func hubHasConsumers(t *testing.T, addr, seedFile string, offices ...string) {
	t.Helper()
	opt, err := nats.NkeyOptionFromSeed(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := nats.Connect("nats://"+addr, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	want := []struct{ stream, consumer string }{{bkn.StreamLines, bkn.ConsumerLines}, {bkn.StreamDocs, bkn.ConsumerDocs}}
	for _, id := range offices {
		want = append(want, struct{ stream, consumer string }{bkn.StreamDecisions, bkn.ConsumerName(id)})
	}
	for _, w := range want {
		for {
			if _, err := js.Consumer(ctx, w.stream, w.consumer); err == nil {
				break
			} else if ctx.Err() != nil {
				t.Fatalf("consumer %s on %s: %v", w.consumer, w.stream, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// TestBKNFlagsRefusedAtStart: a half-configured hub or office does not start, and says in
// Indonesian which flag is wrong.
func TestBKNFlagsRefusedAtStart(t *testing.T) {
	dir := t.TempDir()
	loose := filepath.Join(dir, "longgar.nk")
	if err := os.WriteFile(loose, []byte("SUAxxx\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--bkn-hub", "tls://127.0.0.1:7422"}, []string{"--bkn-seed: berkas kunci kantor", "--bkn-ca: berkas CA"}},
		{[]string{"--bkn-hub", "nats://127.0.0.1:7422", "--bkn-seed", loose, "--bkn-ca", loose}, []string{"harus berbentuk tls://", "boleh dibaca orang lain", "tidak berisi sertifikat PEM"}},
		{[]string{"--role", "pusat", "--nats-leaf-listen", "127.0.0.1:0"}, []string{"--nats-cert: berkas wajib diisi", "--nats-key", "--nats-ca"}},
		{[]string{"--role", "pusat", "--nats-leaf-listen", "127.0.0.1:0", "--bkn-hub", "tls://x:1"}, []string{"bukan keduanya"}},
		{[]string{"--nats-cert", "a.pem"}, []string{"tanpa --role kanreg|pusat"}},
		{[]string{"--role", "pusat", "--nats-leaf-listen", "127.0.0.1:0", "--nats-cluster", "kanreg-1"}, []string{"isi juga --nats-cluster-listen dan --nats-routes"}},
		{[]string{"--role", "kanreg", "--kanreg", "XX", "--nats-leaf-listen", "127.0.0.1:0"}, []string{"--kanreg: \"XX\" bukan Kanreg"}},
		{[]string{"--role", "kanreg", "--kanreg", "I"}, []string{"isi --nats-leaf-listen"}},
		{[]string{"--role", "bkd"}, []string{"--role: \"bkd\" bukan office, kanreg atau pusat"}},
		{[]string{"--nats-leaf-listen", "127.0.0.1:0"}, []string{"--nats-leaf-listen hanya untuk hub BKN"}},
	} {
		args := append([]string{"serve", "--data", filepath.Join(dir, "d"), "--addr", "127.0.0.1:0"}, c.args...)
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err == nil {
			t.Fatalf("%v started", c.args)
		}
		for _, w := range c.want {
			if !strings.Contains(string(out), w) {
				t.Errorf("%v: output lacks %q:\n%s", c.args, w, out)
			}
		}
	}
}
