package handlers

import (
	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// The registration verifier's room: the queue of registrations of their instansi, activate or
// reject with a reason.

func (h *Handler) activationProps(c *fiber.Ctx) (views.ActivationProps, error) {
	a, _ := actor(c)
	q, cursor := c.Query("q"), c.Query("setelah")
	if len(q) > 100 {
		q = q[:100]
	}
	page, err := h.store.RegistrationQueue(a, q, cursor, 50)
	if err != nil {
		return views.ActivationProps{}, err
	}
	p := views.ActivationProps{Query: q, Total: page.Total, Next: page.Next, First: cursor == ""}
	if in, err := h.store.Instansi(a.ScopeID); err == nil {
		p.Scope = in.Name
	}
	for _, it := range page.Items {
		p.Rows = append(p.Rows, views.RegRow{NIP: it.NIP, NIPShown: store.FormatNIP(it.NIP), RegNo: it.RegNo, Name: it.Name, Email: it.Email, When: fmtTime(it.RegisteredAt)})
	}
	return p, nil
}

// activation is the queue page.
func (h *Handler) activation(c *fiber.Ctx) error {
	p, err := h.activationProps(c)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.ActivationPage(h.meta(c, "Aktivasi registrasi"), p))
}

// activate activates a registration.
func (h *Handler) activate(c *fiber.Ctx) error {
	a, _ := actor(c)
	u, err := h.store.DecideRegistration(a, c.Params("nip"), true, "")
	if err != nil {
		return err
	}
	setFlash(c, "Akun "+u.Name+" ("+u.RegNo+") sudah aktif.")
	return seeOther(c, "/aktivasi")
}

// reject rejects a registration; the reason is required and shown to the PNS at login and in cek status.
func (h *Handler) reject(c *fiber.Ctx) error {
	a, _ := actor(c)
	nip, reason := c.Params("nip"), c.FormValue("alasan")
	u, err := h.store.DecideRegistration(a, nip, false, reason)
	if fe, ok := refusedInput(err); ok {
		p, perr := h.activationProps(c)
		if perr != nil {
			return perr
		}
		for i := range p.Rows {
			if p.Rows[i].NIP == nip {
				p.Rows[i].Reason, p.Rows[i].Error = reason, fe.Message
			}
		}
		return render(c, fiber.StatusUnprocessableEntity, views.ActivationPage(h.meta(c, "Aktivasi registrasi"), p))
	}
	if err != nil {
		return err
	}
	setFlash(c, "Registrasi "+u.Name+" ditolak.")
	return seeOther(c, "/aktivasi")
}
