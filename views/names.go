package views

import (
	"sync"

	"github.com/a-h/templ"
)

// fieldNames are the ids and URLs of one field's row. A page renders every field and htmx answers
// re-render single rows, so for the PNS's own form (base "") they are built once per field rather
// than concatenated on every render; an operator's form (base with a NIP) builds them per render.
type fieldNames struct {
	Row, RowSel, EditURL, SesuaiURL, BatalURL    string
	Cross, SesuaiBtn, SesuaiBadge, BatalBtn, Fix string
	Sesuai, Batal, EditHref                      templ.SafeURL
}

var namesCache sync.Map // tab + "/" + key → *fieldNames

// namesOf returns the ids and URLs of a row.
func namesOf(r FieldRow) *fieldNames {
	if r.Base == "" {
		ck := r.Tab + "/" + r.Field.Key
		if n, ok := namesCache.Load(ck); ok {
			return n.(*fieldNames)
		}
		n := buildNames(r)
		namesCache.Store(ck, n)
		return n
	}
	return buildNames(r)
}

func buildNames(r FieldRow) *fieldNames {
	key := r.Field.Key
	url := fieldURL(r)
	row := rowID(key)
	return &fieldNames{
		Row: row, RowSel: "#" + row,
		EditURL: url + "/ubah", SesuaiURL: url + "/sesuai", BatalURL: url + "/batal",
		Cross: "silang-" + key, SesuaiBtn: "tombol-sesuai-" + key, SesuaiBadge: "sesuai-" + key, BatalBtn: "batal-" + key,
		Fix:    "Perbaiki " + r.Field.Label,
		Sesuai: templ.SafeURL(url + "/sesuai"), Batal: templ.SafeURL(url + "/batal"), EditHref: templ.SafeURL(editHref(r)),
	}
}
