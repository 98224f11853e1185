package handlers

import (
	"net/url"
	"strings"
	"testing"
)

// TestAProposalAnswersItsOwnTabCount: a proposal's htmx answer (Simpan, and an autosave) carries
// the form's count and the count of the field's own tab, updated, and no other tab's: an answer on
// a field changes no other tab's count, and rendering every tab was a tenth of the POST.
func TestAProposalAnswersItsOwnTabCount(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	for _, c := range []struct{ target, value string }{{"f-tempat_lahir", "Kendal"}, {"msg-tempat_lahir", "Kendal Kota"}} {
		r := pns.hx("POST", "/data/utama/tempat_lahir", url.Values{"nilai": {c.value}, "alasan": {"sesuai akta"}}, c.target)
		if r.status != 200 {
			t.Fatalf("%s: %d\n%s", c.target, r.status, r.body)
		}
		contains(t, c.target, r.body, `id="kemajuan"`, `id="kemajuan-tab-utama"`, "1 usulan perbaikan")
		if n := strings.Count(r.body, `id="kemajuan-tab-`); n != 1 {
			t.Errorf("%s: %d tab counts in the answer, want the field's own only", c.target, n)
		}
	}
}
