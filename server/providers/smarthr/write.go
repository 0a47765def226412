package smarthr

import (
	"context"
	"fmt"
	"net/http"

	hrsync "hrbridge/server/sync"
)

// Create adds want as a new crew (POST /v1/crews) and returns it as stored.
// With UseBusinessName the name is written as both the legal name (which
// SmartHR requires) and the business name.
func (c *Client) Create(ctx context.Context, want hrsync.Employee) (hrsync.Employee, error) {
	fields := []hrsync.Field{
		hrsync.FieldEmployeeNumber, hrsync.FieldLastName, hrsync.FieldFirstName, hrsync.FieldHiredOn,
		hrsync.FieldEmploymentType, hrsync.FieldPhone, hrsync.FieldBirthDate, hrsync.FieldEmploymentStatus,
	}
	body, err := c.payload(ctx, want, fields, true)
	if err != nil {
		return hrsync.Employee{}, err
	}
	if c.opts.UseBusinessName {
		body[keyLastName], body[keyFirstName] = nullable(want.LastName), nullable(want.FirstName)
	}
	req, err := c.request(http.MethodPost, pathCrews, nil, body)
	if err != nil {
		return hrsync.Employee{}, err
	}
	var w crew
	if _, err := c.http.DoJSON(ctx, req, &w); err != nil {
		return hrsync.Employee{}, err
	}
	return c.employee(w), nil
}

// Update sends only the named fields of want (PATCH /v1/crews/{current.ID}).
func (c *Client) Update(ctx context.Context, current, want hrsync.Employee, fields []hrsync.Field) error {
	if len(fields) == 0 {
		return nil
	}
	if current.ID == "" {
		return fmt.Errorf("SmartHR: cannot update employee %q: no crew id", current.EmployeeNumber)
	}
	body, err := c.payload(ctx, want, fields, false)
	if err != nil {
		return err
	}
	req, err := c.request(http.MethodPatch, crewPath(current.ID), nil, body)
	if err != nil {
		return err
	}
	req.Idempotent = true // it sets values: sending it twice changes nothing
	_, err = c.http.Do(ctx, req)
	return err
}

// payload maps fields of e to crew attributes. On create, blank values are
// left out rather than sent as null.
func (c *Client) payload(ctx context.Context, e hrsync.Employee, fields []hrsync.Field, create bool) (map[string]any, error) {
	body := make(map[string]any, len(fields))
	for _, f := range fields {
		keys := c.keys(f)
		if keys == nil {
			return nil, fmt.Errorf("SmartHR: the field %q is not synced to SmartHR", f)
		}
		v := e.Get(f)
		if create && v == "" {
			continue
		}
		var val any = nullable(v)
		if f == hrsync.FieldEmploymentType && v != "" {
			t, err := c.EmploymentTypeByName(ctx, v)
			if err != nil {
				return nil, err
			}
			val = t.ID
		}
		for _, k := range keys {
			body[k] = val
		}
	}
	return body, nil
}
