package inventory

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

// dirFetcher serves oversized items from testdata/fetched/<resourceId>.json.
type dirFetcher struct {
	dir  string
	refs []OversizedItem
}

func (f *dirFetcher) FetchItem(_ context.Context, ref OversizedItem) ([]byte, error) {
	f.refs = append(f.refs, ref)
	return os.ReadFile(filepath.Join(f.dir, ref.ID+".json"))
}

func TestParseFormats(t *testing.T) {
	tests := []struct {
		file           string
		format         string
		items, deleted int
		skipped        []string // substrings, in order
		err            string
	}{
		{file: "snapshot.json", format: FormatSnapshot, items: 5},
		{file: "history.json", format: FormatHistory, items: 3, deleted: 1},
		{file: "select.json", format: FormatSelect, items: 2, skipped: []string{"select.json:5:5: result is a string that does not hold a JSON object"}},
		{file: "batch-get.json", format: FormatBatchGet, items: 1},
		{file: "history-api.json", format: FormatHistoryAPI, items: 1},
		{file: "notification.json", format: FormatChange, items: 1},
		{file: "sns-notification.json", format: "SNS " + FormatChange, items: 1},
		{file: "eventbridge.json", format: "EventBridge " + FormatChange, items: 1},
		{file: "oversized.json", format: FormatOversized, items: 1},
		{file: "deleted.json", format: FormatChange, items: 1, deleted: 1},
		{file: "snapshot-delivered.json", format: "ConfigurationSnapshotDeliveryCompleted", skipped: []string{`snapshot-delivered.json:1:1: message of type "ConfigurationSnapshotDeliveryCompleted" carries no configuration item`}},
		{file: "bad-items.json", format: FormatHistory, items: 1, skipped: []string{
			"bad-items.json:4:5: configuration item: resourceId is missing",
			"bad-items.json:5:5: configuration item: resourceType must not be JSON number",
			"bad-items.json:6:5: configuration item: configuration: is a string that does not hold JSON",
		}},
		{file: "malformed.json", err: "malformed.json:5:37: malformed JSON: invalid character '\"' after object key:value pair"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/config", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			r := NewReader(&dirFetcher{dir: "testdata/fetched"})
			res := r.Parse(context.Background(), tt.file, data)
			if tt.err != "" {
				if res.Err == nil || !strings.Contains(res.Err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", res.Err, tt.err)
				}
				if !errs.Is(res.Err, errs.Malformed) {
					t.Errorf("err kind = %v, want malformed", errs.KindOf(res.Err))
				}
				return
			}
			if res.Err != nil {
				t.Fatalf("err = %v", res.Err)
			}
			if res.Format != tt.format || res.Items != tt.items || res.Deleted != tt.deleted {
				t.Errorf("format %q items %d deleted %d, want %q %d %d", res.Format, res.Items, res.Deleted, tt.format, tt.items, tt.deleted)
			}
			if len(res.Skipped) != len(tt.skipped) {
				t.Fatalf("skipped = %v, want %d", res.Skipped, len(tt.skipped))
			}
			for i, s := range tt.skipped {
				if !strings.Contains(res.Skipped[i].String(), s) {
					t.Errorf("skipped[%d] = %q, want it to contain %q", i, res.Skipped[i], s)
				}
			}
		})
	}
}

// TestDialects checks that the two field dialects and both configuration
// encodings give the same normalized fields.
func TestDialects(t *testing.T) {
	r := NewReader(&dirFetcher{dir: "testdata/fetched"})
	if err := r.ReadPaths(context.Background(), "testdata/config"); err == nil {
		t.Fatal("want the malformed file's error")
	}
	inv := r.Inventory
	tests := []struct {
		name  string
		key   Key
		check func(*Resource) string
	}{
		{"snapshot dialect", Key{"111111111111", "us-east-1", "AWS::EC2::Instance", "i-0a1b2c3d4e5f60001"}, func(r *Resource) string {
			if r.ARN != "arn:aws:ec2:us-east-1:111111111111:instance/i-0a1b2c3d4e5f60001" || r.AvailabilityZone != "us-east-1a" || r.Tags["Name"] != "web-1" {
				return "ARN, zone or tags not read"
			}
			return ""
		}},
		{"configuration as a string in a snapshot", Key{"111111111111", "us-east-1", "AWS::IAM::Role", "AROAEXAMPLE000000001"}, func(r *Resource) string {
			if !bytes.HasPrefix(r.Configuration, []byte("{")) {
				return "configuration " + string(r.Configuration)
			}
			return ""
		}},
		{"relationship with only a name is resolved", Key{"111111111111", "us-east-1", "AWS::EC2::Instance", "i-0a1b2c3d4e5f60001"}, func(r *Resource) string {
			for _, rel := range r.Relationships {
				if rel.Type == "AWS::IAM::Role" {
					if rel.ID != "AROAEXAMPLE000000001" || rel.Relation != "Is associated with Role" {
						return "relationship " + rel.ID
					}
					return ""
				}
			}
			return "no role relationship"
		}},
		{"API dialect with string configuration", Key{"111111111111", "us-east-1", "AWS::EC2::SecurityGroup", "sg-0a1b2c3d4e5f60002"}, func(r *Resource) string {
			var c struct{ GroupName string }
			if json.Unmarshal(r.Configuration, &c) != nil || c.GroupName != "db" {
				return "configuration " + string(r.Configuration)
			}
			if r.Relationships[0].Relation != "Is contained in Vpc" || r.AccountID != "111111111111" {
				return "relationshipName or accountId not read"
			}
			if !r.CaptureTime.Equal(time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)) {
				return "capture time " + r.CaptureTime.String()
			}
			return ""
		}},
		{"select tags as a key/value list", Key{"111111111111", "us-east-1", "AWS::ElasticLoadBalancingV2::LoadBalancer", "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/shop-web/0a1b2c3d4e5f6001"}, func(r *Resource) string {
			if r.Tags["Name"] != "shop-web" || r.AvailabilityZone != "" {
				return "tags or zone"
			}
			return ""
		}},
		{"batch-get epoch time and supplementary strings", Key{"111111111111", "us-east-1", "AWS::RDS::DBInstance", "db-ABCDEFGHIJKLMNOPQRSTUVWXY1"}, func(r *Resource) string {
			if !r.CaptureTime.Equal(time.Date(2026, 10, 1, 9, 0, 0, 123e6, time.UTC)) {
				return "capture time " + r.CaptureTime.String()
			}
			if string(r.Supplementary["note"]) != `"plain text"` || !bytes.HasPrefix(r.Supplementary["Tags"], []byte("[")) {
				return "supplementary " + string(r.Supplementary["note"]) + string(r.Supplementary["Tags"])
			}
			return ""
		}},
		{"EventBridge account and region fill the item", Key{"111111111111", "us-east-1", "AWS::EC2::RouteTable", "rtb-0a1b2c3d4e5f60001"}, func(r *Resource) string { return "" }},
		{"oversized item fetched", Key{"111111111111", "us-east-1", "AWS::Lambda::Function", "shop-orders"}, func(r *Resource) string {
			if r.Tags["app"] != "shop" {
				return "fetched item not read"
			}
			return ""
		}},
		{"history keeps the newest item", Key{"111111111111", "us-east-1", "AWS::EC2::Subnet", "subnet-0a1b2c3d4e5f60002"}, func(r *Resource) string {
			if r.Tags["Name"] != "private-a" {
				return "kept " + r.Tags["Name"]
			}
			return ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := inv.Get(tt.key)
			if res == nil {
				t.Fatalf("%v not in inventory", tt.key)
			}
			if msg := tt.check(res); msg != "" {
				t.Error(msg)
			}
		})
	}
	if got := inv.Get(Key{"111111111111", "us-east-1", "AWS::EC2::NatGateway", "nat-0a1b2c3d4e5f60001"}); got != nil {
		t.Error("deleted NAT gateway still live")
	}
}

func TestReadPathsGolden(t *testing.T) {
	f := &dirFetcher{dir: "testdata/fetched"}
	r := NewReader(f)
	err := r.ReadPaths(context.Background(), "testdata/config")
	if err == nil || !strings.Contains(err.Error(), "malformed.json:5:37") {
		t.Fatalf("err = %v, want the malformed file named with its position", err)
	}
	if len(f.refs) != 1 || f.refs[0].ChangeType != "UPDATE" || !strings.Contains(f.refs[0].S3Location, "OversizedChangeNotification") {
		t.Errorf("fetcher refs = %+v", f.refs)
	}
	type fileOut struct {
		FileResult
		Err string `json:"err,omitempty"`
	}
	var files []fileOut
	for _, fr := range r.Report.Files {
		fo := fileOut{FileResult: fr}
		if fr.Err != nil {
			fo.Err = fr.Err.Error()
		}
		files = append(files, fo)
	}
	got, err := json.MarshalIndent(map[string]any{
		"resources": r.Inventory.Resources(),
		"deleted":   r.Inventory.Deleted(),
		"files":     files,
		"ignored":   r.Report.Ignored,
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/inventory.golden.json", got)
	if items, skipped, failed := r.Report.Totals(); items != 17 || skipped != 5 || failed != 1 {
		t.Errorf("totals = %d items, %d skipped, %d failed", items, skipped, failed)
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, d)
	}
}

func TestGzip(t *testing.T) {
	data, err := os.ReadFile("testdata/config/snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	r := NewReader(nil)
	res := r.Parse(context.Background(), "snapshot.json.gz", buf.Bytes())
	if res.Err != nil || res.Items != 5 || res.Format != FormatSnapshot {
		t.Fatalf("res = %+v", res)
	}
	bad := r.Parse(context.Background(), "broken.json.gz", buf.Bytes()[:20])
	if !errs.Is(bad.Err, errs.Malformed) || !strings.Contains(bad.Err.Error(), "broken.json.gz") {
		t.Errorf("truncated gzip err = %v", bad.Err)
	}
}

func TestOversizedWithoutFetcher(t *testing.T) {
	tests := []struct {
		name    string
		fetcher Fetcher
		want    string
	}{
		{"no fetcher", nil, "needs a fetcher"},
		{"fetch fails", &dirFetcher{dir: "testdata/nowhere"}, "fetch oversized item AWS::Lambda::Function shop-orders"},
	}
	data, err := os.ReadFile("testdata/config/oversized.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(tt.fetcher)
			res := r.Parse(context.Background(), "oversized.json", data)
			if res.Err != nil || res.Items != 0 || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Message, tt.want) {
				t.Fatalf("res = %+v", res)
			}
		})
	}
}

func TestAddOrder(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 10, 1, h, 0, 0, 0, time.UTC) }
	item := func(h int, status string) *Resource {
		return &Resource{Type: "AWS::EC2::VPC", ID: "vpc-1", AccountID: "111111111111", Region: "us-east-1", CaptureTime: at(h), Status: status}
	}
	tests := []struct {
		name  string
		items []*Resource
		live  bool
		kept  []bool
	}{
		{"newer replaces older", []*Resource{item(1, StatusOK), item(2, StatusOK)}, true, []bool{true, true}},
		{"older does not replace newer", []*Resource{item(2, StatusOK), item(1, StatusOK)}, true, []bool{true, false}},
		{"deletion removes", []*Resource{item(1, StatusOK), item(2, StatusDeleted)}, false, []bool{true, true}},
		{"older item does not revive a deleted resource", []*Resource{item(2, StatusDeletedNotRecorded), item(1, StatusOK)}, false, []bool{true, false}},
		{"re-created after deletion", []*Resource{item(1, StatusDeleted), item(3, StatusDiscovered)}, true, []bool{true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := New()
			for i, it := range tt.items {
				if got := inv.Add(it); got != tt.kept[i] {
					t.Errorf("Add #%d = %v", i, got)
				}
			}
			live := inv.Get(Key{"111111111111", "us-east-1", "AWS::EC2::VPC", "vpc-1"}) != nil
			if live != tt.live || (inv.Len() == 1) != tt.live {
				t.Errorf("live = %v, Len = %d, want %v", live, inv.Len(), tt.live)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		err  bool
	}{
		{`"2026-10-01T08:00:00.000Z"`, want, false},
		{`"2026-10-01T08:00:00.000000+00:00"`, want, false},
		{`"2026-10-01T10:00:00+02:00"`, want, false},
		{`"2026-10-01 08:00:00+00:00"`, want, false},
		{`1790841600`, want, false},
		{`null`, time.Time{}, false},
		{`"yesterday"`, time.Time{}, true},
		{`true`, time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseTime(json.RawMessage(tt.in))
			if (err != nil) != tt.err || !got.Equal(tt.want) {
				t.Errorf("parseTime(%s) = %v, %v", tt.in, got, err)
			}
		})
	}
}

func TestReadPathsMissing(t *testing.T) {
	r := NewReader(nil)
	err := r.ReadPaths(context.Background(), filepath.Join(t.TempDir(), "nope"), "testdata/config/snapshot.json")
	if !errs.Is(err, errs.NotFound) {
		t.Errorf("err = %v, want not found", err)
	}
	if r.Inventory.Len() != 5 {
		t.Errorf("Len = %d; the readable file must still be read", r.Inventory.Len())
	}
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Errorf("err %T carries no errs.Error", err)
	}
}

func TestSample(t *testing.T) {
	tests := []struct {
		items []string
		n     int
		want  string
	}{
		{nil, 5, ""},
		{[]string{"a.json"}, 5, "a.json"},
		{[]string{"a", "b"}, 2, "a; b"},
		{[]string{"a", "b", "c", "d"}, 2, "a; b; and 2 more"},
	}
	for _, tt := range tests {
		if got := Sample(tt.items, tt.n); got != tt.want {
			t.Errorf("Sample(%q, %d) = %q, want %q", tt.items, tt.n, got, tt.want)
		}
	}
}
