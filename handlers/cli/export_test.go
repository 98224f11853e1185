package cli_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pupns/handlers/cli"
	"pupns/handlers/control"
	"pupns/store/storetest"
)

// TestExportCommand: the command writes the records export to a file (whole, by rename) or to
// stdout, refuses what it does not know with a sentence naming the flag; while a server holds the
// folder, an export to stdout says so and where the server's export page is, and one to a file is
// written by that server through its control socket.
func TestExportCommand(t *testing.T) {
	o := storetest.NewOffice(t)
	if err := o.Store.Close(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "data.csv")
	if err := cli.Export([]string{"--data", o.Dir, "--kind", "records", "--out", out}, os.Stdout); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil || !bytes.Contains(b, []byte(storetest.NIPBudi)) || !bytes.HasPrefix(b, []byte("\ufeffnip,")) {
		t.Fatalf("file: %v %.80q", err, b)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*part")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	var stdout bytes.Buffer
	if err := cli.Export([]string{"--data", o.Dir, "--kind", "noncompliance", "--format", "jsonl", "--unit", "U02"}, &stdout); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stdout.String(), `{"nip":"`) {
		t.Errorf("stdout %q", stdout.String())
	}
	for args, want := range map[string]string{
		"--kind laporan":                   "--kind",
		"--kind records --format pdf":      "format",
		"--kind records --state entah":     "--state",
		"--kind records --from 31-12-2026": "YYYY-MM-DD",
		"--kind changes --unit TIDAK-ADA":  "--unit",
	} {
		err := cli.Export(append([]string{"--data", o.Dir}, strings.Fields(args)...), &stdout)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want it to name %s", args, err, want)
		}
	}

	if err := cli.Export([]string{"--data", t.TempDir(), "--kind", "records"}, &stdout); err == nil || !strings.Contains(err.Error(), "tidak ada pupns.db") {
		t.Errorf("empty folder: %v", err)
	}

	st := o.Reopen() // a server holds the folder
	defer st.Close()
	if err := control.WriteAddr(o.Dir, "http://localhost:8080"); err != nil {
		t.Fatal(err)
	}
	err = cli.Export([]string{"--data", o.Dir, "--kind", "records"}, &stdout)
	if err == nil || !strings.Contains(err.Error(), "sedang dipakai server") || !strings.Contains(err.Error(), "--out") ||
		!strings.Contains(err.Error(), "http://localhost:8080/admin/ekspor") {
		t.Fatalf("held folder, to stdout: %v", err)
	}

	// With --out the server that holds the folder writes the file through its control socket, as
	// `pupns serve` answers it (main.go's serveControl).
	srv, err := control.Listen(filepath.Join(o.Dir, control.SocketName), func(req control.Request, out io.Writer) error {
		return control.Run(st, req, out)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	held := filepath.Join(t.TempDir(), "dipegang.xlsx")
	var said bytes.Buffer
	if err := cli.Export([]string{"--data", o.Dir, "--kind", "records", "--format", "xlsx", "--out", held}, &said); err != nil {
		t.Fatalf("held folder, --out: %v", err)
	}
	if fi, err := os.Stat(held); err != nil || fi.Size() == 0 || !strings.Contains(said.String(), "baris diekspor ke "+held) {
		t.Fatalf("held folder, --out: %v %v, said %q", fi, err, said.String())
	}
	err = cli.Export([]string{"--data", o.Dir, "--kind", "records", "--unit", "TIDAK-ADA", "--out", held + "2"}, &said)
	if err == nil || !strings.Contains(err.Error(), "--unit") {
		t.Fatalf("held folder, a refused filter: %v, want it to name --unit", err)
	}
	if _, err := os.Stat(held + "2"); !os.IsNotExist(err) {
		t.Fatalf("a refused export left a file: %v", err)
	}
}
