package handlers

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// kirim sends the form. When something is missing it answers 422 with the Kirim panel (htmx) or the
// page listing each tab and field to fix, each a link to the place.
func (h *Handler) kirim(c *fiber.Ctx) error {
	sj, err := h.subjectOf(c)
	if err != nil {
		return err
	}
	sub, err := h.store.Kirim(sj.a, sj.nip)
	var inc *store.IncompleteError
	if errors.As(err, &inc) {
		form, ferr := h.store.Form(sj.a, sj.nip)
		if ferr != nil {
			return ferr
		}
		tab, _ := tabParam("")
		p := h.recordProps(sj, form, tab, nil, inc.Items)
		if isHX(c) {
			return render(c, fiber.StatusUnprocessableEntity, views.KirimPanel(p, sessionOf(c).csrf))
		}
		p.MissingOnTop = true // the browser lands at the top of this page: the list is there
		return render(c, fiber.StatusUnprocessableEntity, views.RecordPage(h.meta(c, "Belum dapat dikirim"), p))
	}
	if err != nil {
		return err
	}
	h.publishMove(sub, 0, "")
	if sub.State == store.StateDone {
		setFlash(c, "Data Anda dinyatakan sesuai dan pendataan ulang selesai. Terima kasih.")
	} else {
		setFlash(c, "Data berhasil dikirim dan masuk ke verifikator "+views.LevelName(1)+". Formulir terkunci selama verifikasi. Cetak ringkasan usulan dari halaman ini.")
	}
	return hxRedirect(c, sj.base+"/status")
}

// status is the tracking page of the form's PNS. The PNS's own page listens to its stream, so each
// decision shows as it is made; an operator's page for a PNS shows the same view, without the stream.
func (h *Handler) status(c *fiber.Ctx) error {
	sj, err := h.subjectOf(c)
	if err != nil {
		return err
	}
	p, err := h.statusProps(sj)
	if err != nil {
		return err
	}
	m := h.meta(c, "Status usulan")
	if sj.base == "" {
		m.Live = "/status/langsung?v.status=" + fragmentHash(views.StatusSection(p, m.CSRF))
	}
	return render(c, fiber.StatusOK, views.StatusPage(m, p))
}

// statusStream sends the tracking view again ("status") whenever the PNS's submission changes.
func (h *Handler) statusStream(c *fiber.Ctx) error {
	sj, err := h.subjectOf(c)
	if err != nil {
		return err
	}
	csrf := sessionOf(c).csrf
	return h.stream(c, []string{pnsTopic(sj.nip)}, func() ([]liveEvent, error) {
		p, err := h.statusProps(sj)
		if err != nil {
			return nil, err
		}
		ev, err := renderEvent("status", views.StatusSection(p, csrf))
		return []liveEvent{ev}, err
	})
}

// statusProps reads the latest submission of the form's PNS for the tracking view.
func (h *Handler) statusProps(sj subject) (views.StatusProps, error) {
	rec, err := h.store.Record(sj.nip)
	if err != nil {
		return views.StatusProps{}, err
	}
	subs, err := h.store.Submissions(sj.a, sj.nip)
	if err != nil {
		return views.StatusProps{}, err
	}
	p := views.StatusProps{Base: sj.base, Name: rec.Name(), NIP: store.FormatNIP(rec.NIP)}
	if len(subs) > 0 {
		s := subs[0]
		p.Has, p.ID, p.State, p.Label, p.Round = true, s.ID, string(s.State), s.State.Label(), s.Round
		p.Lines = linesView(s)
		p.Steps = stepsView(s)
		p.Levels = levelMarks(s)
		p.CanWithdraw = s.CanWithdraw()
		if p.BKN, err = h.bknStatus(sj.a, s); err != nil {
			return views.StatusProps{}, err
		}
	}
	return p, nil
}

// bknStatus is the PNS's line about the lines on their way to BKN (bkn.go in the store).
func (h *Handler) bknStatus(a store.Actor, s store.Submission) (views.BKNStatusView, error) {
	if s.State.Level() < 3 {
		return views.BKNStatusView{}, nil
	}
	st, err := h.store.BKNStatusOf(a, s.ID)
	if err != nil || (!st.Waiting && !st.Sent) {
		return views.BKNStatusView{}, err
	}
	var labels []string
	for _, i := range s.ReviewLines() {
		labels = append(labels, s.Lines[i].Label)
	}
	v := views.BKNStatusView{Waiting: st.Waiting, Sent: st.Sent, When: fmtTime(st.Since), Lines: strings.Join(labels, ", "), Hub: "Kanreg BKN"}
	if st.Sent {
		v.When = fmtTime(st.SentAt)
	}
	if s.State.Level() == 4 {
		v.Hub = "BKN Pusat"
	}
	return v, nil
}

// printout is the summary of the latest submission for the PNS to print: every proposal old → new
// with its reason and documents.
func (h *Handler) printout(c *fiber.Ctx) error {
	sj, err := h.subjectOf(c)
	if err != nil {
		return err
	}
	rec, err := h.store.Record(sj.nip)
	if err != nil {
		return err
	}
	subs, err := h.store.Submissions(sj.a, sj.nip)
	if err != nil {
		return err
	}
	if len(subs) == 0 {
		return fmt.Errorf("usulan: %w", store.ErrNotFound)
	}
	s := subs[0]
	p := views.PrintProps{Name: s.Name, NIP: store.FormatNIP(s.NIP), Unit: s.UnitName, ID: s.ID, SentAt: fmtTime(s.SentAt),
		State: s.State.Label(), Lines: linesView(s), Printed: fmtTime(h.store.Now())}
	if in, err := h.store.Instansi(rec.InstansiID); err == nil {
		p.Instansi = in.Name
	}
	return render(c, fiber.StatusOK, views.PrintPage(h.meta(c, fmt.Sprintf("Ringkasan usulan #%d", s.ID)), p))
}

// levelStage names a verification level on the progress bar ("Level 1 · SKPD"), in the store's words.
func levelStage(level int) string {
	return strings.TrimSuffix(strings.Replace(views.LevelName(level), " (", " · ", 1), ")")
}

// levelMarks is the path a submission travels (Level 3 or 4 only when a line needs BKN), with where it is now.
func levelMarks(s store.Submission) []views.LevelMark {
	type stage struct {
		label string
		level int
	}
	stages := []stage{{"Dikirim", 0}}
	for _, lv := range s.Path() {
		stages = append(stages, stage{levelStage(lv), lv})
	}
	stages = append(stages, stage{"Selesai", 99})
	cur := s.State.Level()
	if s.State == store.StateDone {
		cur = 99
	}
	var out []views.LevelMark
	for _, st := range stages {
		m := views.LevelMark{Label: st.label}
		switch {
		case s.State == store.StateReturned || s.State == store.StateWithdrawn:
			m.Done = st.level == 0
		case st.level < cur:
			m.Done = true
		case st.level == cur:
			m.Current = true
			m.Done = cur == 99
		}
		out = append(out, m)
	}
	switch s.State {
	case store.StateReturned:
		out = append(out, views.LevelMark{Label: "Dikembalikan ke PNS", Current: true})
	case store.StateWithdrawn:
		out = append(out, views.LevelMark{Label: "Ditarik oleh PNS", Current: true})
	}
	return out
}

// withdrawSubmission takes the PNS's submission back while no verifier has opened it.
func (h *Handler) withdrawSubmission(c *fiber.Ctx) error {
	a, _ := actor(c)
	s, err := h.store.WithdrawSubmission(a, a.NIP)
	if err != nil {
		if errors.Is(err, store.ErrState) {
			setFlash(c, "Usulan tidak dapat ditarik: verifikator sudah mulai memeriksanya.")
			return hxRedirect(c, "/status")
		}
		return err
	}
	if n := len(s.Steps); n > 0 {
		h.publishMove(s, s.Steps[n-1].From.Level(), s.InboxScopeAt(s.Steps[n-1].From.Level()))
	}
	setFlash(c, "Usulan ditarik. Formulir terbuka kembali; kirim lagi bila sudah siap.")
	return hxRedirect(c, views.FormURL("", "", ""))
}

func decisionView(d store.Decision, stale bool) views.DecisionView {
	return views.DecisionView{Level: d.Level, Verdict: d.Verdict, Label: store.VerdictLabel(d.Verdict), Note: d.Note, By: d.By, When: fmtTime(d.At), Stale: stale}
}

// lineView shows a line with every decision on it; decisions a later change made void are marked stale.
func lineView(s store.Submission, l store.Line) views.LineView {
	f, _ := store.FieldByKey(l.Field)
	v := views.LineView{Field: l.Field, Label: l.Label, Old: f.Display(l.Old), New: f.Display(l.New), Reason: l.Reason, BKN: l.BKN, Free: l.Free}
	if l.Table != "" {
		v.Old, v.New = l.Old, l.New // already rendered for people when sent
	}
	if l.OldText != "" || l.NewText != "" {
		v.Old, v.New = l.OldText, l.NewText
	}
	for _, d := range l.Docs {
		v.Docs = append(v.Docs, views.DocLink{ID: d.ID, Kind: d.Kind, Name: d.Name})
	}
	for _, d := range l.Decisions {
		cur, ok := l.Decision(d.Level, s.Round)
		dv := decisionView(d, !ok || cur.At != d.At || cur.By != d.By)
		dv.Kept = !dv.Stale && d.Round < s.Round
		v.Decisions = append(v.Decisions, dv)
	}
	v.Result = l.Result(s.Round)
	return v
}

func linesView(s store.Submission) []views.LineView {
	out := make([]views.LineView, 0, len(s.Lines))
	for _, l := range s.Lines {
		out = append(out, lineView(s, l))
	}
	return out
}

func stepsView(s store.Submission) []views.StepView {
	out := make([]views.StepView, 0, len(s.Steps))
	for i := len(s.Steps) - 1; i >= 0; i-- {
		st := s.Steps[i]
		from := st.From.Label()
		if st.From == store.StateDraft {
			from = "Draf"
		}
		out = append(out, views.StepView{When: fmtTime(st.At), From: from, To: st.To.Label(), By: st.By, Note: st.Note})
	}
	return out
}
