// Package config reads hrbridge's configuration from HRBRIDGE_* variables
// (DESIGN.md §4).
package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // HRBRIDGE_TIME_ZONE works where the system has no zoneinfo
)

// Config is the whole process configuration.
type Config struct {
	Addr          string
	DatabaseURL   string
	Sandbox       string // "", "1" (mount in this process) or the URL of a `hrbridge sandbox` process
	SandboxSize   int
	AdminEmail    string
	AdminPassword string
	SecretKey     string
	SMTPURL       string
	MailFrom      string
	BaseURL       string
	// DiffSnapshotTTL is how long provider snapshots are reused across diff pages.
	DiffSnapshotTTL time.Duration
	// JobRescueAfter is how long one run of an import job may take before
	// River considers its instance dead and runs it again elsewhere; a run
	// hands over to the next well before that (docs/imports.md). 0: the default.
	JobRescueAfter time.Duration
	// TimeZone is where a timestamp that a provider sends for a date-only
	// field (入社年月日, 生年月日) is read as a calendar date
	// (HRBRIDGE_TIME_ZONE, an IANA name; Asia/Tokyo).
	TimeZone *time.Location
	// ImportRecheckDelay is the pause before an import looks at the target
	// again after a write that may not have landed (tests shorten it); 0: 1s.
	ImportRecheckDelay time.Duration
	// ProviderRetryBudget is how long one provider request keeps retrying
	// after 429 and 503 answers (HRBRIDGE_PROVIDER_RETRY_BUDGET); see
	// httpx.Config.RetryBudget.
	ProviderRetryBudget time.Duration
	// ImportGiveUpAfter is how long an import waits for a provider that
	// cannot be reached before it ends failed (HRBRIDGE_IMPORT_GIVE_UP_AFTER;
	// 15m).
	ImportGiveUpAfter time.Duration
	// DiffRefreshCooldown: a diff refresh (refresh=true) within this long of
	// the last one of its direction, on any instance, reuses it
	// (HRBRIDGE_DIFF_REFRESH_COOLDOWN; 30s; 0 turns it off).
	DiffRefreshCooldown time.Duration
	// DiffRefreshPerCaller: one caller may ask for a refresh at most once
	// this often, else 429 (HRBRIDGE_DIFF_REFRESH_PER_CALLER; 10s; 0 off).
	DiffRefreshPerCaller time.Duration
	// ShutdownTimeout bounds how long in-flight requests may take at SIGTERM.
	ShutdownTimeout time.Duration
	// SecretKeyPrevious are earlier keys (HRBRIDGE_SECRET_KEY_PREVIOUS,
	// comma separated) that can still decrypt during a key rotation.
	SecretKeyPrevious []string
	// TrustedProxies are the networks (HRBRIDGE_TRUSTED_PROXIES, comma
	// separated CIDRs) whose X-Forwarded-For names the client; empty means
	// the client is the TCP peer.
	TrustedProxies []string
	// AllowPrivateProviders lets the provider clients connect to loopback,
	// private and link-local addresses (HRBRIDGE_ALLOW_PRIVATE_PROVIDERS=1),
	// for providers reached through an on-premises proxy; off, only public
	// addresses and the sandbox are reached (docs/security.md).
	AllowPrivateProviders bool
	// MetricsAddr, when set (HRBRIDGE_METRICS_ADDR), serves /metrics on its
	// own listener there and not on Addr.
	MetricsAddr string
	// MetricsToken, when set (HRBRIDGE_METRICS_TOKEN), is the bearer token
	// /metrics on Addr needs. With neither, /metrics on Addr answers only
	// direct loopback peers (docs/security.md).
	MetricsToken string
}

// FromEnv reads the configuration; getenv is os.Getenv outside tests.
func FromEnv(getenv func(string) string) (Config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Addr:          get("HRBRIDGE_ADDR", "127.0.0.1:8080"),
		DatabaseURL:   get("HRBRIDGE_DATABASE_URL", "sqlite:data/hrbridge.db"),
		Sandbox:       get("HRBRIDGE_SANDBOX", ""),
		AdminEmail:    get("HRBRIDGE_ADMIN_EMAIL", ""),
		AdminPassword: getenv("HRBRIDGE_ADMIN_PASSWORD"),
		SecretKey:     get("HRBRIDGE_SECRET_KEY", ""),
		SMTPURL:       get("HRBRIDGE_SMTP_URL", ""),
		MailFrom:      get("HRBRIDGE_MAIL_FROM", "hrbridge@localhost"),
	}
	c.SecretKeyPrevious = splitList(getenv("HRBRIDGE_SECRET_KEY_PREVIOUS"))
	c.TrustedProxies = splitList(getenv("HRBRIDGE_TRUSTED_PROXIES"))
	for _, cidr := range c.TrustedProxies {
		if _, _, err := net.ParseCIDR(cidr); err != nil {
			return c, fmt.Errorf("HRBRIDGE_TRUSTED_PROXIES: %q is not a CIDR such as 10.0.0.0/8", cidr)
		}
	}
	c.BaseURL = strings.TrimRight(get("HRBRIDGE_BASE_URL", "http://"+c.Addr), "/")
	if c.Sandbox == "0" || strings.EqualFold(c.Sandbox, "off") {
		c.Sandbox = ""
	}
	if c.Sandbox != "" && c.Sandbox != "1" {
		if u, err := url.Parse(c.Sandbox); err != nil || u.Scheme == "" || u.Host == "" {
			return c, fmt.Errorf("HRBRIDGE_SANDBOX must be 1 or an http(s) URL, got %q", c.Sandbox)
		}
		c.Sandbox = strings.TrimRight(c.Sandbox, "/")
	}
	var err error
	if c.SandboxSize, err = strconv.Atoi(get("HRBRIDGE_SANDBOX_SIZE", "200")); err != nil || c.SandboxSize < 0 {
		return c, fmt.Errorf("HRBRIDGE_SANDBOX_SIZE must be a whole number ≥ 0, got %q", getenv("HRBRIDGE_SANDBOX_SIZE"))
	}
	if c.TimeZone, err = time.LoadLocation(get("HRBRIDGE_TIME_ZONE", "Asia/Tokyo")); err != nil {
		return c, fmt.Errorf("HRBRIDGE_TIME_ZONE must be an IANA time zone such as Asia/Tokyo: %w", err)
	}
	if c.DiffSnapshotTTL, err = time.ParseDuration(get("HRBRIDGE_DIFF_SNAPSHOT_TTL", "5m")); err != nil {
		return c, fmt.Errorf("HRBRIDGE_DIFF_SNAPSHOT_TTL: %w", err)
	}
	if v := get("HRBRIDGE_JOB_RESCUE_AFTER", ""); v != "" {
		if c.JobRescueAfter, err = time.ParseDuration(v); err != nil || c.JobRescueAfter < 2*time.Second {
			return c, fmt.Errorf("HRBRIDGE_JOB_RESCUE_AFTER must be a duration of at least 2s (e.g. 2m), got %q", v)
		}
	}
	budget := get("HRBRIDGE_PROVIDER_RETRY_BUDGET", "3m")
	if c.ProviderRetryBudget, err = time.ParseDuration(budget); err != nil || c.ProviderRetryBudget < time.Second {
		return c, fmt.Errorf("HRBRIDGE_PROVIDER_RETRY_BUDGET must be a duration of at least 1s (e.g. 3m), got %q", budget)
	}
	for _, d := range []struct {
		name, def string
		into      *time.Duration
	}{
		{"HRBRIDGE_IMPORT_GIVE_UP_AFTER", "15m", &c.ImportGiveUpAfter},
		{"HRBRIDGE_DIFF_REFRESH_COOLDOWN", "30s", &c.DiffRefreshCooldown},
		{"HRBRIDGE_DIFF_REFRESH_PER_CALLER", "10s", &c.DiffRefreshPerCaller},
	} {
		v := get(d.name, d.def)
		if *d.into, err = time.ParseDuration(v); err != nil || *d.into < 0 {
			return c, fmt.Errorf("%s must be a duration such as %s, got %q", d.name, d.def, v)
		}
	}
	c.ShutdownTimeout = 30 * time.Second
	c.MetricsAddr = get("HRBRIDGE_METRICS_ADDR", "")
	c.MetricsToken = get("HRBRIDGE_METRICS_TOKEN", "")
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		return c, fmt.Errorf("HRBRIDGE_METRICS_TOKEN must have at least 16 characters")
	}
	switch v := get("HRBRIDGE_ALLOW_PRIVATE_PROVIDERS", "0"); strings.ToLower(v) {
	case "1", "true", "yes", "on":
		c.AllowPrivateProviders = true
	case "0", "false", "no", "off":
	default:
		return c, fmt.Errorf("HRBRIDGE_ALLOW_PRIVATE_PROVIDERS must be 1 or 0, got %q", v)
	}
	if c.AdminEmail != "" && c.AdminPassword == "" {
		return c, fmt.Errorf("HRBRIDGE_ADMIN_EMAIL is set but HRBRIDGE_ADMIN_PASSWORD is empty")
	}
	return c, nil
}

// DataDir is where the embedded database and the generated key live: the
// SQLite file's folder, or ./data for PostgreSQL.
func (c Config) DataDir() string {
	if p, ok := strings.CutPrefix(c.DatabaseURL, "sqlite:"); ok {
		return filepath.Dir(p)
	}
	return "data"
}

// splitList splits a comma separated value, dropping blanks.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// FromOS reads the process environment.
func FromOS() (Config, error) { return FromEnv(os.Getenv) }
