package storetest

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// Tmpfs mounts a tmpfs of size bytes on a fresh temporary folder and unmounts it when the test
// ends: a real filesystem small enough to fill in a moment, for the disk-full tests. It skips the
// test, saying why, when not running as root or when the mount is refused (a container without
// CAP_SYS_ADMIN).
func Tmpfs(tb testing.TB, size int64) string {
	tb.Helper()
	if os.Geteuid() != 0 {
		tb.Skip("uji disk penuh dilewati: perlu root untuk memasang tmpfs kecil (mount -t tmpfs)")
	}
	dir := tb.TempDir()
	opt := "size=" + strconv.FormatInt(size, 10)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", opt, "tmpfs", dir).CombinedOutput(); err != nil {
		tb.Skipf("uji disk penuh dilewati: mount -t tmpfs -o %s gagal: %v %s", opt, err, out)
	}
	// Registered after TempDir's own cleanup, so it runs before it: unmount, then remove the folder.
	tb.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			tb.Logf("umount %s: %v %s; lepas paksa (umount -l)", dir, err, out)
			_ = exec.Command("umount", "-l", dir).Run()
		}
	})
	return dir
}

// Fill writes a file named filler in dir until the filesystem says it is full, and returns its
// path and how many bytes it took. Removing the file gives the room back.
func Fill(tb testing.TB, dir string) (path string, n int64) {
	tb.Helper()
	path = filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatalf("filler: %v", err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for i := range buf {
		buf[i] = byte(i) // not zeros: no filesystem may keep it sparse
	}
	for {
		w, err := f.Write(buf)
		n += int64(w)
		if errors.Is(err, syscall.ENOSPC) {
			break
		}
		if err != nil {
			tb.Fatalf("filler after %d bytes: %v", n, err)
		}
	}
	// The last pages: a smaller buffer takes what the 64 KiB one could not.
	for {
		w, err := f.Write(buf[:512])
		n += int64(w)
		if err != nil {
			break
		}
	}
	return path, n
}
