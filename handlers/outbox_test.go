package handlers

import (
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
)

// giveEmail stores an address on a PNS's account, as registration does.
func (w *world) giveEmail(nip, email string) {
	w.t.Helper()
	u, err := w.st.User(nip)
	if err != nil {
		w.t.Fatal(err)
	}
	u.Email = email
	if err := w.st.PutUsers([]store.User{u}); err != nil {
		w.t.Fatal(err)
	}
}

// TestReminderPreviewThenSend: the admin sees how many PNS the reminder reaches and who, sends it
// with one POST (303 back to the outbox, which says how many), and without SMTP the outbox shows
// every message as not sent, with its text.
func TestReminderPreviewThenSend(t *testing.T) {
	w := newWorld(t)
	w.giveEmail(nipBudi, "budi@contoh.go.id")
	w.giveEmail(nipMade, "made@contoh.go.id")
	admin := w.as("admin")
	contains(t, "nav", admin.get("/admin/akun").body, `id="nav-surat"`)
	pv := admin.get("/admin/surat/pengingat")
	contains(t, "preview", pv.body, "<strong>2</strong> PNS", "budi@contoh.go.id", "made@contoh.go.id", "Kirim pengingat", "belum pernah mengirim")
	if got := w.outboxLen(); got != 0 {
		t.Fatalf("the preview enqueued %d", got)
	}
	r := admin.post("/admin/surat/pengingat", nil)
	if r.status != fiber.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/admin/surat?pengingat=2") {
		t.Fatalf("send: %d %q", r.status, r.header.Get("Location"))
	}
	if got := w.outboxLen(); got != 2 {
		t.Fatalf("enqueued %d, want 2", got)
	}
	page := admin.get("/admin/surat?pengingat=2").body
	contains(t, "outbox", page, "Pengingat dimasukkan ke antrean untuk 2 PNS", "SMTP belum diatur", "tidak dikirim: SMTP belum diatur",
		"budi@contoh.go.id", "PUPNS: pengingat pemutakhiran data", "Message-ID: &lt;pengingat-", "Menunggu (2)")
}

// TestOutboxWithSMTPShowsWaiting: with SMTP set, a waiting message reads menunggu, not the warning.
func TestOutboxWithSMTPShowsWaiting(t *testing.T) {
	w := newWorldWith(t, func(c *Config) { c.SMTPConfigured = true })
	w.giveEmail(nipBudi, "budi@contoh.go.id")
	admin := w.as("admin")
	admin.post("/admin/surat/pengingat", nil)
	page := admin.get("/admin/surat").body
	contains(t, "outbox", page, "menunggu", "budi@contoh.go.id")
	if strings.Contains(page, "SMTP belum diatur") {
		t.Fatal("warns about SMTP while it is set")
	}
}

// outboxLen is how many messages wait.
func (w *world) outboxLen() int {
	w.t.Helper()
	v, err := w.st.Outbox(store.Actor{Login: "admin", Role: store.RoleAdmin}, 10)
	if err != nil {
		w.t.Fatal(err)
	}
	return len(v.Waiting)
}
