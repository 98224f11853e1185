package views

// RegRow is one registration in the registration verifier's queue.
type RegRow struct {
	NIP      string // 18 digits, used in URLs
	NIPShown string
	RegNo    string
	Name     string
	Email    string
	When     string
	Reason   string // typed reason when a rejection failed
	Error    string
}

// ActivationProps is the registration verifier's queue.
type ActivationProps struct {
	Scope string
	Query string
	Rows  []RegRow
	Total int
	Next  string
	First bool
}
