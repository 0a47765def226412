package diffs

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	gosync "sync"
	"sync/atomic"
	"time"

	"hrbridge/server/store"
	"hrbridge/server/sync"
)

// Write is one record an import wrote: the target record of Direction as
// the import left it (created, or updated).
type Write struct {
	Key       string         // names the write (import and position): each is applied once
	Direction sync.Direction // the import's; Record is a row of its target
	At        time.Time      // when it was recorded, by the clock of the instance that wrote it
	Record    sync.Employee
}

// WriteLog is where imports record what they wrote, for every instance.
type WriteLog interface {
	// WrittenSince returns the writes recorded at or after since, oldest first.
	WrittenSince(ctx context.Context, since time.Time) ([]Write, error)
}

// record is the stored form of a written employee: the canonical
// sync.Employee under the API's field names.
type record struct {
	ID               string `json:"id"`
	EmployeeNumber   string `json:"employee_number"`
	LastName         string `json:"last_name"`
	FirstName        string `json:"first_name"`
	HiredOn          string `json:"hired_on"`
	EmploymentType   string `json:"employment_type"`
	Phone            string `json:"phone"`
	BirthDate        string `json:"birth_date"`
	EmploymentStatus string `json:"employment_status"`
	Email            string `json:"email"`
}

// EncodeRecord is e as stored in import_results.written_record.
func EncodeRecord(e sync.Employee) string {
	b, _ := json.Marshal(record(e))
	return string(b)
}

// DecodeRecord reads what EncodeRecord wrote.
func DecodeRecord(s string) (sync.Employee, error) {
	var r record
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		return sync.Employee{}, fmt.Errorf("a written record is not valid: %w", err)
	}
	return sync.Employee(r), nil
}

// FromStore reads the writes recorded in import_results.
func FromStore(st *store.Store) WriteLog { return storeLog{st} }

type storeLog struct{ st *store.Store }

func (l storeLog) WrittenSince(ctx context.Context, since time.Time) ([]Write, error) {
	rows, err := l.st.WrittenSince(ctx, since)
	if err != nil {
		return nil, err
	}
	out := make([]Write, 0, len(rows))
	for _, r := range rows {
		e, err := DecodeRecord(r.Record)
		if err != nil {
			slog.Warn("written record skipped", "import_id", r.ImportID, "position", r.Position, "err", err)
			continue
		}
		out = append(out, Write{Key: fmt.Sprintf("%s/%d", r.ImportID, r.Position), Direction: sync.Direction(r.Direction),
			At: r.FinishedAt, Record: e})
	}
	return out, nil
}

// commitLag is how far back each look for writes goes (skipping those
// already applied): a result's time is taken after the provider answered
// and just before its transaction, which may take up to 30 s to commit.
//
// A write recorded before a listing began is not applied to it: the
// provider had it before the listing, which saw it or something newer (a
// change made in the provider since, which the write must not hide). This
// compares the clocks of the instance that wrote and the one that listed,
// which are assumed to agree (NTP) far better than the time between a
// write and its record.
const commitLag = time.Minute

// lineage is a snapshot read from the providers and the ones patched from
// it: which writes they have, and when they last looked for more.
type lineage struct {
	listedAt time.Time                // when the providers' listing began
	cur      atomic.Pointer[Snapshot] // the newest
	polled   atomic.Int64             // when it last looked (UnixNano), 0: never
	seen     atomic.Uint64            // Snapshots.wrote when it last looked

	mu      gosync.Mutex // held while looking and patching
	from    time.Time    // the next look's lower bound
	applied map[string]time.Time
}

func newLineage(listedAt time.Time) *lineage {
	return &lineage{listedAt: listedAt, from: listedAt, applied: map[string]time.Time{}}
}

func (l *lineage) due(now time.Time, every time.Duration, gen uint64) bool {
	return l.seen.Load() != gen || now.UnixNano()-l.polled.Load() >= int64(every)
}

// freshen returns the newest snapshot of c's lineage with the writes
// recorded since it was read: at once when this process recorded one since
// the last look, else at most once per pollEvery (writes by other
// instances). Pages keep pointing into the older snapshots they started
// from; those are never changed.
func (s *Snapshots) freshen(ctx context.Context, c *Snapshot) (*Snapshot, error) {
	lin := c.lin
	if s.writes == nil || lin == nil {
		return c, nil
	}
	if !lin.due(s.now(), s.pollEvery, s.wrote.Load()) {
		return lin.cur.Load(), nil
	}
	lin.mu.Lock()
	defer lin.mu.Unlock()
	now, gen := s.now(), s.wrote.Load()
	cur := lin.cur.Load()
	if !lin.due(now, s.pollEvery, gen) { // another request just looked
		return cur, nil
	}
	ws, err := s.writes.WrittenSince(ctx, lin.from)
	if err != nil {
		return nil, fmt.Errorf("read the records written by imports: %w", err)
	}
	lin.polled.Store(now.UnixNano())
	lin.seen.Store(gen)
	next := now.Add(-commitLag)
	if next.Before(lin.listedAt) {
		next = lin.listedAt
	}
	fresh := ws[:0:0]
	for _, w := range ws {
		if _, ok := lin.applied[w.Key]; !ok && w.Direction.Valid() {
			lin.applied[w.Key] = w.At
			fresh = append(fresh, w)
		}
	}
	lin.from = next
	for k, at := range lin.applied {
		if at.Before(next) {
			delete(lin.applied, k) // no look returns it again
		}
	}
	patched := cur.apply(fresh)
	if patched == cur {
		return cur, nil
	}
	lin.cur.Store(patched)
	s.mu.Lock()
	if c := s.cache[patched.Direction]; c != nil && c.lin == lin {
		s.cache[patched.Direction] = patched
	}
	s.mu.Unlock()
	return patched, nil
}

// lastID makes patched snapshots' ids unique in this process.
var lastID atomic.Int64

// apply returns a new snapshot: sn with the written records ws applied in
// order, or sn itself when ws is empty. A record written into this
// direction's target replaces the target row of the same ID (or is added);
// one written into the other direction's target is a source row here, and
// replaces the source row of the same ID (or is a new item). Only the
// employees of the 社員番号 concerned are diffed again, by sync.Diff, against
// every target row, so that each item is the one a whole new diff would give.
func (sn *Snapshot) apply(ws []Write) *Snapshot {
	if len(ws) == 0 {
		return sn
	}
	items := sn.Result.Items
	affected := map[string]bool{}

	// Target rows: copied once, replaced by ID or added.
	targets := sn.targets
	var tgtAt map[string]int
	for _, w := range ws {
		if w.Direction != sn.Direction {
			continue
		}
		if tgtAt == nil {
			targets = make([]sync.Employee, len(sn.targets), len(sn.targets)+len(ws))
			copy(targets, sn.targets)
			tgtAt = make(map[string]int, len(targets))
			for i := len(targets) - 1; i >= 0; i-- {
				tgtAt[ident(&targets[i])] = i // the first of several
			}
		}
		rec := w.Record
		affected[numberKey(&rec)] = true
		if i, ok := tgtAt[ident(&rec)]; ok {
			affected[numberKey(&targets[i])] = true
			targets[i] = rec
			continue
		}
		tgtAt[ident(&rec)] = len(targets)
		targets = append(targets, rec)
	}

	// Source rows: replaced by ID or added.
	var srcNew map[string]sync.Employee
	var added []sync.Employee
	var addedAt, itemAt map[string]int
	for _, w := range ws {
		if w.Direction == sn.Direction {
			continue
		}
		if itemAt == nil {
			srcNew, addedAt = map[string]sync.Employee{}, map[string]int{}
			itemAt = make(map[string]int, len(items))
			for i := len(items) - 1; i >= 0; i-- {
				itemAt[ident(&items[i].Source)] = i
			}
		}
		rec := w.Record
		id := ident(&rec)
		affected[numberKey(&rec)] = true
		if i, ok := itemAt[id]; ok {
			affected[items[i].EmployeeNumber] = true
			srcNew[id] = rec
		} else if j, ok := addedAt[id]; ok {
			added[j] = rec
		} else {
			addedAt[id] = len(added)
			added = append(added, rec)
		}
	}

	// Every source row of the numbers concerned, as it is now.
	var sources []sync.Employee
	for k := range affected {
		lo, hi := group(items, k)
		for i := lo; i < hi; i++ {
			src := items[i].Source
			if r, ok := srcNew[ident(&src)]; ok {
				src = r
			}
			sources = append(sources, src)
		}
	}
	sources = append(sources, added...)
	re := sync.Diff(sn.Direction, sources, targets, sn.settings).Items

	// The items of other numbers stay, pointing into the new target rows;
	// the new ones are merged in by number.
	var moved map[*sync.Employee]*sync.Employee
	if tgtAt != nil {
		moved = make(map[*sync.Employee]*sync.Employee, len(sn.targets))
		for i := range sn.targets {
			moved[&sn.targets[i]] = &targets[i]
		}
	}
	out := make([]sync.Item, 0, len(items)+len(added))
	j := 0
	for i := range items {
		it := items[i]
		if affected[it.EmployeeNumber] {
			continue
		}
		for j < len(re) && sync.CompareEmployeeNumbers(re[j].EmployeeNumber, it.EmployeeNumber) < 0 {
			out = append(out, re[j])
			j++
		}
		if it.Target != nil && moved != nil {
			it.Target = moved[it.Target]
		}
		out = append(out, it)
	}
	out = append(out, re[j:]...)

	id := time.Now().UnixNano()
	for {
		last := lastID.Load()
		id = max(id, last+1)
		if lastID.CompareAndSwap(last, id) {
			break
		}
	}
	return &Snapshot{
		Direction:   sn.Direction,
		GeneratedAt: sn.GeneratedAt,
		Result:      sync.Result{Items: out, Summary: summarise(out)},
		version:     sn.version,
		id:          id,
		targets:     targets,
		settings:    sn.settings,
		lin:         sn.lin,
	}
}

// numberKey is the match key of a row: its normalised 社員番号.
func numberKey(e *sync.Employee) string {
	return sync.Normalise(sync.FieldEmployeeNumber, e.EmployeeNumber)
}

// ident names a row within its system: its ID, or (none given) its number.
func ident(e *sync.Employee) string {
	if e.ID != "" {
		return e.ID
	}
	return "\x00" + numberKey(e)
}

// group is the range of items whose number is key (items are sorted by it).
func group(items []sync.Item, key string) (lo, hi int) {
	cmp := func(it sync.Item, k string) int { return sync.CompareEmployeeNumbers(it.EmployeeNumber, k) }
	lo, found := slices.BinarySearchFunc(items, key, cmp)
	if !found {
		return lo, lo
	}
	hi = lo + 1
	for hi < len(items) && items[hi].EmployeeNumber == key {
		hi++
	}
	return lo, hi
}

func summarise(items []sync.Item) sync.Summary {
	s := sync.Summary{Total: len(items)}
	for i := range items {
		switch items[i].Status {
		case sync.StatusUnchanged:
			s.Unchanged++
		case sync.StatusChanged:
			s.Changed++
		case sync.StatusNew:
			s.New++
		case sync.StatusConflict:
			s.Conflict++
		}
	}
	return s
}
