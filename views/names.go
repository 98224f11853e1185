package views

import (
	"sync"

	"github.com/a-h/templ"
)

// fieldNames are the ids and URLs of one field's row. A page renders every field and htmx answers
// re-render single rows, so they are built once per field rather than concatenated per render.
type fieldNames struct {
	Row, Msg, MsgSel, Input, Reason, ReasonErr   string
	URL, EditURL, SesuaiURL, BatalURL            string
	Cross, SesuaiBtn, SesuaiBadge, BatalBtn, Fix string
	Save                                         string
	Post, Sesuai, Batal, EditHref, CloseHref     templ.SafeURL
}

var namesCache sync.Map // tab + "/" + key → *fieldNames

// names returns the ids and URLs for a field of a tab.
func names(tab, key, label string) *fieldNames {
	ck := tab + "/" + key
	if n, ok := namesCache.Load(ck); ok {
		return n.(*fieldNames)
	}
	url := "/data/" + tab + "/" + key
	n := &fieldNames{
		Row: "f-" + key, Msg: "msg-" + key, MsgSel: "#msg-" + key, Input: "in-" + key, Reason: "alasan-" + key,
		ReasonErr: "err-alasan-" + key,
		URL:       url, EditURL: url + "/ubah", SesuaiURL: url + "/sesuai", BatalURL: url + "/batal",
		Cross: "silang-" + key, SesuaiBtn: "tombol-sesuai-" + key, SesuaiBadge: "sesuai-" + key, BatalBtn: "batal-" + key,
		Fix: "Perbaiki " + label, Save: "simpan-" + key,
		Post: templ.SafeURL(url), Sesuai: templ.SafeURL(url + "/sesuai"), Batal: templ.SafeURL(url + "/batal"),
		EditHref:  templ.SafeURL("/data?tab=" + tab + "&ubah=" + key + "#f-" + key),
		CloseHref: templ.SafeURL("/data?tab=" + tab + "#f-" + key),
	}
	namesCache.Store(ck, n)
	return n
}
