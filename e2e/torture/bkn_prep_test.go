//go:build torture

package torture

import (
	"bytes"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"pupns/store"
	"pupns/store/storetest"
)

// The kill loop's offices are prepared with the store package before their processes first start
// (the test holds the bbolt file only then): each office's instansi, one unit, a Level 1 and a
// Level 2 verifier, and its PNS, each of whom has proposed a new name with its documents, sent it
// (Kirim) and had it passed by Level 1. The first few are also forwarded by Level 2 there, so
// their lines wait in the office's outbox when the process starts; the rest are forwarded over
// HTTP by the Level 2 verifier while the loop runs (Teruskan, as a person does). The steps before
// Level 2 go through the store because a PNS's name change needs three uploaded documents, and
// doing that over HTTP for every PNS would take most of the test's time without touching the link.

// killOffice is one office of the loop: its instansi and unit, its verifiers and its PNS.
type killOffice struct {
	Instansi, Unit, V1, V2 string
	NIPs                   []string          // every PNS with a submission, in order
	Subs                   map[string]uint64 // NIP → the office's submission id
	Early                  int               // the first Early NIPs were forwarded before the start
}

// killPassword is the password of every account the loop's sites hold.
const killPassword = "Kopi-Tubruk-Pahit-9"

// killNIP is the i-th PNS of an office whose sequence block is base: born and appointed on dates
// that agree with the NIP, as the form's cross-checks want.
func killNIP(base, i int) string {
	return fmt.Sprintf("19%02d%02d%02d20%02d%02d1%03d", 70+i%20, 1+i%12, 1+i%28, 5+i%10, 1+i%12, base+i)
}

// prepareOffice builds an office of instansi inst (an instansi daerah of Kanreg I) with n PNS in
// dir, as described above, and registers nothing at the hub (the caller runs `pupns bkn kantor`).
func prepareOffice(t *testing.T, dir, inst string, base, n, early int) *killOffice {
	t.Helper()
	o := &killOffice{Instansi: inst, Unit: inst + ".U01", V1: "v1-" + strings.ToLower(inst), V2: "v2-" + strings.ToLower(inst),
		Subs: map[string]uint64{}, Early: early}
	st, err := store.Open(dir, store.Options{LinkedToHub: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("preparing office %s: %v", inst, err)
		}
	}
	must(st.PutInstansi(store.Instansi{ID: inst, Name: "Pemerintah Daerah Uji " + inst, Jenis: "daerah", KanregID: "I"}))
	must(st.PutUnit(store.Unit{ID: o.Unit, InstansiID: inst, Name: "Badan Kepegawaian Daerah " + inst}))
	hash := store.HashPassword(killPassword)
	users := []store.User{
		{Login: o.V1, Role: store.RoleV1, Name: "Verifikator Level 1 " + inst, ScopeID: o.Unit, Hash: hash},
		{Login: o.V2, Role: store.RoleV2, Name: "Verifikator Level 2 " + inst, ScopeID: inst, Hash: hash},
	}
	var in []store.MasterInput
	for i := range n {
		nip := killNIP(base, i)
		rec := storetest.Record(nip, o.Unit, "Pegawai Lama "+letters(base+i), storetest.NIK(nip, base+i))
		rec.InstansiID = inst
		in = append(in, store.MasterInput{Record: rec})
		users = append(users, store.User{Login: nip, Role: store.RolePNS, Name: rec.Fields["nama"], NIP: nip, Hash: hash})
		o.NIPs = append(o.NIPs, nip)
	}
	_, _, bad, err := st.PutMaster(in, "test", "fixture")
	must(err)
	if len(bad) > 0 {
		t.Fatalf("master records refused: %v", bad)
	}
	must(st.PutUsers(users))
	v1 := store.Actor{Login: o.V1, Role: store.RoleV1, ScopeID: o.Unit}
	v2 := store.Actor{Login: o.V2, Role: store.RoleV2, ScopeID: inst}
	for i, nip := range o.NIPs {
		sub := sendToLevel2(t, st, nip, killName(nip), v1)
		if i < early {
			sub = passLevel(t, st, v2, sub.ID)
			if sub.State != store.StateLevel3 {
				t.Fatalf("after Level 2: %s, want Level 3", sub.State)
			}
		}
		o.Subs[nip] = sub.ID
	}
	if n, err := st.BKNOutboxLen(); err != nil || n != early {
		t.Fatalf("office %s's outbox holds %d rows (%v), want %d", inst, n, err, early)
	}
	return o
}

// killName is the new name a PNS proposes: the hub's approval makes it the master's.
func killName(nip string) string {
	n, _ := strconv.Atoi(nip[len(nip)-3:])
	return "Pegawai Baru " + letters(n)
}

// letters spells n in letters (a name holds no digits): 0 is "A", 27 is "BB".
func letters(n int) string {
	s := string(rune('A' + n%26))
	for n /= 26; n > 0; n /= 26 {
		s = string(rune('A'+n%26)) + s
	}
	return s
}

// sendToLevel2 has a PNS propose a new name (a line needing BKN) with its documents and send it,
// and Level 1 approve and forward it: it waits at Level 2.
func sendToLevel2(t *testing.T, st *store.Store, nip, name string, v1 store.Actor) store.Submission {
	t.Helper()
	pns := store.Actor{Login: nip, Role: store.RolePNS, NIP: nip}
	if _, _, err := st.Propose(pns, nip, "nama", name, "sesuai SK CPNS"); err != nil {
		t.Fatalf("propose %s: %v", nip, err)
	}
	form, err := st.Form(pns, nip)
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range form.MissingDocs("nama") {
		pdf := []byte("%PDF-1.4\n% " + nip + " " + kind + "\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
		if _, _, err := st.AddDocument(pns, nip, "nama", kind, kind+".pdf", bytes.NewReader(pdf)); err != nil {
			t.Fatalf("document %s of %s: %v", kind, nip, err)
		}
	}
	if _, err := st.Confirm(pns, nip, store.AllCheckKeys(), true); err != nil {
		t.Fatal(err)
	}
	sub, err := st.Kirim(pns, nip)
	if err != nil {
		t.Fatalf("kirim %s: %v", nip, err)
	}
	return passLevel(t, st, v1, sub.ID)
}

// passLevel has a verifier approve every line in front of them and forward.
func passLevel(t *testing.T, st *store.Store, v store.Actor, id uint64) store.Submission {
	t.Helper()
	sub, err := st.Submission(v, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range sub.Undecided() {
		if sub, err = st.Decide(v, id, sub.Rev, l.Field, store.Setuju, ""); err != nil {
			t.Fatal(err)
		}
	}
	if sub, err = st.Forward(v, id, sub.Rev); err != nil {
		t.Fatalf("forward #%d by %s: %v", id, v.Login, err)
	}
	return sub
}

// run runs the binary with args (a command an operator types) and fails the test on an error.
func run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("pupns %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
