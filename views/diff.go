package views

import "unicode/utf8"

// Change is an old and a new value cut into what they share at the start (Prefix) and at the end
// (Suffix) and the middles that differ (Old, New): what a verifier must look at when
// "3324020607720262" became "3324024607720262".
type Change struct {
	Prefix, Old, New, Suffix string
}

// Marked tells whether highlighting the middles helps: the values share a start or an end. When
// they share nothing the whole value changed and the old → new display already says so.
func (c Change) Marked() bool {
	return (c.Prefix != "" || c.Suffix != "") && (c.Old != "" || c.New != "")
}

// Diff cuts old and new by their common prefix and suffix, by characters (never inside a UTF-8
// sequence), the suffix not overlapping the prefix. A small diff is enough for one field's value.
func Diff(old, new string) Change {
	p := 0
	for p < len(old) && p < len(new) {
		ro, n := utf8.DecodeRuneInString(old[p:])
		rn, _ := utf8.DecodeRuneInString(new[p:])
		if ro != rn {
			break
		}
		p += n
	}
	s := 0
	for s < len(old)-p && s < len(new)-p {
		ro, n := utf8.DecodeLastRuneInString(old[:len(old)-s])
		rn, m := utf8.DecodeLastRuneInString(new[:len(new)-s])
		if ro != rn || n != m {
			break
		}
		s += n
	}
	return Change{Prefix: old[:p], Old: old[p : len(old)-s], New: new[p : len(new)-s], Suffix: old[len(old)-s:]}
}
