#!/usr/bin/env bash
# Downloads the four Fashion-MNIST files (gzip, as published) into the folder given, for CI.
# Usage: scripts/fetch-fashion-mnist.sh DIR
set -euo pipefail
dir="${1:?usage: fetch-fashion-mnist.sh DIR}"
mkdir -p "$dir"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  curl -fsSL --retry 3 -o "$dir/$f.gz" "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/$f.gz"
done
ls -l "$dir"
