package views

import (
	"strings"
	"sync/atomic"
)

// Assets is how the pages name the static files: each file's content-hashed URL
// (/static/app.3f2a9c1e.css, cached by browsers for a year) and the critical part of the style
// sheet, inlined into every page's <head> so the page lays out before the full sheet arrives.
// The handlers compute it from the embedded files at start (handlers/assets.go) and hand it over
// with SetAssets; until then (a view rendered alone, in a test) the plain URLs are used.
type Assets struct {
	URLs        map[string]string // file name ("app.css") → its hashed URL
	CriticalCSS string
}

var assets atomic.Pointer[Assets]

// SetAssets installs the static files' URLs and critical style; the handlers call it at start.
// Every app of one binary serves the same embedded files, so the last call is as good as the first.
func SetAssets(a Assets) { assets.Store(&a) }

// StaticURL is the URL of the static file name ("app.css", "verify.js"): the hashed one when
// known, else the plain /static/<name>, which is always served too (with a short cache).
func StaticURL(name string) string {
	if a := assets.Load(); a != nil {
		if u, ok := a.URLs[name]; ok {
			return u
		}
	}
	return "/static/" + name
}

// criticalCSS is the style inlined in <head>; "</" cannot occur in it (it would end the element).
func criticalCSS() string {
	a := assets.Load()
	if a == nil {
		return ""
	}
	return strings.ReplaceAll(a.CriticalCSS, "</", `<\/`)
}
