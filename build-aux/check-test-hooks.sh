#!/bin/sh
# Fails when the shipped binary holds a test hook: a function or variable that a -testing.c
# file defines (the static libraries given after the binary). Those are linked into test
# executables only; one in the binary means a -testing.c file went into the app's sources.
set -u
nm=${1:?usage: check-test-hooks.sh NM BINARY TESTING_LIBRARY…}
binary=${2:?usage: check-test-hooks.sh NM BINARY TESTING_LIBRARY…}
shift 2
[ "$#" -gt 0 ] || { echo "no testing libraries given" >&2; exit 1; }

scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT

"$nm" --defined-only "$binary" | awk '{ print $NF }' | sort -u > "$scratch/shipped"
# A stripped binary would pass for the wrong reason: the app's own symbols must be there.
if ! grep -qx 'sitrep_window_get_type' "$scratch/shipped"; then
  echo "$binary has no symbol table (stripped?): cannot tell whether it holds test hooks" >&2
  exit 1
fi

"$nm" --defined-only --extern-only "$@" | awk 'NF >= 3 { print $NF }' | sort -u > "$scratch/hooks"
if [ ! -s "$scratch/hooks" ]; then
  echo "the testing libraries define nothing: is this the right list?" >&2
  exit 1
fi

leaked=$(comm -12 "$scratch/shipped" "$scratch/hooks")
if [ -n "$leaked" ]; then
  for symbol in $leaked; do
    echo "$binary holds the test hook $symbol: move its file to the folder's testing library" >&2
  done
  exit 1
fi
echo "$(basename "$binary"): none of the $(wc -l < "$scratch/hooks") test hooks shipped: ok"
