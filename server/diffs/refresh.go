package diffs

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"gorm.io/gorm"

	"hrbridge/server/problem"
	"hrbridge/server/sync"
)

// Refreshes are shared and rate-limited (issue 14): a full re-list of both
// providers (refresh=true) costs requests against their hourly budgets, so
//   - a refresh within Cooldown of the last one of its direction, by anyone
//     on any instance, reuses the current snapshot (coalesced);
//   - one caller may ask for a refresh at most once per PerCaller, else 429
//     with Retry-After.
//
// Both clocks are rows in the database (diff_refreshes,
// diff_refresh_callers), so every instance shares them.
type RefreshLimits struct {
	DB        *gorm.DB
	Cooldown  time.Duration // 0: every refresh re-lists
	PerCaller time.Duration // 0: no per-caller limit
}

// Refresh says how a refresh was served.
type Refresh struct {
	Coalesced bool      // the last refresh was reused: no provider request
	NextAt    time.Time // when a refresh will re-list again (zero: now)
}

// SetRefreshLimits turns the shared cooldown and the per-caller limit on.
func (s *Snapshots) SetRefreshLimits(l RefreshLimits) { s.limits = l }

// Refresh is Get with refresh=true for caller (a stable id of the user or
// token), within the limits: it re-lists the providers, or reuses the
// refresh made less than Cooldown ago, or answers 429.
func (s *Snapshots) Refresh(ctx context.Context, dir sync.Direction, caller string) (*Snapshot, Refresh, error) {
	l := s.limits
	if l.DB == nil || (l.Cooldown <= 0 && l.PerCaller <= 0) {
		snap, err := s.Get(ctx, dir, true)
		return snap, Refresh{}, err
	}
	db := l.DB.WithContext(ctx)
	t := dbNow()
	if l.PerCaller > 0 {
		ok, err := claim(db, "diff_refresh_callers", "caller", caller, t, l.PerCaller)
		if err != nil {
			return nil, Refresh{}, err
		}
		if !ok {
			var last time.Time
			if err := db.Table("diff_refresh_callers").Select("refreshed_at").Where("caller = ?", caller).Scan(&last).Error; err != nil {
				return nil, Refresh{}, err
			}
			wait := max(last.Add(l.PerCaller).Sub(time.Now()), time.Second)
			secs := int(math.Ceil(wait.Seconds()))
			p := problem.New(http.StatusTooManyRequests, fmt.Sprintf(
				"You asked for a refresh of the diff less than %s ago: try again in %d seconds (pages of the current snapshot need no refresh).",
				l.PerCaller, secs)).Typed("/problems/refresh-rate-limited")
			p.Headers = map[string]string{"Retry-After": strconv.Itoa(secs)}
			return nil, Refresh{}, p
		}
	}
	if l.Cooldown <= 0 {
		snap, err := s.Get(ctx, dir, true)
		return snap, Refresh{}, err
	}
	key := string(dir)
	ok, err := claim(db, "diff_refreshes", "direction", key, t, l.Cooldown)
	if err != nil {
		return nil, Refresh{}, err
	}
	if !ok { // refreshed less than Cooldown ago, here or on another instance
		var last time.Time
		if err := db.Table("diff_refreshes").Select("refreshed_at").Where("direction = ?", key).Scan(&last).Error; err != nil {
			return nil, Refresh{}, err
		}
		snap, err := s.joinOrGet(ctx, dir)
		return snap, Refresh{Coalesced: true, NextAt: last.Add(l.Cooldown)}, err
	}
	snap, err := s.Get(ctx, dir, true)
	// The cooldown runs from the end of the refresh; a failed one frees it.
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	rdb := l.DB.WithContext(dctx)
	done := dbNow()
	if err != nil {
		rdb.Exec("DELETE FROM diff_refreshes WHERE direction = ? AND refreshed_at = ?", key, t)
		return nil, Refresh{}, err
	}
	rdb.Exec("UPDATE diff_refreshes SET refreshed_at = ? WHERE direction = ? AND refreshed_at = ?", done, key, t)
	return snap, Refresh{NextAt: done.Add(l.Cooldown)}, nil
}

// joinOrGet waits for this process's fetch of dir in flight, if any (the
// refresh being coalesced with), else returns the cached snapshot as Get.
func (s *Snapshots) joinOrGet(ctx context.Context, dir sync.Direction) (*Snapshot, error) {
	s.mu.Lock()
	f := s.inflight[dir]
	s.mu.Unlock()
	if f != nil {
		select {
		case <-f.done:
			if f.err == nil {
				return s.freshen(ctx, f.snap)
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return s.Get(ctx, dir, false)
}

// claim sets table's refreshed_at for key to t if it is unset or older
// than every, atomically (one statement on both dialects); false: it was
// set less than every ago.
func claim(db *gorm.DB, table, col, key string, t time.Time, every time.Duration) (bool, error) {
	res := db.Exec(fmt.Sprintf(`INSERT INTO %[1]s (%[2]s, refreshed_at) VALUES (?, ?)
		ON CONFLICT (%[2]s) DO UPDATE SET refreshed_at = excluded.refreshed_at WHERE %[1]s.refreshed_at <= ?`, table, col),
		key, t, t.Add(-every))
	return res.RowsAffected > 0, res.Error
}

// dbNow is the time stored: UTC to the microsecond (PostgreSQL's precision),
// so that a value read back compares equal.
func dbNow() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
