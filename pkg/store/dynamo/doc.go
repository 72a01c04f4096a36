// Package dynamo is the store.Store driver for a DynamoDB single table, used
// when Bulwark runs in AWS ("dynamodb://TABLE").
//
// # Keys
//
// The table has a string partition key PK and a string sort key SK, nothing
// else (no index). The tenant is part of every key, so no request for one
// tenant can touch another's items. Tenant and kind never contain '#'.
//
//	item             PK                    SK
//	head (one/doc)   T#<tenant>#<kind>     D#<id>
//	body chunk       T#<tenant>#<kind>     C#<id>#<rev:20 digits>#<w:16 hex>#<n:6 digits>
//
// The head item holds the record: rev (N), at (N, updatedAt in Unix
// nanoseconds), sum (B, the summary), w (S, a random name of the write that
// made it) and either body (B, the gzipped body, when that is at most
// 64 KiB) or chunks (N): the number of chunk items, keyed by the write's
// name, that hold the gzipped body in pieces of up to 350 KiB (an item is
// limited to 400 KB). A chunk's key ends in fixed-width fields, so ids may
// contain '#' without two keys ever colliding.
//
// # Writes
//
// Chunks are immutable and written first, under the write's random name,
// before the conditional put of the head: until a head names their write
// they are invisible, and two writers racing from the same revision never
// share a chunk. (Keying chunks by revision alone would let such writers
// overwrite each other's chunks.) The head put is conditional (attribute_not_exists(PK) on create;
// attribute_exists(PK) AND rev = :expected on update and delete); when the
// condition fails, ReturnValuesOnConditionCheckFailure=ALL_OLD tells the
// stored revision for the Conflict error, or that the record is gone
// (NotFound); when it shows this write's own name, an earlier attempt of the
// same request (retried by the SDK after a lost answer) succeeded. After a successful put the previous revision's chunks are
// deleted; after a failed one, the writer's own. When the outcome of the
// head put is unknown (a network error or a canceled context after the
// request was sent), the writer's chunks are kept, since the head may name
// them: such unreferenced chunks cost storage only.
//
// # Reads
//
// Get reads the head with ConsistentRead, then the chunks its write name and count give, with a
// consistent BatchGetItem. If a chunk is missing, a newer write replaced
// the record and deleted them in between: Get starts again from the head. A
// reader never sees a mix of two writes (gzip's checksum verifies the
// reassembled body as well).
//
// List queries the heads only (begins_with(SK, "D#"+prefix)), projecting away
// bodies, and keeps querying past DynamoDB's 1 MB page until it has the
// requested number of records; the cursor is the last id returned.
//
// Throttling, DynamoDB server errors and network failures, once the SDK's
// retries are spent, are errs.Unavailable.
package dynamo
