package sandbox

import "time"

// window is a sliding-window log: at most n requests in any span. Sliding is
// the strictest reading of "N per second": a client that passes it passes a
// fixed-window limiter too.
type window struct {
	n    int
	span time.Duration
	log  []time.Time // ring, oldest at next
	next int
}

func newWindow(n int, span time.Duration) *window {
	if n <= 0 {
		return nil // unlimited
	}
	return &window{n: n, span: span, log: make([]time.Time, n)}
}

// wait is how long until one more request fits (0: it fits now).
func (w *window) wait(now time.Time) time.Duration {
	if w == nil {
		return 0
	}
	oldest := w.log[w.next]
	if oldest.IsZero() || now.Sub(oldest) >= w.span {
		return 0
	}
	return w.span - now.Sub(oldest)
}

func (w *window) add(now time.Time) {
	if w != nil {
		w.log[w.next] = now
		w.next = (w.next + 1) % w.n
	}
}

// remaining is how many more requests fit now, and when the oldest one
// counted leaves the window.
func (w *window) remaining(now time.Time) (int, time.Duration) {
	used := 0
	var reset time.Duration
	for i := range w.n {
		t := w.log[(w.next+i)%w.n]
		if !t.IsZero() && now.Sub(t) < w.span {
			if used == 0 {
				reset = w.span - now.Sub(t)
			}
			used++
		}
	}
	if used == 0 {
		reset = w.span
	}
	return w.n - used, reset
}

// ceilSeconds rounds up, as headers count whole seconds.
func ceilSeconds(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int((d + time.Second - 1) / time.Second)
}
