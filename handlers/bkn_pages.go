package handlers

import (
	"pupns/store"
	"pupns/views"
)

// reviewProps is the review page's props; at a BKN hub (a Kanreg or BKN Pusat) the last step
// sends the decisions back to the PNS's office instead of writing a master record here, and turun
// status sends the submission back to the office's Level 2.
func (h *Handler) reviewProps(a store.Actor, s store.Submission, forms map[string]views.ReviewLine) views.ReviewProps {
	p := reviewProps(a, s, forms)
	if l, err := h.store.BKNLinkOf(); err != nil || !l.Role.Hub() {
		return p
	}
	if p.CanSendDown {
		p.DownTo = store.StateSentDown.Label()
	}
	if p.CanForward {
		switch s.NextState() {
		case store.StateDone:
			p.ForwardText = "Selesaikan: kirim putusan ke kantor instansi"
		case store.StateReturned:
			p.ForwardText = "Kembalikan ke PNS (lewat kantor instansi) untuk diperbaiki"
		}
	}
	return p
}
