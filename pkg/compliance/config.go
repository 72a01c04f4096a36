package compliance

import (
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// Evaluation is one AWS Config rule evaluation of one resource, in the
// source-neutral form every Config input is read into.
type Evaluation struct {
	ConfigRuleName string
	ResourceType   string // AWS::EC2::SecurityGroup, AWS::::Account
	ResourceID     string
	AccountID      string
	Region         string
	ComplianceType string // COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, INSUFFICIENT_DATA
	Annotation     string
	// ResultRecordedTime is when Config recorded the result; when it is
	// zero, OrderingTimestamp is used.
	ResultRecordedTime time.Time
	OrderingTimestamp  time.Time
}

// FromEvaluation turns a Config rule evaluation into evidence. field is the
// JSON Pointer of the evaluation, used in errors.
func FromEvaluation(ev *Evaluation, ctl *catalog.Controls, field string) (Evidence, error) {
	switch {
	case ev.ConfigRuleName == "":
		return Evidence{}, errs.Field(field+"/configRuleName", "is required")
	case ev.ResourceType == "" || ev.ResourceID == "":
		return Evidence{}, errs.Field(field+"/resourceId", "the evaluated resource's type and id are required")
	case !ValidAccount(ev.AccountID):
		return Evidence{}, errs.Field(field+"/awsAccountId", "must be a 12-digit AWS account id, got %q (for GetComplianceDetailsByConfigRule output, give the account the rule ran in)", ev.AccountID)
	case ev.Region == "":
		return Evidence{}, errs.Field(field+"/awsRegion", "is required (for GetComplianceDetailsByConfigRule output, give the region the rule ran in)")
	}
	at := ev.ResultRecordedTime
	if at.IsZero() {
		at = ev.OrderingTimestamp
	}
	if at.IsZero() {
		return Evidence{}, errs.Field(field+"/resultRecordedTime", "is required: the time Config recorded the result")
	}
	e := Evidence{
		Source: SourceConfig, Check: ev.ConfigRuleName, ConfigRule: ManagedRuleName(ev.ConfigRuleName, ctl),
		AccountID: ev.AccountID, Region: ev.Region, ResourceType: ev.ResourceType, ResourceID: ev.ResourceID,
		Result: ev.ComplianceType, Title: clip(ev.Annotation), ObservedAt: at.UTC(), Active: true,
		Ref: ev.ConfigRuleName + "/" + ev.ResourceType + "/" + ev.ResourceID,
	}
	if e.ConfigRule == "" && ctl == nil {
		e.ConfigRule = strings.TrimPrefix(ev.ConfigRuleName, "securityhub-")
	}
	switch ev.ComplianceType {
	case "COMPLIANT":
		e.Status = Compliant
	case "NON_COMPLIANT":
		e.Status = NonCompliant
	case "NOT_APPLICABLE", "INSUFFICIENT_DATA":
		e.Status = NotAvailable
	default:
		return Evidence{}, errs.Field(field+"/complianceType", "must be COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE or INSUFFICIENT_DATA, got %q", ev.ComplianceType)
	}
	if ev.ResourceType == "AWS::::Account" {
		e.AccountLevel = true
	}
	e.ID = EvidenceID(e.AccountID, e.Region, ev.ResourceType+"/"+ev.ResourceID, SourceConfig, ev.ConfigRuleName)
	return e, nil
}
