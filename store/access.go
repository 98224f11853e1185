package store

import (
	"bytes"
	"fmt"

	"go.etcd.io/bbolt"
)

// Who may do what: one function per question. Every check that reads runs in the transaction of
// the read or write it guards, so what was checked is what is changed.

// The PNS's form: the PNS themself, or an operator acting for them.

// couldActFor says, before anything is read, whether the actor could act for the PNS at all: the
// PNS themself, or an operator with a scope (whose scope mayActForTx checks in the transaction).
func couldActFor(a Actor, nip string) bool {
	switch a.Role {
	case RolePNS:
		return a.NIP == nip
	case RoleOperator:
		return a.ScopeID != ""
	}
	return false
}

// mayActForTx says whether the actor may see and change the PNS's form: the PNS themself, or an
// operator whose SKPD the PNS's unit falls under, read in the caller's transaction (opening a
// second read transaction there could deadlock against a writer waiting to grow the file).
func mayActForTx(tx *bbolt.Tx, a Actor, nip string) bool {
	switch a.Role {
	case RolePNS:
		return a.NIP == nip
	case RoleOperator:
		return operatorInScope(tx, a, nip)
	}
	return false
}

// MayActFor is mayActForTx in a read transaction of its own, for handlers that must refuse before
// they read anything.
func (s *Store) MayActFor(a Actor, nip string) bool {
	if !couldActFor(a, nip) {
		return false
	}
	ok := false
	_ = s.view(func(tx *bbolt.Tx) error { ok = mayActForTx(tx, a, nip); return nil })
	return ok
}

// operatorInScope tells whether the PNS's unit falls under the operator's SKPD.
func operatorInScope(tx *bbolt.Tx, a Actor, nip string) bool {
	if a.Role != RoleOperator || a.ScopeID == "" {
		return false
	}
	var rec Record
	if getJSON(bk(tx, bRecords), []byte(nip), &rec) != nil {
		return false
	}
	var u Unit
	if getJSON(bk(tx, bUnits), []byte(rec.UnitID), &u) != nil {
		return false
	}
	return u.SKPDID == a.ScopeID
}

// onBehalf is the NIP a change is made for when the actor is not that PNS (an operator).
func onBehalf(a Actor, nip string) string {
	if a.NIP != nip {
		return nip
	}
	return ""
}

// Verifiers: in scope, at the submission's level, and never on a form they acted on.

// mayVerify says whether a verifier may see and decide a submission at its current level.
func mayVerify(a Actor, s Submission) bool {
	lv := a.Role.Level()
	if lv == 0 || lv != s.State.Level() {
		return false
	}
	if a.Login == s.NIP || a.Login == s.SentBy || (a.NIP != "" && a.NIP == s.NIP) {
		return false
	}
	return a.ScopeID == s.inboxScope(lv)
}

// verifierCheck says why a verifier may not act on a submission now, or nil when they may: it
// must wait at their level in their scope, and they must not have made, sent or proposed for it
// (verifyRefusal words the refusal without telling an outsider the submission's state).
func verifierCheck(tx *bbolt.Tx, a Actor, s Submission) error {
	if mayVerify(a, s) && !actedOn(tx, a, s.NIP) {
		return nil
	}
	return verifyRefusal(tx, a, s)
}

// mayRead says whether an actor may read a submission: its PNS (or their operator), or a verifier
// of its current level in scope.
func mayRead(tx *bbolt.Tx, a Actor, sub Submission) bool {
	return mayActForTx(tx, a, sub.NIP) || mayVerify(a, sub)
}

// actedKinds are the events that make their actor a party to the PNS's form.
var actedKinds = map[string]bool{EventPropose: true, EventConfirm: true, EventWithdraw: true, EventKirim: true}

// actedOn tells whether the account changed or sent this PNS's form (as an operator, or before a
// change of role): whoever made a proposal, or made it on someone's behalf, never decides it.
func actedOn(tx *bbolt.Tx, a Actor, nip string) bool {
	c := bk(tx, bEventsNIP).Cursor()
	p := []byte(nip)
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		e, err := getEvent(bk(tx, bEvents), k[len(p):])
		if err != nil {
			continue
		}
		if e.Actor == a.Login && actedKinds[e.Kind] {
			return true
		}
	}
	return false
}

// verifyRefusal is why a verifier may not decide or forward a submission. Only a verifier who
// would hold it (their level's scope is the submission's) and did not act on it learns that it
// has moved on (ErrState, e.g. a second click on Teruskan); everyone else gets ErrForbidden and
// learns nothing about a submission outside their scope.
func verifyRefusal(tx *bbolt.Tx, a Actor, sub Submission) error {
	lv := a.Role.Level()
	if lv == 0 || actedOn(tx, a, sub.NIP) || a.Login == sub.SentBy || (a.NIP != "" && a.NIP == sub.NIP) {
		return ErrForbidden
	}
	if holdsInScope(a, sub) && sub.State.Level() != lv {
		return fmt.Errorf("%w: usulan berstatus %s", ErrState, sub.State.Label())
	}
	return ErrForbidden
}

// holdsInScope tells whether a submission belongs to the verifier's scope at the verifier's level
// (it passes or will pass through their inbox): only then may a refusal say that it is elsewhere.
func holdsInScope(a Actor, sub Submission) bool {
	switch lv := a.Role.Level(); lv {
	case 1, 2:
		return sub.inboxScope(lv) == a.ScopeID
	case 3:
		return sub.BKNLevel == 3 && sub.KanregID != "" && sub.KanregID == a.ScopeID
	case 4:
		return sub.BKNLevel == 4 && a.ScopeID == ""
	}
	return false
}

// The record and its history.

// mayViewRecord says whether an actor may see a PNS's record and its history: the PNS themself, or
// a verifier whose scope holds the PNS (Level 1: the SKPD of the unit; Level 2: the instansi;
// Level 3: the Kanreg of an instansi daerah; Level 4: an instansi pusat).
func mayViewRecord(tx *bbolt.Tx, a Actor, r Record) bool {
	if mayActForTx(tx, a, r.NIP) {
		return true
	}
	var in Instansi
	switch a.Role.Level() {
	case 1:
		var u Unit
		return getJSON(bk(tx, bUnits), []byte(r.UnitID), &u) == nil && u.SKPDID == a.ScopeID
	case 2:
		return r.InstansiID == a.ScopeID
	case 3:
		return getJSON(bk(tx, bInstansi), []byte(r.InstansiID), &in) == nil && in.Jenis == "daerah" && in.KanregID == a.ScopeID
	case 4:
		return getJSON(bk(tx, bInstansi), []byte(r.InstansiID), &in) == nil && in.Jenis == "pusat"
	}
	return false
}

// Registration verifiers.

// mayQueueRegistrations says whether the actor is a registration verifier with an instansi.
func mayQueueRegistrations(a Actor) bool { return a.Role == RoleVerReg && a.ScopeID != "" }

// mayDecideRegistration says whether the actor may activate or reject the PNS account u: a
// registration verifier of its instansi, never for their own NIP.
func mayDecideRegistration(a Actor, u User) bool {
	return a.Role == RoleVerReg && u.InstansiID == a.ScopeID && a.NIP != u.Login && a.Login != u.Login
}

// Admins.

// mayAdminister says whether the actor may manage accounts and instansi settings.
func mayAdminister(a Actor) bool { return a.Role == RoleAdmin }

// staffTarget reads a staff account an admin acts on (not their own, not a PNS).
func staffTarget(tx *bbolt.Tx, a Actor, login string) (User, error) {
	var u User
	if err := getJSON(bk(tx, bUsers), []byte(login), &u); err != nil {
		return u, fmt.Errorf("akun %q: %w", login, err)
	}
	if u.Role == RolePNS {
		return u, fmt.Errorf("%w: akun PNS dipulihkan lewat Lupa nomor registrasi", ErrForbidden)
	}
	if u.Login == a.Login {
		return u, fmt.Errorf("%w: akun sendiri", ErrForbidden)
	}
	return u, nil
}

// checkScope checks that id names a scope of the kind the role needs, in the same transaction.
func checkScope(tx *bbolt.Tx, r Role, id string) error {
	switch ScopeKind(r) {
	case ScopeSKPD:
		var u Unit
		if id == "" || getJSON(bk(tx, bUnits), []byte(id), &u) != nil {
			return fieldErr("lingkup", "Pilih SKPD (unit organisasi tingkat teratas) dari daftar.")
		}
		if !u.IsSKPD() {
			return fieldErr("lingkup", "%s bukan SKPD: pilih unit organisasi tingkat teratas.", u.Name)
		}
	case ScopeInstansi:
		if id == "" || bk(tx, bInstansi).Get([]byte(id)) == nil {
			return fieldErr("lingkup", "Pilih instansi dari daftar.")
		}
	case ScopeKanreg:
		if !Kanregs.Has(id) {
			return fieldErr("lingkup", "Pilih Kanreg BKN dari daftar.")
		}
	default:
		if id != "" {
			return fieldErr("lingkup", "Peran ini tidak memakai lingkup.")
		}
	}
	return nil
}
