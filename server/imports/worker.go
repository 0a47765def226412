package imports

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"hrbridge/server/diffs"
	"hrbridge/server/errcatalog"
	"hrbridge/server/problem"
	"hrbridge/server/providers/httpx"
	"hrbridge/server/store"
	"hrbridge/server/sync"
)

// importMaxAttempts bounds the runs of an import job that end in an error
// (both providers unreachable, say); each waits longer (NextRetry), and the
// last one fails the remaining employees. Runs that hand over (JobSnooze)
// do not count.
const importMaxAttempts = 25

// ImportArgs is the job of one import.
type ImportArgs struct {
	ImportID string `json:"import_id"`
}

// Kind is the River job kind.
func (ImportArgs) Kind() string { return "import" }

type importWorker struct {
	river.WorkerDefaults[ImportArgs]
	s *Service
}

// Timeout bounds one run. River rescues a job only once it has run longer
// than its timeout, so a job without one would never be rescued after a
// crash; instead each run works for at most RescueAfter and hands the rest
// over to the next run (see Service.work).
func (w *importWorker) Timeout(*river.Job[ImportArgs]) time.Duration { return w.s.cfg.RescueAfter }

// NextRetry: a run rescued after a crash, or one that failed because a
// provider was down, is tried again soon (2 s), then less often, at least
// every 5 minutes.
func (w *importWorker) NextRetry(job *river.Job[ImportArgs]) time.Time {
	n := max(job.Attempt, 1)
	return time.Now().Add(min(time.Duration(n*n)*2*time.Second, 5*time.Minute))
}

func (w *importWorker) Work(ctx context.Context, job *river.Job[ImportArgs]) error {
	return w.s.work(ctx, job)
}

// run is the state of one run of an import job.
type run struct {
	imp      store.Import
	dir      sync.Direction
	settings sync.Settings
	target   sync.Connector
	src, tgt map[string][]sync.Employee // both sides by normalised number, listed at the start of the run
	log      *slog.Logger
	// recErr is the first error recording a result. A pointer, not an
	// atomic.Value: errors of different types (a broken connection, then a
	// refused one) would make Value.CompareAndSwap panic.
	recErr atomic.Pointer[error]
}

// work is one run of an import job: it lists both sides, then settles the
// pending employees in position order, several at a time, until none is
// left, the import is canceled, the instance stops or the run's time is up;
// in the last two cases the job is snoozed so that the next run (here or on
// another instance) goes on.
func (s *Service) work(ctx context.Context, job *river.Job[ImportArgs]) error {
	start := time.Now()
	log := s.log.With("import_id", job.Args.ImportID, "job_id", job.ID, "attempt", job.Attempt)
	if s.isStopping() { // this process is stopping: leave it to the next one
		return river.JobSnooze(0)
	}
	imp, err := s.Get(ctx, job.Args.ImportID)
	var p *problem.Problem
	if errors.As(err, &p) && p.Status == http.StatusNotFound {
		log.Warn("import job without its import; dropped")
		return nil
	}
	if err != nil {
		return err
	}
	if Finished(imp.Status) {
		return nil
	}
	if imp.CancelRequested && imp.Status == StatusRunning {
		// Canceled between two runs (waiting for a provider, say): it ends
		// now, without asking the providers anything.
		return s.finish(context.WithoutCancel(ctx), imp.ID, log)
	}
	dir := sync.Direction(imp.Direction)

	unlock, ok, err := s.lockTarget(ctx, dir)
	if err != nil {
		return err
	}
	if !ok { // another instance is importing into the same system
		return river.JobSnooze(2 * time.Second)
	}
	defer unlock()

	db := s.st.DB.WithContext(ctx)
	// An import into the same system that is part-way (between two runs, or
	// waiting to be rescued) goes first: imports run one after the other.
	var busy int64
	// One that waits for a provider yields its turn (docs/imports.md).
	if err := db.Model(&store.Import{}).Where("direction = ? AND status = ? AND id <> ? AND waiting_since IS NULL", imp.Direction, StatusRunning, imp.ID).
		Count(&busy).Error; err != nil {
		return err
	}
	if busy > 0 {
		return river.JobSnooze(time.Second)
	}
	res := db.Model(&store.Import{}).Where("id = ? AND status IN ?", imp.ID, []string{StatusQueued, StatusRunning}).
		Updates(map[string]any{"status": StatusRunning, "started_at": gorm.Expr("COALESCE(started_at, ?)", now())})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 { // canceled while queued
		return nil
	}
	if imp.Status == StatusQueued {
		log.Info("import started", "direction", imp.Direction, "total", imp.Total)
	} else {
		log.Info("import resumed", "direction", imp.Direction, "done", imp.Done, "total", imp.Total)
	}

	// Cancellation is noticed within a quarter of a second (and at once when
	// it was asked for before this run): a listing in flight is cut at once,
	// writes in flight get a moment to finish, then are cut too.
	var canceled atomic.Bool
	runCtx, cut := context.WithCancel(ctx)
	defer cut()
	var listing atomic.Bool
	listing.Store(true)
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go s.watchCancel(watchCtx, imp.ID, &canceled, func() {
		if listing.Load() {
			cut()
			return
		}
		time.AfterFunc(cancelGrace, cut)
	})

	pair, err := s.conns.Connectors(ctx)
	if err != nil {
		return s.giveUp(ctx, job, imp, err, log)
	}
	source, target := pair.Sides(dir)
	srcRows, tgtRows, err := listBoth(runCtx, source, target)
	listing.Store(false)
	if err != nil {
		if ctx.Err() != nil && s.isStopping() {
			return river.JobSnooze(0)
		}
		if canceled.Load() {
			stopWatch()
			return s.finish(context.WithoutCancel(ctx), imp.ID, log)
		}
		if ctx.Err() != nil {
			err = fmt.Errorf("listing both systems took longer than a run may last (%s); raise HRBRIDGE_JOB_RESCUE_AFTER: %w", s.cfg.RescueAfter, err)
		}
		if !permanent(err) {
			return s.waitOrGiveUp(ctx, imp, err, func(code, msg string) error { return s.failRemaining(ctx, imp, code, msg, log) })
		}
		return s.giveUp(ctx, job, imp, err, log)
	}
	if ok, err := s.clearWaiting(ctx, imp.ID); err != nil || !ok {
		return err // !ok: canceled while it waited, and ended
	}
	listed := time.Since(start)
	if listed > s.cfg.RescueAfter/2 {
		log.Warn("listing both systems took more than half of a run; consider raising HRBRIDGE_JOB_RESCUE_AFTER", "took", listed)
	}
	r := &run{imp: imp, dir: dir, settings: pair.Connection.Settings(), target: target,
		src: index(srcRows), tgt: index(tgtRows), log: log}

	var todo []store.ImportResult
	if err := db.Where("import_id = ? AND status IN ?", imp.ID, []string{ResultPending, ResultWriting}).
		Order("position").Find(&todo).Error; err != nil {
		return err
	}

	var cur store.Import
	if err := db.Select("cancel_requested").Take(&cur, "id = ?", imp.ID).Error; err != nil {
		return err
	}
	if cur.CancelRequested {
		canceled.Store(true)
	}

	// Stop taking new employees with a quarter of the run left, so that those
	// in flight finish before the run's deadline (but always make progress).
	dispatchUntil := start.Add(s.cfg.RescueAfter * 3 / 4)
	if least := time.Now().Add(s.cfg.RescueAfter / 8); dispatchUntil.Before(least) {
		dispatchUntil = least
	}
	sem := make(chan struct{}, s.cfg.Writers)
	var wg gosync.WaitGroup
	handOver := false
loop:
	for _, res := range todo {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			handOver = true
			break loop
		}
		if canceled.Load() || s.isStopping() || ctx.Err() != nil || time.Now().After(dispatchUntil) {
			<-sem
			handOver = !canceled.Load()
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			s.settle(runCtx, r, res)
		})
	}
	wg.Wait()
	stopWatch()
	if err := r.recErr.Load(); err != nil {
		return fmt.Errorf("record a result: %w", *err)
	}
	if handOver || ctx.Err() != nil {
		log.Info("import continues in its next run", "run_seconds", time.Since(start).Round(time.Millisecond).Seconds())
		return river.JobSnooze(0)
	}
	return s.finish(context.WithoutCancel(ctx), imp.ID, log)
}

func (s *Service) isStopping() bool {
	select {
	case <-s.stopping:
		return true
	default:
		return false
	}
}

// cancelGrace is how long writes in flight may go on once a cancel is
// noticed; then their provider calls are cancelled (an employee cut so stays
// pending: 未実施).
const cancelGrace = 750 * time.Millisecond

func (s *Service) watchCancel(ctx context.Context, id string, canceled *atomic.Bool, onCancel func()) {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var imp store.Import
		if err := s.st.DB.WithContext(ctx).Select("cancel_requested").Take(&imp, "id = ?", id).Error; err == nil && imp.CancelRequested {
			canceled.Store(true)
			onCancel()
			return
		}
	}
}

// listBoth lists the source and the target at the same time.
func listBoth(ctx context.Context, source, target sync.Connector) (src, tgt []sync.Employee, err error) {
	var wg gosync.WaitGroup
	var srcErr, tgtErr error
	wg.Go(func() { src, srcErr = source.List(ctx) })
	wg.Go(func() { tgt, tgtErr = target.List(ctx) })
	wg.Wait()
	return src, tgt, errors.Join(srcErr, tgtErr)
}

// index groups employees by normalised number (blank numbers match nothing).
func index(rows []sync.Employee) map[string][]sync.Employee {
	m := make(map[string][]sync.Employee, len(rows))
	for _, e := range rows {
		if k := sync.Normalise(sync.FieldEmployeeNumber, e.EmployeeNumber); k != "" {
			m[k] = append(m[k], e)
		}
	}
	return m
}

// outcome is how one employee ended.
type outcome struct {
	status, action, fields, code, message, name string
	// written is the target record as the import left it (created or
	// updated), recorded for the diff snapshots of every instance.
	written *sync.Employee
}

// settle decides and does what one employee needs.
func (s *Service) settle(ctx context.Context, r *run, res store.ImportResult) {
	key := res.EmployeeNumber
	srcM := r.src[key]
	var it sync.Item
	if res.Status == ResultWriting {
		// A run ended while this employee's write was in flight: this run's
		// listing, made since, shows whether it landed. Only the previewed
		// action may follow: an update never becomes a create.
		it = sync.DiffOne(r.dir, srcM, r.tgt[key], r.settings)
		switch {
		case it.Status == sync.StatusUnchanged:
			s.record(r, res, outcome{status: doneStatus(res.Action), action: res.Action, fields: res.ChangedFields, name: it.DisplayName,
				written: it.Target})
			return
		case isWrite(it.Status) && actionOf(it.Status) != res.Action:
			s.record(r, res, r.targetMoved(res.Action, res.ChangedFields, it))
			return
		}
	} else {
		it = sync.DiffOne(r.dir, srcM, r.tgt[key], r.settings)
		if it.Fingerprint != res.Fingerprint {
			// The data moved since the administrator's preview: nothing is
			// written; they check the new diff and import again.
			s.record(r, res, outcome{status: ResultSkippedStale, action: ActionNone, name: it.DisplayName})
			return
		}
		if it.Status == sync.StatusNew {
			// Look the number up right before creating: someone may have
			// created the employee since the listing, and SmartHR does not
			// refuse a second crew with the same 社員番号.
			found, err := r.target.FindByNumber(ctx, key)
			if err != nil {
				if ctx.Err() == nil {
					s.record(r, res, failure(ActionCreate, fieldList(it.Write), err))
				}
				return
			}
			if len(found) > 0 {
				s.record(r, res, outcome{status: ResultSkippedStale, action: ActionNone, name: it.DisplayName})
				return
			}
		}
	}
	switch it.Status {
	case sync.StatusUnchanged:
		s.record(r, res, outcome{status: ResultUnchanged, action: ActionNone, name: it.DisplayName})
	case sync.StatusNew, sync.StatusChanged:
		s.write(ctx, r, res, it)
	default:
		s.record(r, res, outcome{status: ResultFailed, action: ActionNone, name: it.DisplayName,
			code: "conflict." + it.ReasonCode, message: conflictMessage(it.ReasonDetail)})
	}
}

// write creates or updates one employee. It records the intent (writing)
// first, so that a run interrupted during the call checks the target before
// writing again. A failure that may or may not have reached the provider
// (no answer, 5xx) or that says the employee exists already (409) is
// checked the same way and tried again, up to three times in all.
func (s *Service) write(ctx context.Context, r *run, res store.ImportResult, it sync.Item) {
	srcM := r.src[res.EmployeeNumber]
	for attempt := 1; ; attempt++ {
		action, fields := actionOf(it.Status), fieldList(it.Write)
		if err := s.markWriting(ctx, r, res, action, fields); err != nil {
			if ctx.Err() == nil {
				r.recErr.CompareAndSwap(nil, &err)
			}
			return
		}
		var (
			err     error
			written sync.Employee
		)
		if it.Status == sync.StatusNew {
			written, err = r.target.Create(ctx, it.Want)
		} else {
			err = r.target.Update(ctx, *it.Target, it.Want, it.Write)
			written = updated(*it.Target, it.Want, it.Write)
		}
		if err == nil {
			s.record(r, res, outcome{status: doneStatus(action), action: action, fields: fields, name: it.DisplayName, written: &written})
			return
		}
		if ctx.Err() != nil {
			return // left writing: the next run settles it
		}
		if !ambiguous(err) || attempt == 3 {
			s.record(r, res, failure(action, fields, err))
			return
		}
		r.log.Info("write failed; checking the target before trying again", "employee_number", res.EmployeeNumber, "err", err)
		if sleep(ctx, time.Duration(attempt)*s.cfg.RecheckDelay) != nil {
			return
		}
		found, ferr := r.lookAgain(ctx, action, it)
		if ferr != nil {
			if ctx.Err() == nil {
				s.record(r, res, failure(action, fields, err))
			}
			return
		}
		next := sync.DiffOne(r.dir, srcM, found, r.settings)
		switch {
		case next.Status == sync.StatusUnchanged: // it landed after all
			s.record(r, res, outcome{status: doneStatus(action), action: action, fields: fields, name: it.DisplayName,
				written: next.Target})
			return
		case isWrite(next.Status) && actionOf(next.Status) == action:
			it = next
		case isWrite(next.Status):
			s.record(r, res, r.targetMoved(action, fields, next))
			return
		default:
			s.record(r, res, outcome{status: ResultFailed, action: action, fields: fields, name: next.DisplayName,
				code: "conflict." + next.ReasonCode, message: conflictMessage(next.ReasonDetail)})
			return
		}
	}
}

// lookAgain reads what the target holds now for a write that may or may not
// have landed: an update rereads the very record it was writing (found by
// its id, whatever form its number has); a create looks up the number it
// wrote, which it wrote exactly.
func (r *run) lookAgain(ctx context.Context, action string, it sync.Item) ([]sync.Employee, error) {
	if action == ActionCreate {
		return r.target.FindByNumber(ctx, it.Want.EmployeeNumber)
	}
	cur, ok, err := r.target.Reread(ctx, *it.Target)
	if err != nil || !ok {
		return nil, err
	}
	return []sync.Employee{cur}, nil
}

// targetMoved is the outcome of an employee whose target record changed so
// that the previewed action no longer fits (the record to update is gone, or
// a record to create now exists): nothing is written, and the administrator
// is told to look at the diff again.
func (r *run) targetMoved(action, fields string, it sync.Item) outcome {
	f := errcatalog.Failure{Provider: "hrbridge", Direction: string(r.dir)}
	f.Detail = "the record to update is no longer in the target"
	if action == ActionCreate {
		f.Variant = "create"
		f.Detail = "a record with this employee number now exists in the target"
	}
	return outcome{status: ResultFailed, action: action, fields: fields, name: it.DisplayName,
		code: errcatalog.CodeTargetChanged, message: errcatalog.Encode(f)}
}

// isWrite reports a status that an import writes.
func isWrite(st sync.Status) bool { return st == sync.StatusNew || st == sync.StatusChanged }

// updated is the target record after an update: current with the written
// fields of want.
func updated(current, want sync.Employee, fields []sync.Field) sync.Employee {
	for _, f := range fields {
		current.Set(f, want.Get(f))
	}
	return current
}

func doneStatus(action string) string {
	if action == ActionCreate {
		return ResultCreated
	}
	return ResultUpdated
}

// fieldList is the written fields as stored (comma separated), without the
// match key.
func fieldList(fs []sync.Field) string {
	names := make([]string, 0, len(fs))
	for _, f := range fs {
		if f != sync.FieldEmployeeNumber {
			names = append(names, string(f))
		}
	}
	return strings.Join(names, ",")
}

// ambiguous reports a failed write that may have reached the provider, or
// that a fresh look at the target may resolve.
func ambiguous(err error) bool {
	var he *httpx.Error
	if !errors.As(err, &he) || he.Type == httpx.TypeCanceled {
		return false
	}
	return he.HTTPStatus == 0 || he.HTTPStatus >= 500 || he.HTTPStatus == http.StatusTooManyRequests || he.HTTPStatus == http.StatusConflict
}

func failure(action, fields string, err error) outcome {
	code, msg := writeErrorInfo(err, fields)
	return outcome{status: ResultFailed, action: action, fields: fields, code: code, message: msg}
}

// errorInfo is the code and message recorded for a failure: the error
// catalogue's code (e.g. "smarthr.rejected_value", "jobkan.unauthorized")
// and, as the message, what its text needs and the technical detail
// (errcatalog.Encode), so that the result can be shown in the reader's
// language with advice that fits the cause; for a failure outside a write.
func errorInfo(err error) (code, msg string) { return classify(err, nil) }

// writeErrorInfo is errorInfo for a write that failed: a write with no
// field list is still a write (a create of nothing but the match key).
func writeErrorInfo(err error, written string) (code, msg string) {
	fields := []string{}
	if written != "" {
		fields = strings.Split(written, ",")
	}
	return classify(err, fields)
}

// classify is the catalogue's code and stored facts of err; fields is nil
// for a failure outside a write.
func classify(err error, fields []string) (code, msg string) {
	code, f := errcatalog.Classify(err, fields, time.Now())
	return clip(code, 100), errcatalog.Encode(f)
}

// conflictMessage is the stored message of a conflict: the diff's own
// explanation, rendered by the catalogue's conflict.<reason> entry.
func conflictMessage(detail string) string {
	return errcatalog.Encode(errcatalog.Failure{Provider: "hrbridge", Reason: detail})
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// dbCtx is for recording what has happened: it outlives the run's context
// (a write that landed is recorded even when the run is being stopped).
func dbCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
}

// markWriting records that res is about to be written.
func (s *Service) markWriting(ctx context.Context, r *run, res store.ImportResult, action, fields string) error {
	ctx, cancel := dbCtx(ctx)
	defer cancel()
	return s.st.DB.WithContext(ctx).Model(&store.ImportResult{}).
		Where("import_id = ? AND position = ? AND status IN ?", res.ImportID, res.Position, []string{ResultPending, ResultWriting}).
		Updates(map[string]any{"status": ResultWriting, "action": action, "changed_fields": fields}).Error
}

// counter is the import column an outcome adds to.
func counter(status string) string {
	switch status {
	case ResultCreated:
		return "created_count"
	case ResultUpdated:
		return "updated_count"
	case ResultUnchanged:
		return "unchanged_count"
	case ResultSkippedStale:
		return "skipped_count"
	}
	return "failed_count"
}

// record stores one employee's outcome and the import's counters in one
// transaction; an employee already settled (by an earlier run) is not
// counted twice.
func (s *Service) record(r *run, res store.ImportResult, o outcome) {
	ctx, cancel := dbCtx(context.Background())
	defer cancel()
	if o.name == "" {
		o.name = res.DisplayName
	}
	if o.status == ResultFailed {
		r.log.Info("employee failed", "employee_number", res.EmployeeNumber, "code", o.code, "message", o.message)
	}
	cols := map[string]any{"status": o.status, "action": o.action, "changed_fields": o.fields, "error_code": o.code,
		"error_message": o.message, "display_name": o.name, "finished_at": now()}
	if o.written != nil {
		cols["written_record"] = diffs.EncodeRecord(*o.written)
	}
	err := s.st.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u := tx.Model(&store.ImportResult{}).
			Where("import_id = ? AND position = ? AND status IN ?", res.ImportID, res.Position, []string{ResultPending, ResultWriting}).
			Updates(cols)
		if u.Error != nil || u.RowsAffected == 0 {
			return u.Error
		}
		col := counter(o.status)
		return tx.Model(&store.Import{}).Where("id = ?", res.ImportID).
			Updates(map[string]any{"done": gorm.Expr("done + 1"), col: gorm.Expr(col + " + 1")}).Error
	})
	if err != nil {
		r.log.Error("could not record an employee's result; the next run settles it", "employee_number", res.EmployeeNumber, "err", err)
		r.recErr.CompareAndSwap(nil, &err)
		return
	}
	if o.written != nil && s.snaps != nil {
		s.snaps.Wrote() // this instance's previews apply it at once; others within a second
	}
}

// giveUp handles a failure before any employee could be settled (settings,
// listing). It is retried by River, unless it is one that waiting cannot
// fix (credentials, permissions, settings) or this was the last attempt:
// then every remaining employee fails with it and the import ends.
func (s *Service) giveUp(ctx context.Context, job *river.Job[ImportArgs], imp store.Import, cause error, log *slog.Logger) error {
	if !permanent(cause) && job.Attempt < job.MaxAttempts {
		log.Warn("import could not start its run; trying again later", "err", cause)
		return cause
	}
	log.Error("import failed", "err", cause)
	code, msg := errorInfo(cause)
	return s.failRemaining(ctx, imp, code, msg, log)
}

// failRemaining fails every employee still to do with code and msg and ends
// the import, unless it is no longer running (canceled meanwhile).
func (s *Service) failRemaining(ctx context.Context, imp store.Import, code, msg string, log *slog.Logger) error {
	dctx, cancel := dbCtx(ctx)
	defer cancel()
	err := s.st.DB.WithContext(dctx).Transaction(func(tx *gorm.DB) error {
		// First, and only while it runs: this also holds the import's row, so
		// that a cancel of a waiting import cannot end it meanwhile.
		if u := tx.Model(&store.Import{}).Where("id = ? AND status = ?", imp.ID, StatusRunning).Updates(noWaiting()); u.Error != nil || u.RowsAffected == 0 {
			return u.Error
		}
		u := tx.Model(&store.ImportResult{}).Where("import_id = ? AND status IN ?", imp.ID, []string{ResultPending, ResultWriting}).
			Updates(map[string]any{"status": ResultFailed, "error_code": code, "error_message": msg, "finished_at": now()})
		if u.Error != nil {
			return u.Error
		}
		return tx.Model(&store.Import{}).Where("id = ?", imp.ID).
			Updates(map[string]any{"done": gorm.Expr("done + ?", u.RowsAffected), "failed_count": gorm.Expr("failed_count + ?", u.RowsAffected)}).Error
	})
	if err != nil {
		return err
	}
	return s.finish(dctx, imp.ID, log)
}

// permanent reports a failure that trying again later will not fix.
func permanent(err error) bool {
	var p *problem.Problem
	if errors.As(err, &p) {
		return true
	}
	var he *httpx.Error
	if errors.As(err, &he) {
		switch he.HTTPStatus {
		case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
			return true
		}
	}
	return false
}
