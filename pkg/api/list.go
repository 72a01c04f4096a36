package api

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// listQuery is a parsed GET /models query.
type listQuery struct {
	q          string   // case-insensitive substring of the name, or a label
	types      []string // any of
	labels     []string // all of
	priorities []model.Priority
	sort       string // name, -name, updatedAt, -updatedAt, priority, -priority
	limit      int
	after      *listCursor
}

// listCursor is the position after the last item of a page: its sort key and
// id. It is opaque to clients (base64url JSON).
type listCursor struct {
	Sort string `json:"s"`
	Key  string `json:"k"`
	ID   string `json:"i"`
}

var sortKeys = map[string]func(model.Summary) string{
	"name":      func(s model.Summary) string { return strings.ToLower(s.Name) },
	"updatedAt": func(s model.Summary) string { return s.UpdatedAt.UTC().Format(time.RFC3339Nano) },
	"createdAt": func(s model.Summary) string { return s.CreatedAt.UTC().Format(time.RFC3339Nano) },
	"priority": func(s model.Summary) string {
		return strconv.Itoa(slices.Index(model.Priorities, s.Priority))
	},
}

func parseListQuery(v url.Values) (*listQuery, error) {
	q := &listQuery{q: strings.ToLower(strings.TrimSpace(v.Get("q"))), types: v["type"], labels: v["label"], sort: v.Get("sort"), limit: 50}
	for _, p := range v["priority"] {
		if !slices.Contains(model.Priorities, model.Priority(p)) {
			return nil, errs.E(errs.Malformed, "unknown priority %q", p).At("priority")
		}
		q.priorities = append(q.priorities, model.Priority(p))
	}
	if q.sort == "" {
		q.sort = "-updatedAt"
	}
	if _, ok := sortKeys[strings.TrimPrefix(q.sort, "-")]; !ok {
		return nil, errs.E(errs.Malformed, "unknown sort %q; use name, updatedAt, createdAt or priority, with - for descending", q.sort).At("sort")
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			return nil, errs.E(errs.Malformed, "must be a whole number from 1 to 500, got %q", l).At("limit")
		}
		q.limit = n
	}
	if c := v.Get("cursor"); c != "" {
		var cur listCursor
		b, err := base64.RawURLEncoding.DecodeString(c)
		if err == nil {
			err = json.Unmarshal(b, &cur)
		}
		if err != nil || cur.ID == "" {
			return nil, errs.E(errs.Malformed, "not a cursor this API returned").At("cursor")
		}
		if cur.Sort != q.sort {
			return nil, errs.E(errs.Malformed, "cursor was made for sort %q, not %q", cur.Sort, q.sort).At("cursor")
		}
		q.after = &cur
	}
	return q, nil
}

func (q *listQuery) matches(s model.Summary) bool {
	if q.q != "" && !strings.Contains(strings.ToLower(s.Name), q.q) &&
		!slices.ContainsFunc(s.Labels, func(l string) bool { return strings.EqualFold(l, q.q) }) {
		return false
	}
	if len(q.types) > 0 && !slices.Contains(q.types, s.ProjectType) {
		return false
	}
	for _, l := range q.labels {
		if !slices.Contains(s.Labels, l) {
			return false
		}
	}
	return len(q.priorities) == 0 || slices.Contains(q.priorities, s.Priority)
}

// listPage is the answer to GET /models.
type listPage struct {
	Items []model.Summary `json:"items"`
	Total int             `json:"total"` // matching items across all pages
	Next  string          `json:"next"`
}

// page filters, sorts (ties broken by id) and cuts the summaries.
func (q *listQuery) page(all []model.Summary) listPage {
	desc := strings.HasPrefix(q.sort, "-")
	key := sortKeys[strings.TrimPrefix(q.sort, "-")]
	type keyed struct {
		key string
		s   model.Summary
	}
	items := make([]keyed, 0, len(all))
	for _, s := range all {
		if q.matches(s) {
			items = append(items, keyed{key(s), s})
		}
	}
	compare := func(ak, aid, bk, bid string) int {
		c := cmp.Or(cmp.Compare(ak, bk), cmp.Compare(aid, bid))
		if desc {
			return -c
		}
		return c
	}
	slices.SortFunc(items, func(a, b keyed) int { return compare(a.key, a.s.ID, b.key, b.s.ID) })
	start := 0
	if q.after != nil {
		start, _ = slices.BinarySearchFunc(items, q.after, func(e keyed, c *listCursor) int {
			if compare(e.key, e.s.ID, c.Key, c.ID) <= 0 {
				return -1
			}
			return 1
		})
	}
	end := min(start+q.limit, len(items))
	out := listPage{Items: make([]model.Summary, 0, end-start), Total: len(items)}
	for _, k := range items[start:end] {
		out.Items = append(out.Items, k.s)
	}
	if end < len(items) {
		last := items[end-1]
		b, _ := json.Marshal(listCursor{Sort: q.sort, Key: last.key, ID: last.s.ID})
		out.Next = base64.RawURLEncoding.EncodeToString(b)
	}
	return out
}

func (s *server) listModels(w http.ResponseWriter, r *http.Request) error {
	q, err := parseListQuery(r.URL.Query())
	if err != nil {
		return err
	}
	all, err := s.models.List(r.Context(), principal(r).Tenant)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, q.page(all))
	return nil
}
