package handlers

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"pupns/handlers/mail"
	"pupns/store"
	"pupns/views"
)

// The admin's outbox: the e-mail the office owes or sent (store/outbox.go), and the reminder to the
// PNS who have not sent, previewed before it is enqueued.

// reminderPreviewRows is how many recipients the reminder's preview lists.
const reminderPreviewRows = 20

// outboxRows is how many waiting, and how many sent, messages the outbox page lists.
const outboxRows = 100

// mailRow turns a stored message into its row; smtp tells whether a waiting one is sent at all.
func mailRow(m store.Mail, smtp bool) views.MailRow {
	r := views.MailRow{ID: m.MessageID, Kind: m.Kind, To: m.To, Subject: m.Subject, Body: m.Body,
		Created: fmtTime(m.CreatedAt), Attempts: m.Attempts, LastError: m.LastError}
	switch {
	case !m.SentAt.IsZero():
		r.State, r.When = "terkirim", fmtTime(m.SentAt)
	case m.GaveUp:
		r.State, r.When = "gagal: tidak dicoba lagi", fmtTime(m.SendingAt)
	case !smtp:
		r.State, r.When = mail.NotConfigured, fmtTime(m.CreatedAt)
	case m.Attempts > 0:
		r.State, r.When = "akan dicoba lagi", fmtTime(m.NextAt)
	default:
		r.State, r.When = "menunggu", fmtTime(m.NextAt)
	}
	return r
}

// outboxPage shows what waits and what was sent.
func (h *Handler) outboxPage(c *fiber.Ctx) error {
	a, _ := actor(c)
	v, err := h.store.Outbox(a, outboxRows)
	if err != nil {
		return err
	}
	p := views.OutboxProps{SMTPConfigured: h.cfg.SMTPConfigured, WaitingCount: v.WaitingCount}
	for _, m := range v.Waiting {
		p.Waiting = append(p.Waiting, mailRow(m, p.SMTPConfigured))
	}
	for _, m := range v.Sent {
		p.Sent = append(p.Sent, mailRow(m, p.SMTPConfigured))
	}
	if n, err := strconv.Atoi(c.Query("pengingat")); err == nil && n >= 0 {
		p.Notice = fmt.Sprintf("Pengingat dimasukkan ke antrean untuk %d PNS.", n)
	}
	return render(c, fiber.StatusOK, views.OutboxPage(h.meta(c, "Surat pemberitahuan"), p))
}

// reminderPreview shows how many PNS a reminder reaches, the first of them and the text.
func (h *Handler) reminderPreview(c *fiber.Ctx) error {
	a, _ := actor(c)
	pv, err := h.store.PreviewReminder(a, reminderPreviewRows)
	if err != nil {
		return err
	}
	p := views.ReminderProps{Count: pv.Count, Subject: pv.Subject, Body: pv.Body}
	for _, r := range pv.First {
		p.First = append(p.First, views.ReminderRow{NIP: store.FormatNIP(r.NIP), Name: r.Name, Email: r.Email, Why: r.Why})
	}
	return render(c, fiber.StatusOK, views.ReminderPage(h.meta(c, "Kirim pengingat"), p))
}

// sendReminder enqueues the reminder and goes back to the outbox, which says how many.
func (h *Handler) sendReminder(c *fiber.Ctx) error {
	a, _ := actor(c)
	n, err := h.store.SendReminder(a)
	if err != nil {
		return err
	}
	return seeOther(c, fmt.Sprintf("%s?pengingat=%d", views.OutboxURL, n))
}
