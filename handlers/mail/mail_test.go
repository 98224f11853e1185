package mail_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"pupns/handlers/mail"
	"pupns/store"
	"pupns/store/storetest"
)

// received is one message the test's SMTP server accepted.
type received struct {
	From, To, MessageID, Subject string
	Body                         string
	TLS                          bool // the connection was encrypted
}

// receiver is a real SMTP server (go-smtp) on 127.0.0.1 that records what it accepts; its knobs
// make it refuse a command or drop the connection in the middle of DATA.
type receiver struct {
	mu       sync.Mutex
	got      []received
	rcptErr  *smtp.SMTPError
	dataErr  *smtp.SMTPError
	dropData bool
	needAuth bool // refuse MAIL from a client that did not log in
	// inData, when set, is told when DATA begins; DATA then waits for hold to close.
	inData chan struct{}
	hold   chan struct{}
	addr   string
	srv    *smtp.Server
}

func (r *receiver) NewSession(c *smtp.Conn) (smtp.Session, error) { return &session{r: r, c: c}, nil }

type session struct {
	r        *receiver
	c        *smtp.Conn
	from, to string
	authed   bool
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.r.needAuth && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	if s.r.rcptErr != nil {
		return s.r.rcptErr
	}
	s.to = to
	return nil
}

func (s *session) Data(rd io.Reader) error {
	s.r.mu.Lock()
	drop, derr, in, hold := s.r.dropData, s.r.dataErr, s.r.inData, s.r.hold
	s.r.mu.Unlock()
	if in != nil {
		in <- struct{}{}
		<-hold
	}
	if drop { // the server disappears in the middle of DATA: part read, then the line is cut
		io.ReadFull(rd, make([]byte, 64))
		s.c.Conn().Close()
		return errors.New("terputus")
	}
	raw, err := io.ReadAll(rd)
	if err != nil {
		return err
	}
	if derr != nil {
		return derr
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	s.r.mu.Lock()
	_, encrypted := s.c.TLSConnectionState()
	s.r.got = append(s.r.got, received{From: s.from, To: s.to, MessageID: msg.Header.Get("Message-ID"), Subject: subj, Body: string(body), TLS: encrypted})
	s.r.mu.Unlock()
	return nil
}

// start serves on addr ("127.0.0.1:0" the first time, the same address again after stop).
func (r *receiver) start(t *testing.T, addr string) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	r.addr = l.Addr().String()
	r.srv = smtp.NewServer(r)
	r.srv.Domain = "localhost"
	go r.srv.Serve(l)
	t.Cleanup(func() { r.srv.Close() })
}

func (r *receiver) stop() { r.srv.Close() }

// byID counts the messages received with a Message-ID.
func (r *receiver) byID(id string) []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []received
	for _, m := range r.got {
		if m.MessageID == id {
			out = append(out, m)
		}
	}
	return out
}

func (r *receiver) set(fn func(r *receiver)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fn(r)
}

// newSender points a sender at the receiver, with plain SMTP.
func newSender(t *testing.T, st *store.Store, r *receiver) *mail.Sender {
	t.Helper()
	host, port, _ := net.SplitHostPort(r.addr)
	var p int
	for _, c := range port {
		p = p*10 + int(c-'0')
	}
	cfg := mail.Config{Host: host, Port: p, TLS: mail.TLSNone, From: "PUPNS <pupns@bkd.contoh.go.id>", Timeout: 5 * time.Second}
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	return &mail.Sender{Store: st, Config: cfg}
}

var (
	budi = store.Actor{Login: storetest.NIPBudi, Role: store.RolePNS, NIP: storetest.NIPBudi}
	v1   = store.Actor{Login: storetest.LoginV1, Role: store.RoleV1, ScopeID: "U01"}
)

// returnBudi gives Budi an address, makes him send a change of address and has Level 1 return it
// (BTS) with a note: the outbox then holds one message for him.
func returnBudi(t *testing.T, st *store.Store) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	u, err := st.User(storetest.NIPBudi)
	must(err)
	u.Email = "budi@contoh.go.id"
	must(st.PutUsers([]store.User{u}))
	_, _, err = st.Propose(budi, budi.NIP, "alamat", "Jl. Diponegoro No. 5, Semarang", "pindah rumah")
	must(err)
	form, err := st.Form(budi, budi.NIP)
	must(err)
	for _, kind := range form.MissingDocs("alamat") {
		_, _, err := st.AddDocument(budi, budi.NIP, "alamat", kind, kind+".pdf",
			strings.NewReader("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"))
		must(err)
	}
	_, err = st.Confirm(budi, budi.NIP, store.AllCheckKeys(), true)
	must(err)
	sub, err := st.Kirim(budi, budi.NIP)
	must(err)
	sub, err = st.Decide(v1, sub.ID, sub.Rev, "alamat", store.BTS, "KTP tidak terbaca, unggah ulang")
	must(err)
	sub, err = st.Forward(v1, sub.ID, sub.Rev)
	must(err)
	if sub.State != store.StateReturned {
		t.Fatalf("state %s", sub.State)
	}
}

// waiting is the outbox's waiting messages.
func waiting(t *testing.T, st *store.Store) []store.Mail {
	t.Helper()
	v, err := st.Outbox(store.Actor{Login: storetest.LoginAdmin, Role: store.RoleAdmin}, 100)
	if err != nil {
		t.Fatal(err)
	}
	return v.Waiting
}

// sendDue runs one pass of the sender and returns how many it sent.
func sendDue(t *testing.T, s *mail.Sender) int {
	t.Helper()
	n, err := s.SendDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReturnMailsThePNSWithTheNotes: a BTS return reaches the PNS's address once, in Indonesian,
// with the note of the returned line, and leaves the outbox.
func TestReturnMailsThePNSWithTheNotes(t *testing.T) {
	o := storetest.NewOffice(t)
	r := &receiver{}
	r.start(t, "127.0.0.1:0")
	returnBudi(t, o.Store)
	id := waiting(t, o.Store)[0].MessageID
	if n := sendDue(t, newSender(t, o.Store, r)); n != 1 {
		t.Fatalf("sent %d", n)
	}
	got := r.byID(id)
	if len(got) != 1 || got[0].To != "budi@contoh.go.id" {
		t.Fatalf("received %+v", got)
	}
	for _, want := range []string{"dikembalikan", "KTP tidak terbaca, unggah ulang", "Alamat"} {
		if !strings.Contains(got[0].Body+got[0].Subject, want) {
			t.Errorf("mail lacks %q:\n%s", want, got[0].Body)
		}
	}
	if w := waiting(t, o.Store); len(w) != 0 {
		t.Fatalf("still waiting: %+v", w)
	}
	if n := sendDue(t, newSender(t, o.Store, r)); n != 0 || len(r.byID(id)) != 1 {
		t.Fatal("sent twice")
	}
}

// TestRefusedMailIsRetriedWithBackoff: a server answering 4xx on RCPT, then 5xx on DATA, leaves
// the message in the outbox with the error, due again only after the backoff; once the server
// accepts, it is delivered once.
func TestRefusedMailIsRetriedWithBackoff(t *testing.T) {
	o := storetest.NewOffice(t)
	r := &receiver{}
	r.start(t, "127.0.0.1:0")
	returnBudi(t, o.Store)
	id := waiting(t, o.Store)[0].MessageID
	s := newSender(t, o.Store, r)

	r.set(func(r *receiver) { r.rcptErr = &smtp.SMTPError{Code: 450, Message: "kotak surat sibuk"} })
	if n := sendDue(t, s); n != 0 {
		t.Fatal("sent through a refusal")
	}
	w := waiting(t, o.Store)
	if len(w) != 1 || w[0].Attempts != 1 || !strings.Contains(w[0].LastError, "kotak surat sibuk") {
		t.Fatalf("after the refusal: %+v", w)
	}
	if n := sendDue(t, s); n != 0 || waiting(t, o.Store)[0].Attempts != 1 {
		t.Fatal("retried before the backoff")
	}
	o.Clock.Add(store.MailBackoff(1))
	r.set(func(r *receiver) { r.rcptErr, r.dataErr = nil, &smtp.SMTPError{Code: 554, Message: "isi ditolak"} })
	if n := sendDue(t, s); n != 0 || waiting(t, o.Store)[0].Attempts != 2 {
		t.Fatal("the DATA refusal was not counted")
	}
	o.Clock.Add(store.MailBackoff(2))
	r.set(func(r *receiver) { r.dataErr = nil })
	if n := sendDue(t, s); n != 1 || len(r.byID(id)) != 1 {
		t.Fatalf("not delivered once after the refusals: %d", len(r.byID(id)))
	}
}

// TestServerGoneMidSendDeliversOnceLater: the server cuts the line in the middle of DATA, then is
// down altogether (listener closed); when it comes back on its address the message is delivered,
// once, with the Message-ID it had from the start.
func TestServerGoneMidSendDeliversOnceLater(t *testing.T) {
	o := storetest.NewOffice(t)
	r := &receiver{}
	r.start(t, "127.0.0.1:0")
	returnBudi(t, o.Store)
	id := waiting(t, o.Store)[0].MessageID
	s := newSender(t, o.Store, r)

	r.set(func(r *receiver) { r.dropData = true })
	if n := sendDue(t, s); n != 0 || len(waiting(t, o.Store)) != 1 {
		t.Fatal("a cut DATA counted as sent")
	}
	r.stop()
	o.Clock.Add(store.MailBackoff(1))
	if n := sendDue(t, s); n != 0 || waiting(t, o.Store)[0].Attempts != 2 {
		t.Fatal("a closed server counted as sent")
	}
	r.set(func(r *receiver) { r.dropData = false })
	r.start(t, r.addr)
	o.Clock.Add(store.MailBackoff(2))
	if n := sendDue(t, s); n != 1 {
		t.Fatalf("sent %d after the server came back", n)
	}
	if got := r.byID(id); len(got) != 1 {
		t.Fatalf("received %d times", len(got))
	}
}

// TestRestartBetweenEnqueueAndSend: the message survives a restart of the store before its send,
// and also a crash after the attempt was marked (before the SMTP conversation): it is sent once,
// with the same Message-ID, when the backoff ends.
func TestRestartBetweenEnqueueAndSend(t *testing.T) {
	o := storetest.NewOffice(t)
	r := &receiver{}
	r.start(t, "127.0.0.1:0")
	returnBudi(t, o.Store)
	st := o.Reopen()
	w := waiting(t, st)
	if len(w) != 1 {
		t.Fatalf("after the restart: %d waiting", len(w))
	}
	if _, err := st.MarkMailSending(w[0].Seq); err != nil { // the crash comes right after this mark
		t.Fatal(err)
	}
	st = o.Reopen()
	if n := sendDue(t, newSender(t, st, r)); n != 0 {
		t.Fatal("resent before the backoff")
	}
	o.Clock.Add(store.MailBackoff(1))
	if n := sendDue(t, newSender(t, st, r)); n != 1 || len(r.byID(w[0].MessageID)) != 1 {
		t.Fatalf("not delivered once after the restart: %d", n)
	}
}

// TestWithoutSMTPNothingFails: with no host the sender returns at once and the message waits.
func TestWithoutSMTPNothingFails(t *testing.T) {
	o := storetest.NewOffice(t)
	returnBudi(t, o.Store)
	s := &mail.Sender{Store: o.Store}
	done := make(chan struct{})
	go func() { s.Run(context.Background()); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run without SMTP did not return")
	}
	if w := waiting(t, o.Store); len(w) != 1 || w[0].Attempts != 0 {
		t.Fatalf("waiting: %+v", w)
	}
}

// TestConfigCheck refuses settings that cannot work.
func TestConfigCheck(t *testing.T) {
	for _, c := range []mail.Config{
		{Host: "smtp", Port: 587, TLS: "ssl", From: "a@b.c"},
		{Host: "smtp", Port: 0, TLS: mail.TLSNone, From: "a@b.c"},
		{Host: "smtp", Port: 25, TLS: mail.TLSNone, From: "bukan alamat"},
	} {
		if c.Check() == nil {
			t.Errorf("accepted %+v", c)
		}
	}
	if (mail.Config{}).Check() != nil {
		t.Error("no SMTP at all must be fine")
	}
}

// TestSendRateFigure measures the sender on loopback: a reminder to 300 PNS enqueued in one
// transaction, then sent (two fsynced marks and one SMTP connection per message).
func TestSendRateFigure(t *testing.T) {
	if testing.Short() {
		t.Skip("a measurement")
	}
	o := storetest.NewOffice(t)
	r := &receiver{}
	r.start(t, "127.0.0.1:0")
	const n = 300
	hash := store.HashPassword(storetest.Password)
	var us []store.User
	for i := range n {
		nip := fmt.Sprintf("19900101201501%04d", i)
		us = append(us, store.User{Login: nip, Role: store.RolePNS, NIP: nip, Name: "PNS " + nip, Email: nip + "@contoh.go.id", Hash: hash})
	}
	if err := o.Store.PutUsers(us); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	got, err := o.Store.SendReminder(store.Actor{Login: storetest.LoginAdmin, Role: store.RoleAdmin})
	if err != nil || got != n {
		t.Fatalf("reminder: %d %v", got, err)
	}
	enq := time.Since(start)
	start = time.Now()
	s := newSender(t, o.Store, r)
	sent := 0
	for sent < n {
		k := sendDue(t, s)
		if k == 0 {
			t.Fatalf("stuck at %d", sent)
		}
		sent += k
	}
	took := time.Since(start)
	r.mu.Lock()
	received := len(r.got)
	r.mu.Unlock()
	if received != n {
		t.Fatalf("received %d of %d", received, n)
	}
	t.Logf("FIGURE mail_reminder_enqueue_%d=%v", n, enq.Round(time.Millisecond))
	t.Logf("FIGURE mail_send_per_s=%.0f (%d in %v)", float64(n)/took.Seconds(), n, took.Round(time.Millisecond))
}

// TestStopCutsAConversation: stopping the sender (serve's shutdown) while a server keeps DATA waiting
// returns at once, before the store closes, and the message stays in the outbox with its attempt.
func TestStopCutsAConversation(t *testing.T) {
	o := storetest.NewOffice(t)
	r := &receiver{inData: make(chan struct{}, 1), hold: make(chan struct{})}
	defer close(r.hold)
	r.start(t, "127.0.0.1:0")
	returnBudi(t, o.Store)
	s := newSender(t, o.Store, r)
	s.Poll = 10 * time.Millisecond
	stop := s.Start(context.Background())
	select {
	case <-r.inData:
	case <-time.After(5 * time.Second):
		t.Fatal("the sender never reached DATA")
	}
	begun := time.Now()
	stop()
	if d := time.Since(begun); d > 2*time.Second {
		t.Fatalf("stop took %v", d)
	}
	w := waiting(t, o.Store)
	if len(w) != 1 || w[0].Attempts != 1 || w[0].LastError == "" {
		t.Fatalf("after the stop: %+v", w)
	}
}

// TestComposeKeepsHeadersWhole: a line break in a name or subject cannot add a header, and the
// stored Message-ID is the one sent.
func TestComposeKeepsHeadersWhole(t *testing.T) {
	raw := mail.Compose("PUPNS <pupns@bkd.contoh.go.id>", store.Mail{MessageID: "<usulan-1-r2-dikembalikan@pupns>",
		To: "budi@contoh.go.id", Name: "Budi\r\nBcc: mata@luar.example", Subject: "Usulan\r\nBcc: mata@luar.example", Body: "baris 1\n.\nbaris 3\n",
		CreatedAt: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)})
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Bcc") != "" || msg.Header.Get("Message-ID") != "<usulan-1-r2-dikembalikan@pupns>" {
		t.Fatalf("headers: %v", msg.Header)
	}
}
