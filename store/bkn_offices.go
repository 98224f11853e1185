package store

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// The register of offices at a BKN hub (a Kanreg or BKN Pusat): which instansi's office may link to
// this hub, and the public half of the NKey it logs in with. The hub keeps no office secret: the
// seed is written once, by `pupns bkn kantor`, to the file carried to the office. The hub's NATS
// server builds its office users (and their permissions) from this register.

var bBKNOffices = []byte("bkn_offices")

// EventBKNOffice records an office registered (or its key replaced) at this hub.
const EventBKNOffice = "kantor_bkn"

// BKNOffice is one office registered at this hub.
type BKNOffice struct {
	Instansi     string    `json:"instansi"`
	PublicKey    string    `json:"kunci_publik"`
	RegisteredAt time.Time `json:"terdaftar"`
}

var (
	bknInstansiRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)
	// bknKeyRe is an NKey user public key: "U" and 55 more base32 characters.
	bknKeyRe = regexp.MustCompile(`^U[A-Z2-7]{55}$`)
)

// RegisterBKNOffice registers the office of an instansi with its public key. An office already
// registered is ErrAlreadyExist unless replace (a new key: the old one stops working at the hub's
// next reload of the register).
func (s *Store) RegisterBKNOffice(a Actor, instansi, publicKey string, replace bool) (BKNOffice, error) {
	if !mayAdminister(a) {
		return BKNOffice{}, ErrForbidden
	}
	instansi = strings.TrimSpace(instansi)
	if !bknInstansiRe.MatchString(instansi) {
		return BKNOffice{}, fmt.Errorf("%w: id instansi %q: hanya huruf, angka, _ dan -, paling panjang 32 karakter", ErrInvalid, instansi)
	}
	if !bknKeyRe.MatchString(publicKey) {
		return BKNOffice{}, fmt.Errorf("%w: kunci publik kantor %q bukan kunci pengguna NKey", ErrInvalid, publicKey)
	}
	o := BKNOffice{Instansi: instansi, PublicKey: publicKey, RegisteredAt: s.now()}
	err := s.update(func(tx *bbolt.Tx) error {
		b := bk(tx, bBKNOffices)
		detail := "kantor instansi " + instansi + " didaftarkan, kunci " + publicKey
		if b.Get([]byte(instansi)) != nil {
			if !replace {
				return fmt.Errorf("kantor instansi %s %w di hub ini: pakai --ganti untuk mengganti kuncinya", instansi, ErrAlreadyExist)
			}
			detail = "kunci kantor instansi " + instansi + " diganti, kunci baru " + publicKey
		}
		if err := putJSON(b, []byte(instansi), o); err != nil {
			return err
		}
		return appendEvent(tx, Event{At: o.RegisteredAt, Actor: a.Login, Kind: EventBKNOffice, Detail: detail})
	})
	if err != nil {
		return BKNOffice{}, err
	}
	return o, nil
}

// BKNOffices is the register, by instansi id. It is small (one row per instansi of the hub's
// region: tens, at BKN Pusat about a hundred), so one short read transaction holds it all.
func (s *Store) BKNOffices() ([]BKNOffice, error) {
	var out []BKNOffice
	err := s.view(func(tx *bbolt.Tx) error {
		return bk(tx, bBKNOffices).ForEach(func(k, v []byte) error {
			var o BKNOffice
			if err := json.Unmarshal(v, &o); err != nil {
				return fmt.Errorf("%w: bkn_offices %s: %v", ErrDamaged, k, err)
			}
			out = append(out, o)
			return nil
		})
	})
	return out, err
}
