package compliance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

// BenchmarkIngest100k ingests 100,000 Security Hub findings (2,000 EC2
// instances × 50 controls, in two GetFindings answers of 50,000, the most
// one Parse takes) into a 2,000-resource model: parse, store on bolt, read
// back and compute the model's compliance view. Goal: under 5 s.
func BenchmarkIngest100k(b *testing.B) {
	const resources, controlsPer = 2000, 50
	cat, err := catalog.Default()
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for id := range cat.Controls.SecurityHub {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	ids = ids[:controlsPer]
	m := &model.ThreatModel{SchemaVersion: model.SchemaVersion, ID: "bench", Name: "bench", ProjectType: "application",
		Priority: "High", Facing: "public"}
	type finding map[string]any
	var files [][]byte
	var batch []finding
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for r := range resources {
		arn := fmt.Sprintf("arn:aws:ec2:us-east-1:111111111111:instance/i-%017x", r)
		m.Diagram.Components = append(m.Diagram.Components, model.Component{ID: fmt.Sprintf("c%d", r), Type: "aws.ec2", Name: fmt.Sprintf("instance %d", r),
			Position: model.Point{X: float64(r%50) * 200, Y: float64(r/50) * 150},
			Resource: &model.AWSResource{ARN: arn, ResourceType: "AWS::EC2::Instance", ResourceID: fmt.Sprintf("i-%017x", r), AccountID: "111111111111", Region: "us-east-1"}})
		for i, id := range ids {
			status := "PASSED"
			if (r+i)%7 == 0 {
				status = "FAILED"
			}
			batch = append(batch, finding{"SchemaVersion": "2018-10-08", "Id": fmt.Sprintf("arn:aws:securityhub:us-east-1:111111111111:security-control/%s/finding/%d-%d", id, r, i),
				"ProductArn": "arn:aws:securityhub:us-east-1::product/aws/securityhub", "GeneratorId": "security-control/" + id,
				"AwsAccountId": "111111111111", "Region": "us-east-1", "Title": id, "Description": id,
				"CreatedAt": at, "UpdatedAt": at, "Severity": map[string]string{"Label": "MEDIUM"},
				"Types":       []string{"Software and Configuration Checks/Industry and Regulatory Standards"},
				"Resources":   []map[string]string{{"Type": "AwsEc2Instance", "Id": arn, "Region": "us-east-1"}},
				"Compliance":  map[string]string{"Status": status, "SecurityControlId": id},
				"RecordState": "ACTIVE", "Workflow": map[string]string{"Status": "NEW"}})
			if len(batch) == compliance.MaxEvidence {
				data, err := json.Marshal(map[string]any{"Findings": batch})
				if err != nil {
					b.Fatal(err)
				}
				files, batch = append(files, data), nil
			}
		}
	}
	if err := m.Validate(); err != nil {
		b.Fatal(err)
	}
	res := analysis.Analyze(cat, m, nil)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := bolt.Open(filepath.Join(b.TempDir(), fmt.Sprintf("ingest%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		repo := compliance.Repo{Store: st}
		stored := 0
		for _, data := range files {
			p, err := compliance.Parse(data, compliance.Options{Controls: cat.Controls})
			if err != nil {
				b.Fatal(err)
			}
			t, err := repo.PutAll(ctx, "bench", p.Evidence)
			if err != nil {
				b.Fatal(err)
			}
			stored += t.Created
		}
		evs, err := repo.ForAccounts(ctx, "bench", compliance.Accounts(m))
		if err != nil {
			b.Fatal(err)
		}
		v := compliance.BuildView(m, res, evs, cat.Controls)
		if stored != resources*controlsPer || len(evs) != stored || len(v.Items) == 0 {
			b.Fatalf("stored %d, read %d, %d items", stored, len(evs), len(v.Items))
		}
		st.Close()
	}
}
