package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"pupns/handlers"
	"pupns/static"
	"pupns/store"
)

// pw is every seeded account's password.
const pw = "rahasia123"

// The PNS of the seeded office. Their NIP, NIK, birth dates, sex and TMT CPNS agree with each other,
// so the cross-checks of the form stay quiet and Kirim is refused only for what a test leaves out.
const (
	nipBudi = "198609262015051001" // born 1986-09-26, TMT CPNS 2015-05, male, in U01.01 (under SKPD U01)
	nipSri  = "199001152014032002" // born 1990-01-15, TMT CPNS 2014-03, female, in U01
	nipMade = "198512302010011003" // born 1985-12-30, TMT CPNS 2010-01, male, in U02 (another SKPD)
	// Agus is in the master data but has no account: the one who registers.
	nipAgus = "198803102010011002" // born 1988-03-10, TMT CPNS 2010-01, male, in U01
	nikAgus = "3374011003880003"
)

// The verifiers: Level 1 for the SKPD U01 (so Budi's and Sri's submissions land there, not Made's)
// and Level 2 for the whole instansi P33.
const (
	loginV1 = "v1-disdik"
	loginV2 = "v2-bkd"
	// loginVerReg activates registrations of instansi P33.
	loginVerReg = "verreg-bkd"
	loginV3     = "v3-kanreg1" // Kanreg I, P33's Kanreg: lines needing BKN's authority go there after Level 2
	loginV2b    = "v2-bkd-2"   // a colleague of loginV2 at the same BKD
)

// The instansi pusat K01 (a ministry): its BKN lines go to BKN Pusat (Level 4), not to a Kanreg.
const (
	nipWati      = "198811222012122001" // born 1988-11-22, TMT CPNS 2012-12, female, in K01.U01
	loginV1Pusat = "v1-setjen"
	loginV2Pusat = "v2-biro"
	loginV4      = "v4-bkn"
)

// logBuffer collects what the server logs and what the browsers print. It is written from the
// server's goroutines and the console readers at once, so it locks; it is shown only when a test
// fails, so a green run stays quiet.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) Printf(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprintf(&b.buf, format, args...)
	if !strings.HasSuffix(format, "\n") {
		b.buf.WriteByte('\n')
	}
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// world is one running office: the store, the HTTP server on a free loopback port, and the log.
type world struct {
	t    *testing.T
	st   *store.Store
	base string // http://127.0.0.1:<port>
	log  *logBuffer
}

// newWorld opens a fresh store, seeds it and serves the real app (the same handlers.New and
// App as main.go) on a loopback port. Everything stops when the test ends; the log is printed
// then only if the test failed (or E2E_LOG is set, to read a green run's requests).
func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, log: &logBuffer{}}
	// Registered first so it runs last: by then the browsers and the server have written
	// everything they will.
	t.Cleanup(func() {
		if t.Failed() || os.Getenv("E2E_LOG") != "" {
			t.Logf("server and browser log:\n%s", w.log.String())
		}
	})

	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("closing the store: %v", err)
		}
	})
	w.st = st
	seed(t, st)

	// The captcha is off, as `serve --no-captcha` sets it for tests: a browser test cannot read
	// the image (the handler tests solve it through the captcha store instead).
	h := handlers.New(st, handlers.Config{Static: static.FS, Log: slog.New(slog.NewTextHandler(w.log, nil)), NoCaptcha: true})
	app := h.App()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	t.Cleanup(func() {
		// Bounded, so a connection the browser left open cannot hang the test binary.
		if err := app.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("server shutdown: %v", err)
		}
		if err := <-served; err != nil && !errors.Is(err, net.ErrClosed) {
			t.Errorf("server stopped with: %v", err)
		}
	})
	w.base = "http://" + ln.Addr().String()
	return w
}

// seed builds a small office with the store API, as an import would: one provincial instansi
// under Kanreg I, an SKPD with a nested unit, a second SKPD, three PNS with accounts, one
// without (to register), their verifiers up to the Kanreg and a registration verifier; and a
// ministry (instansi pusat) with one PNS and its verifiers up to BKN Pusat.
func seed(t *testing.T, st *store.Store) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	must(st.PutInstansi(store.Instansi{ID: "P33", Nama: "Pemerintah Provinsi Jawa Tengah", Jenis: "daerah", KanregID: "I"}))
	must(st.PutUnit(store.Unit{ID: "U01", InstansiID: "P33", Nama: "Dinas Pendidikan"}))
	must(st.PutUnit(store.Unit{ID: "U01.01", InstansiID: "P33", ParentID: "U01", Nama: "Bidang Pembinaan SMA"}))
	must(st.PutUnit(store.Unit{ID: "U02", InstansiID: "P33", Nama: "Dinas Kesehatan"}))
	_, _, bad, err := st.PutMaster([]store.MasterInput{
		master(nipBudi, "U01.01", "Budi Santoso", "1986-09-26", "1", "3374012609860001", "2015-05-01", "2016-06-01"),
		master(nipSri, "U01", "Sri Wahyuni", "1990-01-15", "2", "3374015501900002", "2014-03-01", "2015-04-01"),
		master(nipMade, "U02", "Made Wirawan", "1985-12-30", "1", "3374013012850003", "2010-01-01", "2011-02-01"),
		master(nipAgus, "U01", "Agus Salim", "1988-03-10", "1", nikAgus, "2010-01-01", "2011-02-01"),
	}, "e2e", "seed")
	must(err)
	if len(bad) > 0 {
		t.Fatalf("seed master data refused: %v", bad)
	}
	must(st.PutInstansi(store.Instansi{ID: "K01", Nama: "Kementerian Contoh", Jenis: "pusat"}))
	must(st.PutUnit(store.Unit{ID: "K01.U01", InstansiID: "K01", Nama: "Sekretariat Jenderal"}))
	wati := master(nipWati, "K01.U01", "Wati Lestari", "1988-11-22", "2", "3374016211880004", "2012-12-01", "2013-12-01")
	wati.Record.InstansiID = "K01"
	wati.Record.Fields["jenis_pegawai"] = "1"
	_, _, bad, err = st.PutMaster([]store.MasterInput{wati}, "e2e", "seed")
	must(err)
	if len(bad) > 0 {
		t.Fatalf("seed master data refused: %v", bad)
	}
	hash := store.HashPassword(pw) // one hash for all: Argon2id is slow on purpose
	must(st.PutUsers([]store.User{
		{Login: nipBudi, Role: store.RolePNS, Name: "Budi Santoso", NIP: nipBudi, Hash: hash},
		{Login: nipSri, Role: store.RolePNS, Name: "Sri Wahyuni", NIP: nipSri, Hash: hash},
		{Login: nipMade, Role: store.RolePNS, Name: "Made Wirawan", NIP: nipMade, Hash: hash},
		{Login: loginV1, Role: store.RoleV1, Name: "Verifikator Disdik", ScopeID: "U01", Hash: hash},
		{Login: loginV2, Role: store.RoleV2, Name: "Verifikator BKD", ScopeID: "P33", Hash: hash},
		{Login: loginVerReg, Role: store.RoleVerReg, Name: "Verifikator Registrasi BKD", ScopeID: "P33", Hash: hash},
		{Login: loginV3, Role: store.RoleV3, Name: "Verifikator Kanreg I", ScopeID: "I", Hash: hash},
		{Login: loginV2b, Role: store.RoleV2, Name: "Verifikator BKD 2", ScopeID: "P33", Hash: hash},
		{Login: nipWati, Role: store.RolePNS, Name: "Wati Lestari", NIP: nipWati, Hash: hash},
		{Login: loginV1Pusat, Role: store.RoleV1, Name: "Verifikator Setjen", ScopeID: "K01.U01", Hash: hash},
		{Login: loginV2Pusat, Role: store.RoleV2, Name: "Verifikator Biro Kepegawaian", ScopeID: "K01", Hash: hash},
		{Login: loginV4, Role: store.RoleV4, Name: "Verifikator BKN Pusat", Hash: hash},
	}))
}

// master is one PNS's master record with consistent identity fields and a first riwayat row each
// for golongan and pendidikan.
func master(nip, unit, nama, born, sex, nik, tmtCPNS, tmtPNS string) store.MasterInput {
	return store.MasterInput{Record: store.Record{NIP: nip, InstansiID: "P33", UnitID: unit, Fields: map[string]string{
		"nama": nama, "tempat_lahir": "Semarang", "tanggal_lahir": born, "jenis_kelamin": sex, "agama": "1",
		"status_kawin": "1", "nik": nik, "alamat": "Jl. Pandanaran No. 10, Semarang", "kode_pos": "50241",
		"no_hp": "081234567890", "email": strings.ToLower(strings.Fields(nama)[0]) + "@contoh.go.id",
		"tmt_cpns": tmtCPNS, "tmt_pns": tmtPNS, "kedudukan_hukum": "01", "jenis_pegawai": "10",
	}, Riwayat: map[string][]store.Row{
		"golongan":   {{ID: "g1", Fields: map[string]string{"golongan": "31", "tmt_golongan": tmtCPNS, "jenis_kp": "211"}}},
		"pendidikan": {{ID: "p1", Fields: map[string]string{"tingkat": "40", "jurusan": "Teknik Informatika", "tahun_lulus": "2008"}}},
	}}}
}

// pnsActor is how the store sees a PNS acting on their own record.
func pnsActor(nip string) store.Actor {
	return store.Actor{Login: nip, Role: store.RolePNS, NIP: nip}
}

// form reads a PNS's form straight from the store, to check what the browser claims was saved.
func (w *world) form(nip string) store.Form {
	w.t.Helper()
	f, err := w.st.Form(pnsActor(nip), nip)
	if err != nil {
		w.t.Fatalf("reading the form of %s: %v", nip, err)
	}
	return f
}

// submissions lists a PNS's submissions, newest first.
func (w *world) submissions(nip string) []store.Submission {
	w.t.Helper()
	subs, err := w.st.Submissions(pnsActor(nip), nip)
	if err != nil {
		w.t.Fatalf("reading the submissions of %s: %v", nip, err)
	}
	return subs
}

// checkedFields is how many fields the progress counter counts for a PNS who is neither teacher
// nor doctor (the seeded PNS): every field that is not read-only and every history table, of the
// tabs that apply.
func checkedFields() int {
	n := 0
	for _, tab := range store.Tabs {
		if tab.Only != "" {
			continue
		}
		n += len(tab.Tables)
		for _, f := range tab.Fields {
			if !f.ReadOnly {
				n++
			}
		}
	}
	return n
}

// pdfDoc is a minimal file the store accepts as a PDF.
var pdfDoc = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// attachDocs attaches a PDF for every document the proposal under key still needs, straight
// through the store (for tests about something else than uploading).
func (w *world) attachDocs(nip, key string) {
	w.t.Helper()
	for _, kind := range w.form(nip).MissingDocs(key) {
		if _, _, err := w.st.AddDocument(pnsActor(nip), nip, key, kind, kind+".pdf", bytes.NewReader(pdfDoc)); err != nil {
			w.t.Fatalf("attaching %s to %s: %v", kind, key, err)
		}
	}
}
