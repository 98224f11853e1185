package views

// Props of the pages before and around login: registration, bukti registrasi, cek status,
// recovery, the account's password, the operator's PNS search, and the admin and registration
// verifier pages.

// Option is one entry of a select.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// Captcha is the captcha block: the image, its audio alternative and the refresh.
type Captcha struct {
	ID    string
	Error string
}

// RegFound is what Cari found in the master data.
type RegFound struct {
	NIP          string // 18 digits, sent back with the form
	NIPShown     string // with spaces
	Nama         string
	TempatLahir  string
	TanggalLahir string
	Instansi     string
}

// RegErrors are the messages at each field of the registration form.
type RegErrors struct {
	NIP, NIK, Email, Password, Password2, Ibu, Pertanyaan, Jawaban, Form string
}

// RegisterProps is the registration page; Found is nil until Cari found an unregistered NIP.
type RegisterProps struct {
	NIP       string
	NIPState  string // "", "tidak-ditemukan", "sudah-terdaftar" (with links), "salah" (format)
	Found     *RegFound
	NIK       string
	Email     string
	Ibu       string
	Questions []Option
	Jawaban   string
	Errors    RegErrors
	Captcha   *Captcha // nil when the captcha is switched off
}

// BuktiProps is the printable proof of registration.
type BuktiProps struct {
	RegNo    string
	NIP      string
	Nama     string
	Instansi string
	Tanggal  string
	Status   string
}

// CekStatusProps is the public status check.
type CekStatusProps struct {
	NIP      string
	Error    string
	Checked  bool
	State    string // "belum", "menunggu", "aktif", "ditolak", "nonaktif"
	Label    string
	Reason   string
	InMaster bool
}

// LupaProps is the recovery form, and after a match the nomor registrasi and the new-password form.
type LupaProps struct {
	NIP        string
	Questions  []Option
	Error      string
	NIPError   string
	Recovered  bool
	RegNo      string
	Nama       string
	PwError    string
	Pw2Error   string
	Expired    bool
	WaitNotice string
}

// PasswordProps is the logged-in account's own password change.
type PasswordProps struct {
	OldError string
	PwError  string
	Pw2Error string
}

// OperatorProps is the operator's search for a PNS in scope.
type OperatorProps struct {
	Scope string
	NIP   string
	Error string
}

// RegRow is one registration in the registration verifier's queue.
type RegRow struct {
	NIP      string // 18 digits, used in URLs
	NIPShown string
	RegNo    string
	Nama     string
	Email    string
	When     string
	Reason   string // typed reason when a rejection failed
	Error    string
}

// ActivationProps is the registration verifier's queue.
type ActivationProps struct {
	Scope string
	Query string
	Rows  []RegRow
	Total int
	Next  string
	First bool
}

// StaffRow is one staff account on the admin page.
type StaffRow struct {
	Login     string
	Name      string
	RoleLabel string
	Scope     string
	Status    string
	Active    bool
	Self      bool
	PwError   string
}

// StaffErrors are the messages of the new-account form.
type StaffErrors struct {
	Login, Nama, Peran, Lingkup, Password, Password2 string
}

// ScopeGroup is a group of scope options (SKPD, instansi, Kanreg) in the select.
type ScopeGroup struct {
	Label   string
	Options []Option
}

// StaffProps is the admin's accounts page.
type StaffProps struct {
	Rows   []StaffRow
	Login  string
	Nama   string
	Roles  []Option
	Scopes []ScopeGroup
	Errors StaffErrors
}

// InstansiRow is one instansi with its activation switch.
type InstansiRow struct {
	ID            string
	Nama          string
	ActivationOff bool
}

// InstansiProps is the admin's activation switch page.
type InstansiProps struct {
	Rows []InstansiRow
}
