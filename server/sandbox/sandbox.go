// Package sandbox simulates the SmartHR and Jobkan APIs (DESIGN.md §3, the
// wire subset hrbridge uses) over real HTTP, in memory, with one seeded
// scenario for both, rate limits, fault injection and a control surface.
//
// Paths (the handler serves them in full, so it can be mounted at "/" or
// under "/sandbox/"):
//
//	/sandbox/smarthr/api/v1/...       SmartHR API   (Bearer sandbox-token)
//	/sandbox/jobkan/oauth/token       Jobkan token  (Basic sandbox-client:sandbox-secret)
//	/sandbox/jobkan/master/v1/...     Jobkan API
//	/sandbox/{smarthr,jobkan}/_sandbox/{reset,faults,writes,stats}   controls, no auth
package sandbox

import (
	"mime"
	"net/http"
	"strings"
	"time"
)

// Sandbox credentials: anything else gets the provider's own 401.
const (
	SmartHRToken       = "sandbox-token"
	JobkanClientID     = "sandbox-client"
	JobkanClientSecret = "sandbox-secret"
)

// Base paths of the simulators.
const (
	SmartHRBase = "/sandbox/smarthr"
	JobkanBase  = "/sandbox/jobkan"
)

// Scenario defaults and bounds.
const (
	DefaultSeed = 1
	DefaultSize = 200
	MaxSize     = 100_000
)

// Provider selects one simulator in the Go control methods.
type Provider string

const (
	SmartHR Provider = "smarthr"
	Jobkan  Provider = "jobkan"
)

// Options make a Sandbox. Size 0 means DefaultSize; Reset can load an empty
// scenario.
type Options struct {
	Seed int64
	Size int
	// Clean leaves out the planted real-world mess (planted.go) by default:
	// in New, in Reset and in a control reset that does not say "messy".
	Clean bool
}

// Sandbox holds both simulators. It is safe for concurrent use.
type Sandbox struct {
	opts    Options
	smarthr *smarthrSim
	jobkan  *jobkanSim
	mux     *http.ServeMux
}

// New loads the seeded scenario into both simulators, with each provider's
// default limits (SmartHR 10/s and 5000/h; Jobkan 5/s and 3000/h, tokens
// valid 1 h) and no faults.
func New(opts Options) *Sandbox {
	if opts.Size <= 0 {
		opts.Size = DefaultSize
	}
	opts.Size = min(opts.Size, MaxSize)
	s := &Sandbox{opts: opts, smarthr: newSmartHR(), jobkan: newJobkan(), mux: http.NewServeMux()}
	s.Reset(opts.Seed, opts.Size)
	s.smarthr.routes(s.mux, opts)
	s.jobkan.routes(s.mux, opts)
	return s
}

// Handler serves both simulators at their full paths.
func (s *Sandbox) Handler() http.Handler { return controlGuard(s.mux) }

// ControlHeader must be sent (any value) with every write to a control
// endpoint (POST/PUT under _sandbox/), together with a JSON body's
// Content-Type: an HTML form or a cross-site text/plain POST can send
// neither, and a cross-site script cannot set the header without a CORS
// preflight, which the simulators never grant.
const ControlHeader = "X-Sandbox-Control"

func controlGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/_sandbox/") && r.Method != http.MethodGet && r.Method != http.MethodHead {
			if r.Header.Get(ControlHeader) == "" {
				writeJSON(w, http.StatusForbidden, map[string]string{"error": "control requests need the " + ControlHeader + " header"})
				return
			}
			if ct := r.Header.Get("Content-Type"); ct != "" || r.ContentLength > 0 {
				if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
					writeJSON(w, http.StatusUnsupportedMediaType, map[string]string{"error": "control requests take application/json"})
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Reset loads the scenario (seed, size) into both simulators and clears their
// writes and counters; faults stay as set. The scenario is the messy one
// unless the Sandbox was made with Options.Clean.
func (s *Sandbox) Reset(seed int64, size int) { s.ResetScenario(seed, size, !s.opts.Clean) }

// ResetScenario is Reset with the mess chosen: messy plants the cases that
// Planted lists, !messy loads clean data.
func (s *Sandbox) ResetScenario(seed int64, size int, messy bool) {
	s.smarthr.reset(seed, size, messy)
	s.jobkan.reset(seed, size, messy)
}

func (s *Sandbox) sim(p Provider) *sim {
	if p == Jobkan {
		return &s.jobkan.sim
	}
	return &s.smarthr.sim
}

// Faults returns the faults and limits of one simulator.
func (s *Sandbox) Faults(p Provider) Faults { return s.sim(p).Faults() }

// SetFaults replaces them (a zero TokenTTLSeconds keeps the current one).
func (s *Sandbox) SetFaults(p Provider, f Faults) error { return s.sim(p).SetFaults(f) }

// Writes returns the writes one simulator has applied since its last reset.
func (s *Sandbox) Writes(p Provider) Writes { return s.sim(p).Writes() }

// Stats returns one simulator's request counters since its last reset.
func (s *Sandbox) Stats(p Provider) Stats { return s.sim(p).Stats() }

// ExpireTokens makes every Jobkan access token issued so far invalid, as if
// they had expired.
func (s *Sandbox) ExpireTokens() int { return s.jobkan.expireTokens() }

var epoch = time.Date(2023, 4, 1, 0, 0, 0, 0, time.UTC) // seeded records' created_at
