package handlers

import (
	"fmt"

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
	if p.Disk, err = h.diskSummary(); err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.SummaryPage(h.meta(c, "Ringkasan"), p))
}

// diskSummary is the room left on the data disk as the summary page shows it, so staff see the
// warning (under the reserve) before users meet a full disk.
func (h *Handler) diskSummary() (views.SummaryDisk, error) {
	d, err := h.store.Disk(h.cfg.DiskReserve)
	if err != nil {
		return views.SummaryDisk{}, err
	}
	out := views.SummaryDisk{Free: fmtSpace(d.Free), Total: fmtSpace(d.Total), Reserve: fmtSpace(d.Reserve), Low: d.Low, Full: d.Full,
		Used: "0%"}
	if d.Total > 0 {
		out.Used = fmt.Sprintf("%.1f%%", float64(d.Total-min(d.Free, d.Total))*100/float64(d.Total))
	}
	if !d.FailedAt.IsZero() {
		out.FailedAt = fmtTime(d.FailedAt)
	}
	return out, nil
}
