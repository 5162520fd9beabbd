#!/bin/sh
# Fails when a source file with translatable strings is missing from po/POTFILES.in, or when
# POTFILES.in names a file that does not exist: either way, German would silently fall behind.
# Also fails on a translatable string cut short by a format macro (`_("%" G_GINT64_FORMAT)`):
# xgettext stops at the macro, so the translation could never match.
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

for file in $(grep -rlE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|ngettext|g_dngettext|sitrep_reason_new_plural)[[:space:]]?\(|translatable="yes"' src --include='*.c' --include='*.ui' | sort); do
  if ! grep -qx "$file" po/POTFILES.in; then
    echo "$file has translatable strings but is not in po/POTFILES.in: add it" >&2
    status=1
  fi
done

if command -v xgettext >/dev/null; then
  pot=$(mktemp)
  xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
    --keyword=ngettext:1,2 --keyword=g_dngettext:2,3 --keyword=sitrep_reason_new_plural:1,2 \
    --files-from=po/POTFILES.in \
    --output="$pot" 2>/dev/null
  # A string that ends in a lone "%": what followed was a macro xgettext cannot see.
  cut=$(grep -B1 -nE '^(msgid |msgid_plural )?"(.*[^%])?(%%)*%"$' "$pot" | grep -E '^[0-9]+-#:' | sed 's/^[0-9]*-#: //')
  rm -f "$pot"
  if [ -n "$cut" ]; then
    echo "a translatable string ends at a format macro (G_GINT64_FORMAT …) in: $cut" >&2
    echo "  format the number with its macro into a string first, and translate a string with %s" >&2
    status=1
  fi
fi

[ "$status" -eq 0 ] && echo "po/POTFILES.in: ok"
exit "$status"
