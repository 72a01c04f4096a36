// Command gendemo writes the demo organization's compliance evidence under
// events/demo/findings: Security Hub findings (consolidated controls, and CIS AWS
// Foundations Benchmark 1.4.0 in the per-standard form) as
// `aws securityhub get-findings` answers, and AWS Config rule evaluations as
// `aws configservice get-aggregate-compliance-details-by-config-rule`
// answers. Every finding is about a resource of the demo snapshots
// (synth.Demo, events/demo/aws) or about one of its accounts, and its result
// follows the resource's configuration there (an instance without IMDSv2
// fails EC2.8, a security group open to the internet on port 22 fails
// EC2.13 and restricted-ssh). The output is deterministic.
//
//	go run ./pkg/compliance/internal/gendemo [-out events/demo/findings]
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/inventory/synth"
)

func main() {
	out := flag.String("out", "events/demo/findings", "directory to write the findings to")
	flag.Parse()
	files, err := Files()
	if err == nil {
		err = os.MkdirAll(*out, 0o755)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendemo:", err)
		os.Exit(1)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		p := filepath.Join(*out, n)
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gendemo:", err)
			os.Exit(1)
		}
		fmt.Println(p)
	}
}

// The demo's evidence was observed the day after the snapshots.
var (
	firstSeen = time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	observed  = time.Date(2026, 10, 2, 6, 30, 0, 0, time.UTC)
)

// resource is what the generator needs of a configuration item.
type resource struct {
	Account, Region, Type, ID, ARN, Name string
	Config                               map[string]any
}

// resources reads the demo snapshots back from their JSON, so the findings
// name exactly what events/demo/aws holds.
func resources() ([]resource, error) {
	var out []resource
	for _, s := range synth.Generate(synth.Demo()) {
		data, err := s.JSON()
		if err != nil {
			return nil, err
		}
		var doc struct {
			Items []struct {
				ARN, ResourceType, ResourceID, ResourceName, AWSAccountID, AWSRegion string
				Tags                                                                 map[string]string
				Configuration                                                        json.RawMessage
			} `json:"configurationItems"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, err
		}
		for _, it := range doc.Items {
			name := it.ResourceName
			if name == "" {
				name = it.Tags["Name"]
			}
			// Some items carry their configuration as a JSON string.
			var cfg map[string]any
			if json.Unmarshal(it.Configuration, &cfg) != nil {
				var s string
				if json.Unmarshal(it.Configuration, &s) == nil {
					_ = json.Unmarshal([]byte(s), &cfg)
				}
			}
			out = append(out, resource{Account: it.AWSAccountID, Region: it.AWSRegion, Type: it.ResourceType, ID: it.ResourceID, ARN: it.ARN, Name: name, Config: cfg})
		}
	}
	return out, nil
}

// control is a Security Hub control the demo reports on. Related are its
// "Related requirements" as the Security Hub user guide lists them (the
// CIS and NIST ones), which findings carry in Compliance.RelatedRequirements.
type control struct {
	ID, Title, Severity string
	Standards           []string
	Related             []string
}

var (
	ec28 = control{"EC2.8", "EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)", "HIGH",
		[]string{"standards/aws-foundational-security-best-practices/v/1.0.0", "standards/nist-800-53/v/5.0.0"},
		[]string{"CIS AWS Foundations Benchmark v5.0.0/5.7", "CIS AWS Foundations Benchmark v3.0.0/5.6", "NIST.800-53.r5 AC-3", "NIST.800-53.r5 AC-3(15)", "NIST.800-53.r5 AC-3(7)", "NIST.800-53.r5 AC-6"}}
	ec213 = control{"EC2.13", "Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22", "HIGH",
		[]string{"standards/aws-foundational-security-best-practices/v/1.0.0", "ruleset/cis-aws-foundations-benchmark/v/1.2.0", "standards/pci-dss/v/3.2.1"},
		[]string{"CIS AWS Foundations Benchmark v1.2.0/4.1", "NIST.800-53.r5 AC-4", "NIST.800-53.r5 AC-4(21)", "NIST.800-53.r5 CM-7", "NIST.800-53.r5 SC-7"}}
	rds2 = control{"RDS.2", "RDS DB Instances should prohibit public access, as determined by the PubliclyAccessible configuration", "CRITICAL",
		[]string{"standards/aws-foundational-security-best-practices/v/1.0.0", "standards/pci-dss/v/3.2.1"},
		[]string{"CIS AWS Foundations Benchmark v5.0.0/2.2.3", "CIS AWS Foundations Benchmark v3.0.0/2.3.3", "NIST.800-53.r5 AC-4", "NIST.800-53.r5 AC-4(21)", "NIST.800-53.r5 SC-7"}}
	rds3 = control{"RDS.3", "RDS DB instances should have encryption at-rest enabled", "MEDIUM",
		[]string{"standards/aws-foundational-security-best-practices/v/1.0.0", "standards/cis-aws-foundations-benchmark/v/1.4.0"},
		[]string{"CIS AWS Foundations Benchmark v5.0.0/2.2.1", "CIS AWS Foundations Benchmark v3.0.0/2.3.1", "CIS AWS Foundations Benchmark v1.4.0/2.3.1", "NIST.800-53.r5 CA-9(1)", "NIST.800-53.r5 SC-28"}}
	rds5 = control{"RDS.5", "RDS DB instances should be configured with multiple Availability Zones", "MEDIUM",
		[]string{"standards/aws-foundational-security-best-practices/v/1.0.0"},
		[]string{"CIS AWS Foundations Benchmark v5.0.0/2.2.4", "NIST.800-53.r5 CP-10", "NIST.800-53.r5 SC-36"}}
)

// guardDuty1 is checked per account and region; it fails in guardDutyOff
// only, so the demo shows an account-level finding on that account's
// models and on no other.
var guardDuty1 = control{"GuardDuty.1", "GuardDuty should be enabled", "HIGH",
	[]string{"standards/aws-foundational-security-best-practices/v/1.0.0", "standards/pci-dss/v/3.2.1"},
	[]string{"PCI DSS v3.2.1/11.4", "NIST.800-53.r5 AC-2(12)", "NIST.800-53.r5 AU-6(1)", "NIST.800-53.r5 SI-4(1)"}}

const guardDutyOff = "222222222222"

// asffType is the ASFF resource type of a Config resource type.
var asffType = map[string]string{
	"AWS::::Account":          "AwsAccount",
	"AWS::EC2::Instance":      "AwsEc2Instance",
	"AWS::EC2::SecurityGroup": "AwsEc2SecurityGroup",
	"AWS::RDS::DBInstance":    "AwsRdsDbInstance",
}

func ts(t time.Time) string { return t.Format("2006-01-02T15:04:05.000Z") }

// findingID is a stable UUID-shaped id.
func findingID(seed string) string {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(seed); i++ {
		h ^= uint64(seed[i])
		h *= 1099511628211
	}
	x := fmt.Sprintf("%016x%016x", h, h*2654435761)
	return x[0:8] + "-" + x[8:12] + "-4" + x[13:16] + "-8" + x[17:20] + "-" + x[20:32]
}

func workflow(passed bool) string {
	if passed {
		return "RESOLVED"
	}
	return "NEW"
}

func status(passed bool) string {
	if passed {
		return "PASSED"
	}
	return "FAILED"
}

func severity(passed bool, s string) string {
	if passed {
		return "INFORMATIONAL"
	}
	return s
}

// consolidated is a finding in the consolidated control form.
func consolidated(c control, r resource, passed bool) map[string]any {
	id := fmt.Sprintf("arn:aws:securityhub:%s:%s:security-control/%s/finding/%s", r.Region, r.Account, c.ID, findingID(c.ID+r.ARN))
	sev := map[string]any{"Label": severity(passed, c.Severity), "Original": c.Severity}
	std := make([]map[string]any, len(c.Standards))
	for i, s := range c.Standards {
		std[i] = map[string]any{"StandardsId": s}
	}
	res := map[string]any{"Type": asffType[r.Type], "Id": r.ARN, "Partition": "aws", "Region": r.Region}
	if r.Name != "" {
		res["Tags"] = map[string]string{"Name": r.Name}
	}
	return map[string]any{
		"SchemaVersion":   "2018-10-08",
		"Id":              id,
		"ProductArn":      "arn:aws:securityhub:" + r.Region + "::product/aws/securityhub",
		"ProductName":     "Security Hub",
		"CompanyName":     "AWS",
		"Region":          r.Region,
		"GeneratorId":     "security-control/" + c.ID,
		"AwsAccountId":    r.Account,
		"Types":           []string{"Software and Configuration Checks/Industry and Regulatory Standards"},
		"FirstObservedAt": ts(firstSeen), "LastObservedAt": ts(observed), "CreatedAt": ts(firstSeen), "UpdatedAt": ts(observed),
		"Severity":    sev,
		"Title":       c.Title,
		"Description": "This control checks: " + c.Title + ".",
		"Remediation": map[string]any{"Recommendation": map[string]any{
			"Text": "For information on how to correct this issue, consult the AWS Security Hub controls documentation.",
			"Url":  "https://docs.aws.amazon.com/console/securityhub/" + c.ID + "/remediation"}},
		"ProductFields": map[string]any{
			"RelatedAWSResources:0/name":  "securityhub-" + strings.ToLower(strings.ReplaceAll(c.ID, ".", "-")) + "-" + findingID(c.ID)[:8],
			"RelatedAWSResources:0/type":  "AWS::Config::ConfigRule",
			"aws/securityhub/ProductName": "Security Hub", "aws/securityhub/CompanyName": "AWS",
			"Resources:0/Id": r.ARN, "aws/securityhub/FindingId": id},
		"Resources":             []any{res},
		"Compliance":            map[string]any{"Status": status(passed), "SecurityControlId": c.ID, "AssociatedStandards": std, "RelatedRequirements": c.Related},
		"WorkflowState":         workflow(passed),
		"Workflow":              map[string]any{"Status": workflow(passed)},
		"RecordState":           "ACTIVE",
		"FindingProviderFields": map[string]any{"Severity": sev, "Types": []string{"Software and Configuration Checks/Industry and Regulatory Standards"}},
	}
}

// cisItem is a CIS AWS Foundations Benchmark 1.4.0 item checked per account.
type cisItem struct {
	ID, Title, Severity string
	// failsIn lists the accounts where the check fails.
	failsIn []string
}

var cisItems = []cisItem{
	{"1.4", "Ensure no 'root' user account access key exists", "CRITICAL", nil},
	{"1.5", "Ensure MFA is enabled for the 'root' user account", "CRITICAL", []string{"333333333333"}},
	{"1.8", "Ensure IAM password policy requires minimum length of 14 or greater", "MEDIUM", []string{"222222222222", "333333333333"}},
	{"1.10", "Ensure multi-factor authentication (MFA) is enabled for all IAM users that have a console password", "MEDIUM", []string{"222222222222"}},
	{"1.12", "Ensure credentials unused for 45 days or greater are disabled", "MEDIUM", []string{"111111111111"}},
	{"3.1", "Ensure CloudTrail is enabled in all regions", "HIGH", nil},
	{"3.2", "Ensure CloudTrail log file validation is enabled", "LOW", []string{"222222222222"}},
	{"3.5", "Ensure AWS Config is enabled in all regions", "MEDIUM", nil},
	{"3.9", "Ensure VPC flow logging is enabled in all VPCs", "MEDIUM", []string{"111111111111", "222222222222"}},
	{"4.3", "Ensure a log metric filter and alarm exist for usage of 'root' account", "LOW", []string{"111111111111", "222222222222", "333333333333"}},
}

// perStandardCIS is an account-level CIS 1.4.0 finding in the per-standard form.
func perStandardCIS(c cisItem, account string) map[string]any {
	const region = "us-east-1"
	passed := !slices.Contains(c.failsIn, account)
	id := fmt.Sprintf("arn:aws:securityhub:%s:%s:subscription/cis-aws-foundations-benchmark/v/1.4.0/%s/finding/%s", region, account, c.ID, findingID("cis"+c.ID+account))
	sev := map[string]any{"Label": severity(passed, c.Severity), "Original": c.Severity}
	acct := "AWS::::Account:" + account
	return map[string]any{
		"SchemaVersion":   "2018-10-08",
		"Id":              id,
		"ProductArn":      "arn:aws:securityhub:" + region + "::product/aws/securityhub",
		"ProductName":     "Security Hub",
		"CompanyName":     "AWS",
		"Region":          region,
		"GeneratorId":     "cis-aws-foundations-benchmark/v/1.4.0/" + c.ID,
		"AwsAccountId":    account,
		"Types":           []string{"Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark"},
		"FirstObservedAt": ts(firstSeen), "LastObservedAt": ts(observed), "CreatedAt": ts(firstSeen), "UpdatedAt": ts(observed),
		"Severity":    sev,
		"Title":       c.ID + " " + c.Title,
		"Description": c.ID + " " + c.Title + ".",
		"Remediation": map[string]any{"Recommendation": map[string]any{
			"Text": "For information on how to correct this issue, consult the AWS Security Hub controls documentation.",
			"Url":  "https://docs.aws.amazon.com/console/securityhub/standards-cis-" + c.ID + "/remediation"}},
		"ProductFields": map[string]any{
			"StandardsArn":                "arn:aws:securityhub:" + region + "::standards/cis-aws-foundations-benchmark/v/1.4.0",
			"ControlId":                   c.ID,
			"StandardsControlArn":         fmt.Sprintf("arn:aws:securityhub:%s:%s:control/cis-aws-foundations-benchmark/v/1.4.0/%s", region, account, c.ID),
			"aws/securityhub/ProductName": "Security Hub", "aws/securityhub/CompanyName": "AWS",
			"Resources:0/Id": acct, "aws/securityhub/FindingId": id},
		"Resources":             []any{map[string]any{"Type": "AwsAccount", "Id": acct, "Partition": "aws", "Region": region}},
		"Compliance":            map[string]any{"Status": status(passed)},
		"WorkflowState":         workflow(passed),
		"Workflow":              map[string]any{"Status": workflow(passed)},
		"RecordState":           "ACTIVE",
		"FindingProviderFields": map[string]any{"Severity": sev, "Types": []string{"Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark"}},
	}
}

// evaluation is one aggregator evaluation result.
func evaluation(rule string, r resource, passed bool) map[string]any {
	ct := "NON_COMPLIANT"
	if passed {
		ct = "COMPLIANT"
	}
	at := float64(observed.Unix())
	return map[string]any{
		"EvaluationResultIdentifier": map[string]any{
			"EvaluationResultQualifier": map[string]any{"ConfigRuleName": rule, "ResourceType": r.Type, "ResourceId": r.ID},
			"OrderingTimestamp":         at,
		},
		"ComplianceType":        ct,
		"ResultRecordedTime":    at + 12.5,
		"ConfigRuleInvokedTime": at + 4,
		"AccountId":             r.Account,
		"AwsRegion":             r.Region,
	}
}

// imdsv2 says whether an instance requires session tokens.
func imdsv2(r resource) bool {
	m, _ := r.Config["metadataOptions"].(map[string]any)
	return m["httpTokens"] == "required"
}

// sshOpen says whether a security group admits 0.0.0.0/0 on port 22.
func sshOpen(r resource) bool {
	perms, _ := r.Config["ipPermissions"].([]any)
	for _, p := range perms {
		p, _ := p.(map[string]any)
		from, _ := p["fromPort"].(float64)
		to, ok := p["toPort"].(float64)
		if !ok {
			to = from
		}
		if from > 22 || to < 22 {
			continue
		}
		ranges, _ := p["ipRanges"].([]any)
		for _, c := range ranges {
			if c == "0.0.0.0/0" {
				return true
			}
			if m, ok := c.(map[string]any); ok && m["cidrIp"] == "0.0.0.0/0" {
				return true
			}
		}
	}
	return false
}

func flag_(r resource, key string) bool { b, _ := r.Config[key].(bool); return b }

// sampled keeps the Security Hub findings short: single instances (a bastion,
// a VPN appliance) and the first of each tier in each zone ("…-a01"). The
// Config evaluations cover every instance.
func sampled(name string) bool {
	if name == "" {
		return false
	}
	last := name[len(name)-1]
	return last < '0' || last > '9' || strings.HasSuffix(name, "01")
}

// Files returns the demo evidence files by name.
func Files() (map[string][]byte, error) {
	all, err := resources()
	if err != nil {
		return nil, err
	}
	var controls []any
	evals := map[string][]any{}
	accounts := []string{}
	var regions []string // "account|region" of every resource
	for _, r := range all {
		if !slices.Contains(accounts, r.Account) {
			accounts = append(accounts, r.Account)
		}
		if k := r.Account + "|" + r.Region; !slices.Contains(regions, k) {
			regions = append(regions, k)
		}
		switch r.Type {
		case "AWS::EC2::Instance":
			if sampled(r.Name) {
				controls = append(controls, consolidated(ec28, r, imdsv2(r)))
			}
			evals["ec2-imdsv2-check"] = append(evals["ec2-imdsv2-check"], evaluation("ec2-imdsv2-check", r, imdsv2(r)))
		case "AWS::EC2::SecurityGroup":
			controls = append(controls, consolidated(ec213, r, !sshOpen(r)))
			evals["restricted-ssh"] = append(evals["restricted-ssh"], evaluation("restricted-ssh", r, !sshOpen(r)))
		case "AWS::RDS::DBInstance":
			controls = append(controls,
				consolidated(rds2, r, !flag_(r, "publiclyAccessible")),
				consolidated(rds3, r, flag_(r, "storageEncrypted")),
				consolidated(rds5, r, flag_(r, "multiAZ")))
			evals["rds-storage-encrypted"] = append(evals["rds-storage-encrypted"], evaluation("rds-storage-encrypted", r, flag_(r, "storageEncrypted")))
			evals["rds-multi-az-support"] = append(evals["rds-multi-az-support"], evaluation("rds-multi-az-support", r, flag_(r, "multiAZ")))
		}
	}
	slices.Sort(accounts)
	slices.Sort(regions)
	for _, k := range regions {
		a, region, _ := strings.Cut(k, "|")
		acct := resource{Account: a, Region: region, Type: "AWS::::Account", ARN: "AWS::::Account:" + a}
		controls = append(controls, consolidated(guardDuty1, acct, a != guardDutyOff))
	}
	var cis []any
	for _, a := range accounts {
		for _, c := range cisItems {
			cis = append(cis, perStandardCIS(c, a))
		}
		// CloudTrail is configured organization-wide: the account-level Config rule passes everywhere.
		evals["multi-region-cloudtrail-enabled"] = append(evals["multi-region-cloudtrail-enabled"],
			evaluation("multi-region-cloudtrail-enabled", resource{Account: a, Region: "us-east-1", Type: "AWS::::Account", ID: a}, true))
	}
	files := map[string][]byte{}
	put := func(name string, v any) error {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return err
		}
		files[name] = b.Bytes()
		return nil
	}
	if err := put("securityhub-controls.json", map[string]any{"Findings": controls}); err != nil {
		return nil, err
	}
	if err := put("securityhub-cis-1.4.0.json", map[string]any{"Findings": cis}); err != nil {
		return nil, err
	}
	for rule, ev := range evals {
		if err := put("config-"+rule+".json", map[string]any{"AggregateEvaluationResults": ev}); err != nil {
			return nil, err
		}
	}
	return files, nil
}
