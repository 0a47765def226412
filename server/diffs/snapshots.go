// Package diffs serves the diff between the two providers: it fetches both
// sides once, diffs them with the pure engine, and pages through the result
// for a short while before fetching again.
package diffs

import (
	"context"
	"errors"
	"net/http"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	"hrbridge/server/errcatalog"
	"hrbridge/server/integration"
	"hrbridge/server/paging"
	"hrbridge/server/problem"
	"hrbridge/server/providers/httpx"
	"hrbridge/server/sync"
)

// Snapshot is one diff of both providers at GeneratedAt, with the records
// hrbridge's own imports wrote since then applied (see Snapshots). A
// Snapshot is never changed: applying writes makes a new one.
type Snapshot struct {
	Direction   sync.Direction
	GeneratedAt time.Time // when the providers were read
	Result      sync.Result
	version     string

	// id identifies this snapshot in cursors: GeneratedAt's nanoseconds for
	// the one read from the providers, another value for each patched one.
	id       int64
	targets  []sync.Employee // the target rows the items' Target point into
	tkeys    []string        // the normalised 社員番号 of each target row
	titem    []int32         // per item, the index of its Target in targets, or -1
	settings sync.Settings   // as diffed
	lin      *lineage        // shared with the snapshots patched from it
}

// Snapshots caches one snapshot per direction for TTL; concurrent requests
// for the same direction share one fetch. Records written by imports (of
// any instance on the database) are applied to the cached snapshots of
// both directions as they are recorded, without asking the providers.
type Snapshots struct {
	conns  *integration.Service
	ttl    time.Duration
	now    func() time.Time
	writes WriteLog // nil: imports' writes are not applied

	// pollEvery is how often a cached snapshot looks for writes recorded by
	// other instances; a write recorded by this one (Wrote) is looked for at
	// once.
	pollEvery time.Duration
	wrote     atomic.Uint64

	limits RefreshLimits // refresh cooldown and per-caller limit (refresh.go)

	mu       gosync.Mutex
	cache    map[sync.Direction]*Snapshot
	inflight map[sync.Direction]*fetch
}

type fetch struct {
	done chan struct{}
	snap *Snapshot
	err  error
}

// New makes the cache. writes is where imports record what they wrote
// (FromStore); nil leaves the snapshots as read until they expire.
func New(conns *integration.Service, ttl time.Duration, writes WriteLog) *Snapshots {
	return &Snapshots{conns: conns, ttl: ttl, now: time.Now, writes: writes, pollEvery: time.Second,
		cache: map[sync.Direction]*Snapshot{}, inflight: map[sync.Direction]*fetch{}}
}

// Wrote tells the cache that this process has just recorded a write, so
// that the next Get of either direction applies it.
func (s *Snapshots) Wrote() { s.wrote.Add(1) }

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
		return s.freshen(ctx, c)
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
		if f.err != nil {
			return nil, f.err
		}
		// Writes recorded while the providers were being read are applied.
		return s.freshen(ctx, f.snap)
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
	listedAt := time.Now().UTC()
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
	return newSnapshot(dir, srcRows, tgtRows, pair.Connection.Settings(), listedAt, time.Now().UTC()), nil
}

// newSnapshot diffs the rows of both sides, listed from listedAt until
// generatedAt.
func newSnapshot(dir sync.Direction, src, tgt []sync.Employee, settings sync.Settings, listedAt, generatedAt time.Time) *Snapshot {
	sn := &Snapshot{
		Direction:   dir,
		GeneratedAt: generatedAt,
		Result:      sync.Diff(dir, src, tgt, settings),
		id:          generatedAt.UnixNano(),
		targets:     tgt,
		settings:    settings,
		lin:         newLineage(listedAt),
	}
	sn.tkeys = make([]string, len(tgt))
	at := make(map[*sync.Employee]int32, len(tgt))
	for i := range tgt {
		sn.tkeys[i] = sync.Normalise(sync.FieldEmployeeNumber, tgt[i].EmployeeNumber)
		at[&tgt[i]] = int32(i)
	}
	sn.titem = make([]int32, len(sn.Result.Items))
	for i, it := range sn.Result.Items {
		sn.titem[i] = -1
		if j, ok := at[it.Target]; ok {
			sn.titem[i] = j
		}
	}
	sn.lin.cur.Store(sn)
	return sn
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

// A page's cursor (paging.Snapshot) holds the snapshot's identity (Gen, see
// Snapshot.id), the next index in that snapshot (Pos), and the last item's
// number and source id (Number, Source), to resume after it in another
// snapshot. paging checks that it is one Page made; an index outside this
// snapshot, when it is this snapshot's, is refused here.

// Page returns the matching items after the cursor, in order, and the cursor
// of the next page ("" at the end). A cursor from an older snapshot resumes
// after the same employee.
// The items point into the snapshot, which is never changed.
func (sn *Snapshot) Page(q Query) ([]*sync.Item, string, error) {
	items := sn.Result.Items
	start := 0
	if q.Cursor != "" {
		c, err := paging.Parse(q.Cursor, paging.Snapshot)
		if err != nil || c.Gen == sn.GeneratedAt.UnixNano() && c.Pos > len(items) {
			return nil, "", problem.BadRequest("The cursor is not one this API gave.", problem.FieldError{Location: "query.cursor", Message: "malformed"})
		}
		if c.Gen == sn.identity() && c.Pos >= 0 && c.Pos <= len(items) {
			start = c.Pos
		} else {
			start = sn.Result.After(c.Number, c.Source)
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
	next := paging.Cursor{Kind: paging.Snapshot, Gen: sn.identity(), Pos: i, Number: last.EmployeeNumber, Source: last.Source.ID}
	return out, next.String(), nil
}

// identity is the snapshot's id in cursors; a Snapshot made without
// newSnapshot (tests) is known by its GeneratedAt.
func (sn *Snapshot) identity() int64 {
	if sn.id != 0 {
		return sn.id
	}
	return sn.GeneratedAt.UnixNano()
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
