#!/bin/sh
# Fails when a source file with translatable strings is missing from po/POTFILES.in, or when
# POTFILES.in names a file that does not exist: either way, German would silently fall behind.
set -u
top=${1:?usage: check-potfiles.sh SOURCE_ROOT}
cd "$top" || exit 1
status=0

for file in $(grep -v '^#' po/POTFILES.in); do
  if [ ! -f "$file" ]; then
    echo "po/POTFILES.in names $file, which does not exist: remove it" >&2
    status=1
  fi
done

for file in $(grep -rlE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|ngettext|g_dngettext)[[:space:]]?\(|translatable="yes"' src --include='*.c' --include='*.ui' | sort); do
  if ! grep -qx "$file" po/POTFILES.in; then
    echo "$file has translatable strings but is not in po/POTFILES.in: add it" >&2
    status=1
  fi
done

[ "$status" -eq 0 ] && echo "po/POTFILES.in: ok"
exit "$status"
