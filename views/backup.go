package views

// The admin's backup page (its list and the button that backs up now), its download, and the
// warning the monitoring page shows when the backups fall behind their schedule.
const (
	BackupURL         = "/admin/cadangan"
	BackupDownloadURL = "/admin/cadangan/unduh"
)

// BackupProps is the admin's backup page.
type BackupProps struct {
	Dir      string // the backup folder on the server
	Schedule string // "setiap 6 jam, 28 terakhir disimpan" or that there is no schedule
	Rows     []BackupRow
	Warning  *BackupWarning // the same warning as on the monitoring page; nil when none
	Error    string         // why the backup asked for just now failed
}

// BackupRow is one backup in the folder, for people.
type BackupRow struct {
	Name    string
	Size    string
	Time    string // in the office's time zone, in words
	Checked bool   // a check result is on file
	OK      bool
	Message string // what the check found
}

// BackupWarning says that the newest good backup is older than the schedule, or that none exists.
type BackupWarning struct {
	Newest string // when the newest good backup was taken, in words; "" when none
	Every  string // the schedule, in words ("6 jam")
}
