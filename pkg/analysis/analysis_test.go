package analysis_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

func cat(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func load(t testing.TB, name string) *model.ThreatModel {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Decode(raw)
	if err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	if err := m.Validate(); err != nil {
		t.Fatalf("%s is not a valid model: %v", name, err)
	}
	return m
}

// testdataLookup resolves nested models by id from the reference models in
// testdata.
func testdataLookup(t testing.TB) analysis.NestedLookup {
	byID := map[string]*model.ThreatModel{}
	for _, name := range []string{"three-tier", "serverless", "platform"} {
		m := load(t, name)
		byID[m.ID] = m
	}
	return func(id string) (*model.ThreatModel, error) {
		if m := byID[id]; m != nil {
			return m, nil
		}
		return nil, errs.E(errs.NotFound, "model %s not found", id)
	}
}

func TestGolden(t *testing.T) {
	c := cat(t)
	for _, name := range []string{"three-tier", "serverless", "platform"} {
		t.Run(name, func(t *testing.T) {
			res := analysis.Analyze(c, load(t, name), testdataLookup(t))
			got, err := json.MarshalIndent(res, "", " ")
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./pkg/analysis -update)", err)
			}
			if diff := cmp.Diff(string(want), string(got)+"\n"); diff != "" {
				t.Errorf("analysis changed (-golden +got); run with -update if intended:\n%s", diff)
			}
		})
	}
}

func find[T any](items []T, id func(*T) string, want string) *T {
	for i := range items {
		if id(&items[i]) == want {
			return &items[i]
		}
	}
	return nil
}

func threat(r *analysis.Result, id string) *analysis.Threat {
	return find(r.Threats, func(t *analysis.Threat) string { return t.ID }, id)
}

func requirement(r *analysis.Result, id string) *analysis.Requirement {
	return find(r.Requirements, func(q *analysis.Requirement) string { return q.ID }, id)
}

func TestReferenceModels(t *testing.T) {
	c := cat(t)
	r := analysis.Analyze(c, load(t, "three-tier"), nil)

	// States and notes come back on the right items.
	if q := requirement(r, "aws.rds.encrypt-at-rest@db"); q == nil || q.Status != analysis.Implemented || q.Notes != "KMS key alias/orders" {
		t.Errorf("RDS encryption requirement = %+v", q)
	}
	if th := threat(r, "aws.ec2.admin-ports-exposed@web"); th == nil || th.Status != analysis.RiskAccepted || !strings.Contains(th.Notes, "VPN") {
		t.Errorf("admin ports threat = %+v", th)
	}
	// The data-at-rest threat on db has an empty stored state and its only
	// requirement on RDS is implemented: it is derived as mitigated.
	if th := threat(r, "aws.common.data-disclosure-at-rest@db"); th == nil || th.Status != analysis.Mitigated || !th.AutoStatus {
		t.Errorf("db data-at-rest threat = %+v", th)
	}
	// Unknown status: Open plus a warning.
	if q := requirement(r, "aws.s3.block-public-access@assets"); q == nil || q.Status != analysis.Open {
		t.Errorf("unknown status not mapped to Open: %+v", q)
	}
	if !slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.Contains(w, `unknown status "Done"`) }) {
		t.Errorf("no warning for the unknown status; warnings: %v", r.Warnings)
	}
	// HTTP between ALB and web: plaintext threats on the flow, listed under
	// its source.
	if th := threat(r, "flow.eavesdropping@f-alb-web"); th == nil || th.Component != "alb" || th.ElementKind != analysis.KindFlow || th.ElementType != "HTTP" {
		t.Errorf("eavesdropping on f-alb-web = %+v", th)
	}
	if threat(r, "flow.eavesdropping@f-web-logs") != nil {
		t.Error("HTTPS flow got a plaintext threat")
	}
	// Browser → CDN crosses the boundary (external source).
	if threat(r, "flow.spoofed-caller@f-users-cdn") == nil {
		t.Error("flow from an external type does not cross a boundary")
	}
	// web → db: same boundary, into a data store: injection but no spoofing.
	if threat(r, "flow.injection@f-web-db") == nil || threat(r, "flow.spoofed-caller@f-web-db") != nil {
		t.Error("web → db flow threats wrong")
	}
	// Requirements restricted with "for" follow the flow's target type.
	if requirement(r, "aws.s3.require-tls@f-alb-web") != nil {
		t.Error("S3 requirement applied to a flow into EC2")
	}

	s := analysis.Analyze(c, load(t, "serverless"), nil)
	if !slices.ContainsFunc(s.Warnings, func(w string) bool { return strings.Contains(w, `"acme.widget"`) }) {
		t.Errorf("no warning for the unknown type: %v", s.Warnings)
	}
	// public-invoke is mitigated only by no-public-access, which is
	// implemented: derived Mitigated.
	if th := threat(s, "aws.lambda.public-invoke@fn"); th == nil || th.Status != analysis.Mitigated || !th.AutoStatus {
		t.Errorf("public-invoke = %+v, want auto-mitigated", th)
	}
	// event-injection: its only requirement is Not Applicable: no
	// implemented requirement, so not derived.
	if th := threat(s, "aws.lambda.event-injection@fn"); th == nil || th.Status != analysis.Open {
		t.Errorf("event-injection = %+v, want open", th)
	}
	// A flow marked encrypted=false over HTTP from an external service.
	for _, id := range []string{"flow.eavesdropping@f-pay-hook", "flow.spoofed-caller@f-pay-hook", "flow.boundary-flooding@f-pay-hook"} {
		if threat(s, id) == nil {
			t.Errorf("%s missing", id)
		}
	}
	// Cross-links between threats and requirements are consistent.
	for _, res := range []*analysis.Result{r, s} {
		for _, th := range res.Threats {
			for _, qid := range th.Requirements {
				q := requirement(res, qid)
				if q == nil || !slices.Contains(q.Threats, th.ID) {
					t.Errorf("%s lists %s, which does not list it back", th.ID, qid)
				}
			}
			if th.Imported == nil && len(th.Requirements) == 0 {
				t.Errorf("%s has no requirement", th.ID)
			}
		}
	}
}

func TestNested(t *testing.T) {
	c := cat(t)
	r := analysis.Analyze(c, load(t, "platform"), testdataLookup(t))
	inner := analysis.Analyze(c, load(t, "serverless"), nil)
	imported := 0
	for _, th := range r.Threats {
		if th.Imported == nil {
			continue
		}
		imported++
		if th.Component != "orders" || th.Imported.Model != "orders-api" || th.Imported.ModelName != "Serverless orders API" {
			t.Errorf("imported threat %s has origin %+v", th.ID, th.Imported)
		}
		orig := threat(inner, th.Imported.Item)
		if orig == nil || th.ID != orig.ID+"@orders" {
			t.Errorf("imported %s does not match a nested threat", th.ID)
			continue
		}
		if th.ID != "aws.lambda.public-invoke@fn@orders" && th.Status != orig.Status {
			t.Errorf("%s: status %s, want the nested model's %s", th.ID, th.Status, orig.Status)
		}
	}
	if imported != len(inner.Threats) {
		t.Errorf("imported %d threats, nested model has %d", imported, len(inner.Threats))
	}
	if th := threat(r, "aws.lambda.public-invoke@fn@orders"); th == nil || th.Status != analysis.RiskAccepted || th.Notes != "Platform team accepts" {
		t.Errorf("parent state did not override the imported threat: %+v", th)
	}
	if slices.ContainsFunc(r.Threats, func(th analysis.Threat) bool { return th.Imported != nil && th.Imported.Model == "shop" }) {
		t.Error("threats imported from a model with importThreats false")
	}
	if !slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.Contains(w, `"gone"`) }) {
		t.Errorf("no warning for the missing nested model: %v", r.Warnings)
	}
}

func TestNestedCycle(t *testing.T) {
	c := cat(t)
	mk := func(id, nests string) *model.ThreatModel {
		return &model.ThreatModel{ID: id, Name: id, Diagram: model.Diagram{Components: []model.Component{
			{ID: "s3-" + id, Type: "aws.s3"},
			{ID: "nest-" + id, Type: "generic.web-server", NestedModel: &model.NestedRef{ModelID: nests, ImportThreats: true}},
		}}}
	}
	models := map[string]*model.ThreatModel{"a": mk("a", "b"), "b": mk("b", "c"), "c": mk("c", "a")}
	calls := 0
	lookup := func(id string) (*model.ThreatModel, error) {
		calls++
		return models[id], nil
	}
	r := analysis.Analyze(c, models["a"], lookup)
	if !slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.Contains(w, "cycle") }) {
		t.Errorf("no cycle warning: %v", r.Warnings)
	}
	// a imports b's threats, which include c's (transitively), but not a's own again.
	want := []string{"aws.s3.public-access@s3-b@nest-a", "aws.s3.public-access@s3-c@nest-b@nest-a"}
	for _, id := range want {
		if threat(r, id) == nil {
			t.Errorf("missing %s", id)
		}
	}
	if threat(r, "aws.s3.public-access@s3-a@nest-c@nest-b@nest-a") != nil {
		t.Error("cycle was followed")
	}
	if calls != 2 {
		t.Errorf("lookup called %d times, want 2", calls)
	}
}

// TestRuleFamilies checks one representative of each way a rule applies.
func TestRuleFamilies(t *testing.T) {
	c := cat(t)
	props := func(kv ...string) model.Properties {
		p := model.Properties{}
		for i := 0; i < len(kv); i += 2 {
			p[kv[i]] = json.RawMessage(kv[i+1])
		}
		return p
	}
	tests := []struct {
		name    string
		diagram model.Diagram
		present []string
		absent  []string
	}{
		{"component: unconditional and cross-cutting threats",
			model.Diagram{Components: []model.Component{{ID: "i", Type: "aws.ec2"}}},
			[]string{"aws.ec2.unpatched@i", "aws.common.excessive-permissions@i", "aws.ec2.restrict-admin-access@i", "aws.common.cloudtrail@i"},
			[]string{"aws.ec2.directly-reachable@i"}},
		{"component: property condition holds",
			model.Diagram{Components: []model.Component{{ID: "i", Type: "aws.ec2", Properties: props("publicIp", "true")}}},
			[]string{"aws.ec2.directly-reachable@i", "aws.ec2.private-subnet@i"}, nil},
		{"component: default makes condition hold (imdsv2Required defaults to false)",
			model.Diagram{Components: []model.Component{{ID: "i", Type: "aws.ec2"}}},
			[]string{"aws.ec2.metadata-credential-theft@i", "aws.ec2.require-imdsv2@i"}, nil},
		{"component: condition fails, requirement that only mitigates it disappears",
			model.Diagram{Components: []model.Component{{ID: "i", Type: "aws.ec2", Properties: props("imdsv2Required", "true")}}},
			nil, []string{"aws.ec2.metadata-credential-theft@i", "aws.ec2.require-imdsv2@i"}},
		{"component: list contains condition",
			model.Diagram{Components: []model.Component{{ID: "d", Type: "generic.database", Properties: props("dataElements", `["PII"]`)}}},
			[]string{"generic.datastore.sensitive-unencrypted@d"}, nil},
		{"requirement for another type does not apply",
			model.Diagram{Components: []model.Component{{ID: "b", Type: "aws.s3"}}},
			[]string{"aws.s3.encrypt-at-rest@b"}, []string{"aws.ec2.encrypt-at-rest@b", "aws.rds.encrypt-at-rest@b"}},
		{"container: evaluated like a component",
			model.Diagram{Groups: []model.Group{{ID: "v", Kind: model.KindContainer, Type: "aws.vpc"}}},
			[]string{"aws.vpc.unmonitored-traffic@v", "aws.vpc.flow-logs@v"}, nil},
		{"plain groups and boundaries have no items",
			model.Diagram{Groups: []model.Group{{ID: "g", Kind: model.KindGroup}, {ID: "b", Kind: model.KindBoundary}}},
			nil, []string{"aws.common.unlogged-activity@g", "aws.common.unlogged-activity@b"}},
		{"flow: plaintext protocol",
			twoNodes("aws.ec2", "aws.rds", "", "", model.Flow{ID: "f", Source: "x", Target: "y", Protocol: "MySQL"}),
			[]string{"flow.eavesdropping@f", "flow.tampering-in-transit@f", "generic.encrypt-in-transit@f", "flow.injection@f"},
			[]string{"flow.spoofed-caller@f"}},
		{"flow: encrypted protocol",
			twoNodes("aws.ec2", "aws.rds", "", "", model.Flow{ID: "f", Source: "x", Target: "y", Protocol: "mysql-tls"}),
			[]string{"flow.injection@f"}, []string{"flow.eavesdropping@f"}},
		{"flow: property overrides the protocol",
			twoNodes("aws.ec2", "aws.rds", "", "", model.Flow{ID: "f", Source: "x", Target: "y", Protocol: "PostgreSQL", Properties: props("encrypted", "true")}),
			nil, []string{"flow.eavesdropping@f"}},
		{"flow: unknown protocol counts as plaintext",
			twoNodes("aws.ec2", "aws.ec2", "", "", model.Flow{ID: "f", Source: "x", Target: "y", Protocol: "gopher"}),
			[]string{"flow.eavesdropping@f"}, nil},
		{"flow: crossing from one boundary into another",
			twoNodes("aws.ec2", "aws.ec2", "b1", "b2", model.Flow{ID: "f", Source: "x", Target: "y", Protocol: "SSH"}),
			[]string{"flow.spoofed-caller@f", "flow.admin-protocol-exposure@f", "generic.restrict-admin-protocols@f"}, nil},
		{"flow: same boundary, admin protocol",
			twoNodes("aws.ec2", "aws.ec2", "b1", "b1", model.Flow{ID: "f", Source: "x", Target: "y", Protocol: "SSH"}),
			nil, []string{"flow.spoofed-caller@f", "flow.admin-protocol-exposure@f"}},
		{"flow: DNS by protocol",
			twoNodes("aws.ec2", "aws.route53", "", "", model.Flow{ID: "f", Source: "x", Target: "y", Protocol: "dns"}),
			[]string{"flow.dns-spoofing@f", "aws.route53.protect-zone@f"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.diagram.Normalize()
			r := analysis.Analyze(c, &model.ThreatModel{ID: "m", Diagram: tt.diagram}, nil)
			ids := map[string]bool{}
			for _, th := range r.Threats {
				ids[th.ID] = true
			}
			for _, q := range r.Requirements {
				ids[q.ID] = true
			}
			for _, id := range tt.present {
				if !ids[id] {
					t.Errorf("missing %s", id)
				}
			}
			for _, id := range tt.absent {
				if ids[id] {
					t.Errorf("unexpected %s", id)
				}
			}
		})
	}
}

// twoNodes builds components x and y (in boundaries bx and by when set)
// joined by f.
func twoNodes(tx, ty, bx, by string, f model.Flow) model.Diagram {
	d := model.Diagram{Components: []model.Component{{ID: "x", Type: tx, Parent: bx}, {ID: "y", Type: ty, Parent: by}}, Flows: []model.Flow{f}}
	for _, b := range []string{bx, by} {
		if b != "" && !slices.ContainsFunc(d.Groups, func(g model.Group) bool { return g.ID == b }) {
			d.Groups = append(d.Groups, model.Group{ID: b, Kind: model.KindBoundary, Name: b})
		}
	}
	return d
}

func TestStatuses(t *testing.T) {
	c := cat(t)
	d := model.Diagram{Components: []model.Component{{ID: "fn", Type: "aws.lambda"}}}
	d.Normalize()
	tests := []struct {
		name, item, stored, want string
		auto                     bool
	}{
		{"default open", "aws.lambda.public-invoke@fn", "", analysis.Open, false},
		{"threat in progress", "aws.lambda.public-invoke@fn", "In Progress", analysis.InProgress, false},
		{"Implemented on a threat means Mitigated", "aws.lambda.public-invoke@fn", "Implemented", analysis.Mitigated, false},
		{"Mitigated on a requirement means Implemented", "aws.lambda.no-public-access@fn", "Mitigated", analysis.Implemented, false},
		{"requirement risk accepted", "aws.lambda.no-public-access@fn", "Risk Accepted", analysis.RiskAccepted, false},
		{"unknown is open", "aws.lambda.no-public-access@fn", "Finished", analysis.Open, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &model.ThreatModel{ID: "m", Diagram: d, States: map[string]model.ItemState{tt.item: {Status: tt.stored, Notes: "n"}}}
			r := analysis.Analyze(c, m, nil)
			var status, notes string
			if th := threat(r, tt.item); th != nil {
				status, notes = th.Status, th.Notes
			} else if q := requirement(r, tt.item); q != nil {
				status, notes = q.Status, q.Notes
			} else {
				t.Fatalf("%s not found", tt.item)
			}
			if status != tt.want || notes != "n" {
				t.Errorf("status %q notes %q, want %q and n", status, notes, tt.want)
			}
		})
	}
	// An explicit threat status wins over the derived one.
	m := &model.ThreatModel{ID: "m", Diagram: d, States: map[string]model.ItemState{
		"aws.lambda.no-public-access@fn": {Status: analysis.Implemented},
		"aws.lambda.public-invoke@fn":    {Status: analysis.InProgress},
	}}
	if th := threat(analysis.Analyze(c, m, nil), "aws.lambda.public-invoke@fn"); th.Status != analysis.InProgress || th.AutoStatus {
		t.Errorf("explicit status overridden: %+v", th)
	}
}

func TestRollup(t *testing.T) {
	c := cat(t)
	r := analysis.Analyze(c, load(t, "three-tier"), nil)
	ru := r.Rollup
	if ru.Threats.Total != len(r.Threats) || ru.Requirements.Total != len(r.Requirements) {
		t.Fatalf("totals %d/%d, want %d/%d", ru.Threats.Total, ru.Requirements.Total, len(r.Threats), len(r.Requirements))
	}
	sum, open := 0, 0
	for sev, row := range ru.Threats.Matrix {
		n := 0
		for _, v := range row {
			n += v
		}
		if n != ru.Threats.BySeverity[sev] {
			t.Errorf("matrix row %s sums to %d, BySeverity says %d", sev, n, ru.Threats.BySeverity[sev])
		}
		sum += n
	}
	for _, th := range r.Threats {
		if th.Status == analysis.Open || th.Status == analysis.InProgress {
			open += th.Likelihood * th.Impact
		}
	}
	if sum != ru.Threats.Total || open != ru.OpenRisk || ru.OpenRisk > ru.TotalRisk {
		t.Errorf("matrix sum %d, open risk %d (want %d), total risk %d", sum, ru.OpenRisk, open, ru.TotalRisk)
	}
	if ru.Threats.ByStatus[analysis.RiskAccepted] != 1 || ru.Requirements.ByStatus[analysis.Implemented] != 1 || ru.Requirements.ByStatus[analysis.InProgress] != 1 {
		t.Errorf("status counts: threats %v, requirements %v", ru.Threats.ByStatus, ru.Requirements.ByStatus)
	}
}

func TestFilterAndGroup(t *testing.T) {
	c := cat(t)
	r := analysis.Analyze(c, load(t, "three-tier"), nil)
	tests := []struct {
		name string
		f    analysis.Filter
		ok   func(q analysis.Requirement) bool
	}{
		{"by component", analysis.Filter{Component: "db"}, func(q analysis.Requirement) bool { return q.Component == "db" }},
		{"by epic", analysis.Filter{Epics: []string{"Resilience"}}, func(q analysis.Requirement) bool { return q.Epic == "Resilience" }},
		{"by status", analysis.Filter{Statuses: []string{analysis.InProgress}}, func(q analysis.Requirement) bool { return q.Status == analysis.InProgress }},
		{"by severity and epic", analysis.Filter{Severities: []string{"Critical"}, Epics: []string{"Infrastructure Security"}},
			func(q analysis.Requirement) bool {
				return q.Severity == "Critical" && q.Epic == "Infrastructure Security"
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.FilterRequirements(tt.f)
			want := 0
			for _, q := range r.Requirements {
				if tt.ok(q) {
					want++
				}
			}
			if len(got) != want || want == 0 {
				t.Errorf("got %d requirements, want %d (> 0)", len(got), want)
			}
			for _, q := range got {
				if !tt.ok(q) {
					t.Errorf("%s does not match", q.ID)
				}
			}
		})
	}
	if got := r.FilterThreats(analysis.Filter{STRIDE: []string{"Repudiation"}, Component: "web"}); len(got) == 0 ||
		slices.ContainsFunc(got, func(th analysis.Threat) bool { return th.STRIDE != "Repudiation" || th.Component != "web" }) {
		t.Errorf("STRIDE+component threat filter wrong: %d items", len(got))
	}
	if got := r.FilterRequirements(analysis.Filter{STRIDE: []string{"Repudiation"}}); len(got) == 0 {
		t.Error("no requirement mitigates a repudiation threat")
	}

	groups := analysis.GroupBy(r.Requirements, analysis.RequirementEpic, catalog.Epics)
	var keys []string
	n := 0
	for _, g := range groups {
		keys = append(keys, g.Key)
		n += len(g.Items)
	}
	if !slices.Equal(keys, catalog.Epics) || n != len(r.Requirements) {
		t.Errorf("epic groups %v with %d items, want %v with %d", keys, n, catalog.Epics, len(r.Requirements))
	}
	byComp := analysis.GroupBy(r.Threats, analysis.ThreatComponent, nil)
	if byComp[0].Key != r.Threats[0].Component {
		t.Errorf("first group %s, want first appearance %s", byComp[0].Key, r.Threats[0].Component)
	}
	bySev := analysis.GroupBy(r.Threats, analysis.ThreatSeverity, catalog.Severities)
	for i := 1; i < len(bySev); i++ {
		if slices.Index(catalog.Severities, bySev[i-1].Key) > slices.Index(catalog.Severities, bySev[i].Key) {
			t.Errorf("severity groups out of order: %s before %s", bySev[i-1].Key, bySev[i].Key)
		}
	}
	_ = analysis.GroupBy(r.Threats, analysis.ThreatStatus, analysis.ThreatStatuses)
	_ = analysis.GroupBy(r.Requirements, analysis.RequirementStatus, analysis.RequirementStatuses)
}

func TestPureAndDeterministic(t *testing.T) {
	c := cat(t)
	m := load(t, "three-tier")
	before, _ := json.Marshal(m)
	a, b := analysis.Analyze(c, m, nil), analysis.Analyze(c, m, nil)
	after, _ := json.Marshal(m)
	if string(before) != string(after) {
		t.Error("Analyze changed the model")
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two runs differ:\n%s", diff)
	}
	seen := map[string]bool{}
	for _, th := range a.Threats {
		if seen[th.ID] {
			t.Errorf("duplicate id %s", th.ID)
		}
		seen[th.ID] = true
	}
	for _, q := range a.Requirements {
		if seen[q.ID] {
			t.Errorf("duplicate id %s", q.ID)
		}
		seen[q.ID] = true
	}
}

func ExampleAnalyze() {
	c, err := catalog.Default()
	if err != nil {
		panic(err)
	}
	m := &model.ThreatModel{ID: "demo", Diagram: model.Diagram{
		Components: []model.Component{{ID: "bucket", Type: "aws.s3", Name: "Uploads",
			Properties: model.Properties{"publiclyAccessible": json.RawMessage("true")}}},
	}, States: map[string]model.ItemState{"aws.s3.block-public-access@bucket": {Status: analysis.InProgress}}}
	r := analysis.Analyze(c, m, nil)
	q := r.FilterRequirements(analysis.Filter{Statuses: []string{analysis.InProgress}})
	fmt.Println(q[0].ID, q[0].Severity, q[0].Evidence.SecurityHub)
	// Output: aws.s3.block-public-access@bucket Critical [S3.1 S3.2 S3.3 S3.8 S3.12]
}
