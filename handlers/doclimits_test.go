package handlers

import (
	"testing"

	"github.com/gofiber/fiber/v2"
)

// TestUploadPastTheProposalLimitIsRefusedAtTheFileField: the sixth document on one proposal (the
// default limit is five) is answered 422 with the store's sentence in the document box, at the
// file field, and is not stored.
func TestUploadPastTheProposalLimitIsRefusedAtTheFileField(t *testing.T) {
	w := newWorld(t)
	pns := w.as(nipBudi)
	proposeNama(t, pns)
	for i := range 5 {
		if r := pns.upload("nama", "Ijazah", "ijazah.pdf", pdfDoc, "dok-nama"); r.status != fiber.StatusOK {
			t.Fatalf("upload %d of 5: %d %s", i+1, r.status, r.body)
		}
	}
	r := pns.upload("nama", "Ijazah", "ijazah.pdf", pdfDoc, "dok-nama")
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("the sixth upload: %d, want 422", r.status)
	}
	contains(t, "the refusal", r.body, "sudah memuat 5 dokumen, batasnya 5", "Lepas dokumen")
	if n := len(docsOf(t, w, "nama")); n != 5 {
		t.Fatalf("%d documents stored, want 5", n)
	}
}
