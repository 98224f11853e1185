package views

// OutboxURL is the admin's outbox page; ReminderURL the reminder's preview (GET) and send (POST).
const (
	OutboxURL   = "/admin/surat"
	ReminderURL = "/admin/surat/pengingat"
)

// MailRow is one message on the outbox page, its times already in words.
type MailRow struct {
	ID      string // the Message-ID, the idempotency key
	Kind    string
	To      string
	Subject string
	Body    string
	Created string
	// State says where it stands: menunggu, akan dicoba lagi, gagal, terkirim, or that SMTP is not set.
	State     string
	Attempts  int
	LastError string
	When      string // next attempt (waiting) or sent at (sent)
}

// OutboxProps is the admin's outbox page: what waits, what was sent, and whether SMTP is set.
type OutboxProps struct {
	SMTPConfigured bool
	Waiting        []MailRow
	WaitingCount   int // all waiting messages; Waiting lists the oldest of them
	Sent           []MailRow
	// Notice is the line shown after a reminder was enqueued.
	Notice string
}

// ReminderProps is the reminder's preview: how many, the first recipients, the text.
type ReminderProps struct {
	Count   int
	First   []ReminderRow
	Subject string
	Body    string
}

// ReminderRow is one recipient of the preview.
type ReminderRow struct {
	NIP, Name, Email, Why string
}
