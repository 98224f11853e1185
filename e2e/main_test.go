package e2e

import (
	"os"
	"testing"

	"pupns/store/storetest"
)

// TestMain makes password hashing cheap for the whole binary before any test runs: every test
// logs several people in, and the production cost is not what these tests are about.
func TestMain(m *testing.M) {
	storetest.CheapPasswords()
	os.Exit(m.Run())
}
