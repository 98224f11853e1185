package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"pupns/store"
	"pupns/store/storetest"
)

// fxInvisible is every character that reorders or hides text without being seen: the bidi
// embeddings, overrides and isolates, the direction marks, the zero-width characters and the BOM.
var fxInvisible = []rune{
	0x202A, 0x202B, 0x202C, 0x202D, 0x202E, // embeddings and overrides
	0x2066, 0x2067, 0x2068, 0x2069, // isolates
	0x200E, 0x200F, 0x061C, // direction marks
	0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, // zero-width
}

// fxTextPath is one free-text entry point of the store: call sends text (holding a hostile
// character) there; field is where the refusal must be shown.
type fxTextPath struct {
	name  string
	field string
	call  func(text string) error
}

// fxTextPaths lists every free-text entry point of the store: field values of each text kind,
// reasons, history-row fields and the row-removal reason, decision notes and turun status reasons,
// registration (mother's name, answer, e-mail), the registration verifier's rejection reason,
// staff names and master data.
func fxTextPaths(t *testing.T, f *fx) []fxTextPath {
	t.Helper()
	sub := f.send(f.agus, fxUsul{"alamat", "Jl. Merdeka 5", "pindah"})
	f.decide(f.v1U02, sub.ID, "alamat", store.Setuju, "")
	f.forward(f.v1U02, sub.ID) // at Level 2, where a line is decided and turun status is allowed
	vr := store.Actor{Login: "verreg", Role: store.RoleVerReg, ScopeID: fxInstansi}
	_, err := f.s.Register(goodReg())
	fxMust(t, err)
	admin := store.Actor{Login: "admin", Role: store.RoleAdmin}
	jabatan := func(name string) map[string]string {
		return map[string]string{"jenis_jabatan": "2", "nama_jabatan": name, "tmt_jabatan": "2024-01-01", "unit_organisasi": "Dinas Pendidikan"}
	}
	propose := func(key, value, reason string) error {
		_, _, err := f.s.Propose(f.budi, nipBudi, key, value, reason)
		return err
	}
	reg := func(nip string, seq int, mod func(*store.Registration, string)) func(string) error {
		f.addPNS(nip, unitU01, "Rina Wati", seq)
		return func(text string) error {
			in := goodReg()
			in.NIP, in.NIK = nip, storetest.NIK(nip, seq)
			mod(&in, text)
			_, err := f.s.Register(in)
			return err
		}
	}
	return []fxTextPath{
		{"alamat (address)", "alamat", func(s string) error { return propose("alamat", "Jl. "+s+" No. 2", "pindah") }},
		{"nama (name)", "nama", func(s string) error { return propose("nama", "Budi "+s+"Santosa", "salah ketik") }},
		{"lokasi_kerja (text)", "lokasi_kerja", func(s string) error { return propose("lokasi_kerja", "Gedung "+s+"B", "pindah") }},
		{"email", "email", func(s string) error { return propose("email", "budi"+s+"@contoh.go.id", "baru") }},
		{"reason of a proposal", "alasan_alamat", func(s string) error { return propose("alamat", "Jl. Baru No. 2", "pindah "+s+"rumah") }},
		{"history row field", "nama_jabatan", func(s string) error {
			_, _, err := f.s.ProposeRow(f.budi, nipBudi, "jabatan", "", store.OpTambah, jabatan("Analis "+s+"Kepegawaian"), "SK baru")
			return err
		}},
		{"history row reason", "alasan", func(s string) error {
			_, _, err := f.s.ProposeRow(f.budi, nipBudi, "jabatan", "", store.OpTambah, jabatan("Analis Kepegawaian"), "SK "+s+"baru")
			return err
		}},
		{"decision note", "catatan_alamat", func(s string) error {
			_, err := f.s.Decide(f.v2, sub.ID, f.rev(f.v2, sub.ID), "alamat", store.BTS, "foto "+s+"KTP buram")
			return err
		}},
		{"turun status reason", "alasan_turun", func(s string) error {
			_, err := f.s.SendDown(f.v2, sub.ID, f.rev(f.v2, sub.ID), "periksa "+s+"ulang")
			return err
		}},
		{"registration: mother's name", "ibu", reg("199105062017052001", 6, func(in *store.Registration, s string) { in.Mother = "Siti " + s + "Aminah" })},
		{"registration: answer", "jawaban", reg("199203042015032001", 7, func(in *store.Registration, s string) { in.Answer = "Si " + s + "Belang" })},
		{"registration: e-mail", "email", reg("199204052016042002", 8, func(in *store.Registration, s string) { in.Email = "siti" + s + "@contoh.go.id" })},
		{"registration rejection reason", "alasan", func(s string) error {
			_, err := f.s.DecideRegistration(vr, nipBudi, false, "NIK "+s+"tidak cocok")
			return err
		}},
		{"staff name", "nama", func(s string) error {
			_, err := f.s.AddStaff(admin, store.StaffInput{Login: "op.baru", Name: "Ani " + s + "Lestari", Role: store.RoleOperator,
				ScopeID: unitU01, Password: "Teh-Manis-Hangat", Password2: "Teh-Manis-Hangat"})
			return err
		}},
		{"master data", "alamat", func(s string) error {
			r := storetest.Record(nipBudi, unitU01, "Budi Santoso", nikBudi)
			r.Fields["alamat"] = "Jl. " + s + "Lama 1"
			_, _, bad, err := f.s.PutMaster([]store.MasterInput{{Record: r, Line: 1}}, "admin", "impor")
			if err != nil || len(bad[1]) == 0 {
				return err
			}
			return bad[1][0]
		}},
	}
}

// TestEveryTextPathRefusesInvisibleCharacters: a bidi control or zero-width character is refused
// at the field, with a sentence in Indonesian, on every free-text path of the store, so that no
// value can display reversed (or two equal-looking values differ) on the form, review or print
// page. A plain value passes each path (the refusal is the character's doing).
func TestEveryTextPathRefusesInvisibleCharacters(t *testing.T) {
	f := newFx(t)
	paths := fxTextPaths(t, f)
	for _, p := range paths {
		for _, r := range fxInvisible {
			err := p.call(string(r))
			if err == nil {
				t.Errorf("%s: U+%04X accepted", p.name, r)
				continue
			}
			fes, ok := store.AsFieldErrors(err)
			if !ok || len(fes) != 1 || !errors.Is(err, store.ErrInvalid) {
				t.Errorf("%s: U+%04X: %v is not one FieldError", p.name, r, err)
				continue
			}
			fe := fes[0]
			if fe.Field != p.field {
				t.Errorf("%s: U+%04X refused at %q, want %q", p.name, r, fe.Field, p.field)
			}
			fxCheckIndonesian(t, fe.Message)
			if p.field != "nama" && !strings.Contains(fe.Message, "tak terlihat") {
				t.Errorf("%s: U+%04X: message %q does not say the character is invisible", p.name, r, fe.Message)
			}
		}
	}
	// The same calls with an ordinary character in place of the hostile one are accepted
	// (paths that consume state, such as a registration, go last in each pass).
	for _, p := range paths {
		if err := p.call("x"); err != nil {
			t.Errorf("%s: plain text refused: %v", p.name, err)
		}
	}
	form, err := f.s.Form(f.budi, nipBudi)
	fxMust(t, err)
	for k, e := range form.Entries {
		if s := fmt.Sprint(e.New, e.Reason, e.Row); strings.ContainsFunc(s, func(r rune) bool { return r > 0x2000 && r < 0x2070 || r == 0xFEFF }) {
			t.Errorf("entry %s stored an invisible character: %q", k, s)
		}
	}
}

// TestNormalizeRefusesInvisibleCharacters: Field.Normalize, which every field value passes
// (form, history rows, import), refuses each hostile character in each kind of text field, also
// where a name check would not (an address, a free text).
func TestNormalizeRefusesInvisibleCharacters(t *testing.T) {
	for _, key := range []string{"alamat", "lokasi_kerja", "nama", "gelar_depan", "email", "no_hp", "npwp"} {
		f := fxField(t, key)
		for _, r := range fxInvisible {
			_, err := f.Normalize("12"+string(r)+"34", fxToday)
			fxCheckFieldError(t, err, key)
		}
	}
}
