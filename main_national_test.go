package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"pupns/handlers/bkn/bkntest"
	"pupns/store"
)

// TestNationalFiguresThroughBinaries runs the real binary as BKN Pusat, as Kanreg I's hub linked to
// Pusat (`--pusat`, with the key `pupns bkn kanreg I --instansi P33` wrote at Pusat while it ran)
// and as office P33 (a demo of 10 PNS under Kanreg I, `--counters-every 200ms`): the office's
// counters reach Kanreg I and are passed on to Pusat, whose data file then holds P33's snapshot
// under Kanreg I (read after Pusat stopped, so it also survived the stop).
func TestNationalFiguresThroughBinaries(t *testing.T) {
	dir := t.TempDir()
	pkiP, pkiK := bkntest.NewPKI(t, dir, "pusat"), bkntest.NewPKI(t, dir, "kanreg")
	pusatDir, kanregDir, officeDir := filepath.Join(dir, "pusat"), filepath.Join(dir, "kanreg"), filepath.Join(dir, "kantor")
	leafP, leafK := "127.0.0.1:"+freePort(t), "127.0.0.1:"+freePort(t)
	pusat := startServe(t, "--data", pusatDir, "--addr", "127.0.0.1:0", "--role", "pusat", "--nats-listen", "127.0.0.1:"+freePort(t),
		"--nats-leaf-listen", leafP, "--nats-cert", pkiP.Cert, "--nats-key", pkiP.Key, "--nats-ca", pkiP.CA)
	pusat.waitStderr(t, 10*time.Second, "hub BKN siap")

	kseed := filepath.Join(dir, "kanreg-I.nk")
	out, err := exec.Command(bin, "bkn", "kanreg", "I", "--instansi", "P33", "--data", pusatDir, "--out", kseed).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Kanreg I terdaftar di BKN Pusat") {
		t.Fatalf("bkn kanreg while Pusat runs: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "bkn", "daftar", "--data", pusatDir).CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "KANREG") || !strings.Contains(string(out), "P33") {
		t.Fatalf("bkn daftar at Pusat: %v\n%s", err, out)
	}
	kanreg := startServe(t, "--data", kanregDir, "--addr", "127.0.0.1:0", "--role", "kanreg", "--kanreg", "I",
		"--nats-listen", "127.0.0.1:"+freePort(t), "--nats-leaf-listen", leafK, "--nats-cert", pkiK.Cert, "--nats-key", pkiK.Key,
		"--nats-ca", pkiK.CA, "--pusat", "tls://"+leafP, "--pusat-seed", kseed, "--pusat-ca", pkiP.CA)
	kanreg.waitStderr(t, 10*time.Second, "hub BKN siap")

	oseed := filepath.Join(dir, "kantor-P33.nk")
	if out, err := exec.Command(bin, "bkn", "kantor", "--instansi", "P33", "--data", kanregDir, "--out", oseed).CombinedOutput(); err != nil {
		t.Fatalf("bkn kantor: %v\n%s", err, out)
	}
	startServe(t, "--data", officeDir, "--addr", "127.0.0.1:0", "--demo", "--demo-pns", "10",
		"--bkn-hub", "tls://"+leafK, "--bkn-seed", oseed, "--bkn-ca", pkiK.CA, "--counters-every", "200ms")
	kanreg.waitStderr(t, 20*time.Second, "angka nasional diterima", "instansi=P33")
	pusat.waitStderr(t, 20*time.Second, "angka nasional diterima", "instansi=P33")

	pusat.cmd.Process.Signal(syscall.SIGTERM)
	if err := pusat.wait(); err != nil {
		t.Fatalf("Pusat stopped: %v", err)
	}
	st, err := store.Open(pusatDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.National(store.SystemActor, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Groups) != 1 || n.Groups[0].Kanreg != "I" || len(n.Groups[0].Instansi) != 1 ||
		n.Groups[0].Instansi[0].Snapshot.Instansi != "P33" || n.Groups[0].Total[store.CountMaster] == 0 {
		t.Fatalf("Pusat holds %+v", n.Groups)
	}
}
