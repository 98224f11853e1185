package store

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.etcd.io/bbolt"
	"golang.org/x/crypto/argon2"
)

// Role is what an account may do (DOMAIN.md "People and their rooms").
type Role string

// The roles an account can have; the value is stored in User.Role.
const (
	RolePNS      Role = "pns"
	RoleAdmin    Role = "admin"
	RoleVerReg   Role = "verifikator_registrasi"
	RoleV1       Role = "verifikator_1"
	RoleV2       Role = "verifikator_2"
	RoleV3       Role = "verifikator_3"
	RoleV4       Role = "verifikator_4"
	RoleOperator Role = "operator"
)

// Roles lists every role with its Indonesian name.
var Roles = []struct {
	Role  Role
	Label string
}{
	{RolePNS, "PNS"}, {RoleAdmin, "Admin"}, {RoleVerReg, "Verifikator Registrasi"},
	{RoleV1, "Verifikator Level 1 (SKPD)"}, {RoleV2, "Verifikator Level 2 (BKD)"},
	{RoleV3, "Verifikator Level 3 (Kanreg BKN)"}, {RoleV4, "Verifikator Level 4 (BKN Pusat)"},
	{RoleOperator, "Operator"},
}

// Label is the role's Indonesian name.
func (r Role) Label() string {
	for _, x := range Roles {
		if x.Role == r {
			return x.Label
		}
	}
	return string(r)
}

// Level is the verification level a verifier role decides at (0 for other roles).
func (r Role) Level() int {
	switch r {
	case RoleV1:
		return 1
	case RoleV2:
		return 2
	case RoleV3:
		return 3
	case RoleV4:
		return 4
	}
	return 0
}

// Actor is whoever makes a call: the logged-in account.
type Actor struct {
	Login   string
	Role    Role
	ScopeID string
	NIP     string // the PNS's own NIP when Role is RolePNS
	Name    string
}

// ActorOf makes the Actor for an account.
func ActorOf(u User) Actor {
	return Actor{Login: u.Login, Role: u.Role, ScopeID: u.ScopeID, NIP: u.NIP, Name: u.Name}
}

// Account states.
const (
	StatusActive   = "aktif"
	StatusPending  = "menunggu"
	StatusRejected = "ditolak"
	StatusDisabled = "nonaktif"
)

// User is an account. Staff log in by Login (a username); a PNS's Login is the NIP and they may
// also log in with RegNo. ScopeID places a staff account in the organisation tree: the SKPD unit
// for Level 1 and operators, the instansi for Level 2 and registration verifiers, the Kanreg for
// Level 3, empty for Level 4 and admins.
type User struct {
	Login     string    `json:"login"`
	Role      Role      `json:"role"`
	Name      string    `json:"name"`
	Hash      string    `json:"hash"`
	ScopeID   string    `json:"scope_id,omitempty"`
	NIP       string    `json:"nip,omitempty"`
	RegNo     string    `json:"regno,omitempty"`
	Status    string    `json:"status"`
	Reason    string    `json:"reason,omitempty"`
	CreatedAt time.Time `json:"created_at"`

	// Set by registration (PNS only): the instansi whose registration verifiers activate the
	// account, the e-mail, the chosen security question and the argon2id hashes of its answer and
	// of the mother's maiden name (both normalised: lower case, single spaces).
	Email      string    `json:"email,omitempty"`
	InstansiID string    `json:"instansi_id,omitempty"`
	Question   string    `json:"question,omitempty"`
	AnswerHash string    `json:"answer_hash,omitempty"`
	MotherHash string    `json:"mother_hash,omitempty"`
	DecidedBy  string    `json:"decided_by,omitempty"`
	DecidedAt  time.Time `json:"decided_at,omitzero"`

	// Shortcuts: a verifier turned the review page's single-key shortcuts on (SetShortcuts). Off
	// by default, so a stray key or a speech-input word never decides a line (WCAG 2.1.4).
	Shortcuts bool `json:"shortcuts,omitempty"`
}

// Argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane). A login costs ~20 ms of one core,
// which keeps a deadline-day login storm from exhausting memory while still slowing guessing.
// argonTime and argonMemory are variables only so that tests can make hashing cheap
// (SetPasswordCostForTesting); production code never changes them.
var (
	argonTime   uint32 = 2
	argonMemory uint32 = 19 * 1024
)

const (
	argonThreads = 1
	argonKeyLen  = 32
)

// SetPasswordCostForTesting sets the argon2id passes and memory (KiB) of the hashes HashPassword
// makes from now on. It is for tests only, where hundreds of logins at the production cost
// dominate the run: call it before any goroutine hashes (from TestMain). CheckPassword reads the
// parameters from the hash, so hashes made before or after keep working.
func SetPasswordCostForTesting(passes, memoryKiB uint32) {
	argonTime, argonMemory = passes, memoryKiB
}

// HashPassword hashes a password with argon2id and a random salt, in PHC string form.
func HashPassword(pw string) string {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic(err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", argonMemory, argonTime, argonThreads, enc.EncodeToString(salt), enc.EncodeToString(key))
}

// CheckPassword compares a password with a hash made by HashPassword, in constant time.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is compared against when a login is unknown, so that unknown and known logins take as
// long. It is made on first use, not at start-up.
var dummyHash = sync.OnceValue(func() string { return HashPassword("pupns-dummy-password") })

// PutUsers creates or replaces accounts with already-hashed passwords, in one transaction.
func (s *Store) PutUsers(us []User) error {
	now := s.now()
	return s.update(func(tx *bbolt.Tx) error { return putUsersTx(tx, us, now) })
}

// putUsersTx is PutUsers in the caller's transaction (PutMasterBulk writes accounts with records).
func putUsersTx(tx *bbolt.Tx, us []User, now time.Time) error {
	for _, u := range us {
		if u.Login == "" || u.Hash == "" || u.Role == "" {
			return fmt.Errorf("%w: akun butuh login, sandi dan peran", ErrInvalid)
		}
		if u.Status == "" {
			u.Status = StatusActive
		}
		if u.CreatedAt.IsZero() {
			u.CreatedAt = now
		}
		var prev User
		if getJSON(bk(tx, bUsers), []byte(u.Login), &prev) == nil && prev.Status == StatusPending {
			if err := bk(tx, bUsersPending).Delete(pendingKey(prev.InstansiID, prev.CreatedAt, prev.Login)); err != nil {
				return err
			}
		}
		if u.Role == RolePNS && u.Status == StatusPending && u.InstansiID != "" {
			if err := bk(tx, bUsersPending).Put(pendingKey(u.InstansiID, u.CreatedAt, u.Login), nil); err != nil {
				return err
			}
		}
		if err := putJSON(bk(tx, bUsers), []byte(u.Login), u); err != nil {
			return err
		}
		if err := countPNS(tx, u.Login); err != nil {
			return err
		}
		if u.RegNo != "" {
			if err := bk(tx, bUsersRegNo).Put([]byte(u.RegNo), []byte(u.Login)); err != nil {
				return err
			}
		}
	}
	return nil
}

// User returns an account by login.
func (s *Store) User(login string) (User, error) {
	var u User
	err := s.view(func(tx *bbolt.Tx) error {
		v, err := getCached[User](tx, bUsers, []byte(login))
		if err == nil {
			u = *v
		}
		return err
	})
	return u, err
}

// Authenticate finds the account for a login (username, NIP or nomor registrasi) and checks the
// password on the hashing pool (ErrBusy when it is full). Unknown login and wrong password give
// the same ErrBadPassword after the same work; an account that is not active gives ErrInactive
// with the account, so the page can say why. At an office linked to a BKN hub a Level 3/4 account
// (one made before the link) is refused with ErrAtHub: BKN's verifiers work at the hub.
func (s *Store) Authenticate(login, password string) (User, error) {
	login = strings.TrimSpace(login)
	if len(login) == 18 || strings.Contains(login, " ") {
		login = stripSeparators(login, " ")
	}
	var u User
	linked := false
	err := s.view(func(tx *bbolt.Tx) error {
		linked = linkedToHub(tx)
		if err := getJSON(bk(tx, bUsers), []byte(login), &u); err == nil {
			return nil
		}
		if nip := bk(tx, bUsersRegNo).Get([]byte(strings.ToUpper(login))); nip != nil {
			return getJSON(bk(tx, bUsers), nip, &u)
		}
		return ErrNotFound
	})
	if errors.Is(err, ErrDamaged) { // not a wrong password: the account cannot be read
		return User{}, err
	}
	if err != nil {
		u = User{} // unknown: the dummy hash is compared, on the pool, so the time says nothing
	}
	ok, herr := s.checkPasswords([2]string{u.Hash, password})
	if herr != nil {
		return User{}, herr
	}
	if !ok {
		return User{}, ErrBadPassword
	}
	if u.Status != StatusActive {
		return u, ErrInactive
	}
	if linked && (u.Role == RoleV3 || u.Role == RoleV4) {
		return u, ErrAtHub
	}
	return u, nil
}

// CountUsers returns how many accounts there are per role, decoding every account (a scan: the
// demo's check and the test of AccountsByRole use it; pages use AccountsByRole).
func (s *Store) CountUsers() (map[Role]int, error) {
	out := map[Role]int{}
	err := s.view(func(tx *bbolt.Tx) error {
		return bk(tx, bUsers).ForEach(func(_, v []byte) error {
			var u User
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			out[u.Role]++
			return nil
		})
	})
	return out, err
}
