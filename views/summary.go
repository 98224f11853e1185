package views

// SummaryRow is one labelled count.
type SummaryRow struct {
	Label string
	Count int
}

// SummaryProps is the office's progress page for staff.
type SummaryProps struct {
	PNS       int
	Sent      int
	NotSent   int
	Proposals int
	ByState   []SummaryRow
	Accounts  []SummaryRow
}
