// Package e2e holds the browser tests: a real server on a loopback port, a real store in a
// temporary directory, and Chromium driven over the DevTools protocol (chromedp). They prove what
// the handler tests through app.Test cannot: that htmx really swaps the rows in place, that
// autosave really fires while typing, that every step also works with JavaScript switched off, and
// that inboxes and the tracking view update live (server-sent events) while other people act, and
// that every page of every role passes axe-core's WCAG 2.2 A/AA and best-practice rules at 1280 and
// 320 px (axe_test.go; axe-core is vendored in testdata/axe-core, never fetched).
//
// They need Chromium at /usr/bin/chromium (apt-get install chromium) and fail without it.
package e2e
