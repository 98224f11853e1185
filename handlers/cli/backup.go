package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"pupns/handlers/backup"
	"pupns/handlers/control"
	"pupns/store"
)

// backupWait is how long `pupns backup` waits for a running server to write the snapshot.
const backupWait = 30 * time.Minute

// Backup writes a consistent snapshot of the data folder's file to FILE (`pupns backup --data DIR
// FILE`), atomically, and checks the file it wrote. While a server holds the data file, the server
// writes the snapshot (through its control socket); otherwise the command opens the store itself.
// Never a copy of the file: a copy taken while a server writes may hold half a commit.
func Backup(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	data := fs.String("data", Env("PUPNS_DATA", "./data"), "folder data [PUPNS_DATA]")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Pemakaian: pupns backup [--data DIR] BERKAS-CADANGAN")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("pupns backup --data DIR BERKAS-CADANGAN: sebutkan satu berkas tujuan")
	}
	file, err := filepath.Abs(pos[0])
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(*data, "pupns.db")); err != nil {
		return fmt.Errorf("folder %s tidak berisi berkas data (pupns.db): tidak ada yang dicadangkan", *data)
	}
	st, err := OpenStore(*data, store.Options{})
	var inUse inUseError
	switch {
	case errors.As(err, &inUse):
		if err := throughServer(*data, inUse, control.Request{Cmd: "backup", Args: map[string]string{"file": file}}, backupWait, out,
			"unduh cadangan lewat %s", "/admin/cadangan"); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		err := control.RunBackup(st, control.Request{Cmd: "backup", Args: map[string]string{"file": file}}, out)
		if cerr := st.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	rep, err := store.CheckBackup(file)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Cadangan diperiksa: utuh (%s).\n", reportLine(rep))
	return nil
}

// Restore puts a backup back as the data folder's file (`pupns restore FILE --data DIR`): the
// backup is checked first, a folder a server holds is refused, the replaced file is kept beside
// the new one, and the command says what it did.
func Restore(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	data := fs.String("data", Env("PUPNS_DATA", "./data"), "folder data [PUPNS_DATA]")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Pemakaian: pupns restore BERKAS-CADANGAN [--data DIR]")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("pupns restore BERKAS-CADANGAN --data DIR: sebutkan satu berkas cadangan")
	}
	recorded, err := backup.VerifySum(pos[0])
	var rep store.RestoreReport
	if err == nil {
		rep, err = store.Restore(pos[0], *data, time.Now())
	}
	switch {
	case errors.Is(err, store.ErrInUse):
		return fmt.Errorf("tidak dipulihkan, berkas data tidak diubah: %w", inUseError{dir: *data, url: control.ReadAddr(*data), err: err})
	case errors.Is(err, store.ErrDamaged), errors.Is(err, store.ErrSchema):
		return fmt.Errorf("%w. Berkas data di folder %s tidak diubah; pilih cadangan lain (periksa dengan pupns check BERKAS)", err, *data)
	case err != nil:
		return fmt.Errorf("tidak dipulihkan: %w", err)
	}
	fmt.Fprintf(out, "Cadangan %s diperiksa: utuh (%s).\n", pos[0], reportLine(rep.Check))
	if recorded {
		fmt.Fprintln(out, "SHA-256 cocok dengan catatan saat cadangan dibuat.")
	}
	if rep.Kept != "" {
		fmt.Fprintf(out, "Berkas data lama disimpan sebagai %s.\n", rep.Kept)
	}
	fmt.Fprintf(out, "Cadangan dipulihkan ke %s (%d byte). Jalankan lagi server: pupns serve --data %s\n", rep.Data, rep.Size, *data)
	return nil
}

// Check runs the consistency check on a stopped office (`pupns check --data DIR`) or on a backup
// file (`pupns check FILE`) and prints a verdict; a file that fails is an error (exit status 1).
func Check(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	data := fs.String("data", Env("PUPNS_DATA", "./data"), "folder data [PUPNS_DATA]")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Pemakaian: pupns check [--data DIR]   atau   pupns check BERKAS-CADANGAN")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
	case 1:
		_, err := backup.VerifySum(pos[0])
		var rep store.CheckReport
		if err == nil {
			rep, err = store.CheckBackup(pos[0])
		}
		if err != nil {
			return fmt.Errorf("TIDAK UTUH: %w", err)
		}
		fmt.Fprintf(out, "UTUH: berkas cadangan %s dapat dipulihkan (%s).\n", pos[0], reportLine(rep))
		return nil
	default:
		return errors.New("pupns check: sebutkan paling banyak satu berkas cadangan")
	}
	path := filepath.Join(*data, "pupns.db")
	rep, err := store.Check(*data)
	switch {
	case errors.Is(err, store.ErrInUse):
		return fmt.Errorf("tidak diperiksa: %w (pemeriksaan berjalan pada kantor yang berhenti; selama server berjalan, periksa cadangannya)",
			inUseError{dir: *data, url: control.ReadAddr(*data), err: err})
	case errors.Is(err, store.ErrDamaged):
		return fmt.Errorf("TIDAK UTUH: %w", damagedError{dir: *data, err: err})
	case err != nil:
		return err
	case rep.Missing:
		return fmt.Errorf("folder %s tidak berisi berkas data (pupns.db): tidak ada yang diperiksa", *data)
	}
	for _, w := range rep.Warnings {
		fmt.Fprintln(out, "Peringatan:", w)
	}
	fmt.Fprintf(out, "UTUH: berkas data %s lolos pemeriksaan (%s).\n", path, reportLine(rep))
	return nil
}

// reportLine says what a check covered, for people.
func reportLine(rep store.CheckReport) string {
	return fmt.Sprintf("%d halaman, %d nilai dengan segel, skema versi %d, %s",
		rep.Pages, rep.Values, rep.Schema, rep.Took.Round(time.Millisecond))
}

// parseInterleaved parses flags that may stand before, between or after the positional
// arguments (`pupns restore FILE --data DIR`) and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
