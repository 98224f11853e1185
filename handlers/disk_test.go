package handlers

import (
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/static"
	"pupns/store/storetest"
)

// diskWorld is the test office on a tmpfs of size bytes, behind the real app with the given reserve.
func diskWorld(t *testing.T, size int64, reserve uint64) (*world, string) {
	t.Helper()
	dir := storetest.Tmpfs(t, size)
	o := storetest.NewOffice(t, func(o *storetest.Office) { o.Dir = dir })
	cfg := Config{Static: static.FS, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), DiskReserve: reserve}
	return &world{t: t, office: o, st: o.Store, app: New(o.Store, cfg).App(), clock: o.Clock, cfg: cfg}, dir
}

// diskPropose proposes the i-th value for the logged-in PNS through htmx, as the form does: the
// address on even i, the phone number on odd ones, so that each save logs an event of its own
// (saves of one field fold into one event and would rewrite the same bytes without a new page).
func diskPropose(c *client, i int) resp {
	field, value := "alamat", fmt.Sprintf("Jl. Kenanga No. %d, Semarang", i)
	if i%2 == 1 {
		field, value = "no_hp", fmt.Sprintf("0812%08d", i)
	}
	return c.hx("POST", "/data/utama/"+field, url.Values{"nilai": {value},
		"alasan": {strings.Repeat("pindah rumah ", 20)}}, "f-"+field)
}

// TestDiskFullIsVisibleAndClear fills the data folder's filesystem under a running app: a proposal
// is refused with 507 and the sentence that says the storage is full and the change was not
// saved, /healthz says 503 "penuh", the admin's summary page shows the banner and the free space;
// once the filler is gone the next proposal is saved, with no restart, and /healthz is ok again.
func TestDiskFullIsVisibleAndClear(t *testing.T) {
	w, dir := diskWorld(t, 8<<20, 1<<20)
	budi := w.as(nipBudi)
	admin := w.as(storetest.LoginAdmin)
	if r := budi.get("/healthz"); r.status != 200 || !strings.Contains(r.body, `"status":"ok"`) {
		t.Fatalf("healthz before filling: %d %s", r.status, r.body)
	}
	r := admin.get("/ringkasan")
	contains(t, "summary before filling", r.body, "Penyimpanan server", `id="disk-bebas"`, "MiB")
	if strings.Contains(r.body, "disk-penuh") || strings.Contains(r.body, "disk-peringatan") {
		t.Fatalf("a banner on a disk with room:\n%s", r.body)
	}

	filler, _ := storetest.Fill(t, dir)
	if r := budi.get("/healthz"); r.status != fiber.StatusServiceUnavailable || !strings.Contains(r.body, `"status":"penuh"`) {
		t.Fatalf("healthz on a full disk: %d %s", r.status, r.body)
	}
	accepted, i := 0, 0
	for ; i < 2000; i++ {
		r = diskPropose(budi, i)
		if r.status != 200 {
			break
		}
		accepted++
	}
	if r.status != fiber.StatusInsufficientStorage || r.body != msgDiskFull {
		t.Fatalf("proposal %d on a full disk: %d %q", i, r.status, r.body)
	}
	// Without htmx the same sentence comes as a page. bbolt may still fit a smaller write into a
	// page it freed, so a plain post may be saved (303) before one is refused. The posts take turns
	// between two fields, so that each logs an event of its own (saves of one field fold into one).
	var p resp
	var tried, key string
	for j := 0; j < 200; j++ {
		key, tried = "alamat", fmt.Sprintf("Jl. Melati No. %d, Semarang", j+1)
		if j%2 == 1 {
			key, tried = "no_hp", fmt.Sprintf("0813%08d", j)
		}
		if p = budi.post("/data/utama/"+key, url.Values{"nilai": {tried}, "alasan": {"pindah"}}); p.status != fiber.StatusSeeOther {
			break
		}
	}
	if p.status != fiber.StatusInsufficientStorage || !strings.Contains(p.body, "Penyimpanan server penuh: perubahan terakhir Anda belum tersimpan.") {
		t.Fatalf("plain form post on a full disk: %d %s", p.status, p.body)
	}
	if f, _ := w.st.Form(budiActor(), nipBudi); f.Entries[key].New == tried {
		t.Fatal("a refused proposal was stored")
	}
	r = admin.get("/ringkasan")
	if r.status != 200 {
		t.Fatalf("summary on a full disk: %d %s", r.status, r.body)
	}
	contains(t, "summary on a full disk", r.body, `id="disk-penuh"`, "Penyimpanan server penuh.", "Penyimpanan terakhir yang gagal")

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if r := budi.get("/healthz"); r.status != 200 || !strings.Contains(r.body, `"status":"ok"`) {
		t.Fatalf("healthz after freeing the room: %d %s", r.status, r.body)
	}
	if r := diskPropose(budi, 9998); r.status != 200 {
		t.Fatalf("first proposal after freeing the room: %d %s", r.status, r.body)
	}
	t.Logf("%d proposals accepted on the full disk before the first 507 (bbolt reused free pages); saved again %v after the filler went, no restart",
		accepted, time.Since(start).Round(time.Microsecond))
	if f, _ := w.st.Form(budiActor(), nipBudi); f.Entries["alamat"].New != "Jl. Kenanga No. 9998, Semarang" {
		t.Fatalf("the proposal after recovery: %+v", f.Entries["alamat"])
	}
	if r := admin.get("/ringkasan"); strings.Contains(r.body, "disk-penuh") || strings.Contains(r.body, "disk-peringatan") {
		t.Fatalf("a banner after the room came back:\n%s", r.body)
	}
}

// TestDiskReserveWarns: under the reserve (but not full) /healthz stays 200 with "peringatan" and
// the summary page warns staff, naming the free space and the reserve.
func TestDiskReserveWarns(t *testing.T) {
	w := newWorldWith(t, func(c *Config) { c.DiskReserve = 1 << 62 }) // more than any disk has
	r := w.client().get("/healthz")
	if r.status != 200 || !strings.Contains(r.body, `"status":"peringatan"`) || !strings.Contains(r.body, "di bawah cadangan") {
		t.Fatalf("healthz under the reserve: %d %s", r.status, r.body)
	}
	r = w.as(storetest.LoginAdmin).get("/ringkasan")
	contains(t, "summary under the reserve", r.body, `id="disk-peringatan"`, "Ruang penyimpanan hampir habis", "4294967296.0 GiB")
	if strings.Contains(r.body, "disk-penuh") {
		t.Fatal("full banner under the reserve")
	}
	// The default reserve applies when the configuration leaves it zero.
	if d := newWorld(t); !strings.Contains(d.client().get("/healthz").body, fmt.Sprintf(`"cadangan":%d`, DefaultDiskReserve)) {
		t.Fatal("the default reserve is not 512 MiB")
	}
}
