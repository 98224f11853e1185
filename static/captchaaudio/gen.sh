#!/usr/bin/env bash
# Makes the Indonesian digit sounds of the audio captcha (0.raw … 9.raw): eSpeak NG's Indonesian
# voice says each digit, sox trims the silence around it, evens its loudness and converts it to raw
# 8 kHz unsigned 8-bit mono PCM (what audio.go mixes). The results are committed, so a build needs
# neither program; run this again only to change the voice:
#   apt-get install -y espeak-ng sox && static/captchaaudio/gen.sh
set -euo pipefail
cd "$(dirname "$0")"
words=(nol satu dua tiga empat lima enam tujuh delapan sembilan)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for d in "${!words[@]}"; do
  espeak-ng -v id -s 135 -w "$tmp/$d.wav" "${words[$d]}"
  sox "$tmp/$d.wav" -r 8000 -b 8 -e unsigned-integer -c 1 -t raw "$d.raw" \
    silence 1 0.02 1% reverse silence 1 0.02 1% reverse gain -n -1
  echo "$d ${words[$d]}: $(stat -c %s "$d.raw") B"
done
