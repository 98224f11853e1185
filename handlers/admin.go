package handlers

import (
	"sort"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// The admin's rooms: staff accounts and the per-instansi activation switch.

// staffProps builds the accounts page; form carries what the admin typed when adding failed.
func (h *Handler) staffProps(c *fiber.Ctx, in store.StaffInput, errs views.StaffErrors, pwErr map[string]string) (views.StaffProps, error) {
	a, _ := actor(c)
	staff, err := h.store.Staff()
	if err != nil {
		return views.StaffProps{}, err
	}
	sort.Slice(staff, func(i, j int) bool { return staff[i].Login < staff[j].Login })
	p := views.StaffProps{Login: in.Login, Name: in.Name, Errors: errs}
	units, err := h.store.Units("")
	if err != nil {
		return p, err
	}
	insts, err := h.store.AllInstansi()
	if err != nil {
		return p, err
	}
	names := map[string]string{}
	skpd := views.ScopeGroup{Label: "SKPD (Level 1, operator)"}
	for _, u := range units {
		names[u.ID] = u.Name
		if u.IsSKPD() {
			skpd.Options = append(skpd.Options, views.Option{Value: u.ID, Label: u.Name, Selected: in.ScopeID == u.ID})
		}
	}
	instG := views.ScopeGroup{Label: "Instansi (Level 2, verifikator registrasi)"}
	for _, it := range insts {
		names[it.ID] = it.Name
		instG.Options = append(instG.Options, views.Option{Value: it.ID, Label: it.Name, Selected: in.ScopeID == it.ID})
	}
	kanreg := views.ScopeGroup{Label: "Kanreg BKN (Level 3)"}
	for _, k := range store.Kanregs {
		names[k.Code] = k.Label
		kanreg.Options = append(kanreg.Options, views.Option{Value: k.Code, Label: k.Label, Selected: in.ScopeID == k.Code})
	}
	p.Scopes = []views.ScopeGroup{skpd, instG, kanreg}
	for _, r := range store.StaffRoles {
		p.Roles = append(p.Roles, views.Option{Value: string(r), Label: r.Label(), Selected: in.Role == r})
	}
	for _, u := range staff {
		scope := names[u.ScopeID]
		if u.ScopeID == "" {
			scope = "—"
		}
		p.Rows = append(p.Rows, views.StaffRow{Login: u.Login, Name: u.Name, RoleLabel: u.Role.Label(), Scope: scope,
			Status: u.Status, Active: u.Status == store.StatusActive, Self: u.Login == a.Login, PwError: pwErr[u.Login]})
	}
	return p, nil
}

func (h *Handler) staffPage(c *fiber.Ctx) error {
	p, err := h.staffProps(c, store.StaffInput{}, views.StaffErrors{}, nil)
	if err != nil {
		return err
	}
	return render(c, fiber.StatusOK, views.StaffPage(h.meta(c, "Akun petugas"), p))
}

// addStaff creates a staff account; problems come back at their fields.
func (h *Handler) addStaff(c *fiber.Ctx) error {
	a, _ := actor(c)
	in := store.StaffInput{Login: c.FormValue("login"), Name: c.FormValue("nama"), Role: store.Role(c.FormValue("peran")),
		ScopeID: c.FormValue("lingkup"), Password: c.FormValue("password"), Password2: c.FormValue("password2")}
	u, err := h.store.AddStaff(a, in)
	if fe, ok := refusedInput(err); ok {
		m := fe.At
		p, perr := h.staffProps(c, in, views.StaffErrors{Login: m["login"], Name: m["nama"], Peran: m["peran"], Lingkup: m["lingkup"],
			Password: m["password"], Password2: m["password2"]}, nil)
		if perr != nil {
			return perr
		}
		return render(c, fiber.StatusUnprocessableEntity, views.StaffPage(h.meta(c, "Akun petugas"), p))
	}
	if err != nil {
		return err
	}
	setFlash(c, "Akun "+u.Login+" ("+u.Role.Label()+") dibuat.")
	return seeOther(c, "/admin/akun")
}

// disableStaff disables a staff account and ends its sessions.
func (h *Handler) disableStaff(c *fiber.Ctx) error {
	a, _ := actor(c)
	if err := h.store.DisableUser(a, c.Params("login")); err != nil {
		return err
	}
	setFlash(c, "Akun "+c.Params("login")+" dinonaktifkan.")
	return seeOther(c, "/admin/akun")
}

// resetStaffPassword sets a new password on a staff account (staff reset through an admin).
func (h *Handler) resetStaffPassword(c *fiber.Ctx) error {
	a, _ := actor(c)
	login := c.Params("login")
	err := h.store.AdminResetPassword(a, login, c.FormValue("password"), c.FormValue("password2"))
	if fe, ok := refusedInput(err); ok {
		p, perr := h.staffProps(c, store.StaffInput{}, views.StaffErrors{}, map[string]string{login: fe.Message})
		if perr != nil {
			return perr
		}
		return render(c, fiber.StatusUnprocessableEntity, views.StaffPage(h.meta(c, "Akun petugas"), p))
	}
	if err != nil {
		return err
	}
	setFlash(c, "Kata sandi "+login+" diatur ulang; sesi masuknya diakhiri.")
	return seeOther(c, "/admin/akun")
}

// instansiPage lists the instansi with their activation switch.
func (h *Handler) instansiPage(c *fiber.Ctx) error {
	insts, err := h.store.AllInstansi()
	if err != nil {
		return err
	}
	var p views.InstansiProps
	for _, in := range insts {
		p.Rows = append(p.Rows, views.InstansiRow{ID: in.ID, Name: in.Name, ActivationOff: in.ActivationOff})
	}
	return render(c, fiber.StatusOK, views.InstansiPage(h.meta(c, "Aktivasi per instansi"), p))
}

// setActivation switches an instansi's activation off (mati=1) or on (mati=0).
func (h *Handler) setActivation(c *fiber.Ctx) error {
	a, _ := actor(c)
	off := c.FormValue("mati") == "1"
	if err := h.store.SetActivationOff(a, c.Params("id"), off); err != nil {
		return err
	}
	if off {
		setFlash(c, "Aktivasi dimatikan: akun PNS instansi ini langsung aktif setelah registrasi.")
	} else {
		setFlash(c, "Aktivasi dinyalakan: akun PNS instansi ini menunggu verifikator registrasi.")
	}
	return seeOther(c, "/admin/instansi")
}
