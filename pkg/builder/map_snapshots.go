package builder

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// Database and warehouse snapshots: point-in-time copies, not
// architecture. They become the property "snapshots" of what they were
// taken of (foldSnapshots, in the last pass).

// snapshotTypes are point-in-time copies, not architecture: they become the
// property "snapshots" of their database.
var snapshotTypes = map[string]bool{
	"AWS::RDS::DBSnapshot": true, "AWS::RDS::DBClusterSnapshot": true, "AWS::Redshift::ClusterSnapshot": true,
}

// foldSnapshots lists each snapshot in the property "snapshots" of the
// database or cluster it was taken of, when that is drawn here; a snapshot
// whose database is not in the VPC but whose configuration names the VPC
// is noted.
func (b *build) foldSnapshots() {
	type dbKey struct{ typ, id string }
	dbs := map[dbKey]*node{}
	for _, n := range b.nodes {
		if n.res == nil {
			continue
		}
		switch n.res.Type {
		case "AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::Redshift::Cluster":
			dbs[dbKey{n.res.Type, n.res.ID}] = n
			if n.res.Name != "" {
				dbs[dbKey{n.res.Type, n.res.Name}] = n
			}
			dbs[dbKey{n.res.Type, n.name}] = n
		}
	}
	snaps := map[*node][]string{}
	unencrypted := map[*node]bool{}
	var orphans []string
	for _, r := range b.snapshots {
		var c snapshotConfig
		b.read(r, &c)
		var owner *node
		switch r.Type {
		case "AWS::RDS::DBSnapshot":
			owner = dbs[dbKey{"AWS::RDS::DBInstance", c.DBInstanceIdentifier}]
		case "AWS::RDS::DBClusterSnapshot":
			owner = dbs[dbKey{"AWS::RDS::DBCluster", c.DBClusterIdentifier}]
		case "AWS::Redshift::ClusterSnapshot":
			owner = dbs[dbKey{"AWS::Redshift::Cluster", c.ClusterIdentifier}]
		}
		if owner == nil {
			if b.mentions(r) {
				orphans = append(orphans, r.ID)
				b.fold(r, b.vpc.ID)
			}
			continue
		}
		snaps[owner] = append(snaps[owner], r.ID)
		if (c.Encrypted != nil && !*c.Encrypted) || (c.StorageEncrypted != nil && !*c.StorageEncrypted) {
			unencrypted[owner] = true
		}
		b.fold(r, owner.id)
	}
	for n, ids := range snaps {
		slices.Sort(ids)
		n.set("snapshots", ids)
		if unencrypted[n] {
			n.set("unencryptedSnapshots", true)
		}
	}
	if len(orphans) > 0 {
		slices.Sort(orphans)
		b.stats.Notes = append(b.stats.Notes, fmt.Sprintf("snapshots of databases not in this VPC are not drawn (snapshots are not architecture): %s", strings.Join(orphans, ", ")))
	}
}

// mapSnapshot keeps a snapshot for foldSnapshots, which runs once every
// database is drawn.
func (b *build) mapSnapshot(r *inventory.Resource) {
	b.snapshots = append(b.snapshots, r)
}

// The configuration shape of snapshots.

type snapshotConfig struct {
	DBSnapshotIdentifier        string `json:"dBSnapshotIdentifier"`
	DBInstanceIdentifier        string `json:"dBInstanceIdentifier"`
	DBClusterSnapshotIdentifier string `json:"dBClusterSnapshotIdentifier"`
	DBClusterIdentifier         string `json:"dBClusterIdentifier"`
	SnapshotIdentifier          string `json:"snapshotIdentifier"`
	ClusterIdentifier           string `json:"clusterIdentifier"`
	Encrypted                   *bool  `json:"encrypted"`
	StorageEncrypted            *bool  `json:"storageEncrypted"`
}
