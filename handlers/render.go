package handlers

import (
	"context"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// isHX tells whether htmx made the request (and wants a fragment, not a page).
func isHX(c *fiber.Ctx) bool {
	return c.Get("HX-Request") == "true" && c.Get("HX-History-Restore-Request") == ""
}

// hxTarget is the id of the element htmx will swap.
func hxTarget(c *fiber.Ctx) string { return c.Get("HX-Target") }

// render writes a component as the response: the single place HTML is produced.
func render(c *fiber.Ctx, status int, comps ...templ.Component) error {
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set("Cache-Control", "no-store")
	ctx := c.UserContext()
	if ctx == nil {
		ctx = context.Background()
	}
	w := c.Response().BodyWriter()
	for _, comp := range comps {
		if err := comp.Render(ctx, w); err != nil {
			return err
		}
	}
	return nil
}

// meta builds the page frame props for the logged-in account.
func (h *Handler) meta(c *fiber.Ctx, title string) views.Meta {
	rs := sessionOf(c)
	m := views.Meta{Title: title, CSRF: rs.csrf, Flash: rs.flash, Scripts: needsScripts(c, rs)}
	if rs.user != nil {
		ub := &views.UserBar{Name: rs.user.Name, RoleLabel: rs.user.Role.Label(), Home: homeFor(rs.user.Role)}
		if rs.user.Role.Level() > 0 {
			ub.InboxURL = views.InboxURL
			if n, err := h.store.InboxCount(store.ActorOf(*rs.user)); err == nil {
				ub.InboxCount = n
			}
			m.Live = liveURL("", ub.InboxCount, nil) // the count in the navigation stays true on every page
		}
		if isStaff(rs.user.Role) {
			ub.SummaryURL = "/ringkasan"
		}
		switch rs.user.Role {
		case store.RoleAdmin:
			ub.Links = append(ub.Links, views.NavLink{ID: "nav-akun", Label: "Akun petugas", URL: "/admin/akun"},
				views.NavLink{ID: "nav-instansi", Label: "Aktivasi per instansi", URL: "/admin/instansi"},
				views.NavLink{ID: "nav-surat", Label: "Surat pemberitahuan", URL: views.OutboxURL},
				views.NavLink{ID: "nav-peristiwa", Label: "Log peristiwa", URL: views.AuditURL(views.AuditFilter{}, "")},
				views.NavLink{ID: "nav-jadwal", Label: scheduleTitle, URL: views.ScheduleURL},
				views.NavLink{ID: "nav-cadangan", Label: "Cadangan data", URL: views.BackupURL})
		case store.RoleVerReg:
			ub.Links = append(ub.Links, views.NavLink{ID: "nav-aktivasi", Label: "Aktivasi registrasi", URL: "/aktivasi"})
		case store.RoleOperator:
			ub.Links = append(ub.Links, views.NavLink{ID: "nav-operator", Label: "Isi atas nama PNS", URL: "/operator"})
		}
		if isExporter(rs.user.Role) {
			ub.Links = append(ub.Links, views.NavLink{ID: "nav-ekspor", Label: exportTitle, URL: views.ExportURL})
		}
		if isMonitor(rs.user.Role) {
			ub.Links = append(ub.Links, views.NavLink{ID: "nav-ketidakpatuhan", Label: "Belum ikut PUPNS", URL: views.ComplianceURL("", "", "")})
		}
		if isNationalViewer(rs.user.Role) { // at a hub: the national pages, for whom the store allows
			if l, err := h.store.BKNLinkOf(); err == nil && store.MayViewNational(store.ActorOf(*rs.user), l) {
				ub.Links = append(ub.Links, views.NavLink{ID: "nav-nasional", Label: "Kemajuan nasional", URL: views.NationalURL("")})
			}
		}
		if rs.user.Role.Level() > 0 { // the shortcuts setting and the password link live there
			ub.Links = append(ub.Links, views.NavLink{ID: "nav-pengaturan", Label: "Pengaturan", URL: views.SettingsURL})
		} else {
			ub.Links = append(ub.Links, views.NavLink{ID: "nav-sandi", Label: "Ganti sandi", URL: "/akun/sandi"})
		}
		m.User = ub
		m.Phase = h.phaseLine(store.ActorOf(*rs.user))
	}
	return m
}

// needsScripts tells whether a page loads htmx and app.js: every page of a logged-in account, and
// the registration pages (htmx looks the NIP up in place; app.js prints the receipt). The login,
// recovery, status and error pages of a visitor are plain forms and links: they stay light.
func needsScripts(c *fiber.Ctx, rs *reqSession) bool {
	return rs.user != nil || strings.HasPrefix(c.Path(), "/registrasi")
}

// seeOther answers a successful plain POST: 303 to the page to show next.
func seeOther(c *fiber.Ctx, to string) error { return c.Redirect(to, fiber.StatusSeeOther) }

// hxRedirect sends htmx (or a plain browser) to another page after a successful POST.
func hxRedirect(c *fiber.Ctx, to string) error {
	if isHX(c) {
		c.Set("HX-Redirect", to)
		return c.SendStatus(fiber.StatusOK)
	}
	return seeOther(c, to)
}

// phaseLine is the campaign's current window for a PNS, operator or verifier (nil for others and
// when nothing is scheduled for them).
func (h *Handler) phaseLine(a store.Actor) *views.PhaseLine {
	if a.Role == store.RoleAdmin {
		return nil
	}
	p, ok := h.store.PhaseOf(a, h.store.Now())
	if !ok {
		return nil
	}
	return &views.PhaseLine{Text: p.Text, Urgent: p.Urgent}
}
