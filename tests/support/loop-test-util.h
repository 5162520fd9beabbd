/* loop-test-util.h: turning the main loop until something holds, or for a while */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gboolean (*Condition) (gpointer data);

void wait_until (Condition   condition,
                 gpointer    data,
                 guint       seconds,
                 const char *what);
void spin       (guint       ms);

G_END_DECLS
