package dynamo

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// API is the part of the DynamoDB client the store uses; *dynamodb.Client
// implements it.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
}

// Default body layout limits (see the package doc).
const (
	defaultInlineMax = 64 << 10
	defaultChunkSize = 350 << 10
)

// Store is a store.Store kept in one DynamoDB table. It is safe for
// concurrent use.
type Store struct {
	api   API
	table string
	// inlineMax is the largest gzipped body kept in the head item;
	// chunkSize the largest piece of a body kept in one chunk item.
	inlineMax, chunkSize int
}

var _ store.Store = (*Store)(nil)

// New returns a store on table, which must exist with the key schema of
// EnsureTable.
func New(client API, table string) *Store {
	return &Store{api: client, table: table, inlineMax: defaultInlineMax, chunkSize: defaultChunkSize}
}

// Close does nothing: the DynamoDB client holds no resources to release.
func (s *Store) Close() error { return nil }

// Attribute names.
const (
	aPK     = "PK"
	aSK     = "SK"
	aRev    = "rev"
	aAt     = "at"
	aSum    = "sum"
	aBody   = "body"
	aChunks = "chunks"
	aWrite  = "w" // random name of the write; names its chunks
	aData   = "data"
)

func pk(tenant string, kind store.Kind) string { return "T#" + tenant + "#" + string(kind) }
func headSK(id string) string                  { return "D#" + id }
func chunkSK(id string, rev int64, write string, n int) string {
	return fmt.Sprintf("C#%s#%020d#%s#%06d", id, rev, write, n)
}

func key(pkv, skv string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		aPK: &types.AttributeValueMemberS{Value: pkv},
		aSK: &types.AttributeValueMemberS{Value: skv},
	}
}

func num(n int64) *types.AttributeValueMemberN {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

// head is the decoded head item of a record.
type head struct {
	rev    int64
	at     time.Time
	sum    []byte
	body   []byte // gzipped, when inline
	chunks int
	write  string
}

func decodeHead(item map[string]types.AttributeValue) (*head, error) {
	h := &head{}
	var err error
	if h.rev, err = getN(item, aRev); err != nil {
		return nil, err
	}
	at, err := getN(item, aAt)
	if err != nil {
		return nil, err
	}
	h.at = time.Unix(0, at).UTC()
	if v, ok := item[aSum].(*types.AttributeValueMemberB); ok {
		h.sum = v.Value
	}
	if v, ok := item[aBody].(*types.AttributeValueMemberB); ok {
		h.body = v.Value
	}
	if v, ok := item[aWrite].(*types.AttributeValueMemberS); ok {
		h.write = v.Value
	}
	if _, ok := item[aChunks]; ok {
		n, err := getN(item, aChunks)
		if err != nil {
			return nil, err
		}
		if h.write == "" {
			return nil, fmt.Errorf("chunked head without a write name")
		}
		h.chunks = int(n)
	}
	return h, nil
}

func getN(item map[string]types.AttributeValue, name string) (int64, error) {
	v, ok := item[name].(*types.AttributeValueMemberN)
	if !ok {
		return 0, fmt.Errorf("attribute %s missing or not a number", name)
	}
	n, err := strconv.ParseInt(v.Value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("attribute %s: %w", name, err)
	}
	return n, nil
}

// revOf returns the revision in an item returned by a failed condition, or
// 0 when there is no item.
func revOf(item map[string]types.AttributeValue) int64 {
	n, _ := getN(item, aRev)
	return n
}

// Create stores r as revision 1; see store.Store.
func (s *Store) Create(ctx context.Context, r *store.Record) error {
	if err := store.CheckRecord(r); err != nil {
		return fmt.Errorf("create: %w", err)
	}
	if err := s.put(ctx, r, 0); err != nil {
		return fmt.Errorf("create %s/%s: %w", r.Kind, r.ID, err)
	}
	return nil
}

// Update replaces the record if its revision equals expected; see
// store.Store.
func (s *Store) Update(ctx context.Context, r *store.Record, expected int64) error {
	if err := store.CheckRecord(r); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	if expected < 1 {
		return errs.E(errs.Invalid, "update %s/%s: expected revision must be at least 1, got %d", r.Kind, r.ID, expected)
	}
	if err := s.put(ctx, r, expected); err != nil {
		return fmt.Errorf("update %s/%s: %w", r.Kind, r.ID, err)
	}
	return nil
}

// put writes r as revision expected+1; expected 0 means create.
func (s *Store) put(ctx context.Context, r *store.Record, expected int64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("before writing: %w", err)
	}
	z, err := gzipBody(ctx, r.Body)
	if err != nil {
		return err
	}
	rev, now := expected+1, time.Now().UTC()
	pkv := pk(r.Tenant, r.Kind)
	item := key(pkv, headSK(r.ID))
	item[aRev] = num(rev)
	item[aAt] = num(now.UnixNano())
	write := newWriteName()
	item[aWrite] = &types.AttributeValueMemberS{Value: write}
	if len(r.Summary) > 0 {
		item[aSum] = &types.AttributeValueMemberB{Value: r.Summary}
	}
	var mine []map[string]types.AttributeValue // keys of the chunks written here
	if len(z) <= s.inlineMax {
		item[aBody] = &types.AttributeValueMemberB{Value: z}
	} else {
		var puts []types.WriteRequest
		for n := 0; n*s.chunkSize < len(z); n++ {
			k := key(pkv, chunkSK(r.ID, rev, write, n))
			mine = append(mine, k)
			c := key(pkv, chunkSK(r.ID, rev, write, n))
			c[aData] = &types.AttributeValueMemberB{Value: z[n*s.chunkSize : min(len(z), (n+1)*s.chunkSize)]}
			puts = append(puts, types.WriteRequest{PutRequest: &types.PutRequest{Item: c}})
		}
		item[aChunks] = num(int64(len(mine)))
		if err := s.batchWrite(ctx, puts); err != nil {
			// The head was never written: the chunks are certainly ours alone.
			s.deleteChunks(ctx, mine)
			return fmt.Errorf("write body chunks: %w", err)
		}
		if err := ctx.Err(); err != nil {
			s.deleteChunks(ctx, mine)
			return fmt.Errorf("before writing the head: %w", err)
		}
	}

	in := &dynamodb.PutItemInput{
		TableName:                           aws.String(s.table),
		Item:                                item,
		ReturnValues:                        types.ReturnValueAllOld,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		ExpressionAttributeNames:            map[string]string{"#pk": aPK},
	}
	if expected == 0 {
		in.ConditionExpression = aws.String("attribute_not_exists(#pk)")
	} else {
		in.ConditionExpression = aws.String("attribute_exists(#pk) AND #rev = :expected")
		in.ExpressionAttributeNames["#rev"] = aRev
		in.ExpressionAttributeValues = map[string]types.AttributeValue{":expected": num(expected)}
	}
	out, err := s.api.PutItem(ctx, in)
	if err != nil {
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			if h, err := decodeHead(ccf.Item); err == nil && h.write == write {
				// An earlier attempt of this request, retried by the SDK
				// after its answer was lost, wrote the head.
				r.Revision, r.UpdatedAt = rev, now
				return nil
			}
			s.deleteChunks(ctx, mine)
			return s.conditionFailed(ctx, r.Tenant, r.Kind, r.ID, expected, ccf)
		}
		if definitelyNotWritten(ctx, err) {
			s.deleteChunks(ctx, mine)
		}
		return s.mapErr(ctx, err, "put head")
	}
	r.Revision, r.UpdatedAt = rev, now
	s.deleteOldChunks(ctx, pkv, r.ID, out.Attributes)
	return nil
}

// conditionFailed turns a failed write condition into Conflict or NotFound.
func (s *Store) conditionFailed(ctx context.Context, tenant string, kind store.Kind, id string, expected int64, ccf *types.ConditionalCheckFailedException) error {
	cur := revOf(ccf.Item)
	if ccf.Item == nil && expected == 0 {
		// A backend that does not return the item: read the revision.
		out, err := s.api.GetItem(ctx, &dynamodb.GetItemInput{
			TableName: aws.String(s.table), Key: key(pk(tenant, kind), headSK(id)), ConsistentRead: aws.Bool(true),
			ProjectionExpression: aws.String("#rev"), ExpressionAttributeNames: map[string]string{"#rev": aRev},
		})
		if err == nil {
			cur = revOf(out.Item)
		}
	}
	switch {
	case expected == 0:
		return errs.ConflictAt(cur, "%s %s already exists", kind, id)
	case len(ccf.Item) == 0:
		return errs.E(errs.NotFound, "%s %s not found", kind, id)
	default:
		return errs.ConflictAt(cur, "%s %s is at revision %d, not %d", kind, id, cur, expected)
	}
}

// Get returns the record with its body; see store.Store.
func (s *Store) Get(ctx context.Context, tenant string, kind store.Kind, id string) (*store.Record, error) {
	if err := store.CheckKey(tenant, kind, id); err != nil {
		return nil, fmt.Errorf("get: %w", err)
	}
	r, err := s.get(ctx, tenant, kind, id)
	if err != nil {
		return nil, fmt.Errorf("get %s/%s: %w", kind, id, err)
	}
	return r, nil
}

// maxReadAttempts bounds how often Get starts again from the head when the
// record changes under it.
const maxReadAttempts = 8

func (s *Store) get(ctx context.Context, tenant string, kind store.Kind, id string) (*store.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("before reading: %w", err)
	}
	pkv := pk(tenant, kind)
	for attempt := 0; attempt < maxReadAttempts; attempt++ {
		out, err := s.api.GetItem(ctx, &dynamodb.GetItemInput{
			TableName: aws.String(s.table), Key: key(pkv, headSK(id)), ConsistentRead: aws.Bool(true),
		})
		if err != nil {
			return nil, s.mapErr(ctx, err, "read head")
		}
		if out.Item == nil {
			return nil, errs.E(errs.NotFound, "%s %s not found", kind, id)
		}
		h, err := decodeHead(out.Item)
		if err != nil {
			return nil, fmt.Errorf("corrupt head item: %w", err)
		}
		z := h.body
		if h.chunks > 0 {
			var complete bool
			z, complete, err = s.readChunks(ctx, pkv, id, h)
			if err != nil {
				return nil, err
			}
			if !complete {
				continue // replaced under us: read the new head
			}
		}
		body, err := gunzipBody(z)
		if err != nil {
			return nil, fmt.Errorf("corrupt body of revision %d: %w", h.rev, err)
		}
		return &store.Record{Tenant: tenant, Kind: kind, ID: id, Revision: h.rev, UpdatedAt: h.at, Summary: h.sum, Body: body}, nil
	}
	return nil, errs.E(errs.Unavailable, "the record changed %d times while it was read; try again", maxReadAttempts)
}

// readChunks reads the chunks of h's write in order. complete is false when
// one is missing.
func (s *Store) readChunks(ctx context.Context, pkv, id string, h *head) (z []byte, complete bool, err error) {
	keys := make([]map[string]types.AttributeValue, h.chunks)
	for n := range keys {
		keys[n] = key(pkv, chunkSK(id, h.rev, h.write, n))
	}
	data := make(map[string][]byte, h.chunks)
	// At most 40 chunks of 350 KiB per call keeps a response below
	// BatchGetItem's 16 MB.
	for start := 0; start < len(keys); start += 40 {
		pending := keys[start:min(len(keys), start+40)]
		for try := 0; len(pending) > 0; try++ {
			if try > 0 {
				if err := backoff(ctx, try); err != nil {
					return nil, false, fmt.Errorf("read body chunks: %w", err)
				}
			}
			out, err := s.api.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{
				RequestItems: map[string]types.KeysAndAttributes{s.table: {Keys: pending, ConsistentRead: aws.Bool(true)}},
			})
			if err != nil {
				return nil, false, s.mapErr(ctx, err, "read body chunks")
			}
			for _, it := range out.Responses[s.table] {
				skv, _ := it[aSK].(*types.AttributeValueMemberS)
				d, _ := it[aData].(*types.AttributeValueMemberB)
				if skv == nil || d == nil {
					return nil, false, errs.E(errs.Other, "corrupt body chunk of %s", id)
				}
				data[skv.Value] = d.Value
			}
			pending = out.UnprocessedKeys[s.table].Keys
			if try > 20 && len(pending) > 0 {
				return nil, false, errs.E(errs.Unavailable, "read body chunks: DynamoDB left %d keys unprocessed", len(pending))
			}
		}
	}
	var buf bytes.Buffer
	for n := range h.chunks {
		d, ok := data[chunkSK(id, h.rev, h.write, n)]
		if !ok {
			return nil, false, nil
		}
		buf.Write(d)
	}
	return buf.Bytes(), true, nil
}

// Delete removes the record if its revision equals expected; see
// store.Store.
func (s *Store) Delete(ctx context.Context, tenant string, kind store.Kind, id string, expected int64) error {
	if err := store.CheckKey(tenant, kind, id); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	if expected < 1 {
		return errs.E(errs.Invalid, "delete %s/%s: expected revision must be at least 1, got %d", kind, id, expected)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete %s/%s: %w", kind, id, err)
	}
	pkv := pk(tenant, kind)
	out, err := s.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                           aws.String(s.table),
		Key:                                 key(pkv, headSK(id)),
		ConditionExpression:                 aws.String("attribute_exists(#pk) AND #rev = :expected"),
		ExpressionAttributeNames:            map[string]string{"#pk": aPK, "#rev": aRev},
		ExpressionAttributeValues:           map[string]types.AttributeValue{":expected": num(expected)},
		ReturnValues:                        types.ReturnValueAllOld,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if err != nil {
		var ccf *types.ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			return fmt.Errorf("delete %s/%s: %w", kind, id, s.conditionFailed(ctx, tenant, kind, id, expected, ccf))
		}
		return fmt.Errorf("delete %s/%s: %w", kind, id, s.mapErr(ctx, err, "delete head"))
	}
	s.deleteOldChunks(ctx, pkv, id, out.Attributes)
	return nil
}

// deleteOldChunks deletes the chunks named by a head that was just replaced
// or deleted.
func (s *Store) deleteOldChunks(ctx context.Context, pkv, id string, old map[string]types.AttributeValue) {
	if len(old) == 0 {
		return
	}
	h, err := decodeHead(old)
	if err != nil || h.chunks == 0 {
		return
	}
	keys := make([]map[string]types.AttributeValue, h.chunks)
	for n := range keys {
		keys[n] = key(pkv, chunkSK(id, h.rev, h.write, n))
	}
	s.deleteChunks(ctx, keys)
}

// cleanupTimeout bounds the deletion of unreferenced chunks, which runs even
// when the caller's context is done.
const cleanupTimeout = 30 * time.Second

// deleteChunks deletes chunk items no head names. It is best effort: the
// write it follows has already succeeded or failed, and a chunk left behind
// is never read.
func (s *Store) deleteChunks(ctx context.Context, keys []map[string]types.AttributeValue) {
	if len(keys) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	reqs := make([]types.WriteRequest, len(keys))
	for i, k := range keys {
		reqs[i] = types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: k}}
	}
	_ = s.batchWrite(ctx, reqs)
}

// batchWrite runs reqs 25 at a time, retrying unprocessed items.
func (s *Store) batchWrite(ctx context.Context, reqs []types.WriteRequest) error {
	for start := 0; start < len(reqs); start += 25 {
		pending := reqs[start:min(len(reqs), start+25)]
		for try := 0; len(pending) > 0; try++ {
			if try > 0 {
				if err := backoff(ctx, try); err != nil {
					return fmt.Errorf("batch write: %w", err)
				}
			}
			if try > 20 {
				return errs.E(errs.Unavailable, "batch write: DynamoDB left %d items unprocessed", len(pending))
			}
			out, err := s.api.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
				RequestItems: map[string][]types.WriteRequest{s.table: pending},
			})
			if err != nil {
				return s.mapErr(ctx, err, "batch write")
			}
			pending = out.UnprocessedItems[s.table]
		}
	}
	return nil
}

// backoff waits before retry number try (1, 2, ...), up to about a second.
func backoff(ctx context.Context, try int) error {
	d := min(time.Second, time.Duration(1<<min(try, 10))*10*time.Millisecond)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// List returns a page of the tenant's records of kind, by id, without
// bodies; see store.Store.
func (s *Store) List(ctx context.Context, tenant string, kind store.Kind, opts store.ListOptions) (*store.Page, error) {
	limit, after, err := cursor.StartList(ctx, tenant, kind, opts)
	if err != nil {
		return nil, err
	}
	pkv := pk(tenant, kind)
	in := &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		KeyConditionExpression: aws.String("#pk = :pk AND begins_with(#sk, :head)"),
		ProjectionExpression:   aws.String("#sk, #rev, #at, #sum"),
		ExpressionAttributeNames: map[string]string{
			"#pk": aPK, "#sk": aSK, "#rev": aRev, "#at": aAt, "#sum": aSum,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk":   &types.AttributeValueMemberS{Value: pkv},
			":head": &types.AttributeValueMemberS{Value: headSK(opts.Prefix)},
		},
		ConsistentRead: aws.Bool(true),
	}
	if after != "" {
		in.ExclusiveStartKey = key(pkv, headSK(after))
	}
	page := &store.Page{Records: []*store.Record{}}
	for {
		// Ask for one more than needed to know whether a next page exists.
		in.Limit = aws.Int32(int32(limit + 1 - len(page.Records)))
		out, err := s.api.Query(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", kind, s.mapErr(ctx, err, "query"))
		}
		for _, it := range out.Items {
			skv, _ := it[aSK].(*types.AttributeValueMemberS)
			h, err := decodeHead(it)
			if err != nil || skv == nil || len(skv.Value) < 2 {
				return nil, errs.E(errs.Other, "list %s: corrupt head item %v: %v", kind, it[aSK], err)
			}
			page.Records = append(page.Records, &store.Record{
				Tenant: tenant, Kind: kind, ID: skv.Value[2:], Revision: h.rev, UpdatedAt: h.at, Summary: h.sum,
			})
		}
		if len(page.Records) > limit {
			page.Records = page.Records[:limit]
			page.Next = cursor.Encode(page.Records[limit-1].ID)
			return page, nil
		}
		if out.LastEvaluatedKey == nil {
			return page, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// gzipBody compresses body, a MiB at a time so that a canceled context
// stops it promptly.
func gzipBody(ctx context.Context, body []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, fmt.Errorf("compress body: %w", err)
	}
	for len(body) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("compress body: %w", err)
		}
		n := min(len(body), 1<<20)
		if _, err := w.Write(body[:n]); err != nil {
			return nil, fmt.Errorf("compress body: %w", err)
		}
		body = body[n:]
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("compress body: %w", err)
	}
	return buf.Bytes(), nil
}

func gunzipBody(z []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, err
	}
	// A stored body is at most MaxBody; read one byte more to notice.
	body, err := io.ReadAll(io.LimitReader(r, store.MaxBody+1))
	if err != nil {
		return nil, err
	}
	if len(body) > store.MaxBody {
		return nil, fmt.Errorf("body larger than %d bytes", store.MaxBody)
	}
	return body, r.Close()
}

func newWriteName() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
