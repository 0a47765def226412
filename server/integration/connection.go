// Package integration holds the Jobkan integration's connection settings
// (連携設定) and builds the two provider connectors from them; the diff
// snapshots and the import jobs both get their connectors here, so that one
// rate limiter per credential is shared by everything in this process.
package integration

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hrbridge/server/errcatalog"
	"net"
	"net/url"
	"strconv"
	"strings"
	gosync "sync"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"hrbridge/server/problem"
	"hrbridge/server/providers/httpx"
	"hrbridge/server/providers/jobkan"
	"hrbridge/server/providers/netguard"
	"hrbridge/server/providers/smarthr"
	"hrbridge/server/secrets"
	"hrbridge/server/store"
	"hrbridge/server/sync"
)

// Connection is the settings with secrets decrypted (never sent to clients).
type Connection struct {
	Configured         bool // saved by an administrator; false means sandbox defaults
	SmartHRBaseURL     string
	SmartHRAccessToken string
	JobkanAPIURL       string
	JobkanTokenURL     string
	JobkanClientID     string
	JobkanClientSecret string
	UseBusinessName    bool
	EmploymentTypes    []sync.EmploymentTypeMapping
	UpdatedAt          *time.Time
	// Zone is the service's HRBRIDGE_TIME_ZONE (nil: JST); not stored.
	Zone *time.Location

	// The origins each secret was entered for (sealed with it): a secret is
	// only ever sent there. "" for a secret stored before binding existed,
	// which is bound to the URLs saved with it.
	smarthrBound, jobkanBound string
}

// smarthrOrigin is where the SmartHR access token goes.
func (c Connection) smarthrOrigin() string { return Origin(c.SmartHRBaseURL) }

// jobkanOrigin is where the Jobkan client secret goes (the token endpoint),
// and the access token it buys (the API).
func (c Connection) jobkanOrigin() string {
	return Origin(c.JobkanTokenURL) + " " + Origin(c.JobkanAPIURL)
}

// Origin is the scheme://host:port of an http(s) URL, lower-cased, with the
// default port explicit ("" when it has none).
func Origin(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(net.JoinHostPort(u.Hostname(), port))
}

// bindingErrors lists the secrets that would be sent to an origin they were
// not entered for.
func (c Connection) bindingErrors() []problem.FieldError {
	var errs []problem.FieldError
	if c.smarthrBound != "" && c.SmartHRAccessToken != "" && c.smarthrBound != c.smarthrOrigin() {
		errs = append(errs, problem.FieldError{Location: "body.smarthr.access_token",
			Message: fmt.Sprintf("must be entered again: it was entered for %s and the base URL now points at %s; a stored secret is only sent to the origin it was entered for", c.smarthrBound, c.smarthrOrigin())})
	}
	if c.jobkanBound != "" && c.JobkanClientSecret != "" && c.jobkanBound != c.jobkanOrigin() {
		errs = append(errs, problem.FieldError{Location: "body.jobkan.client_secret",
			Message: fmt.Sprintf("must be entered again: it was entered for %s and the token and API URLs now point at %s; a stored secret is only sent to the origins it was entered for", c.jobkanBound, c.jobkanOrigin())})
	}
	return errs
}

// Settings is the part the diff engine uses.
func (c Connection) Settings() sync.Settings {
	return sync.Settings{EmploymentTypes: c.EmploymentTypes, UseBusinessName: c.UseBusinessName, Zone: c.Zone}
}

// version identifies these settings for caches.
func (c Connection) version() string {
	if c.UpdatedAt == nil {
		return "default"
	}
	return c.UpdatedAt.UTC().Format(time.RFC3339Nano)
}

// Update is what an administrator saves; a nil secret keeps the stored one.
type Update struct {
	SmartHRBaseURL     string
	SmartHRAccessToken *string
	JobkanAPIURL       string
	JobkanTokenURL     string
	JobkanClientID     string
	JobkanClientSecret *string
	UseBusinessName    bool
	EmploymentTypes    []sync.EmploymentTypeMapping
	By                 string
}

// ErrNotConfigured means there are no settings and no sandbox to default to.
var ErrNotConfigured = problem.Conflict("The Jobkan integration is not configured: an administrator must save 連携設定 (PUT /api/v1/integrations/jobkan/connection) first.")

// Service reads and writes the settings and hands out connectors.
type Service struct {
	db      *gorm.DB
	box     *secrets.Box
	sandbox string // root URL of the simulators ("http://host:port"), or ""
	// Zone is where timestamps sent for date-only fields are read as dates
	// (HRBRIDGE_TIME_ZONE); nil is JST.
	Zone *time.Location
	// HTTP is the transport configuration of both providers' clients
	// (HRBRIDGE_PROVIDER_RETRY_BUDGET); Tune* may change it per client.
	HTTP httpx.Config
	// Guard checks every address the provider clients connect to (SSRF);
	// the sandbox root is exempt.
	Guard *netguard.Guard
	// Tune lets tests and benchmarks adjust the clients' options.
	TuneSmartHR func(*smarthr.Options)
	TuneJobkan  func(*jobkan.Options)

	mu      gosync.Mutex
	pair    *Pair
	pairV   string
	checked time.Time // when pair was last compared with the stored settings
}

// recheckEvery bounds how stale another instance's saved settings may look
// here; a save on this instance applies at once.
const recheckEvery = time.Second

// New makes the service. sandboxRoot is where the simulators are served
// ("" when there is no sandbox): unconfigured settings point at them.
func New(st *store.Store, box *secrets.Box, sandboxRoot string) *Service {
	root := strings.TrimRight(sandboxRoot, "/")
	return &Service{db: st.DB, box: box, sandbox: root, Guard: netguard.New(false, root)}
}

// SandboxRoot turns a listen address into a URL this process can reach
// itself at (0.0.0.0 and [::] listen everywhere, loopback reaches them).
func SandboxRoot(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Load returns the saved settings, or the sandbox defaults when none are saved.
func (s *Service) Load(ctx context.Context) (Connection, error) {
	var row store.ConnectionSettings
	err := s.db.WithContext(ctx).Take(&row, 1).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return s.defaults(), nil
	}
	if err != nil {
		return Connection{}, err
	}
	c := Connection{
		Configured:      true,
		SmartHRBaseURL:  row.SmartHRBaseURL,
		JobkanAPIURL:    row.JobkanAPIURL,
		JobkanTokenURL:  row.JobkanTokenURL,
		JobkanClientID:  row.JobkanClientID,
		UseBusinessName: row.UseBusinessName,
		UpdatedAt:       &row.UpdatedAt,
	}
	if err := json.Unmarshal([]byte(row.EmploymentTypes), &c.EmploymentTypes); err != nil {
		return c, fmt.Errorf("read the employment type map: %w", err)
	}
	if c.smarthrBound, c.SmartHRAccessToken, err = s.open(row.SmartHRAccessTokenEnc); err != nil {
		return c, fmt.Errorf("SmartHR access token: %w", err)
	}
	if c.smarthrBound == "" {
		c.smarthrBound = c.smarthrOrigin()
	}
	if c.jobkanBound, c.JobkanClientSecret, err = s.open(row.JobkanClientSecretEnc); err != nil {
		return c, fmt.Errorf("Jobkan client secret: %w", err)
	}
	if c.jobkanBound == "" {
		c.jobkanBound = c.jobkanOrigin()
	}
	return c, nil
}

// boundPrefix starts a sealed secret that carries the origin it was entered
// for: boundPrefix + origin + "\x00" + secret. The origin is inside the
// AES-GCM seal, so editing the URL columns in the database cannot move it.
const boundPrefix = "hrbridge-bound-v1\x00"

func (s *Service) open(ct []byte) (origin, secret string, err error) {
	if len(ct) == 0 {
		return "", "", nil
	}
	pt, err := s.box.Decrypt(ct)
	if err != nil {
		return "", "", err
	}
	if rest, ok := strings.CutPrefix(pt, boundPrefix); ok {
		if o, sec, ok := strings.Cut(rest, "\x00"); ok {
			return o, sec, nil
		}
	}
	return "", pt, nil // sealed before binding existed
}

func (s *Service) seal(origin, secret string) ([]byte, error) {
	return s.box.Encrypt(boundPrefix + origin + "\x00" + secret)
}

func (s *Service) defaults() Connection {
	c := Connection{EmploymentTypes: sync.DefaultSettings().EmploymentTypes}
	if s.sandbox != "" {
		c.SmartHRBaseURL = s.sandbox + "/sandbox/smarthr/api"
		c.SmartHRAccessToken = "sandbox-token"
		c.JobkanAPIURL = s.sandbox + "/sandbox/jobkan"
		c.JobkanTokenURL = s.sandbox + "/sandbox/jobkan/oauth/token"
		c.JobkanClientID = "sandbox-client"
		c.JobkanClientSecret = "sandbox-secret"
	}
	c.smarthrBound, c.jobkanBound = c.smarthrOrigin(), c.jobkanOrigin()
	return c
}

// Save validates and stores u, encrypting the secrets. Invalid input is a 422
// naming each field, and nothing is written.
func (s *Service) Save(ctx context.Context, u Update) (Connection, error) {
	if err := s.validate(u); err != nil {
		return Connection{}, err
	}
	cur, err := s.Load(ctx)
	if err != nil && !errors.Is(err, secrets.ErrUnknownKey) {
		return Connection{}, err
	}
	// A secret not entered again stays bound to the origin it was entered
	// for: moving the URL elsewhere needs the secret again.
	next := cur
	next.SmartHRBaseURL, next.JobkanAPIURL, next.JobkanTokenURL = u.SmartHRBaseURL, u.JobkanAPIURL, u.JobkanTokenURL
	if u.SmartHRAccessToken != nil {
		next.SmartHRAccessToken, next.smarthrBound = *u.SmartHRAccessToken, next.smarthrOrigin()
	}
	if u.JobkanClientSecret != nil {
		next.JobkanClientSecret, next.jobkanBound = *u.JobkanClientSecret, next.jobkanOrigin()
	}
	if errs := next.bindingErrors(); len(errs) > 0 {
		return Connection{}, problem.Unprocessable("A stored secret is bound to the address it was entered for: enter it again to use it at the new address.", errs...)
	}
	token, secret := next.SmartHRAccessToken, next.JobkanClientSecret
	var missing []problem.FieldError
	if token == "" {
		missing = append(missing, problem.FieldError{Location: "body.smarthr.access_token", Message: "is required (none is stored yet)"})
	}
	if secret == "" {
		missing = append(missing, problem.FieldError{Location: "body.jobkan.client_secret", Message: "is required (none is stored yet)"})
	}
	if len(missing) > 0 {
		return Connection{}, problem.Unprocessable("The connection settings are incomplete.", missing...)
	}
	types, _ := json.Marshal(u.EmploymentTypes)
	row := store.ConnectionSettings{
		ID:              1,
		SmartHRBaseURL:  strings.TrimRight(u.SmartHRBaseURL, "/"),
		JobkanAPIURL:    strings.TrimRight(u.JobkanAPIURL, "/"),
		JobkanTokenURL:  u.JobkanTokenURL,
		JobkanClientID:  u.JobkanClientID,
		UseBusinessName: u.UseBusinessName,
		EmploymentTypes: string(types),
		UpdatedAt:       time.Now().UTC(),
		UpdatedBy:       u.By,
	}
	if row.SmartHRAccessTokenEnc, err = s.seal(next.smarthrOrigin(), token); err != nil {
		return Connection{}, err
	}
	if row.JobkanClientSecretEnc, err = s.seal(next.jobkanOrigin(), secret); err != nil {
		return Connection{}, err
	}
	if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
		return Connection{}, err
	}
	s.mu.Lock()
	s.checked = time.Time{} // use the new settings from the next call on
	s.mu.Unlock()
	return s.Load(ctx)
}

func (s *Service) validate(u Update) error {
	var errs []problem.FieldError
	for _, f := range []struct{ loc, v string }{
		{"body.smarthr.base_url", u.SmartHRBaseURL},
		{"body.jobkan.api_url", u.JobkanAPIURL},
		{"body.jobkan.token_url", u.JobkanTokenURL},
	} {
		if msg := checkURL(f.v); msg != "" {
			errs = append(errs, problem.FieldError{Location: f.loc, Message: msg})
		} else if msg := s.Guard.CheckLiteral(f.v); msg != "" {
			errs = append(errs, problem.FieldError{Location: f.loc, Message: msg})
		}
	}
	if msg := checkText(u.JobkanClientID, 200); msg != "" {
		errs = append(errs, problem.FieldError{Location: "body.jobkan.client_id", Message: msg})
	}
	for _, f := range []struct {
		loc string
		v   *string
	}{{"body.smarthr.access_token", u.SmartHRAccessToken}, {"body.jobkan.client_secret", u.JobkanClientSecret}} {
		if f.v != nil {
			if msg := checkText(*f.v, 4096); msg != "" {
				errs = append(errs, problem.FieldError{Location: f.loc, Message: msg})
			}
		}
	}
	if err := (sync.Settings{EmploymentTypes: u.EmploymentTypes}).Validate(); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			errs = append(errs, problem.FieldError{Location: "body.employment_types", Message: line})
		}
	}
	if len(errs) > 0 {
		return problem.Unprocessable("The connection settings are invalid.", errs...)
	}
	return nil
}

// Pair is the two connectors built from one version of the settings.
type Pair struct {
	SmartHR    *smarthr.Client
	Jobkan     *jobkan.Client
	Connection Connection
}

// Sides returns the source and target connectors for dir.
func (p *Pair) Sides(dir sync.Direction) (source, target sync.Connector) {
	if dir == sync.JobkanToSmartHR {
		return p.Jobkan, p.SmartHR
	}
	return p.SmartHR, p.Jobkan
}

// Connectors returns the connectors for the current settings, reusing the
// clients (and so their rate limiters and token caches) while the settings
// stay the same.
func (s *Service) Connectors(ctx context.Context) (*Pair, error) {
	s.mu.Lock()
	if s.pair != nil && time.Since(s.checked) < recheckEvery {
		p := s.pair
		s.mu.Unlock()
		return p, nil
	}
	s.mu.Unlock()
	c, err := s.Load(ctx)
	if err != nil {
		return nil, err
	}
	if c.SmartHRBaseURL == "" {
		return nil, ErrNotConfigured
	}
	if errs := c.bindingErrors(); len(errs) > 0 {
		return nil, problem.Unprocessable("A stored secret is bound to the address it was entered for, and the saved URL points elsewhere: enter the secret again in 連携設定.", errs...)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pair != nil && s.pairV == c.version() {
		s.checked = time.Now()
		return s.pair, nil
	}
	so := smarthr.Options{UseBusinessName: c.UseBusinessName, HTTP: s.HTTP}
	if s.TuneSmartHR != nil {
		s.TuneSmartHR(&so)
	}
	if so.HTTP.Client == nil {
		so.HTTP.Client = s.Guard.Client()
	}
	sh, err := smarthr.New(c.SmartHRBaseURL, c.SmartHRAccessToken, so)
	if err != nil {
		return nil, problem.Unprocessable(err.Error())
	}
	jo := jobkan.Options{HTTP: s.HTTP}
	if s.TuneJobkan != nil {
		s.TuneJobkan(&jo)
	}
	if jo.HTTP.Client == nil {
		jo.HTTP.Client = s.Guard.Client()
	}
	jk, err := jobkan.New(c.JobkanAPIURL, c.JobkanTokenURL, c.JobkanClientID, c.JobkanClientSecret, jo)
	if err != nil {
		return nil, problem.Unprocessable(err.Error())
	}
	c.Zone = s.Zone
	s.pair, s.pairV, s.checked = &Pair{SmartHR: sh, Jobkan: jk, Connection: c}, c.version(), time.Now()
	return s.pair, nil
}

// checkURL says what is wrong with a provider URL ("" when nothing): an
// absolute http(s) URL with a host, a valid port, and no credentials,
// query, fragment or control characters, so that every later call can use it.
func checkURL(raw string) string {
	if msg := checkText(raw, 2000); msg != "" {
		return msg
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "is not a URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return "must be an http(s) URL"
	case u.Hostname() == "":
		return "must name a host"
	case u.User != nil:
		return "must not contain a user name or password (enter credentials in their own fields)"
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "must not have a query or fragment"
	case strings.ContainsAny(u.Hostname(), " %"):
		return "has an invalid host"
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return "has an invalid port (1–65535)"
		}
	}
	return ""
}

// checkText refuses invalid UTF-8, control characters and values longer
// than max bytes.
func checkText(v string, max int) string {
	switch {
	case !utf8.ValidString(v):
		return "is not valid UTF-8"
	case len(v) > max:
		return fmt.Sprintf("must have at most %d bytes", max)
	}
	for _, r := range v {
		if unicode.IsControl(r) {
			return "must not contain control characters"
		}
	}
	return ""
}

// Check is one provider's answer to a connection test.
type Check struct {
	OK        bool
	Message   string
	Employees *int
	// Code and Failure describe a failed check for people (the error
	// catalogue); Message keeps the technical text.
	Code    string
	Failure errcatalog.Failure
}

// Test tries both providers with the saved settings.
func (s *Service) Test(ctx context.Context) (sh, jk Check, err error) {
	p, err := s.Connectors(ctx)
	if err != nil {
		return sh, jk, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var wg gosync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); sh = check(p.SmartHR.Ping(ctx)) }()
	go func() { defer wg.Done(); jk = check(p.Jobkan.Ping(ctx)) }()
	wg.Wait()
	return sh, jk, nil
}

func check(err error) Check {
	if err != nil {
		code, f := errcatalog.Classify(err, nil, time.Now())
		return Check{Message: err.Error(), Code: code, Failure: f}
	}
	return Check{OK: true, Message: "接続できました"}
}

// UpdatedAtString identifies this version of the settings for caches.
func (c Connection) UpdatedAtString() string { return c.version() }
