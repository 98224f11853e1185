package views

import "testing"

// TestDiffFindsTheChangedCharacters: the audit's two examples, a pure insertion, a removal, a
// multi-byte name, and values that share nothing.
func TestDiffFindsTheChangedCharacters(t *testing.T) {
	for _, c := range []struct {
		old, new string
		want     Change
		marked   bool
	}{
		{"3324020607720262", "3324024607720262", Change{"332402", "0", "4", "607720262"}, true},
		{"Linda Susatno", "Linda Susanto", Change{"Linda Susa", "tn", "nt", "o"}, true},
		{"Budi", "Budi Santoso", Change{"Budi", "", " Santoso", ""}, true},
		{"aaa", "aa", Change{"aa", "a", "", ""}, true},
		{"Ñoño Ü", "Ñoña Ü", Change{"Ñoñ", "o", "a", " Ü"}, true},
		{"é", "è", Change{"", "é", "è", ""}, false},
		{"", "baru", Change{"", "", "baru", ""}, false},
		{"sama", "sama", Change{"sama", "", "", ""}, false},
	} {
		got := Diff(c.old, c.new)
		if got != c.want || got.Marked() != c.marked {
			t.Errorf("Diff(%q, %q) = %+v (marked %v), want %+v (marked %v)", c.old, c.new, got, got.Marked(), c.want, c.marked)
		}
		if got.Prefix+got.Old+got.Suffix != c.old || got.Prefix+got.New+got.Suffix != c.new {
			t.Errorf("Diff(%q, %q) = %+v does not rebuild both values", c.old, c.new, got)
		}
	}
}
