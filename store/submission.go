package store

import (
	"slices"
	"time"
)

// State is where a submission is.
type State string

// Submission states. A submission is made in StateDraft by its first Kirim and moved on in the same
// transaction, so StateDraft is only ever seen as the From of its first Step.
const (
	StateDraft     State = "draf"
	StateLevel1    State = "level1"
	StateLevel2    State = "level2"
	StateLevel3    State = "level3"
	StateLevel4    State = "level4"
	StateReturned  State = "dikembalikan"
	StateDone      State = "selesai"
	StateWithdrawn State = "ditarik"
	// StateSentDown is a BKN hub's copy that its verifier sent down to the office (turun status
	// across the link): it left the hub's inbox and is kept read-only for the hub's audit.
	StateSentDown State = "diturunkan_ke_kantor"
)

// WithVerifiers tells whether the submission waits at some verification level (the form is locked).
func (s State) WithVerifiers() bool { return s.Level() > 0 }

// Level is the verification level the submission waits at, 0 when it waits at none.
func (s State) Level() int {
	switch s {
	case StateLevel1:
		return 1
	case StateLevel2:
		return 2
	case StateLevel3:
		return 3
	case StateLevel4:
		return 4
	}
	return 0
}

// Label is the state in the words the PNS sees.
func (s State) Label() string {
	switch s {
	case StateLevel1:
		return "Verifikasi Level 1 (SKPD)"
	case StateLevel2:
		return "Verifikasi Level 2 (BKD)"
	case StateLevel3:
		return "Verifikasi Level 3 (Kanreg BKN)"
	case StateLevel4:
		return "Verifikasi Level 4 (BKN Pusat)"
	case StateReturned:
		return "Dikembalikan kepada PNS untuk diperbaiki"
	case StateDone:
		return "Selesai"
	case StateWithdrawn:
		return "Ditarik oleh PNS"
	case StateSentDown:
		return "Verifikasi Level 2 (BKD) di kantor instansi"
	}
	return string(s)
}

// StateLevelLabel names the state of waiting at a verification level.
func StateLevelLabel(level int) string { return stateAt(level).Label() }

func stateAt(level int) State {
	switch level {
	case 1:
		return StateLevel1
	case 2:
		return StateLevel2
	case 3:
		return StateLevel3
	case 4:
		return StateLevel4
	}
	return StateDone
}

// Verdicts a verifier gives a line.
const (
	Setuju = "setuju" // approve
	BTS    = "bts"    // berkas tidak sesuai: back to the PNS to fix
	TMS    = "tms"    // tidak memenuhi syarat: rejected for good
)

// VerdictLabel names a verdict.
func VerdictLabel(v string) string {
	switch v {
	case Setuju:
		return "Setuju"
	case BTS:
		return "BTS (berkas tidak sesuai)"
	case TMS:
		return "TMS (tidak memenuhi syarat)"
	}
	return "Belum diputuskan"
}

// Decision is one verifier's verdict on one line at one level, in one round.
type Decision struct {
	Level   int       `json:"level"`
	Round   int       `json:"round"`
	Field   string    `json:"field,omitempty"`
	Verdict string    `json:"verdict"`
	Note    string    `json:"note,omitempty"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// Line is one proposal inside a submission: old → new with the reason, and every decision on it.
// Since is the round in which its content last changed; decisions from earlier rounds stay valid
// for it (except BTS, which always asks for a new look). BKN comes from the field catalogue;
// Final is the last level the line needs (2, or the submission's BKN level when BKN), set by routeLines.
type Line struct {
	Field     string     `json:"field"`
	Label     string     `json:"label"`
	Old       string     `json:"old"`
	New       string     `json:"new"`
	Reason    string     `json:"reason"`
	BKN       bool       `json:"bkn"`
	Final     int        `json:"final,omitempty"`
	Since     int        `json:"since"`
	Decisions []Decision `json:"decisions,omitempty"`
	// Docs are the documents attached to the proposal when it was sent.
	Docs []DocRef `json:"docs,omitempty"`
	// Free marks a value typed outside the offered list, for the verifier to check by hand.
	Free bool `json:"free,omitempty"`
	// OldText and NewText are how Old and New read for people when the code alone does not say
	// (a unit's id → its path in the organisation tree), fixed when the line is sent.
	OldText string `json:"old_text,omitempty"`
	NewText string `json:"new_text,omitempty"`
	// History row lines: the table, row and operation, and the rows before and after.
	Table  string            `json:"table,omitempty"`
	RowID  string            `json:"row_id,omitempty"`
	Op     string            `json:"op,omitempty"`
	OldRow map[string]string `json:"old_row,omitempty"`
	NewRow map[string]string `json:"new_row,omitempty"`
}

// Step is one move of a submission between states.
type Step struct {
	At   time.Time `json:"at"`
	From State     `json:"from"`
	To   State     `json:"to"`
	By   string    `json:"by"`
	Note string    `json:"note,omitempty"`
}

// Submission is a sent form: its lines and where it is. Rev increases with every change, so a
// decision made on a stale view is refused (optimistic versioning).
type Submission struct {
	ID         uint64    `json:"id"`
	NIP        string    `json:"nip"`
	Name       string    `json:"nama"`
	InstansiID string    `json:"instansi_id"`
	UnitID     string    `json:"unit_id"`
	UnitName   string    `json:"unit_nama"`
	SKPDID     string    `json:"skpd_id"`
	State      State     `json:"state"`
	Round      int       `json:"round"`
	Rev        int       `json:"rev"`
	Lines      []Line    `json:"lines"`
	Steps      []Step    `json:"steps"`
	SentBy     string    `json:"sent_by"`
	SentAt     time.Time `json:"sent_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	InboxAt    time.Time `json:"inbox_at"`
	Version    int       `json:"version,omitempty"` // the master version it produced when done
	// BKNLevel is where lines needing BKN's authority go after Level 2: 3 (the Kanreg KanregID) for
	// an instansi daerah, 4 (BKN Pusat) for an instansi pusat. Set at Kirim from the instansi.
	BKNLevel int    `json:"bkn_level,omitempty"`
	KanregID string `json:"kanreg_id,omitempty"`
	// BKNSends counts the times an office sent the submission's lines to BKN (queueLines): a
	// forward again after a hub's turun status is a new message (BKNSendMsgID), not a duplicate.
	BKNSends int `json:"bkn_sends,omitempty"`
	// OpenedBy and OpenedAt record the first verifier who opened the submission since it was last
	// sent; until then the PNS may withdraw it.
	OpenedBy string    `json:"opened_by,omitempty"`
	OpenedAt time.Time `json:"opened_at,omitzero"`
	// TakenBy is the first verifier who opened it at its current level (the inbox shows it, so a
	// colleague sees it is being handled); moveTo clears it.
	TakenBy string `json:"taken_by,omitempty"`
}

// Decision returns the line's valid decision at a level in the current round, if any.
func (l Line) Decision(level, round int) (Decision, bool) {
	for i := len(l.Decisions) - 1; i >= 0; i-- {
		d := l.Decisions[i]
		if d.Level != level || d.Round < l.Since {
			continue
		}
		if d.Verdict == BTS && d.Round < round {
			return Decision{}, false
		}
		return d, true
	}
	return Decision{}, false
}

// Rejected tells whether some level rejected the line for good (TMS) in a valid decision.
func (l Line) Rejected(round int) bool {
	for lv := 1; lv <= 4; lv++ {
		if d, ok := l.Decision(lv, round); ok && d.Verdict == TMS {
			return true
		}
	}
	return false
}

// UnderReview tells whether the line is for the verifier at level to decide: level 1 sees every
// line; a higher level on the line's path sees it once the level before approved it.
func (l Line) UnderReview(level, round int) bool {
	path := levelsOf(l)
	i := slices.Index(path, level)
	switch {
	case i < 0:
		return false
	case i == 0:
		return true
	}
	d, ok := l.Decision(path[i-1], round)
	return ok && d.Verdict == Setuju
}

// finalLevel is the last level a line goes to: Level 2 unless it needs BKN's authority, then the
// submission's BKN level (3 or 4). Lines stored before routing existed end at Level 2.
func finalLevel(l Line) int {
	if l.Final > 2 {
		return l.Final
	}
	return 2
}

// levelsOf is the path of levels a line passes: Level 1, Level 2, and its BKN level when it has one.
func levelsOf(l Line) []int {
	if f := finalLevel(l); f > 2 {
		return []int{1, 2, f}
	}
	return []int{1, 2}
}

// Path lists the levels the submission passes: 1 and 2, and its BKN level when a line needs BKN.
func (s Submission) Path() []int {
	out := []int{1, 2}
	for _, l := range s.Lines {
		if f := finalLevel(l); f > 2 {
			return append(out, f)
		}
	}
	return out
}

// ReviewLines returns the indexes of the lines the current level decides.
func (s Submission) ReviewLines() []int {
	var out []int
	lv := s.State.Level()
	for i, l := range s.Lines {
		if lv > 0 && l.UnderReview(lv, s.Round) {
			out = append(out, i)
		}
	}
	return out
}

// Undecided lists the lines of the current level that still wait for a decision.
func (s Submission) Undecided() []Line {
	var out []Line
	for _, i := range s.ReviewLines() {
		if _, ok := s.Lines[i].Decision(s.State.Level(), s.Round); !ok {
			out = append(out, s.Lines[i])
		}
	}
	return out
}

// LastChange is who made the latest decision or move on the submission, and when.
func (s Submission) LastChange() (by string, at time.Time) {
	for _, st := range s.Steps {
		if !st.At.Before(at) {
			by, at = st.By, st.At
		}
	}
	for _, l := range s.Lines {
		for _, d := range l.Decisions {
			if !d.At.Before(at) {
				by, at = d.By, d.At
			}
		}
	}
	return by, at
}

// NextState is where Forward sends the submission, given the decisions at its current level: back
// to the PNS when a line is BTS; else to the nearest level an approved line still needs; else done.
func (s Submission) NextState() State {
	lv := s.State.Level()
	var bts bool
	next := 0
	for _, i := range s.ReviewLines() {
		l := s.Lines[i]
		d, _ := l.Decision(lv, s.Round)
		switch {
		case d.Verdict == BTS:
			bts = true
		case d.Verdict == Setuju && finalLevel(l) > lv:
			path := levelsOf(l)
			if nl := path[slices.Index(path, lv)+1]; next == 0 || nl < next {
				next = nl
			}
		}
	}
	switch {
	case bts:
		return StateReturned
	case next > 0:
		return stateAt(next)
	}
	return StateDone
}

// Approved tells whether every level on the line's path approved it in the current round.
func (l Line) Approved(round int) bool {
	for _, lv := range levelsOf(l) {
		d, ok := l.Decision(lv, round)
		if !ok || d.Verdict != Setuju {
			return false
		}
	}
	return true
}

// Result is where the line stands in the round, as a verdict: TMS when some level rejected it for
// good, else Setuju when every level on its path approved it, else BTS when some level sent it back
// to the PNS (SentBack), else "" (still under review).
func (l Line) Result(round int) string {
	switch {
	case l.Rejected(round):
		return TMS
	case l.Approved(round):
		return Setuju
	case l.SentBack(round):
		return BTS
	}
	return ""
}

// SentBack tells whether some level on the line's path marked it BTS in a valid decision. It may
// hold beside a TMS of another level (Level 2 rejected it, then after turun status Level 1 sent it
// back): the line is then returned to the PNS to fix, though its Result reads TMS.
func (l Line) SentBack(round int) bool {
	for _, lv := range levelsOf(l) {
		if d, ok := l.Decision(lv, round); ok && d.Verdict == BTS {
			return true
		}
	}
	return false
}

// ReturnedFields lists the fields the PNS may change while the submission is returned: the lines
// some level marked BTS in the current round. Nil when the submission is not returned.
func (s Submission) ReturnedFields() map[string]bool {
	if s.State != StateReturned {
		return nil
	}
	out := map[string]bool{}
	for _, l := range s.Lines {
		if l.SentBack(s.Round) {
			out[l.Field] = true
		}
	}
	return out
}

// CanWithdraw tells whether the PNS may still take the submission back: it waits with the
// verifiers and none of them has opened it since it was sent.
func (s Submission) CanWithdraw() bool {
	return s.State.WithVerifiers() && s.OpenedAt.IsZero()
}

// CanForward tells whether the verifier may take Teruskan now: the submission waits at their
// level and every line of that level is decided (whether they hold its scope is asked of the store).
func (s Submission) CanForward(a Actor) bool {
	lv := s.State.Level()
	return lv > 0 && lv == a.Role.Level() && len(s.Undecided()) == 0
}

// SendDownTo is where turun status sends the submission: the level before its current one on its
// path (Level 2 to Level 1; Level 3 or 4 to Level 2). ok is false at Level 1 and when it waits
// at no level.
func (s Submission) SendDownTo() (to State, ok bool) {
	path := s.Path()
	i := slices.Index(path, s.State.Level())
	if i < 1 {
		return "", false
	}
	return stateAt(path[i-1]), true
}

// CanSendDown tells whether the verifier may take turun status now: the submission waits at their
// level, and that level has one below it.
func (s Submission) CanSendDown(a Actor) bool {
	_, ok := s.SendDownTo()
	return ok && s.State.Level() == a.Role.Level()
}

// ArrivedDown returns the step that brought the submission to where it waits now when that step
// was turun status (it came down from a higher level).
func (s Submission) ArrivedDown() (Step, bool) {
	n := len(s.Steps)
	if n == 0 {
		return Step{}, false
	}
	st := s.Steps[n-1]
	if st.To != s.State || st.To.Level() == 0 || st.From.Level() <= st.To.Level() {
		return Step{}, false
	}
	return st, true
}
