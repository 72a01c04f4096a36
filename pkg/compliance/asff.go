package compliance

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// Finding is the part of an AWS Security Finding Format (ASFF) finding that
// evidence needs. Field names are ASFF's.
type Finding struct {
	SchemaVersion string             `json:"SchemaVersion,omitempty"`
	ID            string             `json:"Id"`
	ProductArn    string             `json:"ProductArn,omitempty"`
	GeneratorID   string             `json:"GeneratorId"`
	AwsAccountID  string             `json:"AwsAccountId"`
	Region        string             `json:"Region,omitempty"`
	Title         string             `json:"Title,omitempty"`
	CreatedAt     string             `json:"CreatedAt,omitempty"`
	UpdatedAt     string             `json:"UpdatedAt"`
	Severity      *FindingSeverity   `json:"Severity,omitempty"`
	Compliance    *FindingCompliance `json:"Compliance,omitempty"`
	ProductFields map[string]string  `json:"ProductFields,omitempty"`
	Resources     []FindingResource  `json:"Resources"`
	Workflow      *FindingWorkflow   `json:"Workflow,omitempty"`
	// WorkflowState is the deprecated predecessor of Workflow.Status.
	WorkflowState string `json:"WorkflowState,omitempty"`
	RecordState   string `json:"RecordState,omitempty"`
}

// FindingSeverity is ASFF Severity.
type FindingSeverity struct {
	Label string `json:"Label,omitempty"`
}

// FindingCompliance is ASFF Compliance.
type FindingCompliance struct {
	Status              string               `json:"Status,omitempty"`
	SecurityControlID   string               `json:"SecurityControlId,omitempty"`
	AssociatedStandards []AssociatedStandard `json:"AssociatedStandards,omitempty"`
	// RelatedRequirements names the requirements of every standard the
	// control maps to, e.g. "CIS AWS Foundations Benchmark v3.0.0/5.6".
	RelatedRequirements []string `json:"RelatedRequirements,omitempty"`
}

// AssociatedStandard is one entry of Compliance.AssociatedStandards.
type AssociatedStandard struct {
	StandardsID string `json:"StandardsId,omitempty"`
}

// FindingResource is one entry of ASFF Resources.
type FindingResource struct {
	Type      string `json:"Type"`
	ID        string `json:"Id"`
	Partition string `json:"Partition,omitempty"`
	Region    string `json:"Region,omitempty"`
}

// FindingWorkflow is ASFF Workflow.
type FindingWorkflow struct {
	Status string `json:"Status,omitempty"`
}

// errNotCompliance marks a finding that is valid but not the result of a
// compliance check (for example a GuardDuty finding); it is skipped.
var errNotCompliance = errs.E(errs.Invalid, "not a compliance check finding (no Compliance.Status)")

var (
	cisStandardRE = regexp.MustCompile(`cis-aws-foundations-benchmark/v/([0-9.]+)`)
	controlIDRE   = regexp.MustCompile(`^[A-Za-z0-9]+\.[0-9]+$`)
)

// FromFinding turns a finding into evidence. ctl (which may be nil) maps CIS
// items and Config rule names to Security Hub controls. field is the JSON
// Pointer of the finding, used in errors.
func FromFinding(f *Finding, ctl *catalog.Controls, field string) (Evidence, error) {
	switch {
	case f.ID == "":
		return Evidence{}, errs.Field(field+"/Id", "is required")
	case f.GeneratorID == "":
		return Evidence{}, errs.Field(field+"/GeneratorId", "is required")
	case !ValidAccount(f.AwsAccountID):
		return Evidence{}, errs.Field(field+"/AwsAccountId", "must be a 12-digit AWS account id, got %q", f.AwsAccountID)
	case len(f.Resources) == 0 || f.Resources[0].ID == "":
		return Evidence{}, errs.Field(field+"/Resources", "must name at least one resource with an Id")
	}
	updated, err := time.Parse(time.RFC3339Nano, f.UpdatedAt)
	if err != nil {
		return Evidence{}, errs.Field(field+"/UpdatedAt", "must be an ISO 8601 time such as 2026-11-02T10:00:00.000Z, got %q", f.UpdatedAt)
	}
	if f.Compliance == nil || f.Compliance.Status == "" {
		return Evidence{}, errNotCompliance
	}
	e := Evidence{
		Source: SourceSecurityHub, Ref: f.ID, Check: f.GeneratorID, AccountID: f.AwsAccountID,
		Title: clip(f.Title), ObservedAt: updated.UTC(), Result: f.Compliance.Status,
		RecordState: strings.ToUpper(f.RecordState),
	}
	if f.Severity != nil {
		e.Severity = f.Severity.Label
	}
	switch e.Result {
	case "PASSED":
		e.Status = Compliant
	case "FAILED":
		e.Status = NonCompliant
	case "WARNING", "NOT_AVAILABLE":
		e.Status = NotAvailable
	default:
		return Evidence{}, errs.Field(field+"/Compliance/Status", "must be PASSED, FAILED, WARNING or NOT_AVAILABLE, got %q", e.Result)
	}
	if f.Workflow != nil && f.Workflow.Status != "" {
		e.Workflow = strings.ToUpper(f.Workflow.Status)
	} else if f.WorkflowState != "" {
		e.Workflow = strings.ToUpper(f.WorkflowState)
	}
	if e.RecordState == "" {
		e.RecordState = "ACTIVE"
	}
	e.Active = true
	switch {
	case e.RecordState == "ARCHIVED":
		e.Active, e.Reason = false, "the finding is archived: the resource was deleted or the control disabled"
	case e.Workflow == "SUPPRESSED":
		e.Active, e.Reason = false, "the finding is suppressed: someone decided it needs no action"
	case e.Workflow == "RESOLVED" && e.Status == NonCompliant:
		e.Active, e.Reason = false, "the failing finding was marked resolved; the next check will confirm or reopen it"
	}

	r := f.Resources[0]
	e.ResourceType = r.Type
	e.Region = r.Region
	if e.Region == "" {
		e.Region = f.Region
	}
	switch {
	case r.Type == "AwsAccount" || strings.HasPrefix(r.ID, "AWS::::Account:"):
		e.AccountLevel = true
		e.ResourceID = strings.TrimPrefix(r.ID, "AWS::::Account:")
		if !ValidAccount(e.ResourceID) {
			e.ResourceID = f.AwsAccountID
		}
	case strings.HasPrefix(r.ID, "arn:"):
		e.ResourceARN = r.ID
	default:
		e.ResourceID = r.ID
	}

	// Which check: the consolidated control id, or the standard's own id.
	standard := f.ProductFields["StandardsArn"]
	if standard == "" {
		standard = f.ProductFields["StandardsGuideArn"]
	}
	e.Control = f.Compliance.SecurityControlID
	if e.Control == "" {
		if c, ok := strings.CutPrefix(f.GeneratorID, "security-control/"); ok {
			e.Control = c
		}
	}
	if m := cisStandardRE.FindStringSubmatch(standard + " " + f.GeneratorID); m != nil && e.Control == "" {
		// A per-standard CIS finding: its id is the CIS item.
		item := f.ProductFields["RuleId"]
		if item == "" {
			item = f.ProductFields["ControlId"]
		}
		if item == "" {
			item = f.GeneratorID[strings.LastIndexAny(f.GeneratorID, "/")+1:]
		}
		e.CIS = m[1] + "/" + item
		if ctl != nil {
			if it := ctl.CIS[e.CIS]; it != nil && len(it.SecurityHub) == 1 {
				e.Control = it.SecurityHub[0]
			}
		}
	}
	if e.Control == "" && e.CIS == "" {
		if c := f.ProductFields["ControlId"]; c != "" {
			e.Control = c
		} else if last := f.GeneratorID[strings.LastIndex(f.GeneratorID, "/")+1:]; controlIDRE.MatchString(last) {
			e.Control = last
		}
	}
	if c, ok := pciControls[e.Control]; ok {
		e.Control = c // a per-standard PCI DSS finding: its consolidated control
	}
	if standard == "" && len(f.Compliance.AssociatedStandards) > 0 {
		ids := make([]string, 0, len(f.Compliance.AssociatedStandards))
		for _, s := range f.Compliance.AssociatedStandards {
			ids = append(ids, s.StandardsID)
		}
		standard = strings.Join(ids, ";")
	}
	e.Standard = standard
	e.CISItems = relatedCIS(f.Compliance.RelatedRequirements)

	// The Config rule behind the control: named in ProductFields, or the
	// control's rule in the catalog.
	if name := f.ProductFields["RelatedAWSResources:0/name"]; name != "" && f.ProductFields["RelatedAWSResources:0/type"] == "AWS::Config::ConfigRule" {
		e.ConfigRule = ManagedRuleName(name, ctl)
	}
	e.identify(ctl)
	return e, nil
}

// identify completes a Security Hub observation in either finding format:
// the control's Config rule from the catalog when the finding names none,
// and the evidence id, so that the ASFF and OCSF forms of one finding are
// one record.
func (e *Evidence) identify(ctl *catalog.Controls) {
	if e.ConfigRule == "" && ctl != nil {
		if c := ctl.SecurityHub[e.Control]; c != nil {
			e.ConfigRule = c.ConfigRule
		}
	}
	resource := e.ResourceARN
	if resource == "" {
		resource = e.ResourceID
	}
	e.ID = EvidenceID(e.AccountID, e.Region, resource, SourceSecurityHub, e.Check)
}

// relatedCIS returns the CIS items ("3.0.0/5.6") among a finding's
// related requirements ("CIS AWS Foundations Benchmark v3.0.0/5.6"),
// sorted, or nil.
func relatedCIS(reqs []string) []string {
	var out []string
	for _, r := range reqs {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(r), "CIS AWS Foundations Benchmark v"); ok {
			if version, item, ok := strings.Cut(rest, "/"); ok && version != "" && item != "" {
				out = append(out, version+"/"+item)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ManagedRuleName returns the AWS Config managed rule that a deployed rule
// named name runs, when its name shows it: the managed name itself, or the
// name with the prefix Security Hub adds ("securityhub-") and/or a suffix
// that Security Hub or a conformance pack adds ("-a1b2c3",
// "-conformance-pack-xyz"). It returns "" for a custom rule, or when ctl is
// nil and the name has no Security Hub prefix.
func ManagedRuleName(name string, ctl *catalog.Controls) string {
	s := strings.TrimPrefix(name, "securityhub-")
	if ctl == nil {
		return ""
	}
	if ctl.ConfigRules[s] != nil {
		return s
	}
	best := ""
	for n := range ctl.ConfigRules {
		if len(n) > len(best) && strings.HasPrefix(s, n+"-") {
			best = n
		}
	}
	return best
}
