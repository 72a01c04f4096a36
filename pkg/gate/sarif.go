package gate

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
)

// SARIF 2.1.0 (OASIS), the subset Bulwark writes. Code-scanning UIs (GitHub
// and others) show each result at its physical location.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      *sarifText     `json:"fullDescription,omitempty"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogical struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// securitySeverity is the score code-scanning UIs rank results by.
var securitySeverity = map[string]string{"Critical": "9.5", "High": "8.0", "Medium": "5.5", "Low": "3.0"}

// level is a finding's SARIF level: error when it fails the gate, warning
// for High and Critical below the threshold otherwise, note for the rest.
func level(f Finding) string {
	switch {
	case f.Fails:
		return "error"
	case f.Severity == "Critical" || f.Severity == "High":
		return "warning"
	}
	return "note"
}

// SARIF returns the result as a SARIF 2.1.0 log: one result per new
// unmitigated threat, at the template line of its resource when known,
// with one rule per threat rule. version is the tool version to report.
func (r *Result) SARIF(version string) ([]byte, error) {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{Name: "Bulwark", Version: version,
			InformationURI: "https://github.com/bulwark-tm/bulwark", Rules: []sarifRule{}}},
		Results: []sarifResult{},
	}
	ruleIndex := map[string]int{}
	for _, f := range r.Findings {
		rule := f.Rule
		if rule == "" {
			rule = f.ID
		}
		i, ok := ruleIndex[rule]
		if !ok {
			i = len(run.Tool.Driver.Rules)
			ruleIndex[rule] = i
			sr := sarifRule{ID: rule, Name: ruleName(rule), ShortDescription: sarifText{f.Title},
				DefaultConfiguration: sarifConfig{Level: level(Finding{Item: f.Item, Fails: f.Fails})},
				Properties:           map[string]any{"tags": tags(f)}}
			if s, ok := securitySeverity[f.Severity]; ok {
				sr.Properties["security-severity"] = s
			}
			if f.Description != "" {
				sr.FullDescription = &sarifText{f.Description}
			}
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sr)
		}
		msg := fmt.Sprintf("New threat (%s): %s — on %s", f.Severity, f.Title, elementLabel(f.Item))
		if f.Fails {
			msg += fmt.Sprintf(". It is at or above the gate's threshold (%s) and nothing mitigates it.", r.Threshold)
		}
		res := sarifResult{RuleID: rule, RuleIndex: i, Level: level(f), Message: sarifText{msg},
			PartialFingerprints: map[string]string{"bulwarkThreat/v1": f.ID},
			Properties:          map[string]any{"severity": f.Severity, "element": f.ElementID, "status": f.Status}}
		if f.STRIDE != "" {
			res.Properties["stride"] = f.STRIDE
		}
		if loc := f.Location; loc != nil {
			l := sarifLocation{PhysicalLocation: &sarifPhysical{ArtifactLocation: sarifArtifact{URI: uri(loc.File)}}}
			if loc.Line > 0 {
				l.PhysicalLocation.Region = &sarifRegion{StartLine: loc.Line}
			}
			if loc.Resource != "" {
				l.LogicalLocations = []sarifLogical{{Name: loc.Resource, Kind: "resource"}}
			}
			res.Locations = []sarifLocation{l}
		}
		run.Results = append(run.Results, res)
	}
	b, err := json.MarshalIndent(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode SARIF: %w", err)
	}
	return append(b, '\n'), nil
}

// ruleName makes a rule id such as "aws.rds.public-endpoint" a SARIF rule
// name (an identifier-like word): "AwsRdsPublicEndpoint".
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func tags(f Finding) []string {
	t := []string{"security", "threat-model"}
	if f.STRIDE != "" {
		t = append(t, f.STRIDE)
	}
	return t
}

// uri turns a file name into a relative URI reference (forward slashes,
// spaces and other reserved characters escaped).
func uri(name string) string {
	parts := strings.Split(filepath.ToSlash(name), "/")
	for i, p := range parts {
		parts[i] = escapePathSegment(p)
	}
	return strings.Join(parts, "/")
}

func escapePathSegment(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
