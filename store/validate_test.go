package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"pupns/store"
)

// fxToday is "now" for the validation tests: 10 March 2026, mid-morning WIB.
var fxToday = time.Date(2026, 3, 10, 9, 30, 0, 0, wib)

func fxField(t *testing.T, key string) store.Field {
	t.Helper()
	f, ok := store.FieldByKey(key)
	if !ok {
		t.Fatalf("field %q not in catalogue", key)
	}
	return f
}

// fxCheckFieldError asserts that err is a validation failure a form can show next to the field:
// it matches ErrInvalid, names the field, and carries a message in Indonesian for the person.
func fxCheckFieldError(t *testing.T, err error, key string) *store.FieldError {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error", key)
	}
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("%s: errors.Is(err, ErrInvalid) = false for %v", key, err)
	}
	var fe *store.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("%s: error %T %v is not a *FieldError", key, err, err)
	}
	if fe.Field != key {
		t.Errorf("FieldError.Field = %q, want %q", fe.Field, key)
	}
	fxCheckIndonesian(t, fe.Message)
	return fe
}

// fxCheckIndonesian is a coarse guard that a message meant for a PNS is a sentence in Indonesian,
// not an empty string or a Go/English error leaking through.
func fxCheckIndonesian(t *testing.T, msg string) {
	t.Helper()
	if strings.TrimSpace(msg) == "" {
		t.Fatal("empty message")
	}
	if !strings.HasSuffix(msg, ".") {
		t.Errorf("message %q is not a sentence (no final full stop)", msg)
	}
	lower := " " + strings.ToLower(msg) + " "
	for _, en := range []string{" must ", " invalid ", " required ", " should ", " error", " parsing ", " cannot ", " the "} {
		if strings.Contains(lower, en) {
			t.Errorf("message %q contains English %q", msg, strings.TrimSpace(en))
		}
	}
}

// TestNormalizeEveryKind checks, kind by kind, that good values come back in their one canonical
// stored form (so comparisons with the master data and with the NIP are exact) and that bad values
// are refused with a message for the field.
func TestNormalizeEveryKind(t *testing.T) {
	text := store.Field{Key: "catatan", Label: "Catatan", Kind: store.KindText}
	cases := []struct {
		name  string
		field store.Field
		raw   string
		want  string // canonical form; "" means the value must be refused
		msg   string // when refused: a word the message must contain
	}{
		// Every kind: whitespace is trimmed and collapsed; empty is "wajib diisi".
		{"text trimmed and single-spaced", text, "  catatan \t bebas  ", "catatan bebas", ""},
		{"text empty", text, "", "", "wajib"},
		{"text only spaces", text, "   \t ", "", "wajib"},

		{"name plain", fxField(t, "nama"), "Budi  Santoso", "Budi Santoso", ""},
		{"name apostrophe", fxField(t, "nama"), "Siti Nur'aini", "Siti Nur'aini", ""},
		{"name hyphen and comma", fxField(t, "nama"), "Anak Agung Gde-Putra, Jr", "Anak Agung Gde-Putra, Jr", ""},
		{"name latin diacritics", fxField(t, "nama"), "Müller Ñoño", "Müller Ñoño", ""},
		{"name digit", fxField(t, "nama"), "Budi2", "", "huruf"},
		{"name underscore", fxField(t, "nama"), "Budi_Santoso", "", "huruf"},
		{"name no letter", fxField(t, "nama"), "'.-", "", "huruf"},
		{"name non-latin script", fxField(t, "nama"), "Борис", "", "huruf"},
		{"tempat lahir", fxField(t, "tempat_lahir"), "Tanjung  Pinang", "Tanjung Pinang", ""},

		{"gelar depan Dr.", fxField(t, "gelar_depan"), "Dr.", "Dr.", ""},
		{"gelar depan Dr. Ir.", fxField(t, "gelar_depan"), "Dr.  Ir.", "Dr. Ir.", ""},
		{"gelar belakang S.Kom., M.Si.", fxField(t, "gelar_belakang"), "S.Kom., M.Si.", "S.Kom., M.Si.", ""},
		// S.H. (Sarjana Hukum) is an academic title: the H here is not Haji.
		{"gelar belakang S.H., M.H.", fxField(t, "gelar_belakang"), "S.H., M.H.", "S.H., M.H.", ""},
		{"gelar belakang Sp.PD(K)", fxField(t, "gelar_belakang"), "Sp.PD(K)", "Sp.PD(K)", ""},
		{"gelar digit", fxField(t, "gelar_belakang"), "S.Kom.1", "", "huruf"},

		{"date ISO", fxField(t, "tanggal_lahir"), "1986-09-26", "1986-09-26", ""},
		{"date dd-mm-yyyy becomes ISO", fxField(t, "tanggal_lahir"), "26-09-1986", "1986-09-26", ""},
		{"date today", fxField(t, "tmt_pns"), "2026-03-10", "2026-03-10", ""},
		{"date 30 February", fxField(t, "tanggal_lahir"), "1986-02-30", "", "tanggal"},
		{"date slashes", fxField(t, "tanggal_lahir"), "26/09/1986", "", "tanggal"},
		{"date words", fxField(t, "tanggal_lahir"), "kemarin", "", "tanggal"},
		{"date single-digit month", fxField(t, "tanggal_lahir"), "1986-9-26", "", "tanggal"},
		{"date before 1900", fxField(t, "tanggal_lahir"), "1899-12-31", "", "1900"},
		{"date tomorrow", fxField(t, "tmt_cpns"), "2026-03-11", "", "masa depan"},
		{"date next year", fxField(t, "tanggal_lahir"), "11-03-2027", "", "masa depan"},

		{"code agama", fxField(t, "agama"), "1", "1", ""},
		{"code trimmed", fxField(t, "kedudukan_hukum"), " 01 ", "01", ""},
		{"code unknown", fxField(t, "agama"), "8", "", "daftar"},
		{"code label is not a code", fxField(t, "agama"), "Islam", "", "daftar"},
		{"code kedudukan without zero", fxField(t, "kedudukan_hukum"), "1", "", "daftar"},
		{"code jenis kelamin", fxField(t, "jenis_kelamin"), "2", "2", ""},
		{"code jenis kelamin 3", fxField(t, "jenis_kelamin"), "3", "", "daftar"},

		{"nik man", fxField(t, "nik"), "3374012609860001", "3374012609860001", ""},
		{"nik woman day+40", fxField(t, "nik"), "3374015501900002", "3374015501900002", ""},
		{"nik 15 digits", fxField(t, "nik"), "337401260986000", "", "16"},
		{"nik 17 digits", fxField(t, "nik"), "33740126098600011", "", "16"},
		{"nik letter O", fxField(t, "nik"), "3374O12609860001", "", "16"},
		{"nik with spaces", fxField(t, "nik"), "3374 0126 0986 0001", "", "16"},
		{"nik province 09", fxField(t, "nik"), "0974012609860001", "", "provinsi"},
		{"nik province 95", fxField(t, "nik"), "9574012609860001", "", "provinsi"},
		{"nik regency 00", fxField(t, "nik"), "3300012609860001", "", "00"},
		{"nik district 00", fxField(t, "nik"), "3374002609860001", "", "00"},
		{"nik day 00", fxField(t, "nik"), "3374010009860001", "", "tanggal"},
		{"nik day 32", fxField(t, "nik"), "3374013209860001", "", "tanggal"},
		{"nik woman day 72 (32+40)", fxField(t, "nik"), "3374017209860001", "", "tanggal"},
		{"nik month 13", fxField(t, "nik"), "3374012613860001", "", "tanggal"},
		{"nik sequence 0000", fxField(t, "nik"), "3374012609860000", "", "0000"},

		{"npwp formatted", fxField(t, "npwp"), "01.234.567.8-901.000", "012345678901000", ""},
		{"npwp 16 digits", fxField(t, "npwp"), "3374012609860001", "3374012609860001", ""},
		{"npwp short", fxField(t, "npwp"), "12.345", "", "NPWP"},
		{"npwp letter", fxField(t, "npwp"), "01.234.567.8-901.00A", "", "NPWP"},

		{"kode pos", fxField(t, "kode_pos"), "50132", "50132", ""},
		{"kode pos 4 digits", fxField(t, "kode_pos"), "5013", "", "5 angka"},
		{"kode pos letter", fxField(t, "kode_pos"), "5013A", "", "5 angka"},

		{"hp dashes", fxField(t, "no_hp"), "0812-3456-7890", "081234567890", ""},
		{"hp +62 with spaces", fxField(t, "no_hp"), "+62 812 3456 7890", "081234567890", ""},
		{"hp 62 prefix", fxField(t, "no_hp"), "6281234567890", "081234567890", ""},
		{"hp 10 digits", fxField(t, "no_hp"), "0812345678", "0812345678", ""},
		{"hp landline", fxField(t, "no_hp"), "0243512345", "", "08"},
		{"hp too short", fxField(t, "no_hp"), "08123", "", "08"},
		{"hp too long", fxField(t, "no_hp"), "08123456789012", "", "08"},
		{"hp letters", fxField(t, "no_hp"), "0812-abcd-7890", "", "08"},

		{"email lowercased", fxField(t, "email"), "Budi.Santoso@Contoh.GO.ID", "budi.santoso@contoh.go.id", ""},
		{"email no at", fxField(t, "email"), "budi", "", "e-mail"},
		{"email no dot in domain", fxField(t, "email"), "budi@localhost", "", "e-mail"},
		{"email double at", fxField(t, "email"), "budi@@contoh.go.id", "", "e-mail"},
		{"email display name", fxField(t, "email"), "Budi budi@contoh.go.id", "", "e-mail"},

		{"karpeg spaced", fxField(t, "no_karpeg"), "N 123456", "N 123456", ""},
		{"karpeg lower and dash", fxField(t, "no_karpeg"), "n-123456", "N 123456", ""},
		{"karpeg two letters seven digits", fxField(t, "no_karpeg"), "AB1234567", "AB 1234567", ""},
		{"karpeg digits only", fxField(t, "no_karpeg"), "1234567", "", "Karpeg"},
		{"karpeg five digits", fxField(t, "no_karpeg"), "N 12345", "", "Karpeg"},
		{"karpeg letter inside digits", fxField(t, "no_karpeg"), "N 12A456", "", "Karpeg"},

		{"address newline collapsed", fxField(t, "alamat"), "Jl. Pemuda No. 1,\r\nSemarang", "Jl. Pemuda No. 1, Semarang", ""},
		{"address with slash and digits", fxField(t, "alamat"), "Jl. Merdeka 10/12 RT 03/RW 04", "Jl. Merdeka 10/12 RT 03/RW 04", ""},

		{"nip 18 digits", fxField(t, "nip"), "198609262015051001", "198609262015051001", ""},
		{"nip 17 digits", fxField(t, "nip"), "19860926201505100", "", "18"},
		{"nip spaced as shown", fxField(t, "nip"), "19860926 201505 1 001", "", "18"},
	}
	seen := map[store.Kind]bool{}
	for _, c := range cases {
		seen[c.field.Kind] = true
		t.Run(c.name, func(t *testing.T) {
			got, err := c.field.Normalize(c.raw, fxToday)
			if c.want != "" {
				if err != nil {
					t.Fatalf("Normalize(%q) refused: %v", c.raw, err)
				}
				if got != c.want {
					t.Fatalf("Normalize(%q) = %q, want %q", c.raw, got, c.want)
				}
				// Canonical means stable: normalizing the stored form changes nothing.
				again, err := c.field.Normalize(got, fxToday)
				if err != nil || again != got {
					t.Fatalf("Normalize(%q) again = %q, %v: canonical form is not stable", got, again, err)
				}
				return
			}
			if got != "" {
				t.Errorf("refused value still returned %q", got)
			}
			fe := fxCheckFieldError(t, err, c.field.Key)
			if !strings.Contains(strings.ToLower(fe.Message), strings.ToLower(c.msg)) {
				t.Errorf("message %q does not mention %q", fe.Message, c.msg)
			}
		})
	}
	// Every kind of the catalogue must have cases above, so a new kind cannot slip in untested.
	for _, k := range []store.Kind{store.KindText, store.KindName, store.KindGelar, store.KindDate, store.KindCode,
		store.KindNIK, store.KindNPWP, store.KindKodePos, store.KindPhone, store.KindEmail, store.KindKarpeg,
		store.KindAddress, store.KindNIP} {
		if !seen[k] {
			t.Errorf("kind %d has no test case", k)
		}
	}
}

// TestGelarRefusesHajiTitles: DOMAIN.md says gelar holds academic titles only; "H."/"Hj." (Haji,
// Hajjah) are religious honorifics and must not be recorded, however they are written.
func TestGelarRefusesHajiTitles(t *testing.T) {
	for _, key := range []string{"gelar_depan", "gelar_belakang"} {
		f := fxField(t, key)
		for _, raw := range []string{"H.", "Hj.", "h", "HJ", "Haji", "Hajjah", "Dr. H.", "Drs. Hj.", "Dr.,H.", "H. Dr.", "Ir.  H."} {
			_, err := f.Normalize(raw, fxToday)
			fe := fxCheckFieldError(t, err, key)
			if !strings.Contains(fe.Message, "H./Hj.") {
				t.Errorf("%s %q: message %q does not say why (H./Hj.)", key, raw, fe.Message)
			}
		}
	}
}

// TestDateTodayAcceptedEarlyMorningWIB protects the future-date rule from a time zone slip:
// between 00:00 and 07:00 WIB it is still the previous day in UTC, and today's date (say a TMT
// jabatan that starts today) must not be refused as "in the future". Tomorrow must stay refused.
func TestDateTodayAcceptedEarlyMorningWIB(t *testing.T) {
	f := fxField(t, "tmt_pns")
	early := time.Date(2026, 3, 10, 3, 0, 0, 0, wib) // 2026-03-09 20:00 UTC
	if got, err := f.Normalize("2026-03-10", early); err != nil || got != "2026-03-10" {
		t.Fatalf("today at 03:00 WIB: %q, %v", got, err)
	}
	if _, err := f.Normalize("2026-03-11", early); err == nil {
		t.Fatal("tomorrow accepted at 03:00 WIB")
	}
	late := time.Date(2026, 3, 10, 23, 59, 0, 0, wib)
	if _, err := f.Normalize("2026-03-11", late); err == nil {
		t.Fatal("tomorrow accepted at 23:59 WIB")
	}
	// And in a zone behind UTC, tomorrow-in-UTC is still tomorrow locally.
	west := time.Date(2026, 3, 10, 20, 0, 0, 0, time.FixedZone("UTC-5", -5*60*60)) // 2026-03-11 01:00 UTC
	if _, err := f.Normalize("2026-03-11", west); err == nil {
		t.Fatal("tomorrow (local) accepted because it is already today in UTC")
	}
}

// TestNormalizeRefusesMarkupAndControlChars: whatever a PNS types is shown later to verifiers and
// printed; markup and template characters, NUL, escape sequences and other control characters are
// refused in every field of the catalogue, so nothing stored can carry a script or break an export.
func TestNormalizeRefusesMarkupAndControlChars(t *testing.T) {
	bad := []string{
		"<script>alert(1)</script>",
		"Budi <b>Santoso</b>",
		"Budi {{.Secret}}",
		`Budi\Santoso`,
		"Budi\x00Santoso",
		"Budi\x1b[31mSantoso",
		"Budi\x7fSantoso",
		"Budi\u0085Santoso",
		"Budi\x08",
	}
	for _, tab := range store.Tabs {
		for _, fd := range tab.Fields {
			for _, raw := range bad {
				got, err := fd.Normalize(raw, fxToday)
				if err == nil {
					t.Errorf("%s: %q accepted as %q", fd.Key, raw, got)
					continue
				}
				fxCheckFieldError(t, err, fd.Key)
			}
		}
	}
	// Invalid UTF-8 is refused too (it could not be shown or exported faithfully).
	_, err := fxField(t, "nama").Normalize("Budi\xffSantoso", fxToday)
	fxCheckFieldError(t, err, "nama")
	// Tabs and line breaks are ordinary whitespace, not control characters to refuse.
	got, err := fxField(t, "alamat").Normalize("Jl. Pemuda\tNo. 1\nSemarang", fxToday)
	if err != nil || got != "Jl. Pemuda No. 1 Semarang" {
		t.Fatalf("whitespace: %q, %v", got, err)
	}
}

// TestNormalizeRefusesOverLong: every field with a MaxLen refuses one character more, and counts
// characters, not bytes (names with diacritics must not be cut short).
func TestNormalizeRefusesOverLong(t *testing.T) {
	n := 0
	for _, tab := range store.Tabs {
		for _, fd := range tab.Fields {
			if fd.MaxLen == 0 {
				continue
			}
			n++
			_, err := fd.Normalize(strings.Repeat("a", fd.MaxLen+1), fxToday)
			fe := fxCheckFieldError(t, err, fd.Key)
			if !strings.Contains(fe.Message, "paling panjang") {
				t.Errorf("%s: message %q does not say the limit", fd.Key, fe.Message)
			}
		}
	}
	if n == 0 {
		t.Fatal("no field has MaxLen")
	}
	nama := fxField(t, "nama")
	exact := strings.Repeat("é", nama.MaxLen) // MaxLen characters, twice as many bytes
	if got, err := nama.Normalize(exact, fxToday); err != nil || got != exact {
		t.Fatalf("nama of exactly %d characters refused: %v", nama.MaxLen, err)
	}
	_, err := nama.Normalize(exact+"é", fxToday)
	fxCheckFieldError(t, err, "nama")
}

// TestParseNIP: the NIP encodes birth date, TMT CPNS month and sex; every cross-check reads them
// from here, so a malformed NIP must be refused rather than half-parsed.
func TestParseNIP(t *testing.T) {
	p, err := store.ParseNIP("198609262015051001")
	if err != nil {
		t.Fatal(err)
	}
	want := store.NIPParts{BirthDate: "1986-09-26", TMTCPNS: "2015-05", Sex: "1", Seq: "001"}
	if p != want {
		t.Fatalf("ParseNIP = %+v, want %+v", p, want)
	}
	p, err = store.ParseNIP(nipSiti)
	if err != nil || p.Sex != "2" || p.BirthDate != "1990-01-15" || p.TMTCPNS != "2014-02" {
		t.Fatalf("ParseNIP(%s) = %+v, %v", nipSiti, p, err)
	}
	for name, nip := range map[string]string{
		"17 digits":            "19860926201505100",
		"19 digits":            "1986092620150510011",
		"letter":               "19860926201505100A",
		"spaced":               "19860926 201505 1 001",
		"birth date 30 Feb":    "198602302015051001",
		"birth month 13":       "198613262015051001",
		"TMT month 00":         "198609262015001001",
		"TMT month 13":         "198609262015131001",
		"sex 0":                "198609262015050001",
		"sex 3":                "198609262015053001",
		"empty":                "",
		"birth date 00 day":    "198609002015051001",
		"unicode digits (Ara)": "١٩٨٦٠٩٢٦٢٠١٥٠٥١٠٠١",
	} {
		p, err := store.ParseNIP(nip)
		if err == nil {
			t.Errorf("%s: ParseNIP(%q) = %+v, want error", name, nip, p)
			continue
		}
		fxCheckFieldError(t, err, "nip")
	}
}

// TestNIKFor: the DDMMYY a NIK must carry; women have 40 added to the day.
func TestNIKFor(t *testing.T) {
	for _, c := range []struct{ date, sex, want string }{
		{"1986-09-26", "1", "260986"},
		{"1990-01-15", "2", "550190"},
		{"1990-05-05", "2", "450590"},
		{"2001-12-31", "2", "711201"},
		{"2001-12-31", "", "311201"},
		{"", "1", ""},
		{"1986-9-26", "1", ""},
	} {
		if got := store.NIKFor(c.date, c.sex); got != c.want {
			t.Errorf("NIKFor(%q, %q) = %q, want %q", c.date, c.sex, got, c.want)
		}
	}
}

// TestCrossCheck: the record must agree with its NIP (birth date, sex, TMT CPNS month), TMT CPNS
// must come before TMT PNS, and the NIK must agree with birth date and sex (+40 for women). These
// are exactly the inconsistencies the 2015 campaign found in the master data.
func TestCrossCheck(t *testing.T) {
	budi := map[string]string{
		"nip": nipBudi, "tanggal_lahir": "1986-09-26", "jenis_kelamin": "1",
		"tmt_cpns": "2015-05-01", "tmt_pns": "2016-05-01", "nik": nikBudi,
	}
	siti := map[string]string{
		"nip": nipSiti, "tanggal_lahir": "1990-01-15", "jenis_kelamin": "2",
		"tmt_cpns": "2014-02-01", "tmt_pns": "2015-02-01", "nik": nikSiti,
	}
	with := func(base map[string]string, kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	cases := []struct {
		name   string
		key, v string
		eff    map[string]string
		bad    string // "" = agrees; else a word the message must contain
	}{
		{"birth date as NIP", "tanggal_lahir", "1986-09-26", budi, ""},
		{"birth date off by a day", "tanggal_lahir", "1986-09-27", budi, "NIP"},
		{"birth year differs", "tanggal_lahir", "1987-09-26", budi, "NIP"},
		{"sex as NIP", "jenis_kelamin", "1", budi, ""},
		{"sex against NIP", "jenis_kelamin", "2", budi, "NIP"},
		{"woman sex as NIP", "jenis_kelamin", "2", siti, ""},
		{"TMT CPNS any day of NIP month", "tmt_cpns", "2015-05-31", budi, ""},
		{"TMT CPNS next month", "tmt_cpns", "2015-06-01", budi, "NIP"},
		{"TMT CPNS other year", "tmt_cpns", "2014-05-01", budi, "NIP"},
		{"TMT CPNS same day as TMT PNS", "tmt_cpns", "2015-05-01", with(budi, "tmt_pns", "2015-05-01"), "sebelum"},
		{"TMT CPNS after TMT PNS", "tmt_cpns", "2015-05-20", with(budi, "tmt_pns", "2015-05-10"), "sebelum"},
		{"TMT PNS after TMT CPNS", "tmt_pns", "2016-05-01", budi, ""},
		{"TMT PNS before TMT CPNS", "tmt_pns", "2015-04-01", budi, "sesudah"},
		{"TMT PNS equal to TMT CPNS", "tmt_pns", "2015-05-01", budi, "sesudah"},
		{"NIK man", "nik", nikBudi, budi, ""},
		{"NIK man coded as woman", "nik", "3374016609860001", budi, "NIK"},
		{"NIK other birth date", "nik", "3374012709860001", budi, "NIK"},
		{"NIK woman +40", "nik", nikSiti, siti, ""},
		{"NIK woman without +40", "nik", "3374011501900002", siti, "NIK"},
		// The NIK is checked against the record as it would be (eff), not the NIP: a proposed
		// birth date in eff is what counts.
		{"NIK follows effective birth date", "nik", "3374012709860001", with(budi, "tanggal_lahir", "1986-09-27"), ""},
		{"empty value is not checked", "tanggal_lahir", "", budi, ""},
		{"no NIP, nothing to compare", "tanggal_lahir", "1970-01-01", with(budi, "nip", ""), ""},
		{"field without cross-check", "nama", "Siapa Saja", budi, ""},
	}
	for _, c := range cases {
		msg := store.CrossCheck(c.key, c.v, c.eff)
		switch {
		case c.bad == "" && msg != "":
			t.Errorf("%s: CrossCheck(%s=%q) = %q, want agreement", c.name, c.key, c.v, msg)
		case c.bad != "" && msg == "":
			t.Errorf("%s: CrossCheck(%s=%q) agreed, want a message", c.name, c.key, c.v)
		case c.bad != "":
			fxCheckIndonesian(t, msg)
			if !strings.Contains(msg, c.bad) {
				t.Errorf("%s: message %q does not mention %q", c.name, msg, c.bad)
			}
		}
	}
	// The NIK message tells the PNS the digits it expects.
	if msg := store.CrossCheck("nik", "3374011501900002", siti); !strings.Contains(msg, "550190") {
		t.Errorf("NIK message %q does not give the expected 550190", msg)
	}
}

// TestNormalizeReason: reasons and decision notes are free text, but with a length limit and no
// control characters; an empty reason is allowed here (Kirim asks for it).
func TestNormalizeReason(t *testing.T) {
	if got, err := store.NormalizeReason("alasan_nama", "  salah ketik  ", 300); err != nil || got != "salah ketik" {
		t.Fatalf("NormalizeReason = %q, %v", got, err)
	}
	if got, err := store.NormalizeReason("alasan_nama", "", 300); err != nil || got != "" {
		t.Fatalf("empty reason: %q, %v", got, err)
	}
	_, err := store.NormalizeReason("alasan_nama", "a\x00b", 300)
	fxCheckFieldError(t, err, "alasan_nama")
	_, err = store.NormalizeReason("alasan_nama", strings.Repeat("é", 301), 300)
	fxCheckFieldError(t, err, "alasan_nama")
	if _, err := store.NormalizeReason("alasan_nama", strings.Repeat("é", 300), 300); err != nil {
		t.Fatalf("300 characters refused: %v", err)
	}
}
