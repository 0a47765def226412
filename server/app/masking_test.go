package app_test

import (
	"regexp"
	"testing"

	"hrbridge/server/app/apptest"
	"hrbridge/server/config"
	"hrbridge/server/httpapi"
	"hrbridge/server/store/storetest"
)

// Least privilege in the diff: a viewer sees that a phone number or a birth
// date changes, not the value; an administrator sees the values. On both
// databases, over the simulators.
func TestDiffMasksPersonalValuesForReaders(t *testing.T) {
	digits := regexp.MustCompile(`[0-9０-９]`)
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d, func(c *config.Config) { c.Sandbox, c.SandboxSize = "1", 100 })
			const u = "/api/v1/integrations/jobkan/diffs?direction=smarthr_to_jobkan&limit=500"
			read := func(s *apptest.Session) (personal, shown []string) {
				var page struct {
					Items []struct {
						Fields []struct {
							Name string  `json:"name"`
							Old  *string `json:"old"`
							New  string  `json:"new"`
						} `json:"fields"`
					} `json:"items"`
				}
				r := s.Do(t, "GET", u, nil)
				if r.Status != 200 {
					t.Fatalf("%d %s", r.Status, r.Body)
				}
				r.JSON(t, &page)
				for _, it := range page.Items {
					for _, f := range it.Fields {
						vals := []string{f.New}
						if f.Old != nil {
							vals = append(vals, *f.Old)
						}
						for _, v := range vals {
							if f.Name == "phone" || f.Name == "birth_date" {
								personal = append(personal, v)
							} else if f.Name == "hired_on" {
								shown = append(shown, v)
							}
						}
					}
				}
				return personal, shown
			}
			personal, shown := read(env.Viewer(t))
			if len(personal) == 0 || len(shown) == 0 {
				t.Fatalf("no personal (%d) or other (%d) values to look at", len(personal), len(shown))
			}
			for _, v := range personal {
				if v != "" && v != httpapi.MaskedValue {
					t.Fatalf("a viewer sees a personal value: %q", v)
				}
			}
			if !digits.MatchString(shown[0]) {
				t.Errorf("a viewer no longer sees the hire date: %q", shown[0])
			}
			personal, _ = read(env.Admin(t))
			seen := false
			for _, v := range personal {
				seen = seen || digits.MatchString(v)
				if v == httpapi.MaskedValue {
					t.Fatalf("an administrator sees a masked value")
				}
			}
			if !seen {
				t.Error("an administrator sees no personal value")
			}
		})
	}
}
