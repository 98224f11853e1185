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
	tb.Cleanup(func() { unmount(tb, dir) })
	return dir
}

// Ext4 makes an ext4 image of size bytes, loop-mounts it on a fresh temporary folder and
// unmounts it when the test ends: the filesystem most servers run on (delayed allocation, a
// reserve for root). It skips the test, saying why, when not root or when mkfs.ext4 or the loop
// mount is not available.
func Ext4(tb testing.TB, size int64) string {
	tb.Helper()
	if os.Geteuid() != 0 {
		tb.Skip("uji disk penuh dilewati: perlu root untuk memasang image ext4 (mount -o loop)")
	}
	img := filepath.Join(tb.TempDir(), "ext4.img")
	if err := os.WriteFile(img, nil, 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.Truncate(img, size); err != nil {
		tb.Fatal(err)
	}
	if out, err := exec.Command("mkfs.ext4", "-q", "-F", img).CombinedOutput(); err != nil {
		tb.Skipf("uji disk penuh dilewati: mkfs.ext4 gagal: %v %s", err, out)
	}
	dir := tb.TempDir()
	if out, err := exec.Command("mount", "-o", "loop", img, dir).CombinedOutput(); err != nil {
		tb.Skipf("uji disk penuh dilewati: mount -o loop gagal: %v %s", err, out)
	}
	tb.Cleanup(func() { unmount(tb, dir) })
	return dir
}

// unmount unmounts dir, lazily when it is still busy.
func unmount(tb testing.TB, dir string) {
	if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
		tb.Logf("umount %s: %v %s; lepas paksa (umount -l)", dir, err, out)
		_ = exec.Command("umount", "-l", dir).Run()
	}
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
