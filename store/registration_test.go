package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"pupns/store"
	"pupns/store/storetest"
)

// goodReg is a registration for Budi that passes every check.
func goodReg() store.Registration {
	return store.Registration{NIP: "19860926 201505 1 001", NIK: nikBudi, Email: "budi@contoh.go.id",
		Password: "Kopi-Tubruk-77", Password2: "Kopi-Tubruk-77", Mother: "Siti Aminah", Question: "3", Answer: "Si Belang"}
}

// TestRegisterCreatesPendingAccountWithHashedAnswers: registration makes a pending PNS account
// with a valid, random nomor registrasi; the answers are stored hashed, and recovery matches them
// ignoring case and extra spaces.
func TestRegisterCreatesPendingAccountWithHashedAnswers(t *testing.T) {
	f := newFx(t)
	u, err := f.s.Register(goodReg())
	fxMust(t, err)
	if u.Status != store.StatusPending || u.Login != nipBudi || u.Role != store.RolePNS || u.InstansiID != fxInstansi {
		t.Fatalf("account: %+v", u)
	}
	if !store.RegNoValid(u.RegNo) || strings.Contains(nipBudi, u.RegNo[:4]) {
		t.Fatalf("nomor registrasi %q invalid or drawn from the NIP", u.RegNo)
	}
	stored, err := f.s.User(nipBudi)
	fxMust(t, err)
	for _, plain := range []string{"si belang", "Si Belang", "siti aminah"} {
		if strings.Contains(stored.AnswerHash+stored.MotherHash, plain) || stored.AnswerHash == "" || stored.MotherHash == "" {
			t.Fatalf("answers not stored hashed: %q %q", stored.AnswerHash, stored.MotherHash)
		}
	}
	if _, err := f.s.Authenticate(u.RegNo, "Kopi-Tubruk-77"); !errors.Is(err, store.ErrInactive) {
		t.Fatalf("a pending account logged in: %v", err)
	}
	got, err := f.s.Recover(nipBudi, "3", "  SI   belang ", "siti  AMINAH")
	if err != nil || got.RegNo != u.RegNo {
		t.Fatalf("recovery with other case and spacing: %v %q", err, got.RegNo)
	}
	for _, bad := range [][3]string{{"3", "Si Belang", "Siti Aminah binti"}, {"3", "Si Hitam", "Siti Aminah"}, {"2", "Si Belang", "Siti Aminah"}} {
		if _, err := f.s.Recover(nipBudi, bad[0], bad[1], bad[2]); !errors.Is(err, store.ErrNoMatch) {
			t.Errorf("recovery %v: %v, want ErrNoMatch", bad, err)
		}
	}
	if _, err := f.s.Recover(nipAgus, "3", "Si Belang", "Siti Aminah"); !errors.Is(err, store.ErrNoMatch) {
		t.Errorf("recovery of an unregistered NIP: %v", err)
	}
	// Registering again is refused, and so is the lookup.
	if _, err := f.s.Register(goodReg()); !errors.Is(err, store.ErrAlreadyExist) {
		t.Fatalf("second registration: %v", err)
	}
	if _, err := f.s.LookupForRegistration(nipBudi); !errors.Is(err, store.ErrAlreadyExist) {
		t.Fatalf("lookup of a registered NIP: %v", err)
	}
	if _, err := f.s.LookupForRegistration("198609262015051999"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("lookup of an unknown NIP: %v", err)
	}
	st, err := f.s.RegistrationStatus(nipBudi)
	if err != nil || st.Status != store.StatusPending {
		t.Fatalf("status: %+v %v", st, err)
	}
}

// TestRegistrationRefusesBadInputAndStoresNothing: each bad value comes back at its field, and
// no account, nomor registrasi or queue entry is written.
func TestRegistrationRefusesBadInputAndStoresNothing(t *testing.T) {
	cases := []struct {
		name  string
		mod   func(*store.Registration)
		field string
		msg   string
	}{
		{"NIP with letters", func(r *store.Registration) { r.NIP = "19860926201505100A" }, "nip", "tanpa huruf"},
		{"NIP too short", func(r *store.Registration) { r.NIP = "1986092620150510" }, "nip", "18 angka"},
		{"NIP over-long", func(r *store.Registration) { r.NIP = strings.Repeat("1", 300) }, "nip", "terlalu panjang"},
		{"NIK with letters", func(r *store.Registration) { r.NIK = "33740126098600AB" }, "nik", "tanpa huruf"},
		{"NIK wrong length", func(r *store.Registration) { r.NIK = "337401260986" }, "nik", "16 angka"},
		{"NIK not the master's", func(r *store.Registration) { r.NIK = "3374012609860009" }, "nik", "data induk"},
		{"NIK bad structure", func(r *store.Registration) { r.NIK = "9974012609860001" }, "nik", "kode provinsi"},
		{"e-mail", func(r *store.Registration) { r.Email = "budi@" }, "email", "tidak valid"},
		{"e-mail over-long", func(r *store.Registration) { r.Email = strings.Repeat("a", 120) + "@contoh.go.id" }, "email", "paling panjang"},
		{"short password", func(r *store.Registration) { r.Password, r.Password2 = "abc123", "abc123" }, "password", "paling sedikit 8"},
		{"common password", func(r *store.Registration) { r.Password, r.Password2 = "password1", "password1" }, "password", "paling sering"},
		{"Indonesian common password", func(r *store.Registration) { r.Password, r.Password2 = "Bismillah123", "Bismillah123" }, "password", "paling sering"},
		{"NIP as password", func(r *store.Registration) { r.Password, r.Password2 = nipBudi, nipBudi }, "password", "NIP, NIK"},
		{"NIK as password", func(r *store.Registration) { r.Password, r.Password2 = nikBudi, nikBudi }, "password", "NIP, NIK"},
		{"confirmation differs", func(r *store.Registration) { r.Password2 = "Kopi-Tubruk-78" }, "password2", "tidak sama"},
		{"password with control characters", func(r *store.Registration) { r.Password, r.Password2 = "abc\x00defgh1", "abc\x00defgh1" }, "password", "karakter kendali"},
		{"mother's name with script", func(r *store.Registration) { r.Mother = "<script>alert(1)</script>" }, "ibu", "tidak boleh berisi"},
		{"mother's name mixed scripts", func(r *store.Registration) { r.Mother = "Siti Аминah" }, "ibu", "aksara berbeda"},
		{"mother's name control characters", func(r *store.Registration) { r.Mother = "Siti\x1bAminah" }, "ibu", "karakter kendali"},
		{"mother's name over-long", func(r *store.Registration) { r.Mother = strings.Repeat("Siti ", 30) }, "ibu", "paling panjang"},
		{"question not in list", func(r *store.Registration) { r.Question = "99" }, "pertanyaan", "dari daftar"},
		{"answer with HTML", func(r *store.Registration) { r.Answer = "<b>belang</b>" }, "jawaban", "tidak boleh berisi"},
		{"answer mixed scripts", func(r *store.Registration) { r.Answer = "Bеlang" }, "jawaban", "aksara berbeda"},
		{"answer empty", func(r *store.Registration) { r.Answer = "   " }, "jawaban", "wajib diisi"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFx(t)
			in := goodReg()
			tc.mod(&in)
			_, err := f.s.Register(in)
			fe, ok := store.AsFieldErrors(err)
			if !ok || !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("err %v, want field errors", err)
			}
			if msg := fe.ByField()[tc.field]; !strings.Contains(msg, tc.msg) {
				t.Fatalf("message at %s = %q, want it to contain %q (all: %v)", tc.field, msg, tc.msg, fe.ByField())
			}
			if _, err := f.s.User(nipBudi); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("an account was stored: %v", err)
			}
			page, err := f.s.RegistrationQueue(store.Actor{Login: "vr", Role: store.RoleVerReg, ScopeID: fxInstansi}, "", "", 10)
			if err != nil || page.Total != 0 {
				t.Fatalf("queue after a refused registration: %+v %v", page, err)
			}
		})
	}
}

// TestCommonPasswordListHasAThousand: the embedded list really holds the 1,000 most common
// passwords plus the Indonesian supplement.
func TestCommonPasswordListHasAThousand(t *testing.T) {
	if n := store.CommonPasswordCount(); n < 1000 {
		t.Fatalf("%d common passwords, want at least 1000", n)
	}
	for _, pw := range []string{"123456", "password", "qwerty", "iloveyou", "sayang", "rahasia", "indonesia"} {
		if !store.IsCommonPassword(pw) {
			t.Errorf("%q is not on the list", pw)
		}
	}
}

// TestActivationQueueScopeSearchAndDecisions: a registration verifier sees only their instansi's
// queue, pages it, finds by nomor registrasi, NIP or name; rejection needs a reason and the
// rejected PNS is told why at login; a verifier of another instansi cannot decide.
func TestActivationQueueScopeSearchAndDecisions(t *testing.T) {
	f := newFx(t)
	vr := store.Actor{Login: "verreg", Role: store.RoleVerReg, ScopeID: fxInstansi}
	other := store.Actor{Login: "verreg34", Role: store.RoleVerReg, ScopeID: "P34"}
	budi, err := f.s.Register(goodReg())
	fxMust(t, err)
	in := goodReg()
	in.NIP, in.NIK = nipSiti, nikSiti
	siti, err := f.s.Register(in)
	fxMust(t, err)

	page, err := f.s.RegistrationQueue(vr, "", "", 1)
	fxMust(t, err)
	if page.Total != 2 || len(page.Items) != 1 || page.Items[0].NIP != nipBudi || page.Next == "" {
		t.Fatalf("first page: %+v", page)
	}
	page, err = f.s.RegistrationQueue(vr, "", page.Next, 1)
	fxMust(t, err)
	if len(page.Items) != 1 || page.Items[0].NIP != nipSiti || page.Next != "" {
		t.Fatalf("second page: %+v", page)
	}
	for q, want := range map[string]string{strings.ToLower(siti.RegNo): nipSiti, "19860926 2015": nipBudi, "rahayu": nipSiti} {
		page, err := f.s.RegistrationQueue(vr, q, "", 10)
		if err != nil || page.Total != 1 || page.Items[0].NIP != want {
			t.Errorf("search %q: %+v %v", q, page, err)
		}
	}
	if page, _ := f.s.RegistrationQueue(other, "", "", 10); page.Total != 0 {
		t.Fatalf("another instansi's verifier sees %d registrations", page.Total)
	}
	if _, err := f.s.RegistrationQueue(f.v2, "", "", 10); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("a Level 2 verifier reads the registration queue: %v", err)
	}
	if _, err := f.s.DecideRegistration(other, nipBudi, true, ""); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("out-of-scope activation: %v", err)
	}
	if _, err := f.s.DecideRegistration(vr, nipSiti, false, "  "); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("rejection without reason: %v", err)
	}
	_, err = f.s.DecideRegistration(vr, nipBudi, true, "")
	fxMust(t, err)
	_, err = f.s.DecideRegistration(vr, nipSiti, false, "NIK tidak sesuai KTP")
	fxMust(t, err)
	if _, err := f.s.DecideRegistration(vr, nipBudi, false, "lagi"); !errors.Is(err, store.ErrState) {
		t.Fatalf("deciding twice: %v", err)
	}
	if _, err := f.s.Authenticate(budi.RegNo, "Kopi-Tubruk-77"); err != nil {
		t.Fatalf("activated PNS cannot log in: %v", err)
	}
	u, err := f.s.Authenticate(nipSiti, "Kopi-Tubruk-77")
	if !errors.Is(err, store.ErrInactive) || u.Status != store.StatusRejected || u.Reason != "NIK tidak sesuai KTP" {
		t.Fatalf("rejected login: %v %+v", err, u)
	}
	if page, _ := f.s.RegistrationQueue(vr, "", "", 10); page.Total != 0 {
		t.Fatalf("decided registrations still queued: %+v", page)
	}
	st, _ := f.s.RegistrationStatus(nipSiti)
	if st.Status != store.StatusRejected || st.Reason != "NIK tidak sesuai KTP" {
		t.Fatalf("status of the rejected: %+v", st)
	}
	// A rejected PNS may register again (and gets a new number).
	again, err := f.s.Register(in)
	fxMust(t, err)
	if again.RegNo == siti.RegNo || again.Status != store.StatusPending {
		t.Fatalf("re-registration: %+v", again)
	}
	if _, err := f.s.Authenticate(siti.RegNo, "Kopi-Tubruk-77"); !errors.Is(err, store.ErrBadPassword) {
		t.Fatalf("the old nomor registrasi still logs in: %v", err)
	}
}

// TestActivationOffMakesAccountsActiveAtOnce: the admin's switch per instansi.
func TestActivationOffMakesAccountsActiveAtOnce(t *testing.T) {
	f := newFx(t)
	admin := store.Actor{Login: "admin", Role: store.RoleAdmin}
	if err := f.s.SetActivationOff(f.v2, fxInstansi, true); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("a verifier switched activation: %v", err)
	}
	fxMust(t, f.s.SetActivationOff(admin, fxInstansi, true))
	u, err := f.s.Register(goodReg())
	fxMust(t, err)
	if u.Status != store.StatusActive {
		t.Fatalf("status %q, want active at once", u.Status)
	}
	if _, err := f.s.Authenticate(nipBudi, "Kopi-Tubruk-77"); err != nil {
		t.Fatalf("login: %v", err)
	}
}

// TestLimiterBacksOffCapsAndSurvivesRestart: free failures, then doubling lockouts capped at Max,
// reset on success, and the state is read back after the file is reopened.
func TestLimiterBacksOffCapsAndSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	clock := storetest.NewClock(fxStart, 0)
	s, err := store.Open(dir, store.Options{Now: clock.Now})
	fxMust(t, err)
	p := store.LimitPolicy{Free: 3, Base: time.Minute, Max: 8 * time.Minute, Forget: time.Hour}
	var waits []time.Duration
	for range 7 {
		w, err := s.LimitFail("login:budi", p)
		fxMust(t, err)
		waits = append(waits, w)
	}
	want := []time.Duration{0, 0, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 8 * time.Minute}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits %v, want %v", waits, want)
		}
	}
	fxMust(t, s.Close())
	s, err = store.Open(dir, store.Options{Now: clock.Now})
	fxMust(t, err)
	defer s.Close()
	if w, _ := s.LimitWait("login:budi"); w != 8*time.Minute {
		t.Fatalf("after reopening the wait is %v, want 8m", w)
	}
	if w, _ := s.LimitWait("login:siti"); w != 0 {
		t.Fatalf("another key waits %v", w)
	}
	clock.Add(8 * time.Minute)
	if w, _ := s.LimitWait("login:budi"); w != 0 {
		t.Fatalf("still locked after the lock ran out: %v", w)
	}
	fxMust(t, s.LimitReset("login:budi"))
	if w, _ := s.LimitFail("login:budi", p); w != 0 {
		t.Fatalf("a success did not reset the count: %v", w)
	}
}

// TestOperatorActsForPNSInScopeOnly: an operator of SKPD U01 reads and changes the form of a PNS
// in a nested unit of U01 (recorded as made for that PNS), sends it, and cannot touch a PNS of
// another SKPD; nobody who made or sent a submission decides it, even after a change of role.
func TestOperatorActsForPNSInScopeOnly(t *testing.T) {
	f := newFx(t)
	op := store.Actor{Login: "op.u01", Role: store.RoleOperator, ScopeID: unitU01, Name: "Operator Disdik"}
	if _, err := f.s.Form(op, nipAgus); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("operator read a PNS of another SKPD: %v", err)
	}
	if _, _, err := f.s.Propose(op, nipAgus, "nama", "Agus Salimin", "ijazah"); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("operator changed a PNS of another SKPD: %v", err)
	}
	e, _, err := f.s.Propose(op, nipSiti, "nama", "Siti Rahayu Ningsih", "sesuai akta")
	fxMust(t, err)
	if e.By != op.Login || e.OnBehalfOf != nipSiti {
		t.Fatalf("entry not recorded as the operator's for Siti: %+v", e)
	}
	f.attachDocsFor(op, nipSiti, "nama") // the operator attaches the proof on Siti's behalf too
	fxMust(t, fxErrOf(f.s.Confirm(op, nipSiti, fxEditableKeys(), true)))
	sub, err := f.s.Kirim(op, nipSiti)
	fxMust(t, err)
	if sub.SentBy != op.Login {
		t.Fatalf("SentBy %q", sub.SentBy)
	}
	evs, _ := f.s.Events(nipSiti)
	for _, ev := range evs {
		if ev.Actor == op.Login && ev.OnBehalfOf != nipSiti {
			t.Errorf("event %s by the operator not marked on behalf of Siti", ev.Kind)
		}
	}
	if _, err := f.s.Decide(op, sub.ID, sub.Rev, "nama", store.Setuju, ""); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("the operator decided: %v", err)
	}
	// The same person later becomes the SKPD's Level 1 verifier: still not for what they made.
	turned := store.Actor{Login: op.Login, Role: store.RoleV1, ScopeID: unitU01}
	if _, err := f.s.Decide(turned, sub.ID, sub.Rev, "nama", store.Setuju, ""); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("the sender, now a verifier, decided: %v", err)
	}
	// A verifier who only proposed (the PNS sent it) may not decide either.
	op2 := store.Actor{Login: "op2.u01", Role: store.RoleOperator, ScopeID: unitU01}
	_, _, err = f.s.Propose(op2, nipBudi, "nama", "Budi Santosa", "ijazah")
	fxMust(t, err)
	f.attachDocs(f.budi, "nama")
	f.confirmRest(f.budi)
	sub2, err := f.s.Kirim(f.budi, nipBudi)
	fxMust(t, err)
	turned2 := store.Actor{Login: op2.Login, Role: store.RoleV1, ScopeID: unitU01}
	if _, err := f.s.Decide(turned2, sub2.ID, sub2.Rev, "nama", store.Setuju, ""); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("the verifier who proposed for the PNS decided: %v", err)
	}
	// A verifier with the PNS's own NIP cannot decide it; an unrelated one can.
	self := store.Actor{Login: "budi.v1", Role: store.RoleV1, ScopeID: unitU01, NIP: nipBudi}
	if _, err := f.s.Decide(self, sub2.ID, sub2.Rev, "nama", store.Setuju, ""); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("a verifier decided their own submission: %v", err)
	}
	f.decide(f.v1U01, sub2.ID, "nama", store.Setuju, "")
}

// TestStaffAccountsAndSessions: an admin adds staff with a role and a scope that fits it, disables
// and resets them; a password change ends every other session of the account.
func TestStaffAccountsAndSessions(t *testing.T) {
	f := newFx(t)
	admin := store.Actor{Login: "admin", Role: store.RoleAdmin}
	good := store.StaffInput{Login: "op.disdik", Name: "Ani Lestari", Role: store.RoleOperator, ScopeID: unitU01, Password: "Teh-Manis-Hangat", Password2: "Teh-Manis-Hangat"}
	if _, err := f.s.AddStaff(f.v2, good); !errors.Is(err, store.ErrForbidden) {
		t.Fatalf("a verifier added an account: %v", err)
	}
	for name, c := range map[string]struct {
		mod   func(*store.StaffInput)
		field string
	}{
		"nested unit is no SKPD": {func(i *store.StaffInput) { i.ScopeID = unitU0101 }, "lingkup"},
		"unknown instansi":       {func(i *store.StaffInput) { i.Role, i.ScopeID = store.RoleV2, "X99" }, "lingkup"},
		"bad kanreg":             {func(i *store.StaffInput) { i.Role, i.ScopeID = store.RoleV3, "XX" }, "lingkup"},
		"PNS role":               {func(i *store.StaffInput) { i.Role = store.RolePNS }, "peran"},
		"login with spaces":      {func(i *store.StaffInput) { i.Login = "op disdik" }, "login"},
		"login over-long":        {func(i *store.StaffInput) { i.Login = strings.Repeat("a", 40) }, "login"},
		"name with HTML":         {func(i *store.StaffInput) { i.Name = "Ani <b>" }, "nama"},
		"name mixed scripts":     {func(i *store.StaffInput) { i.Name = "Аni Lestari" }, "nama"},
		"common password":        {func(i *store.StaffInput) { i.Password, i.Password2 = "qwertyuiop", "qwertyuiop" }, "password"},
	} {
		in := good
		c.mod(&in)
		_, err := f.s.AddStaff(admin, in)
		fe, ok := store.AsFieldErrors(err)
		if !ok || fe.ByField()[c.field] == "" {
			t.Errorf("%s: %v, want a message at %s", name, err, c.field)
		}
		if _, err := f.s.User(in.Login); err == nil {
			t.Errorf("%s: the account was stored", name)
		}
	}
	_, err := f.s.AddStaff(admin, good)
	fxMust(t, err)
	if _, err := f.s.AddStaff(admin, good); err == nil {
		t.Fatal("a second account with the same login")
	}
	fxMust(t, f.s.TrackSession("op.disdik", "sesi-a"))
	fxMust(t, f.s.TrackSession("op.disdik", "sesi-b"))
	fxMust(t, f.s.Sessions().Set("sesi-a", []byte("x"), time.Hour))
	fxMust(t, f.s.Sessions().Set("sesi-b", []byte("x"), time.Hour))
	fxMust(t, f.s.ChangePassword("op.disdik", "Teh-Manis-Hangat", "Kopi-Susu-Dingin", "Kopi-Susu-Dingin", "sesi-a"))
	if v, _ := f.s.Sessions().Get("sesi-b"); v != nil {
		t.Fatal("the other session survived the password change")
	}
	if v, _ := f.s.Sessions().Get("sesi-a"); v == nil {
		t.Fatal("the session that changed the password was ended")
	}
	if err := f.s.ChangePassword("op.disdik", "salah", "Kopi-Susu-Panas", "Kopi-Susu-Panas", ""); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("change with a wrong current password: %v", err)
	}
	fxMust(t, f.s.AdminResetPassword(admin, "op.disdik", "Wedang-Jahe-Hangat", "Wedang-Jahe-Hangat"))
	if v, _ := f.s.Sessions().Get("sesi-a"); v != nil {
		t.Fatal("an admin reset left a session")
	}
	if _, err := f.s.Authenticate("op.disdik", "Wedang-Jahe-Hangat"); err != nil {
		t.Fatalf("login with the reset password: %v", err)
	}
	fxMust(t, f.s.DisableUser(admin, "op.disdik"))
	if _, err := f.s.Authenticate("op.disdik", "Wedang-Jahe-Hangat"); !errors.Is(err, store.ErrInactive) {
		t.Fatalf("a disabled account logged in: %v", err)
	}
	if err := f.s.DisableUser(admin, "admin"); err == nil {
		t.Fatal("an admin disabled themself")
	}
}

// TestSessionIndexIsSweptWithItsSessions: the login → session index does not outlive the
// sessions it points to, so it cannot grow without end.
func TestSessionIndexIsSweptWithItsSessions(t *testing.T) {
	s, clock := fxOpen(t)
	fxMust(t, s.Sessions().Set("sesi-lama", []byte("x"), time.Hour))
	fxMust(t, s.Sessions().Set("sesi-baru", []byte("x"), 10*time.Hour))
	fxMust(t, s.TrackSession("budi", "sesi-lama"))
	fxMust(t, s.TrackSession("budi", "sesi-baru"))
	clock.Add(2 * time.Hour)
	if n, err := s.Sessions().Sweep(); err != nil || n != 1 {
		t.Fatalf("sweep sessions: %d %v", n, err)
	}
	if n, err := s.SweepSessionIndex(); err != nil || n != 1 {
		t.Fatalf("sweep index: %d %v", n, err)
	}
	if n, _ := s.SessionsOf("budi"); n != 1 {
		t.Fatalf("sessions of budi after the sweep: %d", n)
	}
}
