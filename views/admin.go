package views

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
	Login, Name, Peran, Lingkup, Password, Password2 string
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
	Name   string
	Roles  []Option
	Scopes []ScopeGroup
	Errors StaffErrors
}

// InstansiRow is one instansi with its activation switch.
type InstansiRow struct {
	ID            string
	Name          string
	ActivationOff bool
}

// InstansiProps is the admin's activation switch page.
type InstansiProps struct {
	Rows []InstansiRow
}
