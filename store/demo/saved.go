package demo

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"pupns/store"
)

// resultKey is the store meta key the demo keeps its Result under. The name and the JSON form are
// those main used before the demo had a package, so data folders made then still print logins.
const resultKey = "demo_result"

// save keeps the result in the data file, for Saved.
func save(s *store.Store, res Result) error {
	raw, err := json.Marshal(res)
	if err != nil {
		return err
	}
	return s.PutMeta(resultKey, raw)
}

// Saved reads back the result Generate kept; ok is false when the data file holds no demo result.
func Saved(s *store.Store) (res Result, ok bool, err error) {
	raw, err := s.Meta(resultKey)
	if err != nil || raw == nil {
		return Result{}, false, err
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return Result{}, false, fmt.Errorf("demo: hasil demo tersimpan tidak terbaca: %w", err)
	}
	return res, true, nil
}

// WriteLogins prints how to log in as each role, and which PNS to try registration with, for a
// server reached at baseURL (e.g. http://localhost:8080).
func (r Result) WriteLogins(out io.Writer, baseURL string) error {
	fmt.Fprintf(out, "\nKantor demo: %s, %d unit, %d PNS.\nMasuk di %s/masuk sebagai:\n\n", r.Instansi.Name, r.Units, r.PNS, baseURL)
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PERAN\tNAMA PENGGUNA\tKATA SANDI\tLINGKUP")
	for _, l := range r.Logins {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", l.RoleLabel, l.Username, l.Password, l.Scope)
	}
	for _, p := range r.SamplePNS {
		fmt.Fprintf(tw, "PNS\t%s (atau %s)\t%s\t%s, %s\n", p.NIP, p.RegNo, p.Password, p.Name, p.Unit)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Unregistered) > 0 {
		fmt.Fprintf(out, "\nBelum registrasi (coba di %s/registrasi): %s\n", baseURL, strings.Join(r.Unregistered, ", "))
	}
	_, err := fmt.Fprintln(out)
	return err
}
