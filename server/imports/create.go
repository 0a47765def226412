package imports

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"hrbridge/server/diffs"
	"hrbridge/server/problem"
	"hrbridge/server/store"
	"hrbridge/server/sync"
)

// Actor is who asks for an import.
type Actor struct {
	Name   string // recorded as started_by: the user's e-mail, or "e-mail (token: name)"
	UserID string // "" when unknown
}

// Selected is one employee the administrator ticked, with the fingerprint
// of the diff they saw.
type Selected struct {
	EmployeeNumber string
	Fingerprint    string
}

// Request is a new import.
type Request struct {
	Direction      sync.Direction
	Employees      []Selected
	IdempotencyKey string
}

// hash identifies the request's content for the idempotency check.
func (r Request) hash() string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	_ = enc.Encode([]any{Integration, r.Direction})
	for _, e := range r.Employees {
		_ = enc.Encode([2]string{e.EmployeeNumber, e.Fingerprint})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Create validates the selection against the current diff and queues the
// import. A repeated request (same actor, same key, same content) returns
// the import made the first time, with created false.
func (s *Service) Create(ctx context.Context, a Actor, r Request) (imp store.Import, created bool, err error) {
	if !r.Direction.Valid() {
		return imp, false, problem.Unprocessable("Unknown direction.", problem.FieldError{Location: "body.direction", Message: "must be jobkan_to_smarthr or smarthr_to_jobkan"})
	}
	hash := r.hash()
	if imp, ok, err := s.byKey(ctx, a, r.IdempotencyKey, hash); ok || err != nil {
		return imp, false, err
	}
	if err := checkSelection(r.Employees); err != nil {
		return imp, false, err
	}
	snap, err := s.snaps.Get(ctx, r.Direction, false)
	if err != nil {
		return imp, false, err
	}
	seeds := make([]seed, len(r.Employees))
	var errs []problem.FieldError
	for i, e := range r.Employees {
		loc := fmt.Sprintf("body.employees[%d].employee_number", i)
		if it, bad := importable(snap, e.EmployeeNumber, loc, "not in the source; refresh the diff"); bad != nil {
			errs = append(errs, *bad)
		} else {
			seeds[i] = seed{number: it.EmployeeNumber, fingerprint: e.Fingerprint, name: it.DisplayName, action: actionOf(it.Status)}
		}
	}
	if len(errs) > 0 {
		return imp, false, unprocessable("Some selected employees cannot be imported.", errs)
	}
	return s.insert(ctx, a, r.Direction, r.IdempotencyKey, hash, seeds, nil)
}

// checkSelection refuses an empty or oversized selection and repeated
// employees, naming each offending entry.
func checkSelection(emps []Selected) error {
	if len(emps) == 0 {
		return problem.Unprocessable("Select at least one employee.", problem.FieldError{Location: "body.employees", Message: "is empty"})
	}
	if len(emps) > MaxEmployees {
		return problem.Unprocessable(fmt.Sprintf("At most %d employees can be imported at once.", MaxEmployees),
			problem.FieldError{Location: "body.employees", Message: fmt.Sprintf("has %d entries; the limit is %d", len(emps), MaxEmployees)})
	}
	first := make(map[string]int, len(emps))
	var errs []problem.FieldError
	for i, e := range emps {
		key := sync.Normalise(sync.FieldEmployeeNumber, e.EmployeeNumber)
		if j, dup := first[key]; dup {
			errs = append(errs, problem.FieldError{Location: fmt.Sprintf("body.employees[%d].employee_number", i),
				Message: fmt.Sprintf("社員番号「%s」は employees[%d] と重複しています (selected twice)", e.EmployeeNumber, j)})
			continue
		}
		first[key] = i
	}
	if len(errs) > 0 {
		return unprocessable("The selection names some employees twice.", errs)
	}
	return nil
}

// unprocessable is a 422 naming at most 100 entries, so that a selection of
// thousands stays readable.
func unprocessable(detail string, errs []problem.FieldError) error {
	if n := len(errs); n > 100 {
		errs = append(errs[:100:100], problem.FieldError{Location: "body.employees", Message: fmt.Sprintf("and %d more", n-100)})
	}
	return problem.Unprocessable(fmt.Sprintf("%s (%d)", detail, len(errs)), errs...)
}

func actionOf(st sync.Status) string {
	switch st {
	case sync.StatusNew:
		return ActionCreate
	case sync.StatusChanged:
		return ActionUpdate
	}
	return ActionNone
}

// seed is one result row to create.
type seed struct{ number, fingerprint, name, action string }

// byKey returns the actor's import made with key, if any: the same one when
// the content matches, a 422 when it does not.
func (s *Service) byKey(ctx context.Context, a Actor, key, hash string) (store.Import, bool, error) {
	var imp store.Import
	err := s.st.DB.WithContext(ctx).Where("started_by = ? AND idempotency_key = ?", a.Name, key).Take(&imp).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return imp, false, nil
	}
	if err != nil {
		return imp, false, err
	}
	if imp.RequestHash != hash {
		return imp, true, problem.Unprocessable("This Idempotency-Key was already used for a different request; use a new key for a new import.",
			problem.FieldError{Location: "header.Idempotency-Key", Message: "already used for import " + imp.ID + " with other content"})
	}
	return imp, true, nil
}

// insert writes the import, its results and its job in one transaction.
func (s *Service) insert(ctx context.Context, a Actor, dir sync.Direction, key, hash string, seeds []seed, retryOf *string) (store.Import, bool, error) {
	imp := store.Import{
		ID:             uuid.NewString(),
		Integration:    Integration,
		Direction:      string(dir),
		Status:         StatusQueued,
		Total:          len(seeds),
		StartedBy:      a.Name,
		IdempotencyKey: key,
		RequestHash:    hash,
		RetryOf:        retryOf,
		CreatedAt:      now(),
	}
	if a.UserID != "" {
		imp.UserID = &a.UserID
	}
	results := make([]store.ImportResult, len(seeds))
	for i, sd := range seeds {
		results[i] = store.ImportResult{ImportID: imp.ID, Position: i, EmployeeNumber: sd.number, Fingerprint: sd.fingerprint,
			DisplayName: sd.name, Action: sd.action, Status: ResultPending}
	}
	err := s.st.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&imp).Error; err != nil {
			return err
		}
		if err := tx.CreateInBatches(results, 500).Error; err != nil {
			return err
		}
		_, err := s.river.InsertTx(ctx, tx.Statement.ConnPool.(*sql.Tx), ImportArgs{ImportID: imp.ID},
			&river.InsertOpts{Queue: queueFor(dir), MaxAttempts: importMaxAttempts})
		return err
	})
	if isUniqueViolation(err) { // the same key at the same moment: the other request won
		existing, ok, err := s.byKey(ctx, a, key, hash)
		if ok || err != nil {
			return existing, false, err
		}
	}
	if err != nil {
		return store.Import{}, false, fmt.Errorf("queue the import: %w", err)
	}
	return imp, true, nil
}

func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	m := err.Error()
	return strings.Contains(m, "UNIQUE constraint failed") || strings.Contains(m, "SQLSTATE 23505") || strings.Contains(m, "duplicate key value")
}

// Retry queues a new import of imp's failed employees with their current
// fingerprints: the administrator has fixed the data, so a fresh diff is
// what they mean to import. Asking twice returns the same retry.
func (s *Service) Retry(ctx context.Context, a Actor, id string) (store.Import, bool, error) {
	orig, err := s.Get(ctx, id)
	if err != nil {
		return orig, false, err
	}
	if !Finished(orig.Status) {
		return orig, false, problem.Conflict("The import has not ended yet; retry its failed employees once it has.")
	}
	var failed []store.ImportResult
	if err := s.st.DB.WithContext(ctx).Where("import_id = ? AND status = ?", id, ResultFailed).Order("position").Find(&failed).Error; err != nil {
		return orig, false, err
	}
	if len(failed) == 0 {
		return orig, false, problem.Conflict("No employee failed in this import; there is nothing to retry.")
	}
	key := "retry:" + id
	dir := sync.Direction(orig.Direction)
	if imp, ok, err := s.byKey(ctx, a, key, "retry"); ok || err != nil {
		return imp, false, err
	}
	snap, err := s.snaps.Get(ctx, dir, true)
	if err != nil {
		return orig, false, err
	}
	seeds := make([]seed, 0, len(failed))
	var errs []problem.FieldError
	for _, r := range failed {
		loc := fmt.Sprintf("results[%d].employee_number", r.Position)
		if it, bad := importable(snap, r.EmployeeNumber, loc, "no longer in the source"); bad != nil {
			errs = append(errs, *bad)
		} else {
			seeds = append(seeds, seed{number: it.EmployeeNumber, fingerprint: it.Fingerprint, name: it.DisplayName, action: actionOf(it.Status)})
		}
	}
	if len(errs) > 0 {
		return orig, false, unprocessable("Some failed employees still cannot be imported; fix them and try again.", errs)
	}
	return s.insert(ctx, a, dir, key, "retry", seeds, &orig.ID)
}

// Cancel asks an import to stop. A queued import is canceled at once; a
// running one stops after the employees in flight. Canceling a canceled
// import is a no-op; one that ended otherwise is a 409.
func (s *Service) Cancel(ctx context.Context, id string) (store.Import, error) {
	db := s.st.DB.WithContext(ctx)
	t := now()
	res := db.Model(&store.Import{}).Where("id = ? AND status = ?", id, StatusQueued).
		Updates(map[string]any{"status": StatusCanceled, "cancel_requested": true, "finished_at": t})
	if res.Error != nil {
		return store.Import{}, res.Error
	}
	if res.RowsAffected == 0 {
		res = db.Model(&store.Import{}).Where("id = ? AND status = ?", id, StatusRunning).Update("cancel_requested", true)
		if res.Error != nil {
			return store.Import{}, res.Error
		}
		if res.RowsAffected > 0 {
			// One waiting for a provider between two runs ends now.
			if _, err := s.cancelWaiting(ctx, id); err != nil {
				return store.Import{}, err
			}
		}
	}
	imp, err := s.Get(ctx, id)
	if err != nil {
		return imp, err
	}
	if res.RowsAffected == 0 && imp.Status != StatusCanceled {
		return imp, problem.Conflict(fmt.Sprintf("The import has already ended (%s); there is nothing to cancel.", imp.Status))
	}
	return imp, nil
}

// importable finds number in the snapshot's source side; an employee that is
// not there, or is a conflict, is refused with an error located at loc.
func importable(snap *diffs.Snapshot, number, loc, missing string) (sync.Item, *problem.FieldError) {
	it, ok := snap.Result.Find(number)
	switch {
	case !ok:
		return it, &problem.FieldError{Location: loc, Message: fmt.Sprintf("社員番号「%s」の従業員は取り込み元にいません (%s)", number, missing)}
	case it.Status == sync.StatusConflict:
		return it, &problem.FieldError{Location: loc, Message: fmt.Sprintf(
			"社員番号「%s」は取り込めません (conflict %s): %s", number, it.ReasonCode, it.ReasonDetail)}
	}
	return it, nil
}
