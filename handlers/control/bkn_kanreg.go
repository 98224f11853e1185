package control

import (
	"fmt"
	"io"
	"strings"

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
