package handlers

import (
	"bytes"
	"errors"
	"io"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// Uploads on slow links. The server's read timeout covers a request's headers and its body
// together (fasthttp sets one read deadline when a request starts and reads the streamed body
// under it), so a 5 MiB document on a link slower than about 2.8 Mbit/s would be cut off at 15 s.
// An upload's body is timed by its progress instead: after its headers arrived in time,
// uploadTimes gives the first bytes UploadIdle, and progressReader then pushes the deadline
// forward as bytes arrive, never past UploadTimeout from the start. Headers keep the read
// timeout, so a client that trickles headers (slowloris) is still dropped.

// errUploadCut is a body that ended or stalled before its declared end. It is not io.EOF, so
// neither the multipart reader nor the store takes a cut-off file for a whole one.
var errUploadCut = errors.New("unggahan terputus sebelum selesai")

// uploadTimes is the server's HeaderReceived hook: an upload gets UploadIdle for the first bytes
// of its body (which the server reads before the handler runs); every other request keeps the
// read deadline set when its headers began.
func (h *Handler) uploadTimes(hdr *fasthttp.RequestHeader) fasthttp.RequestConfig {
	if !hdr.IsPost() || !bytes.HasPrefix(hdr.ContentType(), []byte("multipart/form-data")) {
		return fasthttp.RequestConfig{}
	}
	path := hdr.RequestURI()
	if i := bytes.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if !isUploadPath(string(path)) {
		return fasthttp.RequestConfig{}
	}
	return fasthttp.RequestConfig{ReadTimeout: h.cfg.UploadIdle}
}

// progressReader reads an upload's body, moving the connection's read deadline forward as bytes
// arrive: UploadIdle without a byte, or UploadTimeout in all, and the read fails. A body that ends
// before its declared length, or stalls, is errUploadCut; err keeps the first failure.
type progressReader struct {
	r        io.Reader
	conn     net.Conn
	idle     time.Duration
	end      time.Time // the overall cap
	deadline time.Time // the deadline last set
	want     int64     // the declared length; -1 when chunked
	got      int64
	err      error
}

// uploadBody is the upload's body as a progressReader; the same one for the handler and for
// limitBody, which drops what the handler left unread.
func (h *Handler) uploadBody(c *fiber.Ctx) *progressReader {
	if p, ok := c.Locals(localUploadBody).(*progressReader); ok {
		return p
	}
	var body io.Reader = c.Context().RequestBodyStream()
	if body == nil {
		body = bytes.NewReader(c.Body())
	}
	p := &progressReader{
		r:    body,
		conn: c.Context().Conn(),
		idle: h.cfg.UploadIdle,
		end:  c.Context().Time().Add(h.cfg.UploadTimeout),
		want: int64(c.Request().Header.ContentLength()),
	}
	c.Locals(localUploadBody, p)
	return p
}

const localUploadBody = "pupns.uploadBody"

func (p *progressReader) Read(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	now := time.Now()
	d := now.Add(p.idle)
	if d.After(p.end) {
		d = p.end
	}
	// Setting a deadline costs little, but not on every small read: moving it by a sixteenth of
	// the idle limit at a time keeps the limit within 7% of exact.
	if p.conn != nil && d.Sub(p.deadline) >= p.idle/16 {
		if err := p.conn.SetReadDeadline(d); err == nil {
			p.deadline = d
		}
	}
	n, err := p.r.Read(b)
	p.got += int64(n)
	switch {
	case err == nil:
	case errors.Is(err, io.EOF) && (p.want < 0 || p.got >= p.want):
	default: // a timeout, a reset, or an end before the declared length
		p.err = errUploadCut
		err = p.err
	}
	return n, err
}

// lingerDrain answers an upload whose declared length is over the cap without reading it: the
// answer is sent, the connection is half-closed, and what the browser keeps sending is read and
// dropped (for a while) before the connection closes. Closing with the body unread would make
// the kernel send a reset, and a browser that gets a reset shows "connection reset" instead of
// the answer it was sent.
func (h *Handler) lingerDrain(c *fiber.Ctx) {
	want := int64(c.Request().Header.ContentLength())
	c.Context().Hijack(func(conn net.Conn) {
		raw := conn
		if u, ok := conn.(interface{ UnsafeConn() net.Conn }); ok {
			raw = u.UnsafeConn()
		}
		if cw, ok := raw.(interface{ CloseWrite() error }); ok {
			_ = cw.CloseWrite()
		}
		p := &progressReader{r: conn, conn: raw, idle: lingerIdle, end: time.Now().Add(lingerMax), want: want}
		_, _ = io.Copy(io.Discard, io.LimitReader(p, want))
	})
}

// How long lingerDrain keeps reading a refused body: the browser has the answer long before.
const (
	lingerIdle = 5 * time.Second
	lingerMax  = time.Minute
)
