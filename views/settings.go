package views

// SettingsURL is the logged-in account's own settings page.
const SettingsURL = "/akun"

// ShortcutsURL saves a verifier's choice about the review page's single-key shortcuts.
const ShortcutsURL = "/akun/pintasan"

// SettingsProps is the account's own settings: the password link for everyone, and for a verifier
// whether the review page's single-key shortcuts are on.
type SettingsProps struct {
	Verifier  bool
	Shortcuts bool
}
