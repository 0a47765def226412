package smarthr

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ErrUnknownEmploymentType is wrapped by EmploymentTypeByName when the tenant
// has no employment type of that name.
var ErrUnknownEmploymentType = errors.New("unknown employment type")

// EmploymentTypes returns the tenant's employment types (GET
// /v1/employment_types), cached for the life of the client.
func (c *Client) EmploymentTypes(ctx context.Context) ([]EmploymentType, error) {
	c.mu.Lock()
	defer c.mu.Unlock() // one fetch even when many writers ask at once
	if c.types != nil {
		return c.types, nil
	}
	var all []EmploymentType
	for page := 1; ; page++ {
		var ts []EmploymentType
		q := url.Values{paramPage: {strconv.Itoa(page)}, paramPerPage: {strconv.Itoa(pageSize)}}
		resp, err := c.get(ctx, pathEmploymentTypes, q, &ts)
		if err != nil {
			return nil, err
		}
		all = append(all, ts...)
		total, err := strconv.Atoi(resp.Header.Get(headerTotalCount))
		if err != nil || len(ts) < pageSize || len(all) >= total {
			break
		}
	}
	c.types = all
	return all, nil
}

// EmploymentTypeByName resolves a name to the tenant's employment type.
func (c *Client) EmploymentTypeByName(ctx context.Context, name string) (EmploymentType, error) {
	types, err := c.EmploymentTypes(ctx)
	if err != nil {
		return EmploymentType{}, err
	}
	names := make([]string, len(types))
	for i, t := range types {
		if t.Name == name {
			return t, nil
		}
		names[i] = t.Name
	}
	return EmploymentType{}, fmt.Errorf("SmartHR: %w %q; the tenant has: %s",
		ErrUnknownEmploymentType, name, strings.Join(names, ", "))
}
