#!/bin/sh
# Draws the Atelier icon (a rounded indigo tile with a 3×3 grid of "pixels", the diagonal lit like
# a good confusion matrix) with ImageMagick 6, at 512 and 256 px. Run: sh resources/make-icon.sh
set -eu
cd "$(dirname "$0")"
IM=/usr/bin/convert
S=1024
draw="fill #4f46e5 roundrectangle 32,32 992,992 200,200"
cells=""
for r in 0 1 2; do
  for c in 0 1 2; do
    x=$((212 + c * 210)); y=$((212 + r * 210))
    if [ "$r" = "$c" ]; then colour="#fbbf24"; else colour="#c7d2fe"; fi
    if [ "$r" = 2 ] && [ "$c" = 1 ]; then colour="#818cf8"; fi
    cells="$cells fill $colour roundrectangle $x,$y $((x + 180)),$((y + 180)) 36,36"
  done
done
"$IM" -size ${S}x${S} xc:none -draw "$draw" -draw "$cells" -resize 512x512 -depth 8 icon.png
"$IM" icon.png -resize 256x256 -depth 8 icon-256.png
