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
// employees of the 社員番号 concerned are diffed again, by sync.Diff over the
// rows of those numbers, so that each item is the one a whole new diff would
// give; the others are kept as they are.
func (sn *Snapshot) apply(ws []Write) *Snapshot {
	if len(ws) == 0 {
		return sn
	}
	items := sn.Result.Items
	affected := map[string]bool{}

	// Target rows: copied once, replaced by ID or added.
	targets, tkeys := sn.targets, sn.tkeys
	copied := false
	for _, w := range ws {
		if w.Direction != sn.Direction {
			continue
		}
		if !copied {
			targets = append(make([]sync.Employee, 0, len(sn.targets)+len(ws)), sn.targets...)
			tkeys = append(make([]string, 0, len(sn.tkeys)+len(ws)), sn.tkeys...)
			copied = true
		}
		rec := w.Record
		k := numberKey(&rec)
		affected[k] = true
		if i := findRow(targets, tkeys, rec.ID, k); i >= 0 {
			affected[tkeys[i]] = true
			targets[i], tkeys[i] = rec, k
			continue
		}
		targets, tkeys = append(targets, rec), append(tkeys, k)
	}

	// Source rows: replaced by ID or added.
	srcNew := map[string]sync.Employee{}
	var added []sync.Employee
	for _, w := range ws {
		if w.Direction == sn.Direction {
			continue
		}
		rec := w.Record
		k := numberKey(&rec)
		affected[k] = true
		if i := findItem(items, rec.ID, k); i >= 0 {
			affected[items[i].EmployeeNumber] = true
			srcNew[ident(&items[i].Source)] = rec
		} else if j := slices.IndexFunc(added, func(e sync.Employee) bool { return ident(&e) == ident(&rec) }); j >= 0 {
			added[j] = rec
		} else {
			added = append(added, rec)
		}
	}

	// Every row of the numbers concerned, as it is now, in the order a
	// whole diff would meet them.
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
	var gt []sync.Employee
	var gi []int32
	for i, k := range tkeys {
		if affected[k] {
			gt, gi = append(gt, targets[i]), append(gi, int32(i))
		}
	}
	re := sync.Diff(sn.Direction, sources, gt, sn.settings).Items
	reT := make([]int32, len(re))
	for i := range re {
		reT[i] = -1
		for g := range gt {
			if &gt[g] == re[i].Target {
				reT[i], re[i].Target = gi[g], &targets[gi[g]]
				break
			}
		}
	}

	// The items of other numbers stay (pointing into the new target rows);
	// the new ones are merged in by number.
	out := make([]sync.Item, 0, len(items)+len(added))
	outT := make([]int32, 0, len(items)+len(added))
	j := 0
	for i := range items {
		if affected[items[i].EmployeeNumber] {
			continue
		}
		for j < len(re) && sync.CompareEmployeeNumbers(re[j].EmployeeNumber, items[i].EmployeeNumber) < 0 {
			out, outT = append(out, re[j]), append(outT, reT[j])
			j++
		}
		out, outT = append(out, items[i]), append(outT, sn.titem[i])
		if t := sn.titem[i]; copied && t >= 0 {
			out[len(out)-1].Target = &targets[t]
		}
	}
	out, outT = append(out, re[j:]...), append(outT, reT[j:]...)
	// A look-alike 社員番号 may sit in a group that was not diffed again.
	sync.WarnSimilar(sn.Direction, out, targets)

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
		tkeys:       tkeys,
		titem:       outT,
		settings:    sn.settings,
		lin:         sn.lin,
	}
}

// findRow is the index of the first row of this ID (or, without one, of
// this number and no ID), or -1.
func findRow(rows []sync.Employee, keys []string, id, key string) int {
	for i := range rows {
		if rows[i].ID == id && (id != "" || keys[i] == key) {
			return i
		}
	}
	return -1
}

// findItem is the index of the first item whose source row has this ID (or,
// without one, this number and no ID), or -1. It looks among the items of
// the number first.
func findItem(items []sync.Item, id, key string) int {
	lo, hi := group(items, key)
	for i := lo; i < hi; i++ {
		if items[i].Source.ID == id {
			return i
		}
	}
	if id == "" {
		return -1
	}
	for i := range items {
		if items[i].Source.ID == id {
			return i
		}
	}
	return -1
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
