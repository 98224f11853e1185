package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.etcd.io/bbolt"
)

// Staff accounts (admin pages and `pupns user`), password changes, and the index of an
// account's logged-in sessions that lets a password change or logout end all of them.

// SystemActor is who the command line acts as: an admin of the server it runs on.
var SystemActor = Actor{Login: "sistem", Role: RoleAdmin, Name: "Baris perintah"}

// Scope kinds: what a staff role's ScopeID names in the organisation tree.
const (
	ScopeNone     = ""
	ScopeSKPD     = "skpd"     // a top-level unit organisasi (Level 1, operator)
	ScopeInstansi = "instansi" // Level 2, registration verifier
	ScopeKanreg   = "kanreg"   // Level 3
)

// ScopeKind says what kind of scope a role needs.
func ScopeKind(r Role) string {
	switch r {
	case RoleV1, RoleOperator:
		return ScopeSKPD
	case RoleV2, RoleVerReg:
		return ScopeInstansi
	case RoleV3:
		return ScopeKanreg
	}
	return ScopeNone
}

// StaffRoles are the roles an admin can give an account.
var StaffRoles = []Role{RoleAdmin, RoleVerReg, RoleV1, RoleV2, RoleV3, RoleV4, RoleOperator}

// StaffInput is the admin's new-account form.
type StaffInput struct {
	Login     string
	Name      string
	Role      Role
	ScopeID   string
	Password  string
	Password2 string
}

var loginRe = regexp.MustCompile(`^[a-z][a-z0-9._-]{2,31}$`)

// AddStaff creates a staff account. Only an admin may; every field problem comes back at once.
func (s *Store) AddStaff(a Actor, in StaffInput) (User, error) {
	if !mayAdminister(a) {
		return User{}, ErrForbidden
	}
	var bad FieldErrors
	add := func(err error) {
		if fe, ok := AsFieldErrors(err); ok {
			bad = append(bad, fe...)
		}
	}
	login := strings.TrimSpace(in.Login)
	switch {
	case login == "":
		add(fieldErr("login", "Nama pengguna wajib diisi."))
	case len(login) > 32:
		add(fieldErr("login", "Nama pengguna paling panjang 32 karakter."))
	case !loginRe.MatchString(login):
		add(fieldErr("login", "Nama pengguna diawali huruf kecil, lalu huruf kecil, angka, titik, garis bawah atau tanda hubung (3–32 karakter)."))
	}
	name, err := checkPersonName("nama", "Nama", in.Name)
	add(err)
	if !slices.Contains(StaffRoles, in.Role) {
		add(fieldErr("peran", "Pilih peran dari daftar."))
	} else if (in.Role == RoleV3 || in.Role == RoleV4) && s.LinkedToHub() {
		add(fieldErr("peran", "Kantor ini tersambung ke hub BKN: verifikator Level 3 dan 4 masuk di hub BKN (Kanreg atau BKN Pusat), bukan di kantor ini. Buat akunnya di hub."))
	}
	add(CheckNewPassword(in.Password, in.Password2, login))
	if len(bad) > 0 {
		return User{}, bad
	}
	hash, err := s.hashPassword(in.Password)
	if err != nil {
		return User{}, err
	}
	now := s.now()
	u := User{Login: login, Role: in.Role, Name: name, Hash: hash, ScopeID: strings.TrimSpace(in.ScopeID), Status: StatusActive, CreatedAt: now}
	err = s.update(func(tx *bbolt.Tx) error {
		if err := checkScope(tx, u.Role, u.ScopeID); err != nil {
			fe, _ := AsFieldErrors(err)
			return fe
		}
		if bk(tx, bUsers).Get([]byte(login)) != nil {
			return FieldErrors{fieldErr("login", "Nama pengguna %s sudah dipakai.", login)}
		}
		if err := putJSON(bk(tx, bUsers), []byte(login), u); err != nil {
			return err
		}
		return appendEvent(tx, Event{At: now, Actor: a.Login, Kind: EventStaffAdded, Detail: fmt.Sprintf("%s (%s, lingkup %q)", login, u.Role.Label(), u.ScopeID)})
	})
	return u, err
}

// Staff lists every account that is not a PNS, by login, without their hashes. It reads only the
// staff's key range (staffUsers), not the office's PNS accounts.
func (s *Store) Staff() ([]User, error) {
	var out []User
	err := s.view(func(tx *bbolt.Tx) (err error) {
		out, err = staffUsers(tx)
		return err
	})
	for i := range out {
		out[i].Hash = ""
	}
	return out, err
}

// DisableUser disables a staff account and ends its sessions. Only an admin, never their own.
func (s *Store) DisableUser(a Actor, login string) error {
	if !mayAdminister(a) {
		return ErrForbidden
	}
	now := s.now()
	return s.update(func(tx *bbolt.Tx) error {
		u, err := staffTarget(tx, a, login)
		if err != nil {
			return err
		}
		u.Status = StatusDisabled
		if err := putJSON(bk(tx, bUsers), []byte(login), u); err != nil {
			return err
		}
		if err := endSessions(tx, login, ""); err != nil {
			return err
		}
		return appendEvent(tx, Event{At: now, Actor: a.Login, Kind: EventStaffDisabled, Detail: login})
	})
}

// AdminResetPassword sets a new password on a staff account (staff reset through an admin) and
// ends its sessions.
func (s *Store) AdminResetPassword(a Actor, login, pw, pw2 string) error {
	if !mayAdminister(a) {
		return ErrForbidden
	}
	if err := CheckNewPassword(pw, pw2, login); err != nil {
		return err
	}
	hash, err := s.hashPassword(pw)
	if err != nil {
		return err
	}
	now := s.now()
	return s.update(func(tx *bbolt.Tx) error {
		u, err := staffTarget(tx, a, login)
		if err != nil {
			return err
		}
		u.Hash = hash
		if err := putJSON(bk(tx, bUsers), []byte(login), u); err != nil {
			return err
		}
		if err := endSessions(tx, login, ""); err != nil {
			return err
		}
		return appendEvent(tx, Event{At: now, Actor: a.Login, Kind: EventPasswordReset, Detail: login})
	})
}

// SetPassword gives an account a new password (after recovery, or the account's own change once
// the old one was checked) and ends every other session of it; keep is the session that stays.
func (s *Store) SetPassword(login, pw, pw2, keep string) error {
	u, err := s.User(login)
	if err != nil {
		return err
	}
	nik := ""
	if u.NIP != "" {
		if rec, err := s.Record(u.NIP); err == nil {
			nik = rec.Fields[KeyNIK]
		}
	}
	if err := CheckNewPassword(pw, pw2, login, u.NIP, nik, u.RegNo); err != nil {
		return err
	}
	hash, err := s.hashPassword(pw)
	if err != nil {
		return err
	}
	now := s.now()
	return s.update(func(tx *bbolt.Tx) error {
		var u User
		if err := getJSON(bk(tx, bUsers), []byte(login), &u); err != nil {
			return err
		}
		u.Hash = hash
		if err := putJSON(bk(tx, bUsers), []byte(login), u); err != nil {
			return err
		}
		if err := endSessions(tx, login, keep); err != nil {
			return err
		}
		return appendEvent(tx, Event{At: now, Actor: login, NIP: u.NIP, Kind: EventPasswordChanged})
	})
}

// ChangePassword checks the account's current password, then sets the new one as SetPassword does.
func (s *Store) ChangePassword(login, old, pw, pw2, keep string) error {
	u, err := s.User(login)
	if err != nil {
		return err
	}
	ok, err := s.checkPasswords([2]string{u.Hash, old})
	if err != nil {
		return err
	}
	if !ok {
		return fieldErr("sandi_lama", "Kata sandi saat ini salah.")
	}
	return s.SetPassword(login, pw, pw2, keep)
}

// SetActivationOff switches registration activation off (accounts active at once) or on for an instansi.
func (s *Store) SetActivationOff(a Actor, instansiID string, off bool) error {
	if !mayAdminister(a) {
		return ErrForbidden
	}
	now := s.now()
	return s.update(func(tx *bbolt.Tx) error {
		var in Instansi
		if err := getJSON(bk(tx, bInstansi), []byte(instansiID), &in); err != nil {
			return fmt.Errorf("instansi %q: %w", instansiID, err)
		}
		in.ActivationOff = off
		if err := putJSON(bk(tx, bInstansi), []byte(instansiID), in); err != nil {
			return err
		}
		return appendEvent(tx, Event{At: now, Actor: a.Login, Kind: EventActivationSetting, Detail: fmt.Sprintf("%s: aktivasi dimatikan=%v", instansiID, off)})
	})
}

// AllInstansi lists every instansi by id.
func (s *Store) AllInstansi() ([]Instansi, error) {
	var out []Instansi
	err := s.view(func(tx *bbolt.Tx) error {
		return bk(tx, bInstansi).ForEach(func(_, v []byte) error {
			var in Instansi
			if err := json.Unmarshal(v, &in); err != nil {
				return err
			}
			out = append(out, in)
			return nil
		})
	})
	return out, err
}

func sessKey(login, sid string) []byte { return cat([]byte(login), []byte{0}, []byte(sid)) }

// TrackSession records that session sid is logged in as login, so that a password change or a
// logout can end every session of the account.
func (s *Store) TrackSession(login, sid string) error {
	if login == "" || sid == "" {
		return nil
	}
	return s.update(func(tx *bbolt.Tx) error { return bk(tx, bSessLogin).Put(sessKey(login, sid), nil) })
}

// EndSessions deletes every session of login except keep ("" ends them all).
func (s *Store) EndSessions(login, keep string) error {
	return s.update(func(tx *bbolt.Tx) error { return endSessions(tx, login, keep) })
}

func endSessions(tx *bbolt.Tx, login, keep string) error {
	p := cat([]byte(login), []byte{0})
	idx, sess := bk(tx, bSessLogin), bk(tx, bSessions)
	c := idx.Cursor()
	var keys [][]byte
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		if string(k[len(p):]) != keep {
			keys = append(keys, bytes.Clone(k))
		}
	}
	for _, k := range keys {
		if err := sess.Delete(k[len(p):]); err != nil {
			return err
		}
		if err := idx.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// SessionsOf counts the sessions still stored for login (tests and the admin's view).
func (s *Store) SessionsOf(login string) (n int, err error) {
	err = s.view(func(tx *bbolt.Tx) error {
		p := cat([]byte(login), []byte{0})
		c := bk(tx, bSessLogin).Cursor()
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			if bk(tx, bSessions).Get(k[len(p):]) != nil {
				n++
			}
		}
		return nil
	})
	return n, err
}

// SweepSessionIndex drops index entries whose session has expired and been swept.
func (s *Store) SweepSessionIndex() (n int, err error) {
	err = s.update(func(tx *bbolt.Tx) error {
		n = 0
		idx, sess := bk(tx, bSessLogin), bk(tx, bSessions)
		var dead [][]byte
		err := idx.ForEach(func(k, _ []byte) error {
			if i := bytes.IndexByte(k, 0); i >= 0 && sess.Get(k[i+1:]) == nil {
				dead = append(dead, bytes.Clone(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range dead {
			if err := idx.Delete(k); err != nil {
				return err
			}
		}
		n = len(dead)
		return nil
	})
	return n, err
}

// CanonicalLogin is the account a typed login name means, for rate limiting: a nomor
// registrasi and a NIP typed with spaces both mean the NIP, so guesses cannot be spread over
// the spellings of one account. Unknown names are returned trimmed and lower-cased.
func (s *Store) CanonicalLogin(login string) string {
	login = strings.TrimSpace(login)
	if nip, err := NormalizeNIPInput(login); err == nil {
		return nip
	}
	out := strings.ToLower(login)
	_ = s.view(func(tx *bbolt.Tx) error {
		if bk(tx, bUsers).Get([]byte(login)) != nil {
			out = login
		} else if nip := bk(tx, bUsersRegNo).Get([]byte(NormalizeRegNo(login))); nip != nil {
			out = string(nip)
		}
		return nil
	})
	return out
}

// SetShortcuts turns the review page's single-key shortcuts on or off for a verifier's own
// account. They are off until the verifier asks (WCAG 2.1.4: a key that acts must be one the
// user chose), and only verifiers have a review page to use them on.
func (s *Store) SetShortcuts(login string, on bool) error {
	return s.update(func(tx *bbolt.Tx) error {
		var u User
		if err := getJSON(bk(tx, bUsers), []byte(login), &u); err != nil {
			return err
		}
		if u.Role.Level() == 0 {
			return ErrForbidden
		}
		u.Shortcuts = on
		return putJSON(bk(tx, bUsers), []byte(login), u)
	})
}
