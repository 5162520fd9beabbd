/* sitrep-template-values.c: what the console knows of an incident, by placeholder name */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-incident-status.h"
#include "sitrep-template-values.h"

/**
 * sitrep_template_values_find_unfilled:
 * @text: a filled message or post-mortem, as the person left it
 *
 * The placeholders still in @text as "[name]", as the template engine leaves a placeholder it
 * has no value for: a lower-case letter, then lower-case letters, digits or "_", two characters
 * at least. A Markdown link ("[grafana](https://…)"), a checkbox ("[x]") and a tag such as
 * "[P1]" are not placeholders.
 *
 * Returns: (transfer full) (element-type utf8): "[impact]", "[lessons]" …, each once, in order
 */
GPtrArray *
sitrep_template_values_find_unfilled (const char *text)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  for (const char *p = text ? strchr (text, '[') : NULL; p != NULL; p = strchr (p + 1, '['))
    {
      const char *q = p + 1;
      g_autofree char *name = NULL;
      gboolean known = FALSE;

      if (!g_ascii_islower (*q))
        continue;
      while (g_ascii_islower (*q) || g_ascii_isdigit (*q) || *q == '_')
        q++;
      if (*q != ']' || q - p - 1 < 2 || q[1] == '(' || q[1] == '[')
        continue;
      name = g_strndup (p, q - p + 1);
      for (guint i = 0; i < found->len && !known; i++)
        known = g_str_equal (found->pdata[i], name);
      if (!known)
        g_ptr_array_add (found, g_steal_pointer (&name));
    }
  return found;
}

static char *
format_clock (gint64   at,
              gboolean utc)
{
  g_autoptr(GDateTime) time = utc ? g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC)
                                  : g_date_time_new_from_unix_local (at / G_USEC_PER_SEC);

  return g_date_time_format (time, utc ? "%H:%M UTC" : "%H:%M %Z");
}

/**
 * sitrep_template_values_for_incident:
 * @now: the time the message is written
 * @utc: times in UTC rather than local time
 *
 * What the console knows of @incident, by placeholder name. What it cannot know (root cause,
 * action being taken, ETA, fix) is left out, so it shows as [root_cause] until a person fills it.
 *
 * Returns: (transfer full) (element-type utf8 utf8): placeholder name → text
 */
GHashTable *
sitrep_template_values_for_incident (SitrepIncident *incident,
                                     SitrepRunbook  *runbook,
                                     gint64          now,
                                     gboolean        utc)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  const SitrepSeverity *severity = sitrep_runbook_find_severity (runbook,
                                                                 sitrep_incident_get_severity (incident));
  const char *const *services = sitrep_incident_get_services (incident);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  gint64 start = sitrep_incident_get_started_at (incident);
  gint64 end = sitrep_incident_get_resolved_at (incident);
  gint64 next = sitrep_incident_next_update_due_at (incident, runbook);
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (start / G_USEC_PER_SEC);

  g_hash_table_insert (values, "severity", g_strdup (sitrep_incident_get_severity (incident)));
  if (severity != NULL)
    g_hash_table_insert (values, "severity_label", g_strdup (severity->label));
  g_hash_table_insert (values, "summary", g_strdup (sitrep_incident_get_summary (incident)));
  g_hash_table_insert (values, "title", g_strdup (sitrep_incident_get_summary (incident)));
  g_hash_table_insert (values, "impact", g_strdup (sitrep_incident_get_impact (incident)));
  g_hash_table_insert (values, "status",
                       g_strdup (sitrep_incident_get_status_word (incident, runbook)));
  if (sitrep_incident_get_lead (incident) != NULL && *sitrep_incident_get_lead (incident) != '\0')
    g_hash_table_insert (values, "lead",
                         /* A handle gets its "@", a full name stays a name. */
                         g_str_has_prefix (sitrep_incident_get_lead (incident), "@")
                             || strchr (sitrep_incident_get_lead (incident), ' ') != NULL
                           ? g_strdup (sitrep_incident_get_lead (incident))
                           : g_strdup_printf ("@%s", sitrep_incident_get_lead (incident)));
  g_hash_table_insert (values, "channel", g_strdup (sitrep_incident_get_channel (incident)));
  /* The runbook's own placeholders; the loader keeps them from shadowing the ones above. The
   * keys outlive the runbook: interned. */
  for (const char *const *name = sitrep_runbook_get_placeholder_names (runbook); *name; name++)
    g_hash_table_insert (values, (gpointer) g_intern_string (*name),
                         g_strdup (sitrep_runbook_get_placeholder (runbook, *name)));

  for (guint i = 0; services != NULL && services[i] != NULL; i++)
    {
      const SitrepService *service = sitrep_runbook_find_service (runbook, services[i]);

      g_ptr_array_add (names, service ? service->name : (gpointer) services[i]);
    }
  g_ptr_array_add (names, NULL);
  if (names->len > 1)
    g_hash_table_insert (values, "service", g_strjoinv (", ", (char **) names->pdata));

  g_hash_table_insert (values, "date", g_date_time_format (date, "%Y-%m-%d"));
  g_hash_table_insert (values, "start_time", format_clock (start, utc));
  if (end != 0)
    {
      gint64 minutes = MAX (0, end - start) / G_USEC_PER_SEC / 60;

      g_hash_table_insert (values, "end_time", format_clock (end, utc));
      /* In the runbook's language, as status_word(). */
      g_hash_table_insert (values, "duration",
                           minutes >= 60 ? g_strdup_printf ("%d h %d min", (int) (minutes / 60),
                                                            (int) (minutes % 60))
                                         : g_strdup_printf ("%d min", (int) minutes));
    }
  if (next != 0)
    {
      gint64 minutes = MAX (0, next - now + 59 * G_USEC_PER_SEC) / G_USEC_PER_SEC / 60;
      g_autofree char *at = format_clock (next, utc);

      /* In the runbook's language, as status_word(). */
      g_hash_table_insert (values, "next_update",
                           g_strdup_printf (minutes == 1 ? "In %d minute (at %s)"
                                                         : "In %d minutes (at %s)",
                                            (int) minutes, at));
    }
  return values;
}
