package handlers

import (
	"github.com/gofiber/fiber/v2"

	"pupns/views"
)

// settings shows the account's own settings: the password link, and a verifier's shortcuts choice.
func (h *Handler) settings(c *fiber.Ctx) error {
	rs := sessionOf(c)
	p := views.SettingsProps{Verifier: rs.user.Role.Level() > 0, Shortcuts: rs.user.Shortcuts}
	return render(c, fiber.StatusOK, views.SettingsPage(h.meta(c, "Pengaturan akun"), p))
}

// setShortcuts saves a verifier's choice about the review page's single-key shortcuts: "nyala"
// turns them on, anything else (or nothing) leaves them off.
func (h *Handler) setShortcuts(c *fiber.Ctx) error {
	a, _ := actor(c)
	on := c.FormValue("pintasan") == "nyala"
	if err := h.store.SetShortcuts(a.Login, on); err != nil {
		return err
	}
	if on {
		setFlash(c, "Pintasan papan ketik dinyalakan.")
	} else {
		setFlash(c, "Pintasan papan ketik dimatikan.")
	}
	return seeOther(c, views.SettingsURL)
}

// shortcutsOn tells whether the logged-in verifier turned the review page's shortcuts on.
func shortcutsOn(c *fiber.Ctx) bool {
	rs := sessionOf(c)
	return rs.user != nil && rs.user.Role.Level() > 0 && rs.user.Shortcuts
}
