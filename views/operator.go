package views

// OperatorProps is the operator's search for a PNS in scope.
type OperatorProps struct {
	Scope string
	NIP   string
	Error string
}
