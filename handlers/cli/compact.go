package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"pupns/handlers/control"
	"pupns/store"
)

// Compact rewrites a stopped office's data file at its live size (`pupns compact --data DIR
// [--out FILE]`): the pages that ended sessions, limiter rows or a purge freed stay in the file
// until then. The result is checked before it replaces the data file, the file before is kept
// beside it, and the command says the sizes before and after. With --out the compacted copy is
// written there and the data file is left as it is (to restore later with pupns restore).
func Compact(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("compact", flag.ContinueOnError)
	data := fs.String("data", Env("PUPNS_DATA", "./data"), "folder data [PUPNS_DATA]")
	dst := fs.String("out", "", "tulis hasil ke BERKAS ini; berkas data tidak diubah")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Pemakaian: pupns compact [--data DIR] [--out BERKAS]")
		fmt.Fprintln(fs.Output(), "Memadatkan berkas data kantor yang servernya berhenti: ruang bekas sesi, pembatas login dan data yang dihapus dikembalikan.")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("pupns compact: argumen %q tidak dikenal; hasil ke berkas lain ditulis dengan --out BERKAS", pos[0])
	}
	if *dst != "" {
		if *dst, err = filepath.Abs(*dst); err != nil {
			return err
		}
	}
	rep, err := store.Compact(*data, *dst, time.Now())
	switch {
	case errors.Is(err, store.ErrInUse):
		return fmt.Errorf("tidak dipadatkan, berkas data tidak diubah: %w (pemadatan hanya berjalan pada kantor yang berhenti)",
			inUseError{dir: *data, url: control.ReadAddr(*data), err: err})
	case errors.Is(err, store.ErrDamaged):
		return fmt.Errorf("tidak dipadatkan: %w", damagedError{dir: *data, err: err})
	case err != nil:
		return fmt.Errorf("tidak dipadatkan: %w", err)
	}
	fmt.Fprintf(out, "Hasil pemadatan diperiksa: utuh (%s).\n", reportLine(rep.Check))
	saved := rep.Before - rep.After
	fmt.Fprintf(out, "Ukuran berkas data: sebelum %s, sesudah %s (berkurang %s, %s%%), dalam %s.\n",
		sizeID(rep.Before), sizeID(rep.After), sizeID(saved), decimalID(100*float64(saved)/float64(max(rep.Before, 1))), rep.Took.Round(time.Millisecond))
	if rep.Repacked > 0 {
		fmt.Fprintf(out, "%d nilai yang ditulis versi lama kini disimpan ringkas (dikemas).\n", rep.Repacked)
	}
	if rep.Kept == "" {
		fmt.Fprintf(out, "Hasil ditulis ke %s; berkas data %s tidak diubah. Pakai hasilnya dengan: pupns restore %s --data %s\n", rep.Out, rep.Data, rep.Out, *data)
		return nil
	}
	fmt.Fprintf(out, "Berkas data lama disimpan sebagai %s; hapus bila server sudah berjalan baik dengan berkas yang baru.\n", rep.Kept)
	fmt.Fprintf(out, "Jalankan lagi server: pupns serve --data %s\n", *data)
	return nil
}

// sizeID is a byte count as people read it in Indonesian: 1,5 MB (decimal comma, powers of 1000).
func sizeID(n int64) string {
	switch {
	case n >= 1e9:
		return decimalID(float64(n)/1e9) + " GB"
	case n >= 1e6:
		return decimalID(float64(n)/1e6) + " MB"
	case n >= 1e3:
		return decimalID(float64(n)/1e3) + " KB"
	}
	return fmt.Sprintf("%d byte", n)
}

// decimalID writes x with one decimal and a decimal comma.
func decimalID(x float64) string {
	s := fmt.Sprintf("%.1f", x)
	return s[:len(s)-2] + "," + s[len(s)-1:]
}
