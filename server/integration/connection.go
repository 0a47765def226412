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
	"strings"
	gosync "sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"hrbridge/server/problem"
	"hrbridge/server/providers/httpx"
	"hrbridge/server/providers/jobkan"
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
	return &Service{db: st.DB, box: box, sandbox: strings.TrimRight(sandboxRoot, "/")}
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
	if c.SmartHRAccessToken, err = s.open(row.SmartHRAccessTokenEnc); err != nil {
		return c, fmt.Errorf("SmartHR access token: %w", err)
	}
	if c.JobkanClientSecret, err = s.open(row.JobkanClientSecretEnc); err != nil {
		return c, fmt.Errorf("Jobkan client secret: %w", err)
	}
	return c, nil
}

func (s *Service) open(ct []byte) (string, error) {
	if len(ct) == 0 {
		return "", nil
	}
	return s.box.Decrypt(ct)
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
	return c
}

// Save validates and stores u, encrypting the secrets. Invalid input is a 422
// naming each field, and nothing is written.
func (s *Service) Save(ctx context.Context, u Update) (Connection, error) {
	if err := validate(u); err != nil {
		return Connection{}, err
	}
	cur, err := s.Load(ctx)
	if err != nil && !errors.Is(err, secrets.ErrUnknownKey) {
		return Connection{}, err
	}
	token, secret := cur.SmartHRAccessToken, cur.JobkanClientSecret
	if u.SmartHRAccessToken != nil {
		token = *u.SmartHRAccessToken
	}
	if u.JobkanClientSecret != nil {
		secret = *u.JobkanClientSecret
	}
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
	if row.SmartHRAccessTokenEnc, err = s.box.Encrypt(token); err != nil {
		return Connection{}, err
	}
	if row.JobkanClientSecretEnc, err = s.box.Encrypt(secret); err != nil {
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

func validate(u Update) error {
	var errs []problem.FieldError
	for _, f := range []struct{ loc, v string }{
		{"body.smarthr.base_url", u.SmartHRBaseURL},
		{"body.jobkan.api_url", u.JobkanAPIURL},
		{"body.jobkan.token_url", u.JobkanTokenURL},
	} {
		if !strings.HasPrefix(f.v, "https://") && !strings.HasPrefix(f.v, "http://") {
			errs = append(errs, problem.FieldError{Location: f.loc, Message: "must be an http(s) URL"})
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
	sh, err := smarthr.New(c.SmartHRBaseURL, c.SmartHRAccessToken, so)
	if err != nil {
		return nil, problem.Unprocessable(err.Error())
	}
	jo := jobkan.Options{HTTP: s.HTTP}
	if s.TuneJobkan != nil {
		s.TuneJobkan(&jo)
	}
	jk, err := jobkan.New(c.JobkanAPIURL, c.JobkanTokenURL, c.JobkanClientID, c.JobkanClientSecret, jo)
	if err != nil {
		return nil, problem.Unprocessable(err.Error())
	}
	c.Zone = s.Zone
	s.pair, s.pairV, s.checked = &Pair{SmartHR: sh, Jobkan: jk, Connection: c}, c.version(), time.Now()
	return s.pair, nil
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
