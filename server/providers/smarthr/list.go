package smarthr

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"hrbridge/server/providers/httpx"
	hrsync "hrbridge/server/sync"
)

// List returns every crew. The first page gives x-total-count; the rest are
// fetched concurrently (Options.Concurrency at a time, all under the rate
// limiter). Without x-total-count it follows the Link header instead.
func (c *Client) List(ctx context.Context) ([]hrsync.Employee, error) {
	crews, err := c.listAll(ctx, url.Values{})
	if err != nil {
		return nil, err
	}
	out := make([]hrsync.Employee, 0, len(crews))
	seen := make(map[string]bool, len(crews))
	for _, w := range crews {
		// A crew created while we page can shift another onto the next page.
		if !seen[w.ID] {
			seen[w.ID] = true
			out = append(out, c.employee(w))
		}
	}
	return out, nil
}

// FindByNumber returns every crew whose emp_code is number; emp_code is not
// unique in SmartHR, so there may be several.
func (c *Client) FindByNumber(ctx context.Context, number string) ([]hrsync.Employee, error) {
	if number == "" {
		return nil, fmt.Errorf("SmartHR: FindByNumber needs an employee number")
	}
	crews, err := c.listAll(ctx, url.Values{paramEmpCode: {number}})
	if err != nil {
		return nil, err
	}
	out := make([]hrsync.Employee, 0, len(crews))
	for _, w := range crews {
		if w.EmpCode == number { // guard against a looser server-side match
			out = append(out, c.employee(w))
		}
	}
	return out, nil
}

// Reread reads current's crew again (GET /v1/crews/{id}); found is false
// when SmartHR answers 404 (the crew was deleted).
func (c *Client) Reread(ctx context.Context, current hrsync.Employee) (hrsync.Employee, bool, error) {
	if current.ID == "" {
		return hrsync.Employee{}, false, fmt.Errorf("SmartHR: cannot read employee %q again: no crew id", current.EmployeeNumber)
	}
	var w crew
	_, err := c.get(ctx, crewPath(current.ID), nil, &w)
	var he *httpx.Error
	if errors.As(err, &he) && he.HTTPStatus == http.StatusNotFound {
		return hrsync.Employee{}, false, nil
	}
	if err != nil {
		return hrsync.Employee{}, false, err
	}
	return c.employee(w), true, nil
}

func (c *Client) page(ctx context.Context, q url.Values, n int) ([]crew, http.Header, error) {
	p := url.Values{}
	for k, v := range q {
		p[k] = v
	}
	p.Set(paramPage, strconv.Itoa(n))
	p.Set(paramPerPage, strconv.Itoa(pageSize))
	var crews []crew
	resp, err := c.get(ctx, pathCrews, p, &crews)
	if err != nil {
		return nil, nil, err
	}
	return crews, resp.Header, nil
}

func (c *Client) listAll(ctx context.Context, q url.Values) ([]crew, error) {
	first, h, err := c.page(ctx, q, 1)
	if err != nil {
		return nil, err
	}
	total, err := strconv.Atoi(h.Get(headerTotalCount))
	if err != nil {
		return c.follow(ctx, q, first, h)
	}
	pages := (total + pageSize - 1) / pageSize
	if pages <= 1 {
		return first, nil
	}

	results := make([][]crew, pages)
	results[0] = first
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
		sem      = make(chan struct{}, c.opts.Concurrency)
	)
	for n := 2; n <= pages; n++ {
		sem <- struct{}{}
		if ctx.Err() != nil {
			<-sem
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			crews, _, err := c.page(ctx, q, n)
			if err != nil {
				once.Do(func() { firstErr = err; cancel() })
				return
			}
			results[n-1] = crews
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil { // stopped before every page was asked for
		return nil, err
	}
	all := make([]crew, 0, total)
	for _, r := range results {
		all = append(all, r...)
	}
	return all, nil
}

// follow pages through rel="next" links, one at a time.
func (c *Client) follow(ctx context.Context, q url.Values, all []crew, h http.Header) ([]crew, error) {
	for last := 1; ; {
		m := nextLink.FindStringSubmatch(h.Get(headerLink))
		if m == nil {
			return all, nil
		}
		n, _ := strconv.Atoi(m[1])
		if n <= last { // a broken Link header must not loop forever
			return all, nil
		}
		crews, hh, err := c.page(ctx, q, n)
		if err != nil {
			return nil, err
		}
		all, h, last = append(all, crews...), hh, n
	}
}
