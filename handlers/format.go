package handlers

import (
	"fmt"
	"time"
)

// How handlers write times, dates, sizes and empty values for people (views show the strings).

// fmtTime writes a moment as day-month-year and the minute.
func fmtTime(t time.Time) string { return t.Format("02-01-2006 15:04") }

// fmtISODate writes a stored date (2006-01-02) as day-month-year; anything else comes back as it is.
func fmtISODate(ymd string) string {
	if t, err := time.Parse("2006-01-02", ymd); err == nil {
		return t.Format("02-01-2006")
	}
	return ymd
}

// fmtSize writes a size in bytes (a document, the disk's free space) the way a person reads it.
func fmtSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bita", n)
}

// orDash shows an empty read-only value as a dash.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
