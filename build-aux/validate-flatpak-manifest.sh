#!/bin/sh
# Lints a Flatpak manifest: flatpak-builder must parse it without a word on stderr.
#
# flatpak-builder only warns (exit 0) about unknown or misspelt properties, so a
# clean exit is not enough: any stderr output fails the check. It runs in a
# scratch directory because flatpak-builder leaves a .flatpak-builder/ state
# directory in its working directory.
#
# Usage: validate-flatpak-manifest.sh FLATPAK_BUILDER MANIFEST

set -u

if [ "$#" -ne 2 ]; then
  echo "usage: $0 FLATPAK_BUILDER MANIFEST" >&2
  exit 2
fi

flatpak_builder=$1
manifest=$2

if [ ! -f "$manifest" ]; then
  echo "$manifest: no such manifest" >&2
  exit 1
fi

case "$manifest" in
  /*) ;;
  *) manifest="$(pwd)/$manifest" ;;
esac

scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT

(cd "$scratch" && "$flatpak_builder" --show-manifest "$manifest") >/dev/null 2>"$scratch/stderr"
status=$?

if [ "$status" -ne 0 ] || [ -s "$scratch/stderr" ]; then
  echo "$manifest: flatpak-builder --show-manifest exited with $status or warned:" >&2
  cat "$scratch/stderr" >&2
  exit 1
fi

echo "$manifest: ok"
