package imports

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"hrbridge/server/providers/httpx"
	"hrbridge/server/store"
)

// Waiting: an import whose run cannot list the providers (one answers 5xx,
// 429 for too long, or cannot be reached) does not fail its job and wait in
// silence for River's retries. It records on its row what it waits for
// (provider, cause, since, next attempt), snoozes until the next attempt,
// and ends failed once the provider has been unreachable for GiveUpAfter,
// failing every remaining employee with the cause (docs/imports.md).

// waitInfo is what an import waits for.
type waitInfo struct {
	provider string // "smarthr" or "jobkan"
	code     string // the cause's code, e.g. "smarthr.internal_server_error"
	message  string // in words for administrators (Japanese)
}

// waitingFor describes a listing failure that waiting may fix.
func waitingFor(err error) waitInfo {
	code, _ := errorInfo(err)
	var he *httpx.Error
	if !errors.As(err, &he) {
		return waitInfo{provider: "", code: code, message: "連携先に接続できないため待機しています"}
	}
	name := he.Provider
	w := waitInfo{provider: strings.ToLower(name), code: code}
	switch {
	case he.HTTPStatus == http.StatusTooManyRequests:
		w.message = fmt.Sprintf("%sのリクエスト上限に達したため待機しています（HTTP 429）", name)
	case he.HTTPStatus == http.StatusServiceUnavailable:
		w.message = fmt.Sprintf("%sがメンテナンス中か一時的に利用できないため待機しています（HTTP 503）", name)
	case he.HTTPStatus >= 500:
		w.message = fmt.Sprintf("%sに接続できないため待機しています（%sがエラーを返しています: HTTP %d）", name, name, he.HTTPStatus)
	case he.Type == httpx.TypeTimeout:
		w.message = fmt.Sprintf("%sに接続できないため待機しています（応答がありません）", name)
	default:
		w.message = fmt.Sprintf("%sに接続できないため待機しています", name)
	}
	return w
}

// waitDelay is how long to wait before the next attempt, having waited
// waited so far: 2 s, then about half of the time waited (so attempts come
// quickly after a short blip and less often in a long outage), at most a
// minute, and never past the give-up time.
func waitDelay(waited, left time.Duration) time.Duration {
	d := min(max(2*time.Second, waited/2), time.Minute)
	return max(min(d, left), time.Second)
}

// markWaiting records that imp waits for w until next; since is kept from
// the first failure of this outage. It reports false when the import is no
// longer running (canceled meanwhile).
func (s *Service) markWaiting(ctx context.Context, id string, w waitInfo, since, next time.Time) (bool, error) {
	dctx, cancel := dbCtx(ctx)
	defer cancel()
	var provider *string
	if w.provider != "" {
		provider = &w.provider
	}
	u := s.st.DB.WithContext(dctx).Model(&store.Import{}).Where("id = ? AND status = ?", id, StatusRunning).
		Updates(map[string]any{"waiting_provider": provider, "waiting_reason_code": clip(w.code, 100),
			"waiting_message": clip(w.message, 500), "waiting_since": since, "waiting_next_attempt_at": next})
	return u.RowsAffected > 0, u.Error
}

// clearWaiting records that imp's run could list both providers: it waits
// for nothing. It reports false when the import is no longer running (it
// was canceled while waiting): the run must not go on.
func (s *Service) clearWaiting(ctx context.Context, id string) (bool, error) {
	u := s.st.DB.WithContext(ctx).Model(&store.Import{}).Where("id = ? AND status = ?", id, StatusRunning).
		Updates(noWaiting())
	return u.RowsAffected > 0, u.Error
}

func noWaiting() map[string]any {
	return map[string]any{"waiting_provider": nil, "waiting_reason_code": nil, "waiting_message": nil,
		"waiting_since": nil, "waiting_next_attempt_at": nil}
}

// waitOrGiveUp handles a run that could not list the providers for a cause
// that waiting may fix: the import waits (snoozes) until the next attempt,
// or, once the provider has been unreachable for GiveUpAfter, every
// remaining employee fails with the cause and the import ends.
func (s *Service) waitOrGiveUp(ctx context.Context, imp store.Import, cause error, failRemaining func(code, msg string) error) error {
	w := waitingFor(cause)
	t := now()
	since := t
	if imp.WaitingSince != nil {
		since = imp.WaitingSince.UTC()
	}
	waited := t.Sub(since)
	if waited >= s.cfg.GiveUpAfter {
		// The catalogue's words for the cause (an outage: wait, then retry
		// the failed employees), as for any other failure.
		_, msg := errorInfo(cause)
		return failRemaining(w.code, msg)
	}
	d := waitDelay(waited, s.cfg.GiveUpAfter-waited)
	ok, err := s.markWaiting(ctx, imp.ID, w, since, t.Add(d))
	if err != nil {
		return err
	}
	if !ok { // canceled (and ended) meanwhile
		return nil
	}
	s.log.Warn("import waits for a provider", "import_id", imp.ID, "provider", w.provider, "reason_code", w.code,
		"since", since, "next_attempt_in", d, "err", cause)
	return river.JobSnooze(d)
}

// cancelWaiting ends at once an import that was asked to cancel while it
// waits between two runs for a provider: nothing is in flight, so it needs
// no provider and no run. It reports whether it ended the import; false
// means a run holds it (it notices the request within a second).
func (s *Service) cancelWaiting(ctx context.Context, id string) (bool, error) {
	ended := false
	err := s.finishTx(ctx, id, func(tx *gorm.DB) *gorm.DB { return tx.Where("waiting_since IS NOT NULL") }, &ended)
	return ended, err
}
