/* sitrep-incident-format.c: the words and colours of the incident page's clocks */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-clock.h"
#include "sitrep-incident-format.h"

/* "07:12", or "1:07:12" past an hour: a countdown a person reads at a glance. */
char *
sitrep_incident_format_countdown (gint64 span)
{
  gint64 s = ABS (span) / G_USEC_PER_SEC;

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int) (s / 3600), (int) (s % 3600 / 60),
                            (int) (s % 60));
  return g_strdup_printf ("%02d:%02d", (int) (s / 60), (int) (s % 60));
}

/* "7 min", "23 h 59 min": like sitrep_clock_format_span () but in hours up to two days, since
 * the post-incident phases are due in 24 h and 48 h. */
char *
sitrep_incident_format_span (gint64 microseconds)
{
  gint64 s = MAX (0, microseconds) / G_USEC_PER_SEC;

  if (s < 3600 || s > 2 * 86400)
    return sitrep_clock_format_span (microseconds);
  if ((s % 3600) / 60 == 0)
    return g_strdup_printf (C_("time span", "%d h"), (int) (s / 3600));
  return g_strdup_printf (C_("time span", "%d h %d min"), (int) (s / 3600),
                          (int) ((s % 3600) / 60));
}

/* A time of day, with the date when it is not the day of @now (or always, for @with_date), in
 * local time or UTC. */
char *
sitrep_incident_format_time (gint64   at,
                             gint64   now,
                             gboolean utc,
                             gboolean with_date)
{
  g_autoptr(GDateTime) at_utc = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) when = utc ? g_date_time_ref (at_utc) : g_date_time_to_local (at_utc);
  g_autoptr(GDateTime) now_utc = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) today = utc ? g_date_time_ref (now_utc) : g_date_time_to_local (now_utc);
  g_autofree char *text = NULL;

  if (!with_date && g_date_time_get_year (when) == g_date_time_get_year (today)
      && g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (today))
    text = g_date_time_format (when, "%H:%M");
  else
    /* Translators: a time on another day, see g_date_time_format () */
    text = g_date_time_format (when, _("%b %-d, %H:%M"));
  if (utc)
    /* Translators: a time shown in UTC, "03:35 UTC" */
    return g_strdup_printf (_("%s UTC"), text);
  return g_steal_pointer (&text);
}

void
sitrep_incident_format_set_css (GtkWidget  *widget,
                                const char *css_class,
                                gboolean    on)
{
  if (on)
    gtk_widget_add_css_class (widget, css_class);
  else
    gtk_widget_remove_css_class (widget, css_class);
}
