// Package netguard keeps the provider clients away from the network this
// service runs in (SSRF): a connection URL entered in 連携設定 may name any
// host, so every connection the clients open — the first one and the one
// after each redirect — is checked at the dialer, after DNS resolution,
// against loopback, private, link-local, unspecified and other non-public
// addresses. A string match on the URL would miss a name that resolves to
// 127.0.0.1, a decimal IP or a redirect.
//
// Two exceptions: the sandbox simulators this process serves or that
// HRBRIDGE_SANDBOX names (exempt by host:port, and only their /sandbox/
// paths), and an explicit opt-in for providers reached through an
// on-premises proxy or gateway (HRBRIDGE_ALLOW_PRIVATE_PROVIDERS=1).
package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// EnvAllowPrivate is the variable that turns the check off.
const EnvAllowPrivate = "HRBRIDGE_ALLOW_PRIVATE_PROVIDERS"

// SandboxPath is the only path prefix an exempt sandbox host is reached at.
const SandboxPath = "/sandbox/"

// Guard decides which addresses the provider clients may connect to.
type Guard struct {
	// AllowPrivate lets every address through (on-premises proxies).
	AllowPrivate bool
	exempt       map[string]bool // "host:port" of the sandbox roots
}

// New makes a guard that exempts the hosts of the given root URLs (the
// sandbox simulators); empty strings are ignored.
func New(allowPrivate bool, exemptRoots ...string) *Guard {
	g := &Guard{AllowPrivate: allowPrivate, exempt: map[string]bool{}}
	for _, r := range exemptRoots {
		if hp := hostPort(r); hp != "" {
			g.exempt[hp] = true
		}
	}
	return g
}

// hostPort is the lower-cased host:port of an http(s) URL ("" if none).
func hostPort(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	port := u.Port()
	if port == "" {
		switch u.Scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		default:
			return ""
		}
	}
	return strings.ToLower(net.JoinHostPort(u.Hostname(), port))
}

// Exempt reports whether rawURL is a sandbox URL this guard lets through.
func (g *Guard) Exempt(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	return g.exempt[hostPort(rawURL)] && strings.HasPrefix(u.Path+"/", SandboxPath)
}

// BlockedError is a connection refused by the guard.
type BlockedError struct {
	Addr   string // the resolved ip:port
	Reason string
}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("refused to connect to %s: %s, which a provider must not be (set %s=1 to reach providers through an on-premises proxy)", e.Addr, e.Reason, EnvAllowPrivate)
}

// ErrBlocked matches every *BlockedError with errors.Is.
var ErrBlocked = errors.New("address not allowed")

func (e *BlockedError) Is(target error) bool { return target == ErrBlocked }

// Forbidden says why ip is not a public unicast address ("" when it is).
func Forbidden(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return "not an IP address"
	case ip.IsUnspecified():
		return "an unspecified address"
	case ip.IsLoopback():
		return "a loopback address"
	case ip.IsPrivate():
		return "a private address"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "a link-local address"
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	}
	for _, p := range reserved {
		if p.Contains(ip) {
			if ip.Is6() && nat64.Contains(ip) {
				// NAT64: the IPv4 address inside decides.
				b := ip.As16()
				return Forbidden(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
			}
			return "a reserved or shared address"
		}
	}
	return ""
}

var nat64 = netip.MustParsePrefix("64:ff9b::/96")

var reserved = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
		"198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "255.255.255.255/32",
		"64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "fec0::/10",
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// control runs after resolution, just before connect: address is ip:port.
func control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &BlockedError{Addr: address, Reason: "not an IP address"}
	}
	if why := Forbidden(ap.Addr()); why != "" {
		return &BlockedError{Addr: address, Reason: why}
	}
	return nil
}

// DialContext dials addr (host:port, before resolution) with the check,
// unless it is an exempt sandbox host or private addresses are allowed.
func (g *Guard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	if !g.AllowPrivate && !g.exempt[strings.ToLower(addr)] {
		d.Control = control
	}
	return d.DialContext(ctx, network, addr)
}

// Transport is a pooled transport whose every connection goes through the
// guard. An HTTP(S)_PROXY from the environment is honoured: then the proxy
// is dialled (it must be public, or AllowPrivate set) and it reaches the
// provider.
func (g *Guard) Transport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = g.DialContext
	t.MaxIdleConnsPerHost = 16
	return sandboxPaths{g: g, next: t}
}

// Client is an HTTP client over Transport.
func (g *Guard) Client() *http.Client { return &http.Client{Transport: g.Transport()} }

// sandboxPaths keeps an exempt sandbox host to its /sandbox/ paths, so that
// the exemption never reaches this process's own /metrics or API.
type sandboxPaths struct {
	g    *Guard
	next http.RoundTripper
}

func (s sandboxPaths) RoundTrip(r *http.Request) (*http.Response, error) {
	if !s.g.AllowPrivate && s.g.exempt[hostPort(r.URL.String())] && !strings.HasPrefix(r.URL.Path, SandboxPath) {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, &BlockedError{Addr: r.URL.Host, Reason: "the sandbox host outside " + SandboxPath}
	}
	return s.next.RoundTrip(r)
}

// CheckLiteral refuses a URL whose host is a literal IP address the guard
// would refuse (a quick answer when settings are saved; names are checked
// when dialled). It returns "" when the URL may be used.
func (g *Guard) CheckLiteral(rawURL string) string {
	if g.AllowPrivate || g.Exempt(rawURL) {
		return ""
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	h := u.Hostname()
	if strings.EqualFold(h, "localhost") || strings.HasSuffix(strings.ToLower(h), ".localhost") {
		return "is a loopback host; a provider must be reachable at a public address (or set " + EnvAllowPrivate + "=1)"
	}
	ip, err := netip.ParseAddr(h)
	if err != nil {
		return ""
	}
	if why := Forbidden(ip); why != "" {
		return "is " + why + "; a provider must be reachable at a public address (or set " + EnvAllowPrivate + "=1)"
	}
	return ""
}
