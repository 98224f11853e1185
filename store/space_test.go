package store_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"pupns/store"
	"pupns/store/storetest"
)

// spaceBudi is Budi acting for himself.
var spaceBudi = store.Actor{Login: storetest.NIPBudi, Role: store.RolePNS, NIP: storetest.NIPBudi}

// spacePropose proposes the i-th value for Budi, with a long reason so the file grows quickly: the
// address on even i, the phone number on odd ones. Taking turns between two fields makes every save
// an event of its own (saves of one field fold into one event, store/events.go, and would rewrite
// the same bytes forever without needing a new page). It returns the address it stored, if any.
func spacePropose(st *store.Store, i int) (string, error) {
	field, value, addr := "alamat", fmt.Sprintf("Jl. Mawar No. %d, Semarang", i), fmt.Sprintf("Jl. Mawar No. %d, Semarang", i)
	if i%2 == 1 {
		field, value, addr = "no_hp", fmt.Sprintf("0813%08d", i), ""
	}
	_, _, err := st.Propose(spaceBudi, storetest.NIPBudi, field, value, strings.Repeat("pindah rumah ", 20))
	return addr, err
}

// TestDiskFullRefusesAndRecovers fills a small filesystem under a seeded office, a tmpfs and an
// ext4 image: writes then fail with ErrDiskFull (never another error, never a partial write),
// Disk says full, and once the filler is removed the next write succeeds on the same handle,
// with no reopen, and the file checks clean before and after a restart.
func TestDiskFullRefusesAndRecovers(t *testing.T) {
	t.Run("tmpfs", func(t *testing.T) { spaceFullAndBack(t, storetest.Tmpfs(t, 8<<20)) })
	t.Run("ext4", func(t *testing.T) { spaceFullAndBack(t, storetest.Ext4(t, 16<<20)) })
}

func spaceFullAndBack(t *testing.T, dir string) {
	o := storetest.NewOffice(t, func(o *storetest.Office) { o.Dir = dir })
	st := o.Store
	if d, err := st.Disk(1 << 20); err != nil || d.Full || d.Low || d.Total < 6<<20 {
		t.Fatalf("before filling: %+v %v", d, err)
	}
	filler, n := storetest.Fill(t, dir)

	// Until the file has to grow, bbolt reuses its free pages: some writes still succeed.
	accepted, refused, i := 0, 0, 0
	var last string // the last address stored
	for ; i < 5000 && refused == 0; i++ {
		addr, err := spacePropose(st, i)
		switch {
		case err == nil:
			accepted++
			if addr != "" {
				last = addr
			}
		case errors.Is(err, store.ErrDiskFull):
			refused++
			t.Logf("first refusal: %v", err)
			if !strings.Contains(err.Error(), "no space left on device") {
				t.Errorf("the cause should stay in the chain for the log: %v", err)
			}
		default:
			t.Fatalf("write %d on a full disk: %v (want ErrDiskFull)", i, err)
		}
	}
	if refused == 0 {
		t.Fatalf("%d writes on a full disk all succeeded", accepted)
	}
	// A few more: each is refused or saved whole, never anything else.
	for j := 0; j < 20; j++ {
		if addr, err := spacePropose(st, i+j); err == nil {
			accepted++
			if addr != "" {
				last = addr
			}
		} else if errors.Is(err, store.ErrDiskFull) {
			refused++
		} else {
			t.Fatalf("write on a full disk: %v", err)
		}
	}
	d, err := st.Disk(1 << 20)
	if err != nil || !d.Full || !d.Low || d.FailedAt.IsZero() {
		t.Fatalf("Disk on a full disk: %+v %v", d, err)
	}
	spaceCheckEntry(t, st, last)
	spaceCheckFile(t, st)

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if d, err := st.Disk(1 << 20); err != nil || d.Full || d.Low || !d.FailedAt.IsZero() {
		t.Fatalf("Disk after the room came back: %+v %v", d, err)
	}
	if _, err := spacePropose(st, 99998); err != nil {
		t.Fatalf("first write after the room came back: %v", err)
	}
	recovered := time.Since(start)
	t.Logf("%s: filler %d KiB: %d writes accepted after the fill (free pages reused), %d refused with ErrDiskFull; first write after freeing the room succeeded in %v without reopening",
		t.Name(), n>>10, accepted, refused, recovered.Round(time.Microsecond))
	spaceCheckFile(t, st)
	st = o.Reopen()
	spaceCheckEntry(t, st, "Jl. Mawar No. 99998, Semarang")
	spaceCheckFile(t, st)
}

// spaceCheckEntry says Budi's stored address is want: a refused write left nothing behind.
func spaceCheckEntry(t *testing.T, st *store.Store, want string) {
	t.Helper()
	f, err := st.Form(spaceBudi, storetest.NIPBudi)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Entries["alamat"].New; got != want {
		t.Fatalf("stored address %q, want %q (the last write that succeeded)", got, want)
	}
}

// spaceCheckFile runs bbolt's own consistency check over the whole file.
func spaceCheckFile(t *testing.T, st *store.Store) {
	t.Helper()
	err := st.DB().View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("bbolt check: %v", err)
	}
}

// TestSpaceAndReserve reads the room of an ordinary temp folder: the numbers are sane and the
// reserve decides Low.
func TestSpaceAndReserve(t *testing.T) {
	st := storetest.Open(t, t.TempDir(), nil)
	free, total, err := st.Space()
	if err != nil || total == 0 || free > total {
		t.Fatalf("Space: %d of %d, %v", free, total, err)
	}
	if d, err := st.Disk(free + 1<<30); err != nil || !d.Low {
		t.Fatalf("reserve above the free space: %+v %v", d, err)
	}
	if d, err := st.Disk(0); err != nil || d.Low || d.Reserve != 0 {
		t.Fatalf("no reserve: %+v %v", d, err)
	}
}
