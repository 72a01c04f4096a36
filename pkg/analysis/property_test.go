package analysis_test

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// genModel builds a model with about n components: per unit a VPC › subnet
// › security group holding an EC2 instance and an RDS instance, plus an ALB,
// an S3 bucket, a Lambda function and a browser outside a boundary, with
// flows between them.
func genModel(n int) *model.ThreatModel {
	m := &model.ThreatModel{ID: fmt.Sprintf("gen-%d", n), Name: "generated", States: map[string]model.ItemState{}}
	d := &m.Diagram
	d.Groups = append(d.Groups, model.Group{ID: "acct", Kind: model.KindBoundary, Name: "account"})
	for i := 0; len(d.Components) < n; i++ {
		v, s, g := fmt.Sprintf("vpc%d", i), fmt.Sprintf("sn%d", i), fmt.Sprintf("sg%d", i)
		d.Groups = append(d.Groups,
			model.Group{ID: v, Kind: model.KindContainer, Type: "aws.vpc", Parent: "acct"},
			model.Group{ID: s, Kind: model.KindContainer, Type: "aws.subnet", Parent: v},
			model.Group{ID: g, Kind: model.KindContainer, Type: "aws.security-group", Parent: s})
		id := func(p string) string { return fmt.Sprintf("%s%d", p, i) }
		d.Components = append(d.Components,
			model.Component{ID: id("user"), Type: "generic.browser"},
			model.Component{ID: id("lb"), Type: "aws.alb", Parent: v},
			model.Component{ID: id("web"), Type: "aws.ec2", Parent: g, Properties: model.Properties{"internetFacing": json.RawMessage("true")}},
			model.Component{ID: id("db"), Type: "aws.rds", Parent: g, Properties: model.Properties{"dataElements": json.RawMessage(`["PII"]`)}},
			model.Component{ID: id("bucket"), Type: "aws.s3", Parent: "acct"},
			model.Component{ID: id("fn"), Type: "aws.lambda", Parent: "acct"})
		d.Flows = append(d.Flows,
			model.Flow{ID: id("f-user-lb"), Source: id("user"), Target: id("lb"), Protocol: "HTTPS"},
			model.Flow{ID: id("f-lb-web"), Source: id("lb"), Target: id("web"), Protocol: "HTTP"},
			model.Flow{ID: id("f-web-db"), Source: id("web"), Target: id("db"), Protocol: "PostgreSQL"},
			model.Flow{ID: id("f-web-bucket"), Source: id("web"), Target: id("bucket"), Protocol: "HTTPS"},
			model.Flow{ID: id("f-fn-bucket"), Source: id("fn"), Target: id("bucket"), Protocol: "HTTPS"})
	}
	m.Normalize()
	return m
}

// itemsByElement maps each element id to the sorted ids of its items.
func itemsByElement(r *analysis.Result) map[string][]string {
	out := map[string][]string{}
	for _, th := range r.Threats {
		out[th.Element] = append(out[th.Element], th.ID)
	}
	for _, q := range r.Requirements {
		out[q.Element] = append(out[q.Element], q.ID)
	}
	for _, ids := range out {
		slices.Sort(ids)
	}
	return out
}

var componentTypes = []string{"aws.ec2", "aws.s3", "aws.rds", "aws.lambda", "aws.dynamodb", "aws.sqs", "generic.browser", "generic.database", "aws.alb"}
var protocols = []string{"HTTPS", "HTTP", "PostgreSQL", "SSH", "DNS", "gopher", "MySQL-TLS"}

// TestStatesSurviveEdits makes random edits with fixed seeds and checks
// after each that (1) every recorded decision shows on its item whenever
// the item exists, (2) elements the edit did not touch keep exactly the
// same item ids, and (3) an element removed and added back gets its
// decisions back.
func TestStatesSurviveEdits(t *testing.T) {
	c := cat(t)
	for seed := int64(1); seed <= 5; seed++ {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewSource(seed))
			m := genModel(60)
			prev := analysis.Analyze(c, m, nil)
			var removed []model.Component
			next := 0
			for step := 0; step < 60; step++ {
				touched := edit(rng, m, &removed, &next)
				res := analysis.Analyze(c, m, nil)

				before, after := itemsByElement(prev), itemsByElement(res)
				for el, ids := range before {
					if touched[el] {
						continue
					}
					if got, ok := after[el]; ok && !slices.Equal(got, ids) {
						t.Fatalf("step %d: untouched element %s changed items:\nbefore %v\nafter  %v", step, el, ids, got)
					}
				}
				check := func(id, status, notes string, threat bool) {
					st, ok := m.States[id]
					if !ok {
						return
					}
					want := st.Status
					if threat && want == analysis.Implemented {
						want = analysis.Mitigated
					}
					if status != want || notes != st.Notes {
						t.Fatalf("step %d: %s shows %q/%q, stored %q/%q", step, id, status, notes, st.Status, st.Notes)
					}
				}
				for _, th := range res.Threats {
					check(th.ID, th.Status, th.Notes, true)
				}
				for _, q := range res.Requirements {
					check(q.ID, q.Status, q.Notes, false)
				}
				// Record a few new decisions.
				for k := 0; k < 3; k++ {
					if rng.Intn(2) == 0 && len(res.Threats) > 0 {
						th := res.Threats[rng.Intn(len(res.Threats))]
						m.States[th.ID] = model.ItemState{Status: analysis.ThreatStatuses[rng.Intn(len(analysis.ThreatStatuses))], Notes: fmt.Sprintf("note %d/%d", step, k)}
					} else if len(res.Requirements) > 0 {
						q := res.Requirements[rng.Intn(len(res.Requirements))]
						m.States[q.ID] = model.ItemState{Status: analysis.RequirementStatuses[rng.Intn(len(analysis.RequirementStatuses))], Notes: fmt.Sprintf("req %d/%d", step, k)}
					}
				}
				prev = analysis.Analyze(c, m, nil)
			}
		})
	}
}

// edit applies one random change to m and returns the ids of the elements
// whose items may change.
func edit(rng *rand.Rand, m *model.ThreatModel, removed *[]model.Component, next *int) map[string]bool {
	d := &m.Diagram
	touched := map[string]bool{}
	flowsOf := func(id string) {
		for _, f := range d.Flows {
			if f.Source == id || f.Target == id {
				touched[f.ID] = true
			}
		}
	}
	switch op := rng.Intn(6); {
	case op == 0: // add a component
		*next++
		c := model.Component{ID: fmt.Sprintf("new%d", *next), Type: componentTypes[rng.Intn(len(componentTypes))]}
		d.Components = append(d.Components, c)
		touched[c.ID] = true
	case op == 1 && len(d.Components) > 1: // remove a component and its flows
		i := rng.Intn(len(d.Components))
		c := d.Components[i]
		touched[c.ID] = true
		flowsOf(c.ID)
		*removed = append(*removed, c)
		d.Components = slices.Delete(d.Components, i, i+1)
		d.Flows = slices.DeleteFunc(d.Flows, func(f model.Flow) bool { return f.Source == c.ID || f.Target == c.ID })
	case op == 2 && len(*removed) > 0: // add a removed component back
		c := (*removed)[len(*removed)-1]
		*removed = (*removed)[:len(*removed)-1]
		d.Components = append(d.Components, c)
		touched[c.ID] = true
	case op == 3 && len(d.Components) > 0: // toggle a property
		i := rng.Intn(len(d.Components))
		c := &d.Components[i]
		props := model.Properties{}
		for k, v := range c.Properties {
			props[k] = v
		}
		for _, k := range []string{"publicIp", "encrypted", "publiclyAccessible", "multiAZ", "imdsv2Required"} {
			if rng.Intn(2) == 0 {
				props[k] = json.RawMessage(fmt.Sprint(rng.Intn(2) == 0))
			}
		}
		c.Properties = props
		touched[c.ID] = true
		flowsOf(c.ID) // flow rules may read their ends' types, never properties, but be safe
	case op == 4 && len(d.Components) > 1: // add a flow
		*next++
		a, b := d.Components[rng.Intn(len(d.Components))], d.Components[rng.Intn(len(d.Components))]
		f := model.Flow{ID: fmt.Sprintf("nf%d", *next), Source: a.ID, Target: b.ID, Protocol: protocols[rng.Intn(len(protocols))]}
		d.Flows = append(d.Flows, f)
		touched[f.ID] = true
	case op == 5 && len(d.Flows) > 0: // change a flow's protocol
		i := rng.Intn(len(d.Flows))
		d.Flows[i].Protocol = protocols[rng.Intn(len(protocols))]
		touched[d.Flows[i].ID] = true
	}
	return touched
}

func TestRemovedElementGetsDecisionsBack(t *testing.T) {
	c := cat(t)
	m := genModel(6)
	m.States["aws.rds.multi-az@db0"] = model.ItemState{Status: analysis.RiskAccepted, Notes: "single AZ in dev"}
	db := m.Diagram.Components[3]
	m.Diagram.Components = slices.Delete(m.Diagram.Components, 3, 4)
	if requirement(analysis.Analyze(c, m, nil), "aws.rds.multi-az@db0") != nil {
		t.Fatal("removed element still has items")
	}
	m.Diagram.Components = append(m.Diagram.Components, db)
	q := requirement(analysis.Analyze(c, m, nil), "aws.rds.multi-az@db0")
	if q == nil || q.Status != analysis.RiskAccepted || q.Notes != "single AZ in dev" {
		t.Errorf("decision not restored: %+v", q)
	}
}

func BenchmarkAnalyze(b *testing.B) {
	c := cat(b)
	for _, n := range []int{1000, 5000, 20000} {
		m := genModel(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				analysis.Analyze(c, m, nil)
			}
			// CPU time (all threads, including GC) per op: meaningful even
			// when the machine is shared and wall time is inflated.
			b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the process's user plus system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
