package httpx

import (
	"context"
	"sync"
	"time"
)

// Limits are the request rates a provider allows one credential. Zero or
// negative means no limit for that window here; the provider packages read
// zero as "the provider's default" and NoLimit as none.
type Limits struct {
	PerSecond int `json:"per_second"`
	PerHour   int `json:"per_hour"`
}

// NoLimit turns a window off in the provider packages' options.
const NoLimit = -1

// margin widens each window a little so that scheduling and network jitter
// between our clock and the provider's never squeeze N+1 requests into one of
// its windows.
const margin = 20 // window/margin, i.e. 5%

// limiter keeps every sliding window of its length below its count: a request
// is granted only when the request `count` grants ago is older than the window.
// Unlike a token bucket this holds for any alignment of the provider's windows,
// fixed or sliding, which is what "never a 429" needs.
type limiter struct {
	mu      sync.Mutex
	windows []*window
	paused  time.Time // nothing is granted before this (a 429 told us to wait)
}

type window struct {
	span  time.Duration
	grant []time.Time // ring of the last len(grant) grant times
	next  int         // oldest slot
}

func newLimiter(l Limits) *limiter {
	lim := &limiter{}
	lim.add(l.PerSecond, time.Second)
	lim.add(l.PerHour, time.Hour)
	return lim
}

func (l *limiter) add(n int, span time.Duration) {
	if n > 0 {
		l.windows = append(l.windows, &window{span: span + span/margin, grant: make([]time.Time, n)})
	}
}

// Wait blocks until a request may be sent, and records it.
func (l *limiter) Wait(ctx context.Context) error {
	for {
		l.mu.Lock()
		now := time.Now()
		wait := l.paused.Sub(now)
		for _, w := range l.windows {
			if t := w.grant[w.next]; !t.IsZero() {
				wait = max(wait, t.Add(w.span).Sub(now))
			}
		}
		if wait <= 0 {
			for _, w := range l.windows {
				w.grant[w.next] = now
				w.next = (w.next + 1) % len(w.grant)
			}
			l.mu.Unlock()
			return nil
		}
		l.mu.Unlock()
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// Pause holds every request of this client until t.
func (l *limiter) Pause(t time.Time) {
	l.mu.Lock()
	if t.After(l.paused) {
		l.paused = t
	}
	l.mu.Unlock()
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
