package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pupns/handlers/cli"
	"pupns/handlers/control"
	"pupns/store/storetest"
)

// TestExportCommand: the command writes the records export to a file (whole, by rename) or to
// stdout, refuses what it does not know with a sentence naming the flag, and while a server holds
// the folder says so and where the server's export page is.
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
	if err == nil || !strings.Contains(err.Error(), "sedang dipakai server") || !strings.Contains(err.Error(), "http://localhost:8080/admin/ekspor") {
		t.Fatalf("held folder: %v", err)
	}
}
