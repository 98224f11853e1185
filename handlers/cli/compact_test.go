package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pupns/handlers/cli"
	"pupns/handlers/control"
	"pupns/store/storetest"
)

// TestCompactCommand: after sessions that ended, the command gives the file back at its live
// size and says, in Indonesian, the sizes before and after and where the old file is kept; the
// office opens with its data; while a server holds the folder it refuses and says which server.
func TestCompactCommand(t *testing.T) {
	o := storetest.NewOffice(t)
	kv := o.Store.Sessions()
	big := bytes.Repeat([]byte("x"), 200_000)
	for i := range 40 {
		if err := kv.Set(fmt.Sprint("sesi-", i), big, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 40 {
		if err := kv.Delete(fmt.Sprint("sesi-", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.Store.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(o.Dir, "pupns.db")
	before, _ := os.Stat(path)
	var out bytes.Buffer
	if err := cli.Compact([]string{"--data", o.Dir}, &out); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if after.Size()*3 > before.Size() {
		t.Fatalf("%d → %d bytes: want less than a third", before.Size(), after.Size())
	}
	for _, want := range []string{"Hasil pemadatan diperiksa: utuh", "Ukuran berkas data: sebelum ", " MB, sesudah ", "Berkas data lama disimpan sebagai " + path + ".sebelum-padat-"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	st := o.Reopen()
	if rec, err := st.Record(storetest.NIPBudi); err != nil || rec.Name() == "" {
		t.Fatalf("after compaction: %v", err)
	}

	if err := control.WriteAddr(o.Dir, "http://localhost:8080"); err != nil { // a server holds the folder
		t.Fatal(err)
	}
	err := cli.Compact([]string{"--data", o.Dir}, &out)
	if err == nil || !strings.Contains(err.Error(), "tidak dipadatkan, berkas data tidak diubah") || !strings.Contains(err.Error(), "http://localhost:8080") {
		t.Fatalf("held folder: %v", err)
	}
	if err := cli.Compact([]string{"--data", o.Dir, "sisa"}, &out); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Fatalf("a stray argument: %v", err)
	}
}
