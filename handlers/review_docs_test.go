package handlers

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"pupns/views"
)

// TestReviewShowsDocumentsBesideTheirLine: on the review page every line carries links to the
// documents attached to that proposal, inside the line's own block, and the link opens the
// document for the verifier who holds the submission (as a PDF, never as a page), not for a
// verifier of another SKPD.
func TestReviewShowsDocumentsBesideTheirLine(t *testing.T) {
	w := newWorld(t)
	id := kirimBudi(t, w) // nama and npwp, each with its documents
	v1 := w.as("v1-didik")
	page := v1.get(fmt.Sprintf("/verifikasi/%d", id)).body
	for _, field := range []string{"nama", "npwp"} {
		start := strings.Index(page, `id="`+views.LineID(field)+`"`)
		if start < 0 {
			t.Fatalf("no line %s on the review page", field)
		}
		block := page[start:]
		if end := strings.Index(block[1:], `class="line review`); end > 0 {
			block = block[:end]
		}
		links := regexp.MustCompile(`href="/dokumen/(\d+)"[^>]*id="lihat-dok-\d+"`).FindAllStringSubmatch(block, -1)
		if len(links) == 0 {
			t.Fatalf("line %s shows no document beside it", field)
		}
		r := v1.get("/dokumen/" + links[0][1])
		if r.status != fiber.StatusOK || r.header.Get("Content-Type") != "application/pdf" || r.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("opening %s's document: %d %q", field, r.status, r.header.Get("Content-Type"))
		}
		if r := w.as("v1-dinkes").get("/dokumen/" + links[0][1]); r.status != fiber.StatusForbidden {
			t.Fatalf("a verifier of another SKPD opened %s's document: %d", field, r.status)
		}
	}
}
