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

// TestModelHistory: the workflows' saves keep as many versions as the
// API's, with summaries.
func TestModelHistory(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{{"", 200}, {"7", 7}, {"0", 0}} {
		h, err := Config{HistoryKeep: tc.in}.modelHistory(nil, nil)
		if err != nil || h.Keep != tc.want || h.Summarize == nil {
			t.Errorf("history-keep %q: %+v %v, want keep %d", tc.in, h, err, tc.want)
		}
	}
	if _, err := (Config{HistoryKeep: "lots"}).modelHistory(nil, nil); err == nil {
		t.Error("history-keep lots: no error")
	}
}
