package model

import (
	"regexp"
	"testing"
)

// The patterns validID, validType and validAccount read by hand.
var (
	idPattern      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:@/-]*$`)
	typePattern    = regexp.MustCompile(`^[a-z][a-z0-9]*(\.[a-z0-9][a-z0-9-]*)+$`)
	accountPattern = regexp.MustCompile(`^\d{12}$`)
)

var patternCases = []string{"", "a", "A", "0", "aws.ec2", "aws.ec2-x", "aws.", "aws..ec2", ".aws", "aws.-x", "aws.0x", "Aws.ec2",
	"aws.ec2.", "aws.ec2.b", "a.b-", "a1.b", "1a.b", "a.b\n", "a\n", "c-1", "c_1:x@y/z", "-c", "c d", "c\u00e9", "123456789012",
	"12345678901", "1234567890123", "12345678901a", "١٢٣٤٥٦٧٨٩٠١٢"}

func TestPatternsMatchTheirRegexps(t *testing.T) {
	for _, s := range patternCases {
		checkPatterns(t, s)
	}
}

func FuzzPatterns(f *testing.F) {
	for _, s := range patternCases {
		f.Add(s)
	}
	f.Fuzz(checkPatterns)
}

func checkPatterns(t *testing.T, s string) {
	if got, want := validID(s), idPattern.MatchString(s); got != want {
		t.Errorf("validID(%q) = %v, want %v", s, got, want)
	}
	if got, want := validType(s), typePattern.MatchString(s); got != want {
		t.Errorf("validType(%q) = %v, want %v", s, got, want)
	}
	if got, want := validAccount(s), accountPattern.MatchString(s); got != want {
		t.Errorf("validAccount(%q) = %v, want %v", s, got, want)
	}
}
