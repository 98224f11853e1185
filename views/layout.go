// Package views holds pupns's templ components. They only display what they are given: every
// component takes a small props struct built by a handler; nothing here reads the store.
package views

// Meta is what every full page needs: its title, the CSRF token, who is logged in and a flash message.
type Meta struct {
	Title string
	CSRF  string
	User  *UserBar
	Flash string
	// Live is the server-sent-event stream the page listens to ("" for none): elements with
	// sse-swap take its events (the navigation's inbox count, an inbox list, a tracking view).
	Live string
	// Phase is the campaign's current window for a PNS or verifier (nil: no schedule concerns them).
	Phase *PhaseLine
	// Refresh, when above zero, reloads the page after that many seconds (a progress page that
	// follows a job without JavaScript).
	Refresh int
	// Scripts loads htmx and app.js (and the SSE extension when Live is set). Pages that work as
	// plain HTML and gain nothing from them (the login page, the public pages) leave it off and
	// stay light on a weak link: htmx alone is 16 KB compressed.
	Scripts bool
}

// UserBar names the logged-in account in the header.
type UserBar struct {
	Name       string
	RoleLabel  string
	Home       string
	InboxURL   string
	InboxCount int // how many wait in the verifier's inbox (shown with InboxURL)
	SummaryURL string
	Links      []NavLink // the role's other rooms (accounts, activation, operator) and the password page
}

// NavLink is one link of the header.
type NavLink struct {
	ID    string
	Label string
	URL   string
}

// ErrorProps is an error page.
type ErrorProps struct {
	Status  int
	Message string
	// Title replaces the status's own heading ("" keeps it): a step outside the campaign's
	// schedule is refused with 403 but is not a matter of authority.
	Title string
	// Code is the request's id, shown as "kode galat" so the help desk can find the log line.
	Code string
}

// Option is one entry of a select.
type Option struct {
	Value    string
	Label    string
	Selected bool
}
