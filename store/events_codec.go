package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"
)

// The event log is the largest part of a campaign's file after the records (every decision,
// opening, forward, upload and run of saves is one event), and JSON spent about half of each event
// on its keys and its times written out. Events are therefore stored in a compact encoding:
//
//	0x01                          the encoding's version (JSON, used before it, starts with '{')
//	varint  At (unix nanoseconds)  varint  At's zone offset (seconds)
//	uvarint SubmissionID           uvarint Saves
//	varint  First (unix nanoseconds, 0: none)   varint First's zone offset
//	then Actor, OnBehalfOf, NIP, Kind, Detail, Key, Reason: each uvarint length + bytes
//
// Seq is the key the event is stored under and is not repeated. Events written as JSON before
// (schema 5 and earlier) are read as they are; nothing is migrated. Decoding gives back exactly what
// a JSON round trip gave (times in the zone JSON's parse would choose), so no reader can tell the
// two apart: TestEventCodecMatchesJSON.

// eventCodecV1 is the first byte of an event in the compact encoding.
const eventCodecV1 = 0x01

// encodeEvent is e in the compact encoding.
func encodeEvent(e Event) []byte {
	out := make([]byte, 0, 48+len(e.Actor)+len(e.OnBehalfOf)+len(e.NIP)+len(e.Kind)+len(e.Detail)+len(e.Key)+len(e.Reason))
	out = append(out, eventCodecV1)
	out = appendTime(out, e.At)
	out = binary.AppendUvarint(out, e.SubmissionID)
	out = binary.AppendUvarint(out, uint64(max(e.Saves, 0)))
	out = appendTime(out, e.First)
	for _, s := range []string{e.Actor, e.OnBehalfOf, e.NIP, e.Kind, e.Detail, e.Key, e.Reason} {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	return out
}

// appendTime appends t as unix nanoseconds and its zone offset; the zero time as 0, 0.
func appendTime(out []byte, t time.Time) []byte {
	if t.IsZero() {
		return binary.AppendVarint(binary.AppendVarint(out, 0), 0)
	}
	_, off := t.Zone()
	return binary.AppendVarint(binary.AppendVarint(out, t.UnixNano()), int64(off))
}

// decodeEvent reads an event stored under seq: the compact encoding, or JSON as written before it.
func decodeEvent(seq uint64, raw []byte) (Event, error) {
	var e Event
	if len(raw) == 0 || raw[0] != eventCodecV1 {
		err := json.Unmarshal(raw, &e)
		return e, err
	}
	d := eventReader{b: raw[1:]}
	e.Seq = seq
	e.At = d.time()
	e.SubmissionID = d.uvarint()
	e.Saves = int(d.uvarint())
	e.First = d.time()
	for _, s := range []*string{&e.Actor, &e.OnBehalfOf, &e.NIP, &e.Kind, &e.Detail, &e.Key, &e.Reason} {
		*s = d.string()
	}
	if d.bad || len(d.b) != 0 {
		return Event{}, fmt.Errorf("%w: peristiwa #%d tidak terbaca", ErrDamaged, seq)
	}
	return e, nil
}

// eventReader reads the compact encoding; a short or malformed input sets bad.
type eventReader struct {
	b   []byte
	bad bool
}

func (d *eventReader) uvarint() uint64 {
	v, n := binary.Uvarint(d.b) // 0 when n <= 0
	d.advance(n)
	return v
}

func (d *eventReader) varint() int64 {
	v, n := binary.Varint(d.b) // 0 when n <= 0
	d.advance(n)
	return v
}

// advance moves past n bytes just read; n <= 0 (a cut or overlong number) makes the input bad.
func (d *eventReader) advance(n int) {
	if n <= 0 {
		d.bad, d.b = true, nil
		return
	}
	d.b = d.b[n:]
}

func (d *eventReader) string() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.bad, d.b = true, nil
		return ""
	}
	s := string(d.b[:n]) // a copy: nothing refers to bbolt's memory afterwards
	d.b = d.b[n:]
	return s
}

// time reads a time as appendTime wrote it, in the location a JSON round trip would give it: UTC
// for offset 0, Local when Local has that offset at that instant, else a fixed zone.
func (d *eventReader) time() time.Time {
	ns, off := d.varint(), d.varint()
	if ns == 0 && off == 0 {
		return time.Time{}
	}
	t := time.Unix(0, ns)
	if off == 0 {
		return t.UTC()
	}
	if _, local := t.In(time.Local).Zone(); int64(local) == off {
		return t.In(time.Local)
	}
	return t.In(time.FixedZone("", int(off)))
}

// putEvent stores e under its sequence, in the compact encoding.
func putEvent(b bucket, e Event) error { return b.Put(u64(e.Seq), encodeEvent(e)) }

// getEvent reads the event under the 8-byte key seq; ErrNotFound when there is none.
func getEvent(b bucket, seq []byte) (Event, error) {
	raw := b.Get(seq)
	if raw == nil {
		return Event{}, ErrNotFound
	}
	return decodeEvent(be64(seq), raw)
}

// EncodedSize is how many bytes e takes in the event log (its compact encoding, before the seal):
// the peak benchmark's raw baseline writes as many bytes as a proposal does.
func (e Event) EncodedSize() int { return len(encodeEvent(e)) }
