package compliance

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

// eventsDir holds the shared sample events.
const eventsDir = "../../events/aws"

func controls(t testing.TB) *catalog.Controls {
	t.Helper()
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cat.Controls
}

// fixtures returns every sample event file, sorted.
func fixtures(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{"securityhub", "config-rules"} {
		m, err := filepath.Glob(filepath.Join(eventsDir, dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	slices.Sort(files)
	if len(files) < 10 {
		t.Fatalf("only %d fixtures found", len(files))
	}
	return files
}

// fixtureOptions gives the account and region for Config API output, which
// does not carry them.
var fixtureOptions = Options{AccountID: "111111111111", Region: "us-east-1"}

func parseFile(t testing.TB, path string) *Parsed {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	opts := fixtureOptions
	opts.Controls = controls(t)
	p, err := Parse(b, opts)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return p
}

// allEvidence parses every fixture, one delivery per file.
func allEvidence(t testing.TB) [][]Evidence {
	var out [][]Evidence
	for _, f := range fixtures(t) {
		out = append(out, parseFile(t, f).Evidence)
	}
	return out
}

func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update to accept):\n%s", name, cmp.Diff(string(want), string(got)))
	}
}

// TestParseFixtures reads every sample event and checks what it says, both
// against a golden file and field by field for the cases the issue names.
func TestParseFixtures(t *testing.T) {
	all := map[string]*Parsed{}
	for _, f := range fixtures(t) {
		all[filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f)] = parseFile(t, f)
	}
	golden(t, "parsed.golden.json", all)

	type want struct {
		n            int
		control, cis string
		configRule   string
		status       Status
		active       bool
		accountLevel bool
		resource     string
	}
	tests := []struct {
		file string
		want want
	}{
		{"securityhub/consolidated-ec2-8-failed.json", want{1, "EC2.8", "", "ec2-imdsv2-check", NonCompliant, true, false, "i-0123456789abcdef0"}},
		{"securityhub/consolidated-ec2-8-passed-later.json", want{1, "EC2.8", "", "ec2-imdsv2-check", Compliant, true, false, "i-0123456789abcdef0"}},
		{"securityhub/per-standard-fsbp-s3-8-passed.json", want{1, "S3.8", "", "s3-bucket-level-public-access-prohibited", Compliant, true, false, "example-shop-assets"}},
		{"securityhub/per-standard-cis-1.2.0-1.12-failed.json", want{1, "IAM.4", "1.2.0/1.12", "iam-root-access-key-check", NonCompliant, true, true, "account 111111111111"}},
		{"securityhub/consolidated-rds-3-suppressed.json", want{1, "RDS.3", "", "rds-storage-encrypted", NonCompliant, false, false, "orders-db"}},
		{"securityhub/consolidated-s3-4-archived.json", want{1, "S3.4", "", "s3-bucket-server-side-encryption-enabled", NonCompliant, false, false, "example-shop-assets"}},
		{"securityhub/guardduty-not-evidence.json", want{n: 0}},
		{"securityhub/get-findings-export.json", want{2, "IAM.3", "1.4.0/1.14", "access-keys-rotated", Compliant, true, true, "account 111111111111"}},
		{"config-rules/s3-ssl-noncompliant.json", want{1, "", "", "s3-bucket-ssl-requests-only", NonCompliant, true, false, "example-shop-assets"}},
		{"config-rules/account-iam-password-policy-noncompliant.json", want{1, "", "", "iam-password-policy", NonCompliant, true, true, "account 111111111111"}},
		{"config-rules/sns-compliance-change-notification.json", want{1, "", "", "rds-storage-encrypted", Compliant, true, false, "db-ABCDEFGHIJKLMNOPQRSTUVWXY0"}},
		{"config-rules/get-compliance-details-by-config-rule.json", want{2, "", "", "ec2-imdsv2-check", NonCompliant, true, false, "i-0123456789abcdef0"}},
		{"config-rules/get-aggregate-compliance-details.json", want{1, "", "", "multi-region-cloudtrail-enabled", Compliant, true, true, "account 111111111111"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := all[tt.file]
			if p == nil {
				t.Fatalf("no fixture %s", tt.file)
			}
			if len(p.Evidence) != tt.want.n {
				t.Fatalf("%d observations, want %d", len(p.Evidence), tt.want.n)
			}
			if tt.want.n == 0 {
				if p.Skipped != 1 {
					t.Errorf("skipped %d, want 1", p.Skipped)
				}
				return
			}
			e := p.Evidence[0]
			got := want{len(p.Evidence), e.Control, e.CIS, e.ConfigRule, e.Status, e.Active, e.AccountLevel, e.ResourceName()}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
			if e.ID == "" || e.ObservedAt.IsZero() || e.AccountID != "111111111111" {
				t.Errorf("incomplete evidence %+v", e)
			}
		})
	}
}

// TestSameCheckSameID checks that deliveries about the same check and
// resource land on one record, and different checks on different ones.
func TestSameCheckSameID(t *testing.T) {
	failed := parseFile(t, filepath.Join(eventsDir, "securityhub/consolidated-ec2-8-failed.json")).Evidence[0]
	passed := parseFile(t, filepath.Join(eventsDir, "securityhub/consolidated-ec2-8-passed-later.json")).Evidence[0]
	if failed.ID != passed.ID {
		t.Errorf("the same finding got ids %s and %s", failed.ID, passed.ID)
	}
	cfg := parseFile(t, filepath.Join(eventsDir, "config-rules/get-compliance-details-by-config-rule.json")).Evidence
	if cfg[0].ID == cfg[1].ID || cfg[0].ID == failed.ID {
		t.Error("different resources or sources share an id")
	}
	nc := parseFile(t, filepath.Join(eventsDir, "config-rules/s3-ssl-noncompliant.json")).Evidence[0]
	c := parseFile(t, filepath.Join(eventsDir, "config-rules/s3-ssl-compliant-later.json")).Evidence[0]
	if nc.ID != c.ID || !Newer(&nc, &c) || Newer(&c, &nc) {
		t.Errorf("the later Config evaluation does not replace the earlier one")
	}
}

func TestParseErrors(t *testing.T) {
	finding := func(mut string) string {
		return `{"detail-type":"Security Hub Findings - Imported","detail":{"findings":[` + mut + `]}}`
	}
	tests := []struct {
		name, in string
		kind     errs.Kind
		field    string
	}{
		{"empty", "", errs.Malformed, ""},
		{"not JSON", "{nope", errs.Malformed, ""},
		{"scalar", `42`, errs.Malformed, "/"},
		{"unknown shape", `{"hello":"world"}`, errs.Invalid, "/"},
		{"findings not array", `{"detail-type":"Security Hub Findings - Imported","detail":{"findings":{}}}`, errs.Malformed, "/detail/findings"},
		{"no findings", `{"detail-type":"Security Hub Findings - Imported","detail":{}}`, errs.Invalid, "/detail/findings"},
		{"bad account", finding(`{"Id":"x","GeneratorId":"security-control/EC2.8","AwsAccountId":"12","UpdatedAt":"2026-11-02T10:00:00Z","Resources":[{"Type":"AwsEc2Instance","Id":"i-1"}],"Compliance":{"Status":"FAILED"}}`), errs.Invalid, "/detail/findings/0/AwsAccountId"},
		{"bad time", finding(`{"Id":"x","GeneratorId":"security-control/EC2.8","AwsAccountId":"111111111111","UpdatedAt":"yesterday","Resources":[{"Type":"AwsEc2Instance","Id":"i-1"}],"Compliance":{"Status":"FAILED"}}`), errs.Invalid, "/detail/findings/0/UpdatedAt"},
		{"bad status", finding(`{"Id":"x","GeneratorId":"security-control/EC2.8","AwsAccountId":"111111111111","UpdatedAt":"2026-11-02T10:00:00Z","Resources":[{"Type":"AwsEc2Instance","Id":"i-1"}],"Compliance":{"Status":"MAYBE"}}`), errs.Invalid, "/detail/findings/0/Compliance/Status"},
		{"no resources", finding(`{"Id":"x","GeneratorId":"security-control/EC2.8","AwsAccountId":"111111111111","UpdatedAt":"2026-11-02T10:00:00Z","Resources":[],"Compliance":{"Status":"FAILED"}}`), errs.Invalid, "/detail/findings/0/Resources"},
		{"wrong type", finding(`{"Id":7}`), errs.Malformed, "/detail/findings/0/Id"},
		{"evaluations without account", `{"EvaluationResults":[{"EvaluationResultIdentifier":{"EvaluationResultQualifier":{"ConfigRuleName":"r","ResourceType":"AWS::S3::Bucket","ResourceId":"b"}},"ComplianceType":"COMPLIANT","ResultRecordedTime":"2026-11-02T10:00:00Z"}]}`, errs.Invalid, "/EvaluationResults/0/awsAccountId"},
		{"bad compliance type", `{"detail-type":"Config Rules Compliance Change","detail":{"awsAccountId":"111111111111","awsRegion":"us-east-1","configRuleName":"r","resourceType":"AWS::S3::Bucket","resourceId":"b","messageType":"ComplianceChangeNotification","newEvaluationResult":{"complianceType":"GREEN","resultRecordedTime":"2026-11-02T10:00:00Z"}}}`, errs.Invalid, "/detail/complianceType"},
		{"change without result", `{"messageType":"ComplianceChangeNotification","awsAccountId":"111111111111"}`, errs.Invalid, "/newEvaluationResult"},
		{"bad time number", `{"AggregateEvaluationResults":[{"ResultRecordedTime":-5}]}`, errs.Malformed, "/AggregateEvaluationResults/0"},
		{"second value bad", `{"Findings":[]} {"x":1}`, errs.Invalid, "/1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.in), Options{Controls: controls(t)})
			if err == nil {
				t.Fatalf("no error; parsed %+v", p)
			}
			if k := errs.KindOf(err); k != tt.kind {
				t.Errorf("kind %v, want %v (%v)", k, tt.kind, err)
			}
			e, _ := errs.As(err)
			if e == nil || e.Field != tt.field {
				t.Errorf("field %q, want %q (%v)", fieldOf(e), tt.field, err)
			}
		})
	}
}

func fieldOf(e *errs.Error) string {
	if e == nil {
		return ""
	}
	return e.Field
}

// TestParseStreamAndSkips reads a JSON Lines stream mixing shapes, and
// skips event types that carry no evidence.
func TestParseStreamAndSkips(t *testing.T) {
	var buf bytes.Buffer
	for _, f := range []string{"securityhub/consolidated-ec2-8-failed.json", "config-rules/s3-ssl-noncompliant.json", "securityhub/guardduty-not-evidence.json"} {
		b, err := os.ReadFile(filepath.Join(eventsDir, f))
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		line, _ := json.Marshal(v)
		buf.Write(line)
		buf.WriteByte('\n')
	}
	buf.WriteString(`{"detail-type":"EC2 Instance State-change Notification","detail":{}}` + "\n")
	p, err := Parse(buf.Bytes(), Options{Controls: controls(t)})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Evidence) != 2 || p.Skipped != 2 || len(p.Notes) != 2 {
		t.Errorf("got %d observations, %d skipped (%q); want 2 and 2", len(p.Evidence), p.Skipped, p.Notes)
	}
}

// TestChangeTimeFallback reads compliance changes that carry no result
// time: the notification's creation time, else the event's time, is used.
func TestChangeTimeFallback(t *testing.T) {
	const detail = `{"resourceId":"i-1","awsRegion":"eu-west-1","awsAccountId":"111111111111","configRuleName":"ec2-imdsv2-check","messageType":"ComplianceChangeNotification","resourceType":"AWS::EC2::Instance","newEvaluationResult":{"complianceType":"COMPLIANT"}%s}`
	tests := []struct{ name, in, want string }{
		{"event time", `{"detail-type":"Config Rules Compliance Change","time":"2026-10-02T11:00:00Z","detail":` + fmt.Sprintf(detail, "") + `}`, "2026-10-02T11:00:00Z"},
		{"notification time", fmt.Sprintf(detail, `,"notificationCreationTime":"2026-10-03T08:00:00.000Z"`), "2026-10-03T08:00:00Z"},
	}
	for _, tt := range tests {
		p, err := Parse([]byte(tt.in), Options{Controls: controls(t)})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := p.Evidence[0].ObservedAt.Format(time.RFC3339); got != tt.want {
			t.Errorf("%s: observed at %s, want %s", tt.name, got, tt.want)
		}
	}
	if _, err := Parse([]byte(fmt.Sprintf(detail, "")), Options{}); !errs.Is(err, errs.Invalid) {
		t.Errorf("no time at all: %v", err)
	}
}

func TestManagedRuleName(t *testing.T) {
	ctl := controls(t)
	tests := []struct{ in, want string }{
		{"ec2-imdsv2-check", "ec2-imdsv2-check"},
		{"securityhub-ec2-imdsv2-check-5a7d2a3b", "ec2-imdsv2-check"},
		{"rds-storage-encrypted-conformance-pack-k3j2h1g0", "rds-storage-encrypted"},
		{"securityhub-s3-bucket-level-public-access-prohibited-0f9e8d7c", "s3-bucket-level-public-access-prohibited"},
		{"my-custom-rule", ""},
	}
	for _, tt := range tests {
		if got := ManagedRuleName(tt.in, ctl); got != tt.want {
			t.Errorf("ManagedRuleName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func loadShop(t testing.TB) (*model.ThreatModel, *analysis.Result, *catalog.Catalog) {
	t.Helper()
	b, err := os.ReadFile("testdata/shop.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return m, analysis.Analyze(cat, m, nil), cat
}

// merged folds every fixture's observations with Newer, in file order.
func merged(t testing.TB) []Evidence {
	byID := map[string]Evidence{}
	for _, batch := range allEvidence(t) {
		for _, e := range batch {
			if cur, ok := byID[e.ID]; !ok || Newer(&cur, &e) {
				byID[e.ID] = e
			}
		}
	}
	out := make([]Evidence, 0, len(byID))
	for _, e := range byID {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Evidence) int { return cmpString(a.ID, b.ID) })
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestViewShop(t *testing.T) {
	m, res, cat := loadShop(t)
	v := BuildView(m, res, merged(t), cat.Controls)
	golden(t, "shop.view.golden.json", v)

	status := map[string]Item{}
	for _, it := range v.Items {
		status[it.Requirement] = it
	}
	tests := []struct {
		item   string
		want   Status
		reason string
	}{
		{"aws.ec2.require-imdsv2@web", Compliant, "the newest EC2.8 finding passes; Config's older failing ec2-imdsv2-check evaluation is superseded"},
		{"aws.s3.require-tls@assets", Compliant, "the later Config evaluation passes"},
		{"aws.iam.protect-root@iam", NonCompliant, "CIS 1.2.0 1.12 (account level) fails"},
		{"aws.iam.federation-and-mfa@iam", NonCompliant, "iam-password-policy (account level, Security Hub-named rule) fails"},
		{"aws.rds.encrypt-at-rest@orders", NotAvailable, "the newest check, RDS.3, fails but is suppressed; the older passing conformance pack rule is superseded"},
		{"aws.rds.no-public-access@orders", NotAvailable, "RDS.2 failing but resolved does not count"},
		{"aws.s3.encrypt-at-rest@assets", NotAvailable, "S3.4 is archived"},
		{"aws.s3.block-public-access@assets", Compliant, "S3.8 passes"},
	}
	for _, tt := range tests {
		it, ok := status[tt.item]
		if !ok {
			t.Errorf("no requirement item %s", tt.item)
			continue
		}
		if it.Status != tt.want {
			t.Errorf("%s: %s, want %s (%s); evidence %+v", tt.item, it.Status, tt.want, tt.reason, it.Evidence)
		}
	}
	// The EC2 item shows both the passing finding and the older failing
	// Config evaluation of the same rule, the latter marked superseded.
	if it := status["aws.ec2.require-imdsv2@web"]; len(it.Evidence) != 2 || it.SourceName != "i-0123456789abcdef0" ||
		it.Evidence[0].Superseded || !it.Evidence[1].Superseded || it.Evidence[1].Source != SourceConfig {
		t.Errorf("EC2 evidence %+v, source %q", it.Evidence, it.SourceName)
	}
	total := 0
	for _, n := range v.Counts {
		total += n
	}
	if total != len(res.Requirements) || v.Counts[NonCompliant] < 2 {
		t.Errorf("counts %v over %d requirements", v.Counts, len(res.Requirements))
	}
	if !slices.Equal(v.Accounts, []string{"111111111111"}) {
		t.Errorf("accounts %v", v.Accounts)
	}
}

// TestCISFromRelatedRequirements: the catalog maps no Security Hub control
// to CIS 3.0.0, yet a consolidated finding whose RelatedRequirements name a
// 3.0.0 item decides that item, and the row shows the finding's control.
func TestCISFromRelatedRequirements(t *testing.T) {
	ctl := controls(t)
	data, err := os.ReadFile(filepath.Join(eventsDir, "securityhub", "consolidated-ec2-8-failed.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(data, Options{Controls: ctl})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Evidence) != 1 || !slices.Equal(p.Evidence[0].CISItems, []string{"3.0.0/5.6", "5.0.0/5.7"}) {
		t.Fatalf("evidence %+v, want one with CIS items 3.0.0/5.6 and 5.0.0/5.7", p.Evidence)
	}
	rows, err := CIS(ctl, "3.0.0", p.Evidence)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		switch {
		case r.Item == "5.6" && (r.Status != NonCompliant || r.Failing != 1 || !slices.Equal(r.Controls, []string{"EC2.8"})):
			t.Errorf("3.0.0 item 5.6: %s, %d failing, controls %v; want NON_COMPLIANT by EC2.8", r.Status, r.Failing, r.Controls)
		case r.Item != "5.6" && (r.Status != NotAvailable || len(r.Evidence) != 0):
			t.Errorf("3.0.0 item %s: %s with %d observations, want NOT_AVAILABLE", r.Item, r.Status, len(r.Evidence))
		}
	}
	// The same finding does not count for a version it does not name.
	rows14, err := CIS(ctl, "1.4.0", p.Evidence)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows14 {
		if len(r.Evidence) != 0 {
			t.Errorf("1.4.0 item %s has evidence %v", r.Item, r.Evidence)
		}
	}
}

func TestRelatedCIS(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want []string
	}{
		{nil, nil},
		{[]string{"NIST.800-53.r5 AC-3", "PCI DSS v3.2.1/8.1.1"}, nil},
		{[]string{"CIS AWS Foundations Benchmark v3.0.0/1.15", " CIS AWS Foundations Benchmark v1.2.0/1.16", "CIS AWS Foundations Benchmark v3.0.0/1.15"}, []string{"1.2.0/1.16", "3.0.0/1.15"}},
		{[]string{"CIS AWS Foundations Benchmark v3.0.0", "CIS AWS Foundations Benchmark v/1.1"}, nil},
	} {
		if got := relatedCIS(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("relatedCIS(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
