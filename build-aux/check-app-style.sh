#!/bin/sh
# Fails when src/app styles a widget outside style.css or with colours of its own: a hex
# colour, rgb(), a GtkStyleContext or a CSS provider of a widget's own, a second stylesheet,
# or g_object_set_data carrying a widget's data. Each finding names FILE:LINE and what to do.
set -u
top=${1:?usage: check-app-style.sh SOURCE_ROOT}
cd "$top" || exit 1
status=0

# report WHAT TO_DO HITS: HITS are grep -n lines, one finding each.
report() {
  [ -n "$3" ] || return 0
  printf '%s\n' "$3" | while IFS= read -r hit; do
    echo "$hit: $1: $2" >&2
  done
  status=1
}

# Entities such as &#x2026; in .ui files are text, not colours.
report "hex colour" "a style class in style.css, libadwaita's named colours" \
  "$(grep -rnE '(^|[^&0-9A-Za-z])#([0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})([^0-9A-Za-z_]|$)' \
       src/app --include='*.c' --include='*.h' --include='*.ui' --include='*.css')"
report "colour by value" "use libadwaita's named colours, alpha(@name, n) for a shade" \
  "$(grep -rnE '(^|[^a-z_])(rgba?|hsla?)[[:space:]]*\(' src/app --include='*.c' --include='*.css' --include='*.ui')"
# One call is left to code: reading one of libadwaita's named colours by name
# (gtk_style_context_lookup_color on the widget's own context, on its own line) for what no
# style class reaches, a GtkTextTag, so that it follows light, dark and high contrast. The call
# is taken out of each line before the line is searched, so nothing else on it passes.
report "GtkStyleContext or a CSS provider" "add a style class and its rule to src/app/style.css" \
  "$(grep -rnE 'GtkStyleContext|gtk_style_context_|gtk_widget_get_style_context|GtkCssProvider|gtk_css_provider_' \
       src/app --include='*.c' --include='*.h' \
     | sed -E 's/^([^:]*:[0-9]+:)[[:space:]]*(if \(|\|\|[[:space:]]*)?!?gtk_style_context_lookup_color \(gtk_widget_get_style_context \(widget\),$/\1/' \
     | grep -E 'GtkStyleContext|gtk_style_context_|gtk_widget_get_style_context|GtkCssProvider|gtk_css_provider_')"
report "colour in code" "draw with CSS (a child with a style class) so dark and high-contrast follow" \
  "$(grep -rnE 'gdk_rgba_parse' src/app --include='*.c')"
report "data hung on an object" "keep it in the widget's struct or a GObject of its own" \
  "$(grep -rnE 'g_object_(set|get|steal)_(data|qdata)|g_object_set_data_full' src/app --include='*.c')"

stylesheets=$(find src/app -name '*.css' ! -path src/app/style.css)
for sheet in $stylesheets; do
  echo "$sheet: a second stylesheet: move its rules into src/app/style.css" >&2
  status=1
done

[ "$status" -eq 0 ] && echo "src/app: styles in style.css, named colours only: ok"
exit "$status"
