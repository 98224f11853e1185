package store

// SetAuditScanLimitForTesting lowers the bound of one audit page's scan and returns the undo.
func SetAuditScanLimitForTesting(n int) func() {
	old := auditScanLimit
	auditScanLimit = n
	return func() { auditScanLimit = old }
}
