package app

import "testing"

func TestHistoryKeep(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{{"", 0, true}, {"200", 200, true}, {"1", 1, true}, {"0", -1, true}, {"-3", 0, false}, {"lots", 0, false}} {
		got, err := Config{HistoryKeep: tc.in}.historyKeep()
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("history-keep %q: %d %v", tc.in, got, err)
		}
	}
}
