package jira

import "testing"

func TestToJiraMarkup(t *testing.T) {
	tests := []struct{ name, md, want string }{
		{"heading", "# Title\n### Sub ###", "h1. Title\nh3. Sub"},
		{"bold and italic", "**bold** and *it* and _also_ and __b2__", "*bold* and _it_ and _also_ and *b2*"},
		{"bold inside italic text", "a **b** *c* d", "a *b* _c_ d"},
		{"snake_case is not italic", "use my_var_name here", "use my_var_name here"},
		{"inline code verbatim", "set `**x**` to `a_b_c`", "set {{**x**}} to {{a_b_c}}"},
		{"link and image", "see [docs](https://example.com/a) ![d](https://example.com/i.png)", "see [docs|https://example.com/a] !https://example.com/i.png!"},
		{"nested bullets", "- one\n  - two\n    * three\n- four", "* one\n** two\n*** three\n* four"},
		{"numbered", "1. first\n2. second\n   1. inner", "# first\n# second\n## inner"},
		{"quote and rule", "> careful\n---\ntext", "bq. careful\n----\ntext"},
		{"strike", "~~old~~ new", "-old- new"},
		{"fenced code", "```go\nx := *p // **not bold**\n```\nafter **b**", "{code:go}\nx := *p // **not bold**\n{code}\nafter *b*"},
		{"unterminated fence", "```\ncode", "{code}\ncode\n{code}"},
		{"CRLF", "# A\r\n- b", "h1. A\n* b"},
		{"plain", "nothing to do: 3 * 4 = 12", "nothing to do: 3 * 4 = 12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ToJiraMarkup(tt.md); got != tt.want {
				t.Errorf("ToJiraMarkup(%q)\n got %q\nwant %q", tt.md, got, tt.want)
			}
		})
	}
}
