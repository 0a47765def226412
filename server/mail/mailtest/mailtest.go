// Package mailtest runs a real SMTP server on loopback for tests and keeps
// what it receives, decoded.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"mime"
	"net"
	"net/mail"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one mail received, decoded.
type Message struct {
	From    string
	To      []string
	Header  mail.Header
	Subject string // decoded
	Body    string // decoded text
	TLS     bool   // received over STARTTLS
	User    string // the AUTH user, if any
}

// Options choose what the server offers.
type Options struct {
	STARTTLS bool   // offer STARTTLS with a self-signed certificate (see Server.ClientTLS)
	User     string // require AUTH PLAIN with User and Password
	Password string
	// Fail makes the first Fail deliveries fail with a temporary error.
	Fail int
}

// Server is a running SMTP server.
type Server struct {
	Addr      string
	ClientTLS *tls.Config // trusts the server's certificate
	srv       *smtp.Server

	mu       gosync.Mutex
	msgs     []Message
	fail     int
	attempts int
	arrived  chan struct{}
}

// Start runs a server on 127.0.0.1 until t ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	s := &Server{fail: o.Fail, arrived: make(chan struct{}, 100)}
	s.srv = smtp.NewServer(backend{s: s, o: o})
	s.srv.Domain = "mailtest.localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.AllowInsecureAuth = !o.STARTTLS
	if o.STARTTLS {
		cert, pool := selfSigned(t)
		s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		s.ClientTLS = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
}

// Messages returns what has arrived so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Attempts counts deliveries tried, failed ones included.
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// Wait returns the first n messages, or fails t after timeout.
func (s *Server) Wait(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if m := s.Messages(); len(m) >= n {
			return m
		}
		select {
		case <-s.arrived:
		case <-deadline:
			t.Fatalf("mailtest: %d of %d messages after %s", len(s.Messages()), n, timeout)
		}
	}
}

type backend struct {
	s *Server
	o Options
}

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{b: b, conn: c}, nil
}

type session struct {
	b    backend
	conn *smtp.Conn
	user string
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string {
	if ss.b.o.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.b.o.User || pass != ss.b.o.Password {
			return errors.New("invalid credentials")
		}
		ss.user = user
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.b.o.User != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := ss.b.s
	s.mu.Lock()
	s.attempts++
	if s.fail > 0 {
		s.fail--
		s.mu.Unlock()
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later (mailtest)"}
	}
	s.mu.Unlock()
	msg, err := decode(raw)
	if err != nil {
		return err
	}
	msg.From, msg.To, msg.User = ss.from, append([]string(nil), ss.to...), ss.user
	_, msg.TLS = ss.conn.TLSConnectionState()
	s.mu.Lock()
	s.msgs = append(s.msgs, msg)
	s.mu.Unlock()
	s.arrived <- struct{}{}
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// decode reads a single-part text message (base64, quoted-printable or
// plain) with an encoded subject.
func decode(raw []byte) (Message, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return Message{}, err
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		return Message{}, err
	}
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "base64") {
		clean := strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, string(body))
		if body, err = base64.StdEncoding.DecodeString(clean); err != nil {
			return Message{}, err
		}
	}
	return Message{Header: m.Header, Subject: subj, Body: strings.ReplaceAll(string(body), "\r\n", "\n")}, nil
}

func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "mailtest"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}
