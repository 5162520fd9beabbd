/* fixture-schema.h: a database taken back to an older schema, to test its migration */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The SQL that undoes the migrations from @version on (the newest first) and says @version:
 * what a Sitrep of that version left behind, with the rows it could hold. @version is 3 or
 * more (older ones are built from tests/support/data/schema-v1.sql). */
char *fixture_schema_downgrade_sql (int version);

G_END_DECLS
