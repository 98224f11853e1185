package handlers

import (
	"bytes"
	"crypto/rand"
	"errors"
	"strings"

	"github.com/dchest/captcha"
	"github.com/gofiber/fiber/v2"

	"pupns/static/captchaaudio"
	"pupns/views"
)

// The registration captcha (github.com/dchest/captcha): an image, the same digits as sound, and
// another image on request. dchest's in-memory store forgets an id once it is checked, right or
// wrong, so an answered captcha cannot be replayed; ids also expire after ten minutes.

const captchaW, captchaH = 240, 80

// captchaStore is dchest's store of ids and digits, kept here so the sound can be made from an
// id's digits: dchest speaks no Indonesian, so static/captchaaudio does.
var captchaStore captcha.Store

func init() { useCaptchaStore(captcha.NewMemoryStore(captcha.CollectNum, captcha.Expiration)) }

// useCaptchaStore makes s the store of every captcha (the tests' store lets them read the digits).
func useCaptchaStore(s captcha.Store) {
	captchaStore = s
	captcha.SetCustomStore(s)
}

// captchaSeed makes each captcha's sound its own and unguessable: a secret of this process and
// the id. The same id always sounds the same, so asking again cannot average the noise away.
var captchaSeed = func() []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}()

// captchaSound is the id's digits spoken in Indonesian as a WAV file (captcha.ErrNotFound for an
// unknown or used id).
func captchaSound(id string) ([]byte, error) {
	ds := captchaStore.Get(id, false)
	if ds == nil {
		return nil, captcha.ErrNotFound
	}
	return captchaaudio.WAV(ds, append(bytes.Clone(captchaSeed), id...))
}

// newCaptcha is the captcha block for a form, nil when the captcha is off.
func (h *Handler) newCaptcha(msg string) *views.Captcha {
	if h.cfg.NoCaptcha {
		return nil
	}
	return &views.Captcha{ID: captcha.New(), Error: msg, Len: captcha.DefaultLen}
}

// captchaOK checks (and uses up) the captcha of a form; always true when the captcha is off.
func (h *Handler) captchaOK(c *fiber.Ctx) bool {
	if h.cfg.NoCaptcha {
		return true
	}
	id, digits := c.FormValue("captcha_id"), strings.TrimSpace(c.FormValue("captcha"))
	if id == "" || digits == "" || len(digits) > 10 {
		if id != "" {
			captcha.Verify(id, nil) // use it up all the same
		}
		return false
	}
	return captcha.VerifyString(id, digits)
}

// captchaFile serves /captcha/<id>.png (the image) and /captcha/<id>.wav (the digits spoken in
// Indonesian).
func (h *Handler) captchaFile(c *fiber.Ctx) error {
	file := c.Params("file")
	var buf bytes.Buffer
	var err error
	switch {
	case strings.HasSuffix(file, ".png"):
		c.Set(fiber.HeaderContentType, "image/png")
		err = captcha.WriteImage(&buf, strings.TrimSuffix(file, ".png"), captchaW, captchaH)
	case strings.HasSuffix(file, ".wav"):
		c.Set(fiber.HeaderContentType, "audio/wav")
		var wav []byte
		if wav, err = captchaSound(strings.TrimSuffix(file, ".wav")); err == nil {
			buf.Write(wav)
		}
	default:
		return fiber.ErrNotFound
	}
	if errors.Is(err, captcha.ErrNotFound) {
		c.Set(fiber.HeaderContentType, "")
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	c.Set("Cache-Control", "no-store")
	return c.Send(buf.Bytes())
}

// captchaRefresh answers htmx's "Gambar lain" with a new captcha block; a browser without
// JavaScript uses the form's own button instead (it re-renders the form with a new captcha).
func (h *Handler) captchaRefresh(c *fiber.Ctx) error {
	if !isHX(c) || h.cfg.NoCaptcha {
		return seeOther(c, "/registrasi")
	}
	// Each new image holds memory for ten minutes: counted like a look-up, per address.
	if wait, err := h.lookupLimited(c); err != nil || wait > 0 {
		if err != nil {
			return err
		}
		return fiber.NewError(fiber.StatusTooManyRequests, waitMessage(wait))
	}
	if old := c.Query("captcha_id"); old != "" {
		captcha.Verify(old, nil)
	}
	return render(c, fiber.StatusOK, views.CaptchaBlock(*h.newCaptcha("")))
}
