package control

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"pupns/store"
)

// RunUser runs one user command on an open store: the command line's own, or one sent through
// the control socket by `pupns user` while this server runs.
func RunUser(st *store.Store, req Request, out io.Writer) error {
	arg := req.Args
	switch req.Cmd {
	case "user add":
		u, err := st.AddStaff(store.SystemActor, store.StaffInput{Login: arg["login"], Name: arg["name"], Role: store.Role(arg["role"]),
			ScopeID: arg["scope"], Password: arg["password"], Password2: arg["password"]})
		if fe, ok := store.AsFieldErrors(err); ok {
			for _, e := range fe {
				fmt.Fprintf(out, "%s: %s\n", e.Field, e.Message)
			}
			return errors.New("akun tidak dibuat")
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Akun %s (%s) dibuat.\n", u.Login, u.Role.Label())
	case "user list":
		users, err := st.Staff()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAMA PENGGUNA\tPERAN\tLINGKUP\tSTATUS\tNAMA")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Login, u.Role, u.ScopeID, u.Status, u.Name)
		}
		return tw.Flush()
	case "user disable":
		if err := st.DisableUser(store.SystemActor, arg["login"]); err != nil {
			return err
		}
		fmt.Fprintf(out, "Akun %s dinonaktifkan.\n", arg["login"])
	default:
		return fmt.Errorf("perintah tidak dikenal: %q", req.Cmd)
	}
	return nil
}
