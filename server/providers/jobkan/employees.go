package jobkan

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"hrbridge/server/providers/httpx"
	hrsync "hrbridge/server/sync"
)

// List returns every employee, paging by keyset (last_id) until a short page.
func (c *Client) List(ctx context.Context) ([]hrsync.Employee, error) {
	var out []hrsync.Employee
	var lastID int64
	for {
		var page list
		q := url.Values{paramLastID: {strconv.FormatInt(lastID, 10)}, paramCount: {strconv.Itoa(pageSize)}}
		if err := c.call(ctx, http.MethodGet, pathEmployees, q, nil, &page); err != nil {
			return nil, err
		}
		for _, w := range page.Employees {
			out = append(out, w.canonical())
		}
		if len(page.Employees) < pageSize {
			return out, nil
		}
		next := page.Employees[len(page.Employees)-1].ID
		if next <= lastID { // a server that does not advance must not loop us forever
			return nil, fmt.Errorf("Jobkan: the employee listing did not advance past id %d", lastID)
		}
		lastID = next
	}
}

// FindByNumber returns the employee whose code is number, if any (Jobkan
// codes are unique, so at most one).
func (c *Client) FindByNumber(ctx context.Context, number string) ([]hrsync.Employee, error) {
	if number == "" {
		return nil, errors.New("Jobkan: FindByNumber needs an employee number")
	}
	var w one
	err := c.call(ctx, http.MethodGet, employeePath(number), nil, nil, &w)
	var he *httpx.Error
	if errors.As(err, &he) && he.HTTPStatus == http.StatusNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []hrsync.Employee{w.employee.canonical()}, nil
}

// Reread reads current again by its code as listed (GET
// /master/v1/employees/{code}); found is false when there is none, or when
// the code now belongs to another record (a different id).
func (c *Client) Reread(ctx context.Context, current hrsync.Employee) (hrsync.Employee, bool, error) {
	found, err := c.FindByNumber(ctx, current.EmployeeNumber)
	if err != nil || len(found) == 0 {
		return hrsync.Employee{}, false, err
	}
	if current.ID != "" && found[0].ID != current.ID {
		return hrsync.Employee{}, false, nil
	}
	return found[0], true, nil
}

// Create registers want (POST /master/v1/employees). Jobkan requires an email
// address; the caller supplies one (DESIGN.md §2).
func (c *Client) Create(ctx context.Context, want hrsync.Employee) (hrsync.Employee, error) {
	body := map[string]any{}
	for f, k := range keys {
		v, err := wireValue(f, want.Get(f))
		if err != nil {
			return hrsync.Employee{}, err
		}
		if v != nil {
			body[k] = v
		}
	}
	var w one
	if err := c.call(ctx, http.MethodPost, pathEmployees, nil, body, &w); err != nil {
		return hrsync.Employee{}, err
	}
	return w.employee.canonical(), nil
}

// Update sends only the named fields of want (PUT
// /master/v1/employees/{current code}).
func (c *Client) Update(ctx context.Context, current, want hrsync.Employee, fields []hrsync.Field) error {
	if len(fields) == 0 {
		return nil
	}
	if current.EmployeeNumber == "" {
		return errors.New("Jobkan: cannot update an employee without a code")
	}
	body := make(map[string]any, len(fields))
	for _, f := range fields {
		k, ok := keys[f]
		if !ok {
			return fmt.Errorf("Jobkan: the field %q is not synced to Jobkan", f)
		}
		v, err := wireValue(f, want.Get(f))
		if err != nil {
			return err
		}
		body[k] = v
	}
	return c.call(ctx, http.MethodPut, employeePath(current.EmployeeNumber), nil, body, nil)
}

func employeePath(code string) string { return pathEmployees + "/" + url.PathEscape(code) }
