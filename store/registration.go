package store

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.etcd.io/bbolt"
)

// Registration, activation, status and recovery: DOMAIN.md "The flow", steps 1–3.

// SecurityQuestions are the questions a PNS may choose from at registration.
var SecurityQuestions = CodeList{
	{"1", "Apa nama sekolah dasar Anda?"},
	{"2", "Siapa nama sahabat masa kecil Anda?"},
	{"3", "Apa nama hewan peliharaan pertama Anda?"},
	{"4", "Di kota mana orang tua Anda menikah?"},
	{"5", "Apa makanan kesukaan Anda semasa kecil?"},
	{"6", "Siapa nama wali kelas Anda di kelas 1 SD?"},
}

// NormalizeNIPInput accepts a NIP typed with or without the usual spaces and returns its 18 digits.
func NormalizeNIPInput(raw string) (string, error) {
	v := stripSeparators(strings.TrimSpace(raw), " .-")
	switch {
	case v == "":
		return "", fieldErr("nip", "NIP wajib diisi.")
	case utf8.RuneCountInString(v) > 40:
		return "", fieldErr("nip", "NIP terlalu panjang: NIP terdiri dari 18 angka.")
	case !allDigits(v):
		return "", fieldErr("nip", "NIP hanya berisi angka (18 angka), tanpa huruf.")
	case len(v) != 18:
		return "", fieldErr("nip", "NIP harus 18 angka; yang Anda ketik %d angka.", len(v))
	}
	return v, nil
}

// normalizeAnswer is the form an answer is hashed and compared in: lower case, single spaces.
func normalizeAnswer(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// scriptOf names the writing system of a letter, for refusing mixed scripts (a Cyrillic "а"
// inside a Latin name looks the same and would defeat every comparison).
func scriptOf(r rune) string {
	for _, s := range []string{"Latin", "Cyrillic", "Greek", "Arabic", "Han", "Hiragana", "Katakana", "Hangul",
		"Thai", "Devanagari", "Hebrew", "Armenian", "Georgian", "Javanese", "Balinese", "Sundanese", "Buginese"} {
		if unicode.Is(unicode.Scripts[s], r) {
			return s
		}
	}
	return "other"
}

// MixedScripts tells whether the letters of s come from more than one writing system.
func MixedScripts(s string) bool {
	first := ""
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		sc := scriptOf(r)
		if first == "" {
			first = sc
		} else if sc != first {
			return true
		}
	}
	return false
}

// checkText is the common check of a short free text typed into a public form.
func checkText(key, label, raw string, limit int) (string, error) {
	if err := checkChars(key, label, raw, false); err != nil {
		return "", err
	}
	v := strings.Join(strings.Fields(raw), " ")
	switch {
	case v == "":
		return "", fieldErr(key, "%s wajib diisi.", label)
	case utf8.RuneCountInString(v) > limit:
		return "", fieldErr(key, "%s paling panjang %d karakter.", label, limit)
	case strings.ContainsAny(v, "<>{}\\"):
		return "", fieldErr(key, "%s tidak boleh berisi tanda < > { } atau \\.", label)
	case MixedScripts(v):
		return "", fieldErr(key, "%s mencampur huruf dari aksara berbeda (mis. Latin dan Kiril). Ketik ulang dengan huruf biasa.", label)
	}
	return v, nil
}

// checkPersonName checks a person's name (Latin letters and name punctuation).
func checkPersonName(key, label, raw string) (string, error) {
	v, err := checkText(key, label, raw, 100)
	if err != nil {
		return "", err
	}
	return (Field{Key: key, Label: label, Kind: KindName, MaxLen: 100}).Normalize(v, time.Time{})
}

// RegLookup is what Cari shows about a NIP from the master data.
type RegLookup struct {
	NIP          string
	Name         string
	TempatLahir  string
	TanggalLahir string // YYYY-MM-DD
	InstansiID   string
	Instansi     string
}

// LookupForRegistration finds an unregistered PNS in the master data. A malformed NIP is a
// FieldError at "nip"; a NIP the master data does not hold is ErrNotFound; one that already has
// a pending or active account is ErrAlreadyExist (a rejected registration may register again).
func (s *Store) LookupForRegistration(raw string) (RegLookup, error) {
	nip, err := NormalizeNIPInput(raw)
	if err != nil {
		return RegLookup{}, err
	}
	var out RegLookup
	err = s.view(func(tx *bbolt.Tx) error {
		var rec Record
		if err := getJSON(bk(tx, bRecords), []byte(nip), &rec); err != nil {
			return fmt.Errorf("NIP %s: %w", nip, err)
		}
		var u User
		if err := getJSON(bk(tx, bUsers), []byte(nip), &u); err == nil && u.Status != StatusRejected {
			return fmt.Errorf("NIP %s: akun %w", nip, ErrAlreadyExist)
		}
		out = RegLookup{NIP: nip, Name: rec.Name(), TempatLahir: rec.Fields["tempat_lahir"], TanggalLahir: rec.Fields[KeyTanggalLahir], InstansiID: rec.InstansiID}
		var in Instansi
		if getJSON(bk(tx, bInstansi), []byte(rec.InstansiID), &in) == nil {
			out.Instansi = in.Name
		}
		return nil
	})
	return out, err
}

// Registration is what a PNS types on the registration form.
type Registration struct {
	NIP       string
	NIK       string
	Email     string
	Password  string
	Password2 string
	Mother    string // nama ibu kandung
	Question  string // a SecurityQuestions code
	Answer    string
}

func pendingKey(instansiID string, at time.Time, nip string) []byte {
	return cat([]byte(instansiID), []byte{0}, timeKey(at), []byte(nip))
}

// Register creates a PNS's account from the registration form, in one transaction: the account
// keyed by NIP with a fresh random nomor registrasi, hashed password and answers, and (unless the
// instansi switched activation off) an entry in its registration verifiers' queue. Every field
// problem comes back at once as FieldErrors; nothing is stored then.
func (s *Store) Register(in Registration) (User, error) {
	nip, err := NormalizeNIPInput(in.NIP)
	if err != nil {
		fe, _ := AsFieldErrors(err)
		return User{}, fe
	}
	var rec Record
	if err := s.view(func(tx *bbolt.Tx) error { return getJSON(bk(tx, bRecords), []byte(nip), &rec) }); err != nil {
		return User{}, fmt.Errorf("NIP %s: %w", nip, err)
	}
	if err := s.WindowOpen(WindowRegistration, rec.InstansiID, s.now()); err != nil {
		return User{}, err
	}
	u, mother, answer, bad := checkRegistration(in, nip, rec)
	if len(bad) > 0 {
		return User{}, bad
	}
	// Slow on purpose (argon2id), so outside the transaction, on the hashing pool.
	hashes, err := s.hashPasswords(in.Password, normalizeAnswer(mother), normalizeAnswer(answer))
	if err != nil {
		return User{}, err
	}
	u.Hash, u.MotherHash, u.AnswerHash = hashes[0], hashes[1], hashes[2]
	u.CreatedAt = s.now()
	var out User
	err = s.update(func(tx *bbolt.Tx) (err error) {
		out, err = createPNSAccount(tx, u)
		return err
	})
	return out, err
}

// checkRegistration checks every field of the registration form at once against the master
// record, and returns the account it describes (without hashes) and the normalized mother's name
// and answer.
func checkRegistration(in Registration, nip string, rec Record) (u User, mother, answer string, bad FieldErrors) {
	add := func(err error) {
		if fe, ok := AsFieldErrors(err); ok {
			bad = append(bad, fe...)
		}
	}
	nik := stripSeparators(strings.TrimSpace(in.NIK), " .-")
	add(checkRegistrationNIK(nik, nip, rec))
	email := ""
	if v, err := checkText("email", "E-mail", in.Email, 100); err != nil {
		add(err)
	} else if email, err = (Field{Key: "email", Label: "E-mail", Kind: KindEmail}).Normalize(v, time.Time{}); err != nil {
		add(err)
	}
	add(CheckNewPassword(in.Password, in.Password2, nip, nik))
	mother, err := checkPersonName("ibu", "Nama ibu kandung", in.Mother)
	add(err)
	if !SecurityQuestions.Has(in.Question) {
		add(fieldErr("pertanyaan", "Pilih pertanyaan keamanan dari daftar."))
	}
	answer, err = checkText("jawaban", "Jawaban", in.Answer, 100)
	add(err)
	if err == nil && utf8.RuneCountInString(answer) < 2 {
		add(fieldErr("jawaban", "Jawaban paling sedikit 2 karakter."))
	}
	u = User{Login: nip, Role: RolePNS, NIP: nip, Email: email, InstansiID: rec.InstansiID, Question: in.Question}
	return u, mother, answer, bad
}

// checkRegistrationNIK checks the NIK typed at registration: 16 digits of a real NIK, the master
// record's NIK when it holds one, and in agreement with the NIP's birth date and sex.
func checkRegistrationNIK(nik, nip string, rec Record) error {
	switch {
	case nik == "":
		return fieldErr(KeyNIK, "NIK wajib diisi.")
	case len(nik) > 40:
		return fieldErr(KeyNIK, "NIK terlalu panjang: NIK terdiri dari 16 angka.")
	case !allDigits(nik):
		return fieldErr(KeyNIK, "NIK hanya berisi angka (16 angka), tanpa huruf.")
	case len(nik) != 16:
		return fieldErr(KeyNIK, "NIK harus 16 angka; yang Anda ketik %d angka.", len(nik))
	case nikStructure(nik) != "":
		return fieldErr(KeyNIK, "%s", nikStructure(nik))
	case rec.Fields[KeyNIK] != "" && rec.Fields[KeyNIK] != nik:
		return fieldErr(KeyNIK, "NIK tidak sama dengan NIK pada data induk kepegawaian. Periksa KTP Anda; bila data induk yang salah, hubungi BKD.")
	}
	eff := map[string]string{KeyNIP: nip, KeyTanggalLahir: rec.Fields[KeyTanggalLahir], KeyJenisKelamin: rec.Fields[KeyJenisKelamin]}
	if msg := CrossCheck(KeyNIK, nik, eff); msg != "" {
		return fieldErr(KeyNIK, "%s", msg)
	}
	return nil
}

// createPNSAccount stores the checked account u in the caller's transaction: it replaces a rejected
// registration (never a pending or active one), gets a fresh random nomor registrasi, and is
// queued for its instansi's registration verifiers unless the instansi switched activation off.
func createPNSAccount(tx *bbolt.Tx, u User) (User, error) {
	nip, now := u.NIP, u.CreatedAt
	var rec Record
	if err := getJSON(bk(tx, bRecords), []byte(nip), &rec); err != nil {
		return User{}, fmt.Errorf("NIP %s: %w", nip, err)
	}
	users, regnos := bk(tx, bUsers), bk(tx, bUsersRegNo)
	var old User
	if err := getJSON(users, []byte(nip), &old); err == nil {
		if old.Status != StatusRejected {
			return User{}, fmt.Errorf("NIP %s: akun %w", nip, ErrAlreadyExist)
		}
		if old.RegNo != "" {
			if err := regnos.Delete([]byte(old.RegNo)); err != nil {
				return User{}, err
			}
		}
	}
	var inst Instansi
	if err := getJSON(bk(tx, bInstansi), []byte(rec.InstansiID), &inst); err != nil {
		return User{}, fmt.Errorf("instansi %s: %w", rec.InstansiID, err)
	}
	regno := NewRegNo(CryptoSource)
	for regnos.Get([]byte(regno)) != nil {
		regno = NewRegNo(CryptoSource)
	}
	u.Name, u.InstansiID, u.RegNo, u.Status = rec.Name(), rec.InstansiID, regno, StatusPending
	if inst.ActivationOff {
		u.Status, u.DecidedBy, u.DecidedAt = StatusActive, "otomatis (aktivasi instansi dimatikan)", now
	} else if err := bk(tx, bUsersPending).Put(pendingKey(u.InstansiID, now, nip), nil); err != nil {
		return User{}, err
	}
	if err := putJSON(users, []byte(nip), u); err != nil {
		return User{}, err
	}
	if err := countPNS(tx, nip); err != nil {
		return User{}, err
	}
	if err := regnos.Put([]byte(regno), []byte(nip)); err != nil {
		return User{}, err
	}
	return u, appendEvent(tx, Event{At: now, Actor: nip, NIP: nip, Kind: EventRegistered, Detail: "nomor registrasi " + regno + ", status " + u.Status})
}

// RegStatus is what cek status may say about a NIP: nothing personal beyond the account's state.
type RegStatus struct {
	InMaster bool   // the master data holds the NIP
	Status   string // "" (not registered), StatusPending, StatusActive, StatusRejected, StatusDisabled
	Reason   string // the rejection reason
}

// RegistrationStatus reports the registration state of a NIP.
func (s *Store) RegistrationStatus(raw string) (RegStatus, error) {
	nip, err := NormalizeNIPInput(raw)
	if err != nil {
		return RegStatus{}, err
	}
	var out RegStatus
	err = s.view(func(tx *bbolt.Tx) error {
		out.InMaster = bk(tx, bRecords).Get([]byte(nip)) != nil
		var u User
		if err := getJSON(bk(tx, bUsers), []byte(nip), &u); err == nil && u.Role == RolePNS {
			out.Status = u.Status
			if u.Status == StatusRejected {
				out.Reason = u.Reason
			}
		}
		return nil
	})
	return out, err
}

// Recover checks a PNS's recovery answers: NIP, the security question chosen at registration and
// its answer, and the mother's maiden name (answers compared ignoring case and extra spaces). Any
// mismatch is ErrNoMatch, after the same work as a match, so the answer time says nothing.
func (s *Store) Recover(rawNIP, question, answer, mother string) (User, error) {
	nip, err := NormalizeNIPInput(rawNIP)
	if err != nil {
		return User{}, err
	}
	u, uerr := s.User(nip)
	if uerr != nil || u.Role != RolePNS || u.AnswerHash == "" {
		u = User{} // unknown: checkPasswords compares the dummy hash instead
	}
	ok, err := s.checkPasswords([2]string{u.AnswerHash, normalizeAnswer(answer)}, [2]string{u.MotherHash, normalizeAnswer(mother)})
	if err != nil {
		return User{}, err
	}
	if !ok || u.Question != question || u.Status == StatusDisabled {
		return User{}, ErrNoMatch
	}
	return u, nil
}

// RegItem is one registration in a registration verifier's queue.
type RegItem struct {
	NIP          string
	RegNo        string
	Name         string
	Email        string
	RegisteredAt time.Time
}

// RegPage is one page of the queue.
type RegPage struct {
	Items []RegItem
	Total int    // matching registrations waiting
	Next  string // cursor of the next page, "" at the end
}

// RegistrationQueue lists the registrations waiting for activation in the verifier's instansi,
// oldest first, limit per page, optionally only those whose nomor registrasi, NIP or name
// contains query (case-insensitive).
func (s *Store) RegistrationQueue(a Actor, query, cursor string, limit int) (RegPage, error) {
	if !mayQueueRegistrations(a) {
		return RegPage{}, ErrForbidden
	}
	q := strings.ToLower(strings.Join(strings.Fields(query), " "))
	qDigits := stripSeparators(q, " ")
	after, err := decodeCursor(cursor)
	if err != nil {
		return RegPage{}, fmt.Errorf("%w: kursor halaman", ErrInvalid)
	}
	var out RegPage
	err = s.view(func(tx *bbolt.Tx) error {
		prefix := cat([]byte(a.ScopeID), []byte{0})
		c := bk(tx, bUsersPending).Cursor()
		var last []byte
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			nip := k[len(prefix)+8:]
			var u User
			if err := getJSON(bk(tx, bUsers), nip, &u); err != nil {
				return fmt.Errorf("antrean registrasi %s: %w", nip, err)
			}
			if q != "" && !strings.Contains(strings.ToLower(u.Name), q) && !strings.Contains(u.NIP, qDigits) &&
				!strings.Contains(strings.ToLower(u.RegNo), strings.ToLower(qDigits)) {
				continue
			}
			out.Total++
			if len(after) > 0 && bytes.Compare(k, after) <= 0 {
				continue
			}
			if len(out.Items) < limit {
				out.Items = append(out.Items, RegItem{NIP: u.NIP, RegNo: u.RegNo, Name: u.Name, Email: u.Email, RegisteredAt: u.CreatedAt})
				last = bytes.Clone(k)
			} else if out.Next == "" {
				out.Next = encodeCursor(last)
			}
		}
		return nil
	})
	return out, err
}

// DecideRegistration activates or (with a reason) rejects a pending registration. Only a
// registration verifier of the PNS's instansi may, and never for their own NIP.
func (s *Store) DecideRegistration(a Actor, nip string, activate bool, reason string) (User, error) {
	if a.Role != RoleVerReg {
		return User{}, ErrForbidden
	}
	now := s.now()
	var out User
	err := s.update(func(tx *bbolt.Tx) error {
		var u User
		if err := getJSON(bk(tx, bUsers), []byte(nip), &u); err != nil || u.Role != RolePNS {
			return fmt.Errorf("registrasi %s: %w", nip, ErrNotFound)
		}
		if !mayDecideRegistration(a, u) {
			return ErrForbidden
		}
		if u.Status != StatusPending {
			return fmt.Errorf("%w: registrasi berstatus %s", ErrState, u.Status)
		}
		why := ""
		if !activate { // checked after the scope, so nobody out of scope learns anything
			var err error
			if why, err = NormalizeReason("alasan", reason, 300); err != nil {
				return err
			}
			if why == "" {
				return fieldErr("alasan", "Alasan penolakan wajib diisi, agar PNS tahu apa yang harus diperbaiki.")
			}
		}
		if err := bk(tx, bUsersPending).Delete(pendingKey(u.InstansiID, u.CreatedAt, nip)); err != nil {
			return err
		}
		u.DecidedBy, u.DecidedAt, u.Reason = a.Login, now, why
		kind := EventActivated
		if activate {
			u.Status = StatusActive
		} else {
			u.Status, kind = StatusRejected, EventRegRejected
		}
		if err := putJSON(bk(tx, bUsers), []byte(nip), u); err != nil {
			return err
		}
		if err := countPNS(tx, nip); err != nil {
			return err
		}
		out = u
		return appendEvent(tx, Event{At: now, Actor: a.Login, NIP: nip, Kind: kind, Detail: why})
	})
	return out, err
}
