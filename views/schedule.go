package views

import (
	"strconv"

	"pupns/store"
)

// The admin's campaign schedule page (/admin/jadwal). Its URLs live here with it.

// ScheduleURL is the admin's schedule page; ScheduleExtendURL takes the extension form.
const (
	ScheduleURL       = "/admin/jadwal"
	ScheduleExtendURL = "/admin/jadwal/perpanjangan"
)

// ScheduleProps is the schedule page: the zone, each window's dates, the extension form, the
// extensions in force and the changes so far. Problems lists every refused field of the form just
// sent, for the error summary at the top.
type ScheduleProps struct {
	Zones      []Option
	ZoneError  string
	Windows    []ScheduleWindow
	Problems   []Problem
	Extend     ExtendForm
	Extensions []ExtensionRow
	Changes    []ChangeRow
}

// ScheduleWindow is one window's row: its first and last day.
type ScheduleWindow struct {
	Label      string
	Start, End DateFields
}

// DateFields is one date typed as day, month (by name) and year; Key names the field
// ("pengisian_mulai"), so its inputs are Key+"_hari", Key+"_bulan", Key+"_tahun".
type DateFields struct {
	Key, Legend      string
	Day, Month, Year string
	Error            string
	Hint             string // the hint under the legend; "" is the schedule's own
	DescribedBy      string // further ids the inputs are described by (the PNS's form: its message)
	Name             string // prefix of the inputs' names when it is not Key (history row forms)
	Invalid          bool   // in error with the message elsewhere (the PNS's form): aria-invalid
}

// name is the prefix of the date's input names.
func (d DateFields) name() string {
	if d.Name != "" {
		return d.Name
	}
	return d.Key
}

// Problem is one line of an error summary: the message, linking to its field.
type Problem struct {
	Href, Message string
}

// ExtendForm is the form that extends one window for one instansi.
type ExtendForm struct {
	Instansi      []Option
	InstansiError string
	Windows       []Option
	WindowError   string
	End           DateFields
	Problems      []Problem
}

// ExtensionRow is one extension in force.
type ExtensionRow struct {
	Instansi, Window, End, By, At string
}

// ChangeRow is one change of the schedule (an event).
type ChangeRow struct {
	At, By, Detail string
}

// monthOptions are the month options of a date, January first (value 1–12), after an empty choice.
func monthOptions(selected string) []Option {
	out := []Option{{Value: "", Label: "— bulan —", Selected: selected == ""}}
	for i, n := range store.MonthNames {
		v := strconv.Itoa(i + 1)
		out = append(out, Option{Value: v, Label: n, Selected: selected == v})
	}
	return out
}

// PhaseLine is the line about the campaign's current window on every page of a PNS or verifier.
type PhaseLine struct {
	Text   string
	Urgent bool
}
