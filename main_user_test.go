package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"pupns/handlers/cli"
	"pupns/store"
)

// TestUserCommand: `pupns user add|list|disable` create, show and disable staff accounts with the
// store's rules (a bad account is refused with the field's message and not created).
func TestUserCommand(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := cli.User([]string{"add", "--data", dir, "--login", "reg.p33", "--name", "Rina Wati", "--role", "verifikator_registrasi", "--scope", "P33", "--password", "Teh-Tarik-Dingin"}, &out); err == nil {
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
	if err := cli.User([]string{"add", "--data", dir, "--login", "reg.p33", "--name", "Rina Wati", "--role", "verifikator_registrasi", "--scope", "P33", "--password", "qwerty123"}, &out); err == nil || !strings.Contains(out.String(), "password:") {
		t.Fatalf("a common password was accepted: %v %s", err, out.String())
	}
	out.Reset()
	if err := cli.User([]string{"add", "--data", dir, "--login", "reg.p33", "--name", "Rina Wati", "--role", "verifikator_registrasi", "--scope", "P33", "--password", "Teh-Tarik-Dingin"}, &out); err != nil {
		t.Fatalf("add: %v %s", err, out.String())
	}
	out.Reset()
	if err := cli.User([]string{"list", "--data", dir}, &out); err != nil || !strings.Contains(out.String(), "reg.p33") || !strings.Contains(out.String(), "aktif") {
		t.Fatalf("list: %v\n%s", err, out.String())
	}
	if err := cli.User([]string{"disable", "--data", dir, "reg.p33"}, &out); err != nil {
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

// TestUserCommandWhileServing: with a server running on the folder (which holds the data file's
// lock), `user add` and `user list` go through the server's control socket (DATA/pupns.sock, mode
// 0600) and work, with the store's rules (a bad account is refused with the field's message);
// the account made is one the server logs in at once. Without the socket, the refusal says the
// file is in use and points at the server's /admin/akun.
func TestUserCommandWhileServing(t *testing.T) {
	data := t.TempDir()
	s := startServe(t, "--data", data, "--addr", "127.0.0.1:0", "--demo", "--demo-pns", "10")
	base := s.url(t)
	sock := filepath.Join(data, "pupns.sock")
	if fi, err := os.Stat(sock); err != nil || fi.Mode().Perm() != 0o600 || fi.Mode()&os.ModeSocket == 0 {
		t.Fatalf("control socket: %v %v, want a socket with mode 0600", fi, err)
	}
	run := func(args ...string) (string, error) {
		out, err := exec.Command(bin, append([]string{"user", args[0], "--data", data}, args[1:]...)...).CombinedOutput()
		return string(out), err
	}
	out, err := run("add", "--login", "ops.baru", "--name", "Rina Wati", "--role", "admin", "--password", "qwerty123")
	if err == nil || !strings.Contains(out, "password:") {
		t.Fatalf("a common password was accepted through the server: %v\n%s", err, out)
	}
	if out, err := run("add", "--login", "ops.baru", "--name", "Rina Wati", "--role", "admin", "--password", "Teh-Tarik-Dingin"); err != nil || !strings.Contains(out, "Akun ops.baru (Admin) dibuat.") {
		t.Fatalf("user add while serving: %v\n%s", err, out)
	}
	if out, err := run("list"); err != nil || !strings.Contains(out, "ops.baru") || !strings.Contains(out, "admin") {
		t.Fatalf("user list while serving: %v\n%s", err, out)
	}
	if status := loginStatus(t, base, "ops.baru", "Teh-Tarik-Dingin"); status != http.StatusSeeOther {
		t.Fatalf("the account added through the socket does not log in: %d", status)
	}
	if out, err := run("disable", "ops.baru"); err != nil || !strings.Contains(out, "dinonaktifkan") {
		t.Fatalf("user disable while serving: %v\n%s", err, out)
	}

	if err := os.Remove(sock); err != nil {
		t.Fatal(err)
	}
	out, err = run("list")
	if err == nil || !strings.Contains(out, "sedang dipakai proses pupns lain") || !strings.Contains(out, base+"/admin/akun") {
		t.Fatalf("without the socket: %v\n%s", err, out)
	}
}

// loginStatus posts a login form to the server at base as a browser does (the login page first,
// for its CSRF token and cookie) and returns the answer's status without following it.
func loginStatus(t *testing.T, base, login, password string) int {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(base + "/masuk")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("login page without a CSRF token:\n%s", page)
	}
	res, err = c.PostForm(base+"/masuk", url.Values{"login": {login}, "password": {password}, "_csrf": {string(m[1])}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}
