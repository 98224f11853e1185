package handlers

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// Registration, the bukti registrasi, cek status and recovery: the public pages of store/DOMAIN.md
// flow steps 1–3. All of them work without JavaScript; htmx only swaps Cari's answer in place.

const unknownNIP = "NIP tidak ditemukan di data induk kepegawaian. Hubungi BKD atau bagian kepegawaian instansi Anda dengan membawa SK CPNS, SK PNS, SK pangkat terakhir dan KTP."

func questions(selected string) []views.Option {
	out := make([]views.Option, 0, len(store.SecurityQuestions))
	for _, q := range store.SecurityQuestions {
		out = append(out, views.Option{Value: q.Code, Label: q.Label, Selected: q.Code == selected})
	}
	return out
}

// lookupLimited counts a NIP look-up against the address and says how long to wait when there
// were too many.
func (h *Handler) lookupLimited(c *fiber.Ctx) (time.Duration, error) {
	key := addrKey("cari", c)
	if w, err := h.waitOf(key); err != nil || w > 0 {
		return w, err
	}
	_, err := h.store.LimitFail(key, h.cfg.Limits.Lookup)
	return 0, err
}

// lookup fills the registration props for a typed NIP: what the master data holds, or the plain
// message for a malformed, unknown or already registered NIP.
func (h *Handler) lookup(raw string, p *views.RegisterProps) error {
	p.NIP = raw
	found, err := h.store.LookupForRegistration(raw)
	fe, refused := refusedInput(err)
	switch {
	case refused:
		p.NIPState, p.Errors.NIP = "salah", fe.Message
	case errors.Is(err, store.ErrNotFound):
		p.NIPState, p.Errors.NIP = "tidak-ditemukan", unknownNIP
	case errors.Is(err, store.ErrAlreadyExist):
		p.NIP, _ = store.NormalizeNIPInput(raw)
		p.NIPState, p.Errors.NIP = "sudah-terdaftar", "NIP ini sudah terdaftar. Satu NIP hanya dapat didaftarkan sekali."
	case err != nil:
		return err
	default:
		p.NIP = found.NIP
		p.Found = &views.RegFound{NIP: found.NIP, NIPShown: store.FormatNIP(found.NIP), Name: found.Name,
			TempatLahir: found.TempatLahir, TanggalLahir: fmtISODate(found.TanggalLahir), Instansi: found.Instansi}
	}
	return nil
}

// registerPage is step 1: the NIP and Cari.
func (h *Handler) registerPage(c *fiber.Ctx) error {
	return render(c, fiber.StatusOK, views.RegisterPage(h.meta(c, "Registrasi"), views.RegisterProps{Questions: questions("")}))
}

// registerLookup is Cari: htmx gets the result fragment, a browser the page with it.
func (h *Handler) registerLookup(c *fiber.Ctx) error {
	p := views.RegisterProps{Questions: questions("")}
	status := fiber.StatusOK
	wait, err := h.lookupLimited(c)
	if err != nil {
		return err
	}
	if wait > 0 {
		p.NIP, p.Errors.NIP, status = c.Query("nip"), waitMessage(wait), fiber.StatusTooManyRequests
	} else if err := h.lookup(c.Query("nip"), &p); err != nil {
		return err
	}
	if p.Found != nil {
		p.Captcha = h.newCaptcha("")
	} else if status == fiber.StatusOK && p.NIPState == "salah" {
		status = fiber.StatusUnprocessableEntity
	}
	if isHX(c) && hxTarget(c) == "hasil-cari" {
		if status == fiber.StatusTooManyRequests {
			status = fiber.StatusUnprocessableEntity // htmx swaps 422 only; the message says when to retry
		}
		return render(c, status, views.RegisterResult(sessionOf(c).csrf, p))
	}
	return render(c, status, views.RegisterPage(h.meta(c, "Registrasi"), p))
}

// register is step 2: the form with the captcha. Every problem comes back at its field (422)
// with what was typed (never the passwords) and a new captcha; nothing is stored then.
func (h *Handler) register(c *fiber.Ctx) error {
	p := views.RegisterProps{Questions: questions(c.FormValue("pertanyaan")), NIK: c.FormValue("nik"), Email: c.FormValue("email"),
		Ibu: c.FormValue("ibu"), Jawaban: c.FormValue("jawaban")}
	rawNIP := c.FormValue("nip")
	page := func(status int) error {
		if err := h.lookup(rawNIP, &p); err != nil {
			return err
		}
		return render(c, status, views.RegisterPage(h.meta(c, "Registrasi"), p))
	}
	if c.FormValue("ganti_captcha") != "" { // "Gambar lain" without JavaScript: same form, new captcha
		if old := c.FormValue("captcha_id"); old != "" {
			h.captchaOK(c)
		}
		p.Captcha = h.newCaptcha("")
		return page(fiber.StatusOK)
	}
	nipKey := rawNIP
	if nip, err := store.NormalizeNIPInput(rawNIP); err == nil {
		nipKey = nip
	}
	acct, addr := acctKey("registrasi", nipKey), addrKey("registrasi", c)
	wait, err := h.waitOf(acct, addr)
	if err != nil {
		return err
	}
	if wait > 0 {
		p.Errors.Form = waitMessage(wait)
		p.Captcha = h.newCaptcha("")
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
		return page(fiber.StatusTooManyRequests)
	}
	if !h.captchaOK(c) {
		if err := h.failed(acct, addr); err != nil {
			return err
		}
		p.Captcha = h.newCaptcha("Angka captcha salah atau sudah dipakai. Ketik angka pada gambar yang baru.")
		return page(fiber.StatusUnprocessableEntity)
	}
	u, err := h.store.Register(store.Registration{NIP: rawNIP, NIK: p.NIK, Email: p.Email, Password: c.FormValue("password"),
		Password2: c.FormValue("password2"), Mother: p.Ibu, Question: c.FormValue("pertanyaan"), Answer: p.Jawaban})
	if fe, ok := refusedInput(err); ok {
		if err := h.failed(acct, addr); err != nil {
			return err
		}
		m := fe.At
		p.Errors = views.RegErrors{NIK: m["nik"], Email: m["email"], Password: m["password"], Password2: m["password2"],
			Ibu: m["ibu"], Pertanyaan: m["pertanyaan"], Jawaban: m["jawaban"]}
		p.Captcha = h.newCaptcha("")
		if m["nip"] != "" { // a NIP edited by hand in the hidden field: show it at the NIP
			p.Errors.NIP = m["nip"]
		}
		return page(fiber.StatusUnprocessableEntity)
	}
	if errors.Is(err, store.ErrAlreadyExist) || errors.Is(err, store.ErrNotFound) {
		p.Captcha = h.newCaptcha("")
		return page(fiber.StatusUnprocessableEntity) // lookup says which, at the NIP
	}
	if err != nil {
		return err
	}
	h.reqLog(c).Info("registrasi", "nip", u.NIP, "status", u.Status, "ip", c.IP())
	rs := sessionOf(c)
	rs.sess.Set("bukti", u.NIP)
	rs.dirty = true
	return seeOther(c, "/registrasi/bukti")
}

// bukti is the printable bukti registrasi, for the NIP this browser just registered or recovered.
func (h *Handler) bukti(c *fiber.Ctx) error {
	nip := sessionOf(c).sess.Get("bukti")
	if nip == "" {
		setFlash(c, "Bukti registrasi dapat dicetak ulang lewat Lupa nomor registrasi.")
		return seeOther(c, "/lupa")
	}
	u, err := h.store.User(nip)
	if err != nil {
		return err
	}
	p := views.BuktiProps{RegNo: u.RegNo, NIP: store.FormatNIP(u.NIP), Name: u.Name, Tanggal: u.CreatedAt.Format("02-01-2006"), Status: statusLabel(u.Status)}
	if in, err := h.store.Instansi(u.InstansiID); err == nil {
		p.Instansi = in.Name
	}
	return render(c, fiber.StatusOK, views.BuktiPage(h.meta(c, "Bukti registrasi"), p))
}

func statusLabel(s string) string {
	switch s {
	case store.StatusPending:
		return "Menunggu aktivasi oleh verifikator registrasi"
	case store.StatusActive:
		return "Aktif: silakan masuk"
	case store.StatusRejected:
		return "Ditolak"
	case store.StatusDisabled:
		return "Dinonaktifkan"
	}
	return "Belum terdaftar"
}

// cekStatus shows a NIP's registration state and nothing else personal.
func (h *Handler) cekStatus(c *fiber.Ctx) error {
	p := views.CekStatusProps{NIP: c.Query("nip")}
	status := fiber.StatusOK
	if p.NIP != "" {
		wait, err := h.lookupLimited(c)
		if err != nil {
			return err
		}
		if wait > 0 {
			p.Error, status = waitMessage(wait), fiber.StatusTooManyRequests
		} else {
			st, err := h.store.RegistrationStatus(p.NIP)
			fe, refused := refusedInput(err)
			switch {
			case refused:
				p.Error, status = fe.Message, fiber.StatusUnprocessableEntity
			case err != nil:
				return err
			default:
				p.NIP, _ = store.NormalizeNIPInput(p.NIP)
				p.Checked, p.InMaster, p.Reason = true, st.InMaster, st.Reason
				p.State, p.Label = st.Status, statusLabel(st.Status)
				if st.Status == "" {
					p.State = "belum"
					if !st.InMaster {
						p.Label = "Belum terdaftar. NIP ini juga tidak ada di data induk: hubungi BKD."
					}
				}
			}
		}
	}
	return render(c, status, views.CekStatusPage(h.meta(c, "Cek status registrasi"), p))
}

// Recovery: a match is remembered in the session for pulihFor, so the new password can be set.
const pulihFor = 15 * time.Minute

func (h *Handler) lupaPage(c *fiber.Ctx) error {
	return render(c, fiber.StatusOK, views.LupaPage(h.meta(c, "Lupa nomor registrasi"), views.LupaProps{Questions: questions("")}))
}

// lupa checks NIP, question, answer and mother's maiden name; a match shows the nomor
// registrasi, the reprint link and the new-password form.
func (h *Handler) lupa(c *fiber.Ctx) error {
	raw := c.FormValue("nip")
	p := views.LupaProps{NIP: raw, Questions: questions(c.FormValue("pertanyaan"))}
	fail := func(status int) error {
		return render(c, status, views.LupaPage(h.meta(c, "Lupa nomor registrasi"), p))
	}
	nip, err := store.NormalizeNIPInput(raw)
	if err != nil {
		fe, ok := refusedInput(err)
		if !ok {
			return err
		}
		p.NIPError = fe.Message
		return fail(fiber.StatusUnprocessableEntity)
	}
	if len(c.FormValue("jawaban")) > 200 || len(c.FormValue("ibu")) > 200 {
		p.Error = "Jawaban atau nama ibu kandung terlalu panjang (paling panjang 100 karakter)."
		return fail(fiber.StatusUnprocessableEntity)
	}
	acct, addr := acctKey("pulih", nip), addrKey("pulih", c)
	wait, err := h.waitOf(acct, addr)
	if err != nil {
		return err
	}
	if wait > 0 {
		p.Error = waitMessage(wait)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
		return fail(fiber.StatusTooManyRequests)
	}
	u, err := h.store.Recover(nip, c.FormValue("pertanyaan"), c.FormValue("jawaban"), c.FormValue("ibu"))
	if errors.Is(err, store.ErrNoMatch) {
		h.reqLog(c).Warn("recovery failed", "nip", nip, "ip", c.IP())
		if err := h.failed(acct, addr); err != nil {
			return err
		}
		p.Error = "NIP, pertanyaan keamanan, jawaban atau nama ibu kandung tidak cocok dengan data registrasi."
		return fail(fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	if err := h.store.LimitReset(acct); err != nil {
		return err
	}
	rs := sessionOf(c)
	rs.sess.Set("bukti", u.NIP)
	rs.sess.Set("pulih", u.NIP)
	rs.sess.Set("pulih_sampai", strconv.FormatInt(h.store.Now().Add(pulihFor).Unix(), 10))
	rs.dirty = true
	return render(c, fiber.StatusOK, views.LupaPage(h.meta(c, "Lupa nomor registrasi"), views.LupaProps{Recovered: true, RegNo: u.RegNo, Name: u.Name}))
}

// lupaPassword sets the new password after a recovery match in this session, and ends every
// session of the account.
func (h *Handler) lupaPassword(c *fiber.Ctx) error {
	rs := sessionOf(c)
	nip := rs.sess.Get("pulih")
	until, _ := strconv.ParseInt(rs.sess.Get("pulih_sampai"), 10, 64)
	if nip == "" || h.store.Now().Unix() > until {
		rs.sess.Delete("pulih")
		rs.dirty = true
		return render(c, fiber.StatusUnprocessableEntity, views.LupaPage(h.meta(c, "Lupa nomor registrasi"), views.LupaProps{Questions: questions(""), Expired: true}))
	}
	err := h.store.SetPassword(nip, c.FormValue("password"), c.FormValue("password2"), "")
	if fe, ok := refusedInput(err); ok {
		u, uerr := h.store.User(nip)
		if uerr != nil {
			return uerr
		}
		m := fe.At
		return render(c, fiber.StatusUnprocessableEntity, views.LupaPage(h.meta(c, "Lupa nomor registrasi"),
			views.LupaProps{Recovered: true, RegNo: u.RegNo, Name: u.Name, PwError: m["password"], Pw2Error: m["password2"]}))
	}
	if err != nil {
		return fmt.Errorf("kata sandi baru %s: %w", nip, err)
	}
	rs.sess.Delete("pulih")
	rs.sess.Delete("pulih_sampai")
	if err := h.store.LimitReset(acctKey("masuk", nip)); err != nil {
		return err
	}
	setFlash(c, "Kata sandi baru tersimpan. Silakan masuk dengan NIP atau nomor registrasi dan kata sandi baru.")
	return seeOther(c, "/masuk")
}
