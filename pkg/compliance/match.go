package compliance

import (
	"encoding/json"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

// How evidence finds the model's elements it is about.
//
// A resource is matched by its ARN, then by (account, region, type, id);
// never by a bare name, so a database named "orders" in eu-west-1 does not
// receive the findings of the one in us-east-1. Evidence about a resource
// also reaches the elements that depend on it: a security group's evidence
// reaches the components that use it, a subnet's (or VPC's) the elements
// drawn inside it. Account-level evidence (IAM, CloudTrail, ...) reaches
// only the elements in its account, and for a regional check only those in
// its region.

// resourceKeys are the keys a resource is matched by: its ARN, and the
// (account, region, type, id) tuple of its id and of the id at the end of
// its ARN. A tuple without a known type is kept too, under an empty type,
// for evidence that names no type.
func resourceKeys(arn, typ, id, account, region string) []string {
	var keys []string
	if arn != "" {
		keys = append(keys, "arn:"+arn)
	}
	aAccount, aRegion, aType, aID := splitARN(arn)
	if account == "" {
		account = aAccount
	}
	if region == "" {
		region = aRegion
	}
	t := normType(typ)
	if t == "" {
		t = aType
	}
	if isGlobalType(t) {
		region = ""
	}
	if account == "" {
		return keys // a tuple without an account would match by name
	}
	for _, v := range []string{id, aID} {
		if v == "" {
			continue
		}
		keys = append(keys, tupleKey(account, region, t, v), tupleKey(account, region, "", v))
	}
	return keys
}

// evidenceKeys are the keys an observation is looked up by: its ARN, else
// its (account, region, type, id) tuple, the type left empty when the
// source names none.
func evidenceKeys(e *Evidence) []string {
	if e.ResourceARN != "" {
		keys := []string{"arn:" + e.ResourceARN}
		account, region, aType, id := splitARN(e.ResourceARN)
		if account == "" {
			account = e.AccountID
		}
		if region == "" {
			region = e.Region
		}
		t := normType(e.ResourceType)
		if t == "" {
			t = aType
		}
		if isGlobalType(t) {
			region = ""
		}
		if id != "" {
			keys = append(keys, tupleKey(account, region, t, id))
		}
		return keys
	}
	t := normType(e.ResourceType)
	region := e.Region
	if isGlobalType(t) {
		region = ""
	}
	return []string{tupleKey(e.AccountID, region, t, e.ResourceID)}
}

func tupleKey(account, region, typ, id string) string {
	return "res:" + account + "|" + region + "|" + typ + "|" + id
}

// typeAliases maps normalized type prefixes that name one service
// differently in ASFF and in AWS Config.
var typeAliases = map[string]string{
	"elasticloadbalancingv2": "elbv2",
	"elasticloadbalancing":   "elb",
}

// normType reduces a resource type to one spelling whichever source names
// it: "AwsEc2SecurityGroup", "AWS::EC2::SecurityGroup" and an ARN's
// "ec2", "security-group" all become "ec2securitygroup". "Other" and ""
// are unknown ("").
func normType(t string) string {
	if t == "" || t == "Other" {
		return ""
	}
	if rest, ok := strings.CutPrefix(t, "AWS::"); ok {
		svc, res, _ := strings.Cut(rest, "::")
		svc = strings.ToLower(svc)
		if a, ok := typeAliases[svc]; ok {
			svc = a
		}
		return svc + strings.ToLower(strings.ReplaceAll(res, "::", ""))
	}
	t = strings.ToLower(strings.TrimPrefix(t, "Aws"))
	return strings.ReplaceAll(t, "-", "")
}

// isGlobalType reports whether a normalized type names a global resource
// (IAM), whose region is not part of its identity.
func isGlobalType(t string) bool { return strings.HasPrefix(t, "iam") }

// splitARN returns the account, region, normalized type and id of an
// ARN: "arn:aws:ec2:us-east-1:111111111111:security-group/sg-1" gives
// 111111111111, us-east-1, ec2securitygroup, sg-1. The type is empty when
// the ARN's resource has no type part (an S3 bucket).
func splitARN(arn string) (account, region, typ, id string) {
	if !strings.HasPrefix(arn, "arn:") {
		return "", "", "", ""
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return "", "", "", ""
	}
	service, region, account, res := parts[2], parts[3], parts[4], parts[5]
	rtype, rid, ok := strings.Cut(res, "/")
	if !ok {
		rtype, rid, ok = strings.Cut(res, ":")
	}
	if !ok {
		return account, region, "", res
	}
	if i := strings.LastIndexAny(rid, "/:"); i >= 0 {
		rid = rid[i+1:]
	}
	return account, region, normType(service + "-" + rtype), rid
}

// globalChecks are the checks about an account as a whole that do not
// depend on the region that reports them: IAM and the root user, the
// account's contacts, and a multi-Region trail.
func globalCheck(e *Evidence) bool {
	for _, p := range []string{"IAM.", "Account."} {
		if strings.HasPrefix(e.Control, p) {
			return true
		}
	}
	if e.Control == "CloudTrail.1" {
		return true
	}
	rule := e.ConfigRule
	if rule == "" && e.Source == SourceConfig {
		rule = e.Check
	}
	for _, p := range []string{"iam-", "root-account-", "mfa-enabled-for-iam-console-access", "access-keys-rotated", "multi-region-cloudtrail-enabled", "security-account-information-provided"} {
		if strings.HasPrefix(rule, p) {
			return true
		}
	}
	// CIS section 1 is identity and access management in every version.
	for _, k := range append([]string{e.CIS}, e.CISItems...) {
		if _, item, ok := strings.Cut(k, "/"); ok && strings.HasPrefix(item, "1.") {
			return true
		}
	}
	return false
}

// scope is where an element of the model lives and what its evidence can
// be about.
type scope struct {
	// Resource is the element's own resource (a flow's is its target's).
	Resource *model.AWSResource
	// Account and Region are the element's, from its resource or the
	// nearest enclosing group that has one; Account is the model's only
	// account when nothing says otherwise.
	Account, Region string
	// Via are the related resources whose evidence reaches the element:
	// its security groups and the groups (subnet, VPC, ...) enclosing it.
	Via []via
}

// via is a related resource and how to name the relation to people.
type via struct {
	Keys []string
	Name string // "security group sg-0123 (bastion)", "subnet subnet-0a1b"
}

// scopes computes every element's scope.
func scopes(m *model.ThreatModel, accounts []string) map[string]*scope {
	groups := map[string]*model.Group{}
	for i := range m.Diagram.Groups {
		groups[m.Diagram.Groups[i].ID] = &m.Diagram.Groups[i]
	}
	out := map[string]*scope{}
	build := func(id string, r *model.AWSResource, parent string, props model.Properties) *scope {
		s := &scope{Resource: r}
		if r != nil {
			s.Account, s.Region = r.AccountID, r.Region
			if a, rg, _, _ := splitARN(r.ARN); s.Account == "" || s.Region == "" {
				s.Account, s.Region = cmpOr(s.Account, a), cmpOr(s.Region, rg)
			}
		}
		seen := map[string]bool{id: true}
		for p := parent; p != "" && !seen[p]; {
			seen[p] = true
			g := groups[p]
			if g == nil {
				break
			}
			if gr := g.Resource; gr != nil && gr.ResourceType != "AWS::::Account" {
				s.Account, s.Region = cmpOr(s.Account, gr.AccountID), cmpOr(s.Region, gr.Region)
				s.Via = append(s.Via, via{
					Keys: resourceKeys(gr.ARN, gr.ResourceType, gr.ResourceID, gr.AccountID, gr.Region),
					Name: viaName(gr.ResourceType, ResourceName(gr.ARN, gr.ResourceID), g.Name),
				})
			} else if gr != nil {
				s.Account = cmpOr(s.Account, gr.AccountID)
			}
			p = g.Parent
		}
		if s.Account == "" && len(accounts) == 1 {
			s.Account = accounts[0]
		}
		for _, sg := range securityGroups(props) {
			s.Via = append(s.Via, via{
				Keys: resourceKeys("", "AWS::EC2::SecurityGroup", sg.id, s.Account, s.Region),
				Name: "security group " + sg.label,
			})
		}
		return s
	}
	for i := range m.Diagram.Components {
		c := &m.Diagram.Components[i]
		out[c.ID] = build(c.ID, c.Resource, c.Parent, c.Properties)
	}
	for i := range m.Diagram.Groups {
		g := &m.Diagram.Groups[i]
		out[g.ID] = build(g.ID, g.Resource, g.Parent, g.Properties)
	}
	for i := range m.Diagram.Flows {
		f := &m.Diagram.Flows[i]
		if t := out[f.Target]; t != nil {
			out[f.ID] = t
		}
	}
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// viaName names a related resource for people: "subnet subnet-0a1b (data
// a)".
func viaName(typ, id, name string) string {
	kind := typ
	if _, rest, ok := strings.Cut(typ, "::"); ok {
		if _, res, ok := strings.Cut(rest, "::"); ok {
			kind = strings.ToLower(res)
		}
	}
	s := strings.TrimSpace(kind + " " + id)
	if name != "" && name != id {
		s += " (" + name + ")"
	}
	return s
}

type sgRef struct{ id, label string }

// securityGroups reads an element's "securityGroups" property: the group
// ids, each optionally followed by its name ("sg-0123 (bastion)"), as the
// VPC builder writes them.
func securityGroups(props model.Properties) []sgRef {
	raw, ok := props["securityGroups"]
	if !ok {
		return nil
	}
	var list []string
	if json.Unmarshal(raw, &list) != nil {
		var one string
		if json.Unmarshal(raw, &one) != nil {
			return nil
		}
		list = strings.Split(one, ",")
	}
	var out []sgRef
	for _, v := range list {
		v = strings.TrimSpace(v)
		id, _, _ := strings.Cut(v, " ")
		if strings.HasPrefix(id, "sg-") {
			out = append(out, sgRef{id: id, label: v})
		}
	}
	return out
}
