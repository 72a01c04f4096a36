// Package jiratest is an in-process Jira for tests: an httptest server
// implementing the REST v2 endpoints Bulwark uses (server info, myself,
// create meta issue types, create issue, get issue, search — both the Data
// Center /search and the Cloud /search/jql —, transitions) in Jira's
// payload shapes, including its error answers: 401 for wrong credentials,
// 404 for an unknown issue, 400 with field errors, and 429 with
// Retry-After when a test asks for it.
//
// Search understands the JQL Bulwark writes: clauses joined by AND, each
// `labels = "L"`, `project = "P"` or `id in (1, 2)`.
package jiratest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Status is a workflow status.
type Status struct {
	ID       string
	Name     string
	Category string // new, indeterminate or done
}

// The statuses of the fake's workflow.
var (
	ToDo       = Status{"10000", "To Do", "new"}
	InProgress = Status{"3", "In Progress", "indeterminate"}
	Done       = Status{"10001", "Done", "done"}
)

var categoryNames = map[string]struct {
	id          int
	name, color string
}{
	"new":           {2, "To Do", "blue-gray"},
	"indeterminate": {4, "In Progress", "yellow"},
	"done":          {3, "Done", "green"},
}

// Issue is an issue the fake holds.
type Issue struct {
	ID, Key, Project, Type, Summary, Description string
	Labels                                       []string
	Status                                       Status
	Resolution                                   string
	Created, Updated                             time.Time
}

// Server is a fake Jira. Its fields may be changed between requests (under
// no concurrent use); methods are safe for concurrent use.
type Server struct {
	*httptest.Server
	Cloud bool // Cloud: basic auth with Email and Token; else bearer Token
	Email string
	Token string
	// Projects maps project keys to their issue type names.
	Projects map[string][]string
	// Required lists fields create issue insists on beyond summary, e.g.
	// "customfield_10011" for an Epic Name.
	Required map[string][]string // issue type → field ids

	mu       sync.Mutex
	issues   []*Issue
	next     int
	limited  int            // requests still to answer 429
	retry    int            // Retry-After seconds
	hidden   map[string]int // issue key → searches it stays invisible to
	Lag      int            // new issues stay out of search for this many searches
	requests []string
	clock    time.Time
}

// New starts a fake Jira with a project SEC (issue types Bug, Task,
// Story, Epic) and registers its shutdown with t.
func New(t testing.TB, cloud bool) *Server {
	s := &Server{
		Cloud: cloud, Email: "bot@example.com", Token: "tok-" + strconv.FormatInt(time.Now().UnixNano(), 36),
		Projects: map[string][]string{"SEC": {"Bug", "Task", "Story", "Epic"}},
		Required: map[string][]string{},
		hidden:   map[string]int{},
		next:     10000,
		clock:    time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC),
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// RateLimit makes the next n requests answer 429 with Retry-After seconds.
func (s *Server) RateLimit(n, seconds int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limited, s.retry = n, seconds
}

// Requests returns "METHOD path" of every request so far.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Count returns how many requests so far had the given method and path
// prefix.
func (s *Server) Count(method, pathPrefix string) int {
	n := 0
	for _, r := range s.Requests() {
		m, p, _ := strings.Cut(r, " ")
		if m == method && strings.HasPrefix(p, pathPrefix) {
			n++
		}
	}
	return n
}

// Issues returns copies of all issues.
func (s *Server) Issues() []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Issue, len(s.issues))
	for i, is := range s.issues {
		out[i] = *is
	}
	return out
}

// Issue returns a copy of the issue with key, or false.
func (s *Server) Issue(key string) (Issue, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if is := s.find(key); is != nil {
		return *is, true
	}
	return Issue{}, false
}

// Tick advances the fake's clock, which stamps created and updated times.
func (s *Server) Tick(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = s.clock.Add(d)
}

// SetStatus moves an issue to a status (and resolution), as a user would,
// one minute after the last change.
func (s *Server) SetStatus(key string, st Status, resolution string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.find(key)
	if is == nil {
		panic("jiratest: no issue " + key)
	}
	s.clock = s.clock.Add(time.Minute)
	is.Status, is.Resolution, is.Updated = st, resolution, s.clock
}

// Delete removes an issue.
func (s *Server) Delete(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issues = slices.DeleteFunc(s.issues, func(is *Issue) bool { return is.Key == key })
}

// Add stores an issue directly (as if created outside Bulwark) and
// returns its key.
func (s *Server) Add(project, summary string, labels ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.add(&Issue{Project: project, Type: "Task", Summary: summary, Labels: labels}).Key
}

func (s *Server) add(is *Issue) *Issue {
	s.next++
	s.clock = s.clock.Add(time.Second)
	n := 0
	for _, o := range s.issues {
		if o.Project == is.Project {
			n++
		}
	}
	is.ID, is.Key = strconv.Itoa(s.next), fmt.Sprintf("%s-%d", is.Project, n+1)
	is.Status, is.Created, is.Updated = ToDo, s.clock, s.clock
	s.issues = append(s.issues, is)
	if s.Lag > 0 {
		s.hidden[is.Key] = s.Lag
	}
	return is
}

func (s *Server) find(idOrKey string) *Issue {
	for _, is := range s.issues {
		if is.ID == idOrKey || is.Key == idOrKey {
			return is
		}
	}
	return nil
}

// jiraTime formats t as Jira does: 2026-11-02T09:00:01.000+0000.
func jiraTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000-0700") }

func (s *Server) issueJSON(is *Issue) map[string]any {
	cat := categoryNames[is.Status.Category]
	var res any
	if is.Resolution != "" {
		res = map[string]any{"self": s.URL + "/rest/api/2/resolution/10000", "id": "10000", "name": is.Resolution, "description": "Work has been completed on this issue."}
	}
	return map[string]any{
		"expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
		"id":     is.ID, "self": s.URL + "/rest/api/2/issue/" + is.ID, "key": is.Key,
		"fields": map[string]any{
			"status": map[string]any{
				"self": s.URL + "/rest/api/2/status/" + is.Status.ID, "description": "", "iconUrl": s.URL + "/", "name": is.Status.Name, "id": is.Status.ID,
				"statusCategory": map[string]any{"self": s.URL + "/rest/api/2/statuscategory/" + strconv.Itoa(cat.id), "id": cat.id, "key": is.Status.Category, "colorName": cat.color, "name": cat.name},
			},
			"resolution": res,
			"updated":    jiraTime(is.Updated),
			"labels":     append([]string{}, is.Labels...),
		},
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func jiraError(w http.ResponseWriter, status int, messages []string, fields map[string]string) {
	if messages == nil {
		messages = []string{}
	}
	if fields == nil {
		fields = map[string]string{}
	}
	writeJSON(w, status, map[string]any{"errorMessages": messages, "errors": fields})
}

var (
	issuePath   = regexp.MustCompile(`^/rest/api/2/issue/([^/]+)$`)
	transPath   = regexp.MustCompile(`^/rest/api/2/issue/([^/]+)/transitions$`)
	metaPath    = regexp.MustCompile(`^/rest/api/2/issue/createmeta/([^/]+)/issuetypes$`)
	labelClause = regexp.MustCompile(`^labels\s*=\s*"?([^"\s]+)"?$`)
	projClause  = regexp.MustCompile(`^project\s*=\s*"?([^"\s]+)"?$`)
	idsClause   = regexp.MustCompile(`^id\s+in\s*\(([\d,\s]+)\)$`)
)

func (s *Server) authorized(r *http.Request) bool {
	if s.Cloud {
		u, p, ok := r.BasicAuth()
		return ok && u == s.Email && p == s.Token
	}
	return r.Header.Get("Authorization") == "Bearer "+s.Token
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path)
	if s.limited > 0 {
		s.limited--
		w.Header().Set("Retry-After", strconv.Itoa(s.retry))
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"errorMessages":["Rate limit exceeded."],"errors":{}}`)
		return
	}
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="protected-area"`)
		jiraError(w, http.StatusUnauthorized, []string{"You are not authenticated. Authentication required to perform this operation."}, nil)
		return
	}
	p := r.URL.Path
	switch {
	case r.Method == "GET" && p == "/rest/api/2/serverInfo":
		typ, title := "DataCenter", "Fake Jira DC"
		if s.Cloud {
			typ, title = "Cloud", "Fake Jira Cloud"
		}
		writeJSON(w, 200, map[string]any{"baseUrl": s.URL, "version": "1001.0.0-SNAPSHOT", "versionNumbers": []int{1001, 0, 0}, "deploymentType": typ, "buildNumber": 100275, "buildDate": "2026-10-30T00:00:00.000+0000", "serverTime": jiraTime(s.clock), "scmInfo": "abc", "serverTitle": title})
	case r.Method == "GET" && p == "/rest/api/2/myself":
		writeJSON(w, 200, map[string]any{"self": s.URL + "/rest/api/2/user?accountId=5b10ac8d82e05b22cc7d4ef5", "accountId": "5b10ac8d82e05b22cc7d4ef5", "emailAddress": s.Email, "displayName": "Bulwark Bot", "active": true, "timeZone": "UTC", "accountType": "atlassian"})
	case r.Method == "GET" && metaPath.MatchString(p):
		s.createMeta(w, metaPath.FindStringSubmatch(p)[1])
	case r.Method == "POST" && p == "/rest/api/2/issue":
		s.create(w, r)
	case r.Method == "GET" && (p == "/rest/api/2/search" && !s.Cloud || p == "/rest/api/2/search/jql" && s.Cloud):
		s.search(w, r)
	case r.Method == "GET" && p == "/rest/api/2/search" && s.Cloud:
		jiraError(w, http.StatusGone, []string{"The requested API has been removed. Please migrate to the /rest/api/3/search/jql API."}, nil)
	case r.Method == "GET" && issuePath.MatchString(p):
		is := s.find(issuePath.FindStringSubmatch(p)[1])
		if is == nil {
			jiraError(w, 404, []string{"Issue does not exist or you do not have permission to see it."}, nil)
			return
		}
		writeJSON(w, 200, s.issueJSON(is))
	case transPath.MatchString(p):
		s.transitions(w, r, transPath.FindStringSubmatch(p)[1])
	default:
		jiraError(w, 404, []string{"null for uri: " + s.URL + p}, nil)
	}
}

func (s *Server) createMeta(w http.ResponseWriter, project string) {
	types, ok := s.Projects[project]
	if !ok {
		jiraError(w, 404, []string{"Project " + project + " not found"}, nil)
		return
	}
	vals := []map[string]any{}
	for i, t := range types {
		vals = append(vals, map[string]any{"self": s.URL + "/rest/api/2/issuetype/" + strconv.Itoa(10001+i), "id": strconv.Itoa(10001 + i), "description": "", "iconUrl": s.URL + "/", "name": t, "subtask": false})
	}
	if s.Cloud {
		writeJSON(w, 200, map[string]any{"issueTypes": vals, "maxResults": 50, "startAt": 0, "total": len(vals)})
		return
	}
	writeJSON(w, 200, map[string]any{"values": vals, "maxResults": 50, "startAt": 0, "total": len(vals), "isLast": true})
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Fields map[string]json.RawMessage `json:"fields"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Fields == nil {
		jiraError(w, 400, []string{"Unexpected character in the request body."}, nil)
		return
	}
	var f struct {
		Project     struct{ Key string }
		Issuetype   struct{ Name string }
		Summary     string
		Description string
		Labels      []string
	}
	raw, _ := json.Marshal(req.Fields)
	_ = json.Unmarshal(raw, &f)
	fieldErrs := map[string]string{}
	types, ok := s.Projects[f.Project.Key]
	switch {
	case f.Project.Key == "":
		fieldErrs["project"] = "Specify a valid project ID or key"
	case !ok:
		fieldErrs["project"] = "valid project is required"
	case !slices.Contains(types, f.Issuetype.Name):
		fieldErrs["issuetype"] = "Specify a valid issue type"
	}
	if strings.TrimSpace(f.Summary) == "" {
		fieldErrs["summary"] = "You must specify a summary of the issue."
	} else if len(f.Summary) > 255 {
		fieldErrs["summary"] = "Summary must be less than 255 characters."
	}
	for _, l := range f.Labels {
		if strings.ContainsAny(l, " \t") || len(l) > 255 {
			fieldErrs["labels"] = "The label '" + l + "' is not valid: labels cannot contain spaces."
		}
	}
	for _, id := range s.Required[f.Issuetype.Name] {
		if _, ok := req.Fields[id]; !ok {
			fieldErrs[id] = "Epic Name is required."
		}
	}
	if len(fieldErrs) > 0 {
		jiraError(w, 400, nil, fieldErrs)
		return
	}
	is := s.add(&Issue{Project: f.Project.Key, Type: f.Issuetype.Name, Summary: f.Summary, Description: f.Description, Labels: f.Labels})
	writeJSON(w, 201, map[string]any{"id": is.ID, "key": is.Key, "self": s.URL + "/rest/api/2/issue/" + is.ID})
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	jql := q.Get("jql")
	var preds []func(*Issue) bool
	for clause := range strings.SplitSeq(jql, " AND ") {
		clause = strings.TrimSpace(clause)
		switch {
		case labelClause.MatchString(clause):
			l := labelClause.FindStringSubmatch(clause)[1]
			preds = append(preds, func(is *Issue) bool { return slices.Contains(is.Labels, l) })
		case projClause.MatchString(clause):
			p := projClause.FindStringSubmatch(clause)[1]
			preds = append(preds, func(is *Issue) bool { return is.Project == p })
		case idsClause.MatchString(clause):
			var ids []string
			for id := range strings.SplitSeq(idsClause.FindStringSubmatch(clause)[1], ",") {
				ids = append(ids, strings.TrimSpace(id))
			}
			preds = append(preds, func(is *Issue) bool { return slices.Contains(ids, is.ID) })
		default:
			jiraError(w, 400, []string{"Error in the JQL Query: the clause '" + clause + "' is not understood by jiratest."}, nil)
			return
		}
	}
	var match []*Issue
	for _, is := range s.issues {
		if n := s.hidden[is.Key]; n > 0 {
			s.hidden[is.Key] = n - 1
			continue
		}
		if !slices.ContainsFunc(preds, func(p func(*Issue) bool) bool { return !p(is) }) {
			match = append(match, is)
		}
	}
	max, _ := strconv.Atoi(q.Get("maxResults"))
	if max <= 0 || max > 100 {
		max = 50
	}
	start := 0
	if s.Cloud {
		start, _ = strconv.Atoi(q.Get("nextPageToken"))
	} else {
		start, _ = strconv.Atoi(q.Get("startAt"))
	}
	start = min(start, len(match))
	end := min(start+max, len(match))
	issues := []map[string]any{}
	for _, is := range match[start:end] {
		issues = append(issues, s.issueJSON(is))
	}
	if s.Cloud {
		out := map[string]any{"issues": issues, "isLast": end == len(match)}
		if end < len(match) {
			out["nextPageToken"] = strconv.Itoa(end)
		}
		writeJSON(w, 200, out)
		return
	}
	writeJSON(w, 200, map[string]any{"expand": "schema,names", "startAt": start, "maxResults": max, "total": len(match), "issues": issues})
}

func (s *Server) transitions(w http.ResponseWriter, r *http.Request, key string) {
	is := s.find(key)
	if is == nil {
		jiraError(w, 404, []string{"Issue does not exist or you do not have permission to see it."}, nil)
		return
	}
	all := []struct {
		id string
		to Status
	}{{"11", ToDo}, {"21", InProgress}, {"31", Done}}
	if r.Method == "GET" {
		var ts []map[string]any
		for _, t := range all {
			if t.to == is.Status {
				continue
			}
			cat := categoryNames[t.to.Category]
			ts = append(ts, map[string]any{"id": t.id, "name": t.to.Name, "hasScreen": false, "isGlobal": true, "isInitial": false, "isAvailable": true, "isConditional": false,
				"to": map[string]any{"self": s.URL + "/rest/api/2/status/" + t.to.ID, "name": t.to.Name, "id": t.to.ID, "statusCategory": map[string]any{"id": cat.id, "key": t.to.Category, "name": cat.name}}})
		}
		writeJSON(w, 200, map[string]any{"expand": "transitions", "transitions": ts})
		return
	}
	var req struct {
		Transition struct{ ID string } `json:"transition"`
	}
	_ = json.NewDecoder(r.Body).Decode(&req)
	for _, t := range all {
		if t.id == req.Transition.ID && t.to != is.Status {
			s.clock = s.clock.Add(time.Minute)
			is.Status, is.Updated = t.to, s.clock
			if t.to.Category == "done" {
				is.Resolution = "Done"
			} else {
				is.Resolution = ""
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	jiraError(w, 400, []string{"Transition id '" + req.Transition.ID + "' is not valid for this issue."}, nil)
}
