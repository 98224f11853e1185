package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"pupns/store"
)

// withEmail gives Budi an account with the address he gave at registration.
func (f *fx) withEmail(nip, name, email string) {
	f.t.Helper()
	fxMust(f.t, f.s.PutUsers([]store.User{{Login: nip, Role: store.RolePNS, NIP: nip, Name: name, Email: email,
		Status: store.StatusActive, Hash: store.HashPassword("rahasia-sekali-123")}}))
}

// outbox returns every waiting message.
func (f *fx) outbox() []store.Mail {
	f.t.Helper()
	v, err := f.s.Outbox(fxAdmin, 100)
	fxMust(f.t, err)
	return v.Waiting
}

// TestReturnEnqueuesOneMailWithTheNotes: the BTS return puts one message for the PNS in the outbox,
// in the same transaction, carrying the note of the returned line; a refused Forward enqueues nothing.
func TestReturnEnqueuesOneMailWithTheNotes(t *testing.T) {
	f := newFx(t)
	f.withEmail(nipBudi, "Budi Santoso", "budi@contoh.go.id")
	sub := f.send(f.budi, fxUsul{"alamat", "Jl. Diponegoro No. 5, Semarang", "pindah rumah"})

	// Refused: the line is not decided yet, and then a stale revision.
	if _, err := f.s.Forward(f.v1U01, sub.ID, f.rev(f.v1U01, sub.ID)); err == nil {
		t.Fatal("forward of an undecided submission was accepted")
	}
	f.decide(f.v1U01, sub.ID, "alamat", store.BTS, "KTP tidak terbaca, unggah ulang")
	if _, err := f.s.Forward(f.v1U01, sub.ID, f.rev(f.v1U01, sub.ID)-1); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale forward: %v", err)
	}
	if got := f.outbox(); len(got) != 0 {
		t.Fatalf("refused transitions enqueued %d messages", len(got))
	}

	f.forward(f.v1U01, sub.ID)
	got := f.outbox()
	if len(got) != 1 {
		t.Fatalf("after the return: %d messages, want 1", len(got))
	}
	m := got[0]
	if m.To != "budi@contoh.go.id" || m.Kind != store.MailReturned || m.MessageID == "" {
		t.Fatalf("message: %+v", m)
	}
	for _, want := range []string{"Yth. Budi Santoso", "dikembalikan", "Alamat", "KTP tidak terbaca, unggah ulang"} {
		if !strings.Contains(m.Body+m.Subject, want) {
			t.Errorf("body lacks %q:\n%s", want, m.Body)
		}
	}
}

// TestDoneAndRejectedMail: a finished submission mails its TMS lines with notes; all TMS reads ditolak.
func TestDoneAndRejectedMail(t *testing.T) {
	f := newFx(t)
	f.withEmail(nipBudi, "Budi Santoso", "budi@contoh.go.id")
	sub := f.send(f.budi, fxUsul{"alamat", "Jl. Diponegoro No. 5, Semarang", "pindah rumah"})
	f.decide(f.v1U01, sub.ID, "alamat", store.TMS, "alamat di luar wilayah")
	if got := f.forward(f.v1U01, sub.ID); got.State != store.StateDone {
		t.Fatalf("state %s", got.State)
	}
	got := f.outbox()
	if len(got) != 1 || got[0].Kind != store.MailRejected || !strings.Contains(got[0].Body, "alamat di luar wilayah") {
		t.Fatalf("rejected mail: %+v", got)
	}

	f.withEmail(nipSiti, "Siti Rahayu", "siti@contoh.go.id")
	sub = f.send(f.siti, fxUsul{"alamat", "Jl. Pemuda No. 77, Semarang", "pindah rumah"})
	f.decide(f.v1U01, sub.ID, "alamat", store.Setuju, "")
	f.forward(f.v1U01, sub.ID) // Level 2 decides too
	if len(f.outbox()) != 1 {
		t.Fatal("forwarding to Level 2 mailed the PNS")
	}
	f.decide(f.v2, sub.ID, "alamat", store.Setuju, "")
	if got := f.forward(f.v2, sub.ID); got.State != store.StateDone {
		t.Fatalf("state %s", got.State)
	}
	got = f.outbox()
	if len(got) != 2 || got[1].Kind != store.MailDone || got[1].To != "siti@contoh.go.id" || !strings.Contains(got[1].Body, "- Alamat") {
		t.Fatalf("done mail: %+v", got)
	}
}

// TestNoAddressNoMail: a PNS without an address on their account gets nothing enqueued, and the
// transition still succeeds.
func TestNoAddressNoMail(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, fxUsul{"alamat", "Jl. Diponegoro No. 5, Semarang", "pindah rumah"})
	f.decide(f.v1U01, sub.ID, "alamat", store.BTS, "foto buram")
	f.forward(f.v1U01, sub.ID)
	if got := f.outbox(); len(got) != 0 {
		t.Fatalf("%d messages for a PNS without an address", len(got))
	}
}

// TestOutboxRetriesWithBackoffAndGivesUp: an attempt makes the message due only after the backoff,
// which doubles from a minute to an hour; a failure after MailGiveUpAfter gives it up; a sent
// message leaves the outbox for the sent list.
func TestOutboxRetriesWithBackoffAndGivesUp(t *testing.T) {
	if store.MailBackoff(1) != time.Minute || store.MailBackoff(2) != 2*time.Minute || store.MailBackoff(20) != time.Hour {
		t.Fatalf("backoff %v %v %v", store.MailBackoff(1), store.MailBackoff(2), store.MailBackoff(20))
	}
	f := newFx(t)
	f.withEmail(nipBudi, "Budi Santoso", "budi@contoh.go.id")
	sub := f.send(f.budi, fxUsul{"alamat", "Jl. Diponegoro No. 5, Semarang", "pindah rumah"})
	f.decide(f.v1U01, sub.ID, "alamat", store.BTS, "foto buram")
	f.forward(f.v1U01, sub.ID)
	due, err := f.s.DueMail(f.clock.Now(), 10)
	fxMust(t, err)
	if len(due) != 1 {
		t.Fatalf("due: %d", len(due))
	}
	m, err := f.s.MarkMailSending(due[0].Seq)
	fxMust(t, err)
	_, err = f.s.MarkMailFailed(m.Seq, "451 coba lagi")
	fxMust(t, err)
	if due, _ := f.s.DueMail(f.clock.Now(), 10); len(due) != 0 {
		t.Fatal("due again before the backoff")
	}
	if due, _ := f.s.DueMail(f.clock.Now().Add(2*time.Minute), 10); len(due) != 1 || due[0].LastError != "451 coba lagi" {
		t.Fatalf("not due after the backoff: %+v", due)
	}

	f.clock.Add(store.MailGiveUpAfter)
	_, err = f.s.MarkMailSending(m.Seq)
	fxMust(t, err)
	gave, err := f.s.MarkMailFailed(m.Seq, "550 ditolak")
	fxMust(t, err)
	if !gave.GaveUp {
		t.Fatal("not given up after MailGiveUpAfter")
	}
	if due, _ := f.s.DueMail(f.clock.Now().Add(48*time.Hour), 10); len(due) != 0 {
		t.Fatal("a given-up message is still due")
	}
	if _, err := f.s.MarkMailSent(m.Seq); err != nil {
		t.Fatal(err)
	}
	v, _ := f.s.Outbox(fxAdmin, 10)
	if len(v.Waiting) != 0 || len(v.Sent) != 1 || v.Sent[0].MessageID != m.MessageID {
		t.Fatalf("after sent: %+v", v)
	}
	if _, err := f.s.Outbox(f.v1U01, 10); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("a verifier read the outbox: %v", err)
	}
}

// TestReminderReachesThoseWhoHaveNotSent: the preview counts the active PNS with an address who have
// no submission or a returned one; sending enqueues exactly them; only an admin may.
func TestReminderReachesThoseWhoHaveNotSent(t *testing.T) {
	f := newFx(t)
	f.withEmail(nipBudi, "Budi Santoso", "budi@contoh.go.id")
	f.withEmail(nipSiti, "Siti Rahayu", "siti@contoh.go.id")
	f.withEmail(nipAgus, "Agus Salim", "agus@contoh.go.id")
	f.send(f.siti, fxUsul{"alamat", "Jl. Pemuda No. 77, Semarang", "pindah rumah"}) // Siti has sent
	sub := f.send(f.budi, fxUsul{"alamat", "Jl. Diponegoro No. 5, Semarang", "pindah rumah"})
	f.decide(f.v1U01, sub.ID, "alamat", store.BTS, "foto buram")
	f.forward(f.v1U01, sub.ID) // Budi's is returned: one mail already

	p, err := f.s.PreviewReminder(fxAdmin, 1)
	fxMust(t, err)
	if p.Count != 2 || len(p.First) != 1 || p.Subject == "" {
		t.Fatalf("preview: %+v", p)
	}
	if _, err := f.s.SendReminder(f.v1U01); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("a verifier sent a reminder: %v", err)
	}
	n, err := f.s.SendReminder(fxAdmin)
	fxMust(t, err)
	if n != 2 {
		t.Fatalf("sent %d", n)
	}
	to := map[string]bool{}
	for _, m := range f.outbox() {
		if m.Kind == store.MailReminder {
			to[m.To] = true
		}
	}
	if len(to) != 2 || !to["budi@contoh.go.id"] || !to["agus@contoh.go.id"] {
		t.Fatalf("reminders to %v", to)
	}
}
