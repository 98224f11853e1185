package store

import (
	"bufio"
	"embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The lists of passwords nobody may choose: passwords_common.txt is the 1,000 most common
// passwords of leaked password sets (from @zxcvbn-ts/language-common, MIT, see its header), and
// passwords_id.txt adds Indonesian words and phrases such lists miss.
//
//go:embed passwords_common.txt passwords_id.txt
var passwordLists embed.FS

var commonPasswords = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, name := range []string{"passwords_common.txt", "passwords_id.txt"} {
		f, err := passwordLists.Open(name)
		if err != nil {
			panic(err) // embedded at build time: cannot be missing
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			out[strings.ToLower(line)] = true
		}
		f.Close()
	}
	return out
})

// CommonPasswordCount is how many distinct passwords the refused lists hold.
func CommonPasswordCount() int { return len(commonPasswords()) }

// IsCommonPassword tells whether pw (compared in lower case) is on the list of refused passwords.
func IsCommonPassword(pw string) bool { return commonPasswords()[strings.ToLower(pw)] }

// Password limits.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// CheckNewPassword checks a password someone chooses and its confirmation. Problems with the
// password are FieldErrors at "password", a confirmation that differs at "password2". forbidden
// holds values the password must not be or contain (the NIP, the NIK, the login name).
func CheckNewPassword(pw, confirm string, forbidden ...string) error {
	switch {
	case pw == "":
		return fieldErr("password", "Kata sandi wajib diisi.")
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return fieldErr("password", "Kata sandi paling sedikit %d karakter.", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return fieldErr("password", "Kata sandi paling panjang %d karakter.", MaxPasswordLen)
	case !utf8.ValidString(pw) || strings.ContainsFunc(pw, unicode.IsControl):
		return fieldErr("password", "Kata sandi berisi karakter kendali yang tidak diizinkan.")
	}
	compact := strings.ToLower(stripSeparators(pw, " .-"))
	for _, f := range forbidden {
		f = strings.ToLower(stripSeparators(f, " .-"))
		if len(f) >= 4 && strings.Contains(compact, f) {
			return fieldErr("password", "Kata sandi tidak boleh memuat NIP, NIK atau nama pengguna Anda.")
		}
	}
	if IsCommonPassword(pw) || IsCommonPassword(compact) {
		return fieldErr("password", "Kata sandi ini termasuk yang paling sering dipakai sehingga mudah ditebak. Pilih yang lain.")
	}
	if confirm != pw {
		return fieldErr("password2", "Konfirmasi kata sandi tidak sama dengan kata sandi.")
	}
	return nil
}
