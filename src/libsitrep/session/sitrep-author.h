/* sitrep-author.h: whose name a console records on the timeline and in the audit log */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char *sitrep_author_name (GSettings *settings);

G_END_DECLS
