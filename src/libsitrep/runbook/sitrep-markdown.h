/* sitrep-markdown.h: text a person typed as Markdown that shows it verbatim, and its times */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Formats the times of one document; set up with sitrep_markdown_clock_init(). */
typedef struct
{
  gboolean utc;
  int year, month, day;       /* the day of the document's {date} */
  gint64 minute;              /* the last minute formatted, for 100,000 events in few minutes */
  char text[32];
} SitrepMarkdownClock;

gboolean    sitrep_markdown_is_blank         (const char          *text);
void        sitrep_markdown_append_line      (GString             *out,
                                              const char          *text);
/* Exposed for tests and for the composer's preview. */
char       *sitrep_markdown_escape_line      (const char          *text);
char       *sitrep_markdown_escape_paragraph (const char          *text);

void        sitrep_markdown_clock_init       (SitrepMarkdownClock *clock,
                                              gint64               start,
                                              gboolean             utc);
const char *sitrep_markdown_clock_format     (SitrepMarkdownClock *clock,
                                              gint64               at);

G_END_DECLS
