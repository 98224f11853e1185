package handlers

import (
	"io"
	"log/slog"
	"net/url"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"pupns/static"
	"pupns/store/storetest"
)

// BenchmarkCompressedPage: what compressing costs a page, against the same page sent plain in the
// same run (the baseline). GET /data of a logged-in PNS goes through the real app's handler (no
// network, no client's CPU); each sub-benchmark reports the bytes sent (B/page). The ratio
// gzip ÷ plain in ns/op is the price of compressResponses' gzip 5 on a small server.
func BenchmarkCompressedPage(b *testing.B) {
	o := storetest.NewOffice(b)
	handler := New(o.Store, Config{Static: static.FS, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).App().Handler()
	call := func(method, path string, cookies map[string]string, form url.Values, accept string) *fasthttp.RequestCtx {
		var ctx fasthttp.RequestCtx
		ctx.Request.Header.SetMethod(method)
		ctx.Request.SetRequestURI(path)
		ctx.Request.Header.SetHost("example.com")
		if accept != "" {
			ctx.Request.Header.Set("Accept-Encoding", accept)
		}
		for k, v := range cookies {
			ctx.Request.Header.SetCookie(k, v)
		}
		if form != nil {
			ctx.Request.Header.SetContentType("application/x-www-form-urlencoded")
			ctx.Request.SetBodyString(form.Encode())
		}
		handler(&ctx)
		ctx.Response.Header.VisitAllCookie(func(k, v []byte) {
			var ck fasthttp.Cookie
			if ck.ParseBytes(v) == nil && cookies != nil {
				cookies[string(k)] = string(ck.Value())
			}
		})
		return &ctx
	}
	cookies := map[string]string{}
	m := csrfRe.FindSubmatch(call("GET", "/masuk", cookies, nil, "").Response.Body())
	if m == nil {
		b.Fatal("no CSRF token on /masuk")
	}
	if r := call("POST", "/masuk", cookies, url.Values{"login": {nipBudi}, "password": {pw}, "_csrf": {string(m[1])}}, ""); r.Response.StatusCode() != fiber.StatusSeeOther {
		b.Fatalf("login: %d", r.Response.StatusCode())
	}
	for _, tc := range []struct{ name, accept string }{{"plain", ""}, {"gzip", "gzip, deflate, br"}} {
		b.Run(tc.name, func(b *testing.B) {
			var size int
			for b.Loop() {
				r := call("GET", "/data", cookies, nil, tc.accept)
				if r.Response.StatusCode() != 200 {
					b.Fatalf("GET /data: %d", r.Response.StatusCode())
				}
				size = len(r.Response.Body())
			}
			b.ReportMetric(float64(size), "B/page")
		})
	}
}
