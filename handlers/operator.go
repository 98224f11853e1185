package handlers

import (
	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// operatorHome is where an operator finds a PNS of their SKPD; a NIP in scope opens that PNS's
// form under /operator/pns/<nip>/data. Out of scope and unknown look the same, so the page
// reveals nothing about PNS elsewhere.
func (h *Handler) operatorHome(c *fiber.Ctx) error {
	a, _ := actor(c)
	p := views.OperatorProps{NIP: c.Query("nip")}
	if u, err := h.store.Unit(a.ScopeID); err == nil {
		p.Scope = u.Name
	}
	status := fiber.StatusOK
	if p.NIP != "" {
		nip, err := store.NormalizeNIPInput(p.NIP)
		fe, refused := refusedInput(err)
		switch {
		case refused:
			p.Error, status = fe.Message, fiber.StatusUnprocessableEntity
		case err != nil:
			return err
		case h.store.MayActFor(a, nip):
			return seeOther(c, views.FormURL(views.OperatorBase(nip), "", ""))
		default:
			p.Error, status = "NIP ini tidak ada di lingkup Anda ("+p.Scope+").", fiber.StatusUnprocessableEntity
		}
	}
	return render(c, status, views.OperatorPage(h.meta(c, "Isi atas nama PNS"), p))
}
