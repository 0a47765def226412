// Package mail sends plain-text mail over SMTP (HRBRIDGE_SMTP_URL).
//
// URLs: smtp://[user:pass@]host[:port] (port 25 by default; STARTTLS when
// the server offers it, and then required for credentials; without it, plain
// text only to a loopback server unless ?tls=none), or smtps://… (TLS from
// the first byte, port 465 by default).
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// Mailer sends through one SMTP server.
type Mailer struct {
	host, addr  string
	user, pass  string
	implicitTLS bool
	allowPlain  bool // ?tls=none: plain text to any host
	from        mail.Address
	// TLSConfig, when set, is used for TLS (tests trust their own CA here).
	TLSConfig *tls.Config
	// Timeout bounds one whole delivery; 1 minute.
	Timeout time.Duration
}

// New parses the server URL and the From address. An empty URL means mail
// is off: New returns nil and no error.
func New(rawURL, from string) (*Mailer, error) {
	if strings.TrimSpace(rawURL) == "" {
		return nil, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, fmt.Errorf("HRBRIDGE_SMTP_URL must look like smtp://user:pass@host:port or smtps://…, got %q", redact(rawURL))
	}
	m := &Mailer{host: u.Hostname(), implicitTLS: u.Scheme == "smtps", Timeout: time.Minute}
	port := u.Port()
	if port == "" {
		port = "25"
		if m.implicitTLS {
			port = "465"
		}
	}
	m.addr = net.JoinHostPort(m.host, port)
	if u.User != nil {
		m.user = u.User.Username()
		m.pass, _ = u.User.Password()
	}
	switch v := u.Query().Get("tls"); v {
	case "", "auto":
	case "none":
		m.allowPlain = true
	default:
		return nil, fmt.Errorf("HRBRIDGE_SMTP_URL: tls=%q is not known (use none or leave it out)", v)
	}
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("HRBRIDGE_MAIL_FROM %q is not an e-mail address: %w", from, err)
	}
	m.from = *addr
	return m, nil
}

// String describes the server without its password.
func (m *Mailer) String() string {
	scheme := "smtp"
	if m.implicitTLS {
		scheme = "smtps"
	}
	return scheme + "://" + m.addr
}

// Message is one plain-text mail.
type Message struct {
	To      []string
	Subject string
	Body    string
}

// Send delivers msg.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	if len(msg.To) == 0 {
		return errors.New("mail: no recipient")
	}
	to := make([]string, len(msg.To))
	for i, t := range msg.To {
		a, err := mail.ParseAddress(t)
		if err != nil {
			return fmt.Errorf("mail: recipient %q: %w", t, err)
		}
		to[i] = a.Address
	}
	data := Compose(m.from, to, msg.Subject, msg.Body, time.Now())
	ctx, cancel := context.WithTimeout(ctx, m.Timeout)
	defer cancel()
	if err := m.deliver(ctx, to, data); err != nil {
		return fmt.Errorf("mail via %s: %w", m, err)
	}
	return nil
}

func (m *Mailer) tlsConfig() *tls.Config {
	c := &tls.Config{}
	if m.TLSConfig != nil {
		c = m.TLSConfig.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = m.host
	}
	return c
}

func (m *Mailer) deliver(ctx context.Context, to []string, data []byte) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", m.addr)
	if err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	if m.implicitTLS {
		conn = tls.Client(conn, m.tlsConfig())
	}
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if err := c.Hello(localName()); err != nil {
		return err
	}
	secure := m.implicitTLS
	if !secure {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(m.tlsConfig()); err != nil {
				return fmt.Errorf("STARTTLS: %w", err)
			}
			secure = true
		}
	}
	if !secure && !m.allowPlain && !isLoopback(m.host) {
		return fmt.Errorf("the server does not offer STARTTLS; refusing to send in plain text to %s (use smtps://, or add ?tls=none to allow it)", m.host)
	}
	if m.user != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("the server does not offer AUTH but credentials are configured")
		}
		if err := c.Auth(plainAuth{user: m.user, pass: m.pass, host: m.host, secure: secure || isLoopback(m.host) || m.allowPlain}); err != nil {
			return fmt.Errorf("AUTH: %w", err)
		}
	}
	if err := c.Mail(m.from.Address); err != nil {
		return err
	}
	for _, t := range to {
		if err := c.Rcpt(t); err != nil {
			return fmt.Errorf("RCPT %s: %w", t, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// plainAuth is AUTH PLAIN, allowed where the connection is encrypted or
// never leaves the machine (net/smtp's own refuses a loopback IP by name).
type plainAuth struct {
	user, pass, host string
	secure           bool
}

func (a plainAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !a.secure && !server.TLS {
		return "", nil, errors.New("refusing to send the password over an unencrypted connection")
	}
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected server challenge")
	}
	return nil, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func localName() string {
	return "hrbridge.localhost"
}

// Compose renders a message: UTF-8 text, base64 encoded, the subject as an
// RFC 2047 encoded word.
func Compose(from mail.Address, to []string, subject, body string, date time.Time) []byte {
	var b bytes.Buffer
	hdr := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	hdr("From", from.String())
	hdr("To", strings.Join(to, ", "))
	hdr("Subject", mime.BEncoding.Encode("UTF-8", subject))
	hdr("Date", date.Format(time.RFC1123Z))
	hdr("Message-ID", "<"+randomID()+"@"+domainOf(from.Address)+">")
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", "text/plain; charset=UTF-8")
	hdr("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	text := strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(text))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

func randomID() string {
	var r [12]byte
	_, _ = rand.Read(r[:])
	return hex.EncodeToString(r[:])
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 && i < len(addr)-1 {
		return addr[i+1:]
	}
	return "hrbridge.localhost"
}

func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "…")
			return u.String()
		}
	}
	return raw
}
