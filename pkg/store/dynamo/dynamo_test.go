package dynamo_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/dynamo"
	"github.com/bulwark-tm/bulwark/pkg/store/dynamo/dynamotest"
	"github.com/bulwark-tm/bulwark/pkg/store/storetest"
)

var endpoint string

func TestMain(m *testing.M) {
	os.Exit(dynamotest.Main(m, &endpoint))
}

// newStore returns a store on a new table, and the client and table name.
func newStore(t testing.TB) (*dynamo.Store, *dynamodb.Client, string) {
	client := dynamotest.Client(t, endpoint)
	table := dynamotest.NewTable(t, client)
	return dynamo.New(client, table), client, table
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, _, _ := newStore(t)
		return s
	})
}

// TestConformanceChunked runs the suite with tiny layout limits, so that
// nearly every body is split into many chunk items.
func TestConformanceChunked(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, _, _ := newStore(t)
		dynamo.SetLayout(s, 256, 16<<10)
		return s
	})
}

// chunkItems counts the chunk items in table.
func chunkItems(t *testing.T, client *dynamodb.Client, table string) int {
	t.Helper()
	n := 0
	p := dynamodb.NewScanPaginator(client, &dynamodb.ScanInput{
		TableName:                 aws.String(table),
		FilterExpression:          aws.String("begins_with(SK, :c)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":c": &types.AttributeValueMemberS{Value: "C#"}},
		ConsistentRead:            aws.Bool(true),
	})
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		n += len(out.Items)
	}
	return n
}

func randomBody(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// TestChunkLifecycle checks that bodies too large for the head are chunked
// and that no write leaves unreferenced chunks behind: replaced revisions'
// chunks are deleted, as are a failed writer's own and a deleted record's.
func TestChunkLifecycle(t *testing.T) {
	ctx := context.Background()
	s, client, table := newStore(t)
	dynamo.SetLayout(s, 1<<10, 4<<10)
	rec := func(body []byte) *store.Record {
		return &store.Record{Tenant: "t", Kind: store.KindModel, ID: "m#1", Summary: json.RawMessage(`{}`), Body: body}
	}
	steps := []struct {
		name       string
		do         func() error
		wantKind   errs.Kind // Other: success
		wantChunks int
	}{
		{"create chunked (10 KiB)", func() error { return s.Create(ctx, rec(randomBody(10<<10))) }, errs.Other, 3},
		{"failed create leaves nothing", func() error { return s.Create(ctx, rec(randomBody(20<<10))) }, errs.Conflict, 3},
		{"update replaces the chunks", func() error { return s.Update(ctx, rec(randomBody(6<<10)), 1) }, errs.Other, 2},
		{"stale update leaves nothing", func() error { return s.Update(ctx, rec(randomBody(30<<10)), 1) }, errs.Conflict, 2},
		{"update to an inline body", func() error { return s.Update(ctx, rec([]byte("small")), 2) }, errs.Other, 0},
		{"update to chunks again", func() error { return s.Update(ctx, rec(randomBody(9<<10)), 3) }, errs.Other, 3},
		{"delete removes the chunks", func() error { return s.Delete(ctx, "t", store.KindModel, "m#1", 4) }, errs.Other, 0},
	}
	for _, st := range steps {
		err := st.do()
		if st.wantKind == errs.Other && err != nil || st.wantKind != errs.Other && !errs.Is(err, st.wantKind) {
			t.Fatalf("%s: got %v, want %s", st.name, err, map[bool]string{true: "success", false: st.wantKind.String()}[st.wantKind == errs.Other])
		}
		if got := chunkItems(t, client, table); got != st.wantChunks {
			t.Fatalf("%s: %d chunk items in the table, want %d", st.name, got, st.wantChunks)
		}
	}
}

// racingAPI replaces the record once, between Get's read of the head and of
// its chunks, as a concurrent writer would.
type racingAPI struct {
	dynamo.API
	once   sync.Once
	race   func()
	heads  atomic.Int32
	writer *dynamo.Store
}

func (a *racingAPI) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	a.heads.Add(1)
	return a.API.GetItem(ctx, in, opts...)
}

func (a *racingAPI) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	a.once.Do(a.race)
	return a.API.BatchGetItem(ctx, in, opts...)
}

func TestGetRetriesWhenChunksVanish(t *testing.T) {
	ctx := context.Background()
	writer, client, table := newStore(t)
	dynamo.SetLayout(writer, 1<<10, 4<<10)
	v1, v2 := randomBody(12<<10), randomBody(12<<10)
	if err := writer.Create(ctx, &store.Record{Tenant: "t", Kind: store.KindModel, ID: "m", Body: v1}); err != nil {
		t.Fatal(err)
	}
	api := &racingAPI{API: client}
	api.race = func() {
		if err := writer.Update(ctx, &store.Record{Tenant: "t", Kind: store.KindModel, ID: "m", Body: v2}, 1); err != nil {
			t.Errorf("racing update: %v", err)
		}
	}
	reader := dynamo.New(api, table)
	got, err := reader.Get(ctx, "t", store.KindModel, "m")
	if err != nil {
		t.Fatal(err)
	}
	if got.Revision != 2 || !bytes.Equal(got.Body, v2) {
		t.Fatalf("got revision %d with a %d-byte body equal to v2: %v; want revision 2 and v2", got.Revision, len(got.Body), bytes.Equal(got.Body, v2))
	}
	if n := api.heads.Load(); n != 2 {
		t.Fatalf("read the head %d times, want 2 (a retry after the chunks vanished)", n)
	}
}

// failingAPI fails every call with err.
type failingAPI struct {
	dynamo.API
	err error
}

func (a failingAPI) GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	return nil, a.err
}

func (a failingAPI) PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	return nil, a.err
}

func (a failingAPI) Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return nil, a.err
}

func TestErrorKinds(t *testing.T) {
	ctx := context.Background()
	// A port nothing listens on: a real connection failure.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	unreachable := dynamodb.NewFromConfig(dynamotest.Config(closed), func(o *dynamodb.Options) {
		o.RetryMaxAttempts = 1
	})
	_, client, table := newStore(t)

	tests := []struct {
		name string
		api  dynamo.API
		want errs.Kind
		text string
	}{
		{"connection refused", unreachable, errs.Unavailable, "cannot reach DynamoDB"},
		{"throttled", failingAPI{client, &types.ProvisionedThroughputExceededException{Message: aws.String("slow down")}}, errs.Unavailable, "busy"},
		{"request limit", failingAPI{client, &types.RequestLimitExceeded{Message: aws.String("limit")}}, errs.Unavailable, "busy"},
		{"server error", failingAPI{client, &types.InternalServerError{Message: aws.String("oops")}}, errs.Unavailable, "busy"},
		{"missing table", client, errs.Unavailable, "does not exist"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tbl := table
			if tc.name == "missing table" {
				tbl = "no-such-table"
			}
			s := dynamo.New(tc.api, tbl)
			calls := map[string]error{
				"create": s.Create(ctx, &store.Record{Tenant: "t", Kind: store.KindModel, ID: "m", Body: []byte("x")}),
				"update": s.Update(ctx, &store.Record{Tenant: "t", Kind: store.KindModel, ID: "m", Body: []byte("x")}, 1),
				"list":   func() error { _, err := s.List(ctx, "t", store.KindModel, store.ListOptions{}); return err }(),
				"get":    func() error { _, err := s.Get(ctx, "t", store.KindModel, "m"); return err }(),
			}
			for call, err := range calls {
				if !errs.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
					t.Errorf("%s: got %v (%s), want %s mentioning %q", call, err, errs.KindOf(err), tc.want, tc.text)
				}
			}
		})
	}
}

// queryRecorder records the Query inputs the store sends.
type queryRecorder struct {
	dynamo.API
	mu      sync.Mutex
	queries []*dynamodb.QueryInput
}

func (a *queryRecorder) Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	a.mu.Lock()
	a.queries = append(a.queries, in)
	a.mu.Unlock()
	return a.API.Query(ctx, in, opts...)
}

// TestListReadsOnlyHeads checks that listing projects away bodies and
// reads only head items, whatever the bodies' sizes.
func TestListReadsOnlyHeads(t *testing.T) {
	ctx := context.Background()
	s, client, table := newStore(t)
	for i, size := range []int{10, 100 << 10, 2 << 20} {
		r := &store.Record{Tenant: "t", Kind: store.KindModel, ID: string(rune('a' + i)), Summary: json.RawMessage(`{"i":1}`), Body: randomBody(size)}
		if err := s.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	rec := &queryRecorder{API: client}
	p, err := dynamo.New(rec, table).List(ctx, "t", store.KindModel, store.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Records) != 3 {
		t.Fatalf("listed %d records, want 3", len(p.Records))
	}
	if len(rec.queries) != 1 {
		t.Fatalf("%d queries, want 1", len(rec.queries))
	}
	q := rec.queries[0]
	proj := aws.ToString(q.ProjectionExpression)
	for _, name := range strings.Split(proj, ",") {
		attr := q.ExpressionAttributeNames[strings.TrimSpace(name)]
		if attr == "body" || attr == "chunks" || attr == "data" || attr == "" {
			t.Errorf("projection %q reads attribute %q (%q)", proj, attr, name)
		}
	}
	if !strings.Contains(aws.ToString(q.KeyConditionExpression), "begins_with") {
		t.Errorf("query %q does not restrict itself to head items", aws.ToString(q.KeyConditionExpression))
	}
}

func TestEnsureTable(t *testing.T) {
	ctx := context.Background()
	_, client, table := newStore(t)
	// A second call on an existing table changes nothing.
	if err := dynamo.EnsureTable(ctx, client, table); err != nil {
		t.Fatalf("ensure an existing table: %v", err)
	}
	// A table with another key schema is refused.
	other := table + "-other"
	if _, err := client.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(other),
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(other)})
	})
	if err := dynamo.EnsureTable(ctx, client, other); !errs.Is(err, errs.Invalid) {
		t.Fatalf("ensure a table with another key schema: got %v, want invalid", err)
	}
	out, err := client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Table.BillingModeSummary == nil || out.Table.BillingModeSummary.BillingMode != types.BillingModePayPerRequest {
		t.Errorf("table billing mode %+v, want PAY_PER_REQUEST", out.Table.BillingModeSummary)
	}
}

func benchmarkModel(b *testing.B) (*dynamo.Store, store.Models) {
	s, _, _ := newStore(b)
	models := store.Models{Store: s}
	if err := models.Create(context.Background(), storetest.GenerateModel("t", "bench", 1000)); err != nil {
		b.Fatal(err)
	}
	return s, models
}

// BenchmarkGetModel reads a 1,000-component model through store.Models.
func BenchmarkGetModel(b *testing.B) {
	_, models := benchmarkModel(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := models.Get(ctx, "t", "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdateModel writes a 1,000-component model through store.Models.
func BenchmarkUpdateModel(b *testing.B) {
	_, models := benchmarkModel(b)
	ctx := context.Background()
	m, err := models.Get(ctx, "t", "bench")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := models.Update(ctx, m, m.Revision); err != nil {
			b.Fatal(err)
		}
	}
}

// TestListPastOneMegabyte checks that one List call keeps querying past
// DynamoDB's 1 MB page to fill the requested page.
func TestListPastOneMegabyte(t *testing.T) {
	ctx := context.Background()
	s, client, table := newStore(t)
	const n = 300
	pad := strings.Repeat("p", 5000)
	for i := range n {
		r := &store.Record{Tenant: "t", Kind: store.KindModel, ID: fmt.Sprintf("r%03d", i), Summary: json.RawMessage(`{"pad":"` + pad + `"}`)}
		if err := s.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	rec := &queryRecorder{API: client}
	p, err := dynamo.New(rec, table).List(ctx, "t", store.KindModel, store.ListOptions{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Records) != n || p.Next != "" {
		t.Fatalf("got %d records and next %q, want all %d on one page", len(p.Records), p.Next, n)
	}
	if len(rec.queries) < 2 {
		t.Fatalf("%d queries for 1.5 MB of summaries; DynamoDB returns at most 1 MB per query", len(rec.queries))
	}
}
