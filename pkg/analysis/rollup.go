package analysis

import "github.com/bulwark-tm/bulwark/pkg/catalog"

// Rollup summarizes a model's risk.
type Rollup struct {
	Threats      Tally `json:"threats"`
	Requirements Tally `json:"requirements"`
	// OpenRisk is the sum of likelihood × impact over threats that are Open
	// or In Progress: a single number that falls as work is done.
	OpenRisk int `json:"openRisk"`
	// TotalRisk is the same sum over every threat except Not Applicable.
	TotalRisk int `json:"totalRisk"`
}

// Tally counts items by status and severity.
type Tally struct {
	Total      int            `json:"total"`
	ByStatus   map[string]int `json:"byStatus"`
	BySeverity map[string]int `json:"bySeverity"`
	// Matrix counts items by severity, then status.
	Matrix map[string]map[string]int `json:"matrix"`
}

func newTally(statuses []string) Tally {
	t := Tally{ByStatus: map[string]int{}, BySeverity: map[string]int{}, Matrix: map[string]map[string]int{}}
	for _, sev := range catalog.Severities {
		t.BySeverity[sev] = 0
		t.Matrix[sev] = map[string]int{}
		for _, st := range statuses {
			t.Matrix[sev][st] = 0
		}
	}
	for _, st := range statuses {
		t.ByStatus[st] = 0
	}
	return t
}

func (t *Tally) add(severity, status string) {
	t.Total++
	t.ByStatus[status]++
	t.BySeverity[severity]++
	if t.Matrix[severity] == nil {
		t.Matrix[severity] = map[string]int{}
	}
	t.Matrix[severity][status]++
}

func rollup(r *Result) Rollup {
	ru := Rollup{Threats: newTally(ThreatStatuses), Requirements: newTally(RequirementStatuses)}
	for i := range r.Threats {
		th := &r.Threats[i]
		ru.Threats.add(th.Severity, th.Status)
		risk := th.Likelihood * th.Impact
		switch th.Status {
		case Open, InProgress:
			ru.OpenRisk += risk
			ru.TotalRisk += risk
		case NotApplicable:
		default:
			ru.TotalRisk += risk
		}
	}
	for i := range r.Requirements {
		ru.Requirements.add(r.Requirements[i].Severity, r.Requirements[i].Status)
	}
	return ru
}
