// Package paging is the one paging vocabulary of the API's lists: the
// cursor type (in the manner of River's JobListCursor), the page sizes of
// openapi.yaml clamped in one place, and the n+1 helper that cuts a page and
// gives the cursor of the next one.
//
// A cursor is opaque to clients: base64url (no padding) of compact JSON. Only
// the exact text MarshalText makes of a possible position is read back; any
// other text — not base64url, not JSON, unknown or missing fields, another
// encoding of the same value, an impossible position — is ErrBadCursor, which
// the API answers with 400, never with an empty page.
package paging

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
)

// ErrBadCursor is a cursor this API did not give.
var ErrBadCursor = errors.New("not a cursor of this list")

// Kind says which order a cursor resumes, so that a cursor of one kind of
// list is never read as another's.
type Kind string

const (
	// Keyset resumes a list ordered by (created_at, id) descending, after
	// Time and ID.
	Keyset Kind = "keyset"
	// Position resumes a list ordered by a position, after Pos.
	Position Kind = "position"
	// Snapshot resumes a diff snapshot: at index Pos of the snapshot Gen, or,
	// in another snapshot, after the item of number Number and source id Source.
	Snapshot Kind = "snapshot"
)

// Cursor is a position in a list; its text is the next_cursor of a page.
type Cursor struct {
	Kind   Kind      `json:"k"`
	Time   time.Time `json:"t,omitzero"`
	ID     string    `json:"id,omitempty"`
	Pos    int       `json:"p,omitempty"`
	Gen    int64     `json:"g,omitempty"`
	Number string    `json:"n,omitempty"`
	Source string    `json:"s,omitempty"`
}

// At is the keyset cursor after the row created at t with id id.
func At(t time.Time, id string) Cursor { return Cursor{Kind: Keyset, Time: t, ID: id} }

// After is the position cursor after position p.
func After(p int) Cursor { return Cursor{Kind: Position, Pos: p} }

// MarshalText encodes the cursor. Time is written as given (RFC 3339 with
// nanoseconds and its offset), so that the row's own value is compared.
func (c Cursor) MarshalText() ([]byte, error) {
	raw, err := json.Marshal(cursorJSON(c))
	if err != nil {
		return nil, err
	}
	out := make([]byte, base64.RawURLEncoding.EncodedLen(len(raw)))
	base64.RawURLEncoding.Encode(out, raw)
	return out, nil
}

// String is the cursor's text.
func (c Cursor) String() string {
	b, _ := c.MarshalText()
	return string(b)
}

// cursorJSON has Cursor's fields without its methods.
type cursorJSON Cursor

// UnmarshalText reads a cursor made by MarshalText; anything else is
// ErrBadCursor.
func (c *Cursor) UnmarshalText(text []byte) error {
	raw := make([]byte, base64.RawURLEncoding.DecodedLen(len(text)))
	n, err := base64.RawURLEncoding.Decode(raw, text)
	if err != nil {
		return ErrBadCursor
	}
	dec := json.NewDecoder(bytes.NewReader(raw[:n]))
	dec.DisallowUnknownFields()
	var v cursorJSON
	if err := dec.Decode(&v); err != nil || dec.More() {
		return ErrBadCursor
	}
	got := Cursor(v)
	if again, err := got.MarshalText(); err != nil || !bytes.Equal(again, text) || !got.possible() {
		return ErrBadCursor
	}
	*c = got
	return nil
}

// Parse reads a cursor of kind k; "" is nil (the first page).
func Parse(text string, k Kind) (*Cursor, error) {
	if text == "" {
		return nil, nil
	}
	var c Cursor
	if err := c.UnmarshalText([]byte(text)); err != nil || c.Kind != k {
		return nil, ErrBadCursor
	}
	return &c, nil
}

// possible reports whether MarshalText could have made c for a real list.
func (c Cursor) possible() bool {
	future := time.Now().Add(time.Hour)
	switch c.Kind {
	case Keyset:
		return !c.Time.IsZero() && !c.Time.After(future) && uuid.Validate(c.ID) == nil &&
			c.Pos == 0 && c.Gen == 0 && c.Number == "" && c.Source == ""
	case Position:
		return c.Pos >= 0 && c.Time.IsZero() && c.ID == "" && c.Gen == 0 && c.Number == "" && c.Source == ""
	case Snapshot:
		return c.Gen > 0 && c.Gen <= future.UnixNano() && c.Pos >= 0 && (c.Number != "" || c.Source != "") &&
			c.Time.IsZero() && c.ID == ""
	}
	return false
}

// Limits are the page sizes of a list parameter in openapi.yaml.
type Limits struct{ Default, Max int }

var (
	// List is components/parameters/Limit, shared by the API's lists.
	List = Limits{Default: 50, Max: 200}
	// Diffs is the limit of GET /integrations/jobkan/diffs.
	Diffs = Limits{Default: 100, Max: 500}
)

// Clamp is the page size for a requested n: the default when n is not
// positive (not given), at most Max.
func (l Limits) Clamp(n int) int {
	if n <= 0 {
		return l.Default
	}
	return min(n, l.Max)
}

// Fetch reads one page of at most limit rows: fetch is asked for limit+1
// rows, so that one more than the page tells that a next page exists; next
// is the cursor after the page's last row, or "" at the end.
func Fetch[T any](limit int, fetch func(n int) ([]T, error), at func(last T) Cursor) (rows []T, next string, err error) {
	limit = max(limit, 1)
	rows, err = fetch(limit + 1)
	if err != nil {
		return nil, "", err
	}
	if len(rows) <= limit {
		return rows, "", nil
	}
	rows = rows[:limit]
	return rows, at(rows[limit-1]).String(), nil
}
