package control

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"pupns/store"
)

// Run runs one command sent through the control socket: a backup (RunBackup), an export
// (RunExport), a BKN office registration (RunBKN) or a user command (RunUser).
func Run(st *store.Store, req Request, out io.Writer) error {
	switch req.Cmd {
	case "backup":
		return RunBackup(st, req, out)
	case "export":
		return RunExport(st, req, out)
	}
	if strings.HasPrefix(req.Cmd, "bkn ") {
		return RunBKN(st, req, out)
	}
	return RunUser(st, req, out)
}

// RunBackup writes a consistent snapshot of the open store to the file named by the "file"
// argument (an absolute path: the server's working folder is not the caller's), atomically: the
// command line's own backup, or one `pupns backup` asks of the server that holds the data file.
func RunBackup(st *store.Store, req Request, out io.Writer) error {
	file := req.Args["file"]
	if !filepath.IsAbs(file) {
		return fmt.Errorf("berkas cadangan %q: sebutkan jalur lengkap", file)
	}
	n, err := st.BackupFile(file)
	if err != nil {
		return fmt.Errorf("cadangan ke %s gagal: %w", file, err)
	}
	fmt.Fprintf(out, "Cadangan ditulis ke %s (%d byte).\n", file, n)
	return nil
}
