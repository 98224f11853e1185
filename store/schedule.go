package store

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// The campaign schedule (DOMAIN.md "Schedule and sanctions"): the admin sets windows of whole days
// in the office's time zone; the store refuses what falls outside them. A window not set is open,
// so an office without a schedule works as before. One home: WindowOpen (and windowOpenTx inside a
// write) is the only place a window is checked.

// ErrClosed is a step refused because its window of the campaign schedule is closed; the
// *ClosedError that carries it names the window and its dates.
var ErrClosed = errors.New("di luar jadwal")

// ClosedError is a refusal outside a window: Sentence is what the person reads.
type ClosedError struct{ Sentence string }

func (e *ClosedError) Error() string { return e.Sentence }

// Is lets errors.Is(err, ErrClosed) match.
func (e *ClosedError) Is(target error) bool { return target == ErrClosed }

// WindowKind names one window of the campaign.
type WindowKind string

// The windows an admin sets.
const (
	WindowRegistration WindowKind = "registrasi"
	WindowFilling      WindowKind = "pengisian"
	WindowVerify1      WindowKind = "verifikasi_1"
	WindowVerify2      WindowKind = "verifikasi_2"
	WindowVerify3      WindowKind = "verifikasi_3"
	WindowVerify4      WindowKind = "verifikasi_4"
	WindowLateFix      WindowKind = "perbaikan"
)

// WindowInfo is how a window is named: Label on the admin's form, Closed in a refusal ("Pengisian
// data ditutup"), Span in the sentence's dates ("masa pengisian") and Phase on every page.
type WindowInfo struct {
	Kind                       WindowKind
	Label, Closed, Span, Phase string
}

// Windows lists every window in the order of the campaign.
var Windows = []WindowInfo{
	{WindowRegistration, "Registrasi", "Registrasi", "masa registrasi", "Masa registrasi"},
	{WindowFilling, "Pengisian data (PNS mengirim)", "Pengisian data", "masa pengisian", "Masa pengisian data"},
	{WindowVerify1, "Verifikasi Level 1 (SKPD)", "Verifikasi Level 1", "masa verifikasi Level 1", "Masa verifikasi Level 1"},
	{WindowVerify2, "Verifikasi Level 2 (BKD)", "Verifikasi Level 2", "masa verifikasi Level 2", "Masa verifikasi Level 2"},
	{WindowVerify3, "Verifikasi Level 3 (Kanreg BKN)", "Verifikasi Level 3", "masa verifikasi Level 3", "Masa verifikasi Level 3"},
	{WindowVerify4, "Verifikasi Level 4 (BKN Pusat)", "Verifikasi Level 4", "masa verifikasi Level 4", "Masa verifikasi Level 4"},
	{WindowLateFix, "Perbaikan susulan (usulan dikembalikan boleh dikirim ulang)", "Perbaikan susulan", "masa perbaikan", "Masa perbaikan susulan"},
}

// WindowByKind finds a window's names.
func WindowByKind(k WindowKind) (WindowInfo, bool) {
	for _, w := range Windows {
		if w.Kind == k {
			return w, true
		}
	}
	return WindowInfo{}, false
}

// verifyWindow is the window of a verification level.
func verifyWindow(level int) WindowKind { return WindowKind(fmt.Sprintf("verifikasi_%d", level)) }

// Zones are the office time zones: Indonesia keeps no daylight saving, so fixed offsets are exact.
var Zones = []struct {
	Name   string
	Offset int // hours east of UTC
}{{"WIB", 7}, {"WITA", 8}, {"WIT", 9}}

// Span is a window of whole days, both inclusive, as "2006-01-02" in the office's zone.
type Span struct {
	Start string `json:"mulai"`
	End   string `json:"selesai"`
}

// Extension is a later end of one window for one instansi.
type Extension struct {
	InstansiID string     `json:"instansi_id"`
	Kind       WindowKind `json:"jendela"`
	End        string     `json:"selesai"`
	By         string     `json:"oleh"`
	At         time.Time  `json:"pada"`
}

// Schedule is the office's campaign: its time zone, its windows and their extensions. It is
// stored under meta "schedule".
type Schedule struct {
	Zone       string              `json:"zona"`
	Windows    map[WindowKind]Span `json:"jendela,omitempty"`
	Extensions []Extension         `json:"perpanjangan,omitempty"`
	// Changes repeats the schedule's events (newest last), so the admin's page lists them
	// without scanning the whole event log.
	Changes []Event `json:"perubahan,omitempty"`
}

// Location is the office's time zone (WIB when none was set).
func (sc Schedule) Location() *time.Location {
	for _, z := range Zones {
		if z.Name == sc.Zone {
			return time.FixedZone(z.Name, z.Offset*3600)
		}
	}
	return time.FixedZone("WIB", 7*3600)
}

// ZoneName is the zone's name as shown.
func (sc Schedule) ZoneName() string { return sc.Location().String() }

// Effective is a window as it holds for an instansi (its extension's end, if any); ok is false
// when the window is not set (open).
func (sc Schedule) Effective(k WindowKind, instansiID string) (Span, bool) {
	sp, ok := sc.Windows[k]
	if !ok {
		return Span{}, false
	}
	for _, e := range sc.Extensions {
		if e.Kind == k && e.InstansiID == instansiID && instansiID != "" {
			sp.End = e.End
		}
	}
	return sp, true
}

// Bounds is the first instant of a span and the first instant after it, in the office's zone.
func (sc Schedule) Bounds(sp Span) (from, until time.Time) {
	loc := sc.Location()
	from, _ = time.ParseInLocation(time.DateOnly, sp.Start, loc)
	end, _ := time.ParseInLocation(time.DateOnly, sp.End, loc)
	return from, end.AddDate(0, 0, 1)
}

// Open says nil when now falls inside the window for the instansi (or the window is not set), else
// the *ClosedError naming the window and its dates.
func (sc Schedule) Open(k WindowKind, instansiID string, now time.Time) error {
	sp, ok := sc.Effective(k, instansiID)
	if !ok {
		return nil
	}
	from, until := sc.Bounds(sp)
	if !now.Before(from) && now.Before(until) {
		return nil
	}
	w, _ := WindowByKind(k)
	state := "ditutup"
	if now.Before(from) {
		state = "belum dibuka"
	}
	return &ClosedError{Sentence: fmt.Sprintf("%s %s: %s %s – %s (%s).", w.Closed, state, w.Span,
		LongDate(sp.Start), LongDate(sp.End), sc.ZoneName())}
}

// MonthNames are the months in Indonesian, as every date written in words and every month picker
// shows them.
var MonthNames = []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
	"September", "Oktober", "November", "Desember"}

// LongDate writes a "2006-01-02" day as "30 November 2026".
func LongDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return fmt.Sprintf("%d %s %d", t.Day(), MonthNames[t.Month()-1], t.Year())
}

// DateInput is a date as typed in three fields: day, month (1–12 or its name) and year.
type DateInput struct{ Day, Month, Year string }

// Blank tells whether none of the three fields was filled.
func (d DateInput) Blank() bool {
	return strings.TrimSpace(d.Day+d.Month+d.Year) == ""
}

// parse reads the date as "2006-01-02", or a message at key naming what to fill.
func (d DateInput) parse(key, what string) (string, *FieldError) {
	bad := fieldErr(key, "%s tidak terbaca: isi tanggal, bulan dan tahun, misalnya 30 November 2026.", what)
	day, err1 := strconv.Atoi(strings.TrimSpace(d.Day))
	year, err2 := strconv.Atoi(strings.TrimSpace(d.Year))
	month, err3 := strconv.Atoi(strings.TrimSpace(d.Month))
	if err3 != nil {
		for i, n := range MonthNames {
			if strings.EqualFold(n, strings.TrimSpace(d.Month)) {
				month, err3 = i+1, nil
			}
		}
	}
	if err1 != nil || err2 != nil || err3 != nil || month < 1 || month > 12 || year < 2000 || year > 2100 || day < 1 {
		return "", bad
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day { // 31 April, 29 February of a common year
		return "", fieldErr(key, "%s tidak ada di kalender: periksa tanggal dan bulannya.", what)
	}
	return t.Format(time.DateOnly), nil
}

// readSchedule reads the schedule in the caller's transaction (the empty schedule when none was
// set), decoded afresh: the writers change what it returns.
func readSchedule(tx *bbolt.Tx) (Schedule, error) {
	var sc Schedule
	if err := getJSON(bk(tx, bMeta), metaSchedule, &sc); err != nil && !errors.Is(err, ErrNotFound) {
		return Schedule{}, fmt.Errorf("jadwal: %w", err)
	}
	if sc.Zone == "" {
		sc.Zone = "WIB"
	}
	return sc, nil
}

// scheduleTx is readSchedule through the decode cache, for the checks and the phase line that run
// on every step and page: the schedule it returns is shared and must not be changed.
func scheduleTx(tx *bbolt.Tx) (*Schedule, error) {
	sc, err := getCached[Schedule](tx, bMeta, metaSchedule)
	if errors.Is(err, ErrNotFound) {
		return &Schedule{Zone: "WIB"}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("jadwal: %w", err)
	}
	return sc, nil
}

// metaSchedule is the meta key of the schedule.
var metaSchedule = []byte("schedule")

// windowOpenTx is WindowOpen inside the caller's transaction, so the check and the change it
// guards see the same schedule.
func windowOpenTx(tx *bbolt.Tx, k WindowKind, instansiID string, now time.Time) error {
	sc, err := scheduleTx(tx)
	if err != nil {
		return err
	}
	return sc.Open(k, instansiID, now)
}

// Schedule returns the office's campaign schedule.
func (s *Store) Schedule() (Schedule, error) {
	var sc Schedule
	err := s.view(func(tx *bbolt.Tx) (err error) { sc, err = readSchedule(tx); return err })
	return sc, err
}

// WindowOpen says nil when a step of window k may be taken now for the instansi, else an error
// wrapping ErrClosed with the sentence naming the window and its dates.
func (s *Store) WindowOpen(k WindowKind, instansiID string, now time.Time) error {
	return s.view(func(tx *bbolt.Tx) error { return windowOpenTx(tx, k, instansiID, now) })
}

// Event kinds of the schedule (kept here, next to the rules they record).
const (
	EventSchedule       = "jadwal"              // the campaign's zone and windows set
	EventScheduleExtend = "jadwal_perpanjangan" // a window extended for one instansi
)

// Text is the date as one "dd-mm-yyyy" value for Field.Normalize (the PNS's form types a date
// in the same three fields as the schedule), the month given by number or by name. A date that
// cannot be read comes back as typed, so Normalize answers with its own message; three blank
// fields are "".
func (d DateInput) Text() string {
	if d.Blank() {
		return ""
	}
	day, year, month := strings.TrimSpace(d.Day), strings.TrimSpace(d.Year), strings.TrimSpace(d.Month)
	for i, n := range MonthNames {
		if strings.EqualFold(n, month) {
			month = strconv.Itoa(i + 1)
		}
	}
	dn, err1 := strconv.Atoi(day)
	mn, err2 := strconv.Atoi(month)
	if err1 != nil || err2 != nil || len(year) != 4 {
		return day + "-" + month + "-" + year
	}
	return fmt.Sprintf("%02d-%02d-%s", dn, mn, year)
}
