package views

// LoginProps is the login form.
type LoginProps struct {
	Login string
	Error string
	Next  string
}

// PasswordProps is the logged-in account's own password change.
type PasswordProps struct {
	OldError string
	PwError  string
	Pw2Error string
}
