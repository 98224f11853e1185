package handlers

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// The verifiers' rooms: the inbox of their level and scope, one submission line by line, a
// decision per line, and Teruskan.

// scopeLabel names a verifier's scope for the inbox heading.
func (h *Handler) scopeLabel(a store.Actor) string {
	switch a.Role {
	case store.RoleV1:
		if u, err := h.store.Unit(a.ScopeID); err == nil {
			return u.Nama
		}
	case store.RoleV2:
		if in, err := h.store.Instansi(a.ScopeID); err == nil {
			return in.Nama
		}
	case store.RoleV3:
		return store.Kanregs.Label(a.ScopeID)
	case store.RoleV4:
		return "BKN Pusat"
	}
	return a.ScopeID
}

// inbox lists the submissions waiting at the verifier's level, newest first; ?setelah= pages on.
func (h *Handler) inbox(c *fiber.Ctx) error {
	a, _ := actor(c)
	cursor := c.Query("setelah")
	page, err := h.store.Inbox(a, cursor, 50)
	if err != nil {
		return err
	}
	p := views.InboxProps{Level: a.Role.Level(), Scope: h.scopeLabel(a), Total: page.Total, Next: page.Next, First: cursor == ""}
	for _, it := range page.Items {
		p.Rows = append(p.Rows, views.InboxRow{ID: it.ID, NIP: store.FormatNIP(it.NIP), Nama: it.Nama, Unit: it.Unit, Lines: it.Lines, SentAt: fmtTime(it.SentAt), Round: it.Round})
	}
	if isHX(c) && hxTarget(c) == "daftar-masuk" {
		return render(c, fiber.StatusOK, views.InboxList(p))
	}
	return render(c, fiber.StatusOK, views.InboxPage(h.meta(c, "Kotak masuk"), p))
}

func idParam(c *fiber.Ctx) (uint64, error) {
	id, err := strconv.ParseUint(c.Params("id"), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("usulan %q: %w", c.Params("id"), store.ErrNotFound)
	}
	return id, nil
}

// reviewProps builds the review page; forms carries what the verifier typed on a line that failed.
func reviewProps(a store.Actor, s store.Submission, forms map[string]views.ReviewLine) views.ReviewProps {
	lv := s.State.Level()
	p := views.ReviewProps{ID: s.ID, Rev: s.Rev, Level: lv, Nama: s.Nama, NIP: store.FormatNIP(s.NIP), NIPRaw: s.NIP, Unit: s.UnitNama,
		State: string(s.State), StateLabel: s.State.Label(), Round: s.Round, SentAt: fmtTime(s.SentAt)}
	review := map[int]bool{}
	for _, i := range s.ReviewLines() {
		review[i] = true
		l := s.Lines[i]
		rl := views.ReviewLine{LineView: lineView(s, l), CanDecide: true, SubmissionID: s.ID}
		if d, ok := l.Decision(lv, s.Round); ok {
			dv := decisionView(d, false)
			rl.Current, rl.Verdict, rl.Note = &dv, d.Verdict, d.Note
			rl.Kept = d.Round < s.Round
		} else {
			p.Undecided++
		}
		if f, ok := forms[l.Field]; ok {
			rl.Verdict, rl.Note, rl.Error = f.Verdict, f.Note, f.Error
		}
		p.Lines = append(p.Lines, rl)
	}
	for i, l := range s.Lines {
		if !review[i] {
			p.Others = append(p.Others, lineView(s, l))
		}
	}
	p.CanForward = p.Undecided == 0 && lv == a.Role.Level()
	if path := s.Path(); lv >= 2 && lv == a.Role.Level() {
		p.CanSendDown = true
		for i, x := range path {
			if x == lv && i > 0 {
				p.DownTo = store.StateLevelLabel(path[i-1])
			}
		}
	}
	if n := len(s.Steps); n > 0 {
		if st := s.Steps[n-1]; st.To.Level() > 0 && st.From.Level() > st.To.Level() {
			p.LastDown = &views.StepView{When: fmtTime(st.At), From: st.From.Label(), To: st.To.Label(), By: st.By, Note: st.Note}
		}
	}
	return p
}

// staleView answers a refused stale decision, Teruskan or turun status with the fresh state of the
// submission and a sentence saying nothing was saved: the whole page (409), or for htmx the review
// section and Teruskan panel swapped in place of the stale ones.
func (h *Handler) staleView(c *fiber.Ctx, a store.Actor, id uint64, cause error) error {
	s, err := h.store.Submission(a, id)
	if err != nil {
		return cause // it left this verifier's level: the plain refusal says so
	}
	p := reviewProps(a, s, nil)
	p.Error = "Usulan ini baru saja diubah oleh petugas lain, sehingga langkah Anda tidak disimpan. Berikut keadaan terbarunya: periksa lalu putuskan lagi."
	if isHX(c) {
		c.Set("HX-Retarget", "#tinjau")
		c.Set("HX-Reswap", "outerHTML")
		return render(c, fiber.StatusConflict, views.ReviewSection(p, sessionOf(c).csrf), views.ForwardPanel(p, sessionOf(c).csrf, true))
	}
	return render(c, fiber.StatusConflict, views.ReviewPage(h.meta(c, fmt.Sprintf("Usulan #%d", id)), p))
}

// review shows one submission to a verifier of its current level in scope.
func (h *Handler) review(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	a, _ := actor(c)
	s, err := h.store.OpenForReview(a, id)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.ReviewPage(h.meta(c, fmt.Sprintf("Usulan #%d", id)), reviewProps(a, s, nil)))
}

// revParam is the submission revision the verifier's page showed. htmx sends the page's latest
// (#rev, updated after each of the verifier's own decisions); a plain form sends its own.
func revParam(c *fiber.Ctx) int {
	v := c.FormValue("rev_halaman")
	if v == "" {
		v = c.FormValue("rev")
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}

// decide records a verdict on one line. htmx gets the line, the new revision and the Teruskan
// panel; a browser gets 303 back to the line, or the page with the message (422).
func (h *Handler) decide(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	a, _ := actor(c)
	field := c.Params("field")
	verdict, note := c.FormValue("putusan"), c.FormValue("catatan")
	s, derr := h.store.Decide(a, id, revParam(c), field, verdict, note)
	if errors.Is(derr, store.ErrConflict) {
		return h.staleView(c, a, id, derr)
	}
	var fe *store.FieldError
	if derr != nil && !errors.As(derr, &fe) {
		return derr
	}
	if fe == nil && !isHX(c) {
		return seeOther(c, fmt.Sprintf("/verifikasi/%d#line-%s", id, field))
	}
	status := fiber.StatusOK
	var forms map[string]views.ReviewLine
	if fe != nil {
		status = fiber.StatusUnprocessableEntity
		forms = map[string]views.ReviewLine{field: {Verdict: verdict, Note: note, Error: fe.Message}}
		if s, err = h.store.Submission(a, id); err != nil {
			return err
		}
	}
	p := reviewProps(a, s, forms)
	if !isHX(c) {
		return render(c, status, views.ReviewPage(h.meta(c, fmt.Sprintf("Usulan #%d", id)), p))
	}
	for _, l := range p.Lines {
		if l.Field == field {
			return render(c, status, views.ReviewLineView(l, sessionOf(c).csrf, p.Rev), views.RevInput(p.Rev, true), views.ForwardPanel(p, sessionOf(c).csrf, true))
		}
	}
	return fmt.Errorf("baris %q: %w", field, store.ErrNotFound)
}

// forward moves the submission on once every line is decided, and says where it went.
func (h *Handler) forward(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	a, _ := actor(c)
	s, err := h.store.Forward(a, id, revParam(c))
	var inc *store.IncompleteError
	if errors.As(err, &inc) {
		cur, gerr := h.store.Submission(a, id)
		if gerr != nil {
			return gerr
		}
		p := reviewProps(a, cur, nil)
		p.Error = "Belum semua baris diputuskan: " + inc.Items[0].Problem
		return render(c, fiber.StatusUnprocessableEntity, views.ReviewPage(h.meta(c, fmt.Sprintf("Usulan #%d", id)), p))
	}
	if errors.Is(err, store.ErrConflict) {
		return h.staleView(c, a, id, err)
	}
	if err != nil {
		return err
	}
	setFlash(c, fmt.Sprintf("Usulan #%d (%s): %s.", s.ID, s.Nama, s.State.Label()))
	return hxRedirect(c, "/verifikasi")
}

// sendDown is turun status: the submission goes one level down with the verifier's reason. A
// missing reason comes back at the field (422) with the page.
func (h *Handler) sendDown(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	a, _ := actor(c)
	reason := c.FormValue("alasan_turun")
	s, err := h.store.SendDown(a, id, revParam(c), reason)
	var fe *store.FieldError
	switch {
	case errors.As(err, &fe):
		cur, gerr := h.store.Submission(a, id)
		if gerr != nil {
			return gerr
		}
		p := reviewProps(a, cur, nil)
		p.DownReason, p.DownError = reason, fe.Message
		return render(c, fiber.StatusUnprocessableEntity, views.ReviewPage(h.meta(c, fmt.Sprintf("Usulan #%d", id)), p))
	case errors.Is(err, store.ErrConflict):
		return h.staleView(c, a, id, err)
	case err != nil:
		return err
	}
	setFlash(c, fmt.Sprintf("Usulan #%d (%s) diturunkan ke %s.", s.ID, s.Nama, s.State.Label()))
	return hxRedirect(c, "/verifikasi")
}
