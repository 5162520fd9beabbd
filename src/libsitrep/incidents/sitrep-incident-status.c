/* sitrep-incident-status.c: an incident's status in its runbook's words (format 2 "statuses")
 *
 * A runbook may name its own statuses ("triage", "fix-deployed", "closed"). The store keeps
 * the runbook's id with the built-in status it counts as, so that every clock, the escalation
 * and the resolution keep working on the four they know, and the console, the timeline, the
 * CLI and the messages say the runbook's words.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-incident-private.h"
#include "sitrep-incident-status.h"
#include "sitrep-suggest.h"

static SitrepIncidentStatus
stage_of (GPtrArray              *statuses,
          const SitrepStatusSpec *spec)
{
  if (spec->resolves)
    return SITREP_STATUS_RESOLVED;
  if (spec->mitigated)
    return SITREP_STATUS_MONITORING;
  if (statuses->len > 0 && statuses->pdata[0] == spec)
    return SITREP_STATUS_INVESTIGATING;
  return SITREP_STATUS_IDENTIFIED;
}

/* The statuses a person may choose from (SitrepStatusChoice), in order: the runbook's own, or
 * investigating, identified, monitoring and resolved. */
GArray *
sitrep_incident_status_choices (SitrepRunbook *runbook)
{
  GArray *choices = g_array_new (FALSE, TRUE, sizeof (SitrepStatusChoice));
  GPtrArray *statuses = runbook != NULL ? sitrep_runbook_get_statuses (runbook) : NULL;

  if (statuses == NULL)
    {
      for (SitrepIncidentStatus s = SITREP_STATUS_INVESTIGATING; s <= SITREP_STATUS_RESOLVED; s++)
        {
          SitrepStatusChoice choice = { s, NULL, sitrep_incident_status_get_label (s) };

          g_array_append_val (choices, choice);
        }
      return choices;
    }
  for (guint i = 0; i < statuses->len; i++)
    {
      const SitrepStatusSpec *spec = statuses->pdata[i];
      SitrepStatusChoice choice = { stage_of (statuses, spec), spec->id, spec->label };

      g_array_append_val (choices, choice);
    }
  return choices;
}

/* The status's id as the runbook names it ("fix-deployed"), or the built-in one's
 * ("investigating"). */
const char *
sitrep_incident_get_status_id (SitrepIncident *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT (self), NULL);

  if (self->status_id != NULL)
    return self->status_id;
  return sitrep_incident_status_to_string (self->status);
}

/* The status as the console shows it: the runbook's label, or the built-in status's in the
 * reader's language. */
const char *
sitrep_incident_get_status_label (SitrepIncident *self,
                                  SitrepRunbook  *runbook)
{
  const SitrepStatusSpec *spec;

  g_return_val_if_fail (SITREP_IS_INCIDENT (self), NULL);

  if (self->status_id == NULL)
    return sitrep_incident_status_get_label (self->status);
  spec = runbook != NULL ? sitrep_runbook_find_status (runbook, self->status_id) : NULL;
  return spec != NULL ? spec->label : self->status_id;
}

/* The status as a message says it ({status}): the runbook's label, or the built-in status in
 * the runbook's language, which is English until the format names one. */
const char *
sitrep_incident_get_status_word (SitrepIncident *self,
                                 SitrepRunbook  *runbook)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT (self), NULL);

  if (self->status_id != NULL)
    return sitrep_incident_get_status_label (self, runbook);
  switch (self->status)
    {
    case SITREP_STATUS_IDENTIFIED:
      return "Identified";
    case SITREP_STATUS_MONITORING:
      return "Monitoring";
    case SITREP_STATUS_RESOLVED:
      return "Resolved";
    case SITREP_STATUS_INVESTIGATING:
    default:
      return "Investigating";
    }
}

/* "triage, fixing, closed": the ids a person may type, for messages that list them. */
char *
sitrep_incident_status_list (SitrepRunbook *runbook)
{
  g_autoptr(GArray) choices = sitrep_incident_status_choices (runbook);
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < choices->len; i++)
    {
      const SitrepStatusChoice *choice = &g_array_index (choices, SitrepStatusChoice, i);

      g_string_append_printf (list, "%s%s", i ? ", " : "",
                              choice->id ? choice->id : sitrep_incident_status_to_string (choice->stage));
    }
  return g_string_free (list, FALSE);
}

/* Reads a status a person typed against @runbook's statuses; an unknown one is an error that
 * lists the statuses there are. */
gboolean
sitrep_incident_status_parse (SitrepRunbook      *runbook,
                              const char         *text,
                              SitrepStatusChoice *choice,
                              GError            **error)
{
  g_autoptr(GArray) choices = sitrep_incident_status_choices (runbook);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autofree char *known = NULL;
  g_autofree char *hint = NULL;
  const char *suggestion;

  for (guint i = 0; i < choices->len; i++)
    {
      const SitrepStatusChoice *c = &g_array_index (choices, SitrepStatusChoice, i);
      const char *id = c->id ? c->id : sitrep_incident_status_to_string (c->stage);

      if (g_strcmp0 (text, id) == 0)
        {
          *choice = *c;
          return TRUE;
        }
      g_ptr_array_add (ids, (gpointer) id);
    }
  g_ptr_array_add (ids, NULL);
  known = sitrep_incident_status_list (runbook);
  suggestion = sitrep_suggest (text ? text : "", (const char *const *) ids->pdata);
  if (suggestion != NULL)
    /* Translators: after "“fixd” is not a status: give one of triage, fixing, closed." */
    hint = g_strdup_printf (_(" Did you mean “%s”?"), suggestion);
  /* Translators: "“fixed” is not a status: give one of investigating, identified, monitoring,
   * resolved." and, under a runbook with its own statuses, "… give one of triage, closed." */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a status: give one of %s.%s"), text ? text : "", known,
               hint ? hint : "");
  return FALSE;
}

/* The first of the runbook's statuses that counts as @stage, for a change asked for as a
 * built-in status (the console's Resolve, sitrep incident resolve). */
gboolean
sitrep_incident_status_for_stage (SitrepRunbook        *runbook,
                                  SitrepIncidentStatus  stage,
                                  SitrepStatusChoice   *choice)
{
  g_autoptr(GArray) choices = sitrep_incident_status_choices (runbook);

  for (guint i = 0; i < choices->len; i++)
    if (g_array_index (choices, SitrepStatusChoice, i).stage == stage)
      {
        *choice = g_array_index (choices, SitrepStatusChoice, i);
        return TRUE;
      }
  return FALSE;
}
