package jira

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"https://example.atlassian.net", "https://example.atlassian.net/", true},
		{"https://jira.example.com/jira", "https://jira.example.com/jira/", true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/", true},
		{"http://localhost:2990/jira/", "http://localhost:2990/jira/", true},
		{"http://[::1]:2990/", "http://[::1]:2990/", true},
		{"http://jira.example.com", "", false},
		{"https://user:pw@jira.example.com", "", false},
		{"https://jira.example.com/?x=1", "", false},
		{"ftp://jira.example.com", "", false},
		{"jira.example.com", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, err := CheckBaseURL(tt.in, true)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if err != nil {
				if e, _ := errs.As(err); e == nil || e.Field != "/baseUrl" {
					t.Errorf("error %v does not name /baseUrl", err)
				}
				return
			}
			if u.String() != tt.want {
				t.Errorf("got %s, want %s", u, tt.want)
			}
		})
	}
	// Outside local mode http is refused even for loopback.
	for _, in := range []string{"http://127.0.0.1:8080", "http://localhost:2990/jira/"} {
		if _, err := CheckBaseURL(in, false); !errs.Is(err, errs.Invalid) {
			t.Errorf("CheckBaseURL(%q, not local) = %v, want Invalid", in, err)
		}
	}
}

func TestRESTIssue(t *testing.T) {
	tests := []struct {
		name, body string
		want       Issue
		wantErr    bool
	}{
		{"all fields", `{"id":"10001","key":"SEC-1","fields":{"status":{"name":"In Progress","statusCategory":{"key":"indeterminate"}},"resolution":{"name":"Fixed"},"updated":"2026-11-02T13:04:05.123+0100","labels":["bulwark"]}}`,
			Issue{ID: "10001", Key: "SEC-1", Status: "In Progress", StatusCategory: "indeterminate", Resolution: "Fixed", Updated: time.Date(2026, 11, 2, 12, 4, 5, 123e6, time.UTC), Labels: []string{"bulwark"}}, false},
		{"null updated and resolution", `{"id":"1","key":"A-1","fields":{"resolution":null,"updated":null}}`, Issue{ID: "1", Key: "A-1"}, false},
		{"no fields", `{"id":"1"}`, Issue{ID: "1"}, false},
		{"time not in Jira's format", `{"id":"1","fields":{"updated":"2026-11-02"}}`, Issue{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ri RESTIssue
			err := json.Unmarshal([]byte(tt.body), &ri)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got := ri.Issue(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Issue() = %+v, want %+v", got, tt.want)
			}
		})
	}
}
