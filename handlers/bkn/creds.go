package bkn

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"
)

// Office is one registered office as the hub knows it: its instansi and the public half of its
// NKey. The seed (the private half) exists only in the file carried to the office.
type Office struct {
	Instansi  string
	PublicKey string
	// Counters, at BKN Pusat, makes the entry a Kanreg hub's link (Instansi its link name,
	// store.KanregUser): it may publish the counters of these instansi only (KanregPermissions).
	Counters []string
}

// NewOfficeKey makes a fresh NKey user pair for an office: the seed to write to the office's file
// and the public key the hub registers.
func NewOfficeKey() (seed []byte, public string, err error) {
	kp, err := nkeys.CreateUser()
	if err != nil {
		return nil, "", err
	}
	seed, err = kp.Seed()
	if err != nil {
		return nil, "", err
	}
	public, err = kp.PublicKey()
	return seed, public, err
}

// seedLabel starts the comment line of a seed file that names the office's instansi.
const seedLabel = "# pupns: kunci kantor BKN, instansi "

// WriteSeedFile writes an office's seed to a new file readable by its owner only (0600), under a
// comment line naming its instansi (so the office needs no separate setting for it). It never
// overwrites: a seed file that exists belongs to an office already.
func WriteSeedFile(path, instansi string, seed []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("berkas kunci %s sudah ada: pilih berkas lain dengan --out, atau hapus dulu bila memang tidak dipakai", path)
	}
	if err != nil {
		return fmt.Errorf("berkas kunci %s tidak dapat dibuat: %w", path, err)
	}
	label := seedLabel + instansi
	if instansi == "" {
		label = "# pupns: kunci hub BKN sendiri (kode hub dan nats CLI operator)"
	}
	_, err = fmt.Fprintf(f, "%s\n%s\n", label, seed)
	if err2 := f.Sync(); err == nil {
		err = err2
	}
	if err2 := f.Close(); err == nil {
		err = err2
	}
	if err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("berkas kunci %s tidak dapat ditulis: %w", path, err)
	}
	return nil
}

// ReadSeedFile reads a seed file: the key pair and the instansi its comment line names ("" for the
// hub's own). A file others may read is refused: the seed is the office's only secret.
func ReadSeedFile(path string) (nkeys.KeyPair, string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, "", fmt.Errorf("berkas kunci BKN %s tidak terbaca: %w", path, err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, "", fmt.Errorf("berkas kunci BKN %s boleh dibaca orang lain (mode %v): jalankan chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("berkas kunci BKN %s tidak terbaca: %w", path, err)
	}
	var seed, instansi string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, seedLabel):
			instansi = strings.TrimSpace(strings.TrimPrefix(line, seedLabel))
		case line != "" && !strings.HasPrefix(line, "#") && seed == "":
			seed = line
		}
	}
	kp, err := nkeys.FromSeed([]byte(seed))
	if err != nil {
		return nil, "", fmt.Errorf("berkas kunci BKN %s tidak berisi kunci NKey yang sah: %w", path, err)
	}
	if pub, _ := kp.PublicKey(); !nkeys.IsValidPublicUserKey(pub) {
		return nil, "", fmt.Errorf("berkas kunci BKN %s bukan kunci pengguna NKey (awalan SU)", path)
	}
	return kp, instansi, nil
}

// CheckPublicKey refuses a public key that is not an NKey user key.
func CheckPublicKey(pub string) error {
	if !nkeys.IsValidPublicUserKey(pub) {
		return fmt.Errorf("kunci publik %q bukan kunci pengguna NKey (awalan U)", pub)
	}
	return nil
}

// OfficePermissions are what the office of instansi id may do at its hub, as measured by
// TestOfficeNeedsEveryGrantedSubject: publish its own lines, documents and counters; fetch from and
// ack on its own consumer (and read that consumer's info); subscribe only to its own inbox prefix,
// where the stream's publish acks and the fetched decisions arrive. Nothing else: not the stream
// API, not another office's subjects, not pupns.decisions.* itself.
func OfficePermissions(id string) *server.Permissions {
	cons := StreamDecisions + "." + ConsumerName(id)
	return &server.Permissions{
		Publish: &server.SubjectPermission{Allow: []string{
			LinesSubject(id),
			DocsSubject(id),
			CountersSubject(id),
			"$JS." + Domain + ".API.CONSUMER.INFO." + cons,
			"$JS." + Domain + ".API.CONSUMER.MSG.NEXT." + cons,
			"$JS.ACK." + cons + ".>",
		}},
		Subscribe: &server.SubjectPermission{Allow: []string{InboxPrefix(id) + ".>"}},
	}
}

// officePermissions is OfficePermissions; TestOfficeNeedsEveryGrantedSubject takes one subject away.
var officePermissions = OfficePermissions

// officeUsers turns the register into the hub's NKey users: one per office, allowed to connect as
// a leaf node only, with OfficePermissions. Offices with a bad id or key are left out (and said).
func officeUsers(offices []Office) ([]*server.NkeyUser, []error) {
	var users []*server.NkeyUser
	var bad []error
	for _, o := range offices {
		if err := CheckInstansi(o.Instansi); err != nil {
			bad = append(bad, err)
			continue
		}
		if err := CheckPublicKey(o.PublicKey); err != nil {
			bad = append(bad, fmt.Errorf("kantor %s: %w", o.Instansi, err))
			continue
		}
		perms := officePermissions(o.Instansi)
		if o.Counters != nil {
			perms = KanregPermissions(o.Instansi, o.Counters)
		}
		users = append(users, &server.NkeyUser{Nkey: o.PublicKey, Permissions: perms,
			AllowedConnectionTypes: map[string]struct{}{"LEAFNODE": {}}})
	}
	return users, bad
}
