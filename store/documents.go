package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"go.etcd.io/bbolt"
)

// MaxDocSize is the largest document a proposal may carry: 5 MiB, enough for a scanned SK or
// ijazah at 200 dpi, small enough that a regional office's disk and its slow links cope.
const MaxDocSize = 5 << 20

// DocTooLarge is the sentence that refuses a document over MaxDocSize. The upload form carries the
// same words, so the browser refuses such a file before sending it as the server would.
var DocTooLarge = fmt.Sprintf("Berkas terlalu besar: paling besar %d MB.", MaxDocSize>>20)

// docChunk is how a document's bytes are cut into bbolt values, so no single value is huge.
const docChunk = 256 << 10

// DocLimits caps how many documents, and how many bytes of them, one proposal and one PNS may
// have attached at once (counting the documents of the PNS's open proposals), so that one account
// cannot fill the server's disk. Detaching a document frees its place and, when no sent line
// refers to it, its bytes.
type DocLimits struct {
	PerProposal      int   // documents on one proposal
	PerProposalBytes int64 // bytes on one proposal
	PerPNS           int   // documents on all of a PNS's open proposals
	PerPNSBytes      int64 // bytes on all of a PNS's open proposals
}

// DefaultDocLimits: 5 documents and 15 MiB per proposal (a proposal needs at most two documents,
// each at most MaxDocSize), 40 documents and 100 MiB per PNS.
func DefaultDocLimits() DocLimits {
	return DocLimits{PerProposal: 5, PerProposalBytes: 15 << 20, PerPNS: 40, PerPNSBytes: 100 << 20}
}

// withDefaults fills each zero field from DefaultDocLimits.
func (l DocLimits) withDefaults() DocLimits {
	d := DefaultDocLimits()
	if l.PerProposal <= 0 {
		l.PerProposal = d.PerProposal
	}
	if l.PerProposalBytes <= 0 {
		l.PerProposalBytes = d.PerProposalBytes
	}
	if l.PerPNS <= 0 {
		l.PerPNS = d.PerPNS
	}
	if l.PerPNSBytes <= 0 {
		l.PerPNSBytes = d.PerPNSBytes
	}
	return l
}

// DocLimits is what Open set from Options.DocLimits.
func (s *Store) DocLimits() DocLimits { return s.docLimits }

// checkRoom refuses, at the field "berkas", a document of size bytes that would take the
// proposal under entry or the PNS past the limits. docs is every document attached to the PNS's
// open proposals, by entry.
func (l DocLimits) checkRoom(docs map[string][]DocMeta, entry string, size int64) error {
	var n, pnsN int
	var bytes, pnsBytes int64
	for key, ds := range docs {
		for _, d := range ds {
			pnsN++
			pnsBytes += d.Size
			if key == entry {
				n++
				bytes += d.Size
			}
		}
	}
	mib := func(b int64) string { return strings.Replace(fmt.Sprintf("%.1f MB", float64(b)/(1<<20)), ".", ",", 1) }
	switch {
	case n+1 > l.PerProposal:
		return fieldErr("berkas", "Usulan ini sudah memuat %d dokumen, batasnya %d. Lepas dokumen yang tidak diperlukan dulu.", n, l.PerProposal)
	case bytes+size > l.PerProposalBytes:
		return fieldErr("berkas", "Dokumen usulan ini akan menjadi %s, batasnya %s per usulan. Lepas dokumen yang tidak diperlukan atau perkecil pindaiannya.", mib(bytes+size), mib(l.PerProposalBytes))
	case pnsN+1 > l.PerPNS:
		return fieldErr("berkas", "Semua usulan PNS ini sudah memuat %d dokumen, batasnya %d per PNS. Lepas dokumen yang tidak diperlukan dulu.", pnsN, l.PerPNS)
	case pnsBytes+size > l.PerPNSBytes:
		return fieldErr("berkas", "Dokumen semua usulan PNS ini akan menjadi %s, batasnya %s per PNS. Lepas dokumen yang tidak diperlukan atau perkecil pindaiannya.", mib(pnsBytes+size), mib(l.PerPNSBytes))
	}
	return nil
}

// Document types, decided by the content.
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
)

// DocMeta describes one uploaded document. Name is a display name made safe (never a path); the
// bytes live in document_blobs, apart from the records and entries the form reads.
type DocMeta struct {
	ID    uint64    `json:"id"`
	NIP   string    `json:"nip"`
	Entry string    `json:"entry"` // the proposal's entry key
	Kind  string    `json:"kind"`  // which required document it is, e.g. "Ijazah"
	Name  string    `json:"name"`
	Type  string    `json:"type"`
	Size  int64     `json:"size"`
	By    string    `json:"by"`
	At    time.Time `json:"at"`
}

// DocRef is a document as a submission line carries it.
type DocRef struct {
	ID   uint64 `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name"`
}

func docIndexKey(nip, entry string, id uint64) []byte {
	return cat([]byte(nip), []byte{0}, []byte(entry), []byte{0}, u64(id))
}

func blobKey(id uint64, chunk int) []byte {
	k := make([]byte, 12)
	binary.BigEndian.PutUint64(k, id)
	binary.BigEndian.PutUint32(k[8:], uint32(chunk))
	return k
}

// readDocs reads the documents attached to a PNS's proposals (metadata only, never the bytes).
func readDocs(tx *bbolt.Tx, nip string) (map[string][]DocMeta, error) {
	out := map[string][]DocMeta{}
	metas := bk(tx, bDocs)
	c := bk(tx, bDocsByNIP).Cursor()
	p := cat([]byte(nip), []byte{0})
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		var m DocMeta
		if err := getJSON(metas, k[len(k)-8:], &m); err != nil {
			return nil, fmt.Errorf("dokumen %x: %w", k[len(k)-8:], err)
		}
		out[m.Entry] = append(out[m.Entry], m)
	}
	return out, nil
}

// sniffType decides a document's type from its bytes alone: the signature at the start and the
// structure at the end (a PDF's %%EOF, a JPEG's end-of-image marker, a PNG's IEND chunk). The
// name and the browser's claimed type play no part. It returns "" for anything else.
//
// head is the start of the file (at least its first 16 bytes when it has them), end its last
// bytes (up to 1 KiB).
func sniffType(head, end []byte) string {
	trimmed := bytes.TrimRight(end, "\x00\r\n\t ")
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		if bytes.Contains(trimmed, []byte("%%EOF")) {
			return TypePDF
		}
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		if bytes.HasSuffix(trimmed, []byte{0xFF, 0xD9}) {
			return TypeJPEG
		}
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")) && len(head) >= 16 && string(head[12:16]) == "IHDR":
		if bytes.HasSuffix(end, []byte("IEND\xaeB`\x82")) {
			return TypePNG
		}
	}
	return ""
}

// tailOf returns the last n bytes of the chunks, copying only when they span two chunks.
func tailOf(chunks [][]byte, n int) []byte {
	last := chunks[len(chunks)-1]
	if len(last) >= n || len(chunks) == 1 {
		return last[max(0, len(last)-n):]
	}
	prev := chunks[len(chunks)-2]
	return append(append([]byte(nil), prev[max(0, len(prev)-(n-len(last))):]...), last...)
}

// SafeName makes an uploaded file's name fit for display and a Content-Disposition header: the
// last path element only, letters, digits and a few marks, at most 80 characters. It is never used
// as a path.
func SafeName(name, typ string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) && r < 0x250, unicode.IsDigit(r) && r < 0x80, strings.ContainsRune(" ._-()", r):
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	out := strings.TrimLeft(strings.TrimSpace(b.String()), ".")
	if r := []rune(out); len(r) > 80 {
		out = string(r[len(r)-80:])
	}
	if strings.Trim(out, "._- ") == "" {
		out = "dokumen" + extOf(typ)
	}
	return out
}

func extOf(typ string) string {
	switch typ {
	case TypePDF:
		return ".pdf"
	case TypeJPEG:
		return ".jpg"
	case TypePNG:
		return ".png"
	}
	return ""
}

// readUpload reads an upload to its end in chunks, refusing it as soon as it passes MaxDocSize.
func readUpload(r io.Reader) ([][]byte, int64, error) {
	var chunks [][]byte
	var total int64
	for {
		buf := make([]byte, docChunk)
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			total += int64(n)
			if total > MaxDocSize {
				return nil, total, fieldErr("berkas", "%s", DocTooLarge)
			}
			chunks = append(chunks, buf[:n])
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return chunks, total, nil
		}
		if err != nil {
			return nil, total, fmt.Errorf("membaca unggahan: %w", err)
		}
	}
}

// AddDocument attaches an uploaded document to one of the PNS's proposals (entry key) as the
// document kind (one the proposal needs or may carry). The body is read in chunks and refused past
// MaxDocSize; an empty file, or one whose content is not a PDF, JPEG or PNG, is refused at the
// field "berkas". The bytes are written in one transaction with the metadata and the index. It
// returns the document and the form as it stands after the write.
func (s *Store) AddDocument(a Actor, nip, entry, kind, name string, body io.Reader) (DocMeta, Form, error) {
	if !s.MayActFor(a, nip) { // before reading the upload: an outsider's body is not read at all
		return DocMeta{}, Form{}, ErrForbidden
	}
	chunks, size, typ, err := readDocument(body)
	if err != nil {
		f, err := s.refused(a, nip, err)
		return DocMeta{}, f, err
	}
	now := s.now()
	var out DocMeta
	form, err := s.editForm(a, nip, s.update, func(tx *bbolt.Tx, form *Form) error {
		if form.Locked {
			return ErrLocked
		}
		if !form.Editable(entry) {
			return fieldErr("berkas", "Usulan ini tidak dikembalikan untuk diperbaiki: dokumen hanya dapat ditambahkan pada baris bertanda BTS.")
		}
		e, ok := form.Entries[entry]
		if !ok || e.Status != EntryUsul {
			return fieldErr("berkas", "Dokumen hanya dapat dilampirkan pada usulan perbaikan.")
		}
		need, may := DocsFor(entry, e.Op)
		if !slices.Contains(need, kind) && !slices.Contains(may, kind) {
			return fieldErr("jenis", "Pilih jenis dokumen dari daftar.")
		}
		if err := s.docLimits.checkRoom(form.Docs, entry, size); err != nil {
			return err
		}
		id, err := bk(tx, bDocs).NextSequence()
		if err != nil {
			return err
		}
		m := DocMeta{ID: id, NIP: nip, Entry: entry, Kind: kind, Name: SafeName(name, typ), Type: typ, Size: size, By: a.Login, At: now}
		if err := putJSON(bk(tx, bDocs), u64(id), m); err != nil {
			return err
		}
		blobs := bk(tx, bDocBlobs)
		blobs.FillPercent = 1 // appended in key order, never rewritten
		for i, c := range chunks {
			if err := blobs.Put(blobKey(id, i), c); err != nil {
				return err
			}
		}
		if err := bk(tx, bDocsByNIP).Put(docIndexKey(nip, entry, id), nil); err != nil {
			return err
		}
		form.Docs[entry] = append(form.Docs[entry], m)
		out = m
		return appendEvent(tx, Event{At: now, Actor: a.Login, OnBehalfOf: onBehalf(a, nip), NIP: nip, Kind: EventDocument,
			Detail: fmt.Sprintf("%s: %s (%s, %d bita)", entry, kind, m.Name, size)})
	})
	if err != nil {
		return DocMeta{}, form, err
	}
	return out, form, nil
}

// readDocument reads an upload and decides its type from its content: it refuses, at the field
// "berkas", a body past MaxDocSize, an empty one, and one that is not a PDF, JPEG or PNG.
func readDocument(body io.Reader) (chunks [][]byte, size int64, typ string, err error) {
	chunks, size, err = readUpload(body)
	if err != nil {
		return nil, 0, "", err
	}
	if size == 0 {
		return nil, 0, "", fieldErr("berkas", "Berkas kosong. Pilih berkas hasil pindaian dokumen.")
	}
	if typ = sniffType(chunks[0], tailOf(chunks, 1024)); typ == "" {
		return nil, 0, "", fieldErr("berkas", "Berkas harus PDF, JPEG atau PNG; isi berkas ini bukan salah satunya (nama berkas tidak menentukan).")
	}
	return chunks, size, typ, nil
}

// DetachDocument takes a document off a proposal before Kirim. Its bytes are deleted in the same
// transaction unless a sent line still refers to them (a returned submission's line keeps its
// documents until it is sent again). It returns the form as it stands after the write.
func (s *Store) DetachDocument(a Actor, nip string, id uint64) (Form, error) {
	now := s.now()
	return s.editForm(a, nip, s.update, func(tx *bbolt.Tx, form *Form) error {
		var m DocMeta
		if err := getJSON(bk(tx, bDocs), u64(id), &m); err != nil || m.NIP != nip {
			return fmt.Errorf("dokumen #%d: %w", id, ErrNotFound)
		}
		if form.Locked {
			return ErrLocked
		}
		if !form.Editable(m.Entry) {
			return fieldErr("berkas", "Usulan ini tidak dikembalikan untuk diperbaiki: dokumennya tidak dapat dilepas.")
		}
		if err := releaseDoc(tx, m); err != nil {
			return err
		}
		form.Docs[m.Entry] = slices.DeleteFunc(form.Docs[m.Entry], func(d DocMeta) bool { return d.ID == id })
		if len(form.Docs[m.Entry]) == 0 {
			delete(form.Docs, m.Entry)
		}
		return appendEvent(tx, Event{At: now, Actor: a.Login, NIP: nip, Kind: EventDocument, Detail: fmt.Sprintf("%s: %s dilepas", m.Entry, m.Name)})
	})
}

// dropDocs releases every document attached to the proposal under key, for a write that ends
// the proposal (Withdraw, Confirm): they would otherwise stay attached to nothing, count against
// the limits and hold their bytes for good.
func dropDocs(tx *bbolt.Tx, form *Form, key string) error {
	for _, m := range form.Docs[key] {
		if err := releaseDoc(tx, m); err != nil {
			return err
		}
	}
	delete(form.Docs, key)
	return nil
}

// releaseDoc takes document m off its proposal and, when no submission line of the PNS refers to
// it, deletes its metadata and every chunk of its bytes, so the file's pages are free for reuse.
func releaseDoc(tx *bbolt.Tx, m DocMeta) error {
	if err := bk(tx, bDocsByNIP).Delete(docIndexKey(m.NIP, m.Entry, m.ID)); err != nil {
		return err
	}
	used, err := docReferenced(tx, m.NIP, m.ID)
	if err != nil || used {
		return err
	}
	if err := bk(tx, bDocs).Delete(u64(m.ID)); err != nil {
		return err
	}
	c := bk(tx, bDocBlobs).Cursor()
	p := u64(m.ID)
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Seek(p) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// docReferenced tells whether a line of any of the PNS's submissions carries document id.
func docReferenced(tx *bbolt.Tx, nip string, id uint64) (bool, error) {
	c := bk(tx, bSubsByNIP).Cursor()
	p := []byte(nip)
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		if len(k) != len(p)+8 {
			continue
		}
		sub, err := getCached[Submission](tx, bSubs, k[len(p):])
		if err != nil {
			return false, err
		}
		for _, l := range sub.Lines {
			if slices.ContainsFunc(l.Docs, func(d DocRef) bool { return d.ID == id }) {
				return true, nil
			}
		}
	}
	return false, nil
}

// Document returns a document and its bytes to someone allowed to see it: its PNS, or a verifier
// of the level and scope where the PNS's latest submission waits.
func (s *Store) Document(a Actor, id uint64) (DocMeta, []byte, error) {
	var m DocMeta
	var data []byte
	err := s.view(func(tx *bbolt.Tx) error {
		if err := getJSON(bk(tx, bDocs), u64(id), &m); err != nil {
			return fmt.Errorf("dokumen #%d: %w", id, err)
		}
		if !mayActForTx(tx, a, m.NIP) {
			sub, err := latestSubmission(tx, m.NIP)
			if err != nil || !mayVerify(a, sub) {
				return ErrForbidden
			}
		}
		data = make([]byte, 0, m.Size)
		c := bk(tx, bDocBlobs).Cursor()
		p := u64(id)
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			data = append(data, v...) // copied out before the transaction ends
		}
		return nil
	})
	if err != nil {
		return DocMeta{}, nil, err
	}
	return m, data, nil
}
