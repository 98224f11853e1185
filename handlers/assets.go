package handlers

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"

	"pupns/views"
)

// Static files: each is served under its plain name (/static/app.css, cached for a few minutes
// and revalidated by ETag) and under a name carrying the first 8 bytes of its SHA-256
// (/static/app.3f2a9c1e5b7d0a42.css, cached for a year: a new build has new names). The pages name
// the hashed one (views.StaticURL). Text files are compressed once, at the best level, the first
// time a browser asks for them, and served from memory after that.

const (
	cacheHashed = "public, max-age=31536000, immutable"
	cachePlain  = "public, max-age=300"
	// criticalEnd ends the part of app.css inlined into every page's <head> (views.Assets).
	criticalEnd = "/* -- kritis: di atas baris ini -- */"
)

// asset is one static file in memory.
type asset struct {
	name, hashed string // "app.css", "app.3f2a9c1e5b7d0a42.css"
	etag         string
	ctype        string
	raw          []byte
	pack         sync.Once
	br, gz       []byte // nil: not worth compressing
}

// assetTable is every static file, by plain and by hashed name.
type assetTable struct {
	byName map[string]*asset
	urls   map[string]string
}

// loadAssets reads and hashes every file of fsys.
func loadAssets(fsys fs.FS) (*assetTable, error) {
	t := &assetTable{byName: map[string]*asset{}, urls: map[string]string{}}
	if fsys == nil {
		return t, nil
	}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(raw)
		hash := hex.EncodeToString(sum[:8])
		ext := path.Ext(p)
		a := &asset{name: p, hashed: strings.TrimSuffix(p, ext) + "." + hash + ext, etag: `"` + hash + `"`, raw: raw,
			ctype: staticType(ext)}
		t.byName[a.name], t.byName[a.hashed] = a, a
		t.urls[a.name] = "/static/" + a.hashed
		return nil
	})
	return t, err
}

// staticType is a static file's Content-Type by its extension.
func staticType(ext string) string {
	switch ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// criticalCSS is app.css up to the criticalEnd line ("" without the line), and the one rule from
// further down that must hold before the full sheet arrives: what needs JavaScript stays hidden.
func (t *assetTable) criticalCSS() string {
	a := t.byName["app.css"]
	if a == nil {
		return ""
	}
	head, _, found := bytes.Cut(a.raw, []byte(criticalEnd))
	if !found {
		return ""
	}
	css := cssComment.ReplaceAllString(string(head), "") + " .js-only { display: none; }"
	return strings.Join(strings.Fields(css), " ")
}

// cssComment is a CSS comment, dropped from the inlined style.
var cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)

// packed returns the file's brotli and gzip forms, made once at the best levels.
func (a *asset) packed() (br, gz []byte) {
	a.pack.Do(func() {
		if !compressible(a.ctype) || len(a.raw) < 200 {
			return
		}
		var b bytes.Buffer
		bw := brotli.NewWriterLevel(&b, brotli.BestCompression)
		_, _ = bw.Write(a.raw)
		_ = bw.Close()
		a.br = bytes.Clone(b.Bytes())
		b.Reset()
		gw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = gw.Write(a.raw)
		_ = gw.Close()
		a.gz = bytes.Clone(b.Bytes())
	})
	return a.br, a.gz
}

// serveStatic answers GET and HEAD under /static/: the file by either name, 304 when the browser
// holds the same version, compressed when the browser takes it.
func (h *Handler) serveStatic(c *fiber.Ctx) error {
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		return c.Next()
	}
	a := h.assets.byName[strings.TrimPrefix(c.Path(), "/static/")]
	if a == nil {
		return c.Next()
	}
	cache := cachePlain
	if strings.TrimPrefix(c.Path(), "/static/") == a.hashed {
		cache = cacheHashed
	}
	c.Set(fiber.HeaderCacheControl, cache)
	c.Set(fiber.HeaderETag, a.etag)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" && etagMatches(inm, a.etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, a.ctype)
	br, gz := a.packed()
	req := &c.Context().Request.Header
	switch {
	case br != nil && req.HasAcceptEncoding("br"):
		c.Set(fiber.HeaderContentEncoding, "br")
		return c.Send(br)
	case gz != nil && req.HasAcceptEncoding("gzip"):
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(gz)
	}
	return c.Send(a.raw)
}

// etagMatches reads If-None-Match: a list of tags (weak ones too, as a compressing proxy makes
// them) or "*".
func etagMatches(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}

// installAssets loads the static files and tells the views their URLs and the critical style.
func (h *Handler) installAssets() error {
	t, err := loadAssets(h.cfg.Static)
	if err != nil {
		return fmt.Errorf("reading the static files: %w", err)
	}
	h.assets = t
	views.SetAssets(views.Assets{URLs: t.urls, CriticalCSS: t.criticalCSS()})
	return nil
}
