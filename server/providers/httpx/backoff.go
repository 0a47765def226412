package httpx

import (
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryAfter is how long the provider asked us to wait: Retry-After (seconds
// or an HTTP date) and, on a 429 only, SmartHR's x-rate-limit-reset, which
// describes the rate window and is sent with every answer. It is read as
// seconds to wait, or as a Unix time when it is that large: the published
// descriptions differ, and the two cannot be confused.
func retryAfter(h http.Header, now time.Time, rateLimited bool) time.Duration {
	var d time.Duration
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			d = max(d, seconds(n))
		} else if t, err := http.ParseTime(v); err == nil {
			d = max(d, t.Sub(now))
		}
	}
	if v := strings.TrimSpace(h.Get("X-Rate-Limit-Reset")); rateLimited && v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			if n >= 1_000_000_000 {
				d = max(d, time.Unix(n, 0).Sub(now))
			} else {
				d = max(d, seconds(n))
			}
		}
	}
	return max(d, 0)
}

func seconds(n int64) time.Duration {
	if n <= 0 {
		return 0
	}
	return time.Duration(min(n, 1<<32)) * time.Second
}

// dialFailed reports a connection that was never made, so the request
// certainly did not reach the provider and is safe to send again.
func dialFailed(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func jitter(ceil time.Duration) time.Duration {
	if ceil <= 0 {
		return 0
	}
	return rand.N(ceil)
}
