package handlers

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pupns/store"
)

// sendCSV answers with a CSV download: UTF-8 with a byte-order mark (so spreadsheet programs read
// the names right), a header row, every cell neutralised by store.CellSafe.
func sendCSV(c *fiber.Ctx, filename string, header []string, rows [][]string) error {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	if err := w.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		safe := make([]string, len(r))
		for i, v := range r {
			safe[i] = store.CellSafe(v)
		}
		if err := w.Write(safe); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(buf.Bytes())
}

// fmtCount writes a whole number the Indonesian way, with a dot between thousands: 15.000.
func fmtCount(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// fmtPercent writes a share in per mille the Indonesian way, one decimal after a comma: 0,3 %.
func fmtPercent(perMille int) string {
	return fmt.Sprintf("%s,%d %%", fmtCount(perMille/10), perMille%10)
}

// streamCSV answers with a CSV download written row by row as walk produces them (after the
// handler returns, in fasthttp's stream writer), so a list of 100,000 PNS is never held in memory.
// The caller checks the request before (a refusal must still be a page); an error during the walk
// can only cut the file short, so it is logged and the file ends with a line that says so.
func streamCSV(c *fiber.Ctx, log *slog.Logger, filename string, header []string, walk func(row func([]string) error) error) {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Context().SetBodyStreamWriter(func(bw *bufio.Writer) {
		bw.WriteString("\ufeff")
		w := csv.NewWriter(bw)
		row := func(r []string) error {
			safe := make([]string, len(r))
			for i, v := range r {
				safe[i] = store.CellSafe(v)
			}
			return w.Write(safe)
		}
		err := row(header)
		if err == nil {
			err = walk(row)
		}
		if err != nil {
			log.Error("CSV terputus", "berkas", filename, "err", err)
			_ = w.Write([]string{"DAFTAR TIDAK LENGKAP: terjadi kesalahan saat membaca data; unduh ulang"})
		}
		w.Flush()
	})
}
