package handlers

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/dchest/captcha"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"pupns/static"
	"pupns/store"
	"pupns/store/storetest"
)

// world is the shared test office (storetest: one province, two SKPDs, one with a nested unit,
// a ministry, the PNS and a verifier for each level and SKPD) behind the real app. Every
// account's password is pw.
type world struct {
	t      *testing.T
	office *storetest.Office
	st     *store.Store
	app    *fiber.App
	clock  *storetest.Clock
	cfg    Config
}

const pw = storetest.Password

// The PNS: Budi in a nested unit of U01, Sri in U01, Made in U02. Their master data is consistent.
const (
	nipBudi = storetest.NIPBudi
	nipSri  = storetest.NIPSri
	nipMade = storetest.NIPMade
)

func newWorld(t *testing.T) *world { return newWorldWith(t, nil) }

// newWorldWith builds the world with the handler configuration changed by tune (limits, captcha).
func newWorldWith(t *testing.T, tune func(*Config)) *world {
	t.Helper()
	o := storetest.NewOffice(t)
	cfg := Config{Static: static.FS, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if tune != nil {
		tune(&cfg)
	}
	return &world{t: t, office: o, st: o.Store, app: New(o.Store, cfg).App(), clock: o.Clock, cfg: cfg}
}

// restart closes the store and opens the same file again behind a new app, as a server restart does.
func (w *world) restart() {
	w.t.Helper()
	w.st = w.office.Reopen()
	w.app = New(w.st, w.cfg).App()
}

// Registration fixtures: nipBaru is in the master data without an account; nipTunggu registered
// and waits for activation in P33.
const (
	nipBaru   = storetest.NIPAgus
	nikBaru   = storetest.NIKAgus
	nipTunggu = storetest.NIPDewi
)

func (w *world) addRegistrationData() {
	w.t.Helper()
	if err := errors.Join(storetest.SeedApplicant(w.st), storetest.SeedPending(w.st)); err != nil {
		w.t.Fatalf("registration fixtures: %v", err)
	}
}

// peekStore is dchest/captcha's memory store that also lets a test read the digits it made, as
// a person reads the image. Verification still goes through the real store (and deletes the id).
type peekStore struct {
	captcha.Store
	mu     sync.Mutex
	digits map[string][]byte
}

func (p *peekStore) Set(id string, d []byte) {
	p.mu.Lock()
	p.digits[id] = append([]byte(nil), d...)
	p.mu.Unlock()
	p.Store.Set(id, d)
}

var captchas = &peekStore{Store: captcha.NewMemoryStore(captcha.CollectNum, captcha.Expiration), digits: map[string][]byte{}}

func init() { useCaptchaStore(captchas) }

var captchaIDRe = regexp.MustCompile(`name="captcha_id" value="([^"]+)"`)

// solveCaptcha returns the captcha id on the page and the digits to type.
func solveCaptcha(t *testing.T, body string) (id, answer string) {
	t.Helper()
	m := captchaIDRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no captcha on the page:\n%s", body)
	}
	captchas.mu.Lock()
	defer captchas.mu.Unlock()
	for _, d := range captchas.digits[m[1]] {
		answer += string(rune('0' + d))
	}
	return m[1], answer
}

// client is a browser stand-in for app.Test: it keeps cookies and the CSRF token of the last page.
type client struct {
	w       *world
	cookies map[string]string
	csrf    string
}

type resp struct {
	status int
	body   string
	header http.Header
}

func (w *world) client() *client { return &client{w: w, cookies: map[string]string{}} }

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// do sends a request. form nil means no body; hx true sends the htmx headers with target.
func (c *client) do(method, path string, form url.Values, hxTarget string) resp {
	c.w.t.Helper()
	return c.send(method, path, form, hxTarget, nil)
}

// doWith sends a plain request with extra headers (a proxy's client address).
func (c *client) doWith(method, path string, form url.Values, headers map[string]string) resp {
	c.w.t.Helper()
	return c.send(method, path, form, "", headers)
}

func (c *client) send(method, path string, form url.Values, hxTarget string, headers map[string]string) resp {
	c.w.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if hxTarget != "" {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", hxTarget)
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := c.w.app.Test(req, -1)
	if err != nil {
		c.w.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	if m := csrfRe.FindStringSubmatch(string(raw)); m != nil {
		c.csrf = m[1]
	}
	return resp{status: res.StatusCode, body: string(raw), header: res.Header}
}

func (c *client) get(path string) resp { return c.do("GET", path, nil, "") }

// post sends a plain form with the CSRF token, as a browser without JavaScript does.
func (c *client) post(path string, form url.Values) resp {
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" {
		form.Set("_csrf", c.csrf)
	}
	return c.do("POST", path, form, "")
}

// hx sends what htmx sends: the token in a header and the target's id.
func (c *client) hx(method, path string, form url.Values, target string) resp {
	if form == nil && method == "POST" {
		form = url.Values{}
	}
	return c.do(method, path, form, target)
}

// login opens the login page and logs in; it fails the test when that does not land at want.
func (c *client) login(login, want string) {
	c.w.t.Helper()
	c.get("/masuk")
	r := c.post("/masuk", url.Values{"login": {login}, "password": {pw}})
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != want {
		c.w.t.Fatalf("login %s: status %d location %q, want 303 %s\n%s", login, r.status, r.header.Get("Location"), want, r.body)
	}
	c.get(want) // pick up the new session's CSRF token
}

func (w *world) as(login string) *client {
	c := w.client()
	u, err := w.st.User(login)
	if err != nil {
		w.t.Fatal(err)
	}
	c.login(login, homeFor(u.Role))
	return c
}

func contains(t *testing.T, what, body string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(body, s) {
			t.Errorf("%s: missing %q", what, s)
		}
	}
}

// pdfDoc is a minimal file the store accepts as a PDF (signature and end marker).
var pdfDoc = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

// upload sends a document for the proposal under key as a multipart form. With hxTarget it is
// what htmx sends (token in the header); without, a plain form with the token as its first field.
func (c *client) upload(key, kind, filename string, content []byte, hxTarget string) resp {
	c.w.t.Helper()
	return c.uploadAt("", key, kind, filename, content, hxTarget)
}

// uploadAt uploads under a form base: "" for the PNS's own, /operator/pns/<nip> for an operator.
func (c *client) uploadAt(base, key, kind, filename string, content []byte, hxTarget string) resp {
	c.w.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if hxTarget == "" {
		mw.WriteField("_csrf", c.csrf)
	}
	mw.WriteField("jenis", kind)
	fw, err := mw.CreateFormFile("berkas", filename)
	if err != nil {
		c.w.t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	return c.raw("POST", base+"/dokumen/usulan/"+key, &buf, mw.FormDataContentType(), hxTarget)
}

// raw sends a request with a body of any content type, with the session's cookies.
func (c *client) raw(method, path string, body io.Reader, ctype, hxTarget string) resp {
	c.w.t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("Content-Type", ctype)
	if hxTarget != "" {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", hxTarget)
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := c.w.app.Test(req, -1)
	if err != nil {
		c.w.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, body: string(out), header: res.Header}
}

// attachAll uploads a PDF for every document the proposal under key still needs.
func (c *client) attachAll(key string) {
	c.w.t.Helper()
	form, err := c.w.st.Form(store.Actor{Login: "t", Role: store.RolePNS, NIP: c.nip()}, c.nip())
	if err != nil {
		c.w.t.Fatal(err)
	}
	for _, kind := range form.MissingDocs(key) {
		if r := c.upload(key, kind, kind+".pdf", pdfDoc, "dok-"+key); r.status != 200 {
			c.w.t.Fatalf("upload %s for %s: %d %s", kind, key, r.status, r.body)
		}
	}
}

// nip is the NIP of the PNS logged in on this client.
func (c *client) nip() string {
	c.w.t.Helper()
	r := c.get("/data")
	m := regexp.MustCompile(`NIP (\d{8} \d{6} \d \d{3})`).FindStringSubmatch(r.body)
	if m == nil {
		c.w.t.Fatal("no NIP on the form page")
	}
	return strings.ReplaceAll(m[1], " ", "")
}

// confirmAllTabs marks everything not yet looked at as Sesuai, tab by tab, as a PNS does before Kirim.
func (c *client) confirmAllTabs() {
	c.w.t.Helper()
	for _, tab := range store.Tabs {
		r := c.post("/data/"+tab.Key+"/sesuai", nil)
		if r.status == fiber.StatusNotFound && tab.Only != "" {
			continue // Data Guru/Dokter: not this PNS's tab, so there is nothing to mark
		}
		if r.status != fiber.StatusSeeOther {
			c.w.t.Fatalf("rest sesuai on %s: %d", tab.Key, r.status)
		}
	}
}

// stream opens an event stream the way a page does; open is true when the server started a
// stream (an allowed stream never finishes), false when it answered with a page (a refusal, in
// r). It runs the app's handler directly and reads the answer's head, so the verdict does not
// depend on how fast a loaded machine answers: the stream's body is never run. extra are more
// request headers as name, value pairs (Accept-Encoding); r.header is the answer's either way.
func (c *client) stream(path string, extra ...string) (r resp, open bool) {
	c.w.t.Helper()
	var req fasthttp.Request
	req.Header.SetMethod(fiber.MethodGet)
	req.SetRequestURI(path)
	req.Header.SetHost("example.com")
	req.Header.Set("Accept", "text/event-stream")
	for k, v := range c.cookies {
		req.Header.SetCookie(k, v)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		req.Header.Set(extra[i], extra[i+1])
	}
	// A connection for the stream's write deadlines; the peer never reads.
	conn, peer := net.Pipe()
	defer peer.Close()
	defer conn.Close()
	var ctx fasthttp.RequestCtx
	ctx.Init2(conn, nil, false)
	req.CopyTo(&ctx.Request)
	c.w.app.Handler()(&ctx)
	res := &ctx.Response
	// Closing the body stops the stream's writer at its next write, which ends its subscription.
	defer res.CloseBodyStream()
	header := http.Header{}
	res.Header.VisitAll(func(k, v []byte) { header.Add(string(k), string(v)) })
	if res.IsBodyStream() && strings.HasPrefix(string(res.Header.ContentType()), "text/event-stream") {
		return resp{status: res.StatusCode(), header: header}, true
	}
	return resp{status: res.StatusCode(), body: string(res.Body()), header: header}, false
}
