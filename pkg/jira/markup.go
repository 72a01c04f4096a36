package jira

import (
	"regexp"
	"strings"
)

// ToJiraMarkup converts the Markdown Bulwark writes (headings, emphasis,
// inline and fenced code, links, images, bullet and numbered lists with
// nesting, block quotes, rules) to Jira wiki markup, the format of the
// description field in REST API v2. Code is copied verbatim; anything it
// does not recognize passes through unchanged.
func ToJiraMarkup(md string) string {
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	out := make([]string, 0, len(lines))
	inCode := false
	for _, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") {
			if inCode {
				out = append(out, "{code}")
			} else if lang := strings.TrimSpace(strings.TrimPrefix(trimmed, "```")); lang != "" {
				out = append(out, "{code:"+lang+"}")
			} else {
				out = append(out, "{code}")
			}
			inCode = !inCode
			continue
		}
		if inCode {
			out = append(out, line)
			continue
		}
		out = append(out, blockLine(line))
	}
	if inCode {
		out = append(out, "{code}")
	}
	return strings.Join(out, "\n")
}

var (
	mdHeading = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
	mdBullet  = regexp.MustCompile(`^(\s*)[-*+]\s+(.*)$`)
	mdOrdered = regexp.MustCompile(`^(\s*)\d+[.)]\s+(.*)$`)
	mdQuote   = regexp.MustCompile(`^\s*>\s?(.*)$`)
	mdRule    = regexp.MustCompile(`^\s*(-\s*){3,}$|^\s*(\*\s*){3,}$|^\s*(_\s*){3,}$`)
)

func blockLine(line string) string {
	switch {
	case mdRule.MatchString(line):
		return "----"
	case mdHeading.MatchString(line):
		m := mdHeading.FindStringSubmatch(line)
		return "h" + string(rune('0'+len(m[1]))) + ". " + inline(m[2])
	case mdBullet.MatchString(line):
		m := mdBullet.FindStringSubmatch(line)
		return strings.Repeat("*", depth(m[1])) + " " + inline(m[2])
	case mdOrdered.MatchString(line):
		m := mdOrdered.FindStringSubmatch(line)
		return strings.Repeat("#", depth(m[1])) + " " + inline(m[2])
	case mdQuote.MatchString(line):
		return "bq. " + inline(mdQuote.FindStringSubmatch(line)[1])
	}
	return inline(line)
}

// depth is the list level of an indentation: two spaces (or a tab) per
// level.
func depth(indent string) int {
	n := strings.Count(indent, "\t")*2 + strings.Count(indent, " ")
	return n/2 + 1
}

var (
	mdCodeSpan = regexp.MustCompile("`([^`]+)`")
	mdImage    = regexp.MustCompile(`!\[[^\]]*\]\(([^)\s]+)\)`)
	mdLink     = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
	mdBold     = regexp.MustCompile(`\*\*([^*]+)\*\*|__([^_]+)__`)
	mdItalic   = regexp.MustCompile(`(^|[^\w*])\*([^*\s][^*]*)\*|(^|[^\w])_([^_\s][^_]*)_`)
	mdStrike   = regexp.MustCompile(`~~([^~]+)~~`)
)

// boldMark stands in for a converted bold span while italics are
// converted, so that Jira's *bold* is not read as Markdown emphasis.
const boldMark = "\x00"

// inline converts the spans of one line, leaving code spans verbatim.
func inline(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range mdCodeSpan.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(spans(s[last:m[0]]))
		b.WriteString("{{" + s[m[2]:m[3]] + "}}")
		last = m[1]
	}
	b.WriteString(spans(s[last:]))
	return b.String()
}

func spans(s string) string {
	s = mdImage.ReplaceAllString(s, "!$1!")
	s = mdLink.ReplaceAllString(s, "[$1|$2]")
	s = mdBold.ReplaceAllString(s, boldMark+"$1$2"+boldMark)
	s = mdItalic.ReplaceAllStringFunc(s, func(m string) string {
		sm := mdItalic.FindStringSubmatch(m)
		if sm[2] != "" {
			return sm[1] + "_" + sm[2] + "_"
		}
		return sm[3] + "_" + sm[4] + "_"
	})
	s = mdStrike.ReplaceAllString(s, "-$1-")
	return strings.ReplaceAll(s, boldMark, "*")
}
