/* sitrep-clock.h: the time, from the system or set by a test */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SITREP_TYPE_CLOCK (sitrep_clock_get_type ())

G_DECLARE_FINAL_TYPE (SitrepClock, sitrep_clock, SITREP, CLOCK, GObject)

SitrepClock *sitrep_clock_new           (void);
SitrepClock *sitrep_clock_new_manual    (gint64       now);
gboolean     sitrep_clock_is_manual     (SitrepClock *self);
gint64       sitrep_clock_now           (SitrepClock *self);
void         sitrep_clock_set           (SitrepClock *self,
                                         gint64       now);
void         sitrep_clock_advance       (SitrepClock *self,
                                         gint64       microseconds);

char        *sitrep_clock_format_span   (gint64       microseconds);

G_END_DECLS
