// Package diffs serves the diff between the two providers: it fetches both
// sides once, diffs them with the pure engine, and pages through the result
// for a short while before fetching again.
package diffs

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	gosync "sync"
	"time"

	"hrbridge/server/errcatalog"
	"hrbridge/server/integration"
	"hrbridge/server/problem"
	"hrbridge/server/providers/httpx"
	"hrbridge/server/sync"
)

// Snapshot is one diff of both providers at GeneratedAt.
type Snapshot struct {
	Direction   sync.Direction
	GeneratedAt time.Time
	Result      sync.Result
	version     string
}

// Snapshots caches one snapshot per direction for TTL; concurrent requests
// for the same direction share one fetch.
type Snapshots struct {
	conns *integration.Service
	ttl   time.Duration
	now   func() time.Time

	mu       gosync.Mutex
	cache    map[sync.Direction]*Snapshot
	inflight map[sync.Direction]*fetch
}

type fetch struct {
	done chan struct{}
	snap *Snapshot
	err  error
}

// New makes the cache.
func New(conns *integration.Service, ttl time.Duration) *Snapshots {
	return &Snapshots{conns: conns, ttl: ttl, now: time.Now,
		cache: map[sync.Direction]*Snapshot{}, inflight: map[sync.Direction]*fetch{}}
}

// Get returns a fresh enough snapshot, fetching when there is none, it is
// older than the TTL, the settings changed, or refresh is set.
func (s *Snapshots) Get(ctx context.Context, dir sync.Direction, refresh bool) (*Snapshot, error) {
	pair, err := s.conns.Connectors(ctx)
	if err != nil {
		return nil, err
	}
	version := pair.Connection.UpdatedAtString()
	s.mu.Lock()
	if c := s.cache[dir]; c != nil && !refresh && c.version == version && s.now().Sub(c.GeneratedAt) < s.ttl {
		s.mu.Unlock()
		return c, nil
	}
	f := s.inflight[dir]
	if f == nil {
		f = &fetch{done: make(chan struct{})}
		s.inflight[dir] = f
		// Detached from the first caller: one cancelled request must not fail
		// the others waiting for the same fetch.
		go s.run(context.WithoutCancel(ctx), dir, pair, version, f)
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.snap, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *Snapshots) run(ctx context.Context, dir sync.Direction, pair *integration.Pair, version string, f *fetch) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	f.snap, f.err = Compute(ctx, dir, pair)
	if f.snap != nil {
		f.snap.version = version
	}
	s.mu.Lock()
	delete(s.inflight, dir)
	if f.err == nil {
		s.cache[dir] = f.snap
	}
	s.mu.Unlock()
	close(f.done)
}

// Compute lists both sides concurrently and diffs them.
func Compute(ctx context.Context, dir sync.Direction, pair *integration.Pair) (*Snapshot, error) {
	src, tgt := pair.Sides(dir)
	var (
		wg               gosync.WaitGroup
		srcRows, tgtRows []sync.Employee
		srcErr, tgtErr   error
	)
	wg.Add(2)
	go func() { defer wg.Done(); srcRows, srcErr = src.List(ctx) }()
	go func() { defer wg.Done(); tgtRows, tgtErr = tgt.List(ctx) }()
	wg.Wait()
	if err := errors.Join(providerProblem(srcErr), providerProblem(tgtErr)); err != nil {
		return nil, err
	}
	return &Snapshot{
		Direction:   dir,
		GeneratedAt: time.Now().UTC(),
		Result:      sync.Diff(dir, srcRows, tgtRows, pair.Connection.Settings()),
	}, nil
}

// providerProblem turns a provider failure into a 502 that says which
// provider failed and why: detail is the technical text, and the error
// catalogue's code, message and advice (in the caller's language, filled
// by the HTTP edge) say it for people.
func providerProblem(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) && !errors.As(err, new(*httpx.Error)) {
		return err
	}
	code, f := errcatalog.Classify(err, nil, time.Now())
	detail := f.Detail
	if !errors.As(err, new(*httpx.Error)) {
		detail = "A provider could not be reached: " + err.Error()
	}
	p := problem.New(http.StatusBadGateway, detail).Typed("/problems/provider-error")
	p.Code = code
	p.Localize = func(lang string) (string, string, string) {
		m := errcatalog.Render(code, f, errcatalog.ParseLang(lang), errcatalog.ScreenDiff)
		return m.Message, m.Advice, string(m.Action)
	}
	return p
}

// Query selects a page.
type Query struct {
	Statuses []sync.Status
	Q        string
	Limit    int
	Cursor   string
}

type cursor struct {
	G int64  `json:"g"` // the snapshot's GeneratedAt
	I int    `json:"i"` // the next index in that snapshot
	N string `json:"n"` // the last item's number and source id, for another snapshot
	S string `json:"s"`
}

// Page returns the matching items after the cursor, in order, and the cursor
// of the next page ("" at the end). A cursor from an older snapshot resumes
// after the same employee.
// The items point into the snapshot, which is never changed.
func (sn *Snapshot) Page(q Query) ([]*sync.Item, string, error) {
	items := sn.Result.Items
	start := 0
	if q.Cursor != "" {
		var c cursor
		raw, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		if err == nil {
			err = json.Unmarshal(raw, &c)
		}
		if err != nil {
			return nil, "", problem.BadRequest("The cursor is not one this API gave.", problem.FieldError{Location: "query.cursor", Message: "malformed"})
		}
		if c.G == sn.GeneratedAt.UnixNano() && c.I >= 0 && c.I <= len(items) {
			start = c.I
		} else {
			start = sn.Result.After(c.N, c.S)
		}
	}
	want := map[sync.Status]bool{}
	for _, st := range q.Statuses {
		want[st] = true
	}
	needle := foldQuery(q.Q)
	out := make([]*sync.Item, 0, min(q.Limit, len(items)))
	i := start
	for ; i < len(items) && len(out) < q.Limit; i++ {
		it := &items[i]
		if len(want) > 0 && !want[it.Status] {
			continue
		}
		if needle != "" && !matches(it, needle) {
			continue
		}
		out = append(out, it)
	}
	if i >= len(items) || len(out) == 0 {
		return out, "", nil
	}
	last := out[len(out)-1]
	raw, _ := json.Marshal(cursor{G: sn.GeneratedAt.UnixNano(), I: i, N: last.EmployeeNumber, S: last.Source.ID})
	return out, base64.RawURLEncoding.EncodeToString(raw), nil
}

func foldQuery(q string) string {
	return strings.ToLower(strings.ReplaceAll(sync.Normalise(sync.FieldLastName, q), " ", ""))
}

func matches(it *sync.Item, needle string) bool {
	if strings.Contains(strings.ToLower(it.EmployeeNumber), needle) {
		return true
	}
	return strings.Contains(strings.ToLower(strings.ReplaceAll(sync.Normalise(sync.FieldLastName, it.DisplayName), " ", "")), needle)
}
