package main

import (
	"bytes"
	"strings"
	"testing"

	"pupns/store"
)

// TestUserCommand: `pupns user add|list|disable` create, show and disable staff accounts with the
// store's rules (a bad account is refused with the field's message and not created).
func TestUserCommand(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := userCmd([]string{"add", "--data", dir, "--login", "reg.p33", "--name", "Rina Wati", "--role", "verifikator_registrasi", "--scope", "P33", "--password", "Teh-Tarik-Dingin"}, &out); err == nil {
		t.Fatal("a registration verifier for an instansi that does not exist was created")
	}
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutInstansi(store.Instansi{ID: "P33", Name: "Pemerintah Provinsi Jawa Tengah", Jenis: "daerah", KanregID: "I"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out.Reset()
	if err := userCmd([]string{"add", "--data", dir, "--login", "reg.p33", "--name", "Rina Wati", "--role", "verifikator_registrasi", "--scope", "P33", "--password", "qwerty123"}, &out); err == nil || !strings.Contains(out.String(), "password:") {
		t.Fatalf("a common password was accepted: %v %s", err, out.String())
	}
	out.Reset()
	if err := userCmd([]string{"add", "--data", dir, "--login", "reg.p33", "--name", "Rina Wati", "--role", "verifikator_registrasi", "--scope", "P33", "--password", "Teh-Tarik-Dingin"}, &out); err != nil {
		t.Fatalf("add: %v %s", err, out.String())
	}
	out.Reset()
	if err := userCmd([]string{"list", "--data", dir}, &out); err != nil || !strings.Contains(out.String(), "reg.p33") || !strings.Contains(out.String(), "aktif") {
		t.Fatalf("list: %v\n%s", err, out.String())
	}
	if err := userCmd([]string{"disable", "--data", dir, "reg.p33"}, &out); err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Authenticate("reg.p33", "Teh-Tarik-Dingin"); err == nil {
		t.Fatal("a disabled account logs in")
	}
}
