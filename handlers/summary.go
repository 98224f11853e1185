package handlers

import (
	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// summary is the staff's progress page: how many PNS sent, where submissions wait, accounts per role.
func (h *Handler) summary(c *fiber.Ctx) error {
	s, err := h.store.Summary()
	if err != nil {
		return err
	}
	p := views.SummaryProps{PNS: s.PNS, Sent: s.Sent, NotSent: s.NotSent, Proposals: s.Proposals}
	for _, st := range []store.State{store.StateLevel1, store.StateLevel2, store.StateLevel3, store.StateLevel4, store.StateReturned, store.StateDone, store.StateWithdrawn} {
		p.ByState = append(p.ByState, views.SummaryRow{Label: st.Label(), Count: s.ByState[st]})
	}
	for _, r := range store.Roles {
		p.Accounts = append(p.Accounts, views.SummaryRow{Label: r.Label, Count: s.Accounts[r.Role]})
	}
	return render(c, fiber.StatusOK, views.SummaryPage(h.meta(c, "Ringkasan"), p))
}
