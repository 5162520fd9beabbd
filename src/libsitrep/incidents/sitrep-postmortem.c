/* sitrep-postmortem.c: what only a person knows of an incident, and its Markdown post-mortem
 *
 * The document is a function of the stored incident alone: no current time, events in (time,
 * id) order, so the same incident exports to the same bytes every time. Everything a person
 * typed (notes, summaries, owners, even the incident's summary inside system events) goes
 * through the escapes of sitrep-markdown.c, so it reads as text and can never open a heading, a
 * quote, a list, a table, a code block or an HTML block that would swallow the rest of the
 * document.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-incident-private.h"
#include "sitrep-markdown.h"
#include "sitrep-postmortem.h"
#include "sitrep-store-private.h"
#include "sitrep-template.h"

G_DEFINE_QUARK (sitrep-postmortem-error-quark, sitrep_postmortem_error)

G_DEFINE_BOXED_TYPE (SitrepPostmortemFields, sitrep_postmortem_fields,
                     sitrep_postmortem_fields_copy, sitrep_postmortem_fields_free)
G_DEFINE_BOXED_TYPE (SitrepActionItem, sitrep_action_item,
                     sitrep_action_item_copy, sitrep_action_item_free)

SitrepPostmortemFields *
sitrep_postmortem_fields_new (void)
{
  SitrepPostmortemFields *fields = g_new0 (SitrepPostmortemFields, 1);

  fields->summary = g_strdup ("");
  fields->root_cause = g_strdup ("");
  fields->resolution = g_strdup ("");
  fields->lessons = g_strdup ("");
  return fields;
}

SitrepPostmortemFields *
sitrep_postmortem_fields_copy (const SitrepPostmortemFields *fields)
{
  SitrepPostmortemFields *copy = g_new0 (SitrepPostmortemFields, 1);

  copy->summary = g_strdup (fields->summary);
  copy->root_cause = g_strdup (fields->root_cause);
  copy->resolution = g_strdup (fields->resolution);
  copy->lessons = g_strdup (fields->lessons);
  return copy;
}

void
sitrep_postmortem_fields_free (SitrepPostmortemFields *fields)
{
  if (fields == NULL)
    return;
  g_free (fields->summary);
  g_free (fields->root_cause);
  g_free (fields->resolution);
  g_free (fields->lessons);
  g_free (fields);
}

SitrepActionItem *
sitrep_action_item_new (const char *text,
                        const char *owner,
                        const char *due,
                        gboolean    done)
{
  SitrepActionItem *item = g_new0 (SitrepActionItem, 1);

  item->text = g_strdup (text ? text : "");
  item->owner = g_strdup (owner ? owner : "");
  item->due = g_strdup (due ? due : "");
  item->done = done;
  return item;
}

SitrepActionItem *
sitrep_action_item_copy (const SitrepActionItem *item)
{
  SitrepActionItem *copy = sitrep_action_item_new (item->text, item->owner, item->due, item->done);

  copy->id = item->id;
  return copy;
}

void
sitrep_action_item_free (SitrepActionItem *item)
{
  if (item == NULL)
    return;
  g_free (item->text);
  g_free (item->owner);
  g_free (item->due);
  g_free (item);
}

/* The document's parts */

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  SitrepTimelineEvent *x = *(SitrepTimelineEvent **) a;
  SitrepTimelineEvent *y = *(SitrepTimelineEvent **) b;
  gint64 ax = sitrep_timeline_event_get_at (x), ay = sitrep_timeline_event_get_at (y);
  gint64 ix = sitrep_timeline_event_get_id (x), iy = sitrep_timeline_event_get_id (y);

  if (ax != ay)
    return ax < ay ? -1 : 1;
  return ix < iy ? -1 : ix > iy;
}

/* One "- HH:MM - text (annotation)" line of the timeline. */
static void
append_event (GString             *out,
              SitrepMarkdownClock *clock,
              gint64               at,
              const char          *text,
              const char          *annotation)
{
  if (out->len > 0)
    g_string_append_c (out, '\n');
  g_string_append (out, "- ");
  g_string_append (out, sitrep_markdown_clock_format (clock, at));
  g_string_append (out, " - ");
  sitrep_markdown_append_line (out, text);
  if (annotation != NULL && *annotation != '\0')
    {
      g_string_append (out, " (");
      sitrep_markdown_append_line (out, annotation);
      g_string_append_c (out, ')');
    }
}

/* Fills the timeline's lines into @out; the events come from an array or from the store. */
typedef gboolean (*TimelineFunc) (GString             *out,
                                  SitrepMarkdownClock *clock,
                                  gboolean             starred_only,
                                  gpointer             data,
                                  GError             **error);

static gboolean
timeline_from_array (GString             *out,
                     SitrepMarkdownClock *clock,
                     gboolean             starred_only,
                     gpointer             data,
                     GError             **error)
{
  GPtrArray *events = data;
  g_autoptr(GPtrArray) sorted = NULL;

  if (events == NULL)
    return TRUE;

  /* The store lists events in order; a caller's own array is sorted on a copy. */
  for (guint i = 1; i < events->len && sorted == NULL; i++)
    if (compare_events (&events->pdata[i - 1], &events->pdata[i]) > 0)
      {
        sorted = g_ptr_array_copy (events, NULL, NULL);
        g_ptr_array_sort (sorted, compare_events);
        events = sorted;
      }

  for (guint i = 0; i < events->len; i++)
    {
      SitrepTimelineEvent *event = events->pdata[i];

      if (sitrep_timeline_event_get_deleted (event)
          || (starred_only && !sitrep_timeline_event_get_starred (event)))
        continue;
      append_event (out, clock, sitrep_timeline_event_get_at (event),
                    sitrep_timeline_event_get_text (event),
                    sitrep_timeline_event_get_annotation (event));
    }
  return TRUE;
}

typedef struct
{
  SitrepStore *store;
  gint64 incident_id;
} StoreTimeline;

/* The export reads the three columns it shows straight into the document: no object per
 * event, which is most of the time of an export of 100,000 events. Same order and filter as
 * sitrep_store_list_events(). */
static gboolean
timeline_from_store (GString             *out,
                     SitrepMarkdownClock *clock,
                     gboolean             starred_only,
                     gpointer             data,
                     GError             **error)
{
  StoreTimeline *source = data;
  sqlite3_stmt *stmt;
  int rc;

  stmt = sitrep_store_prepare (source->store,
                               starred_only
                                 ? "SELECT at, text, annotation FROM timeline_events"
                                   " WHERE incident_id = ?1 AND deleted_at IS NULL AND starred = 1"
                                   " ORDER BY at, id"
                                 : "SELECT at, text, annotation FROM timeline_events"
                                   " WHERE incident_id = ?1 AND deleted_at IS NULL"
                                   " ORDER BY at, id",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, source->incident_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    append_event (out, clock, sqlite3_column_int64 (stmt, 0),
                  (const char *) sqlite3_column_text (stmt, 1),
                  (const char *) sqlite3_column_text (stmt, 2));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      sitrep_store_fail (source->store, rc, _("reading the timeline"), error);
      return FALSE;
    }
  return TRUE;
}

static char *
render_action_items (GPtrArray *items)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const SitrepActionItem *item = items->pdata[i];
      g_autofree char *owner = g_strstrip (g_strdup (item->owner ? item->owner : ""));

      if (sitrep_markdown_is_blank (item->text))
        continue;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, item->done ? "- [x] " : "- [ ] ");
      sitrep_markdown_append_line (out, item->text);
      /* The document is in the runbook's language, like the template around it. */
      g_string_append (out, " - Owner: ");
      if (*owner == '\0')
        g_string_append (out, "TBD");
      else
        {
          /* A handle gets its "@", a full name stays a name. */
          if (owner[0] != '@' && strpbrk (owner, " \t\n") == NULL)
            g_string_append_c (out, '@');
          sitrep_markdown_append_line (out, owner);
        }
      g_string_append (out, " - Due: ");
      if (sitrep_markdown_is_blank (item->due))
        g_string_append (out, "TBD");
      else
        sitrep_markdown_append_line (out, item->due);
    }
  return g_string_free (out, FALSE);
}

static char *
render_lessons (const char *lessons)
{
  g_auto(GStrv) lines = g_regex_split_simple ("\r\n|\n|\r", lessons ? lessons : "", 0, 0);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      while (g_ascii_isspace (*line))
        line++;
      /* A bullet the person typed already is the one this list gives it. */
      if ((*line == '-' || *line == '*' || *line == '+') && g_ascii_isspace (line[1]))
        line += 2;
      else if (g_str_has_prefix (line, "•"))
        line += strlen ("•");
      if (sitrep_markdown_is_blank (line))
        continue;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, "- ");
      sitrep_markdown_append_line (out, line);
    }
  return g_string_free (out, FALSE);
}

/* The title sits in an ATX heading, where a trailing run of '#' would be eaten as its close. */
static char *
render_title (const char *summary)
{
  GString *out = g_string_new (NULL);
  gsize end;

  sitrep_markdown_append_line (out, summary);
  end = out->len;
  while (end > 0 && out->str[end - 1] == '#')
    end--;
  if (end < out->len && (end == 0 || out->str[end - 1] != '\\'))
    g_string_insert_c (out, end, '\\');
  return g_string_free (out, FALSE);
}

static const SitrepTemplate *
find_postmortem_template (SitrepRunbook *runbook)
{
  GPtrArray *templates = sitrep_runbook_get_templates (runbook);

  for (guint i = 0; templates != NULL && i < templates->len; i++)
    {
      const SitrepTemplate *template_ = templates->pdata[i];

      if (template_->kind == SITREP_TEMPLATE_POSTMORTEM)
        return template_;
    }
  return NULL;
}

/* What a person typed (or a database holds): the template engine's Markdown rule escapes it, on
 * one line or as paragraphs. */
static void
put_line (GHashTable *values,
          const char *name,
          const char *text)
{
  sitrep_template_values_take (values, name, SITREP_TEMPLATE_VALUE_LINE, g_strdup (text));
}

static void
put_text (GHashTable *values,
          const char *name,
          const char *text)
{
  sitrep_template_values_take (values, name, SITREP_TEMPLATE_VALUE_TEXT, g_strdup (text));
}

/* Markdown composed here, a person's text in it escaped already: it goes in as it is. */
static void
put_markdown (GHashTable *values,
              const char *name,
              char       *markdown)
{
  sitrep_template_values_take (values, name, SITREP_TEMPLATE_VALUE_VERBATIM, markdown);
}

static char *
render_with (SitrepIncident               *incident,
             SitrepRunbook                *runbook,
             TimelineFunc                  timeline_func,
             gpointer                      timeline_data,
             const SitrepPostmortemFields *fields,
             GPtrArray                    *action_items,
             gboolean                      starred_only,
             gboolean                      utc,
             GError                      **error)
{
  g_autoptr(GString) timeline = NULL;
  const SitrepTemplate *template_;
  const SitrepSeverity *severity;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *date = NULL;
  const char *const *services;
  SitrepMarkdownClock clock;
  gint64 start, end;

  template_ = find_postmortem_template (runbook);
  if (template_ == NULL)
    {
      g_set_error (error, SITREP_POSTMORTEM_ERROR, SITREP_POSTMORTEM_ERROR_NO_TEMPLATE,
                   _("The runbook %s has no post-mortem template: add a template with "
                     "\"kind\": \"postmortem\" to its \"templates\"."),
                   sitrep_runbook_get_name (runbook));
      return NULL;
    }

  start = incident->started_at;
  end = incident->resolved_at;
  sitrep_markdown_clock_init (&clock, start, utc);
  values = sitrep_template_values_new ();

  put_markdown (values, "title", render_title (incident->summary));
  date = g_strdup_printf ("%04d-%02d-%02d", clock.year, clock.month, clock.day);
  put_line (values, "date", date);
  put_line (values, "start_time", sitrep_markdown_clock_format (&clock, start));
  if (end != 0)
    {
      gint64 minutes = MAX (0, end - start) / G_USEC_PER_SEC / 60;
      g_autofree char *duration = minutes >= 60
                                    ? g_strdup_printf ("%d h %d min", (int) (minutes / 60),
                                                       (int) (minutes % 60))
                                    : g_strdup_printf ("%d min", (int) minutes);

      put_line (values, "end_time", sitrep_markdown_clock_format (&clock, end));
      put_line (values, "duration", duration);
    }
  put_line (values, "severity", incident->severity);
  severity = sitrep_runbook_find_severity (runbook, incident->severity);
  if (severity != NULL)
    put_line (values, "severity_label", severity->label);
  put_line (values, "status", sitrep_incident_status_to_string (incident->status));
  put_text (values, "impact", incident->impact);
  if (!sitrep_markdown_is_blank (incident->lead))
    {
      g_autofree char *lead = sitrep_markdown_escape_line (incident->lead);

      /* A handle gets its "@", a full name stays a name. */
      put_markdown (values, "lead", lead[0] == '@' || strchr (lead, ' ') != NULL
                                      ? g_steal_pointer (&lead)
                                      : g_strdup_printf ("@%s", lead));
    }
  put_line (values, "channel", incident->channel);
  services = (const char *const *) incident->services;
  for (guint i = 0; services != NULL && services[i] != NULL; i++)
    {
      const SitrepService *service = sitrep_runbook_find_service (runbook, services[i]);

      g_ptr_array_add (names, service ? service->name : (gpointer) services[i]);
    }
  g_ptr_array_add (names, NULL);
  if (names->len > 1)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) names->pdata);

      put_line (values, "service", joined);
    }

  if (fields != NULL)
    {
      put_text (values, "summary", fields->summary);
      put_text (values, "root_cause", fields->root_cause);
      put_text (values, "resolution", fields->resolution);
      put_text (values, "fix", fields->resolution);
      put_markdown (values, "lessons", render_lessons (fields->lessons));
    }
  timeline = g_string_new (NULL);
  if (!timeline_func (timeline, &clock, starred_only, timeline_data, error))
    return NULL;
  put_markdown (values, "timeline", g_string_free (g_steal_pointer (&timeline), FALSE));
  put_markdown (values, "action_items", render_action_items (action_items));
  put_markdown (values, "follow_up", render_action_items (action_items));

  return sitrep_template_expand (template_->body, SITREP_TEMPLATE_MARKDOWN,
                                 SITREP_TEMPLATE_MISSING_SHOW, sitrep_template_values_lookup,
                                 values, NULL, error);
}

/**
 * sitrep_postmortem_render:
 * @events: (element-type SitrepTimelineEvent) (nullable): the incident's timeline; deleted
 *   notes in it are left out
 * @fields: (nullable): what only a person knows
 * @action_items: (element-type SitrepActionItem) (nullable): the follow-ups
 * @starred_only: the timeline shows only starred events rather than all
 * @utc: times in UTC rather than the local time zone
 *
 * Fills the runbook's post-mortem template (the first of kind "postmortem") as Markdown. What
 * is empty shows as the template's own [placeholder], for the reader to see what is missing.
 *
 * Returns: (transfer full): the document, or NULL with @error set
 */
char *
sitrep_postmortem_render (SitrepIncident               *incident,
                          SitrepRunbook                *runbook,
                          GPtrArray                    *events,
                          const SitrepPostmortemFields *fields,
                          GPtrArray                    *action_items,
                          gboolean                      starred_only,
                          gboolean                      utc,
                          GError                      **error)
{
  g_return_val_if_fail (SITREP_IS_INCIDENT (incident), NULL);
  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), NULL);

  return render_with (incident, runbook, timeline_from_array, events, fields, action_items,
                      starred_only, utc, error);
}

/* The store's side */

static char *
column_strdup (sqlite3_stmt *stmt,
               int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return g_strdup (text ? text : "");
}

/* Returns: (transfer full): the incident's post-mortem fields, or NULL with @error set */
SitrepPostmortemFields *
sitrep_store_load_postmortem (SitrepStore *store,
                              gint64       incident_id,
                              GError     **error)
{
  g_autoptr(SitrepPostmortemFields) fields = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SITREP_IS_STORE (store), NULL);

  stmt = sitrep_store_prepare (store,
                               "SELECT postmortem_summary, root_cause, resolution, lessons"
                               " FROM incidents WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, incident_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      fields = g_new0 (SitrepPostmortemFields, 1);
      fields->summary = column_strdup (stmt, 0);
      fields->root_cause = column_strdup (stmt, 1);
      fields->resolution = column_strdup (stmt, 2);
      fields->lessons = column_strdup (stmt, 3);
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, incident_id);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                   _("There is no incident %s in %s."), number, sitrep_store_get_path (store));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      sitrep_store_fail (store, rc, _("reading a post-mortem"), error);
      return NULL;
    }
  return g_steal_pointer (&fields);
}

/* Returns: (transfer full) (element-type SitrepActionItem): in their order, or NULL on error */
GPtrArray *
sitrep_store_load_action_items (SitrepStore *store,
                                gint64       incident_id,
                                GError     **error)
{
  g_autoptr(GPtrArray) items
    = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_action_item_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SITREP_IS_STORE (store), NULL);

  stmt = sitrep_store_prepare (store,
                               "SELECT id, text, owner, due, done FROM action_items"
                               " WHERE incident_id = ?1 ORDER BY position, id",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, incident_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SitrepActionItem *item = g_new0 (SitrepActionItem, 1);

      item->id = sqlite3_column_int64 (stmt, 0);
      item->text = column_strdup (stmt, 1);
      item->owner = column_strdup (stmt, 2);
      item->due = column_strdup (stmt, 3);
      item->done = sqlite3_column_int (stmt, 4) != 0;
      g_ptr_array_add (items, item);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      sitrep_store_fail (store, rc, _("reading action items"), error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

static gboolean
save_items (SitrepStore *store,
            gint64       incident_id,
            GPtrArray   *items,
            GError     **error)
{
  sqlite3_stmt *stmt = sitrep_store_prepare (store,
                                             "DELETE FROM action_items WHERE incident_id = ?1",
                                             error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, incident_id);
  if (!sitrep_store_step_done (store, stmt, _("saving action items"), error))
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      SitrepActionItem *item = items->pdata[i];

      /* An item keeps its id, so a window that shows it keeps pointing at the same row. */
      stmt = sitrep_store_prepare (store,
                                   "INSERT INTO action_items"
                                   " (id, incident_id, position, text, owner, due, done)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                   error);
      if (stmt == NULL)
        return FALSE;
      if (item->id > 0)
        sqlite3_bind_int64 (stmt, 1, item->id);
      else
        sqlite3_bind_null (stmt, 1);
      sqlite3_bind_int64 (stmt, 2, incident_id);
      sqlite3_bind_int (stmt, 3, i);
      sqlite3_bind_text (stmt, 4, item->text, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, item->owner ? item->owner : "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, item->due ? item->due : "", -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 7, item->done ? 1 : 0);
      if (!sitrep_store_step_done (store, stmt, _("saving action items"), error))
        return FALSE;
      item->id = sqlite3_last_insert_rowid (store->db);
    }
  return TRUE;
}

static gboolean
check_items (GPtrArray *items,
             GError   **error)
{
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const SitrepActionItem *item = items->pdata[i];

      if (sitrep_markdown_is_blank (item->text))
        {
          g_set_error (error, SITREP_POSTMORTEM_ERROR, SITREP_POSTMORTEM_ERROR_INVALID,
                       _("Action item %u has no text: say what is to be done, or remove it."),
                       i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * sitrep_store_save_postmortem:
 * @fields: (nullable): the fields to keep, or NULL to leave them as they are
 * @action_items: (element-type SitrepActionItem) (nullable): the whole list of action items in
 *   its order, or NULL to leave them as they are; new items get their id
 *
 * Saves the post-mortem in one transaction: all of it or nothing.
 */
gboolean
sitrep_store_save_postmortem (SitrepStore                  *store,
                              gint64                        incident_id,
                              const SitrepPostmortemFields *fields,
                              GPtrArray                    *action_items,
                              GError                      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SITREP_IS_STORE (store), FALSE);

  if (!check_items (action_items, error))
    return FALSE;
  if (!sitrep_store_exec (store, "BEGIN IMMEDIATE", _("starting a change"), error))
    return FALSE;
  stmt = sitrep_store_prepare (store,
                               fields != NULL
                                 ? "UPDATE incidents SET postmortem_summary = ?2, root_cause = ?3,"
                                   " resolution = ?4, lessons = ?5 WHERE id = ?1"
                                 : "UPDATE incidents SET id = id WHERE id = ?1",
                               error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, incident_id);
  if (fields != NULL)
    {
      sqlite3_bind_text (stmt, 2, fields->summary ? fields->summary : "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, fields->root_cause ? fields->root_cause : "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, fields->resolution ? fields->resolution : "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, fields->lessons ? fields->lessons : "", -1, SQLITE_STATIC);
    }
  if (!sitrep_store_step_done (store, stmt, _("saving a post-mortem"), error))
    goto fail;
  if (sqlite3_changes (store->db) == 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, incident_id);

      g_set_error (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND,
                   _("There is no incident %s in %s."), number, sitrep_store_get_path (store));
      goto fail;
    }
  if (action_items != NULL && !save_items (store, incident_id, action_items, error))
    goto fail;
  if (!sitrep_store_exec (store, "COMMIT", _("saving a post-mortem"), error))
    goto fail;
  return TRUE;

fail:
  sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/**
 * sitrep_postmortem_export:
 *
 * Loads the incident, its timeline, post-mortem fields and action items, and renders them.
 *
 * Returns: (transfer full): the Markdown document, or NULL with @error set
 */
char *
sitrep_postmortem_export (SitrepStore   *store,
                          SitrepRunbook *runbook,
                          gint64         incident_id,
                          gboolean       starred_only,
                          gboolean       utc,
                          GError       **error)
{
  g_autoptr(SitrepIncident) incident = NULL;
  g_autoptr(SitrepPostmortemFields) fields = NULL;
  g_autoptr(GPtrArray) items = NULL;
  StoreTimeline source = { store, incident_id };

  g_return_val_if_fail (SITREP_IS_STORE (store), NULL);
  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), NULL);

  incident = sitrep_store_load_incident (store, incident_id, error);
  if (incident == NULL)
    return NULL;
  fields = sitrep_store_load_postmortem (store, incident_id, error);
  if (fields == NULL)
    return NULL;
  items = sitrep_store_load_action_items (store, incident_id, error);
  if (items == NULL)
    return NULL;
  return render_with (incident, runbook, timeline_from_store, &source, fields, items, starred_only,
                      utc, error);
}
