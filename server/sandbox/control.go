package sandbox

import (
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"time"
)

// Faults are what a simulator does to the requests of its API. Zero limits
// mean unlimited.
type Faults struct {
	LatencyMS int     `json:"latency_ms"` // added to every API request
	ErrorRate float64 `json:"error_rate"` // share of requests answered 500 (0..1)
	Rate429   float64 `json:"rate429"`    // share answered 429 although within the limits (0..1)
	// ResetRate is the share of API requests whose TCP connection is closed
	// (reset) without an answer, before the request is handled (0..1).
	ResetRate float64 `json:"reset_rate"`
	PerSecond int     `json:"per_second"` // requests allowed in any 1 s
	PerHour   int     `json:"per_hour"`   // requests allowed in any 1 h
	// TokenTTLSeconds is the lifetime of the access tokens Jobkan issues
	// (Jobkan only; tokens already issued keep theirs).
	TokenTTLSeconds int `json:"token_ttl_seconds,omitempty"`
	// RejectWrites lists 社員番号 whose creates and updates the provider
	// refuses with its own 400 validation error, as it would refuse a value:
	// a deterministic failed employee for tests.
	RejectWrites []string `json:"reject_writes,omitempty"`
	// WriteFault fails every create and update: "fail" answers 500 without
	// applying it; "lost" applies it, then answers 500; "reset" applies it,
	// then resets the connection (the answer is lost). Reads are untouched,
	// so that a client can look at what landed.
	WriteFault string `json:"write_fault,omitempty"`
}

// Write faults (Faults.WriteFault).
const (
	WriteFail  = "fail"
	WriteLost  = "lost"
	WriteReset = "reset"
)

// WriteCount counts the writes applied to one employee.
type WriteCount struct {
	Creates int `json:"creates"`
	Updates int `json:"updates"`
}

// Writes are the writes a simulator has applied since its last reset, by
// employee number (SmartHR crews without one are keyed "crew:<id>"). Refused
// writes are not counted.
type Writes struct {
	Total     WriteCount            `json:"total"`
	Employees map[string]WriteCount `json:"employees"`
}

// Stats count the API requests a simulator has seen since its last reset.
type Stats struct {
	Requests       int64 `json:"requests"`
	Throttled      int64 `json:"throttled"` // 429s for exceeding per_second or per_hour
	Injected429    int64 `json:"injected_429"`
	InjectedErrors int64 `json:"injected_errors"`
	InjectedResets int64 `json:"injected_resets"`
	TokensIssued   int64 `json:"tokens_issued,omitempty"` // Jobkan
}

// dialect is how one provider words the answers the guard gives.
type dialect struct {
	// rate writes the rate-limit headers of an answer (limit 0: none).
	rate        func(h http.Header, limit, remaining, resetSeconds int)
	tooMany     func(w http.ResponseWriter, retrySeconds int)
	serverError func(w http.ResponseWriter)
}

// sim is what both simulators share: faults, limits, counters and the lock
// over their data.
type sim struct {
	mu           sync.Mutex
	faults       Faults
	second, hour *window
	stats        Stats
	writes       map[string]*WriteCount
	total        WriteCount
	d            dialect
	load         func(scenario) // replaces the data; called with mu held
	planted      []PlantedCase  // the planted cases of the loaded scenario
}

func (s *sim) setLimits() {
	s.second = newWindow(s.faults.PerSecond, time.Second)
	s.hour = newWindow(s.faults.PerHour, time.Hour)
}

// reset loads the scenario (messy: with the planted cases) and forgets
// writes, counters and used limits.
func (s *sim) reset(seed int64, size int, messy bool) {
	sc := generateWith(seed, size, messy)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load(sc)
	s.planted = sc.planted
	s.stats = Stats{}
	s.writes = map[string]*WriteCount{}
	s.total = WriteCount{}
	s.setLimits()
}

// rejects reports whether writes for number are refused; call with mu held.
func (s *sim) rejects(number string) bool {
	return number != "" && slices.Contains(s.faults.RejectWrites, number)
}

// wrote records an applied write; call with mu held.
func (s *sim) wrote(number string, create bool) {
	c := s.writes[number]
	if c == nil {
		c = &WriteCount{}
		s.writes[number] = c
	}
	if create {
		c.Creates++
		s.total.Creates++
	} else {
		c.Updates++
		s.total.Updates++
	}
}

func (s *sim) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

func (s *sim) SetFaults(f Faults) error {
	if err := f.validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	limits := f.PerSecond != s.faults.PerSecond || f.PerHour != s.faults.PerHour
	if f.TokenTTLSeconds == 0 {
		f.TokenTTLSeconds = s.faults.TokenTTLSeconds
	}
	s.faults = f
	if limits {
		s.setLimits()
	}
	return nil
}

func (f Faults) validate() error {
	switch {
	case f.LatencyMS < 0 || f.LatencyMS > 60_000:
		return errors.New("latency_ms must be within 0..60000")
	case f.ErrorRate < 0 || f.ErrorRate > 1 || f.Rate429 < 0 || f.Rate429 > 1:
		return errors.New("error_rate and rate429 must be within 0..1")
	case f.ResetRate < 0 || f.ResetRate > 1:
		return errors.New("reset_rate must be within 0..1")
	case f.PerSecond < 0 || f.PerHour < 0 || f.TokenTTLSeconds < 0:
		return errors.New("per_second, per_hour and token_ttl_seconds must not be negative")
	case f.PerSecond > 1_000_000 || f.PerHour > 10_000_000:
		return errors.New("per_second or per_hour is too large; use 0 for no limit")
	case f.WriteFault != "" && f.WriteFault != WriteFail && f.WriteFault != WriteLost && f.WriteFault != WriteReset:
		return errors.New("write_fault must be fail, lost or reset")
	}
	return nil
}

func (s *sim) Writes() Writes {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := Writes{Total: s.total, Employees: make(map[string]WriteCount, len(s.writes))}
	for k, v := range s.writes {
		w.Employees[k] = *v
	}
	return w
}

func (s *sim) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// injected429Wait is the Retry-After (seconds) of an injected 429.
const injected429Wait = 1

// guard applies the limits and faults before the API handler: the limits
// first, counted on arrival as a provider's edge would, then latency, then
// injected failures (reset connections, 429s, 500s).
func (s *sim) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		s.mu.Lock()
		s.stats.Requests++
		f := s.faults
		wait, limit, remaining, reset := s.admit(now)
		s.mu.Unlock()

		s.d.rate(w.Header(), limit, remaining, reset)
		if wait > 0 {
			s.d.tooMany(w, ceilSeconds(wait))
			return
		}
		if !delay(r, f.LatencyMS) {
			return
		}
		if f.ResetRate > 0 && rand.Float64() < f.ResetRate {
			s.count(func(st *Stats) { st.InjectedResets++ })
			dropConn(w)
			return
		}
		if f.Rate429 > 0 && rand.Float64() < f.Rate429 {
			s.count(func(st *Stats) { st.Injected429++ })
			// Asks for a short wait, as a provider's edge does in a storm of
			// short throttles (issue 11: Retry-After: 1).
			s.d.rate(w.Header(), limit, 0, injected429Wait)
			s.d.tooMany(w, injected429Wait)
			return
		}
		if f.ErrorRate > 0 && rand.Float64() < f.ErrorRate {
			s.count(func(st *Stats) { st.InjectedErrors++ })
			s.d.serverError(w)
			return
		}
		if f.WriteFault != "" && isWrite(r.Method) {
			s.count(func(st *Stats) { st.InjectedErrors++ })
			if f.WriteFault != WriteFail {
				next.ServeHTTP(httptest.NewRecorder(), r) // applied; the answer is lost
			}
			if f.WriteFault == WriteReset {
				dropConn(w)
			} else {
				s.d.serverError(w)
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}

func isWrite(method string) bool {
	return method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch
}

// dropConn closes the request's connection without a word: with SO_LINGER 0
// the client sees "connection reset by peer", as when a proxy or the
// provider's edge drops it. Where the connection cannot be taken over
// (HTTP/2), the handler is aborted, which also ends the answer unsent.
func dropConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// delay waits ms milliseconds; false when the client gave up meanwhile, in
// which case nothing is done for it.
func delay(r *http.Request, ms int) bool {
	if ms <= 0 {
		return true
	}
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// admit takes one request from the windows, or says how long until it fits;
// it also gives the rate-limit figures to report. Call with mu held.
func (s *sim) admit(now time.Time) (wait time.Duration, limit, remaining, reset int) {
	ws, hs := s.second.wait(now), s.hour.wait(now)
	switch {
	case hs > 0:
		s.stats.Throttled++
		return hs, s.hour.n, 0, ceilSeconds(hs)
	case ws > 0:
		s.stats.Throttled++
		return ws, s.second.n, 0, ceilSeconds(ws)
	}
	s.second.add(now)
	s.hour.add(now)
	// Report the hourly window, the one a client can plan with.
	for _, w := range []*window{s.hour, s.second} {
		if w != nil {
			rem, rs := w.remaining(now)
			return 0, w.n, rem, ceilSeconds(rs)
		}
	}
	return 0, 0, 0, 0
}

func (s *sim) count(f func(*Stats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}

// controls mounts the control surface under base+"/_sandbox/": no auth, JSON.
func (s *sim) controls(mux *http.ServeMux, base string, def Options) {
	p := base + "/_sandbox/"
	mux.HandleFunc("POST "+p+"reset", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Seed  *int64 `json:"seed"`
			Size  *int   `json:"size"`
			Messy *bool  `json:"messy"` // default true: the planted cases (planted.go)
		}
		if err := readJSON(r, &in); err != nil {
			controlError(w, err)
			return
		}
		seed, size := def.Seed, def.Size
		if in.Seed != nil {
			seed = *in.Seed
		}
		if in.Size != nil {
			size = *in.Size
		}
		messy := !def.Clean
		if in.Messy != nil {
			messy = *in.Messy
		}
		if size < 0 || size > MaxSize {
			controlError(w, errors.New("size must be within 0..100000"))
			return
		}
		s.reset(seed, size, messy)
		writeJSON(w, http.StatusOK, map[string]any{"seed": seed, "size": size, "messy": messy})
	})
	mux.HandleFunc("GET "+p+"faults", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Faults())
	})
	mux.HandleFunc("PUT "+p+"faults", func(w http.ResponseWriter, r *http.Request) {
		f := s.Faults() // fields left out keep their value
		if err := readJSON(r, &f); err != nil {
			controlError(w, err)
			return
		}
		if err := s.SetFaults(f); err != nil {
			controlError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, s.Faults())
	})
	mux.HandleFunc("GET "+p+"writes", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Writes())
	})
	mux.HandleFunc("GET "+p+"stats", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Stats())
	})
	mux.HandleFunc("GET "+p+"planted", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		cases := s.planted
		s.mu.Unlock()
		if cases == nil {
			cases = []PlantedCase{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"cases": cases})
	})
	mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown control endpoint " + r.Method + " " + r.URL.Path})
	})
}

func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return errors.New("invalid JSON body: " + err.Error())
	}
	return nil
}

func controlError(w http.ResponseWriter, err error) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// readObject reads a request body that must be one JSON object (at most
// 1 MiB); each simulator words the refusal in its own format.
func readObject(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	var in map[string]json.RawMessage
	if err == nil {
		err = json.Unmarshal(body, &in)
	}
	return in, err == nil && in != nil
}
