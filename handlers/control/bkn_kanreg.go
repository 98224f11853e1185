package control

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"pupns/handlers/bkn"
	"pupns/store"
)

// runBKNKanreg registers a Kanreg hub at BKN Pusat ("bkn kanreg"): its public key and the instansi
// whose counters it may pass on.
func runBKNKanreg(st *store.Store, req Request, out io.Writer) error {
	r, err := st.RegisterBKNKanreg(store.SystemActor, req.Args["kanreg"], req.Args["kunci"],
		strings.Split(req.Args["instansi"], ","), req.Args["ganti"] == "1")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Kanreg %s terdaftar di BKN Pusat (kunci publik %s); angkanya boleh diteruskan untuk instansi %s.\n",
		r.Kanreg, r.PublicKey, strings.Join(r.Instansi, ", "))
	return nil
}

// listBKNKanregs adds the Kanreg hubs registered at BKN Pusat to `pupns bkn daftar` (nothing at a
// Kanreg hub, which has none).
func listBKNKanregs(st *store.Store, tw *tabwriter.Writer) error {
	rows, err := st.BKNKanregs()
	if err != nil || len(rows) == 0 {
		return err
	}
	fmt.Fprintln(tw, "\nKANREG\tKUNCI PUBLIK\tTERDAFTAR\tINSTANSI")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Kanreg, r.PublicKey, r.RegisteredAt.Format("2006-01-02 15:04"), strings.Join(r.Instansi, ","))
	}
	return nil
}

// withKanregs adds BKN Pusat's Kanreg hubs to the users of `pupns bkn nats-conf`, each allowed the
// counters of its instansi only (bkn.KanregPermissions), as the embedded server knows them.
func withKanregs(st *store.Store, list []bkn.Office) ([]bkn.Office, error) {
	rows, err := st.BKNKanregs()
	for _, r := range rows {
		list = append(list, bkn.Office{Instansi: r.User(), PublicKey: r.PublicKey, Counters: r.Instansi})
	}
	return list, err
}
