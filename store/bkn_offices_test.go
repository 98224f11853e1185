package store_test

import (
	"errors"
	"strings"
	"testing"

	"pupns/store"
	"pupns/store/storetest"
)

const testKeyA = "UAHPMHZOYBXGBUYQZHW2TWUCTWGP4HCYZF7ZM2WJGAVUOE3TCW6YR2MV"

// TestBKNOfficeRegister: the hub registers an office once (a second time is ErrAlreadyExist unless
// the key is replaced), refuses an id or key that could not be a NATS user, and reads the register
// back after a reopen.
func TestBKNOfficeRegister(t *testing.T) {
	dir := t.TempDir()
	st := storetest.Open(t, dir, nil)
	if _, err := st.RegisterBKNOffice(store.SystemActor, "P33", testKeyA, false); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RegisterBKNOffice(store.SystemActor, "P33", testKeyA, false); !errors.Is(err, store.ErrAlreadyExist) {
		t.Fatalf("second registration: %v, want ErrAlreadyExist", err)
	}
	keyB := "U" + strings.Repeat("B", 55)
	if _, err := st.RegisterBKNOffice(store.SystemActor, "P33", keyB, true); err != nil {
		t.Fatalf("replacing the key: %v", err)
	}
	for _, bad := range []struct{ id, key string }{{"P.33", testKeyA}, {"*", testKeyA}, {">", testKeyA}, {"", testKeyA},
		{"P34", "SUAHPMHZOYBX"}, {"P34", "N" + testKeyA[1:]}} {
		if _, err := st.RegisterBKNOffice(store.SystemActor, bad.id, bad.key, false); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("RegisterBKNOffice(%q, %q) = %v, want ErrInvalid", bad.id, bad.key, err)
		}
	}
	if _, err := st.RegisterBKNOffice(store.Actor{Login: "v2", Role: store.RoleV2}, "P35", testKeyA, false); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("a verifier registering an office: %v, want ErrForbidden", err)
	}
	st.Close()
	st = storetest.Open(t, dir, nil)
	got, err := st.BKNOffices()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Instansi != "P33" || got[0].PublicKey != keyB {
		t.Fatalf("register after reopen: %+v, want P33 with the replaced key", got)
	}
}

// TestLinkedOfficeRefusesBKNAccounts: an office linked to a hub refuses Level 3 and 4 accounts (BKN's
// verifiers log in at the hub); Level 2 is still made there, and an office without a hub makes all.
func TestLinkedOfficeRefusesBKNAccounts(t *testing.T) {
	org := storetest.NewOffice(t)
	if err := storetest.SeedOrg(org.Store); err != nil && !errors.Is(err, store.ErrAlreadyExist) {
		t.Fatal(err)
	}
	org.Store.Close()
	linked, err := store.Open(org.Dir, store.Options{LinkedToHub: true})
	if err != nil {
		t.Fatal(err)
	}
	defer linked.Close()
	in := func(login string, role store.Role, scope string) store.StaffInput {
		return store.StaffInput{Login: login, Name: "Petugas Uji", Role: role, ScopeID: scope, Password: "kuda-lari-cepat-77", Password2: "kuda-lari-cepat-77"}
	}
	for _, c := range []struct {
		login string
		role  store.Role
		scope string
	}{{"bkn3", store.RoleV3, "I"}, {"bkn4", store.RoleV4, ""}} {
		_, err := linked.AddStaff(store.SystemActor, in(c.login, c.role, c.scope))
		fe, ok := store.AsFieldErrors(err)
		if !ok || len(fe) != 1 || fe[0].Field != "peran" || !strings.Contains(fe[0].Message, "hub BKN") {
			t.Fatalf("%s at a linked office: %v, want the role refused (hub BKN)", c.role, err)
		}
	}
	if _, err := linked.AddStaff(store.SystemActor, in("bkd2", store.RoleV2, "P33")); err != nil {
		t.Fatalf("Level 2 at a linked office: %v", err)
	}
}

// TestOneLinkedOfficeRule: Options.LinkedToHub (serve --bkn-hub) and a started link (SetBKNLink
// office) are one rule (Store.LinkedToHub): after either, the office refuses a Level 3 account (and
// a local Level 3 step: handlers' TestStatusShowsTheWayToBKN), and remembers it on reopening; a
// hub's data file is never opened as a linked office.
func TestOneLinkedOfficeRule(t *testing.T) {
	org := storetest.NewOffice(t)
	if err := storetest.SeedOrg(org.Store); err != nil && !errors.Is(err, store.ErrAlreadyExist) {
		t.Fatal(err)
	}
	if org.Store.LinkedToHub() {
		t.Fatal("a lone office says it is linked")
	}
	if err := org.Store.SetBKNLink(store.BKNLink{Role: store.BKNRoleOffice}); err != nil {
		t.Fatal(err)
	}
	_, err := org.Store.AddStaff(store.SystemActor, store.StaffInput{Login: "bkn3", Name: "Petugas Uji", Role: store.RoleV3,
		ScopeID: "I", Password: "kuda-lari-cepat-77", Password2: "kuda-lari-cepat-77"})
	if fe, ok := store.AsFieldErrors(err); !ok || len(fe) != 1 || fe[0].Field != "peran" {
		t.Fatalf("Level 3 account after the link started: %v, want the role refused", err)
	}
	org.Store.Close()
	reopened := storetest.Open(t, org.Dir, nil) // without the flag: the file remembers
	if !reopened.LinkedToHub() {
		t.Fatal("the linked office forgot its link on reopening")
	}
	reopened.Close()

	hubDir := t.TempDir()
	hub := storetest.Open(t, hubDir, nil)
	if err := hub.SetBKNLink(store.BKNLink{Role: store.BKNRoleKanreg, Kanreg: "I"}); err != nil {
		t.Fatal(err)
	}
	hub.Close()
	if st, err := store.Open(hubDir, store.Options{LinkedToHub: true}); !errors.Is(err, store.ErrInvalid) {
		if st != nil {
			st.Close()
		}
		t.Fatalf("a hub's file opened as a linked office: %v, want ErrInvalid", err)
	}
}

// TestLinkedOfficeRefusesBKNLogins: a Level 3/4 account made before the office was linked to its
// hub cannot log in there any more (BKN's verifiers work at the hub); a lone office and the other
// roles of a linked one log in as before.
func TestLinkedOfficeRefusesBKNLogins(t *testing.T) {
	o := storetest.NewOffice(t)
	if _, err := o.Store.Authenticate(storetest.LoginV3, storetest.Password); err != nil {
		t.Fatalf("Level 3 at a lone office: %v", err)
	}
	if err := o.Store.SetBKNLink(store.BKNLink{Role: store.BKNRoleOffice}); err != nil {
		t.Fatal(err)
	}
	if u, err := o.Store.Authenticate(storetest.LoginV3, storetest.Password); !errors.Is(err, store.ErrAtHub) || u.Role != store.RoleV3 {
		t.Fatalf("Level 3 at a linked office: %v %v, want ErrAtHub", u.Role, err)
	}
	if _, err := o.Store.Authenticate(storetest.LoginV3, "salah-sandi-99"); !errors.Is(err, store.ErrBadPassword) {
		t.Fatalf("a wrong password at a linked office: %v, want ErrBadPassword (nothing said of the role)", err)
	}
	if _, err := o.Store.Authenticate(storetest.NIPBudi, storetest.Password); err != nil {
		t.Fatalf("a PNS at a linked office: %v", err)
	}
}
