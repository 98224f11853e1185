package handlers

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
	"pupns/views"
)

// The admin's reading of the event log (/admin/peristiwa): filters, newest first, CSV.

// auditKinds are the event kinds the filter offers, with what each records.
var auditKinds = []views.Option{
	{Value: store.EventPropose, Label: "Usulan"}, {Value: store.EventConfirm, Label: "Sesuai"},
	{Value: store.EventWithdraw, Label: "Usulan dibatalkan"}, {Value: store.EventKirim, Label: "Kirim"},
	{Value: store.EventDocument, Label: "Dokumen"}, {Value: store.EventDecide, Label: "Putusan verifikator"},
	{Value: store.EventForward, Label: "Teruskan"}, {Value: store.EventSendDown, Label: "Turun status"},
	{Value: store.EventOpened, Label: "Dibuka verifikator"}, {Value: store.EventWithdrawSubmission, Label: "Tarik usulan"},
	{Value: store.EventMaster, Label: "Data induk"}, {Value: store.EventRegistered, Label: "Registrasi"},
	{Value: store.EventActivated, Label: "Aktivasi"}, {Value: store.EventRegRejected, Label: "Registrasi ditolak"},
	{Value: store.EventStaffAdded, Label: "Akun staf baru"}, {Value: store.EventStaffDisabled, Label: "Akun dinonaktifkan"},
	{Value: store.EventPasswordReset, Label: "Sandi diatur ulang"}, {Value: store.EventPasswordChanged, Label: "Sandi diganti"},
	{Value: store.EventActivationSetting, Label: "Pengaturan aktivasi"}, {Value: store.EventClose, Label: "Penutupan PUPNS"},
	{Value: store.EventRestore, Label: "Pemulihan kedudukan hukum"},
}

// auditQuery reads the filter as typed and as the store takes it; a date that does not parse is
// a problem at its field. Dates are whole days in the server's time zone, "sampai" inclusive.
func auditQuery(c *fiber.Ctx) (views.AuditFilter, store.AuditFilter, fieldProblem, bool) {
	typed := views.AuditFilter{NIP: c.Query("nip"), Actor: c.Query("pelaku"), OnBehalfOf: c.Query("atas_nama"),
		Kind: c.Query("jenis"), From: c.Query("dari"), To: c.Query("sampai")}
	f := store.AuditFilter{NIP: typed.NIP, Actor: typed.Actor, OnBehalfOf: typed.OnBehalfOf, Kind: typed.Kind}
	f.Before, _ = strconv.ParseUint(c.Query("sebelum"), 10, 64)
	for _, d := range []struct {
		key, v string
		to     *time.Time
		add    int
	}{{"dari", typed.From, &f.From, 0}, {"sampai", typed.To, &f.To, 1}} {
		if d.v == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", d.v, time.Local)
		if err != nil {
			return typed, f, fieldProblem{Field: d.key, Message: "Tulis tanggal sebagai tahun-bulan-tanggal, misalnya 2026-11-30."}, false
		}
		*d.to = t.AddDate(0, 0, d.add)
	}
	return typed, f, fieldProblem{}, true
}

// audit is the event log page.
func (h *Handler) audit(c *fiber.Ctx) error {
	a, _ := actor(c)
	typed, f, bad, ok := auditQuery(c)
	p := views.AuditProps{Filter: typed, Kinds: auditKinds, First: f.Before == 0}
	status := fiber.StatusOK
	if !ok {
		p.Error, p.ErrorAt, status = bad.Message, bad.Field, fiber.StatusUnprocessableEntity
		return render(c, status, views.AuditPage(h.meta(c, "Catatan peristiwa"), p))
	}
	page, err := h.store.Audit(a, f)
	if err != nil {
		return err
	}
	p.Partial = page.Partial
	if page.Next != 0 {
		p.Next = strconv.FormatUint(page.Next, 10)
	}
	for _, e := range page.Items {
		p.Rows = append(p.Rows, views.AuditRow{Seq: strconv.FormatUint(e.Seq, 10), At: fmtTime(e.At), Actor: e.Actor,
			OnBehalfOf: e.OnBehalfOf, NIP: e.NIP, Kind: e.Kind, Detail: e.Text()})
	}
	return render(c, status, views.AuditPage(h.meta(c, "Catatan peristiwa"), p))
}

// auditCSV is the filtered log as CSV: up to 5.000 events from the cursor, newest first.
func (h *Handler) auditCSV(c *fiber.Ctx) error {
	a, _ := actor(c)
	_, f, bad, ok := auditQuery(c)
	if !ok {
		return fiber.NewError(fiber.StatusUnprocessableEntity, bad.Message)
	}
	f.Limit = 5000
	page, err := h.store.Audit(a, f)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(page.Items))
	for _, e := range page.Items {
		rows = append(rows, []string{strconv.FormatUint(e.Seq, 10), e.At.Format(time.RFC3339), e.Actor, e.OnBehalfOf, e.NIP,
			strconv.FormatUint(e.SubmissionID, 10), e.Kind, e.Text()})
	}
	header := []string{"No", "Waktu", "Pelaku", "Atas nama", "NIP", "Usulan", "Jenis", "Keterangan"}
	return sendCSV(c, "peristiwa.csv", header, rows)
}
