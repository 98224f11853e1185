package views

// InboxRow is one submission in an inbox.
type InboxRow struct {
	ID      uint64
	NIP     string
	Name    string
	Unit    string
	Lines   int
	SentAt  string
	Round   int
	TakenBy string // the colleague who opened it at this level
	Down    bool   // sent down by the level above
}

// InboxFilter is the inbox's filter form as typed, with the choices it offers and a message at the
// field that was refused.
type InboxFilter struct {
	Status   string
	Unit     string
	From     string
	To       string
	Search   string
	Statuses []Option
	Units    []Option // empty when the scope is too wide for a list (Level 3 and 4)
	Field    string   // the field Error is about
	Error    string
	On       bool // some filter is set
}

// InboxProps is a verifier's inbox.
type InboxProps struct {
	Level  int
	Scope  string
	Rows   []InboxRow
	Total  int // the whole inbox, whatever the filter
	Next   string
	First  bool
	Filter InboxFilter
	Query  string // the filter as a query string (without the cursor), for paging links
}

// ReviewLine is one line on the verifier's review page, with the decision form.
type ReviewLine struct {
	LineView
	Current      *DecisionView // this level's decision in this round
	Verdict      string        // the form's selected verdict
	Note         string        // the form's note
	Error        string
	CanDecide    bool
	SubmissionID uint64
	// Kept: this level's decision was made in an earlier round and still holds (the line did not change).
	Kept bool
	// Preview is the document shown beside the line (0: none); one of Docs.
	Preview uint64
}

// ReviewProps is a verifier's view of one submission.
type ReviewProps struct {
	ID         uint64
	Rev        int
	Level      int
	Name       string
	NIP        string
	NIPRaw     string // the 18 digits, for links
	Unit       string
	State      string
	StateLabel string
	Round      int
	SentAt     string
	Lines      []ReviewLine
	Others     []LineView // lines not for this level (decided below, or rejected)
	Undecided  int
	Error      string
	CanForward bool
	// ForwardText is the Teruskan button: where the decisions so far will send the submission.
	ForwardText string
	// CanSendDown: Level 2 and above may send the submission one level down (turun status).
	CanSendDown bool
	DownTo      string // the level it would go down to, in words
	DownReason  string // what the verifier typed, when it came back with a message
	DownError   string
	LastDown    *StepView // the latest turun status that brought it here, with its reason
	// Shortcuts: the verifier turned the single-key shortcuts on (store.User.Shortcuts); the page
	// tells static/verify.js so, which binds no key otherwise.
	Shortcuts bool
}

// Notice tells a verifier, live, that the submission on their screen was changed by someone else.
type Notice struct {
	Text     string
	Href     string
	LinkText string
}

// RevProps is the revision the page shows (RevInput) the page shows; OOB when it rides beside a decision answer.
type RevProps struct {
	Rev int
	OOB bool
}

// ForwardProps is the Teruskan panel of a review page; OOB when it rides beside a decision answer.
type ForwardProps struct {
	Review ReviewProps
	CSRF   string
	OOB    bool
}

// verdictButton is one of the decision buttons of a review line.
type verdictButton struct{ Value, Label, Words string }

// verdictButtons are the three decisions, in the order a verifier meets them.
var verdictButtons = []verdictButton{
	{"setuju", "Setuju", ""},
	{"bts", "BTS", "berkas tidak sesuai"},
	{"tms", "TMS", "tidak memenuhi syarat"},
}

// onOff is a setting as the page's data attributes carry it.
func onOff(on bool) string {
	if on {
		return "nyala"
	}
	return "mati"
}

// changeWords says a change in words, for a screen reader (del, ins and mark are not announced by
// most): both values, and when only part changed, which part.
func changeWords(old, new string, c Change) string {
	w := "Nilai lama " + orKosong(old) + ", nilai baru " + orKosong(new) + "."
	switch {
	case !c.Marked():
	case c.Old == "":
		w += " Ditambahkan: " + c.New + "."
	case c.New == "":
		w += " Dihapus: " + c.Old + "."
	default:
		w += " Yang berubah: " + c.Old + " menjadi " + c.New + "."
	}
	return w
}

// previewDoc is the line's document shown beside it, or nil.
func previewDoc(l ReviewLine) *DocLink {
	for i := range l.Docs {
		if l.Docs[i].ID == l.Preview && l.Preview != 0 {
			return &l.Docs[i]
		}
	}
	return nil
}
