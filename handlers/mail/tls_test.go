package mail_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"pupns/handlers/mail"
	"pupns/store/storetest"
)

// AuthMechanisms and Auth make the test server speak AUTH PLAIN; it takes one login.
func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "pupns" || pass != "rahasia-smtp" {
			return errors.New("login salah")
		}
		s.authed = true
		return nil
	}), nil
}

// selfSigned makes a certificate for 127.0.0.1 and the client settings that trust only it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

// TestTLSModesAndLogin: STARTTLS and implicit TLS both deliver, with AUTH PLAIN and the password
// from the settings; the server refuses mail from a client that did not log in.
func TestTLSModesAndLogin(t *testing.T) {
	srvTLS, cliTLS := selfSigned(t)
	for _, mode := range []string{mail.TLSStartTLS, mail.TLSImplicit} {
		t.Run(mode, func(t *testing.T) {
			o := storetest.NewOffice(t)
			r := &receiver{needAuth: true}
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			r.addr = l.Addr().String()
			if mode == mail.TLSImplicit {
				l = tls.NewListener(l, srvTLS)
			}
			r.srv = smtp.NewServer(r)
			r.srv.Domain, r.srv.TLSConfig = "localhost", srvTLS
			go r.srv.Serve(l)
			t.Cleanup(func() { r.srv.Close() })
			returnBudi(t, o.Store)
			id := waiting(t, o.Store)[0].MessageID

			s := newSender(t, o.Store, r)
			s.Config.TLS, s.Config.TLSConfig = mode, cliTLS
			if n := sendDue(t, s); n != 0 {
				t.Fatal("delivered without logging in")
			}
			s.Config.User, s.Config.Password = "pupns", "rahasia-smtp"
			o.Clock.Add(time.Minute)
			if n := sendDue(t, s); n != 1 || len(r.byID(id)) != 1 || !r.byID(id)[0].TLS {
				t.Fatalf("sent %d, received %+v", n, r.byID(id))
			}
		})
	}
}
