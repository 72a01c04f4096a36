package jira

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// The kinds of item an issue can be created for.
const (
	ItemThreat      = "threat"
	ItemRequirement = "requirement"
)

// The Jira status categories (their keys).
const (
	CategoryNew           = "new"
	CategoryIndeterminate = "indeterminate"
	CategoryDone          = "done"
)

// StatusRule maps Jira issues onto Bulwark statuses. A rule matches an
// issue when every condition it sets matches (status and resolution names
// case-insensitively, the status category by key); the first matching rule
// of a list wins.
type StatusRule struct {
	Status      string `json:"status,omitempty"`     // Jira status name, e.g. "Won't Do"
	Category    string `json:"category,omitempty"`   // new, indeterminate or done
	Resolution  string `json:"resolution,omitempty"` // Jira resolution name, e.g. "Won't Fix"
	Threat      string `json:"threat"`               // the status a matching threat gets
	Requirement string `json:"requirement"`          // the status a matching requirement gets
}

// DefaultStatusMap returns the mapping a new link starts with: issues
// resolved as won't do / won't fix / declined / duplicate make the item Not
// Applicable; otherwise the status category decides (To Do → Open, In
// Progress → In Progress, Done → Mitigated or Implemented).
func DefaultStatusMap() []StatusRule {
	na := func(res string) StatusRule {
		return StatusRule{Category: CategoryDone, Resolution: res, Threat: analysis.NotApplicable, Requirement: analysis.NotApplicable}
	}
	return []StatusRule{
		na("Won't Do"), na("Won't Fix"), na("Declined"), na("Duplicate"),
		{Status: "Risk Accepted", Threat: analysis.RiskAccepted, Requirement: analysis.RiskAccepted},
		{Category: CategoryNew, Threat: analysis.Open, Requirement: analysis.Open},
		{Category: CategoryIndeterminate, Threat: analysis.InProgress, Requirement: analysis.InProgress},
		{Category: CategoryDone, Threat: analysis.Mitigated, Requirement: analysis.Implemented},
	}
}

// MaxStatusRules bounds a status map.
const MaxStatusRules = 100

// ValidateStatusMap checks rules, naming offending fields under field
// (e.g. "/statusMap/2/threat").
func ValidateStatusMap(field string, rules []StatusRule) error {
	if len(rules) > MaxStatusRules {
		return errs.Field(field, "at most %d rules, got %d", MaxStatusRules, len(rules))
	}
	var problems []errs.Problem
	add := func(f, format string, args ...any) {
		problems = append(problems, errs.Problem{Field: f, Message: fmt.Sprintf(format, args...)})
	}
	for i, r := range rules {
		f := fmt.Sprintf("%s/%d", field, i)
		if r.Status == "" && r.Category == "" && r.Resolution == "" {
			add(f, "a rule needs a status, category or resolution to match")
		}
		if r.Category != "" && !slices.Contains([]string{CategoryNew, CategoryIndeterminate, CategoryDone}, r.Category) {
			add(f+"/category", "%q is not a status category; use new, indeterminate or done", r.Category)
		}
		for _, s := range []struct{ name, v string }{{"status", r.Status}, {"resolution", r.Resolution}} {
			if len(s.v) > 255 {
				add(f+"/"+s.name, "at most 255 characters")
			}
		}
		if !slices.Contains(analysis.ThreatStatuses, r.Threat) {
			add(f+"/threat", "%q is not a threat status; use one of %s", r.Threat, strings.Join(analysis.ThreatStatuses, ", "))
		}
		if !slices.Contains(analysis.RequirementStatuses, r.Requirement) {
			add(f+"/requirement", "%q is not a requirement status; use one of %s", r.Requirement, strings.Join(analysis.RequirementStatuses, ", "))
		}
	}
	if len(problems) > 0 {
		return errs.Problems(problems)
	}
	return nil
}

// MapStatus returns the Bulwark status an item of kind (ItemThreat or
// ItemRequirement) gets for issue, by the first matching rule; false when
// no rule matches.
func MapStatus(rules []StatusRule, kind string, is Issue) (string, bool) {
	for _, r := range rules {
		if r.Status != "" && !strings.EqualFold(r.Status, is.Status) ||
			r.Category != "" && r.Category != is.StatusCategory ||
			r.Resolution != "" && !strings.EqualFold(r.Resolution, is.Resolution) {
			continue
		}
		if kind == ItemThreat {
			return r.Threat, true
		}
		return r.Requirement, true
	}
	return "", false
}
