package config

import (
	"strings"
	"testing"
	"time"
)

func TestProviderRetryBudget(t *testing.T) {
	cases := []struct {
		env  string
		want time.Duration
		err  bool
	}{
		{"", 3 * time.Minute, false},
		{"90s", 90 * time.Second, false},
		{" 10m ", 10 * time.Minute, false},
		{"500ms", 0, true},
		{"0", 0, true},
		{"three minutes", 0, true},
	}
	for _, c := range cases {
		cfg, err := FromEnv(func(k string) string {
			if k == "HRBRIDGE_PROVIDER_RETRY_BUDGET" {
				return c.env
			}
			return ""
		})
		if c.err {
			if err == nil || !strings.Contains(err.Error(), "HRBRIDGE_PROVIDER_RETRY_BUDGET") {
				t.Errorf("%q: err = %v", c.env, err)
			}
			continue
		}
		if err != nil || cfg.ProviderRetryBudget != c.want {
			t.Errorf("%q: %s, %v; want %s", c.env, cfg.ProviderRetryBudget, err, c.want)
		}
	}
}
