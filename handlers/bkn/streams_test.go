package bkn

import (
	"testing"
	"time"
)

// TestStreamsKeepLinesAndDocsOnlyWhileNeeded: the lines and documents streams age out after twice
// the duplicate window (the hub's data file holds what it received; the stream's copy would double
// the hub's disk), the decisions stream never does (an office may be away for weeks).
func TestStreamsKeepLinesAndDocsOnlyWhileNeeded(t *testing.T) {
	for _, sc := range StreamConfigs(StreamsConfig{DupWindow: 3 * 24 * time.Hour}) {
		want := time.Duration(0)
		if sc.Name == StreamLines || sc.Name == StreamDocs {
			want = 6 * 24 * time.Hour
		}
		if sc.MaxAge != want {
			t.Errorf("%s keeps messages %v, want %v", sc.Name, sc.MaxAge, want)
		}
		if sc.MaxAge != 0 && sc.MaxAge < sc.Duplicates {
			t.Errorf("%s: an age limit under the duplicate window", sc.Name)
		}
	}
}
