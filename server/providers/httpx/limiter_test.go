package httpx

import (
	"context"
	"sync"
	"testing"
	"time"
)

// Whatever the concurrency, no span (window + margin) ever holds more grants
// than the window's count.
func TestLimiterSlidingWindows(t *testing.T) {
	l := &limiter{changed: make(chan struct{})}
	l.add(3, 100*time.Millisecond)
	l.add(5, 300*time.Millisecond) // a second, longer window, as per hour is to per second
	var (
		mu     sync.Mutex
		grants []time.Time
		wg     sync.WaitGroup
	)
	start := time.Now()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				release, err := l.Wait(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				grants = append(grants, time.Now())
				mu.Unlock()
				time.Sleep(5 * time.Millisecond) // the request
				release()
			}
		}()
	}
	wg.Wait()
	check := func(n int, span time.Duration) {
		for i := range grants {
			in := 0
			for _, g := range grants {
				if !g.Before(grants[i]) && g.Sub(grants[i]) < span {
					in++
				}
			}
			if in > n {
				t.Errorf("%d grants within %s of grant %d (limit %d)", in, span, i, n)
			}
		}
	}
	sortTimes(grants)
	check(3, 100*time.Millisecond)
	check(5, 300*time.Millisecond)
	// 12 grants at 5 per 303 ms need at least two full long windows.
	if d := time.Since(start); d < 600*time.Millisecond {
		t.Errorf("12 grants in %s", d)
	}
}

func TestLimiterPauseAndCancel(t *testing.T) {
	l := newLimiter(Limits{})
	l.Pause(time.Now().Add(150 * time.Millisecond))
	start := time.Now()
	if _, err := l.Wait(context.Background()); err != nil || time.Since(start) < 140*time.Millisecond {
		t.Fatalf("err=%v after %s", err, time.Since(start))
	}
	l.Pause(time.Now().Add(time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := l.Wait(ctx); err == nil {
		t.Fatal("waited through a cancelled context")
	}
}

func TestLimiterPerSecond(t *testing.T) {
	l := newLimiter(Limits{PerSecond: 5, PerHour: 1000})
	start := time.Now()
	for range 6 { // the sixth must wait for the first to leave the window
		release, err := l.Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		release()
	}
	if d := time.Since(start); d < time.Second {
		t.Fatalf("6 requests at 5/s in %s", d)
	}
}

func sortTimes(ts []time.Time) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Before(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

// A slot is not reused while its request is in flight, however long that is.
func TestLimiterWaitsForInFlight(t *testing.T) {
	l := newLimiter(Limits{PerSecond: 1})
	release, _ := l.Wait(context.Background())
	time.AfterFunc(1200*time.Millisecond, release) // a slow request
	start := time.Now()
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 2200*time.Millisecond {
		t.Fatalf("second request after %s; the first ended at 1.2 s", d)
	}
}
