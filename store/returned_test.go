package store_test

import (
	"bytes"
	"errors"
	"testing"

	"pupns/store"
)

// TestReturnedFormOpensOnlyTheBTSLines: after a return, the PNS may change only what was returned
// (BTS), for history rows and documents as for fields: a row or document of a line the verifier
// approved stays as it was decided, and no new row slips in.
func TestReturnedFormOpensOnlyTheBTSLines(t *testing.T) {
	f := newFx(t)
	row, _, err := f.s.ProposeRow(f.budi, nipBudi, "diklat_fungsional", "", store.OpTambah,
		map[string]string{"nama_diklat": "Bimtek Arsip", "penyelenggara": "ANRI", "tahun": "2015", "jumlah_jam": "40"}, "sertifikat")
	fxMust(t, err)
	f.attachDocs(f.budi, row.Field)
	sub := f.send(f.budi, fxUsul{"alamat", "Jl. Diponegoro No. 5, Semarang", "pindah rumah"})
	f.decide(f.v1U01, sub.ID, row.Field, store.BTS, "sertifikat tidak terbaca")
	f.decide(f.v1U01, sub.ID, "alamat", store.Setuju, "")
	if got, err := f.s.Forward(f.v1U01, sub.ID, f.rev(f.v1U01, sub.ID)); err != nil || got.State != store.StateReturned {
		t.Fatalf("forward: %v %v", got.State, err)
	}

	// The returned row may change, and take a new document.
	_, id, _ := store.ParseRowKey(row.Field)
	_, _, err = f.s.ProposeRow(f.budi, nipBudi, "diklat_fungsional", id, store.OpTambah,
		map[string]string{"nama_diklat": "Bimtek Kearsipan", "penyelenggara": "ANRI", "tahun": "2015", "jumlah_jam": "40"}, "sertifikat baru")
	fxMust(t, err)
	need, may := store.DocsFor(row.Field, store.OpTambah)
	kind := append(need, may...)[0]
	_, _, err = f.s.AddDocument(f.budi, nipBudi, row.Field, kind, "baru.pdf", bytes.NewReader(fxPDF))
	fxMust(t, err)

	// A new row, and a document on the approved line, are refused at the field.
	_, _, err = f.s.ProposeRow(f.budi, nipBudi, "diklat_fungsional", "", store.OpTambah,
		map[string]string{"nama_diklat": "Diklat Lain", "penyelenggara": "BKD", "tahun": "2016", "jumlah_jam": "20"}, "tambahan")
	var fe *store.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("a new row on a returned form: %v, want a message at the field", err)
	}
	docsBefore := len(form0Docs(t, f, "alamat"))
	_, _, err = f.s.AddDocument(f.budi, nipBudi, "alamat", "KTP", "ktp2.pdf", bytes.NewReader(fxPDF))
	if !errors.As(err, &fe) || fe.Field != "berkas" {
		t.Fatalf("a document on an approved line: %v, want a message at berkas", err)
	}
	if after := len(form0Docs(t, f, "alamat")); after != docsBefore || after == 0 {
		t.Fatalf("the approved line's documents changed: %d → %d", docsBefore, after)
	}
}

func form0Docs(t *testing.T, f *fx, key string) []store.DocMeta {
	t.Helper()
	form, err := f.s.Form(f.budi, nipBudi)
	fxMust(t, err)
	return form.Docs[key]
}

// TestSelfAssessmentChangedThenReturnedCanBeSentAgain: a PNS who changed their self assessment
// (applied straight into the record at Kirim) and had another line returned fixes that line and
// sends again: the self assessment stays checked, as the value it became.
func TestSelfAssessmentChangedThenReturnedCanBeSentAgain(t *testing.T) {
	f := newFx(t)
	sub := f.send(f.budi, fxUsul{"alamat", "Jl. Diponegoro No. 5, Semarang", "pindah rumah"},
		fxUsul{"bahasa_asing", "Inggris (mahir)", "kursus selesai"})
	rec, err := f.s.Record(nipBudi)
	fxMust(t, err)
	if rec.Fields["bahasa_asing"] != "Inggris (mahir)" {
		t.Fatalf("self assessment not applied at Kirim: %q", rec.Fields["bahasa_asing"])
	}
	f.decide(f.v1U01, sub.ID, "alamat", store.BTS, "alamat tidak lengkap")
	if got, err := f.s.Forward(f.v1U01, sub.ID, f.rev(f.v1U01, sub.ID)); err != nil || got.State != store.StateReturned {
		t.Fatalf("forward: %v %v", got.State, err)
	}
	f.propose(f.budi, fxUsul{"alamat", "Jl. Diponegoro No. 5 RT 2 RW 3, Semarang", "pindah rumah"})
	again, err := f.s.Kirim(f.budi, nipBudi)
	if err != nil {
		t.Fatalf("sending again after a return: %v", err)
	}
	if again.ID != sub.ID || again.Round != 2 {
		t.Fatalf("sent again as #%d round %d, want #%d round 2", again.ID, again.Round, sub.ID)
	}
}
