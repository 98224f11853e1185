// Package static holds the files the browser loads (htmx 2, its SSE extension, the style sheet and
// a few lines of glue), embedded into the binary: nothing is fetched from a CDN.
package static

import "embed"

// FS is every static file, served under /static/.
//
//go:embed *.js *.css
var FS embed.FS
