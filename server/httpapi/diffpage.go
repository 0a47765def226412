package httpapi

import (
	"bytes"
	"net/http"
	"strconv"
	gosync "sync"
	"time"
	"unicode/utf8"

	"hrbridge/server/diffs"
	"hrbridge/server/sync"
)

// diffPage writes a page of api.DiffPage with an append-only encoder instead
// of reflection: a page is the hottest read (the selection screen pages
// through up to 100,000 employees), and its allocations, not its logic, were
// what the load test measured. diffpage_test.go proves the bytes decode to
// exactly what encoding/json gives for the generated types.
type diffPage struct {
	buf     *bytes.Buffer
	refresh *diffs.Refresh // set when refresh=true was asked: how it was served
}

var pageBufs = gosync.Pool{New: func() any { return new(bytes.Buffer) }}

func (p diffPage) VisitListDiffsResponse(w http.ResponseWriter) error {
	defer pageBufs.Put(p.buf)
	w.Header().Set("Content-Type", "application/json")
	if r := p.refresh; r != nil {
		w.Header().Set("Hrbridge-Refresh", map[bool]string{true: "coalesced", false: "fresh"}[r.Coalesced])
		if !r.NextAt.IsZero() {
			w.Header().Set("Hrbridge-Refresh-Next", r.NextAt.UTC().Format(time.RFC3339))
		}
	}
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(p.buf.Bytes())
	return err
}

// newDiffPage encodes a page; with mask, personal values (sync.Field
// Personal: phone, birth date) are shown as MaskedValue, for callers that may
// read but not import.
func newDiffPage(dir sync.Direction, generatedAt time.Time, s sync.Summary, items []*sync.Item, next string, mask bool) diffPage {
	buf := pageBufs.Get().(*bytes.Buffer)
	buf.Reset()
	buf.Write(appendDiffPage(buf.AvailableBuffer(), dir, generatedAt, s, items, next, mask))
	return diffPage{buf: buf}
}

// MaskedValue stands for a personal value that the caller may not read; a
// blank value stays blank (nothing is revealed by it).
const MaskedValue = "＊＊＊"

func appendDiffPage(b []byte, dir sync.Direction, generatedAt time.Time, s sync.Summary, items []*sync.Item, next string, mask bool) []byte {
	b = append(b, `{"direction":`...)
	b = appendString(b, string(dir))
	b = append(b, `,"generated_at":"`...)
	b = generatedAt.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","summary":{"unchanged":`...)
	b = strconv.AppendInt(b, int64(s.Unchanged), 10)
	b = append(b, `,"changed":`...)
	b = strconv.AppendInt(b, int64(s.Changed), 10)
	b = append(b, `,"new":`...)
	b = strconv.AppendInt(b, int64(s.New), 10)
	b = append(b, `,"conflict":`...)
	b = strconv.AppendInt(b, int64(s.Conflict), 10)
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, int64(s.Total), 10)
	b = append(b, `},"items":[`...)
	for i := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendDiffItem(b, items[i], mask)
	}
	b = append(b, `],"next_cursor":`...)
	if next == "" {
		b = append(b, "null"...)
	} else {
		b = appendString(b, next)
	}
	return append(b, "}\n"...)
}

// appendDiffItem is diffItemOut followed by JSON encoding, in one pass.
func appendDiffItem(b []byte, it *sync.Item, mask bool) []byte {
	b = append(b, `{"employee_number":`...)
	b = appendString(b, it.EmployeeNumber)
	b = append(b, `,"display_name":`...)
	b = appendString(b, it.DisplayName)
	b = append(b, `,"status":`...)
	b = appendString(b, string(it.Status))
	b = append(b, `,"fingerprint":`...)
	b = appendString(b, it.Fingerprint)
	b = append(b, `,"fields":[`...)
	for i, f := range it.Fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendString(b, string(f.Field))
		b = append(b, `,"label":`...)
		b = appendString(b, sync.LabelJa(f.Field))
		old, nw := f.Old, f.New
		if mask && f.Field.Personal() {
			old, nw = masked(old), masked(nw)
		}
		b = append(b, `,"old":`...)
		if it.Status == sync.StatusNew {
			b = append(b, "null"...)
		} else {
			b = appendString(b, old)
		}
		b = append(b, `,"new":`...)
		b = appendString(b, nw)
		b = append(b, `,"changed":`...)
		b = strconv.AppendBool(b, f.Changed)
		b = append(b, '}')
	}
	b = append(b, ']')
	if it.ReasonCode != "" {
		b = append(b, `,"reason":`...)
		b = appendString(b, it.ReasonCode)
		b = append(b, `,"reason_detail":`...)
		b = appendString(b, it.ReasonDetail)
	}
	// Always present, possibly empty (the spec requires it).
	b = append(b, `,"warnings":[`...)
	for i, w := range it.Warnings {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"code":`...)
		b = appendString(b, w.Code)
		b = append(b, `,"message":`...)
		b = appendString(b, w.Message)
		b = append(b, '}')
	}
	return append(b, ']', '}')
}

const hex = "0123456789abcdef"

// appendString appends s as a JSON string, escaped as encoding/json does
// (quotes, backslashes, control characters, U+2028/9, invalid UTF-8), except
// that <, > and & are left as they are: the body is JSON, never HTML.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func masked(v string) string {
	if v == "" {
		return ""
	}
	return MaskedValue
}
