package compliance

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"
	"time"
)

// Status is the compliance status of a requirement, a CIS item or one piece
// of evidence.
type Status string

// The statuses. NotAvailable means there is no (current) evidence.
const (
	Compliant    Status = "COMPLIANT"
	NonCompliant Status = "NON_COMPLIANT"
	NotAvailable Status = "NOT_AVAILABLE"
)

// Statuses lists the statuses in display order: what needs work first.
var Statuses = []Status{NonCompliant, Compliant, NotAvailable}

// Label is the status as shown to people: "Compliant", "Non-compliant",
// "Not available".
func (s Status) Label() string {
	switch s {
	case Compliant:
		return "Compliant"
	case NonCompliant:
		return "Non-compliant"
	default:
		return "Not available"
	}
}

// The sources of evidence.
const (
	SourceSecurityHub = "securityhub"
	SourceConfig      = "config"
)

// Evidence is the latest observation of one check (a Security Hub control in
// one standard, or an AWS Config rule) on one resource.
type Evidence struct {
	// ID is deterministic: the same check on the same resource always has
	// the same id (see EvidenceID).
	ID     string `json:"id"`
	Source string `json:"source"` // securityhub or config
	// Ref is what the source calls the observation: the finding id, or for
	// Config "rule/resourceType/resourceId".
	Ref string `json:"ref"`
	// Check is the source's name of the check: the finding's GeneratorId, or
	// the Config rule name as deployed (e.g. securityhub-s3-bucket-...-a1b2).
	Check string `json:"check"`
	// Control is the Security Hub control id (e.g. EC2.2), when known.
	Control string `json:"control,omitempty"`
	// ConfigRule is the AWS Config managed rule name the check runs (e.g.
	// vpc-default-security-group-closed), when known.
	ConfigRule string `json:"configRule,omitempty"`
	// CIS is the CIS AWS Foundations item ("1.2.0/1.1") of a per-standard
	// CIS finding.
	CIS string `json:"cis,omitempty"`
	// CISItems are the CIS items ("3.0.0/5.6") the finding's control maps
	// to, from its Compliance.RelatedRequirements: how a consolidated
	// finding counts for every CIS version Security Hub runs, including
	// those the catalog has no mapping for.
	CISItems []string `json:"cisItems,omitempty"`
	Standard string   `json:"standard,omitempty"` // standards ARN or id, for findings

	AccountID    string `json:"accountId"`
	Region       string `json:"region,omitempty"`
	ResourceType string `json:"resourceType,omitempty"` // as the source names it (AwsEc2SecurityGroup, AWS::EC2::SecurityGroup)
	ResourceID   string `json:"resourceId,omitempty"`
	ResourceARN  string `json:"resourceArn,omitempty"`
	// AccountLevel is set when the resource is the account itself (IAM
	// password policy, root user, CloudTrail configuration, ...).
	AccountLevel bool `json:"accountLevel,omitempty"`

	// Status is the result of the check itself.
	Status Status `json:"status"`
	// Result is the source's own word: PASSED, FAILED, WARNING,
	// NOT_AVAILABLE, or COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE,
	// INSUFFICIENT_DATA.
	Result string `json:"result"`
	// Workflow and RecordState are the finding's (empty for Config).
	Workflow    string `json:"workflow,omitempty"`    // NEW, NOTIFIED, SUPPRESSED, RESOLVED
	RecordState string `json:"recordState,omitempty"` // ACTIVE, ARCHIVED
	// Active is false when the observation no longer counts: the finding is
	// archived (the resource or control is gone), suppressed (accepted), or
	// resolved while still failing (until the next check reopens it).
	Active bool `json:"active"`
	// Reason says why an observation is not active.
	Reason string `json:"reason,omitempty"`

	Title    string `json:"title,omitempty"` // finding title or Config annotation
	Severity string `json:"severity,omitempty"`
	// ObservedAt is when the source last changed the observation (finding
	// UpdatedAt, evaluation ResultRecordedTime); the newest wins.
	ObservedAt time.Time `json:"observedAt"`
}

// Effective is the status the observation contributes: its Status when
// active, otherwise NotAvailable.
func (e *Evidence) Effective() Status {
	if !e.Active {
		return NotAvailable
	}
	return e.Status
}

// ResourceName is a short name for the evidence's resource: the last part of
// its ARN or its id; for account-level evidence "account 111111111111".
func (e *Evidence) ResourceName() string {
	if e.AccountLevel {
		return "account " + e.AccountID
	}
	return ResourceName(e.ResourceARN, e.ResourceID)
}

// ResourceName is a short name for a resource from its ARN or id: the part
// of the ARN after its last "/" or ":" (a bucket, instance or role name),
// otherwise the id.
func ResourceName(arn, id string) string {
	if arn != "" {
		return lastSegment(arn)
	}
	return id
}

func lastSegment(arn string) string {
	if !strings.HasPrefix(arn, "arn:") {
		return arn
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return arn
	}
	res := parts[5]
	if i := strings.LastIndexAny(res, "/:"); i >= 0 && i < len(res)-1 {
		return res[i+1:]
	}
	return res
}

// EvidenceID is the deterministic id of a check on a resource in an account
// and region: a hash, so that any characters in the parts are safe as a
// store id.
func EvidenceID(account, region, resource, source, check string) string {
	h := sha256.New()
	for _, p := range []string{account, region, resource, source, check} {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// fingerprint is a hash of the observation's content, used to choose
// between two different observations with the same time.
func (e *Evidence) fingerprint() []byte {
	b, err := json.Marshal(e)
	if err != nil {
		panic("compliance: marshal evidence: " + err.Error()) // plain data always marshals
	}
	s := sha256.Sum256(b)
	return s[:]
}

// Newer reports whether next should replace cur: it was observed later, or
// at the same time with different content whose fingerprint is greater.
// Equal observations are not newer. Newer is a strict total order on
// distinct observations, so a set of observations merged in any order, each
// any number of times, ends at the same one.
func Newer(cur, next *Evidence) bool {
	if !next.ObservedAt.Equal(cur.ObservedAt) {
		return next.ObservedAt.After(cur.ObservedAt)
	}
	return bytes.Compare(next.fingerprint(), cur.fingerprint()) > 0
}

// Same reports whether two observations are equal in content.
func Same(a, b *Evidence) bool { return bytes.Equal(a.fingerprint(), b.fingerprint()) }

var accountRE = regexp.MustCompile(`^[0-9]{12}$`)

// ValidAccount reports whether s is a 12-digit AWS account id.
func ValidAccount(s string) bool { return accountRE.MatchString(s) }

// maxText bounds free text kept with evidence (titles, annotations).
const maxText = 512

func clip(s string) string {
	if len(s) <= maxText {
		return s
	}
	cut := maxText
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
