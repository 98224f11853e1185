package store_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"go.etcd.io/bbolt"
)

// bytesReader is a fresh reader over b (one per upload).
func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// campaignPart names the part of the file a bucket counts toward. document_blobs holds the
// documents' bytes, which the figure leaves out; every secondary index is an index.
func campaignPart(bucket string) string {
	switch bucket {
	case "records", "versions", "events", "sessions":
		return bucket
	case "document_blobs":
		return "documents"
	case "users_by_regno", "users_pending", "submissions_by_nip", "inbox", "inbox_count", "counters", "pns_state",
		"pns_by_state", "daily", "events_by_nip", "sessions_by_login", "documents_by_nip":
		return "indexes"
	}
	if strings.Contains(bucket, "_by_") || strings.HasPrefix(bucket, "idx") || strings.Contains(bucket, "index") {
		return "indexes" // an index a later change adds
	}
	return "other"
}

// campaignParts are the parts reported, in order; "documents" is reported but not counted.
var campaignParts = []string{"records", "versions", "events", "indexes", "sessions", "other"}

// weight is the data file of a campaign weighed: bytes of pages per part and per bucket (of the
// compacted file, so free pages do not count), the file as the run left it and compacted.
type weight struct {
	pns             int
	file, compacted int64
	parts, buckets  map[string]int64
	keys            map[string]int
}

// weighCampaign compacts the file at path into a copy beside it and weighs the copy's buckets.
func weighCampaign(tb testing.TB, path string, pns int) weight {
	w := weight{pns: pns, parts: map[string]int64{}, buckets: map[string]int64{}, keys: map[string]int{}}
	fi, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	w.file = fi.Size()
	src, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer src.Close()
	out := path + ".compact"
	dst, err := bbolt.Open(out, 0o600, &bbolt.Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer os.Remove(out)
	defer dst.Close()
	if err := bbolt.Compact(dst, src, 64<<20); err != nil {
		tb.Fatal(err)
	}
	if fi, err = os.Stat(out); err != nil {
		tb.Fatal(err)
	}
	w.compacted = fi.Size()
	err = dst.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			st := b.Stats()
			n := int64(st.BranchAlloc + st.LeafAlloc + st.InlineBucketInuse)
			w.buckets[string(name)] = n
			w.keys[string(name)] = st.KeyN
			w.parts[campaignPart(string(name))] += n
			return nil
		})
	})
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

// perPNS is the file's bytes per PNS without the documents: every part but "documents".
func (w weight) perPNS() float64 {
	var sum int64
	for _, p := range campaignParts {
		sum += w.parts[p]
	}
	return float64(sum) / float64(w.pns)
}

// report prints the table and reports the figures as benchmark metrics.
func (w weight) report(b *testing.B) {
	var sb strings.Builder
	fmt.Fprintf(&sb, "data file per PNS without documents: %.0f B (file as run %.1f MB, compacted %.1f MB, documents %.1f MB)\n",
		w.perPNS(), mb(w.file), mb(w.compacted), mb(w.parts["documents"]))
	for _, p := range campaignParts {
		fmt.Fprintf(&sb, "  %-9s %8.0f B/PNS\n", p, float64(w.parts[p])/float64(w.pns))
	}
	names := make([]string, 0, len(w.buckets))
	for n := range w.buckets {
		names = append(names, n)
	}
	slices.SortFunc(names, func(x, y string) int { return int(w.buckets[y] - w.buckets[x]) })
	for _, n := range names {
		fmt.Fprintf(&sb, "    %-20s %-9s %8.0f B/PNS %8d keys\n", n, campaignPart(n), float64(w.buckets[n])/float64(w.pns), w.keys[n])
	}
	fmt.Print(sb.String()) // b.Log would cut the table at ten lines
	b.ReportMetric(w.perPNS(), "B/PNS")
	for _, p := range campaignParts {
		b.ReportMetric(float64(w.parts[p])/float64(w.pns), p+"-B/PNS")
	}
	b.ReportMetric(float64(w.file)/float64(w.pns), "file-B/PNS")
	b.ReportMetric(float64(w.compacted)/float64(w.pns), "compacted-B/PNS")
}

func mb(n int64) float64 { return float64(n) / 1e6 }
