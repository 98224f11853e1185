package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// The register of Kanreg hubs at BKN Pusat: each Kanreg passes its region's snapshots on to Pusat,
// logging in like an office (an NKey user, leaf node over TLS) but allowed to publish only the
// counters of the instansi listed here (`pupns bkn kanreg I --instansi a,b,c`).

var bBKNKanregs = []byte("bkn_kanregs")

// EventBKNKanreg records a Kanreg hub registered at BKN Pusat (or its key or list changed).
const EventBKNKanreg = "kanreg_bkn"

// BKNKanreg is one Kanreg hub registered at BKN Pusat: its key and the instansi whose counters it
// may pass on.
type BKNKanreg struct {
	Kanreg       string    `json:"kanreg"`
	PublicKey    string    `json:"kunci_publik"`
	Instansi     []string  `json:"instansi"`
	RegisteredAt time.Time `json:"terdaftar"`
}

// User is the name the Kanreg's link has at Pusat (its seed file's label and inbox prefix).
func (k BKNKanreg) User() string { return KanregUser(k.Kanreg) }

// KanregUser is the link name of Kanreg k at BKN Pusat, e.g. "kanreg_I".
func KanregUser(k string) string { return "kanreg_" + k }

// RegisterBKNKanreg registers Kanreg k's hub at this BKN Pusat with its public key and the instansi
// it may publish counters for. A Kanreg already registered is ErrAlreadyExist unless replace.
func (s *Store) RegisterBKNKanreg(a Actor, k, publicKey string, instansi []string, replace bool) (BKNKanreg, error) {
	if !mayAdminister(a) {
		return BKNKanreg{}, ErrForbidden
	}
	if !Kanregs.Has(k) {
		return BKNKanreg{}, fmt.Errorf("%w: %q bukan Kanreg yang dikenal (I … XIV)", ErrInvalid, k)
	}
	if !bknKeyRe.MatchString(publicKey) {
		return BKNKanreg{}, fmt.Errorf("%w: kunci publik %q bukan kunci pengguna NKey", ErrInvalid, publicKey)
	}
	var list []string
	for _, id := range instansi {
		id = strings.TrimSpace(id)
		if !bknInstansiRe.MatchString(id) {
			return BKNKanreg{}, fmt.Errorf("%w: id instansi %q: hanya huruf, angka, _ dan -, paling panjang 32 karakter", ErrInvalid, id)
		}
		list = append(list, id)
	}
	if len(list) == 0 {
		return BKNKanreg{}, fmt.Errorf("%w: sebutkan instansi Kanreg %s (--instansi a,b,c)", ErrInvalid, k)
	}
	slices.Sort(list)
	r := BKNKanreg{Kanreg: k, PublicKey: publicKey, Instansi: slices.Compact(list), RegisteredAt: s.now()}
	err := s.update(func(tx *bbolt.Tx) error {
		b := bk(tx, bBKNKanregs)
		detail := "Kanreg " + k + " didaftarkan, instansi " + strings.Join(r.Instansi, ",") + ", kunci " + publicKey
		if b.Get([]byte(k)) != nil {
			if !replace {
				return fmt.Errorf("hub Kanreg %s %w di BKN Pusat: pakai --ganti untuk mengganti kunci atau daftar instansinya", k, ErrAlreadyExist)
			}
			detail = "Kanreg " + k + " diganti: instansi " + strings.Join(r.Instansi, ",") + ", kunci " + publicKey
		}
		if err := putJSON(b, []byte(k), r); err != nil {
			return err
		}
		return appendEvent(tx, Event{At: r.RegisteredAt, Actor: a.Login, Kind: EventBKNKanreg, Detail: detail})
	})
	if err != nil {
		return BKNKanreg{}, err
	}
	return r, nil
}

// BKNKanregs is the register of Kanreg hubs (at most fourteen rows).
func (s *Store) BKNKanregs() ([]BKNKanreg, error) {
	var out []BKNKanreg
	err := s.view(func(tx *bbolt.Tx) error {
		return bk(tx, bBKNKanregs).ForEach(func(k, v []byte) error {
			var r BKNKanreg
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("%w: bkn_kanregs %s: %v", ErrDamaged, k, err)
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}
