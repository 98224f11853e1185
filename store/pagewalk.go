package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// The page walk reads a bbolt file's structure with ordinary reads and bounds-checked slices,
// before bbolt maps it. bbolt trusts its pages: a garbled page header or element sends it past
// the end of a page or of the file, where it panics or faults, and bbolt's own tx.Check runs in a
// goroutine of its own where nothing can recover. Walking first means tx.Check and the server only
// ever meet a file whose every page is where its parent says, of the type it should be, with its
// elements inside it and its keys in order. The layout is bbolt 1.4's (internal/common), on a
// little-endian machine.

const (
	pgHeader    = 16 // id u64, flags u16, count u16, overflow u32
	pgElem      = 16 // branch: pos u32, ksize u32, pgid u64; leaf: flags u32, pos u32, ksize u32, vsize u32
	pgBranch    = 0x01
	pgLeaf      = 0x02
	pgMeta      = 0x04
	pgFreelist  = 0x10
	leafBucket  = 0x01
	boltMagic   = 0xED0CDAED
	boltVersion = 2
	noFreelist  = 0xFFFFFFFFFFFFFFFF
	maxDepth    = 64
)

// boltMeta is the part of a meta page the walk needs.
type boltMeta struct {
	pageSize, root, freelist, hwm, txid uint64
}

// parseMeta reads the meta in page buf (header first) and validates it as bbolt does.
func parseMeta(buf []byte) (boltMeta, error) {
	if len(buf) < pgHeader+64 {
		return boltMeta{}, errors.New("terlalu pendek")
	}
	m := buf[pgHeader : pgHeader+64]
	le := binary.LittleEndian
	h := fnv.New64a()
	h.Write(m[:56])
	switch {
	case le.Uint32(m[0:]) != boltMagic:
		return boltMeta{}, errors.New("bukan berkas bbolt")
	case le.Uint32(m[4:]) != boltVersion:
		return boltMeta{}, errors.New("versi bbolt lain")
	case le.Uint64(m[56:]) != h.Sum64():
		return boltMeta{}, errors.New("checksum meta salah")
	}
	return boltMeta{pageSize: uint64(le.Uint32(m[8:])), root: le.Uint64(m[16:]), freelist: le.Uint64(m[32:]),
		hwm: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, nil
}

// walk is one pass over a file's pages.
type walk struct {
	f        io.ReaderAt
	size     int64
	meta     boltMeta
	seen     map[uint64]bool
	warnings []string
}

// walkFile checks the structure of the bbolt file at path: its meta pages, the freelist and every
// page of every bucket. It returns how many pages it visited and what it tolerated (one damaged
// meta page, from which bbolt falls back to the other).
func walkFile(path string) (pages int, warnings []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, nil, err
	}
	w := &walk{f: f, size: fi.Size(), seen: map[uint64]bool{}}
	if err := w.pickMeta(); err != nil {
		return 0, nil, err
	}
	if err := w.freelist(); err != nil {
		return 0, w.warnings, err
	}
	if err := w.tree(w.meta.root, 0); err != nil {
		return 0, w.warnings, err
	}
	return len(w.seen), w.warnings, nil
}

// pickMeta chooses the meta page bbolt would: the valid one with the higher transaction id.
func (w *walk) pickMeta() error {
	var metas [2]*boltMeta
	var errs [2]error
	buf := make([]byte, 4096)
	if _, err := w.f.ReadAt(buf, 0); err != nil {
		errs[0] = err
	} else if m, err := parseMeta(buf); err != nil {
		errs[0] = err
	} else {
		metas[0] = &m
	}
	sizes := []uint64{}
	if metas[0] != nil {
		sizes = append(sizes, metas[0].pageSize)
	}
	for i := 0; i <= 14; i++ {
		sizes = append(sizes, 1024<<i)
	}
	errs[1] = errors.New("tidak terbaca")
	for _, ps := range sizes {
		if _, err := w.f.ReadAt(buf[:pgHeader+64], int64(ps)); err != nil {
			continue
		}
		if m, err := parseMeta(buf); err == nil && m.pageSize == ps {
			metas[1], errs[1] = &m, nil
			break
		}
	}
	switch {
	case metas[0] == nil && metas[1] == nil:
		return fmt.Errorf("kedua halaman meta rusak (%v; %v)", errs[0], errs[1])
	case metas[0] == nil || metas[1] == nil:
		bad, good := 0, metas[1]
		if metas[1] == nil {
			bad, good = 1, metas[0]
		}
		w.warnings = append(w.warnings, fmt.Sprintf("halaman meta %d rusak (%v): berkas dibaca dari meta lain, "+
			"transaksi %d; perubahan terakhir sebelum kerusakan mungkin hilang", bad, errs[bad], good.txid))
		w.meta = *good
	case metas[1].txid > metas[0].txid:
		w.meta = *metas[1]
	default:
		w.meta = *metas[0]
	}
	ps := w.meta.pageSize
	if ps < 1024 || ps&(ps-1) != 0 {
		return fmt.Errorf("ukuran halaman %d tidak mungkin", ps)
	}
	if need := w.meta.hwm * ps; uint64(w.size) < need {
		return fmt.Errorf("berkas terpotong: %d byte, semestinya paling sedikit %d", w.size, need)
	}
	return nil
}

// page reads page id with its overflow, checking that it lies inside the file and was not reached
// before.
func (w *walk) page(id uint64) ([]byte, error) {
	ps := w.meta.pageSize
	if id < 2 || id >= w.meta.hwm {
		return nil, fmt.Errorf("halaman %d di luar berkas (batas %d)", id, w.meta.hwm)
	}
	if w.seen[id] {
		return nil, fmt.Errorf("halaman %d dirujuk dua kali", id)
	}
	head := make([]byte, pgHeader)
	if _, err := w.f.ReadAt(head, int64(id*ps)); err != nil {
		return nil, fmt.Errorf("halaman %d: %v", id, err)
	}
	le := binary.LittleEndian
	if got := le.Uint64(head); got != id {
		return nil, fmt.Errorf("halaman %d menyebut dirinya %d", id, got)
	}
	over := uint64(le.Uint32(head[12:]))
	if id+over >= w.meta.hwm {
		return nil, fmt.Errorf("halaman %d: lanjutan %d melewati batas", id, over)
	}
	buf := make([]byte, (over+1)*ps)
	if _, err := w.f.ReadAt(buf, int64(id*ps)); err != nil {
		return nil, fmt.Errorf("halaman %d: %v", id, err)
	}
	for i := id; i <= id+over; i++ {
		if w.seen[i] {
			return nil, fmt.Errorf("halaman %d dirujuk dua kali", i)
		}
		w.seen[i] = true
	}
	return buf, nil
}

// freelist checks the freelist page and that every free page is inside the file, once.
func (w *walk) freelist() error {
	if w.meta.freelist == noFreelist {
		return nil
	}
	buf, err := w.page(w.meta.freelist)
	if err != nil {
		return fmt.Errorf("daftar halaman kosong: %w", err)
	}
	le := binary.LittleEndian
	if le.Uint16(buf[8:]) != pgFreelist {
		return fmt.Errorf("halaman %d bukan daftar halaman kosong", w.meta.freelist)
	}
	n, at := uint64(le.Uint16(buf[10:])), uint64(pgHeader)
	if n == 0xFFFF {
		n, at = le.Uint64(buf[pgHeader:]), pgHeader+8
	}
	if n > (uint64(len(buf))-at)/8 {
		return fmt.Errorf("daftar halaman kosong: %d entri tidak muat", n)
	}
	free := map[uint64]bool{}
	for i := range n {
		id := le.Uint64(buf[at+i*8:])
		if id < 2 || id >= w.meta.hwm || free[id] {
			return fmt.Errorf("daftar halaman kosong: halaman %d tidak sah", id)
		}
		free[id] = true
	}
	return nil
}

// tree walks the page id of a bucket's tree and everything below it.
func (w *walk) tree(id uint64, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("halaman %d: pohon terlalu dalam", id)
	}
	buf, err := w.page(id)
	if err != nil {
		return err
	}
	return w.node(buf, id, depth)
}

// node checks the elements of one page (from the file, or inline in a bucket's value: id 0) and
// walks its children and sub-buckets.
func (w *walk) node(buf []byte, id uint64, depth int) error {
	le := binary.LittleEndian
	if len(buf) < pgHeader {
		return fmt.Errorf("halaman %d terlalu pendek", id)
	}
	flags, count := le.Uint16(buf[8:]), int(le.Uint16(buf[10:]))
	if flags != pgBranch && flags != pgLeaf {
		return fmt.Errorf("halaman %d: jenis %#x bukan cabang atau daun", id, flags)
	}
	if pgHeader+count*pgElem > len(buf) {
		return fmt.Errorf("halaman %d: %d elemen tidak muat", id, count)
	}
	var prev []byte
	for i := range count {
		at := pgHeader + i*pgElem
		e := buf[at : at+pgElem]
		var pos, ksize, vsize uint64
		if flags == pgBranch {
			pos, ksize = uint64(le.Uint32(e[0:])), uint64(le.Uint32(e[4:]))
		} else {
			pos, ksize, vsize = uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
		}
		start := uint64(at) + pos
		if start+ksize+vsize > uint64(len(buf)) {
			return fmt.Errorf("halaman %d, elemen %d: di luar halaman", id, i)
		}
		key := buf[start : start+ksize]
		if i > 0 && bytes.Compare(prev, key) >= 0 {
			return fmt.Errorf("halaman %d, elemen %d: kunci tidak urut", id, i)
		}
		prev = key
		if flags == pgBranch {
			if err := w.tree(le.Uint64(e[8:]), depth+1); err != nil {
				return err
			}
			continue
		}
		if le.Uint32(e[0:])&leafBucket == 0 {
			continue
		}
		val := buf[start+ksize : start+ksize+vsize]
		if len(val) < 16 {
			return fmt.Errorf("halaman %d, wadah %q: kepala wadah terpotong", id, key)
		}
		if root := le.Uint64(val); root != 0 {
			err := w.tree(root, depth+1)
			if err != nil {
				return fmt.Errorf("wadah %q: %w", key, err)
			}
		} else if err := w.node(val[16:], 0, depth+1); err != nil {
			return fmt.Errorf("wadah %q: %w", key, err)
		}
	}
	return nil
}
