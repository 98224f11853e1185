package handlers

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// The people of the authorization table: every role, in and out of scope. Budi (U01.01, under
// SKPD U01) has a submission waiting at Level 1 of U01; Dewi (nipTunggu, P33) waits for activation.
var accessRoles = []struct{ name, login string }{
	{"anonim", ""},
	{"pns", nipBudi},
	{"pns-unit-lain", nipMade},
	{"operator-lingkup", "op-didik"},
	{"operator-luar", "op-dinkes"},
	{"verreg-lingkup", "verreg"},
	{"verreg-luar", "verreg-diy"},
	{"v1-lingkup", "v1-didik"},
	{"v1-luar", "v1-dinkes"},
	{"v2", "v2"},
	{"v3", "kanreg1"},
	{"v4", "pusat"},
	{"admin", "admin"},
}

func roleSet(names ...string) map[string]bool {
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out
}

var (
	everyone  = roleSet("anonim", "pns", "pns-unit-lain", "operator-lingkup", "operator-luar", "verreg-lingkup", "verreg-luar", "v1-lingkup", "v1-luar", "v2", "v3", "v4", "admin")
	loggedIn  = roleSet("pns", "pns-unit-lain", "operator-lingkup", "operator-luar", "verreg-lingkup", "verreg-luar", "v1-lingkup", "v1-luar", "v2", "v3", "v4", "admin")
	staffOnly = roleSet("operator-lingkup", "operator-luar", "verreg-lingkup", "verreg-luar", "v1-lingkup", "v1-luar", "v2", "v3", "v4", "admin")
	pnsBoth   = roleSet("pns", "pns-unit-lain")
	verifiers = roleSet("v1-lingkup", "v1-luar", "v2", "v3", "v4")
	monitors  = roleSet("admin", "v1-lingkup", "v1-luar", "v2")
)

// accessRow is one route of the table: the concrete path its parameters take, and who may pass.
type accessRow struct {
	path    string
	allowed map[string]bool
	// moved lists who hold the submission in their scope at their own level but not now (Level 2, and
	// the Kanreg on its path): they are refused
	// with 403, or 409 (not at their level), which tells them nothing outside their scope.
	moved map[string]bool
}

// streamRoutes are event streams: allowed, they stay open (the request does not finish).
var streamRoutes = map[string]bool{"GET /status/langsung": true, "GET /verifikasi/langsung": true, "GET /verifikasi/:id/langsung": true}

// noLoginRoutes are not for people: no login opens them (an address or a token does), so an
// anonymous visitor gets 403, not the way to the login page.
var noLoginRoutes = map[string]bool{"GET /metrics": true}

// accessTable has a row for every route of the app. The key is the method and the route pattern
// as Fiber lists it, so a route added without a row fails TestEveryRouteTimesEveryRole.
func accessTable(sub uint64) map[string]accessRow {
	op := "/operator/pns/" + nipBudi
	id := fmt.Sprint(sub)
	return map[string]accessRow{
		"GET /healthz":                                           {"/healthz", everyone, nil},
		"GET /readyz":                                            {"/readyz", roleSet("admin"), nil},
		"GET /favicon.ico":                                       {"/favicon.ico", everyone, nil},
		"GET /":                                                  {"/", everyone, nil},
		"GET /masuk":                                             {"/masuk", everyone, nil},
		"POST /masuk":                                            {"/masuk", everyone, nil},
		"POST /keluar":                                           {"/keluar", everyone, nil},
		"GET /registrasi":                                        {"/registrasi", everyone, nil},
		"GET /registrasi/cari":                                   {"/registrasi/cari?nip=" + nipBaru, everyone, nil},
		"GET /registrasi/captcha":                                {"/registrasi/captcha", everyone, nil},
		"POST /registrasi":                                       {"/registrasi", everyone, nil},
		"GET /registrasi/bukti":                                  {"/registrasi/bukti", everyone, nil},
		"GET /captcha/:file":                                     {"/captcha/tidakada.png", everyone, nil},
		"GET /cek-status":                                        {"/cek-status?nip=" + nipBudi, everyone, nil},
		"GET /lupa":                                              {"/lupa", everyone, nil},
		"POST /lupa":                                             {"/lupa", everyone, nil},
		"POST /lupa/sandi":                                       {"/lupa/sandi", everyone, nil},
		"GET /akun/sandi":                                        {"/akun/sandi", loggedIn, nil},
		"POST /akun/sandi":                                       {"/akun/sandi", loggedIn, nil},
		"GET /data":                                              {"/data", pnsBoth, nil},
		"POST /data/:tab/sesuai":                                 {"/data/utama/sesuai", pnsBoth, nil},
		"GET /data/:tab/:field":                                  {"/data/utama/nama", pnsBoth, nil},
		"GET /data/:tab/:field/ubah":                             {"/data/utama/nama/ubah", pnsBoth, nil},
		"POST /data/:tab/:field":                                 {"/data/utama/nama", pnsBoth, nil},
		"POST /data/:tab/:field/sesuai":                          {"/data/utama/nama/sesuai", pnsBoth, nil},
		"POST /data/:tab/:field/batal":                           {"/data/utama/nama/batal", pnsBoth, nil},
		"POST /kirim":                                            {"/kirim", pnsBoth, nil},
		"GET /status":                                            {"/status", pnsBoth, nil},
		"GET /status/cetak":                                      {"/status/cetak", pnsBoth, nil},
		"GET /pilih/:list":                                       {"/pilih/agama", pnsBoth, nil},
		"GET /data/riwayat/:table":                               {"/data/riwayat/pendidikan", pnsBoth, nil},
		"GET /data/riwayat/:table/baru":                          {"/data/riwayat/pendidikan/baru", pnsBoth, nil},
		"GET /data/riwayat/:table/:row/ubah":                     {"/data/riwayat/pendidikan/p1/ubah", pnsBoth, nil},
		"GET /data/riwayat/:table/:row/hapus":                    {"/data/riwayat/pendidikan/p1/hapus", pnsBoth, nil},
		"POST /data/riwayat/:table/sesuai":                       {"/data/riwayat/pendidikan/sesuai", pnsBoth, nil},
		"POST /data/riwayat/:table":                              {"/data/riwayat/pendidikan", pnsBoth, nil},
		"POST /data/riwayat/:table/:row":                         {"/data/riwayat/pendidikan/p1", pnsBoth, nil},
		"POST /data/riwayat/:table/:row/hapus":                   {"/data/riwayat/pendidikan/p1/hapus", pnsBoth, nil},
		"POST /data/riwayat/:table/:row/batal":                   {"/data/riwayat/pendidikan/p1/batal", pnsBoth, nil},
		"POST /dokumen/usulan/:key":                              {"/dokumen/usulan/nama", pnsBoth, nil},
		"POST /dokumen/:id/lepas":                                {"/dokumen/999/lepas", pnsBoth, nil},
		"GET /dokumen/:id":                                       {"/dokumen/999", loggedIn, nil},
		"GET /status/langsung":                                   {"/status/langsung", pnsBoth, nil},
		"POST /status/tarik":                                     {"/status/tarik", pnsBoth, nil},
		"GET /riwayat":                                           {"/riwayat", pnsBoth, nil},
		"GET /verifikasi/langsung":                               {"/verifikasi/langsung", verifiers, nil},
		"GET /verifikasi/:id/langsung":                           {"/verifikasi/" + id + "/langsung", roleSet("v1-lingkup"), roleSet("v2", "v3")},
		"POST /verifikasi/:id/turun":                             {"/verifikasi/" + id + "/turun", nil, roleSet("v1-lingkup", "v2", "v3")},
		"GET /verifikasi/pns/:nip/riwayat":                       {"/verifikasi/pns/" + nipBudi + "/riwayat", roleSet("v1-lingkup", "v2", "v3"), nil},
		"GET /operator/pns/:nip/status/cetak":                    {op + "/status/cetak", roleSet("operator-lingkup"), nil},
		"GET /operator/pns/:nip/pilih/:list":                     {op + "/pilih/agama", roleSet("operator-lingkup"), nil},
		"GET /operator/pns/:nip/data/riwayat/:table":             {op + "/data/riwayat/pendidikan", roleSet("operator-lingkup"), nil},
		"GET /operator/pns/:nip/data/riwayat/:table/baru":        {op + "/data/riwayat/pendidikan/baru", roleSet("operator-lingkup"), nil},
		"GET /operator/pns/:nip/data/riwayat/:table/:row/ubah":   {op + "/data/riwayat/pendidikan/p1/ubah", roleSet("operator-lingkup"), nil},
		"GET /operator/pns/:nip/data/riwayat/:table/:row/hapus":  {op + "/data/riwayat/pendidikan/p1/hapus", roleSet("operator-lingkup"), nil},
		"POST /operator/pns/:nip/data/riwayat/:table/sesuai":     {op + "/data/riwayat/pendidikan/sesuai", roleSet("operator-lingkup"), nil},
		"POST /operator/pns/:nip/data/riwayat/:table":            {op + "/data/riwayat/pendidikan", roleSet("operator-lingkup"), nil},
		"POST /operator/pns/:nip/data/riwayat/:table/:row":       {op + "/data/riwayat/pendidikan/p1", roleSet("operator-lingkup"), nil},
		"POST /operator/pns/:nip/data/riwayat/:table/:row/hapus": {op + "/data/riwayat/pendidikan/p1/hapus", roleSet("operator-lingkup"), nil},
		"POST /operator/pns/:nip/data/riwayat/:table/:row/batal": {op + "/data/riwayat/pendidikan/p1/batal", roleSet("operator-lingkup"), nil},
		"POST /operator/pns/:nip/dokumen/usulan/:key":            {op + "/dokumen/usulan/nama", roleSet("operator-lingkup"), nil},
		"POST /operator/pns/:nip/dokumen/:id/lepas":              {op + "/dokumen/999/lepas", roleSet("operator-lingkup"), nil},
		"GET /operator":                                          {"/operator", roleSet("operator-lingkup", "operator-luar"), nil},
		"GET /operator/pns/:nip/data":                            {op + "/data", roleSet("operator-lingkup"), nil},
		"POST /operator/pns/:nip/data/:tab/sesuai":               {op + "/data/utama/sesuai", roleSet("operator-lingkup"), nil},
		"GET /operator/pns/:nip/data/:tab/:field":                {op + "/data/utama/nama", roleSet("operator-lingkup"), nil},
		"GET /operator/pns/:nip/data/:tab/:field/ubah":           {op + "/data/utama/nama/ubah", roleSet("operator-lingkup"), nil},
		"POST /operator/pns/:nip/data/:tab/:field":               {op + "/data/utama/nama", roleSet("operator-lingkup"), nil},
		"POST /operator/pns/:nip/data/:tab/:field/sesuai":        {op + "/data/utama/nama/sesuai", roleSet("operator-lingkup"), nil},
		"POST /operator/pns/:nip/data/:tab/:field/batal":         {op + "/data/utama/nama/batal", roleSet("operator-lingkup"), nil},
		"POST /operator/pns/:nip/kirim":                          {op + "/kirim", roleSet("operator-lingkup"), nil},
		"GET /operator/pns/:nip/status":                          {op + "/status", roleSet("operator-lingkup"), nil},
		"GET /verifikasi":                                        {"/verifikasi", verifiers, nil},
		"GET /verifikasi/:id":                                    {"/verifikasi/" + id, roleSet("v1-lingkup"), nil},
		"POST /verifikasi/:id/baris/:field":                      {"/verifikasi/" + id + "/baris/nama", roleSet("v1-lingkup"), roleSet("v2", "v3")},
		"POST /verifikasi/:id/teruskan":                          {"/verifikasi/" + id + "/teruskan", roleSet("v1-lingkup"), roleSet("v2", "v3")},
		"GET /aktivasi":                                          {"/aktivasi", roleSet("verreg-lingkup", "verreg-luar"), nil},
		"POST /aktivasi/:nip/aktifkan":                           {"/aktivasi/" + nipTunggu + "/aktifkan", roleSet("verreg-lingkup"), nil},
		"POST /aktivasi/:nip/tolak":                              {"/aktivasi/" + nipTunggu + "/tolak", roleSet("verreg-lingkup"), nil},
		"GET /admin/akun":                                        {"/admin/akun", roleSet("admin"), nil},
		"POST /admin/akun":                                       {"/admin/akun", roleSet("admin"), nil},
		"POST /admin/akun/:login/nonaktif":                       {"/admin/akun/cadangan/nonaktif", roleSet("admin"), nil},
		"POST /admin/akun/:login/sandi":                          {"/admin/akun/cadangan/sandi", roleSet("admin"), nil},
		"GET /admin/instansi":                                    {"/admin/instansi", roleSet("admin"), nil},
		"POST /admin/instansi/:id/aktivasi":                      {"/admin/instansi/P33/aktivasi", roleSet("admin"), nil},
		"GET /admin/surat":                                       {"/admin/surat", roleSet("admin"), nil},
		"GET /admin/surat/pengingat":                             {"/admin/surat/pengingat", roleSet("admin"), nil},
		"POST /admin/surat/pengingat":                            {"/admin/surat/pengingat", roleSet("admin"), nil},
		"GET /admin/jadwal":                                      {"/admin/jadwal", roleSet("admin"), nil},
		"POST /admin/jadwal":                                     {"/admin/jadwal", roleSet("admin"), nil},
		"POST /admin/jadwal/perpanjangan":                        {"/admin/jadwal/perpanjangan", roleSet("admin"), nil},
		"GET /admin/cadangan":                                    {"/admin/cadangan", roleSet("admin"), nil},
		"POST /admin/cadangan":                                   {"/admin/cadangan", roleSet("admin"), nil},
		"GET /admin/cadangan/unduh":                              {"/admin/cadangan/unduh", roleSet("admin"), nil},
		"GET /ringkasan":                                         {"/ringkasan", staffOnly, nil},
		"GET /ringkasan/pns":                                     {"/ringkasan/pns?status=terkirim", monitors, nil},
		"GET /ringkasan/pns.csv":                                 {"/ringkasan/pns.csv?status=terkirim", monitors, nil},
		"GET /ringkasan/pns/cetak":                               {"/ringkasan/pns/cetak?status=terkirim", monitors, nil},
		"GET /admin/ekspor":                                      {"/admin/ekspor", roleSet("admin", "v2"), nil},
		"POST /admin/ekspor":                                     {"/admin/ekspor", roleSet("admin", "v2"), nil},
		"GET /admin/ekspor/:id":                                  {"/admin/ekspor/0123456789abcdef", roleSet("admin", "v2"), nil},
		"GET /admin/ekspor/:id/unduh":                            {"/admin/ekspor/0123456789abcdef/unduh", roleSet("admin", "v2"), nil},
		"GET /ketidakpatuhan":                                    {"/ketidakpatuhan", monitors, nil},
		"GET /ketidakpatuhan.csv":                                {"/ketidakpatuhan.csv", monitors, nil},
		"GET /ketidakpatuhan/cetak":                              {"/ketidakpatuhan/cetak?skpd=U01", roleSet("admin", "v1-lingkup", "v2"), nil},
		"GET /ketidakpatuhan/tutup":                              {"/ketidakpatuhan/tutup", roleSet("admin"), nil},
		"POST /ketidakpatuhan/tutup":                             {"/ketidakpatuhan/tutup", roleSet("admin"), nil},
		"POST /ketidakpatuhan/pns/:nip/pulihkan":                 {"/ketidakpatuhan/pns/" + nipBudi + "/pulihkan", roleSet("admin"), nil},
		"GET /nasional":                                          {"/nasional", roleSet(), nil},
		"GET /nasional/ketidakpatuhan":                           {"/nasional/ketidakpatuhan", roleSet(), nil},
		"GET /nasional/ketidakpatuhan.csv":                       {"/nasional/ketidakpatuhan.csv", roleSet(), nil},
		"GET /admin/peristiwa":                                   {"/admin/peristiwa", roleSet("admin"), nil},
		"GET /admin/peristiwa.csv":                               {"/admin/peristiwa.csv", roleSet("admin"), nil},
		"GET /metrics":                                           {"/metrics", roleSet(), nil},

		// The account's own settings (issue 12, verifiers: the single-key shortcuts).
		"GET /akun":           {"/akun", loggedIn, nil},
		"POST /akun/pintasan": {"/akun/pintasan", verifiers, nil},
	}
}

// appRoutes lists the app's routes as "METHOD pattern" (HEAD mirrors GET and is left out).
func appRoutes(app *fiber.App) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range app.GetRoutes(true) {
		if r.Method == fiber.MethodHead || r.Method == fiber.MethodConnect || r.Method == fiber.MethodOptions || r.Method == fiber.MethodTrace {
			continue
		}
		k := r.Method + " " + r.Path
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// denied tells whether the answer is a refusal: 403, 401 (htmx) or the way to the login page.
func denied(r resp) bool {
	return r.status == fiber.StatusForbidden || r.status == fiber.StatusUnauthorized ||
		(r.status == fiber.StatusSeeOther && strings.HasPrefix(r.header.Get("Location"), "/masuk?next="))
}

// TestEveryRouteTimesEveryRole walks every route of the app (from app.GetRoutes, so a new route
// without a row fails) with every role in and out of scope, and checks each allow and each deny:
// anonymous visitors are sent to login, the wrong role or scope gets 403, and the right one gets
// past the gate (whatever the handler then says about the request itself).
func TestEveryRouteTimesEveryRole(t *testing.T) {
	w := newWorld(t)
	w.addRegistrationData()
	sub := kirimBudi(t, w)
	table := accessTable(sub)
	routes := appRoutes(w.app)
	for _, k := range routes {
		if _, ok := table[k]; !ok {
			t.Errorf("route %s has no row in the authorization table", k)
		}
	}
	if len(table) != len(routes) {
		t.Errorf("the table has %d rows for %d routes: a row names a route that does not exist", len(table), len(routes))
	}
	clients := map[string]*client{}
	as := func(role, login string, _ bool) *client {
		if c, ok := clients[role]; ok {
			return c
		}
		c := w.client()
		if login != "" {
			c = w.as(login)
		} else {
			c.get("/lupa") // a page with a CSRF token
		}
		clients[role] = c
		return c
	}
	for _, k := range routes {
		row := table[k]
		method := strings.Fields(k)[0]
		for _, who := range accessRoles {
			t.Run(k+" as "+who.name, func(t *testing.T) {
				c := as(who.name, who.login, false)
				if k == "POST /keluar" {
					// Logout ends every session of the account, the shared client's too.
					defer delete(clients, who.name)
				}
				var r resp
				if streamRoutes[k] {
					var open bool
					if r, open = c.stream(row.path); open {
						if !row.allowed[who.name] {
							t.Fatalf("GET %s: the stream opened for a role that may not see it", row.path)
						}
						return
					}
				}
				if streamRoutes[k] {
					// answered at once: a refusal, checked below
				} else if method == fiber.MethodPost {
					r = c.post(row.path, url.Values{})
				} else {
					r = c.get(row.path)
				}
				switch {
				case row.moved[who.name]:
					if r.status != fiber.StatusConflict && r.status != fiber.StatusForbidden {
						t.Fatalf("%s %s: %d, want 409 or 403 (not at this verifier's level)", method, row.path, r.status)
					}
				case row.allowed[who.name] && denied(r):
					t.Fatalf("%s %s: refused (%d %q), want allowed", method, row.path, r.status, r.header.Get("Location"))
				case !row.allowed[who.name] && !denied(r):
					t.Fatalf("%s %s: answered %d, want refused", method, row.path, r.status)
				case !row.allowed[who.name] && who.login == "" && noLoginRoutes[k] && r.status != fiber.StatusForbidden:
					t.Fatalf("anonymous %s %s: %d, want 403 (no login opens it)", method, row.path, r.status)
				case !row.allowed[who.name] && who.login == "" && !noLoginRoutes[k] && r.status != fiber.StatusSeeOther:
					t.Fatalf("anonymous %s %s: %d, want the way to login", method, row.path, r.status)
				case !row.allowed[who.name] && who.login != "" && r.status != fiber.StatusForbidden:
					t.Fatalf("%s %s: %d, want 403", method, row.path, r.status)
				}
			})
		}
	}
}

// TestEveryStateChangingRouteNeedsCSRF: every POST route of the app (from app.GetRoutes) refuses
// a request whose token is missing or belongs to another session or another anonymous visitor
// (the login form's signed token is bound to the visitor's form cookie), for a person allowed on it,
// and the refusal changes nothing (the pending registration stays pending, the account stays active).
func TestEveryStateChangingRouteNeedsCSRF(t *testing.T) {
	w := newWorld(t)
	w.addRegistrationData()
	table := accessTable(kirimBudi(t, w))
	logins := map[string]string{}
	for _, r := range accessRoles {
		logins[r.name] = r.login
	}
	other := w.as(nipSri)
	visitor := w.client() // not logged in: a signed token bound to its own form cookie
	visitor.get("/masuk")
	n := 0
	for _, k := range appRoutes(w.app) {
		if !strings.HasPrefix(k, "POST ") {
			continue
		}
		n++
		row := table[k]
		var who string
		for _, r := range accessRoles { // the first role allowed on the route
			if row.allowed[r.name] {
				who = r.name
				break
			}
		}
		c := w.client()
		if logins[who] != "" {
			c = w.as(logins[who])
		} else {
			c.get("/masuk") // its own form cookie, so another visitor's token is checked against it
		}
		for name, token := range map[string]string{"missing": "", "foreign": other.csrf, "another visitor's": visitor.csrf} {
			r := c.do("POST", row.path, url.Values{"_csrf": {token}, "nilai": {"Budi Santosa"}, "alasan": {"x"}, "mati": {"1"},
				"password": {"Teh-Tarik-Dingin"}, "password2": {"Teh-Tarik-Dingin"}}, "")
			if r.status != fiber.StatusForbidden {
				t.Errorf("%s as %s with %s token: %d, want 403", k, who, name, r.status)
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d POST routes found", n)
	}
	if u, _ := w.st.User(nipTunggu); u.Status != "menunggu" {
		t.Errorf("a refused request changed the registration: %s", u.Status)
	}
	if u, _ := w.st.User("cadangan"); u.Status != "aktif" {
		t.Errorf("a refused request disabled an account")
	}
	if in, _ := w.st.Instansi("P33"); in.ActivationOff {
		t.Errorf("a refused request switched activation off")
	}
}
