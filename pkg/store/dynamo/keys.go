package dynamo

import "github.com/bulwark-tm/bulwark/pkg/store"

// cursor encodes list positions of this driver. The partition key is
// rebuilt from the caller's tenant, so a cursor can never lead into another
// tenant's items. Key rules are store.CheckKey's: tenant and kind have no
// '#', the key separator, and both fit DynamoDB's key sizes.
const cursor = store.Cursor("d1:")
