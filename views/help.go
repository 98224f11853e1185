package views

import (
	"strings"

	"github.com/a-h/templ"

	"pupns/store"
)

// explain is the "Apa ini?" of a field whose name is jargon to a first-time user: one or two
// sentences, opened inline under the label (<details>, so it works on a phone and without
// JavaScript). Fields not listed need none.
var explain = map[string]string{
	"tmt_cpns":        "TMT berarti Terhitung Mulai Tanggal. TMT CPNS adalah tanggal mulai berlakunya pengangkatan Anda sebagai Calon PNS, seperti tertulis pada SK CPNS (bukan tanggal SK ditandatangani).",
	"tmt_pns":         "TMT (Terhitung Mulai Tanggal) PNS adalah tanggal mulai berlakunya pengangkatan Anda sebagai PNS, seperti tertulis pada SK PNS.",
	"no_karpeg":       "Karpeg adalah Kartu Pegawai yang diterbitkan BKN untuk setiap PNS. Nomornya tercetak pada kartu, biasanya satu huruf lalu angka, mis. N 123456.",
	"no_kpe":          "KPE adalah Kartu Pegawai Elektronik, pengganti Karpeg dalam bentuk kartu elektronik. Isi nomor yang tercetak pada kartu; kosongkan bila Anda belum memilikinya.",
	"taperum":         "Taperum (Tabungan Perumahan PNS), dikelola Bapertarum, adalah potongan gaji untuk bantuan perumahan. Pilih apakah Anda sudah menerima manfaatnya.",
	"no_taspen":       "Taspen adalah asuransi sosial PNS untuk pensiun dan hari tua. Nomornya ada pada kartu peserta Taspen.",
	"nuptk":           "NUPTK adalah Nomor Unik Pendidik dan Tenaga Kependidikan: 16 angka yang diberikan kepada setiap guru, tercantum pada kartu atau surat NUPTK.",
	"nrg":             "NRG adalah Nomor Registrasi Guru: 12 angka yang tercantum pada Sertifikat Pendidik.",
	"kedudukan_hukum": "Kedudukan hukum adalah status kepegawaian Anda saat ini, mis. Aktif, Cuti di luar tanggungan negara, atau Tugas belajar.",
	"jenis_pegawai":   "Jenis pegawai menurut tempat Anda bekerja dan siapa yang menggaji, mis. PNS Daerah Kabupaten/Kota.",
	"no_str":          "STR adalah Surat Tanda Registrasi dari Konsil Kedokteran Indonesia; nomornya tercetak pada STR.",
	"no_sip":          "SIP adalah Surat Izin Praktik dari dinas kesehatan setempat; nomornya tercetak pada SIP.",
}

// Explain returns the "Apa ini?" sentence of a field, or "" when it needs none.
func Explain(key string) string { return explain[key] }

// dateHint is the hint of a date typed in three fields.
const dateHint = "Isi tanggal, pilih bulan, lalu isi tahun empat angka. Contoh: 17 Agustus 1985."

// dateOf splits a stored or typed date ("2006-01-02" or "02-01-2006") into the three fields of
// the PNS's form; a value it cannot split leaves them as they are (empty).
func dateOf(key, legend, v string) DateFields {
	d := DateFields{Key: key, Legend: legend, Hint: dateHint, DescribedBy: msgID(key)}
	parts := strings.Split(v, "-")
	if len(parts) != 3 {
		return d
	}
	if len(parts[0]) == 4 {
		parts[0], parts[2] = parts[2], parts[0]
	}
	d.Day, d.Month, d.Year = strings.TrimLeft(parts[0], "0"), strings.TrimLeft(parts[1], "0"), parts[2]
	return d
}

// isDate tells whether a field is typed as a date (three fields).
func isDate(k store.Kind) bool { return k == store.KindDate || k == store.KindDateAny }

// describedBy is what an input of the form points aria-describedby at: the hint when there is
// one, and the message under the input (always present, a live region).
func describedBy(f store.Field) string {
	if f.Hint != "" {
		return hintID(f.Key) + " " + msgID(f.Key)
	}
	return msgID(f.Key)
}

func hintID(key string) string { return "hint-" + key }

// rowDate is a date field of a history row form as three fields, named f_<field>_hari etc.
func rowDate(table string, in RowInput) DateFields {
	legend := in.Field.Label
	if in.Field.Optional {
		legend += " (boleh kosong)"
	}
	d := dateOf(table+"-"+in.Field.Key, legend, in.Value)
	d.Name, d.Invalid = "f_"+in.Field.Key, in.Error != ""
	d.DescribedBy = ""
	if in.Error != "" {
		d.DescribedBy = "err-" + table + "-" + in.Field.Key
	}
	return d
}

// rowDescribedBy is what a row form's input is described by: its hint and its message, those
// that are there.
func rowDescribedBy(table string, in RowInput) string {
	var ids []string
	if in.Field.Hint != "" {
		ids = append(ids, "hint-"+table+"-"+in.Field.Key)
	}
	if in.Error != "" {
		ids = append(ids, "err-"+table+"-"+in.Field.Key)
	}
	return strings.Join(ids, " ")
}

// rowInputAttrs marks a row form's input: aria-describedby (when it has a hint or a message) and
// aria-invalid (when in error).
func rowInputAttrs(table string, in RowInput) templ.Attributes {
	a := withInvalid(in.Error != "", nil)
	if ids := rowDescribedBy(table, in); ids != "" {
		a["aria-describedby"] = ids
	}
	return a
}

// rowReasonDescribedBy is the row form's reason box's hint and, when there is one, its message.
func rowReasonDescribedBy(table, reasonErr string) string {
	if reasonErr != "" {
		return "hint-alasan-" + table + " err-alasan-" + table
	}
	return "hint-alasan-" + table
}

// recordDate is a date field of the PNS's form opened with the red cross, as three fields.
func recordDate(r FieldRow) DateFields {
	d := dateOf(r.Field.Key, r.Field.Label+" yang benar", r.Value)
	d.Invalid = r.Error != ""
	return d
}
