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

// margin widens each window by 1/margin (1%), for servers that count in
// coarse ticks.
const margin = 100

// limiter keeps every window of the provider's below its count, whatever the
// network does. Each window has count slots, used in turn; a slot is reused
// only a span after its previous request's answer came back. The provider
// counted that request before answering it, and counts the new one after we
// send it, so no span on the provider's clock ever holds more than count
// requests — for fixed or sliding windows, and however late a request arrives.
type limiter struct {
	mu      sync.Mutex
	windows []*window
	paused  time.Time     // nothing is granted before this (a 429 told us to wait)
	changed chan struct{} // closed and replaced when a slot is released
}

type window struct {
	span  time.Duration
	slots []slot
	next  int // the slot granted longest ago
}

type slot struct {
	done time.Time // when its last request ended; zero: never used
	busy bool      // its request is in flight
}

func newLimiter(l Limits) *limiter {
	lim := &limiter{changed: make(chan struct{})}
	lim.add(l.PerSecond, time.Second)
	lim.add(l.PerHour, time.Hour)
	return lim
}

func (l *limiter) add(n int, span time.Duration) {
	if n > 0 {
		l.windows = append(l.windows, &window{span: span + span/margin, slots: make([]slot, n)})
	}
}

// Wait blocks until a request may be sent. The caller must call release once
// the request has ended, answered or not.
func (l *limiter) Wait(ctx context.Context) (release func(), err error) {
	for {
		l.mu.Lock()
		now := time.Now()
		wait, busy := l.paused.Sub(now), false
		for _, w := range l.windows {
			s := w.slots[w.next]
			busy = busy || s.busy
			if !s.done.IsZero() {
				wait = max(wait, s.done.Add(w.span).Sub(now))
			}
		}
		if !busy && wait <= 0 {
			taken := make([]int, len(l.windows))
			for i, w := range l.windows {
				taken[i] = w.next
				w.slots[w.next].busy = true
				w.next = (w.next + 1) % len(w.slots)
			}
			l.mu.Unlock()
			var once sync.Once
			return func() { once.Do(func() { l.release(taken) }) }, nil
		}
		changed := l.changed
		l.mu.Unlock()

		var timer *time.Timer
		var fired <-chan time.Time
		if wait > 0 {
			timer = time.NewTimer(wait)
			fired = timer.C
		}
		select {
		case <-ctx.Done():
		case <-changed:
		case <-fired:
		}
		if timer != nil {
			timer.Stop()
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
}

func (l *limiter) release(taken []int) {
	l.mu.Lock()
	now := time.Now()
	for i, w := range l.windows {
		w.slots[taken[i]] = slot{done: now}
	}
	close(l.changed)
	l.changed = make(chan struct{})
	l.mu.Unlock()
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
