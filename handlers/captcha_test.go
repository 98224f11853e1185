package handlers

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"pupns/static/captchaaudio"
)

// TestCaptchaSpeaksIndonesianDigits: the sound of a captcha is a WAV of its own digits spoken in
// Indonesian (static/captchaaudio, whose tests count one stretch of speech per digit), the same
// each time it is asked for, and gone once the captcha is used.
func TestCaptchaSpeaksIndonesianDigits(t *testing.T) {
	w := newWorld(t)
	w.addRegistrationData()
	c := w.client()
	page := c.get("/registrasi/cari?nip=" + nipBaru)
	id, answer := solveCaptcha(t, page.body)
	if len(answer) != 6 {
		t.Fatalf("captcha of %d digits, want 6", len(answer))
	}
	r := c.get("/captcha/" + id + ".wav")
	if r.status != 200 || r.header.Get("Content-Type") != "audio/wav" || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("sound: %d, Content-Type %q, Cache-Control %q", r.status, r.header.Get("Content-Type"), r.header.Get("Cache-Control"))
	}
	ds := make([]byte, len(answer))
	for i := range answer {
		ds[i] = answer[i] - '0'
	}
	want, err := captchaaudio.WAV(ds, append(bytes.Clone(captchaSeed), id...))
	if err != nil {
		t.Fatal(err)
	}
	if r.body != string(want) {
		t.Fatalf("the sound is not the captcha's digits %s spoken (%d bytes, want %d)", answer, len(r.body), len(want))
	}
	if again := c.get("/captcha/" + id + ".wav"); again.body != r.body {
		t.Fatal("asking again gave another sound: the noise could be averaged away")
	}
	// Using the captcha (even wrongly) retires its sound too.
	c.post("/registrasi", regFormWith(t, page.body, "000000"))
	if r := c.get("/captcha/" + id + ".wav"); r.status != 404 {
		t.Fatalf("the sound of a used captcha: %d, want 404", r.status)
	}
}

// regFormWith is the registration form with the page's captcha answered by answer.
func regFormWith(t *testing.T, page, answer string) url.Values {
	t.Helper()
	f := regForm(t, page)
	f.Set("captcha", answer)
	return f
}

// TestCaptchaSaysHowToUseIt: the block explains, in Indonesian and as visible text tied to the
// field, how many digits to type, the spoken alternative and the other image.
func TestCaptchaSaysHowToUseIt(t *testing.T) {
	w := newWorld(t)
	w.addRegistrationData()
	body := w.client().get("/registrasi/cari?nip=" + nipBaru).body
	contains(t, "captcha block", body, `id="captcha-petunjuk"`, "Ketik 6 angka yang tampak pada gambar",
		"Dengarkan angkanya", "satu per satu dalam bahasa Indonesia", "Gambar lain", `aria-describedby="captcha-petunjuk msg-captcha"`)
	_, hint, _ := strings.Cut(body, `id="captcha-petunjuk"`)
	if !strings.Contains(hint, "captcha-gambar") {
		t.Fatal("the instructions do not come before the image")
	}
}
