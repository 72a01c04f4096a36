package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// tableWait bounds how long EnsureTable waits for a table to become active.
const tableWait = 5 * time.Minute

// EnsureTable creates table (on-demand capacity, string keys PK and SK) if
// it does not exist and waits until it is active. An existing table must
// have that key schema. In AWS the table is made by the CDK stack; this is
// for local runs and tests.
func EnsureTable(ctx context.Context, client *dynamodb.Client, table string) error {
	desc, err := client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	var rnf *types.ResourceNotFoundException
	switch {
	case errors.As(err, &rnf):
		_, err = client.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName:   aws.String(table),
			BillingMode: types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{
				{AttributeName: aws.String(aPK), AttributeType: types.ScalarAttributeTypeS},
				{AttributeName: aws.String(aSK), AttributeType: types.ScalarAttributeTypeS},
			},
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String(aPK), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String(aSK), KeyType: types.KeyTypeRange},
			},
		})
		var inUse *types.ResourceInUseException
		if err != nil && !errors.As(err, &inUse) { // in use: created meanwhile
			return (&Store{table: table}).mapErr(ctx, err, fmt.Sprintf("create table %s", table))
		}
	case err != nil:
		return (&Store{table: table}).mapErr(ctx, err, fmt.Sprintf("describe table %s", table))
	default:
		if err := checkSchema(desc.Table); err != nil {
			return errs.E(errs.Invalid, "table %s: %w", table, err)
		}
		if desc.Table.TableStatus == types.TableStatusActive {
			return nil
		}
	}
	w := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, 5*time.Second
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)}, tableWait); err != nil {
		return errs.E(errs.Unavailable, "wait for table %s to become active: %w", table, err)
	}
	return nil
}

func checkSchema(t *types.TableDescription) error {
	want := map[string]types.KeyType{aPK: types.KeyTypeHash, aSK: types.KeyTypeRange}
	if len(t.KeySchema) != len(want) {
		return fmt.Errorf("has %d key attributes, want PK (hash) and SK (range)", len(t.KeySchema))
	}
	for _, k := range t.KeySchema {
		if want[aws.ToString(k.AttributeName)] != k.KeyType {
			return fmt.Errorf("key %s (%s) is not the expected PK (hash) and SK (range)", aws.ToString(k.AttributeName), k.KeyType)
		}
	}
	return nil
}
