package builder

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/inventory"
)

// VPCRef is a VPC that configuration items refer to.
type VPCRef struct {
	ID        string `json:"id"`
	AccountID string `json:"accountId"`
	Region    string `json:"region"`
	Items     int    `json:"items"` // items that refer to it
}

var vpcIDPattern = regexp.MustCompile(`"(vpc-[0-9a-zA-Z]{4,17})"`)

// MissingVPCs lists the VPCs that items of inv refer to (in their
// configuration or relationships) but whose own AWS::EC2::VPC item inv
// does not have, by account, region and id.
func MissingVPCs(inv *inventory.Inventory) []VPCRef {
	have := map[[3]string]bool{}
	for _, v := range VPCs(inv) {
		have[[3]string{v.AccountID, v.Region, v.ID}] = true
	}
	refs := map[[3]string]int{}
	for _, r := range inv.Resources() {
		if r.Type == "AWS::EC2::VPC" {
			continue
		}
		seen := map[string]bool{}
		for _, m := range vpcIDPattern.FindAllSubmatch(r.Configuration, -1) {
			if strings.ContainsAny(string(m[1]), "0123456789") { // not a word such as "vpc-endpoint"
				seen[string(m[1])] = true
			}
		}
		for _, rel := range r.Relationships {
			if rel.Type == "AWS::EC2::VPC" && rel.ID != "" {
				seen[rel.ID] = true
			}
		}
		for id := range seen {
			k := [3]string{r.AccountID, r.Region, id}
			if !have[k] {
				refs[k]++
			}
		}
	}
	out := make([]VPCRef, 0, len(refs))
	for k, n := range refs {
		out = append(out, VPCRef{AccountID: k[0], Region: k[1], ID: k[2], Items: n})
	}
	slices.SortFunc(out, func(a, b VPCRef) int {
		return cmp.Or(cmp.Compare(b.Items, a.Items), cmp.Compare(a.ID, b.ID), cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.Region, b.Region))
	})
	return out
}

// HowToGetVPC says how to get the configuration item of a VPC that the
// data lacks.
func HowToGetVPC(ref VPCRef) string {
	region := ""
	if ref.Region != "" {
		region = " --region " + ref.Region
	}
	return fmt.Sprintf("aws configservice get-resource-config-history --resource-type AWS::EC2::VPC --resource-id %s%s > %s.json (in account %s), or a configuration snapshot of that account and region (aws configservice deliver-config-snapshot)", ref.ID, region, ref.ID, cmp.Or(ref.AccountID, "?"))
}

// String renders the reference as "vpc-… (account A, region; N items)".
func (r VPCRef) String() string {
	return fmt.Sprintf("%s (account %s, %s; %d items)", r.ID, cmp.Or(r.AccountID, "none"), cmp.Or(r.Region, "no region"), r.Items)
}
