package store

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Normalize checks a value typed for field f on its own and returns its canonical stored form
// (trimmed, single-spaced, digits only where only digits mean something). The checks every kind
// shares run here; the kind's own check is its entry in normalizers.
func (f Field) Normalize(raw string, today time.Time) (string, error) {
	v := strings.Join(strings.Fields(raw), " ")
	if v == "" {
		return "", fieldErr(f.Key, "%s wajib diisi.", f.Label)
	}
	if err := checkChars(f.Key, f.Label, raw, true); err != nil {
		return "", err
	}
	if f.MaxLen > 0 && utf8.RuneCountInString(v) > f.MaxLen {
		return "", fieldErr(f.Key, "%s paling panjang %d karakter.", f.Label, f.MaxLen)
	}
	if strings.ContainsAny(v, "<>{}\\") {
		return "", fieldErr(f.Key, "%s tidak boleh berisi tanda < > { } atau \\.", f.Label)
	}
	if n := normalizers[f.Kind]; n != nil {
		return n(f, v, today)
	}
	return v, nil
}

// checkChars is the one check of the characters of every free text the store accepts (field
// values, history-row fields, reasons, decision notes, registration and staff input): valid UTF-8,
// no control character (tab and line breaks only where multiline allows them), and no invisible
// formatting character. The last matters because a bidi control (U+202E and its kin) makes a value
// display reversed or reordered on the form, the review and the print page, so a verifier would
// approve a text other than the one stored; zero-width characters make two values that look the
// same compare different. key and label name the field in the message.
func checkChars(key, label, raw string, multiline bool) error {
	if !utf8.ValidString(raw) {
		return fieldErr(key, "%s berisi karakter yang tidak dikenal.", label)
	}
	for _, r := range raw {
		switch {
		case multiline && (r == '\n' || r == '\r' || r == '\t'):
		case invisibleFormat(r):
			return fieldErr(key, "%s berisi karakter tak terlihat (pengatur arah teks atau spasi tanpa lebar, biasanya ikut tersalin dari dokumen lain) yang tidak diizinkan. Ketik ulang isian ini.", label)
		case unicode.IsControl(r):
			return fieldErr(key, "%s berisi karakter kendali yang tidak diizinkan.", label)
		}
	}
	return nil
}

// invisibleFormat tells a character that changes how text around it is shown without being seen
// itself: every format character (Unicode category Cf: the bidi embeddings, overrides and isolates
// U+202A–U+202E and U+2066–U+2069, the marks U+200E, U+200F and U+061C, the zero-width U+200B–U+200D,
// U+2060 and U+FEFF, the soft hyphen, tag characters) and the line and paragraph separators.
func invisibleFormat(r rune) bool {
	return unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// normalizer checks a value v (trimmed and single-spaced, already past the checks every kind
// shares) as its kind requires and returns its canonical form.
type normalizer func(f Field, v string, today time.Time) (string, error)

// normalizers holds each kind's own check; a kind without one (text, address, unit) is kept as typed.
var normalizers = map[Kind]normalizer{
	KindName:    normalizeName,
	KindGelar:   normalizeGelar,
	KindDate:    normalizeDate,
	KindDateAny: normalizeDateAny,
	KindYear:    normalizeYear,
	KindDigits:  normalizeDigits,
	KindCode:    normalizeCode,
	KindNIK:     normalizeNIK,
	KindNIP:     normalizeNIP,
	KindNPWP:    normalizeNPWP,
	KindKodePos: normalizeKodePos,
	KindPhone:   normalizePhone,
	KindEmail:   normalizeEmail,
	KindKarpeg:  normalizeKarpeg,
}

func normalizeName(f Field, v string, _ time.Time) (string, error) {
	for _, r := range v {
		if !(unicode.Is(unicode.Latin, r) || r == ' ' || r == '.' || r == ',' || r == '\'' || r == '-') {
			return "", fieldErr(f.Key, "%s hanya boleh berisi huruf, spasi, titik, koma, tanda petik dan tanda hubung.", f.Label)
		}
	}
	if !strings.ContainsFunc(v, unicode.IsLetter) {
		return "", fieldErr(f.Key, "%s harus berisi huruf.", f.Label)
	}
	return v, nil
}

func normalizeGelar(f Field, v string, _ time.Time) (string, error) {
	for _, r := range v {
		if !(unicode.Is(unicode.Latin, r) || r == ' ' || r == '.' || r == ',' || r == '(' || r == ')' || r == '-') {
			return "", fieldErr(f.Key, "%s hanya boleh berisi huruf, titik, koma dan spasi.", f.Label)
		}
	}
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' }) {
		p := strings.ToLower(strings.TrimSuffix(part, "."))
		if p == "h" || p == "hj" || p == "haji" || p == "hajjah" {
			return "", fieldErr(f.Key, "Gelar H./Hj. bukan gelar akademik dan tidak dicantumkan.")
		}
	}
	return v, nil
}

// parseDate reads a date typed as YYYY-MM-DD or DD-MM-YYYY.
func parseDate(v string) (time.Time, error) {
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		if t2, err2 := time.Parse("02-01-2006", v); err2 == nil {
			return t2, nil
		}
	}
	return t, err
}

func normalizeDate(f Field, v string, today time.Time) (string, error) {
	t, err := parseDate(v)
	if err != nil {
		return "", fieldErr(f.Key, "%s harus berupa tanggal yang benar (hh-bb-tttt).", f.Label)
	}
	if t.Year() < 1900 {
		return "", fieldErr(f.Key, "%s tidak mungkin sebelum tahun 1900.", f.Label)
	}
	// Compare calendar dates: t is midnight UTC, today is in the office's zone (WIB is
	// UTC+7, so comparing instants would refuse today's date until 07:00).
	if y, m, d := today.Date(); t.After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
		return "", fieldErr(f.Key, "%s tidak boleh di masa depan.", f.Label)
	}
	return t.Format("2006-01-02"), nil
}

func normalizeDateAny(f Field, v string, _ time.Time) (string, error) {
	t, err := parseDate(v)
	if err != nil || t.Year() < 1900 || t.Year() > 2100 {
		return "", fieldErr(f.Key, "%s harus berupa tanggal yang benar (hh-bb-tttt).", f.Label)
	}
	return t.Format("2006-01-02"), nil
}

func normalizeYear(f Field, v string, today time.Time) (string, error) {
	if !allDigits(v) || len(v) != 4 || v < "1900" {
		return "", fieldErr(f.Key, "%s harus tahun empat angka, mis. 2008.", f.Label)
	}
	if v > fmt.Sprint(today.Year()) {
		return "", fieldErr(f.Key, "%s tidak boleh di masa depan.", f.Label)
	}
	return v, nil
}

func normalizeDigits(f Field, v string, _ time.Time) (string, error) {
	d := stripSeparators(v, " .-")
	if !allDigits(d) || len(d) < f.MinLen || (f.MaxLen > 0 && len(d) > f.MaxLen) {
		if f.MinLen == f.MaxLen {
			return "", fieldErr(f.Key, "%s harus %d angka.", f.Label, f.MaxLen)
		}
		return "", fieldErr(f.Key, "%s harus berupa angka (%d–%d angka).", f.Label, f.MinLen, f.MaxLen)
	}
	return d, nil
}

func normalizeCode(f Field, v string, _ time.Time) (string, error) {
	if !f.Codes.Has(v) {
		return "", fieldErr(f.Key, "Pilih %s dari daftar.", f.Label)
	}
	return v, nil
}

func normalizeNIK(f Field, v string, _ time.Time) (string, error) {
	if !allDigits(v) || len(v) != 16 {
		return "", fieldErr(f.Key, "NIK harus 16 angka, tanpa huruf atau spasi.")
	}
	if msg := nikStructure(v); msg != "" {
		return "", fieldErr(f.Key, "%s", msg)
	}
	return v, nil
}

func normalizeNIP(f Field, v string, _ time.Time) (string, error) {
	if !allDigits(v) || len(v) != 18 {
		return "", fieldErr(f.Key, "NIP harus 18 angka.")
	}
	return v, nil
}

func normalizeNPWP(f Field, v string, _ time.Time) (string, error) {
	d := stripSeparators(v, ".- ")
	if !allDigits(d) || (len(d) != 15 && len(d) != 16) {
		return "", fieldErr(f.Key, "NPWP harus 15 atau 16 angka (boleh dengan titik dan tanda hubung).")
	}
	return d, nil
}

func normalizeKodePos(f Field, v string, _ time.Time) (string, error) {
	if !allDigits(v) || len(v) != 5 {
		return "", fieldErr(f.Key, "Kode pos harus 5 angka.")
	}
	return v, nil
}

func normalizePhone(f Field, v string, _ time.Time) (string, error) {
	d := stripSeparators(v, " -")
	if strings.HasPrefix(d, "+62") {
		d = "0" + d[3:]
	} else if strings.HasPrefix(d, "62") {
		d = "0" + d[2:]
	}
	if !allDigits(d) || !strings.HasPrefix(d, "08") || len(d) < 10 || len(d) > 13 {
		return "", fieldErr(f.Key, "Nomor HP harus diawali 08 (atau +62) dan terdiri dari 10–13 angka.")
	}
	return d, nil
}

func normalizeEmail(f Field, v string, _ time.Time) (string, error) {
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || !strings.Contains(v[strings.LastIndexByte(v, '@'):], ".") {
		return "", fieldErr(f.Key, "Alamat e-mail tidak valid, contoh: nama@contoh.go.id.")
	}
	return strings.ToLower(v), nil
}

func normalizeKarpeg(f Field, v string, _ time.Time) (string, error) {
	d := strings.ToUpper(stripSeparators(v, " -"))
	letters := strings.TrimRightFunc(d, func(r rune) bool { return r >= '0' && r <= '9' })
	digits := d[len(letters):]
	if len(letters) < 1 || len(letters) > 2 || strings.TrimFunc(letters, func(r rune) bool { return r >= 'A' && r <= 'Z' }) != "" || len(digits) < 6 || len(digits) > 7 {
		return "", fieldErr(f.Key, "Nomor Karpeg berupa 1–2 huruf seri diikuti 6–7 angka, mis. N 123456.")
	}
	return letters + " " + digits, nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func stripSeparators(s, seps string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(seps, r) {
			return -1
		}
		return r
	}, s)
}

// NIPParts is what an 18-digit NIP encodes.
type NIPParts struct {
	BirthDate string // YYYY-MM-DD
	TMTCPNS   string // YYYY-MM
	Sex       string // "1" or "2"
	Seq       string
}

// ParseNIP splits a NIP into the birth date, TMT CPNS month and sex it encodes.
func ParseNIP(nip string) (NIPParts, error) {
	if len(nip) != 18 || !allDigits(nip) {
		return NIPParts{}, fieldErr("nip", "NIP harus 18 angka.")
	}
	bd := nip[0:4] + "-" + nip[4:6] + "-" + nip[6:8]
	if _, err := time.Parse("2006-01-02", bd); err != nil {
		return NIPParts{}, fieldErr("nip", "8 angka pertama NIP bukan tanggal lahir yang benar.")
	}
	if nip[12:14] < "01" || nip[12:14] > "12" {
		return NIPParts{}, fieldErr("nip", "Angka ke-9 s.d. 14 NIP bukan bulan TMT CPNS yang benar.")
	}
	if nip[14] != '1' && nip[14] != '2' {
		return NIPParts{}, fieldErr("nip", "Angka ke-15 NIP harus 1 (laki-laki) atau 2 (perempuan).")
	}
	return NIPParts{BirthDate: bd, TMTCPNS: nip[8:12] + "-" + nip[12:14], Sex: nip[14:15], Seq: nip[15:18]}, nil
}

// nikStructure checks what a NIK says on its own: a region code and a real date.
func nikStructure(nik string) string {
	if nik[0:2] < "11" || nik[0:2] > "94" {
		return "Dua angka pertama NIK (kode provinsi) tidak dikenal."
	}
	if nik[2:4] == "00" || nik[4:6] == "00" {
		return "Kode kabupaten/kota dan kecamatan pada NIK tidak boleh 00."
	}
	day := int(nik[6]-'0')*10 + int(nik[7]-'0')
	if day > 40 {
		day -= 40
	}
	month := int(nik[8]-'0')*10 + int(nik[9]-'0')
	if day < 1 || day > 31 || month < 1 || month > 12 {
		return "Angka ke-7 s.d. 12 NIK bukan tanggal lahir yang benar."
	}
	if nik[12:16] == "0000" {
		return "Empat angka terakhir NIK tidak boleh 0000."
	}
	return ""
}

// NIKFor returns the DDMMYY part a NIK must carry for a birth date (YYYY-MM-DD) and sex ("2" adds 40 to the day).
func NIKFor(birthDate, sex string) string {
	if len(birthDate) != 10 {
		return ""
	}
	dd := birthDate[8:10]
	if sex == "2" {
		dd = fmt.Sprintf("%02d", 40+int(dd[0]-'0')*10+int(dd[1]-'0'))
	}
	return dd + birthDate[5:7] + birthDate[2:4]
}

// CrossCheck checks the value v of field key against the rest of the record as it would be
// (eff: master values with the PNS's proposals applied) and against the NIP. It returns a message
// for the field, or "" when they agree.
func CrossCheck(key, v string, eff map[string]string) string {
	if v == "" {
		return ""
	}
	nip, _ := ParseNIP(eff[KeyNIP])
	switch key {
	case KeyTanggalLahir:
		if nip.BirthDate != "" && v != nip.BirthDate {
			return fmt.Sprintf("Tanggal lahir harus sesuai dengan NIP (%s).", (Field{Kind: KindDate}).Display(nip.BirthDate))
		}
	case KeyJenisKelamin:
		if nip.Sex != "" && v != nip.Sex {
			return fmt.Sprintf("Jenis kelamin harus sesuai dengan NIP (angka ke-15 = %s, %s).", nip.Sex, JenisKelamin.Label(nip.Sex))
		}
	case "tmt_cpns":
		if nip.TMTCPNS != "" && v[:7] != nip.TMTCPNS {
			return fmt.Sprintf("Bulan dan tahun TMT CPNS harus sesuai dengan NIP (%s-%s).", nip.TMTCPNS[5:7], nip.TMTCPNS[0:4])
		}
		if p := eff["tmt_pns"]; p != "" && v >= p {
			return "TMT CPNS harus sebelum TMT PNS."
		}
	case "tmt_pns":
		if c := eff["tmt_cpns"]; c != "" && v <= c {
			return "TMT PNS harus sesudah TMT CPNS."
		}
	case KeyNIK:
		want := NIKFor(eff[KeyTanggalLahir], eff[KeyJenisKelamin])
		if want != "" && len(v) == 16 && v[6:12] != want {
			return fmt.Sprintf("NIK tidak sesuai dengan tanggal lahir dan jenis kelamin: angka ke-7 s.d. 12 seharusnya %s.", want)
		}
	}
	return ""
}
