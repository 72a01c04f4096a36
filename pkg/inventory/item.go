package inventory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// rawItem is a configuration item in either dialect: notifications and S3
// files (configurationItemVersion, awsAccountId, ARN, relationship "name")
// and the API (version, accountId, arn, relationshipName).
type rawItem struct {
	ConfigurationItemVersion string                     `json:"configurationItemVersion"`
	Version                  string                     `json:"version"`
	CaptureTime              json.RawMessage            `json:"configurationItemCaptureTime"`
	Status                   string                     `json:"configurationItemStatus"`
	StateID                  json.RawMessage            `json:"configurationStateId"`
	AwsAccountID             string                     `json:"awsAccountId"`
	AccountID                string                     `json:"accountId"`
	ResourceType             string                     `json:"resourceType"`
	ResourceID               string                     `json:"resourceId"`
	ResourceName             string                     `json:"resourceName"`
	ARNUpper                 string                     `json:"ARN"`
	ARN                      string                     `json:"arn"`
	AwsRegion                string                     `json:"awsRegion"`
	AvailabilityZone         string                     `json:"availabilityZone"`
	Tags                     json.RawMessage            `json:"tags"`
	Relationships            []rawRelationship          `json:"relationships"`
	Configuration            json.RawMessage            `json:"configuration"`
	Supplementary            map[string]json.RawMessage `json:"supplementaryConfiguration"`
}

type rawRelationship struct {
	ResourceType     string `json:"resourceType"`
	ResourceID       string `json:"resourceId"`
	ResourceName     string `json:"resourceName"`
	Name             string `json:"name"`
	RelationshipName string `json:"relationshipName"`
}

// defaults are values an envelope supplies for items that omit them
// (EventBridge events carry the account and region).
type defaults struct {
	account, region string
}

// resource converts a decoded item to a Resource.
func (it *rawItem) resource(d defaults) (*Resource, error) {
	r := &Resource{
		Type:             it.ResourceType,
		ID:               it.ResourceID,
		Name:             it.ResourceName,
		ARN:              firstNonEmpty(it.ARN, it.ARNUpper),
		AccountID:        firstNonEmpty(it.AccountID, it.AwsAccountID, d.account),
		Region:           firstNonEmpty(it.AwsRegion, d.region),
		AvailabilityZone: it.AvailabilityZone,
		Status:           it.Status,
	}
	if r.Type == "" {
		return nil, fmt.Errorf("resourceType is missing")
	}
	if r.ID == "" {
		return nil, fmt.Errorf("resourceId is missing (resourceType %s)", r.Type)
	}
	if r.AvailabilityZone == "Not Applicable" || r.AvailabilityZone == "Multiple Availability Zones" || r.AvailabilityZone == "Regional" {
		r.AvailabilityZone = ""
	}
	var err error
	if r.CaptureTime, err = parseTime(it.CaptureTime); err != nil {
		return nil, fmt.Errorf("configurationItemCaptureTime: %w", err)
	}
	r.StateID = scalarString(it.StateID)
	if r.Tags, err = parseTags(it.Tags); err != nil {
		return nil, fmt.Errorf("tags: %w", err)
	}
	if r.Configuration, err = objectOrString(it.Configuration); err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	for k, v := range it.Supplementary {
		dv, err := objectOrString(v)
		if err != nil {
			// A supplementary value that is a plain string stays a string.
			dv = v
		}
		if dv == nil {
			continue
		}
		if r.Supplementary == nil {
			r.Supplementary = map[string]json.RawMessage{}
		}
		r.Supplementary[k] = dv
	}
	if len(it.Relationships) > 0 {
		r.Relationships = make([]Relationship, 0, len(it.Relationships))
		for i, rel := range it.Relationships {
			if rel.ResourceType == "" || (rel.ResourceID == "" && rel.ResourceName == "") {
				return nil, fmt.Errorf("relationships[%d]: needs a resourceType and a resourceId or resourceName", i)
			}
			r.Relationships = append(r.Relationships, Relationship{
				Type: rel.ResourceType, ID: rel.ResourceID, Name: rel.ResourceName,
				Relation: firstNonEmpty(rel.Name, rel.RelationshipName),
			})
		}
	}
	return r, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// timeLayouts are the timestamp forms AWS Config, the API and the CLI write.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999"}

// parseTime reads a timestamp given as an ISO 8601 string or as epoch
// seconds (what the CLI prints for some outputs).
func parseTime(raw json.RawMessage) (time.Time, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return time.Time{}, err
		}
		if s == "" {
			return time.Time{}, nil
		}
		for _, l := range timeLayouts {
			if t, err := time.Parse(l, s); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, fmt.Errorf("%q is not an ISO 8601 time", s)
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s is neither a time string nor epoch seconds", raw)
	}
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC().Round(time.Millisecond), nil
}

// scalarString renders a JSON string or number as a string.
func scalarString(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	return string(raw)
}

// parseTags reads tags given as an object ({"Name": "web"}) or as a list of
// {key, value} pairs (select-resource-config).
func parseTags(raw json.RawMessage) (map[string]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '"' { // a JSON string holding the tags
		inner, err := objectOrString(raw)
		if err != nil {
			return nil, err
		}
		raw = inner
		if raw == nil {
			return nil, nil
		}
	}
	switch raw[0] {
	case '{':
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("must map names to strings: %w", err)
		}
		if len(m) == 0 {
			return nil, nil
		}
		return m, nil
	case '[':
		var list []struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		}
		if err := json.Unmarshal(raw, &list); err != nil { // matches Key/Value too
			return nil, fmt.Errorf("must be a list of {key, value}: %w", err)
		}
		if len(list) == 0 {
			return nil, nil
		}
		m := make(map[string]string, len(list))
		for _, t := range list {
			m[t.Key] = t.Value
		}
		return m, nil
	}
	return nil, fmt.Errorf("must be an object or a list, got %.20s", raw)
}

// objectOrString returns raw when it is a JSON object or array, decodes it
// when it is a JSON string holding JSON, and returns nil for null or "".
func objectOrString(raw json.RawMessage) (json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] != '"' {
		return raw, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	s = strings.TrimSpace(s)
	if s == "" || s == "null" {
		return nil, nil
	}
	if !json.Valid([]byte(s)) {
		return nil, fmt.Errorf("is a string that does not hold JSON: %.40q", s)
	}
	return json.RawMessage(s), nil
}
