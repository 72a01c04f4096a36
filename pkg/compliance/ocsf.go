package compliance

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// DetailTypeFindingsImportedV2 is the EventBridge detail type of Security
// Hub's findings in the Open Cybersecurity Schema Framework (OCSF), one
// finding per event under detail.findings.
const DetailTypeFindingsImportedV2 = "Findings Imported V2"

// OCSF class of the findings that are evidence: Compliance Finding.
const ocsfComplianceFinding = 2003

// OCSFFinding is the part of a Security Hub finding in OCSF that evidence
// is made of.
type OCSFFinding struct {
	ClassUID     int    `json:"class_uid"`
	ActivityName string `json:"activity_name"` // Create, Update, Close
	Cloud        struct {
		Account struct {
			UID string `json:"uid"`
		} `json:"account"`
		Region string `json:"region"`
	} `json:"cloud"`
	Compliance  *OCSFCompliance `json:"compliance"`
	FindingInfo struct {
		UID            string `json:"uid"`
		Title          string `json:"title"`
		ModifiedTimeDT string `json:"modified_time_dt"`
		ModifiedTime   int64  `json:"modified_time"` // epoch milliseconds
		Analytic       struct {
			Name     string `json:"name"`
			Category string `json:"category"`
		} `json:"analytic"`
	} `json:"finding_info"`
	Resources []OCSFResource `json:"resources"`
	Severity  string         `json:"severity"`
	Status    string         `json:"status"` // New, In Progress, Suppressed, Resolved
	TimeDT    string         `json:"time_dt"`
	Time      int64          `json:"time"` // epoch milliseconds
}

// OCSFCompliance is an OCSF finding's compliance object.
type OCSFCompliance struct {
	Control      string   `json:"control"` // the Security Hub control, e.g. EC2.8
	Standards    []string `json:"standards"`
	Requirements []string `json:"requirements"` // e.g. "CIS AWS Foundations Benchmark v1.2.0/1.22"
	Status       string   `json:"status"`       // Pass, Warning, Fail, Unknown, Other
	StatusID     int      `json:"status_id"`
}

// OCSFResource is one entry of an OCSF finding's resources.
type OCSFResource struct {
	Type   string `json:"type"`    // AWS::SQS::Queue
	UID    string `json:"uid"`     // the resource's id (or ARN)
	UIDAlt string `json:"uid_alt"` // its ARN when uid is not
	Region string `json:"region"`  // "global" for IAM and other global resources
	Owner  struct {
		Account struct {
			UID string `json:"uid"`
		} `json:"account"`
	} `json:"owner"`
}

// FromOCSF turns a Security Hub OCSF Compliance Finding into evidence, with
// the same id, check and statuses as the finding's ASFF form
// (FromFinding), so that either form of one control's result on one
// resource updates the same evidence. A finding of another class is
// errNotCompliance.
func FromOCSF(f *OCSFFinding, ctl *catalog.Controls, field string) (Evidence, error) {
	if f.ClassUID != ocsfComplianceFinding || f.Compliance == nil || f.Compliance.Status == "" {
		return Evidence{}, errNotCompliance
	}
	if f.FindingInfo.UID == "" {
		return Evidence{}, errs.Field(field+"/finding_info/uid", "is required")
	}
	if len(f.Resources) == 0 || (f.Resources[0].UID == "" && f.Resources[0].UIDAlt == "") {
		return Evidence{}, errs.Field(field+"/resources", "must name at least one resource with a uid")
	}
	r := f.Resources[0]
	account := f.Cloud.Account.UID
	if account == "" {
		account = r.Owner.Account.UID
	}
	if !ValidAccount(account) {
		return Evidence{}, errs.Field(field+"/cloud/account/uid", "must be a 12-digit AWS account id, got %q", account)
	}
	observed, err := ocsfTime(f)
	if err != nil {
		return Evidence{}, errs.Field(field+"/finding_info/modified_time_dt", "must be an ISO 8601 time such as 2026-11-02T10:00:00.000Z: %v", err)
	}
	e := Evidence{Source: SourceSecurityHub, Ref: f.FindingInfo.UID, AccountID: account, Title: clip(f.FindingInfo.Title),
		ObservedAt: observed, Severity: strings.ToUpper(f.Severity), Control: f.Compliance.Control}
	switch strings.ToLower(f.Compliance.Status) {
	case "pass":
		e.Status, e.Result = Compliant, "PASSED"
	case "fail":
		e.Status, e.Result = NonCompliant, "FAILED"
	case "warning":
		e.Status, e.Result = NotAvailable, "WARNING"
	default:
		e.Status, e.Result = NotAvailable, "NOT_AVAILABLE"
	}
	e.Workflow = map[string]string{"new": "NEW", "in progress": "NOTIFIED", "suppressed": "SUPPRESSED", "resolved": "RESOLVED"}[strings.ToLower(f.Status)]
	e.RecordState = "ACTIVE"
	if strings.EqualFold(f.ActivityName, "Close") {
		e.RecordState = "ARCHIVED" // a closed finding, as an archived one in ASFF
	}
	e.Active = true
	switch {
	case e.RecordState == "ARCHIVED":
		e.Active, e.Reason = false, "the finding is closed: the resource was deleted or the control disabled"
	case e.Workflow == "SUPPRESSED":
		e.Active, e.Reason = false, "the finding is suppressed: someone decided it needs no action"
	case e.Workflow == "RESOLVED" && e.Status == NonCompliant:
		e.Active, e.Reason = false, "the failing finding was marked resolved; the next check will confirm or reopen it"
	}

	e.ResourceType = r.Type
	e.Region = r.Region
	if e.Region == "" || e.Region == "global" {
		e.Region = f.Cloud.Region
	}
	switch {
	case r.Type == "AWS::::Account" || r.Type == "AwsAccount" || strings.HasPrefix(r.UID, "AWS::::Account:"):
		e.AccountLevel = true
		e.ResourceID = strings.TrimPrefix(r.UID, "AWS::::Account:")
		if !ValidAccount(e.ResourceID) {
			e.ResourceID = account
		}
	case strings.HasPrefix(r.UID, "arn:"):
		e.ResourceARN = r.UID
	case strings.HasPrefix(r.UIDAlt, "arn:"):
		e.ResourceARN = r.UIDAlt
	default:
		e.ResourceID = r.UID
	}

	// The check, as the ASFF form's GeneratorId names it.
	switch {
	case e.Control != "":
		e.Check = "security-control/" + e.Control
	case f.FindingInfo.Analytic.Name != "":
		e.Check = f.FindingInfo.Analytic.Name
	default:
		e.Check = f.FindingInfo.UID
	}
	e.Standard = strings.Join(f.Compliance.Standards, ";")
	e.CISItems = relatedCIS(f.Compliance.Requirements)
	if f.FindingInfo.Analytic.Category == "AWS::Config::ConfigRule" {
		e.ConfigRule = ManagedRuleName(f.FindingInfo.Analytic.Name, ctl)
	}
	e.identify(ctl)
	return e, nil
}

// ocsfTime is when the finding last changed: finding_info.modified_time_dt,
// else time_dt, else the epoch-millisecond forms.
func ocsfTime(f *OCSFFinding) (time.Time, error) {
	for _, s := range []string{f.FindingInfo.ModifiedTimeDT, f.TimeDT} {
		if s != "" {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return time.Time{}, err
			}
			return t.UTC(), nil
		}
	}
	for _, ms := range []int64{f.FindingInfo.ModifiedTime, f.Time} {
		if ms > 0 {
			return time.UnixMilli(ms).UTC(), nil
		}
	}
	return time.Time{}, errs.E(errs.Invalid, "the finding has no time")
}

// parseOCSF adds the evidence of one OCSF finding.
func parseOCSF(raw json.RawMessage, field string, opts Options, out *Parsed) error {
	var f OCSFFinding
	if err := json.Unmarshal(raw, &f); err != nil {
		return malformed(err, field)
	}
	e, err := FromOCSF(&f, opts.Controls, field)
	if err == errNotCompliance {
		out.skip("%s: OCSF finding %s (class %d) is not a compliance check result", field, f.FindingInfo.UID, f.ClassUID)
		return nil
	}
	if err != nil {
		return err
	}
	return out.add(e)
}

// parseOCSFEvent reads a "Findings Imported V2" event's detail.
func parseOCSFEvent(detail json.RawMessage, field string, opts Options, out *Parsed) error {
	var d struct {
		Findings []json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal(detail, &d); err != nil {
		return malformed(err, field+"/detail")
	}
	if d.Findings == nil {
		return errs.Field(field+"/detail/findings", "is required in a %q event", DetailTypeFindingsImportedV2)
	}
	for i, f := range d.Findings {
		if err := parseOCSF(f, field+"/detail/findings/"+strconv.Itoa(i), opts, out); err != nil {
			return err
		}
	}
	return nil
}
