package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// Compression levels for the pages, chosen for CPU on a small (2-core) server: brotli 4 and gzip 5
// squeeze a 90 KB page to about a quarter in well under a millisecond, where the best levels cost
// ten times more for a few per cent. Static files are compressed once, at the best level, when
// first asked for (assets.go), so they never pass through here again.
const (
	brotliLevel = fasthttp.CompressBrotliDefaultCompression // 4
	gzipLevel   = 5
)

// compressor is fasthttp's negotiation (br, then gzip, then deflate by Accept-Encoding); it sets
// Content-Encoding and Vary itself and leaves bodies under 200 bytes alone.
var compressor = fasthttp.CompressHandlerBrotliLevel(func(*fasthttp.RequestCtx) {}, brotliLevel, gzipLevel)

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
