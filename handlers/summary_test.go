package handlers

import (
	"strings"
	"testing"

	"pupns/store"
	"pupns/store/storetest"
)

// TestSummaryMonitorsUnitsByScope: /ringkasan shows a progress bar and the numbers of every unit
// in the viewer's scope (Level 1 their SKPD only), sorts the SKPDs by progress on ?urut=kemajuan,
// and links every number to the list of PNS behind it (an SKPD's narrowed to the SKPD, a unit's
// to the unit), in Indonesian number formats.
func TestSummaryMonitorsUnitsByScope(t *testing.T) {
	w := newWorld(t)
	made := store.Actor{Login: storetest.NIPMade, Role: store.RolePNS, NIP: storetest.NIPMade}
	if _, err := w.st.Confirm(made, made.NIP, store.AllCheckKeys(), true); err != nil {
		t.Fatal(err)
	}
	if _, err := w.st.Kirim(made, made.NIP); err != nil { // nothing to change: done at once
		t.Fatal(err)
	}

	admin := w.as(storetest.LoginAdmin)
	r := admin.get("/ringkasan")
	contains(t, "admin summary", r.body, `id="pemantauan"`, `id="unit-U01"`, `id="unit-U01-01"`, `id="unit-U02"`,
		`<progress value="1000" max="1000" aria-label="Kemajuan Dinas Kesehatan">100,0 %</progress>`,
		`1 dari 1 PNS mengirim`, `0 dari 2 PNS mengirim`, `<a href="/ringkasan/pns?status=terkirim" id="jumlah-kirim">1</a>`,
		`<a href="/ringkasan/pns?skpd=U01&amp;status=belum">2</a>`, `<a href="/ringkasan/pns?status=master&amp;unit=U01.01">1</a>`,
		`id="urut-kemajuan"`)
	if strings.Index(r.body, `id="unit-U02"`) > strings.Index(r.body, `id="unit-U01"`) {
		t.Fatal("by name, Dinas Kesehatan (U02) comes before Dinas Pendidikan (U01)")
	}
	r = admin.get("/ringkasan?urut=kemajuan")
	if i, j := strings.Index(r.body, `id="unit-U01"`), strings.Index(r.body, `id="unit-U02"`); i < 0 || j < i {
		t.Fatal("by progress, the least advanced SKPD (U01, 0%) comes first")
	}
	contains(t, "sorted", r.body, `id="urut-nama"`)

	r = w.as(storetest.LoginV1).get("/ringkasan")
	contains(t, "Level 1 summary", r.body, `id="unit-U01"`, `id="jumlah-kirim">0</a>`, `id="jumlah-belum">2</a>`)
	if strings.Contains(r.body, `id="unit-U02"`) {
		t.Fatal("a Level 1 verifier of U01 sees SKPD U02")
	}
}

// TestSummaryBacklogChart: the summary draws the backlog per level as an SVG bar chart whose text
// alternative carries the numbers; the longest bar is the level with the most waiting.
func TestSummaryBacklogChart(t *testing.T) {
	w := newWorld(t)
	made := store.Actor{Login: storetest.NIPMade, Role: store.RolePNS, NIP: storetest.NIPMade}
	if _, _, err := w.st.Propose(made, made.NIP, "alamat", "Jl. Kartini No. 7, Semarang", "pindah rumah"); err != nil {
		t.Fatal(err)
	}
	form, err := w.st.Form(made, made.NIP)
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range form.MissingDocs("alamat") {
		pdf := strings.NewReader("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
		if _, _, err := w.st.AddDocument(made, made.NIP, "alamat", kind, kind+".pdf", pdf); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.st.Confirm(made, made.NIP, store.AllCheckKeys(), true); err != nil {
		t.Fatal(err)
	}
	if _, err := w.st.Kirim(made, made.NIP); err != nil {
		t.Fatal(err)
	}
	r := w.as(storetest.LoginAdmin).get("/ringkasan")
	contains(t, "chart", r.body, `<svg id="grafik-antrean" role="img"`,
		`<desc id="grafik-antrean-isi">Level 1: 1 (terlama menunggu kurang dari sehari); Level 2: 0; Level 3: 0; Level 4: 0</desc>`,
		`width="200" height="16"`, `width="0" height="16"`)
}
