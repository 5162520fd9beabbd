/* sitrep-timeline-event-render.c: a timeline event put into words in the reader's language
 *
 * Events are stored as data (a kind and its fields) and become a sentence only here, when they
 * are shown: a German reader of an incident an English commander ran reads German, counts take
 * the plural forms of the reader's language, and times their time zone. The sentences keep the
 * words the console recorded before it stored fields, so their translations still apply.
 * Rendering is per event shown (a visible row, a line of an export), never for a whole timeline
 * at load. Nothing here trusts the fields: a missing or mistyped member reads as empty.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-incident.h"
#include "sitrep-json.h"
#include "sitrep-reason.h"
#include "sitrep-service-state.h"
#include "sitrep-timeline-event-private.h"
#include "sitrep-timeline-event-render.h"

static guint render_count;

guint
sitrep_timeline_render_get_count (void)
{
  return g_atomic_int_get (&render_count);
}

/* An event's fields, read from their JSON text without a parser object: the export puts
 * 100,000 of them into words. Only a flat object of strings, numbers, booleans and nulls is read
 * here; anything else goes through json-glib. Names and strings point into @buffer. */
#define MAX_FIELDS 32

typedef struct
{
  const char *name;
  char type; /* 's'tring, 'i'nteger, 'd'ouble, 'b'oolean, 'n'ull, 'x' anything else */
  const char *s;
  gint64 i;
  double d;
} Field;

typedef struct
{
  Field items[MAX_FIELDS];
  guint n;
  char *buffer;
  char small[512];
} Fields;

static void
fields_clear (Fields *fields)
{
  if (fields->buffer != fields->small)
    g_free (fields->buffer);
  fields->buffer = NULL;
  fields->n = 0;
}

static const char *
skip_space (const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  return p;
}

/* A flat JSON object; FALSE for anything else, which json-glib reads instead. */
static gboolean
fields_parse (Fields     *fields,
              const char *json)
{
  gsize size = strlen (json) + 1;
  const char *p = skip_space (json);
  char *o;

  fields->n = 0;
  fields->buffer = size <= sizeof fields->small ? fields->small : g_malloc (size);
  o = fields->buffer;
  if (*p++ != '{')
    return FALSE;
  p = skip_space (p);
  if (*p == '}')
    return *skip_space (p + 1) == '\0';
  while (fields->n < MAX_FIELDS)
    {
      Field *field = &fields->items[fields->n++];

      field->name = o;
      p = sitrep_json_read_string (p, &o);
      if (p == NULL || *(p = skip_space (p)) != ':')
        return FALSE;
      p = skip_space (p + 1);
      if (*p == '"')
        {
          field->type = 's';
          field->s = o;
          p = sitrep_json_read_string (p, &o);
          if (p == NULL)
            return FALSE;
        }
      else if (g_str_has_prefix (p, "true") || g_str_has_prefix (p, "false"))
        {
          field->type = 'b';
          field->i = *p == 't';
          p += *p == 't' ? 4 : 5;
        }
      else if (g_str_has_prefix (p, "null"))
        {
          field->type = 'n';
          p += 4;
        }
      else if (*p == '-' || g_ascii_isdigit (*p))
        {
          const char *end = p + (*p == '-');
          char *after = NULL;

          while (g_ascii_isdigit (*end))
            end++;
          errno = 0;
          if (*end != '.' && *end != 'e' && *end != 'E')
            {
              field->type = 'i';
              field->i = g_ascii_strtoll (p, &after, 10);
            }
          if (*end == '.' || *end == 'e' || *end == 'E' || errno == ERANGE)
            {
              field->type = 'd';
              errno = 0;
              field->d = g_ascii_strtod (p, &after);
              if (errno == ERANGE || !isfinite (field->d))
                return FALSE;
            }
          if (after == NULL || after == p)
            return FALSE;
          p = after;
        }
      else
        return FALSE;
      p = skip_space (p);
      if (*p == '}')
        return *skip_space (p + 1) == '\0';
      if (*p++ != ',')
        return FALSE;
      p = skip_space (p);
    }
  return FALSE;
}

/* A JsonObject's members, for the callers that hold one: its strings stay its own. */
static void
fields_from_object (Fields     *fields,
                    JsonObject *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  fields->n = 0;
  fields->buffer = NULL;
  json_object_iter_init (&iter, object);
  while (fields->n < MAX_FIELDS && json_object_iter_next (&iter, &name, &node))
    {
      Field *field = &fields->items[fields->n++];
      GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                : G_TYPE_INVALID;

      field->name = name;
      field->type = 'x';
      if (JSON_NODE_HOLDS_NULL (node))
        field->type = 'n';
      else if (type == G_TYPE_STRING)
        field->type = 's', field->s = json_node_get_string (node);
      else if (type == G_TYPE_INT64)
        field->type = 'i', field->i = json_node_get_int (node);
      else if (type == G_TYPE_DOUBLE)
        field->type = 'd', field->d = json_node_get_double (node);
      else if (type == G_TYPE_BOOLEAN)
        field->type = 'b', field->i = json_node_get_boolean (node);
    }
}

static const Field *
get_field (const Fields *fields,
           const char   *name)
{
  for (guint i = 0; i < fields->n; i++)
    if (strcmp (fields->items[i].name, name) == 0)
      return &fields->items[i];
  return NULL;
}

static const char *
get_string (const Fields *fields,
            const char   *name)
{
  const Field *field = get_field (fields, name);

  return field != NULL && field->type == 's' ? field->s : NULL;
}

/* "" rather than NULL, for a sentence. */
static const char *
get_text (const Fields *fields,
          const char   *name)
{
  const char *value = get_string (fields, name);

  return value ? value : "";
}

static gint64
get_int (const Fields *fields,
         const char   *name,
         gint64        otherwise)
{
  const Field *field = get_field (fields, name);

  if (field != NULL && field->type == 'i')
    return field->i;
  if (field != NULL && field->type == 'd')
    return (gint64) CLAMP (field->d, -9.0e18, 9.0e18);
  return otherwise;
}

static gboolean
get_bool (const Fields *fields,
          const char   *name)
{
  const Field *field = get_field (fields, name);

  return field != NULL && field->type == 'b' && field->i;
}

/* The name the event gives a thing: its label as recorded, else its id. */
static const char *
get_name (const Fields *fields,
          const char *label,
          const char *id)
{
  const char *value = get_string (fields, label);

  if (value == NULL || *value == '\0')
    value = get_string (fields, id);
  return value ? value : "";
}

static GDateTime *
date_time (gint64                    at,
           SitrepTimelineRenderFlags flags)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);

  if (utc == NULL)
    utc = g_date_time_new_from_unix_utc (0);
  if (flags & SITREP_TIMELINE_RENDER_UTC)
    return g_steal_pointer (&utc);
  return g_date_time_to_local (utc);
}

/* "03:05 CET", or "2025-11-27 23:40 CET" when @at is on another day than @other. */
static char *
format_moment (gint64                    at,
               gint64                    other,
               SitrepTimelineRenderFlags flags)
{
  g_autoptr(GDateTime) time = date_time (at, flags);
  g_autoptr(GDateTime) other_time = date_time (other, flags);
  gboolean same_day
    = g_date_time_get_year (time) == g_date_time_get_year (other_time)
      && g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (other_time);

  return g_date_time_format (time, same_day ? "%H:%M %Z" : "%Y-%m-%d %H:%M %Z");
}

/* " (@teamlead)" after a role, when the contact has a handle. */
static char *
render_escalation (const Fields *fields,
                   gboolean      due)
{
  const char *role = get_text (fields, "role");
  const char *handle = get_string (fields, "handle");
  gboolean with = handle != NULL && *handle != '\0';

  if (due)
    /* Translators: a timeline event: "Escalation due: Team lead (@teamlead)" */
    return g_strdup_printf (_("Escalation due: %s%s%s%s"), role, with ? " (" : "",
                            with ? handle : "", with ? ")" : "");
  if (g_strcmp0 (get_string (fields, "answer"), "escalated") == 0)
    /* Translators: timeline events: "Escalated to Team lead (@teamlead)" / "Escalation to … not
     * needed" */
    return g_strdup_printf (_("Escalated to %s%s%s%s"), role, with ? " (" : "",
                            with ? handle : "", with ? ")" : "");
  return g_strdup_printf (_("Escalation to %s not needed"), role);
}

static const char *
status_label (const char *id)
{
  SitrepIncidentStatus status;

  if (!sitrep_incident_status_from_string (id, &status))
    return id ? id : "";
  return sitrep_incident_status_get_label (status);
}

static const char *
health_label (const char *id)
{
  SitrepHealth health;

  if (!sitrep_health_from_string (id, &health))
    return id ? id : "";
  return sitrep_health_get_label (health);
}

/**
 * sitrep_timeline_message_title:
 *
 * "initial-notification" → "Initial notification": a message's title when the runbook gave
 * none.
 *
 * Returns: (transfer full): the title
 */
char *
sitrep_timeline_message_title (const char *template_id)
{
  g_autofree char *spaced = g_strdelimit (g_strdup (template_id ? template_id : ""), "-_", ' ');
  g_autofree char *first = NULL;

  if (*spaced == '\0' || !g_utf8_validate (spaced, -1, NULL))
    return g_strdup (_("Message"));
  first = g_utf8_strup (spaced, g_utf8_next_char (spaced) - spaced);
  return g_strconcat (first, g_utf8_next_char (spaced), NULL);
}

static char *
render_message (const Fields *fields)
{
  const char *title = get_string (fields, "title");
  const char *line = get_text (fields, "line");
  g_autofree char *heading = title != NULL && *title != '\0'
                               ? g_strdup (title)
                               : sitrep_timeline_message_title (get_string (fields, "template"));

  if (g_strcmp0 (get_string (fields, "via"), "webhook") == 0)
    /* Translators: a timeline event once the chat webhook took the message:
     * "Message posted to chat: Initial notification — 🔴 We're investigating…" */
    return *line != '\0' ? g_strdup_printf (_("Message posted to chat: %s — %s"), heading, line)
                         : g_strdup_printf (_("Message posted to chat: %s"), heading);
  /* Translators: a timeline event: "Message sent: Initial notification — 🔴 We're investigating…" */
  return *line != '\0' ? g_strdup_printf (_("Message sent: %s — %s"), heading, line)
                       : g_strdup_printf (_("Message sent: %s"), heading);
}

static char *
render_health (const Fields *fields)
{
  /* The reason as data, in the reader's language; as the recorder worded it otherwise. */
  g_autofree char *packed = sitrep_reason_render_packed (get_string (fields, "why"));
  const char *reason = packed != NULL ? packed : get_string (fields, "reason");
  gboolean with = reason != NULL && *reason != '\0';

  /* Translators: a timeline event: "API: Up → Down (status 503, expected 200)" */
  return g_strdup_printf (_("%s: %s → %s%s%s%s"), get_name (fields, "service_name", "service"),
                          health_label (get_string (fields, "old")),
                          health_label (get_string (fields, "new")), with ? " (" : "",
                          with ? reason : "", with ? ")" : "");
}

static char *
render_update_overdue (const Fields *fields)
{
  gint64 minutes = get_int (fields, "minutes", 0);

  if (minutes <= 0 || minutes > G_MAXINT)
    return g_strdup (_("Status update overdue"));
  /* Translators: a timeline event when the next stakeholder update fell due unsent: "Status
   * update overdue: none sent for 30 minutes" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Status update overdue: none sent for %d minute",
                                       "Status update overdue: none sent for %d minutes",
                                       (gulong) minutes),
                          (int) minutes);
}

static char *
render_outcome (const Fields *fields)
{
  const char *outcome = get_text (fields, "outcome");
  const char *rollout = get_text (fields, "rollout");
  const char *program = get_text (fields, "program");
  const char *why = get_text (fields, "reason");
  const char *audit_error = get_string (fields, "audit_error");
  double seconds = get_int (fields, "duration_ms", 0) / 1000.0;
  int exit_status = (int) CLAMP (get_int (fields, "exit_status", -1), G_MININT, G_MAXINT);
  int term_signal = (int) CLAMP (get_int (fields, "signal", 0), 0, G_MAXINT);
  g_autofree char *summary = NULL;

  if (g_str_equal (outcome, "succeeded"))
    summary = g_str_equal (rollout, "finished")
                ? g_strdup_printf (_("%s succeeded and the rollout finished, after %.1f s"),
                                   program, seconds)
                : g_strdup_printf (_("%s succeeded after %.1f s"), program, seconds);
  else if (g_str_equal (outcome, "no-change"))
    summary = g_strdup_printf (_("Nothing changed: %s reported “%s”"), program,
                               get_text (fields, "no_change"));
  else if (g_str_equal (outcome, "cancelled"))
    summary = g_strdup_printf (_("%s was cancelled after %.1f s"), program, seconds);
  else if (g_str_equal (outcome, "timed-out"))
    summary = g_str_equal (rollout, "timed-out")
                ? g_strdup_printf (_("The rollout did not finish in time: %s"), why)
                : g_strdup_printf (_("%s did not finish within %.1f s and was stopped"), program,
                                   get_int (fields, "timeout_ms", 0) / 1000.0);
  else if (g_str_equal (outcome, "failed"))
    {
      if (g_str_equal (rollout, "failed"))
        summary = g_strdup_printf (_("The change was made, but the rollout failed: %s"), why);
      else if (exit_status < 0 && term_signal == 0)
        summary = g_strdup (why);
      else if (exit_status < 0)
        summary = g_strdup_printf (_("%s was killed by signal %d"), program, term_signal);
      else
        summary = g_strdup_printf (_("%s failed with exit status %d: %s"), program, exit_status,
                                   why);
    }
  else
    summary = g_strdup_printf (_("%s is running"), program);

  if (audit_error == NULL)
    return g_steal_pointer (&summary);
  /* Translators: "kubectl succeeded after 2.0 s. The audit log could not record the outcome: …" */
  return g_strdup_printf (_("%s. The audit log could not record the outcome: %s"), summary,
                          audit_error);
}

/**
 * sitrep_timeline_render_outcome:
 * @object: an action run's outcome (see sitrep-timeline-event-render.h)
 *
 * What happened to a run, in one sentence for a person, and why when it went wrong; the output
 * window says it while the run ends, the timeline whenever it is read.
 *
 * Returns: (transfer full): the sentence
 */
char *
sitrep_timeline_render_outcome (JsonObject *object)
{
  Fields fields;

  g_return_val_if_fail (object != NULL, NULL);
  fields_from_object (&fields, object);
  return render_outcome (&fields);
}

static char *
render_action (const char                *kind,
               const Fields              *fields,
               SitrepTimelineRenderFlags  flags)
{
  const char *label = get_name (fields, "label", "action");
  const char *service = get_name (fields, "service_name", "service");

  if (g_str_equal (kind, SITREP_TIMELINE_KIND_ACTION_STARTED))
    /* Translators: "Started: Restart on API (kubectl --context … rollout restart …)" */
    return g_strdup_printf (_("Started: %s on %s (%s)"), label, service,
                            get_text (fields, "command"));
  if (g_str_equal (kind, SITREP_TIMELINE_KIND_ACTION_FINISHED))
    {
      g_autofree char *summary = render_outcome (fields);

      /* Translators: "Restart on API: deployment/carecircle-api restarted …" */
      return g_strdup_printf (_("%s on %s: %s"), label, service, summary);
    }
  {
    g_autoptr(GDateTime) started = date_time (get_int (fields, "started_at", 0), flags);
    g_autofree char *when = g_date_time_format (started, "%H:%M");

    /* Translators: "Restart on API never finished: Sitrep stopped while it ran (started 14:02);
     * check what it did" */
    return g_strdup_printf (_("%s on %s never finished: Sitrep stopped while it ran (started "
                              "%s); check what it did"),
                            label, service, when);
  }
}

static char *
render_fields (const char                *kind,
               const Fields              *fields,
               SitrepTimelineRenderFlags  flags)
{
  if (g_str_equal (kind, SITREP_TIMELINE_KIND_DECLARED))
    /* Translators: a timeline event: "Declared SEV-1: API returns 503s" */
    return g_strdup_printf (_("Declared %s: %s"), get_text (fields, "severity"),
                            get_text (fields, "summary"));
  if (g_str_equal (kind, SITREP_TIMELINE_KIND_SEVERITY))
    /* Translators: a timeline event: "Severity SEV-2 → SEV-1" */
    return g_strdup_printf (_("Severity %s → %s"), get_text (fields, "old"),
                            get_text (fields, "new"));
  if (g_str_equal (kind, SITREP_TIMELINE_KIND_STATUS))
    /* Translators: a timeline event: "Status: Investigating → Identified" */
    /* A runbook's own status is shown in its words, kept with the event. */
    return g_strdup_printf (_("Status: %s → %s"),
                            get_string (fields, "old_label") != NULL
                              ? get_string (fields, "old_label")
                              : status_label (get_string (fields, "old")),
                            get_string (fields, "new_label") != NULL
                              ? get_string (fields, "new_label")
                              : status_label (get_string (fields, "new")));
  if (g_str_equal (kind, SITREP_TIMELINE_KIND_START_MOVED))
    {
      gint64 from = get_int (fields, "from", 0), to = get_int (fields, "to", 0);
      g_autofree char *was = format_moment (from, to, flags);
      g_autofree char *now = format_moment (to, from, flags);

      /* Translators: a timeline event: "Impact start moved to 02:40 CET (was 03:05 CET)" */
      return g_strdup_printf (_("Impact start moved to %s (was %s)"), now, was);
    }
  if (g_str_equal (kind, SITREP_TIMELINE_KIND_CHECKLIST))
    {
      const char *text = get_name (fields, "text", "item");

      /* Translators: timeline events: "Done: Determine severity level" / "Not done: …" */
      return g_strdup_printf (get_bool (fields, "done") ? _("Done: %s") : _("Not done: %s"), text);
    }
  if (g_str_equal (kind, SITREP_TIMELINE_KIND_ESCALATION_DUE))
    return render_escalation (fields, TRUE);
  if (g_str_equal (kind, SITREP_TIMELINE_KIND_ESCALATION))
    return render_escalation (fields, FALSE);
  if (g_str_equal (kind, SITREP_TIMELINE_KIND_UPDATE))
    return g_strdup (_("Status update sent"));
  if (g_str_equal (kind, SITREP_TIMELINE_KIND_UPDATE_OVERDUE))
    return render_update_overdue (fields);
  if (g_str_equal (kind, SITREP_TIMELINE_KIND_MESSAGE))
    return render_message (fields);
  if (g_str_equal (kind, SITREP_TIMELINE_KIND_HEALTH))
    return render_health (fields);
  if (g_str_equal (kind, SITREP_TIMELINE_KIND_ACTION_STARTED)
      || g_str_equal (kind, SITREP_TIMELINE_KIND_ACTION_FINISHED)
      || g_str_equal (kind, SITREP_TIMELINE_KIND_ACTION_NEVER_FINISHED))
    return render_action (kind, fields, flags);
  if (g_str_equal (kind, SITREP_TIMELINE_KIND_JOURNAL_REPLAYED))
    {
      guint count = (guint) CLAMP (get_int (fields, "count", 0), 0, G_MAXUINT);

      /* Translators: a timeline event, when a console that lost its team database is back */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u change made while the team database was "
                                           "unreachable was written",
                                           "%u changes made while the team database was "
                                           "unreachable were written",
                                           count),
                              count);
    }
  return NULL;
}

/* What a tampered or unknown event shows: its kind and its data, rather than nothing. */
static char *
render_unreadable (const char *kind,
                   const char *fields)
{
  g_autofree char *valid = g_utf8_make_valid (fields ? fields : "", -1);

  /* Translators: an event the console cannot put into words (a damaged database): its kind and
   * its stored data, "checklist event: {…}" */
  return g_strdup_printf (_("%s event: %s"), kind ? kind : "?", valid);
}

/**
 * sitrep_timeline_render:
 * @fields: (nullable): the event's fields; NULL for a note or a legacy sentence
 * @text: (nullable): the note's words or the legacy sentence, shown as they are
 *
 * Puts an event into words in the current locale.
 *
 * Returns: (transfer full): the sentence
 */
char *
sitrep_timeline_render (const char                *kind,
                        JsonObject                *fields,
                        const char                *text,
                        SitrepTimelineRenderFlags  flags)
{
  Fields read;
  char *sentence;

  if (fields == NULL || kind == NULL)
    return g_strdup (text ? text : "");
  fields_from_object (&read, fields);
  sentence = render_fields (kind, &read, flags);
  if (sentence != NULL)
    return sentence;
  if (text != NULL && *text != '\0')
    return g_strdup (text);
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), fields);
    g_autofree char *data = json_to_string (node, FALSE);

    return render_unreadable (kind, data);
  }
}

/**
 * sitrep_timeline_render_json:
 * @fields: (nullable): the event's fields as stored: a JSON object
 *
 * sitrep_timeline_render() for fields as the store keeps them. A flat object (what the console
 * records) is read without building a JSON tree; anything else through json-glib.
 *
 * Returns: (transfer full): the sentence
 */
char *
sitrep_timeline_render_json (const char                *kind,
                             const char                *fields,
                             const char                *text,
                             SitrepTimelineRenderFlags  flags)
{
  Fields read;
  char *sentence = NULL;

  g_atomic_int_inc (&render_count);
  if (fields == NULL || kind == NULL)
    return g_strdup (text ? text : "");
  if (fields_parse (&read, fields))
    sentence = render_fields (kind, &read, flags);
  else
    {
      g_autoptr(JsonNode) node = json_from_string (fields, NULL);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          Fields nested;

          fields_from_object (&nested, json_node_get_object (node));
          sentence = render_fields (kind, &nested, flags);
        }
    }
  fields_clear (&read);
  if (sentence != NULL)
    return sentence;
  if (text != NULL && *text != '\0')
    return g_strdup (text);
  return render_unreadable (kind, fields);
}

/* Returns: (transfer full): who wrote @event: "Dana Scribe on dana-laptop", the author alone
 * or the machine alone when only one is recorded (events before schema version 10 have no
 * machine, the console's own events no author), or "" */
char *
sitrep_timeline_event_render_author (SitrepTimelineEvent *event)
{
  const char *author = sitrep_timeline_event_get_author (event);
  const char *host = sitrep_timeline_event_get_host (event);
  gboolean has_author = author != NULL && *author != '\0';
  gboolean has_host = host != NULL && *host != '\0';

  if (has_author && has_host)
    /* Translators: who wrote a timeline event: "Dana Scribe on dana-laptop", a person's name
     * and the machine's host name */
    return g_strdup_printf (_("%s on %s"), author, host);
  return g_strdup (has_author ? author : has_host ? host : "");
}

/* Returns: (transfer full): @event in words, in the current locale */
char *
sitrep_timeline_event_render (SitrepTimelineEvent       *event,
                              SitrepTimelineRenderFlags  flags)
{
  g_return_val_if_fail (SITREP_IS_TIMELINE_EVENT (event), NULL);

  return sitrep_timeline_render_json (sitrep_timeline_event_get_kind (event),
                                      sitrep_timeline_event_get_fields (event),
                                      sitrep_timeline_event_get_text (event), flags);
}
