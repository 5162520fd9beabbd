/* sitrep-clock.c: the time, from the system or set by a test
 *
 * Every clock in the console (health staleness, phase clocks, escalation, update reminders) is
 * derived from stored timestamps and this clock, so tests move time instead of sleeping.
 * Times are microseconds since the Unix epoch, UTC.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-clock.h"

struct _SitrepClock
{
  GObject parent_instance;

  gboolean manual;
  gint64 now;
};

G_DEFINE_FINAL_TYPE (SitrepClock, sitrep_clock, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
sitrep_clock_class_init (SitrepClockClass *klass)
{
  /**
   * SitrepClock::changed:
   *
   * Emitted when a manual clock is set or advanced; the system clock never emits it.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sitrep_clock_init (SitrepClock *self)
{
}

SitrepClock *
sitrep_clock_new (void)
{
  return g_object_new (SITREP_TYPE_CLOCK, NULL);
}

SitrepClock *
sitrep_clock_new_manual (gint64 now)
{
  SitrepClock *self = g_object_new (SITREP_TYPE_CLOCK, NULL);

  self->manual = TRUE;
  self->now = now;
  return self;
}

gboolean
sitrep_clock_is_manual (SitrepClock *self)
{
  g_return_val_if_fail (SITREP_IS_CLOCK (self), FALSE);
  return self->manual;
}

gint64
sitrep_clock_now (SitrepClock *self)
{
  g_return_val_if_fail (SITREP_IS_CLOCK (self), 0);
  return self->manual ? self->now : g_get_real_time ();
}

/* A manual clock may also go backwards, as a wall clock can after an NTP correction. */
void
sitrep_clock_set (SitrepClock *self,
                  gint64       now)
{
  g_return_if_fail (SITREP_IS_CLOCK (self));
  g_return_if_fail (self->manual);

  self->now = now;
  g_signal_emit (self, signals[CHANGED], 0);
}

void
sitrep_clock_advance (SitrepClock *self,
                      gint64       microseconds)
{
  g_return_if_fail (SITREP_IS_CLOCK (self));
  sitrep_clock_set (self, self->now + microseconds);
}

/* A span of time as a person reads it at a glance: "45 s", "3 min", "2 h 5 min", "3 d 4 h". */
char *
sitrep_clock_format_span (gint64 microseconds)
{
  gint64 s = MAX (0, microseconds) / G_USEC_PER_SEC;

  if (s < 60)
    return g_strdup_printf (C_("time span", "%d s"), (int) s);
  if (s < 3600)
    return g_strdup_printf (C_("time span", "%d min"), (int) (s / 60));
  if (s < 86400)
    {
      if ((s % 3600) / 60 == 0)
        return g_strdup_printf (C_("time span", "%d h"), (int) (s / 3600));
      return g_strdup_printf (C_("time span", "%d h %d min"), (int) (s / 3600),
                              (int) ((s % 3600) / 60));
    }
  if ((s % 86400) / 3600 == 0)
    return g_strdup_printf (C_("time span", "%d d"), (int) (s / 86400));
  return g_strdup_printf (C_("time span", "%d d %d h"), (int) (s / 86400),
                          (int) ((s % 86400) / 3600));
}
