package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// Pages are compressed with gzip at level 5, chosen for CPU on a small (2-core) server: measured
// on a PNS's /data (21 KB of HTML), gzip 5 makes 3.97 KB in about 0.2 ms, where brotli needs level
// 4 and 2.5 times the CPU (0.5 ms) for 3.90 KB, and gzip 9 twice the CPU for 0.8 % less
// (BenchmarkCompressedPage). Brotli pays off only where it is done once: the static files are
// compressed at the best brotli and gzip levels when first asked for (assets.go) and never pass
// through here.
const gzipLevel = 5

// compressor is fasthttp's negotiation (gzip, else deflate, by Accept-Encoding); it sets
// Content-Encoding and Vary itself and leaves bodies under 200 bytes alone.
var compressor = fasthttp.CompressHandlerLevel(func(*fasthttp.RequestCtx) {}, gzipLevel)

// compressResponses compresses what the handlers answer when it is text a browser reads (HTML,
// CSS, JavaScript, SVG, JSON, plain text), never a document or an image that is already compressed
// (PDF, JPEG, PNG, the spreadsheet), never a streamed body (an event stream must reach the browser
// event by event, not sit in a compressor's buffer; a streamed download keeps its own pace), and
// never what is already encoded.
func compressResponses(c *fiber.Ctx) error {
	err := c.Next()
	if err != nil || c.Method() == fiber.MethodHead {
		return err
	}
	resp := c.Response()
	// The stream check comes first: a streamed body is never read here (text/event-stream is not
	// in the list either, twice safe).
	if resp.IsBodyStream() || len(resp.Header.Peek(fiber.HeaderContentEncoding)) > 0 || !compressible(string(resp.Header.ContentType())) {
		return nil
	}
	compressor(c.Context())
	return nil
}

// compressible tells whether a Content-Type is text worth compressing.
func compressible(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	switch strings.TrimSpace(strings.ToLower(mt)) {
	case "text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml",
		"application/json", "text/plain", "text/csv":
		return true
	}
	return false
}
