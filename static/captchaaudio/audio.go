// Package captchaaudio speaks a captcha's digits in Indonesian ("nol", "satu", … "sembilan") as a
// WAV file. The digit sounds were made once with eSpeak NG's Indonesian voice (gen.sh) and are
// embedded, so neither a build nor the server needs a speech synthesiser or the network.
// (github.com/dchest/captcha, which makes the image, speaks only English, Chinese, Russian,
// Japanese and Portuguese.)
package captchaaudio

import (
	"crypto/sha256"
	"embed"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
)

// SampleRate is the rate of the sounds: 8 kHz unsigned 8-bit mono, as a telephone.
const SampleRate = 8000

//go:embed *.raw
var sounds embed.FS

// digits[n] is the raw PCM of digit n.
var digits = func() [10][]byte {
	var d [10][]byte
	for n := range d {
		b, err := sounds.ReadFile(fmt.Sprintf("%d.raw", n))
		if err != nil {
			panic(err) // embedded: missing means a broken build
		}
		d[n] = b
	}
	return d
}()

// Timing of the speech, in samples: a pause before the first digit, and between digits a pause
// long enough to tell them apart (and to type one) but varied, so the gaps give nothing away.
const (
	leadIn  = SampleRate / 2
	gapMin  = SampleRate * 7 / 10
	gapMax  = SampleRate * 11 / 10
	leadOut = SampleRate / 2
)

// WAV is the digits (each 0–9) spoken one by one, as a WAV file. seed fixes the random speed,
// loudness, pauses and background noise: the same captcha gives the same sound every time it is
// asked for, so asking again and again cannot average the noise away.
func WAV(ds []byte, seed []byte) ([]byte, error) {
	rng := rand.New(rand.NewChaCha8(sha256.Sum256(seed)))
	parts := make([][]byte, len(ds))
	gaps := make([]int, len(ds)) // the pause after each digit; none after the last
	total := leadIn + leadOut
	for i, d := range ds {
		if d > 9 {
			return nil, fmt.Errorf("captchaaudio: %d is not a digit", d)
		}
		parts[i] = level(stretch(digits[d], 0.92+0.16*rng.Float64()), 0.85+0.15*rng.Float64())
		if i < len(ds)-1 {
			gaps[i] = gapMin + rng.IntN(gapMax-gapMin)
		}
		total += len(parts[i]) + gaps[i]
	}
	pcm := noise(total, rng)
	pos := leadIn
	for i, s := range parts {
		mix(pcm[pos:], s)
		pos += len(s) + gaps[i]
	}
	return wav(pcm), nil
}

// stretch plays a sound at speed (1 = as made): 0.92–1.08 changes voice and tempo a little.
func stretch(s []byte, speed float64) []byte {
	out := make([]byte, int(float64(len(s))/speed))
	for i := range out {
		out[i] = s[min(int(float64(i)*speed), len(s)-1)]
	}
	return out
}

// level scales a sound's loudness around the silence line (128).
func level(s []byte, f float64) []byte {
	for i, v := range s {
		s[i] = byte(max(0, min(255, 128+int(float64(int(v)-128)*f))))
	}
	return s
}

// noise is a quiet hiss under the whole recording.
func noise(n int, rng *rand.Rand) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(128 - 3 + rng.IntN(7))
	}
	return b
}

// mix adds src onto dst (both centred on 128), clipping at the ends.
func mix(dst, src []byte) {
	for i, v := range src {
		dst[i] = byte(max(0, min(255, int(dst[i])+int(v)-128)))
	}
}

// wav wraps 8 kHz unsigned 8-bit mono PCM in a RIFF/WAVE header.
func wav(pcm []byte) []byte {
	out := make([]byte, 44, 44+len(pcm)+1)
	copy(out[0:], "RIFF")
	copy(out[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(out[16:], 16)         // fmt chunk size
	binary.LittleEndian.PutUint16(out[20:], 1)          // PCM
	binary.LittleEndian.PutUint16(out[22:], 1)          // mono
	binary.LittleEndian.PutUint32(out[24:], SampleRate) // samples per second
	binary.LittleEndian.PutUint32(out[28:], SampleRate) // bytes per second
	binary.LittleEndian.PutUint16(out[32:], 1)          // block align
	binary.LittleEndian.PutUint16(out[34:], 8)          // bits per sample
	copy(out[36:], "data")
	binary.LittleEndian.PutUint32(out[40:], uint32(len(pcm)))
	out = append(out, pcm...)
	if len(pcm)%2 == 1 {
		out = append(out, 0) // chunks are padded to even length
	}
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))
	return out
}
