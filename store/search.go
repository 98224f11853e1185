package store

import (
	"slices"
	"strings"
	"unicode"

	"go.etcd.io/bbolt"
)

// The inbox's search index (bucket inbox_search): for every inbox row, one key per search term of
// the row, level + scope + 0x00 + kind + term + 0x00 + time + id -> "", where kind is termName (a
// normalised name token, SearchTokens), termNIP (the 18-digit NIP) or termUnit (the unit id). The
// time + id suffix is the row's own inbox key suffix, so a term's rows come newest last, and a search
// is a seek per term within the verifier's level and scope: a page costs its own rows, at 250,000
// waiting as at 2,000, and a term that matches nothing costs one seek. inboxPut and inboxRemove keep
// it in the transaction of every change to the inbox.

// Search term kinds, the first byte of a term in the index.
const (
	termName = 'n'
	termNIP  = 'p'
	termUnit = 'u'
)

// Bounds on what one row indexes and one query reads.
const (
	minTokenLen   = 2  // a one-letter token (the H. of a title) is neither indexed nor searched
	maxTokenLen   = 40 // longer tokens are indexed by their first 40 bytes
	maxNameTokens = 12 // tokens of one name beyond these are not indexed
	maxTermTokens = 64 // a prefix matching more distinct tokens is checked on the rows, not walked
)

// SearchTokens normalises text into the tokens a name search matches: lower case, diacritics
// folded (ï → i, é → e, ß → ss), apostrophes dropped inside a word (Ma'ruf → maruf), and every other
// character that is not a letter or a digit a separator (so "Dr. Siti Nurhayatì, S.Pd." gives dr,
// siti, nurhayati, s, pd). Each token appears once, in order of first appearance.
func SearchTokens(text string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 && !slices.Contains(out, cur.String()) {
			out = append(out, cur.String())
		}
		cur.Reset()
	}
	for _, r := range text {
		r = unicode.ToLower(r)
		switch {
		case unicode.Is(unicode.Mn, r), strings.ContainsRune("'`’‘ʼ", r):
			// a combining accent (a decomposed ï) or an apostrophe: part of the word, not a letter
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if f, ok := foldTable[r]; ok {
				cur.WriteString(f)
			} else {
				cur.WriteRune(r)
			}
		default:
			flush()
		}
	}
	flush()
	return out
}

// foldTable maps the accented Latin letters names are written with to their base letters.
var foldTable = func() map[rune]string {
	m := map[rune]string{'æ': "ae", 'œ': "oe", 'ß': "ss", 'ø': "o", 'đ': "d", 'ħ': "h", 'ł': "l", 'ŧ': "t", 'ı': "i"}
	for base, accented := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ď", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥ",
		"i": "ìíîïĩīĭį", "j": "ĵ", "k": "ķ", "l": "ĺļľŀ", "n": "ñńņňŉ", "o": "òóôõöōŏő",
		"r": "ŕŗř", "s": "śŝşšș", "t": "ţťț", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// nameTerms is the name tokens a row indexes: long enough, cut to maxTokenLen, at most maxNameTokens.
func nameTerms(name string) []string {
	var out []string
	for _, t := range SearchTokens(name) {
		if len(t) < minTokenLen {
			continue
		}
		if len(t) > maxTokenLen {
			t = strings.ToValidUTF8(t[:maxTokenLen], "")
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
		if len(out) == maxNameTokens {
			break
		}
	}
	return out
}

// searchTerms is every term an inbox row is found by: kind byte + term.
func (e inboxEntry) searchTerms() []string {
	out := []string{string(termNIP) + e.NIP, string(termUnit) + e.UnitID}
	for _, t := range nameTerms(e.Name) {
		out = append(out, string(termName)+t)
	}
	return out
}

// searchKey is a term's key for the inbox row whose key is k: k's level + scope prefix, the term,
// 0x00, then k's time + id.
func searchKey(k []byte, term string) []byte {
	cut := len(k) - 16
	return cat(k[:cut], []byte(term), []byte{0}, k[cut:])
}

// searchUpdate moves the inbox row k's terms in the index from old to nw: it deletes those no longer
// held and adds the new ones, in the transaction that changes the row.
func searchUpdate(tx *bbolt.Tx, k []byte, old, nw []string) error {
	b := bk(tx, bInboxSearch)
	for _, t := range old {
		if !slices.Contains(nw, t) {
			if err := b.Delete(searchKey(k, t)); err != nil {
				return err
			}
		}
	}
	for _, t := range nw {
		if !slices.Contains(old, t) {
			if err := b.Put(searchKey(k, t), nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// storedTerms is the terms of the row stored under k (none when there is none, or it cannot be
// read: a rebuild repairs such a row).
func storedTerms(b bucket, k []byte) []string {
	v := b.Get(k)
	if v == nil {
		return nil
	}
	e, err := decodeInboxEntry(v)
	if err != nil {
		return nil
	}
	return e.searchTerms()
}
