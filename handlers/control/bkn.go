package control

import (
	"fmt"
	"io"
	"text/tabwriter"

	"pupns/handlers/bkn"
	"pupns/store"
)

// RunBKN runs one `pupns bkn` command on an open store, the hub's: register an office's public key
// ("bkn kantor"), list the register ("bkn daftar"), or print it as nats-server configuration
// ("bkn nats-conf"). The seed never comes here: the command line
// writes it to the office's file and sends only the public key.
func RunBKN(st *store.Store, req Request, out io.Writer) error {
	switch req.Cmd {
	case "bkn kantor":
		o, err := st.RegisterBKNOffice(store.SystemActor, req.Args["instansi"], req.Args["kunci"], req.Args["ganti"] == "1")
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Kantor instansi %s terdaftar di hub ini (kunci publik %s).\n", o.Instansi, o.PublicKey)
	case "bkn kanreg":
		return runBKNKanreg(st, req, out)
	case "bkn daftar":
		offices, err := st.BKNOffices()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "INSTANSI\tKUNCI PUBLIK\tTERDAFTAR")
		for _, o := range offices {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", o.Instansi, o.PublicKey, o.RegisteredAt.Format("2006-01-02 15:04"))
		}
		if err := listBKNKanregs(st, tw); err != nil {
			return err
		}
		return tw.Flush()
	case "bkn nats-conf":
		offices, err := st.BKNOffices()
		if err != nil {
			return err
		}
		list := make([]bkn.Office, len(offices))
		for i, o := range offices {
			list[i] = bkn.Office{Instansi: o.Instansi, PublicKey: o.PublicKey}
		}
		if list, err = withKanregs(st, list); err != nil {
			return err
		}
		fmt.Fprint(out, bkn.NATSConfig(list))
	default:
		return fmt.Errorf("perintah tidak dikenal: %q", req.Cmd)
	}
	return nil
}
