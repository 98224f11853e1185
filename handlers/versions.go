package handlers

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// The versions of a master record (the page at /riwayat; "riwayat" in code means the history
// tables of Data Riwayat, riwayat.go): every version with who proposed it and who approved each change
// at each level. The PNS sees their own; a verifier sees any PNS in their scope.

// versionsOwn is the versions of the PNS's own record.
func (h *Handler) versionsOwn(c *fiber.Ctx) error {
	a, _ := actor(c)
	return h.versions(c, a, a.NIP, "/status", "Status usulan")
}

// versionsOf is the versions of a PNS's record, for a verifier in scope.
func (h *Handler) versionsOf(c *fiber.Ctx) error {
	a, _ := actor(c)
	return h.versions(c, a, c.Params("nip"), views.InboxURL, "Kotak masuk")
}

func (h *Handler) versions(c *fiber.Ctx, a store.Actor, nip, back, backText string) error {
	rec, vers, err := h.store.History(a, nip)
	if err != nil {
		return err
	}
	p := views.VersionsProps{Name: rec.Name(), NIP: store.FormatNIP(rec.NIP), Back: back, BackText: backText}
	for i := len(vers) - 1; i >= 0; i-- {
		v := vers[i]
		vv := views.VersionView{Version: v.Version, When: fmtTime(v.At), Cause: v.Cause, By: v.By,
			FromProposal: v.SubmissionID != 0, Current: v.Version == rec.Version}
		if v.Version > 1 { // version 1 is the record as first imported: no change to list
			for _, ch := range v.Changes {
				f, ok := store.FieldByKey(ch.Field)
				label := ch.Field
				if ok {
					label = f.Label
				}
				cv := views.ChangeView{Field: ch.Field, Label: label, Old: f.Display(ch.Old), New: f.Display(ch.New)}
				for _, d := range v.Approvals {
					if d.Field == ch.Field {
						cv.Approvals = append(cv.Approvals, decisionView(d, false))
					}
				}
				vv.Changes = append(vv.Changes, cv)
			}
		}
		p.Versions = append(p.Versions, vv)
	}
	return render(c, fiber.StatusOK, views.VersionsPage(h.meta(c, fmt.Sprintf("Riwayat data %s", rec.Name())), p))
}
