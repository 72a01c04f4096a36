package catalog

import (
	"strings"
	"unicode"
)

// acronyms are the words a property name spells in lower camel case that
// people write in capitals (or their own way).
var acronyms = map[string]string{
	"ip": "IP", "imdsv2": "IMDSv2", "mfa": "MFA", "az": "AZ", "kms": "KMS", "tls": "TLS", "vpc": "VPC",
	"url": "URL", "https": "HTTPS", "http": "HTTP", "cidr": "CIDR", "os": "OS", "id": "ID", "arn": "ARN",
	"dns": "DNS", "iam": "IAM", "acl": "ACL", "waf": "WAF", "ssl": "SSL", "ssh": "SSH", "s3": "S3", "ttl": "TTL",
}

// DisplayName is the property's name for people: its Label, or one derived
// from Name ("publicIp" → "Public IP", "imdsv2Required" → "IMDSv2 required",
// "multiAZ" → "Multi-AZ").
func (p *Property) DisplayName() string {
	if p.Label != "" {
		return p.Label
	}
	return PropertyLabel(p.Name)
}

// PropertyLabel turns a lower camel case property name into words in
// sentence case, acronyms in capitals.
func PropertyLabel(name string) string {
	var words []string
	var cur []rune
	rs := []rune(name)
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	for i, r := range rs {
		switch {
		case r == '_' || r == '-' || r == ' ' || r == '.':
			flush()
			continue
		case unicode.IsUpper(r) && i > 0:
			// A new word starts at an upper-case letter after a lower-case
			// one or a digit, or before a lower-case one inside a run of
			// capitals ("ARNValue" → "ARN", "Value").
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	for i, w := range words {
		lw := strings.ToLower(w)
		switch {
		case acronyms[lw] != "":
			words[i] = acronyms[lw]
		case i == 0:
			words[i] = strings.ToUpper(lw[:1]) + lw[1:]
		default:
			words[i] = lw
		}
	}
	out := strings.Join(words, " ")
	return strings.Replace(out, "Multi AZ", "Multi-AZ", 1)
}
