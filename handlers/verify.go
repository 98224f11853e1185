package handlers

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
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
			return u.Name
		}
	case store.RoleV2:
		if in, err := h.store.Instansi(a.ScopeID); err == nil {
			return in.Name
		}
	case store.RoleV3:
		return store.Kanregs.Label(a.ScopeID)
	case store.RoleV4:
		return "BKN Pusat"
	}
	return a.ScopeID
}

// inboxStatuses are the status filter's choices.
var inboxStatuses = []views.Option{
	{Value: store.InboxNew, Label: "Belum dibuka"},
	{Value: store.InboxTaken, Label: "Sudah dibuka"},
	{Value: store.InboxResent, Label: "Kirim ulang"},
	{Value: store.InboxSentDown, Label: "Turun status"},
}

// inboxQuery reads the inbox's filters and cursor from the query string. A date that cannot be read
// is a *store.FieldError at its field.
func (h *Handler) inboxQuery(c *fiber.Ctx) (store.InboxQuery, views.InboxFilter, error) {
	f := views.InboxFilter{Status: c.Query("status"), Unit: c.Query("unit"), From: c.Query("dari"), To: c.Query("sampai"),
		Search: strings.TrimSpace(c.Query("cari")), Statuses: inboxStatuses}
	f.On = f.Status != "" || f.Unit != "" || f.From != "" || f.To != "" || f.Search != ""
	q := store.InboxQuery{Cursor: c.Query("setelah"), Limit: 50, Status: f.Status, UnitID: f.Unit, Search: f.Search}
	loc := h.store.Now().Location()
	for _, d := range []struct {
		field, raw string
		into       *time.Time
	}{{"dari", f.From, &q.From}, {"sampai", f.To, &q.To}} {
		if d.raw == "" {
			continue
		}
		t, ok := filterDate(d.raw, loc)
		if !ok {
			return q, f, &store.FieldError{Field: d.field, Message: "Tanggal tidak dapat dibaca: tulis hari-bulan-tahun, misalnya 30-11-2026."}
		}
		*d.into = t
	}
	return q, f, nil
}

// filterDate reads an inbox filter date as people write it (30-11-2026, also 30/11/2026 or
// 30.11.2026), or as older links carry it (2026-11-30). The text is what the form shows: a native
// date widget would order day and month by the browser's language.
func filterDate(raw string, loc *time.Location) (time.Time, bool) {
	raw = strings.NewReplacer("/", "-", ".", "-", " ", "").Replace(strings.TrimSpace(raw))
	for _, layout := range []string{"2-1-2006", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, raw, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// unitOptions lists the units the verifier can filter by (store.FilterUnits). The filter is an
// aid: when the units cannot be read the inbox shows without it.
func (h *Handler) unitOptions(a store.Actor) []views.Option {
	units, err := h.store.FilterUnits(a)
	if err != nil {
		return nil
	}
	var out []views.Option
	for _, u := range units {
		out = append(out, views.Option{Value: u.ID, Label: u.Name})
	}
	return out
}

// inboxProps reads one page of the verifier's inbox for the query.
func (h *Handler) inboxProps(a store.Actor, q store.InboxQuery, f views.InboxFilter) (views.InboxProps, error) {
	page, err := h.store.InboxSearch(a, q)
	if err != nil {
		return views.InboxProps{}, err
	}
	total := page.Total
	if total < 0 {
		if total, err = h.store.InboxCount(a); err != nil {
			return views.InboxProps{}, err
		}
	}
	f.Units = h.unitOptions(a)
	p := views.InboxProps{Level: a.Role.Level(), Scope: h.scopeLabel(a), Total: total, Next: page.Next, First: q.Cursor == "", Filter: f}
	vals := url.Values{}
	for k, v := range map[string]string{"status": f.Status, "unit": f.Unit, "dari": f.From, "sampai": f.To, "cari": f.Search} {
		if v != "" {
			vals.Set(k, v)
		}
	}
	p.Query = vals.Encode()
	for _, it := range page.Items {
		p.Rows = append(p.Rows, views.InboxRow{ID: it.ID, NIP: store.FormatNIP(it.NIP), Name: it.Name, Unit: it.Unit, Lines: it.Lines,
			SentAt: fmtTime(it.SentAt), Round: it.Round, TakenBy: it.TakenBy, Down: it.Down})
	}
	return p, nil
}

// inbox lists the submissions waiting at the verifier's level, newest first, filtered as asked;
// ?setelah= pages on. A filter that cannot be read comes back at its field (422).
func (h *Handler) inbox(c *fiber.Ctx) error {
	a, _ := actor(c)
	q, f, err := h.inboxQuery(c)
	if err == nil {
		var p views.InboxProps
		if p, err = h.inboxProps(a, q, f); err == nil {
			if isHX(c) && hxTarget(c) == "daftar-masuk" {
				return render(c, fiber.StatusOK, views.InboxList(p))
			}
			m := h.meta(c, "Kotak masuk")
			m.Live = liveURL(string(c.Request().URI().QueryString()), m.User.InboxCount, &p)
			return render(c, fiber.StatusOK, views.InboxPage(m, p))
		}
	}
	fe, ok := refusedInput(err)
	if !ok {
		return err
	}
	f.Field, f.Error = fe.Field, fe.Message
	p, err := h.inboxProps(a, store.InboxQuery{}, f)
	if err != nil {
		return err
	}
	p.Rows, p.Next = nil, ""
	return render(c, fiber.StatusUnprocessableEntity, views.InboxPage(h.meta(c, "Kotak masuk"), p))
}

// inboxStream is the verifier's live inbox: the count ("jumlah") on every page, and with the inbox
// page's own query the list ("daftar") as well, sent again whenever a submission arrives, is opened
// by a colleague or leaves.
func (h *Handler) inboxStream(c *fiber.Ctx) error {
	a, _ := actor(c)
	onlyCount := c.Query("hanya") == "jumlah"
	q, f, qerr := h.inboxQuery(c)
	if qerr != nil {
		onlyCount = true // the page shows the message; the stream keeps the count true
	}
	return h.stream(c, []string{inboxTopic(a.Role.Level(), a.ScopeID)}, func() ([]liveEvent, error) {
		n, err := h.store.InboxCount(a)
		if err != nil {
			return nil, err
		}
		count, err := renderEvent("jumlah", countComponent(n))
		if err != nil || onlyCount {
			return []liveEvent{count}, err
		}
		p, err := h.inboxProps(a, q, f)
		if err != nil {
			return nil, err
		}
		list, err := renderEvent("daftar", views.InboxList(p))
		return []liveEvent{count, list}, err
	})
}

// countComponent is the inbox count as the navigation and the inbox heading show it.
func countComponent(n int) templ.Component { return templ.Raw(strconv.Itoa(n)) }

// liveURL is a verifier page's stream: the count only, or with the inbox page's query the list too;
// v.<event> carries the hash of what the page shows.
func liveURL(query string, count int, list *views.InboxProps) string {
	v := url.Values{}
	if query != "" {
		v, _ = url.ParseQuery(query)
	}
	v.Set("v.jumlah", fragmentHash(countComponent(count)))
	if list == nil {
		v.Set("hanya", "jumlah")
	} else {
		v.Set("v.daftar", fragmentHash(views.InboxList(*list)))
	}
	return views.InboxLiveURL(v.Encode())
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
	p := views.ReviewProps{ID: s.ID, Rev: s.Rev, Level: lv, Name: s.Name, NIP: store.FormatNIP(s.NIP), NIPRaw: s.NIP, Unit: s.UnitName,
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
	p.CanForward = s.CanForward(a)
	if p.CanForward {
		switch to := s.NextState(); to {
		case store.StateReturned:
			p.ForwardText = "Kembalikan ke PNS untuk diperbaiki"
		case store.StateDone:
			p.ForwardText = "Selesaikan: terapkan yang disetujui ke data induk"
		default:
			p.ForwardText = "Teruskan ke " + to.Label()
		}
	}
	if p.CanSendDown = s.CanSendDown(a); p.CanSendDown {
		to, _ := s.SendDownTo()
		p.DownTo = to.Label()
	}
	if st, ok := s.ArrivedDown(); ok {
		p.LastDown = &views.StepView{When: fmtTime(st.At), From: st.From.Label(), To: st.To.Label(), By: st.By, Note: st.Note}
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
	p := h.reviewProps(a, s, nil)
	p.Error = "Usulan ini baru saja diubah oleh petugas lain, sehingga langkah Anda tidak disimpan. Berikut keadaan terbarunya: periksa lalu putuskan lagi."
	if isHX(c) {
		c.Set("HX-Retarget", "#tinjau")
		c.Set("HX-Reswap", "outerHTML")
		return render(c, fiber.StatusConflict, views.ReviewSection(p, sessionOf(c).csrf), views.ForwardPanel(views.ForwardProps{Review: p, CSRF: sessionOf(c).csrf, OOB: true}))
	}
	return render(c, fiber.StatusConflict, h.reviewPage(c, id, p))
}

// review shows one submission to a verifier of its current level in scope.
func (h *Handler) review(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	a, _ := actor(c)
	s, first, err := h.store.OpenForReview(a, id)
	if err != nil {
		return err
	}
	if first { // colleagues' inboxes and the PNS's view show who took it
		h.live.publish(inboxTopic(a.Role.Level(), a.ScopeID), pnsTopic(s.NIP))
	}
	m := h.meta(c, fmt.Sprintf("Usulan #%d", id))
	m.Live = views.ReviewLiveURL(id, url.Values{
		"rev":      {strconv.Itoa(s.Rev)},
		"v.jumlah": {fragmentHash(countComponent(m.User.InboxCount))},
		"v.kabar":  {fragmentHash(views.ReviewNotice(views.Notice{}))},
	}.Encode())
	p := h.reviewProps(a, s, nil)
	p.Shortcuts = shortcutsOn(c)
	if doc, err := strconv.ParseUint(c.Query("pratinjau"), 10, 64); err == nil {
		for i := range p.Lines {
			for _, d := range p.Lines[i].Docs {
				if d.ID == doc {
					p.Lines[i].Preview = doc
				}
			}
		}
	}
	return render(c, fiber.StatusOK, views.ReviewPage(m, p))
}

// reviewPage is the whole review page for an answer other than the first view (a refusal, a stale
// step), with the verifier's shortcuts setting.
func (h *Handler) reviewPage(c *fiber.Ctx, id uint64, p views.ReviewProps) templ.Component {
	p.Shortcuts = shortcutsOn(c)
	return views.ReviewPage(h.meta(c, fmt.Sprintf("Usulan #%d", id)), p)
}

// reviewNotice says what changed since the verifier's page showed revision rev: the submission
// left their level, or a colleague decided or moved it (their own decisions say nothing).
func (h *Handler) reviewNotice(a store.Actor, id uint64, rev int) views.Notice {
	s, err := h.store.Submission(a, id)
	if err != nil {
		return views.Notice{Text: "Usulan ini sudah tidak menunggu di level Anda.", Href: views.InboxURL, LinkText: "Kembali ke kotak masuk"}
	}
	if by, _ := s.LastChange(); s.Rev != rev && by != a.Login {
		return views.Notice{Text: fmt.Sprintf("Usulan ini baru saja diubah oleh %s.", by), Href: views.ReviewURL(id), LinkText: "Muat keadaan terbaru"}
	}
	return views.Notice{}
}

// reviewStream keeps a review page's navigation count true and tells the verifier when a colleague
// changes the submission they are looking at.
func (h *Handler) reviewStream(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	a, _ := actor(c)
	// Only a verifier who may open the submission may follow it: no notices across scopes.
	if _, err := h.store.Submission(a, id); err != nil {
		return err
	}
	rev, _ := strconv.Atoi(c.Query("rev"))
	return h.stream(c, []string{inboxTopic(a.Role.Level(), a.ScopeID), subTopic(id)}, func() ([]liveEvent, error) {
		n, err := h.store.InboxCount(a)
		if err != nil {
			return nil, err
		}
		count, err := renderEvent("jumlah", countComponent(n))
		if err != nil {
			return nil, err
		}
		notice, err := renderEvent("kabar", views.ReviewNotice(h.reviewNotice(a, id, rev)))
		return []liveEvent{count, notice}, err
	})
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
	fe, refused := refusedInput(derr)
	if derr != nil && !refused {
		return derr
	}
	if derr == nil {
		h.live.publish(pnsTopic(s.NIP), inboxTopic(a.Role.Level(), a.ScopeID), subTopic(id))
	}
	if !refused && !isHX(c) {
		return seeOther(c, views.ReviewLineURL(id, field))
	}
	status := fiber.StatusOK
	var forms map[string]views.ReviewLine
	if refused {
		status = fiber.StatusUnprocessableEntity
		forms = map[string]views.ReviewLine{field: {Verdict: verdict, Note: note, Error: fe.Message}}
		if s, err = h.store.Submission(a, id); err != nil {
			return err
		}
	}
	p := h.reviewProps(a, s, forms)
	if !isHX(c) {
		return render(c, status, h.reviewPage(c, id, p))
	}
	for _, l := range p.Lines {
		if l.Field == field {
			return render(c, status, views.ReviewLineView(l, sessionOf(c).csrf, p.Rev), views.RevInput(views.RevProps{Rev: p.Rev, OOB: true}), views.ForwardPanel(views.ForwardProps{Review: p, CSRF: sessionOf(c).csrf, OOB: true}))
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
		p := h.reviewProps(a, cur, nil)
		p.Error = "Belum semua baris diputuskan: " + inc.Items[0].Problem
		return render(c, fiber.StatusUnprocessableEntity, h.reviewPage(c, id, p))
	}
	if errors.Is(err, store.ErrConflict) {
		return h.staleView(c, a, id, err)
	}
	if err != nil {
		return err
	}
	h.publishMove(s, a.Role.Level(), a.ScopeID)
	setFlash(c, fmt.Sprintf("Usulan #%d (%s): %s.", s.ID, s.Name, s.State.Label()))
	return hxRedirect(c, views.InboxURL)
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
	fe, refused := refusedInput(err)
	switch {
	case refused:
		cur, gerr := h.store.Submission(a, id)
		if gerr != nil {
			return gerr
		}
		p := h.reviewProps(a, cur, nil)
		p.DownReason, p.DownError = reason, fe.Message
		return render(c, fiber.StatusUnprocessableEntity, h.reviewPage(c, id, p))
	case errors.Is(err, store.ErrConflict):
		return h.staleView(c, a, id, err)
	case err != nil:
		return err
	}
	h.publishMove(s, a.Role.Level(), a.ScopeID)
	setFlash(c, fmt.Sprintf("Usulan #%d (%s) diturunkan ke %s.", s.ID, s.Name, s.State.Label()))
	return hxRedirect(c, views.InboxURL)
}
