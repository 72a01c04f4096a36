package compliance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/jsonfast"
)

// MaxEvidence bounds the observations one Parse call returns.
const MaxEvidence = 50_000

// The EventBridge detail types Parse reads.
const (
	DetailTypeFindingsImported = "Security Hub Findings - Imported"
	DetailTypeConfigCompliance = "Config Rules Compliance Change"
)

// Options are what Parse needs beyond the data.
type Options struct {
	// Controls maps CIS items and Config rule names to Security Hub
	// controls; nil skips that mapping.
	Controls *catalog.Controls
	// AccountID and Region are used for Config evaluations whose input does
	// not carry them (GetComplianceDetailsByConfigRule output).
	AccountID, Region string
}

// Parsed is what Parse read.
type Parsed struct {
	Evidence []Evidence `json:"evidence"`
	// Skipped counts entries that are valid but are not compliance
	// evidence (e.g. GuardDuty findings); Notes says a few of them.
	Skipped int      `json:"skipped"`
	Notes   []string `json:"notes,omitempty"`
}

const maxNotes = 20

func (p *Parsed) skip(format string, args ...any) {
	p.Skipped++
	if len(p.Notes) < maxNotes {
		p.Notes = append(p.Notes, fmt.Sprintf(format, args...))
	}
}

func (p *Parsed) add(e Evidence) error {
	if len(p.Evidence) >= MaxEvidence {
		return errs.E(errs.TooLarge, "more than %d findings and evaluations in one input; split it", MaxEvidence)
	}
	p.Evidence = append(p.Evidence, e)
	return nil
}

// Parse reads Security Hub findings and Config rule evaluations from data in
// any of the shapes listed in the package doc, one JSON value or a stream of
// them. Malformed input fails with an errs.Malformed or errs.Invalid error
// naming the offending field (as a JSON Pointer, prefixed by the value's
// position in a stream of several); nothing is returned then.
func Parse(data []byte, opts Options) (*Parsed, error) {
	out := &Parsed{}
	// One value, the usual case, is checked once and then read by the fast
	// decoder; a stream of values is split by encoding/json.
	if jsonfast.Valid(data) {
		if err := parseValue(data, "", opts, out, 0); err != nil {
			return nil, err
		}
		return out, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var values []json.RawMessage
	for {
		var v json.RawMessage
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errs.E(errs.Malformed, "read JSON value %d: %w", len(values)+1, err)
		}
		// Split by encoding/json, v is valid but for invalid UTF-8, which
		// encoding/json would read as U+FFFD.
		values = append(values, bytes.ToValidUTF8(v, []byte("\uFFFD")))
	}
	if len(values) == 0 {
		return nil, errs.E(errs.Malformed, "the input is empty; send Security Hub findings or Config rule evaluations as JSON")
	}
	for i, v := range values {
		prefix := ""
		if len(values) > 1 {
			prefix = "/" + strconv.Itoa(i)
		}
		if err := parseValue(v, prefix, opts, out, 0); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// parseValue dispatches one JSON value by its shape. v is valid JSON
// (jsonfast.Valid, or split from a stream by encoding/json).
func parseValue(v json.RawMessage, field string, opts Options, out *Parsed, depth int) error {
	v = bytes.TrimSpace(v)
	if len(v) > 0 && v[0] == '[' {
		var items []json.RawMessage
		if err := jsonfast.UnmarshalValid(v, &items); err != nil {
			return malformed(err, field)
		}
		for i, it := range items {
			if err := parseValue(it, field+"/"+strconv.Itoa(i), opts, out, depth); err != nil {
				return err
			}
		}
		return nil
	}
	if ok, err := parseFindingsAnswer(v, field, opts, out); ok {
		return err
	}
	var keys map[string]json.RawMessage
	if err := jsonfast.UnmarshalValid(v, &keys); err != nil {
		return errs.E(errs.Malformed, "expected a JSON object or array: %w", err).At(orRoot(field))
	}
	str := func(k string) string {
		var s string
		_ = json.Unmarshal(keys[k], &s)
		return s
	}
	switch {
	case keys["detail-type"] != nil:
		var at flexTime
		_ = json.Unmarshal(keys["time"], &at) // a fallback only; a bad time is ignored
		return parseEvent(str("detail-type"), keys["detail"], at.Time, field, opts, out)
	case keys["Findings"] != nil:
		// Decode every finding in one pass; only a list that does not decode
		// is read again item by item, to name the bad one.
		var all []Finding
		if jsonfast.UnmarshalValid(keys["Findings"], &all) == nil {
			for i := range all {
				if err := addFinding(&all[i], fmt.Sprintf("%s/Findings/%d", field, i), opts, out); err != nil {
					return err
				}
			}
			return nil
		}
		var fs []json.RawMessage
		if err := json.Unmarshal(keys["Findings"], &fs); err != nil {
			return malformed(err, field+"/Findings")
		}
		for i, f := range fs {
			if err := parseFinding(f, fmt.Sprintf("%s/Findings/%d", field, i), opts, out); err != nil {
				return err
			}
		}
		return nil
	case keys["EvaluationResults"] != nil:
		return parseResults(keys["EvaluationResults"], field+"/EvaluationResults", opts, out)
	case keys["AggregateEvaluationResults"] != nil:
		return parseResults(keys["AggregateEvaluationResults"], field+"/AggregateEvaluationResults", opts, out)
	case str("messageType") == "ComplianceChangeNotification":
		return parseNotification(v, time.Time{}, field, opts, out)
	case keys["messageType"] != nil:
		out.skip("%s: AWS Config message of type %q carries no rule evaluation", orRoot(field), str("messageType"))
		return nil
	case str("Type") == "Notification" && keys["Message"] != nil:
		if depth > 0 {
			return errs.Field(field+"/Message", "an SNS message nested in another is not supported")
		}
		msg := json.RawMessage(str("Message"))
		if !jsonfast.Valid(msg) {
			var probe any
			if err := json.Unmarshal(msg, &probe); err != nil {
				return malformed(err, field+"/Message")
			}
			return errs.Field(field+"/Message", "is not valid UTF-8")
		}
		return parseValue(msg, field+"/Message", opts, out, depth+1)
	case keys["GeneratorId"] != nil:
		return parseFinding(v, field, opts, out)
	case keys["EvaluationResultIdentifier"] != nil:
		return parseResult(v, field, opts, out)
	case keys["class_uid"] != nil && keys["finding_info"] != nil:
		return parseOCSF(v, field, opts, out)
	}
	return errs.Field(orRoot(field), "is neither a Security Hub finding (ASFF), an AWS Config rule evaluation, nor an EventBridge event, GetFindings or GetComplianceDetailsByConfigRule answer holding them")
}

// findingsAnswer is a GetFindings answer or an export of findings, the
// bulk of evidence: decoded in one pass, without first splitting the
// object into its members.
type findingsAnswer struct {
	DetailType json.RawMessage `json:"detail-type"`
	Findings   []Finding       `json:"Findings"`
}

// parseFindingsAnswer reads v when it is plainly a findings answer, and
// says whether it did; anything else (an event, a list that does not
// decode, a "findings" key, which the decoder would match regardless of
// case) is left to parseValue's general path.
func parseFindingsAnswer(v []byte, field string, opts Options, out *Parsed) (bool, error) {
	if !bytes.Contains(v, []byte(`"Findings"`)) {
		return false, nil // not worth a decoding pass
	}
	var a findingsAnswer
	if jsonfast.UnmarshalValid(v, &a) != nil || a.DetailType != nil || a.Findings == nil {
		return false, nil
	}
	for i := range a.Findings {
		if err := addFinding(&a.Findings[i], fmt.Sprintf("%s/Findings/%d", field, i), opts, out); err != nil {
			return true, err
		}
	}
	return true, nil
}

func orRoot(field string) string {
	if field == "" {
		return "/"
	}
	return field
}

// malformed turns a JSON decoding error into an errs.Malformed error naming
// the field.
func malformed(err error, field string) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		f := field
		if te.Field != "" {
			f += "/" + strings.ReplaceAll(te.Field, ".", "/")
		}
		return errs.E(errs.Malformed, "must be %s, not a JSON %s", te.Type, te.Value).At(orRoot(f))
	}
	return errs.E(errs.Malformed, "bad JSON: %w", err).At(orRoot(field))
}

// parseEvent reads an EventBridge event's detail; eventTime is the event's
// own time, used when a compliance change carries no result time.
func parseEvent(detailType string, detail json.RawMessage, eventTime time.Time, field string, opts Options, out *Parsed) error {
	switch detailType {
	case DetailTypeFindingsImported, "Security Hub Findings - Custom Action":
		var d struct {
			Findings []json.RawMessage `json:"findings"`
		}
		if err := json.Unmarshal(detail, &d); err != nil {
			return malformed(err, field+"/detail")
		}
		if d.Findings == nil {
			return errs.Field(field+"/detail/findings", "is required in a %q event", detailType)
		}
		for i, f := range d.Findings {
			if err := parseFinding(f, fmt.Sprintf("%s/detail/findings/%d", field, i), opts, out); err != nil {
				return err
			}
		}
		return nil
	case DetailTypeFindingsImportedV2:
		return parseOCSFEvent(detail, field, opts, out)
	case DetailTypeConfigCompliance:
		if detail == nil {
			return errs.Field(field+"/detail", "is required in a %q event", detailType)
		}
		return parseNotification(detail, eventTime, field+"/detail", opts, out)
	}
	out.skip("%s: EventBridge event of type %q is not evidence", orRoot(field), detailType)
	return nil
}

func parseFinding(raw json.RawMessage, field string, opts Options, out *Parsed) error {
	var f Finding
	if err := json.Unmarshal(raw, &f); err != nil {
		return malformed(err, field)
	}
	return addFinding(&f, field, opts, out)
}

// addFinding adds the evidence of a decoded finding.
func addFinding(f *Finding, field string, opts Options, out *Parsed) error {
	e, err := FromFinding(f, opts.Controls, field)
	if err == errNotCompliance {
		out.skip("%s: finding %s is not a compliance check result", field, f.ID)
		return nil
	}
	if err != nil {
		return err
	}
	return out.add(e)
}

// flexTime reads a time as an ISO 8601 string or as epoch seconds (the AWS
// JSON protocol's form).
type flexTime struct{ time.Time }

func (t *flexTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s == "" {
			return nil
		}
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return fmt.Errorf("not an ISO 8601 time: %q", s)
		}
		t.Time = v
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || f < 0 || f > 1e11 {
		return fmt.Errorf("not a time: %s", b)
	}
	sec, frac := math.Modf(f)
	t.Time = time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC()
	return nil
}

// evaluationResult is an EvaluationResult (API, PascalCase) or
// newEvaluationResult (notifications, camelCase); JSON field matching is
// case-insensitive, so one type reads both. AccountId and AwsRegion are set
// in aggregator answers.
type evaluationResult struct {
	EvaluationResultIdentifier struct {
		EvaluationResultQualifier struct {
			ConfigRuleName string `json:"configRuleName"`
			ResourceType   string `json:"resourceType"`
			ResourceID     string `json:"resourceId"`
		} `json:"evaluationResultQualifier"`
		OrderingTimestamp flexTime `json:"orderingTimestamp"`
	} `json:"evaluationResultIdentifier"`
	ComplianceType     string   `json:"complianceType"`
	ResultRecordedTime flexTime `json:"resultRecordedTime"`
	Annotation         string   `json:"annotation"`
	AccountID          string   `json:"accountId"`
	AwsRegion          string   `json:"awsRegion"`
}

func (r *evaluationResult) evaluation() Evaluation {
	q := r.EvaluationResultIdentifier.EvaluationResultQualifier
	return Evaluation{
		ConfigRuleName: q.ConfigRuleName, ResourceType: q.ResourceType, ResourceID: q.ResourceID,
		AccountID: r.AccountID, Region: r.AwsRegion, ComplianceType: r.ComplianceType, Annotation: r.Annotation,
		ResultRecordedTime: r.ResultRecordedTime.Time, OrderingTimestamp: r.EvaluationResultIdentifier.OrderingTimestamp.Time,
	}
}

func parseResults(raw json.RawMessage, field string, opts Options, out *Parsed) error {
	var rs []json.RawMessage
	if err := json.Unmarshal(raw, &rs); err != nil {
		return malformed(err, field)
	}
	for i, r := range rs {
		if err := parseResult(r, field+"/"+strconv.Itoa(i), opts, out); err != nil {
			return err
		}
	}
	return nil
}

func parseResult(raw json.RawMessage, field string, opts Options, out *Parsed) error {
	var r evaluationResult
	if err := json.Unmarshal(raw, &r); err != nil {
		return malformed(err, field)
	}
	ev := r.evaluation()
	if ev.AccountID == "" {
		ev.AccountID = opts.AccountID
	}
	if ev.Region == "" {
		ev.Region = opts.Region
	}
	e, err := FromEvaluation(&ev, opts.Controls, field)
	if err != nil {
		return err
	}
	return out.add(e)
}

// complianceNotification is AWS Config's ComplianceChangeNotification: the
// detail of a "Config Rules Compliance Change" event, or an SNS message.
type complianceNotification struct {
	ResourceID          string            `json:"resourceId"`
	ResourceType        string            `json:"resourceType"`
	AwsRegion           string            `json:"awsRegion"`
	AwsAccountID        string            `json:"awsAccountId"`
	ConfigRuleName      string            `json:"configRuleName"`
	NewEvaluationResult *evaluationResult `json:"newEvaluationResult"`
	// NotificationCreationTime stands in for a missing result time.
	NotificationCreationTime flexTime `json:"notificationCreationTime"`
}

// parseNotification reads a compliance change. A result without a recorded
// or ordering time takes the notification's creation time, else fallback
// (the EventBridge event's time).
func parseNotification(raw json.RawMessage, fallback time.Time, field string, opts Options, out *Parsed) error {
	var n complianceNotification
	if err := json.Unmarshal(raw, &n); err != nil {
		return malformed(err, field)
	}
	if n.NewEvaluationResult == nil {
		return errs.Field(field+"/newEvaluationResult", "is required in a compliance change")
	}
	ev := n.NewEvaluationResult.evaluation()
	ev.AccountID, ev.Region = n.AwsAccountID, n.AwsRegion
	if ev.ConfigRuleName == "" {
		ev.ConfigRuleName = n.ConfigRuleName
	}
	if ev.ResourceType == "" {
		ev.ResourceType = n.ResourceType
	}
	if ev.ResourceID == "" {
		ev.ResourceID = n.ResourceID
	}
	if ev.ResultRecordedTime.IsZero() && ev.OrderingTimestamp.IsZero() {
		ev.ResultRecordedTime = n.NotificationCreationTime.Time
		if ev.ResultRecordedTime.IsZero() {
			ev.ResultRecordedTime = fallback
		}
	}
	e, err := FromEvaluation(&ev, opts.Controls, field)
	if err != nil {
		return err
	}
	return out.add(e)
}
