package handlers

import (
	"errors"
	"fmt"

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
		p, perr := h.recordProps(sj, form, tab, nil, inc.Items)
		if perr != nil {
			return perr
		}
		if isHX(c) {
			return render(c, fiber.StatusUnprocessableEntity, views.KirimPanel(p, sessionOf(c).csrf))
		}
		return render(c, fiber.StatusUnprocessableEntity, views.RecordPage(h.meta(c, "Data Utama"), p))
	}
	if err != nil {
		return err
	}
	if sub.State == store.StateDone {
		setFlash(c, "Data Anda dinyatakan sesuai dan pendataan ulang selesai. Terima kasih.")
	} else {
		setFlash(c, "Data berhasil dikirim dan masuk ke verifikator Level 1 (SKPD). Formulir terkunci selama verifikasi. Cetak ringkasan usulan dari halaman ini.")
	}
	return hxRedirect(c, sj.base+"/status")
}

// status is the PNS's tracking page.
func (h *Handler) status(c *fiber.Ctx) error {
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
	p := views.StatusProps{Base: sj.base, Nama: rec.Name(), NIP: store.FormatNIP(rec.NIP)}
	if len(subs) > 0 {
		s := subs[0]
		p.Has, p.ID, p.State, p.Label, p.Round = true, s.ID, string(s.State), s.State.Label(), s.Round
		p.Lines = linesView(s)
		p.Steps = stepsView(s)
		p.Levels = levelMarks(s)
	}
	return render(c, fiber.StatusOK, views.StatusPage(h.meta(c, "Status usulan"), p))
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
	p := views.PrintProps{Nama: s.Nama, NIP: store.FormatNIP(s.NIP), Unit: s.UnitNama, ID: s.ID, SentAt: fmtTime(s.SentAt),
		State: s.State.Label(), Lines: linesView(s), Printed: fmtTime(h.store.Now())}
	if in, err := h.store.Instansi(rec.InstansiID); err == nil {
		p.Instansi = in.Nama
	}
	return render(c, fiber.StatusOK, views.PrintPage(h.meta(c, fmt.Sprintf("Ringkasan usulan #%d", s.ID)), p))
}

// levelMarks is the path a submission travels, with where it is now.
func levelMarks(s store.Submission) []views.LevelMark {
	stages := []struct {
		label string
		level int
	}{{"Dikirim", 0}, {"Level 1 · SKPD", 1}, {"Level 2 · BKD", 2}, {"Selesai", 99}}
	cur := s.State.Level()
	if s.State == store.StateDone {
		cur = 99
	}
	var out []views.LevelMark
	for _, st := range stages {
		m := views.LevelMark{Label: st.label}
		switch {
		case s.State == store.StateReturned:
			m.Done = st.level == 0
		case st.level < cur:
			m.Done = true
		case st.level == cur:
			m.Current = true
			m.Done = cur == 99
		}
		out = append(out, m)
	}
	if s.State == store.StateReturned {
		out = append(out, views.LevelMark{Label: "Dikembalikan ke PNS", Current: true})
	}
	return out
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
		v.Decisions = append(v.Decisions, decisionView(d, !ok || cur.At != d.At || cur.By != d.By))
	}
	switch {
	case l.Rejected(s.Round):
		v.Result = store.TMS
	case l.Approved(s.Round):
		v.Result = store.Setuju
	default:
		for lv := 1; lv <= 4; lv++ {
			if d, ok := l.Decision(lv, s.Round); ok && d.Verdict == store.BTS {
				v.Result = store.BTS
			}
		}
	}
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
		if st.From == "draf" {
			from = "Draf"
		}
		out = append(out, views.StepView{When: fmtTime(st.At), From: from, To: st.To.Label(), By: st.By, Note: st.Note})
	}
	return out
}
