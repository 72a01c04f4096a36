package convert

import (
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

// FitText makes source text acceptable to the model: characters the model
// refuses (control and bidirectional-override characters) are removed, and
// text longer than max runes is cut, ending with "…". It reports whether
// the text changed.
func FitText(s string, max int) (string, bool) {
	changed := false
	if model.TextProblem(s) != "" {
		s = strings.ToValidUTF8(s, "\uFFFD")
		s = strings.Map(func(r rune) rune {
			if model.TextProblem(string(r)) != "" {
				return -1
			}
			return r
		}, s)
		changed = true
	}
	if r := []rune(s); len(r) > max {
		s = string(r[:max-1]) + "…"
		changed = true
	}
	return s, changed
}

// OrDefault returns s, or def when s is blank.
func OrDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
