package handlers

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// statusOf maps a store error to an HTTP status.
func statusOf(err error) int {
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		return fe.Code
	case errors.Is(err, store.ErrDiskFull):
		return fiber.StatusInsufficientStorage
	case errors.Is(err, store.ErrNotFound):
		return fiber.StatusNotFound
	case errors.Is(err, store.ErrForbidden):
		return fiber.StatusForbidden
	case errors.Is(err, store.ErrClosed):
		return fiber.StatusForbidden
	case errors.Is(err, store.ErrLocked), errors.Is(err, store.ErrConflict), errors.Is(err, store.ErrState):
		return fiber.StatusConflict
	case errors.Is(err, store.ErrInvalid), errors.Is(err, store.ErrIncomplete):
		return fiber.StatusUnprocessableEntity
	case errors.Is(err, store.ErrBusy):
		return fiber.StatusServiceUnavailable
	}
	return fiber.StatusInternalServerError
}

// msgDiskFull is what a person reads when a write was refused for lack of disk space.
const msgDiskFull = "Penyimpanan server penuh: perubahan terakhir Anda belum tersimpan. Coba lagi nanti; petugas sudah diberi tahu."

// sentence is what a person reads about an error; the detail goes to the log.
func sentence(err error, status int) string {
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe) && fe.Code != fiber.StatusInternalServerError:
		switch fe.Code {
		case fiber.StatusNotFound:
			return "Halaman yang Anda cari tidak ada."
		case fiber.StatusMethodNotAllowed:
			return "Cara membuka halaman ini tidak diizinkan."
		case fiber.StatusRequestEntityTooLarge:
			if fe == errTooLarge {
				return fe.Message // names the document cap
			}
			return "Isian atau berkas terlalu besar."
		}
		return fe.Message
	case errors.Is(err, store.ErrClosed): // the sentence names the window and its dates
		var ce *store.ClosedError
		if errors.As(err, &ce) {
			return ce.Sentence
		}
		return "Langkah ini di luar jadwal pendataan."
	case errors.Is(err, store.ErrDiskFull):
		return msgDiskFull
	case errors.Is(err, store.ErrNotFound):
		return "Data yang diminta tidak ditemukan."
	case errors.Is(err, store.ErrForbidden):
		return "Anda tidak berwenang membuka atau mengubah data ini."
	case errors.Is(err, store.ErrLocked):
		return "Data sudah dikirim dan sedang diverifikasi, sehingga formulir terkunci."
	case errors.Is(err, store.ErrConflict):
		return "Usulan ini baru saja diubah oleh petugas lain. Muat ulang halaman untuk melihat keadaan terbaru."
	case errors.Is(err, store.ErrState):
		return "Langkah ini tidak dapat dilakukan pada status usulan sekarang. Muat ulang halaman."
	case errors.Is(err, store.ErrBusy):
		return busyMessage
	case errors.Is(err, store.ErrDamaged):
		return "Sebagian data di server rusak, sehingga permintaan ini tidak dapat dilayani. Tidak ada yang diubah; beri tahu admin kantor Anda (berkas data perlu dipulihkan dari cadangan)."
	case errors.Is(err, store.ErrInvalid):
		var fe *store.FieldError
		if errors.As(err, &fe) {
			return fe.Message
		}
		return "Isian tidak valid."
	}
	if status >= 500 {
		return "Terjadi gangguan di server. Coba lagi beberapa saat lagi; isian Anda yang sudah tersimpan tidak hilang."
	}
	return "Permintaan tidak dapat diproses."
}

// errorHandler is the one place errors become responses: a sentence for the person (plain text for
// htmx, which shows it in the #galat banner; a page otherwise), the request's id shown as its
// "kode galat", and the detail in the log under the same id, where a help desk finds it.
func (h *Handler) errorHandler(c *fiber.Ctx, err error) error {
	status := statusOf(err)
	msg := sentence(err, status)
	log := h.reqLog(c)
	if status >= 500 {
		log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
	} else {
		log.Warn("request refused", "method", c.Method(), "path", c.Path(), "status", status, "err", err)
	}
	c.Response().ResetBody()
	if isHX(c) || strings.HasPrefix(c.Path(), "/healthz") || strings.HasPrefix(c.Path(), "/metrics") {
		// The sentence alone: static/app.js adds the code from X-Request-ID to the #galat banner.
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(status).SendString(msg)
	}
	p := views.ErrorProps{Status: status, Message: msg, Code: requestID(c)}
	if errors.Is(err, store.ErrClosed) {
		p.Title = "Di luar jadwal"
	}
	return render(c, status, views.ErrorPage(h.meta(c, "Terjadi kesalahan"), p))
}

// fieldProblem is what a page shows about input the store refused: the message at each field,
// and the first refused field with its message, for pages that show one message.
type fieldProblem struct {
	Field   string
	Message string
	At      map[string]string // field → its message
}

// refusedInput unwraps a *store.FieldError or store.FieldErrors anywhere in err's chain into what
// a page shows; ok is false for nil and for every other error, which the caller returns as it is.
func refusedInput(err error) (fieldProblem, bool) {
	fe, ok := store.AsFieldErrors(err)
	if !ok || len(fe) == 0 {
		return fieldProblem{}, false
	}
	return fieldProblem{Field: fe[0].Field, Message: fe[0].Message, At: fe.ByField()}, true
}
