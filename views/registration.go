package views

// RegFound is what Cari found in the master data.
type RegFound struct {
	NIP          string // 18 digits, sent back with the form
	NIPShown     string // with spaces
	Name         string
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
	Name     string
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
	Name       string
	PwError    string
	Pw2Error   string
	Expired    bool
	WaitNotice string
}
