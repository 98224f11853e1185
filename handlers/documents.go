package handlers

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// Documents of proposals: upload (streamed), view, detach.

// uploadLimit is the most an upload request may carry: one document at store.MaxDocSize plus the
// multipart framing and the small fields.
const uploadLimit = store.MaxDocSize + 64<<10

// uploadPrefix is the path of the upload route; its body is read as a stream by the handler, not
// buffered by the server, and its CSRF token may come as the first multipart field.
const uploadPrefix = "/dokumen/usulan/"

// errTooLarge is the refusal of a body over the cap, in the words the upload form gives the
// browser to refuse such a file before sending it (views.TooLargeMessage).
var errTooLarge = fiber.NewError(fiber.StatusRequestEntityTooLarge, views.TooLargeMessage())

// isUploadPath tells whether a path is the upload route, the PNS's own or an operator's for a PNS.
func isUploadPath(p string) bool {
	return strings.HasPrefix(p, uploadPrefix) || (strings.HasPrefix(p, "/operator/pns/") && strings.Contains(p, uploadPrefix))
}

// entryPlace is where a proposal lives on the form, for links and plain-form returns.
func entryPlace(base, key string) string {
	if _, _, ok := store.ParseRowKey(key); ok {
		return views.FormURL(base, views.RiwayatTab, views.DomID(key))
	}
	f, _ := store.FieldByKey(key)
	return views.FormURL(base, f.Tab, views.DomID(key))
}

// upload receives a document for a proposal: a multipart form with _csrf (plain forms), jenis and
// berkas, in that order. The body is read as a stream part by part; the file goes straight from
// the stream into the store, which stops at the size cap and decides the type by the content.
// htmx gets the proposal's document box back; a browser 303 to the proposal, or the page with the
// message (422).
func (h *Handler) upload(c *fiber.Ctx) error {
	sj, err := h.subjectOf(c)
	if err != nil {
		return err
	}
	key := c.Params("key")
	if cl := c.Request().Header.ContentLength(); cl > uploadLimit {
		// Refused before a byte of the body is read; lingerDrain makes sure the browser gets this.
		h.lingerDrain(c)
		return h.uploadAnswerStatus(c, sj, key, nil, errTooLarge.Message, fiber.StatusRequestEntityTooLarge)
	}
	mt, params, err := mime.ParseMediaType(string(c.Request().Header.ContentType()))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return h.uploadAnswer(c, sj, key, nil, "Kirim berkas melalui formulir unggah.")
	}
	body := h.uploadBody(c)
	// What is left unread is dropped by limitBody after the answer.
	form, csrfOK, uerr := h.readUpload(c, sj, key, multipart.NewReader(io.LimitReader(body, uploadLimit+1), params["boundary"]))
	if body.err != nil && (uerr != nil || form == nil) { // cut off or stalled before the store kept the file
		c.Context().SetConnectionClose()
		return h.uploadAnswerStatus(c, sj, key, nil, msgUploadCut, fiber.StatusRequestTimeout)
	}
	if !csrfOK {
		return errCSRF
	}
	fe, refused := refusedInput(uerr)
	if uerr != nil && !refused {
		return uerr
	}
	return h.uploadAnswer(c, sj, key, form, fe.Message)
}

// msgUploadCut is what a person reads when the upload stopped arriving before its end.
const msgUploadCut = "Unggahan terputus sebelum selesai. Periksa koneksi lalu unggah lagi."

// readUpload reads the multipart stream part by part (_csrf, jenis, berkas) and hands the file to
// the store as it arrives. It returns the form as the store left it (nil when the store was not
// reached), whether the CSRF token was good, and the store's answer.
func (h *Handler) readUpload(c *fiber.Ctx, sj subject, key string, mr *multipart.Reader) (*store.Form, bool, error) {
	csrfOK := !sessionOf(c).csrfDeferred
	var kind string
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csrfOK, &store.FieldError{Field: "berkas", Message: "Unggahan terputus atau terlalu besar. Coba lagi."}
		}
		switch part.FormName() {
		case "_csrf":
			tok, _ := io.ReadAll(io.LimitReader(part, 256))
			csrfOK = csrfOK || subtle.ConstantTimeCompare(tok, []byte(sessionOf(c).csrf)) == 1
		case "jenis":
			v, _ := io.ReadAll(io.LimitReader(part, 256))
			kind = string(v)
		case "berkas":
			if !csrfOK {
				return nil, false, nil
			}
			_, f, err := h.store.AddDocument(sj.a, sj.nip, key, kind, part.FileName(), part)
			part.Close()
			return &f, true, err
		}
		part.Close()
	}
	return nil, csrfOK, &store.FieldError{Field: "berkas", Message: "Pilih berkas yang akan diunggah."}
}

// uploadAnswer answers an upload or detach: the document box (with the message at the file field
// refusal, when not empty) for htmx; a browser 303 back to the proposal, or the page with the message.
// form is the form the store's write returned, nil when the request never reached the store.
func (h *Handler) uploadAnswer(c *fiber.Ctx, sj subject, key string, form *store.Form, refusal string) error {
	status := fiber.StatusOK
	if refusal != "" {
		status = fiber.StatusUnprocessableEntity
	}
	return h.uploadAnswerStatus(c, sj, key, form, refusal, status)
}

// uploadAnswerStatus is uploadAnswer with the status of a refusal chosen by the caller (413 for a
// body over the cap, 408 for one that stopped arriving).
func (h *Handler) uploadAnswerStatus(c *fiber.Ctx, sj subject, key string, form *store.Form, refusal string, status int) error {
	if refusal == "" && !isHX(c) {
		return seeOther(c, entryPlace(sj.base, key))
	}
	if form == nil {
		f, err := h.store.Form(sj.a, sj.nip)
		if err != nil {
			return err
		}
		form = &f
	}
	box := docsBox(sj.base, *form, key, entryPlace(sj.base, key))
	if box == nil {
		return fmt.Errorf("usulan %q: %w", key, store.ErrNotFound)
	}
	box.Error = refusal
	if isHX(c) {
		return render(c, status, views.DocsView(*box, sessionOf(c).csrf))
	}
	tabKey := views.RiwayatTab
	if f, ok := store.FieldByKey(key); ok {
		tabKey = f.Tab
	}
	tab, err := tabParam(tabKey)
	if err != nil {
		return err
	}
	p := h.recordProps(sj, *form, tab, nil, nil)
	setDocError(&p, key, box.Error)
	return render(c, status, views.RecordPage(h.meta(c, tab.Label), p))
}

// setDocError puts a message into the document box of the proposal under key.
func setDocError(p *views.RecordProps, key, msg string) {
	for i := range p.Rows {
		if d := p.Rows[i].Docs; d != nil && d.Key == key {
			d.Error = msg
		}
	}
	for i := range p.Tables {
		for j := range p.Tables[i].Rows {
			if d := p.Tables[i].Rows[j].Docs; d != nil && d.Key == key {
				d.Error = msg
			}
		}
	}
}

func docID(c *fiber.Ctx) (uint64, error) {
	id, err := strconv.ParseUint(c.Params("id"), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("dokumen %q: %w", c.Params("id"), store.ErrNotFound)
	}
	return id, nil
}

// document serves a document to its PNS or a verifier in scope, with the type decided at upload,
// never sniffed by the browser and never as HTML; the name is a safe display name.
func (h *Handler) document(c *fiber.Ctx) error {
	id, err := docID(c)
	if err != nil {
		return err
	}
	a, _ := actor(c)
	m, data, err := h.store.Document(a, id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, m.Type)
	c.Set(fiber.HeaderContentDisposition, contentDisposition(m.Name))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Status(fiber.StatusOK).Send(data)
}

// contentDisposition shows a document inline under its display name: an ASCII fallback and the
// exact UTF-8 name (RFC 6266); quotes and backslashes cannot occur in a store.SafeName.
func contentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf(`inline; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(name))
}

// detach takes a document off its proposal.
func (h *Handler) detach(c *fiber.Ctx) error {
	id, err := docID(c)
	if err != nil {
		return err
	}
	sj, err := h.subjectOf(c)
	if err != nil {
		return err
	}
	m, _, err := h.store.Document(sj.a, id)
	if err != nil {
		return err
	}
	form, err := h.store.DetachDocument(sj.a, sj.nip, id)
	if err != nil {
		return err
	}
	return h.uploadAnswer(c, sj, m.Entry, &form, "")
}
