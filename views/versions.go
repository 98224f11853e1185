package views

// VersionsProps is the versions of a PNS's master record (the page at /riwayat): every version, newest first.
type VersionsProps struct {
	Name     string
	NIP      string
	Versions []VersionView
	Back     string // where the page's back link goes
	BackText string
}

// VersionView is one version of the record: when, why, who proposed, and each change with who
// approved it at each level.
type VersionView struct {
	Version      int
	When         string
	Cause        string
	By           string
	FromProposal bool // the version came from a PNS's submission (By proposed it), not an import
	Current      bool
	Changes      []ChangeView
}

// ChangeView is one field's change in a version, with the approvals that let it through.
type ChangeView struct {
	Field     string
	Label     string
	Old       string
	New       string
	Approvals []DecisionView
}
