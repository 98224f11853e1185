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
	"pupns/store/storetest"
)

// pw is every seeded account's password.
const pw = storetest.Password

// The PNS of the shared test office (storetest). Their NIP, NIK, birth dates, sex and TMT CPNS
// agree with each other, so the cross-checks of the form stay quiet and Kirim is refused only for
// what a test leaves out.
const (
	nipBudi = storetest.NIPBudi // in U01.01 (under SKPD U01)
	nipSri  = storetest.NIPSri  // in U01
	nipMade = storetest.NIPMade // in U02 (another SKPD)
	// Agus is in the master data but has no account: the one who registers.
	nipAgus = storetest.NIPAgus
	nikAgus = storetest.NIKAgus
)

// The verifiers: Level 1 for the SKPD U01 (so Budi's and Sri's submissions land there, not Made's)
// and Level 2 for the whole instansi P33.
const (
	loginV1 = storetest.LoginV1
	loginV2 = storetest.LoginV2
	// loginVerReg activates registrations of instansi P33.
	loginVerReg = storetest.LoginVerReg
	loginV3     = storetest.LoginV3  // Kanreg I, P33's Kanreg: lines needing BKN's authority go there after Level 2
	loginV2b    = storetest.LoginV2b // a colleague of loginV2 at the same BKD
)

// The instansi pusat K01 (a ministry): its BKN lines go to BKN Pusat (Level 4), not to a Kanreg.
const (
	nipWati      = storetest.NIPWati // in K01.U01
	loginV1Pusat = storetest.LoginV1Pusat
	loginV2Pusat = storetest.LoginV2Pusat
	loginV4      = storetest.LoginV4
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

	// The wall clock, not a test clock: the browser expires cookies by its own clock.
	st := storetest.NewOffice(t, storetest.WallClock(),
		storetest.With(storetest.SeedApplicant, storetest.SeedMinistry)).Store
	w.st = st

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
