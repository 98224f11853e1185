package store_test

import (
	"errors"
	"testing"

	"pupns/store"
	"pupns/store/storetest"
)

// TestShortcutsOffUntilTheVerifierTurnsThemOn: a verifier's single-key shortcuts start off, stay
// on once set (a fresh read of the account), go off again; a PNS has no review page to use them on.
func TestShortcutsOffUntilTheVerifierTurnsThemOn(t *testing.T) {
	s := storetest.NewOffice(t).Store
	read := func() bool {
		t.Helper()
		u, err := s.User(storetest.LoginV1)
		if err != nil {
			t.Fatal(err)
		}
		return u.Shortcuts
	}
	if read() {
		t.Fatal("a verifier's shortcuts are on before they asked")
	}
	fxMust(t, s.SetShortcuts(storetest.LoginV1, true))
	if !read() {
		t.Fatal("shortcuts turned on did not stay on")
	}
	fxMust(t, s.SetShortcuts(storetest.LoginV1, false))
	if read() {
		t.Fatal("shortcuts turned off stayed on")
	}
	if err := s.SetShortcuts(storetest.NIPBudi, true); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("a PNS set shortcuts: %v, want ErrForbidden", err)
	}
	if err := s.SetShortcuts("tidak-ada", true); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("an unknown login: %v, want ErrNotFound", err)
	}
}
