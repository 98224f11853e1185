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
	Disk      SummaryDisk
}

// SummaryDisk is the room left on the server's data disk, written for people, and whether staff
// must act: Low is under the reserve (warning), Full is writes being refused.
type SummaryDisk struct {
	Free, Total, Reserve string
	Used                 string // percent of the disk in use
	Low, Full            bool
	FailedAt             string // when a write was last refused for lack of space; "" when none
}
