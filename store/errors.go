package store

import (
	"errors"
	"fmt"
	"strings"
)

// Every error value and type the store returns. Callers test them with errors.Is and errors.As,
// never with == or a type assertion: the store wraps them with detail.

// Sentinel errors. Callers test them with errors.Is; wrapped errors carry the detail.
var (
	ErrNotFound    = errors.New("tidak ditemukan")
	ErrConflict    = errors.New("data sudah diubah orang lain")
	ErrForbidden   = errors.New("tidak berwenang")
	ErrLocked      = errors.New("formulir terkunci")
	ErrInvalid     = errors.New("data tidak valid")
	ErrState       = errors.New("langkah tidak diizinkan pada status ini")
	ErrIncomplete  = errors.New("belum lengkap")
	ErrBadPassword = errors.New("nama pengguna atau kata sandi salah")
	ErrInactive    = errors.New("akun belum aktif")
	// ErrAtHub: a Level 3/4 account tried to log in at an office linked to a BKN hub, where BKN's
	// verifiers never work (they log in at the hub).
	ErrAtHub        = errors.New("verifikator BKN masuk di hub BKN, bukan di kantor ini")
	ErrSchema       = errors.New("versi skema data tidak dikenal")
	ErrNotDemo      = errors.New("folder data berisi data yang bukan demo")
	ErrAlreadyExist = errors.New("sudah ada")
	ErrInUse        = errors.New("berkas data sedang dipakai proses pupns lain")
	// ErrDiskFull is a write refused because the data folder's filesystem has no room left
	// (ENOSPC or EDQUOT); the transaction was rolled back and nothing of it was saved (space.go).
	ErrDiskFull = errors.New("penyimpanan server penuh")
	// ErrDamaged is a value or page of the data file that fails its check (seal.go, check.go).
	ErrDamaged = errors.New("berkas data rusak")
	// ErrUnchanged is an autosaved value equal to the master value: no proposal (autosave.go).
	ErrUnchanged = errors.New("sama dengan data saat ini")
	// ErrNoReason is an autosaved changed value without a reason yet: not a proposal until the
	// PNS writes one or presses Simpan (autosave.go).
	ErrNoReason = errors.New("alasan perbaikan belum diisi")
	// ErrBKNHash is a document from an office whose bytes do not match its hash: never stored (bkn_hub.go).
	ErrBKNHash = errors.New("dokumen tidak cocok dengan hash-nya")
	// ErrBKNDocMissing is an office's submission whose documents have not arrived at the hub yet.
	ErrBKNDocMissing = errors.New("dokumen usulan belum tiba")
	// ErrBKNRefused is a message of the BKN link that does not fit (another hub's instansi, a
	// subject naming another instansi, a decision on lines not under review): never applied.
	ErrBKNRefused = errors.New("pesan BKN ditolak")
)

// ErrNoMatch is a recovery whose NIP, question or answers do not match; which one is never said.
var ErrNoMatch = errors.New("data pemulihan tidak cocok")

// errBadEntry is an inbox index value the decoder cannot read (inbox.go).
var errBadEntry = errors.New("inbox: entri indeks rusak")

// FieldError is a validation failure at one field, with a message for the person who typed it.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Is lets errors.Is(err, ErrInvalid) match every FieldError.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

func fieldErr(key, format string, a ...any) *FieldError {
	return &FieldError{Field: key, Message: fmt.Sprintf(format, a...)}
}

// asFieldError returns err as a *FieldError. The validators it wraps (ParseNIP, Field.Normalize)
// only return those; anything else still comes back as a problem at key rather than a panic.
func asFieldError(key string, err error) *FieldError {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe
	}
	return &FieldError{Field: key, Message: err.Error()}
}

// FieldErrors is every field problem of one form at once, so a person fixes them in one go.
type FieldErrors []*FieldError

func (fe FieldErrors) Error() string {
	parts := make([]string, len(fe))
	for i, e := range fe {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Is lets errors.Is(err, ErrInvalid) match.
func (fe FieldErrors) Is(target error) bool { return target == ErrInvalid }

// ByField returns the message for each field.
func (fe FieldErrors) ByField() map[string]string {
	out := map[string]string{}
	for _, e := range fe {
		if _, ok := out[e.Field]; !ok {
			out[e.Field] = e.Message
		}
	}
	return out
}

// AsFieldErrors turns a *FieldError or FieldErrors into FieldErrors; ok is false for other errors.
func AsFieldErrors(err error) (FieldErrors, bool) {
	var many FieldErrors
	if errors.As(err, &many) {
		return many, true
	}
	var one *FieldError
	if errors.As(err, &one) {
		return FieldErrors{one}, true
	}
	return nil, false
}

// IncompleteError lists everything that stops Kirim.
type IncompleteError struct{ Items []Missing }

func (e *IncompleteError) Error() string {
	var b strings.Builder
	for i, m := range e.Items {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(m.Label + ": " + m.Problem)
	}
	return "belum dapat dikirim: " + b.String()
}

// Is lets errors.Is(err, ErrIncomplete) match.
func (e *IncompleteError) Is(target error) bool { return target == ErrIncomplete }

// ImportRowError is one refused row of an import: its line in the file (counting the header as
// line 1), the NIP as written, the column at fault ("" for the row as a whole) and why, in Indonesian.
type ImportRowError struct {
	Line    int
	NIP     string
	Field   string
	Message string
}

func (e ImportRowError) Error() string {
	s := fmt.Sprintf("baris %d", e.Line)
	if e.NIP != "" {
		s += " (NIP " + e.NIP + ")"
	}
	if e.Field != "" {
		s += ", kolom " + e.Field
	}
	return s + ": " + e.Message
}

// ErrBusy is a password check or hash refused because the hashing pool and its queue are full
// (HashPool): the server is not broken, the person tries again in a few seconds.
var ErrBusy = errors.New("server sibuk melayani banyak login")
