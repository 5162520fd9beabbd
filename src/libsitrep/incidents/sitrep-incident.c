/* sitrep-incident.c: one incident as stored, and the clocks derived from its timestamps
 *
 * An incident is a snapshot of its rows: the store builds it, and the incident manager sends
 * every change back through the store; this file knows nothing of the store. Every clock (response target, phase time boxes, escalation steps, the next status
 * update) is computed from stored timestamps and the time asked about, so after a crash and a
 * restart the clocks and overdue states are exactly what they were.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-incident-private.h"
#include "sitrep-json.h"
#include "sitrep-template.h"

G_DEFINE_FINAL_TYPE (SitrepIncident, sitrep_incident, G_TYPE_OBJECT)

#define SUMMARY_MAX_CHARS 500
#define SLUG_MAX_CHARS 40

static const char *const status_names[] = { "investigating", "identified", "monitoring", "resolved" };

const char *
sitrep_incident_status_to_string (SitrepIncidentStatus status)
{
  g_return_val_if_fail (status <= SITREP_STATUS_RESOLVED, "investigating");
  return status_names[status];
}

gboolean
sitrep_incident_status_from_string (const char           *text,
                                    SitrepIncidentStatus *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    {
      if (g_strcmp0 (text, status_names[i]) == 0)
        {
          *status = (SitrepIncidentStatus) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
sitrep_incident_status_get_label (SitrepIncidentStatus status)
{
  switch (status)
    {
    case SITREP_STATUS_IDENTIFIED:
      return C_("incident status", "Identified");
    case SITREP_STATUS_MONITORING:
      return C_("incident status", "Monitoring");
    case SITREP_STATUS_RESOLVED:
      return C_("incident status", "Resolved");
    case SITREP_STATUS_INVESTIGATING:
    default:
      return C_("incident status", "Investigating");
    }
}

static void
tick_free (SitrepChecklistTick *tick)
{
  g_free (tick->item_id);
  g_free (tick->done_by);
  g_free (tick);
}

static void
answer_free (SitrepEscalationAnswer *answer)
{
  g_free (answer->answer);
  g_free (answer);
}

static void
sitrep_incident_finalize (GObject *object)
{
  SitrepIncident *self = (SitrepIncident *) object;

  g_free (self->runbook);
  g_free (self->runbook_checksum);
  g_free (self->severity);
  g_free (self->status_id);
  g_free (self->summary);
  g_free (self->impact);
  g_free (self->lead);
  g_free (self->channel);
  g_strfreev (self->services);
  g_clear_pointer (&self->ticks, g_hash_table_unref);
  g_clear_pointer (&self->answers, g_hash_table_unref);

  G_OBJECT_CLASS (sitrep_incident_parent_class)->finalize (object);
}

static void
sitrep_incident_class_init (SitrepIncidentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sitrep_incident_finalize;
}

static void
sitrep_incident_init (SitrepIncident *self)
{
  self->ticks = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) tick_free);
  self->answers = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) answer_free);
}

SitrepIncident *
sitrep_incident_new_empty (void)
{
  return g_object_new (SITREP_TYPE_INCIDENT, NULL);
}

void
sitrep_incident_add_tick (SitrepIncident *self,
                          const char     *item_id,
                          gboolean        done,
                          const char     *done_by,
                          gint64          done_at)
{
  SitrepChecklistTick *tick = g_new0 (SitrepChecklistTick, 1);

  tick->item_id = g_strdup (item_id);
  tick->done = done;
  tick->done_by = g_strdup (done_by);
  tick->done_at = done_at;
  g_hash_table_replace (self->ticks, tick->item_id, tick);
}

void
sitrep_incident_add_escalation (SitrepIncident *self,
                                guint           step,
                                gint64          due_at,
                                const char     *answer,
                                gint64          answered_at)
{
  SitrepEscalationAnswer *record = g_new0 (SitrepEscalationAnswer, 1);

  record->due_at = due_at;
  record->answer = g_strdup (answer);
  record->answered_at = answered_at;
  g_hash_table_replace (self->answers, GUINT_TO_POINTER (step), record);
}

#define GETTER(type, name, field, fallback)                  \
  type                                                       \
  sitrep_incident_get_##name (SitrepIncident *self)          \
  {                                                          \
    g_return_val_if_fail (SITREP_IS_INCIDENT (self), fallback); \
    return self->field;                                      \
  }

GETTER (gint64, id, id, 0)
GETTER (gint64, revision, revision, 0)
GETTER (const char *, runbook_name, runbook, NULL)
GETTER (const char *, runbook_checksum, runbook_checksum, NULL)
GETTER (gboolean, drill, drill, FALSE)
GETTER (const char *, severity, severity, NULL)
GETTER (SitrepIncidentStatus, status, status, SITREP_STATUS_INVESTIGATING)
GETTER (const char *, summary, summary, NULL)
GETTER (const char *, impact, impact, NULL)
GETTER (const char *, lead, lead, NULL)
GETTER (const char *, channel, channel, NULL)
GETTER (gint64, started_at, started_at, 0)
GETTER (gint64, declared_at, declared_at, 0)
GETTER (gint64, acknowledged_at, acknowledged_at, 0)
GETTER (gint64, mitigated_at, mitigated_at, 0)
GETTER (gint64, resolved_at, resolved_at, 0)
GETTER (gint64, last_update_at, last_update_at, 0)
GETTER (gint64, update_overdue_at, update_overdue_at, 0)

const char *const *
sitrep_incident_get_services (SitrepIncident *self)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT (self), NULL);
  return (const char *const *) self->services;
}

const SitrepChecklistTick *
sitrep_incident_get_tick (SitrepIncident *self,
                          const char     *item_id)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT (self), NULL);
  return g_hash_table_lookup (self->ticks, item_id);
}

static gboolean
item_done (SitrepIncident *self,
           const char     *item_id)
{
  const SitrepChecklistTick *tick = g_hash_table_lookup (self->ticks, item_id);

  return tick != NULL && tick->done;
}

/* How many of the runbook's checklist items are ticked; @n_items gets how many there are. */
guint
sitrep_incident_count_done (SitrepIncident *self,
                            SitrepRunbook  *runbook,
                            guint          *n_items)
{
  GPtrArray *phases = sitrep_runbook_get_checklist (runbook);
  guint done = 0, total = 0;

  g_return_val_if_fail (SITREP_IS_INCIDENT (self), 0);

  for (guint i = 0; i < phases->len; i++)
    {
      const SitrepChecklistPhase *phase = phases->pdata[i];

      for (guint k = 0; k < phase->items->len; k++)
        {
          const SitrepChecklistItem *item = phase->items->pdata[k];

          if (!sitrep_checklist_item_applies (item, self->severity))
            continue;
          total++;
          done += item_done (self, item->id);
        }
    }
  if (n_items != NULL)
    *n_items = total;
  return done;
}

/* Whether @item is on this incident's checklist: it is for every severity, or for this one. */
gboolean
sitrep_incident_item_applies (SitrepIncident            *self,
                              const SitrepChecklistItem *item)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT (self), FALSE);

  return sitrep_checklist_item_applies (item, self->severity);
}

/* Whether @phase has an item on this incident's checklist. */
gboolean
sitrep_incident_phase_applies (SitrepIncident             *self,
                               const SitrepChecklistPhase *phase)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT (self), FALSE);

  for (guint i = 0; i < phase->items->len; i++)
    if (sitrep_checklist_item_applies (phase->items->pdata[i], self->severity))
      return TRUE;
  return phase->items->len == 0;
}

/* When the severity's response target runs out, counted from declaration; 0 if unknown. */
gint64
sitrep_incident_response_due_at (SitrepIncident *self,
                                 SitrepRunbook  *runbook)
{
  const SitrepSeverity *severity;

  g_return_val_if_fail (SITREP_IS_INCIDENT (self), 0);

  severity = sitrep_runbook_find_severity (runbook, self->severity);
  if (severity == NULL)
    return 0;
  return self->declared_at + severity->response_target * G_USEC_PER_SEC;
}

/* When @phase starts: "starts" after declaration or resolution ("from"); 0 while that has not
 * happened. */
gint64
sitrep_incident_phase_starts_at (SitrepIncident             *self,
                                 const SitrepChecklistPhase *phase)
{
  gint64 origin;

  g_return_val_if_fail (SITREP_IS_INCIDENT (self), 0);

  origin = phase->from == SITREP_PHASE_FROM_RESOLVED ? self->resolved_at : self->declared_at;
  if (origin == 0)
    return 0;
  return origin + phase->starts * G_USEC_PER_SEC;
}

/**
 * sitrep_incident_phase_state:
 * @due_at: (out) (optional): when the phase's time box ends, or 0
 *
 * A phase counts from declaration or resolution ("from"): it has not started before "starts"
 * and is due at "due", both counted from there. A phase whose items are all ticked is done,
 * whatever the time.
 */
SitrepClockState
sitrep_incident_phase_state (SitrepIncident             *self,
                             const SitrepChecklistPhase *phase,
                             gint64                      now,
                             gint64                     *due_at)
{
  gboolean all_done = TRUE;
  gint64 origin;

  g_return_val_if_fail (SITREP_IS_INCIDENT (self), SITREP_CLOCK_NOT_STARTED);

  if (due_at != NULL)
    *due_at = 0;

  /* Only the items for this incident's severity count: a phase whose items are all for other
   * severities has nothing to do (and is not shown: sitrep_incident_phase_applies). */
  for (guint i = 0; i < phase->items->len && all_done; i++)
    {
      const SitrepChecklistItem *item = phase->items->pdata[i];

      if (!sitrep_checklist_item_applies (item, self->severity))
        continue;
      all_done = item_done (self, item->id);
    }
  if (all_done && phase->items->len > 0)
    return SITREP_CLOCK_DONE;

  origin = phase->from == SITREP_PHASE_FROM_RESOLVED ? self->resolved_at : self->declared_at;
  if (origin == 0)
    return SITREP_CLOCK_NOT_STARTED;
  if (due_at != NULL && phase->due >= 0)
    *due_at = origin + phase->due * G_USEC_PER_SEC;
  /* A phase without "starts" runs from its origin even when the clock is behind it. */
  if (phase->starts > 0 && now < origin + phase->starts * G_USEC_PER_SEC)
    return SITREP_CLOCK_NOT_STARTED;
  if (phase->due < 0)
    return SITREP_CLOCK_ONGOING;
  return now > origin + phase->due * G_USEC_PER_SEC ? SITREP_CLOCK_OVERDUE : SITREP_CLOCK_ON_TIME;
}

/* When the next status update is due: the severity's cadence after the last update sent (or
 * the declaration); 0 when the severity sets no cadence or the incident is resolved. */
gint64
sitrep_incident_next_update_due_at (SitrepIncident *self,
                                    SitrepRunbook  *runbook)
{
  const SitrepSeverity *severity;
  gint64 from;

  g_return_val_if_fail (SITREP_IS_INCIDENT (self), 0);

  severity = sitrep_runbook_find_severity (runbook, self->severity);
  if (severity == NULL || severity->update_every <= 0 || self->status == SITREP_STATUS_RESOLVED)
    return 0;
  from = MAX (self->last_update_at, self->declared_at);
  return from + severity->update_every * G_USEC_PER_SEC;
}

/**
 * sitrep_incident_escalation:
 *
 * The escalation path of the incident's severity, step by step, as it stands at @now: each
 * step that applies to the severity, when it falls due (its "after" counted from declaration),
 * and whether it is pending, due, answered, manual ("if needed") or stopped by resolution.
 *
 * Returns: (transfer full) (element-type SitrepEscalationStatus): the steps
 */
GArray *
sitrep_incident_escalation (SitrepIncident *self,
                            SitrepRunbook  *runbook,
                            gint64          now)
{
  GArray *steps = g_array_new (FALSE, TRUE, sizeof (SitrepEscalationStatus));
  const SitrepEscalationPath *path;

  g_return_val_if_fail (SITREP_IS_INCIDENT (self), steps);

  path = sitrep_runbook_find_escalation (runbook, self->severity);
  if (path == NULL)
    return steps;

  for (guint i = 0; i < path->steps->len; i++)
    {
      const SitrepEscalationStep *step = path->steps->pdata[i];
      SitrepEscalationAnswer *answer = g_hash_table_lookup (self->answers, GUINT_TO_POINTER (i));
      SitrepEscalationStatus status = { i, step, 0, SITREP_ESCALATION_PENDING, 0 };

      if (step->severities != NULL
          && !g_strv_contains ((const char *const *) step->severities, self->severity))
        continue;

      if (step->after < 0)
        {
          status.state = SITREP_ESCALATION_MANUAL;
        }
      else
        {
          status.due_at = self->declared_at + step->after * G_USEC_PER_SEC;
          if (answer != NULL && answer->answer != NULL)
            status.state = g_str_equal (answer->answer, "escalated") ? SITREP_ESCALATION_ESCALATED
                                                                      : SITREP_ESCALATION_NOT_NEEDED;
          else if (self->resolved_at != 0)
            status.state = SITREP_ESCALATION_STOPPED;
          else if (now >= status.due_at)
            status.state = SITREP_ESCALATION_DUE;
        }
      if (answer != NULL)
        status.answered_at = answer->answered_at;
      if (answer != NULL && answer->answer != NULL && step->after < 0)
        status.state = g_str_equal (answer->answer, "escalated") ? SITREP_ESCALATION_ESCALATED
                                                                  : SITREP_ESCALATION_NOT_NEEDED;
      g_array_append_val (steps, status);
    }
  return steps;
}

/* One line, trimmed, never empty, at most SUMMARY_MAX_CHARS characters; emoji welcome. */
char *
sitrep_incident_clean_summary (const char *summary,
                               GError    **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *valid = NULL;
  gboolean space = FALSE;
  glong chars;

  if (summary == NULL || !g_utf8_validate (summary, -1, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The summary is not valid text."));
      return NULL;
    }

  /* Line breaks and tabs become single spaces: a summary is a title, not a report. */
  for (const char *p = summary; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }

  if (out->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The summary is empty: say in a few words what is broken."));
      return NULL;
    }

  chars = g_utf8_strlen (out->str, -1);
  if (chars > SUMMARY_MAX_CHARS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The summary is %ld characters long; keep it under %d and put the "
                     "details in the impact or a note."),
                   chars, SUMMARY_MAX_CHARS);
      return NULL;
    }
  valid = g_string_free (g_steal_pointer (&out), FALSE);
  return g_steal_pointer (&valid);
}

/* The incident channel in the runbook's form, "#incident-2026-11-28-api-returns-503s". */
char *
sitrep_incident_make_channel (const char *format,
                              const char *summary,
                              gint64      declared_at)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (declared_at / G_USEC_PER_SEC);
  g_autofree char *date = g_date_time_format (when, "%Y-%m-%d");
  g_autofree char *ascii = g_str_to_ascii (summary ? summary : "", "C");
  g_autoptr(GString) slug = g_string_new (NULL);
  g_autoptr(GHashTable) values = NULL;

  for (const char *p = ascii; *p != '\0' && slug->len < SLUG_MAX_CHARS; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, g_ascii_tolower (*p));
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  if (slug->len == 0)
    g_string_append (slug, "incident");

  values = sitrep_template_values_new ();
  sitrep_template_values_take (values, "date", SITREP_TEMPLATE_VALUE_VERBATIM,
                               g_steal_pointer (&date));
  sitrep_template_values_take (values, "slug", SITREP_TEMPLATE_VALUE_VERBATIM,
                               g_string_free (g_steal_pointer (&slug), FALSE));
  return sitrep_template_expand (format, SITREP_TEMPLATE_PLAIN, SITREP_TEMPLATE_MISSING_KEEP,
                                 sitrep_template_values_lookup, values, NULL, NULL);
}

/**
 * sitrep_declaration_new:
 * @channel: (nullable): the channel's name, or %NULL for one made in the runbook's form
 * @at: when it is declared, in microseconds since the epoch
 *
 * Checks what a person typed to declare an incident: a severity the runbook defines, a
 * one-line summary that says something, services the runbook has. The channel name is made
 * from the summary in the runbook's form unless @channel is given.
 *
 * Returns: (transfer full): what to record, or %NULL with @error set
 */
SitrepDeclaration *
sitrep_declaration_new (SitrepRunbook      *runbook,
                        const char         *severity,
                        const char         *summary,
                        const char         *impact,
                        const char         *lead,
                        const char         *channel,
                        const char *const  *services,
                        gint64              at,
                        GError            **error)
{
  g_autoptr(SitrepDeclaration) declaration = NULL;
  g_autofree char *clean = NULL;

  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), NULL);

  if (sitrep_runbook_find_severity (runbook, severity) == NULL)
    {
      GPtrArray *severities = sitrep_runbook_get_severities (runbook);
      g_autoptr(GString) known = g_string_new (NULL);

      for (guint i = 0; i < severities->len; i++)
        g_string_append_printf (known, "%s%s", i ? ", " : "",
                                ((SitrepSeverity *) severities->pdata[i])->id);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The runbook defines no severity \"%s\": pick one of %s."),
                   severity ? severity : "", known->str);
      return NULL;
    }

  clean = sitrep_incident_clean_summary (summary, error);
  if (clean == NULL)
    return NULL;

  for (guint i = 0; services != NULL && services[i] != NULL; i++)
    {
      if (sitrep_runbook_find_service (runbook, services[i]) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The runbook has no service \"%s\"."), services[i]);
          return NULL;
        }
    }

  declaration = g_new0 (SitrepDeclaration, 1);
  declaration->runbook = g_strdup (sitrep_runbook_get_name (runbook));
  declaration->runbook_checksum = g_strdup (sitrep_runbook_get_digest (runbook));
  declaration->runbook_source = g_strdup (sitrep_runbook_get_source (runbook));
  if (sitrep_runbook_get_content (runbook) != NULL)
    declaration->runbook_content = g_bytes_ref (sitrep_runbook_get_content (runbook));
  declaration->severity = g_strdup (severity);
  declaration->impact = g_strdup (impact);
  declaration->lead = g_strdup (lead);
  if (channel != NULL && *channel != '\0')
    declaration->channel = g_strdup (channel);
  else
    declaration->channel = sitrep_incident_make_channel (sitrep_runbook_get_channel_format (runbook),
                                                         clean, at);
  declaration->summary = g_steal_pointer (&clean);
  declaration->services = g_strdupv ((char **) services);
  declaration->at = at;
  declaration->drill = sitrep_runbook_get_environment (runbook)->drill;
  /* A runbook's own statuses start at its first. */
  if (sitrep_runbook_get_statuses (runbook) != NULL)
    declaration->status_id =
      g_strdup (((SitrepStatusSpec *) sitrep_runbook_get_statuses (runbook)->pdata[0])->id);
  return g_steal_pointer (&declaration);
}

void
sitrep_declaration_free (SitrepDeclaration *declaration)
{
  if (declaration == NULL)
    return;
  g_free (declaration->runbook);
  g_free (declaration->runbook_checksum);
  g_free (declaration->runbook_source);
  g_clear_pointer (&declaration->runbook_content, g_bytes_unref);
  g_free (declaration->severity);
  g_free (declaration->status_id);
  g_free (declaration->summary);
  g_free (declaration->impact);
  g_free (declaration->lead);
  g_free (declaration->channel);
  g_strfreev (declaration->services);
  g_free (declaration);
}

static void
set_string (JsonObject *object,
            const char *name,
            const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
}

/* What the journal keeps of a declaration (the runbook's document too, which the server keeps
 * with the incident). */
JsonObject *
sitrep_declaration_to_json (const SitrepDeclaration *d)
{
  JsonObject *object = json_object_new ();
  JsonArray *services = json_array_new ();

  set_string (object, "runbook", d->runbook);
  set_string (object, "runbook_checksum", d->runbook_checksum);
  set_string (object, "runbook_source", d->runbook_source);
  if (d->runbook_content != NULL)
    {
      gsize size = 0;
      gconstpointer data = g_bytes_get_data (d->runbook_content, &size);
      g_autofree char *encoded = g_base64_encode (data, size);

      json_object_set_string_member (object, "runbook_content", encoded);
    }
  set_string (object, "severity", d->severity);
  set_string (object, "summary", d->summary);
  set_string (object, "impact", d->impact);
  set_string (object, "lead", d->lead);
  set_string (object, "channel", d->channel);
  for (guint i = 0; d->services != NULL && d->services[i] != NULL; i++)
    json_array_add_string_element (services, d->services[i]);
  json_object_set_array_member (object, "services", services);
  json_object_set_int_member (object, "at", d->at);
  json_object_set_boolean_member (object, "drill", d->drill);
  set_string (object, "status_id", d->status_id);
  return object;
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  return g_strdup (sitrep_json_string (object, name));
}

SitrepDeclaration *
sitrep_declaration_from_json (JsonObject *object,
                              GError    **error)
{
  g_autoptr(SitrepDeclaration) d = g_new0 (SitrepDeclaration, 1);
  g_autofree char *content = NULL;

  d->severity = dup_member (object, "severity");
  d->summary = dup_member (object, "summary");
  if (d->severity == NULL || d->summary == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "a kept declaration without its severity or summary");
      return NULL;
    }
  d->runbook = dup_member (object, "runbook");
  d->runbook_checksum = dup_member (object, "runbook_checksum");
  d->runbook_source = dup_member (object, "runbook_source");
  content = dup_member (object, "runbook_content");
  if (content != NULL && d->runbook_checksum != NULL)
    {
      gsize size = 0;
      guchar *data = g_base64_decode (content, &size);

      d->runbook_content = g_bytes_new_take (data, size);
    }
  d->impact = dup_member (object, "impact");
  d->lead = dup_member (object, "lead");
  d->channel = dup_member (object, "channel");
  /* What is not a service's id (an edited journal) is left out. */
  d->services = sitrep_json_strv (object, "services");
  d->at = sitrep_json_int (object, "at");
  d->drill = sitrep_json_boolean (object, "drill", FALSE);
  d->status_id = dup_member (object, "status_id");
  return g_steal_pointer (&d);
}
