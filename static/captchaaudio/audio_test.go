package captchaaudio_test

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"

	"pupns/static/captchaaudio"
)

// pcmOf checks the WAV header (RIFF/WAVE, PCM, mono, 8 kHz, 8 bits, sizes that add up) and
// returns the samples.
func pcmOf(t *testing.T, w []byte) []byte {
	t.Helper()
	le := binary.LittleEndian
	switch {
	case len(w) < 44 || string(w[0:4]) != "RIFF" || string(w[8:16]) != "WAVEfmt " || string(w[36:40]) != "data":
		t.Fatalf("not a WAV file: % x", w[:min(len(w), 44)])
	case le.Uint16(w[20:]) != 1 || le.Uint16(w[22:]) != 1 || le.Uint32(w[24:]) != captchaaudio.SampleRate || le.Uint16(w[34:]) != 8:
		t.Fatalf("format: type %d, %d channels, %d Hz, %d bits", le.Uint16(w[20:]), le.Uint16(w[22:]), le.Uint32(w[24:]), le.Uint16(w[34:]))
	case int(le.Uint32(w[4:])) != len(w)-8:
		t.Fatalf("RIFF size %d, file %d", le.Uint32(w[4:]), len(w))
	}
	n := int(le.Uint32(w[40:]))
	if 44+n > len(w) || len(w)-(44+n) > 1 {
		t.Fatalf("data size %d in a file of %d", n, len(w))
	}
	return w[44 : 44+n]
}

// spoken counts the stretches of speech: 20 ms windows louder than the hiss, joined when less
// than 300 ms apart (the stops inside "delapan" or "empat" are shorter; the pauses between digits
// are at least 700 ms).
func spoken(pcm []byte) int {
	const win, join = captchaaudio.SampleRate / 50, captchaaudio.SampleRate * 3 / 10
	count, lastLoud := 0, -join-1
	for at := 0; at+win <= len(pcm); at += win {
		var sum float64
		for _, v := range pcm[at : at+win] {
			d := float64(v) - 128
			sum += d * d
		}
		if math.Sqrt(sum/win) < 10 {
			continue
		}
		if at-lastLoud > join {
			count++
		}
		lastLoud = at
	}
	return count
}

// TestTheDigitsAreSpokenOneByOne: a valid WAV with one stretch of speech per digit, the same
// sound for the same seed and another for another seed.
func TestTheDigitsAreSpokenOneByOne(t *testing.T) {
	for _, ds := range [][]byte{{1, 2, 3, 4, 5, 6}, {9, 0, 8, 0, 7, 0}, {8, 8}, {4}} {
		w, err := captchaaudio.WAV(ds, []byte("id-1"))
		if err != nil {
			t.Fatal(err)
		}
		pcm := pcmOf(t, w)
		if got := spoken(pcm); got != len(ds) {
			t.Errorf("%v: %d stretches of speech, want %d", ds, got, len(ds))
		}
		if secs := float64(len(pcm)) / captchaaudio.SampleRate; secs > 2*float64(len(ds))+1 {
			t.Errorf("%v: %.1f s of sound, too long to listen to", ds, secs)
		}
		again, _ := captchaaudio.WAV(ds, []byte("id-1"))
		other, _ := captchaaudio.WAV(ds, []byte("id-2"))
		if !bytes.Equal(w, again) || bytes.Equal(w, other) {
			t.Errorf("%v: the same seed must give the same sound, another seed another", ds)
		}
	}
	if _, err := captchaaudio.WAV([]byte{10}, nil); err == nil {
		t.Error("10 is not a digit")
	}
}
