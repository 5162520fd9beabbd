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

#include "sitrep-drill-score.h"
#include "sitrep-incident-private.h"
#include "sitrep-markdown.h"
#include "sitrep-incident-status.h"
#include "sitrep-json.h"
#include "sitrep-postmortem.h"
#include "sitrep-store-incidents.h"
#include "sitrep-store-postmortem.h"
#include "sitrep-template.h"
#include "sitrep-timeline-event-render.h"

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
      g_autofree char *sentence = NULL;

      if (sitrep_timeline_event_get_deleted (event)
          || (starred_only && !sitrep_timeline_event_get_starred (event)))
        continue;
      sentence = sitrep_timeline_event_render (event, clock->utc ? SITREP_TIMELINE_RENDER_UTC : 0);
      append_event (out, clock, sitrep_timeline_event_get_at (event), sentence,
                    sitrep_timeline_event_get_annotation (event));
    }
  return TRUE;
}

typedef struct
{
  SitrepStore *store;
  gint64 incident_id;
} StoreTimeline;

typedef struct
{
  GString *out;
  SitrepMarkdownClock *clock;
  SitrepTimelineRenderFlags flags;
} StoreLines;

static void
append_row_cb (gint64      at,
               const char *kind,
               const char *fields,
               const char *text,
               const char *annotation,
               gpointer    user_data)
{
  StoreLines *lines = user_data;
  g_autofree char *sentence = sitrep_timeline_render_json (kind, fields, text, lines->flags);

  append_event (lines->out, lines->clock, at, sentence, annotation);
}

/* The export reads the columns it shows straight into the document: no object per event,
 * which is most of the time of an export of 100,000 events. Each event is put into words in
 * the language of the export. Same order and filter as sitrep_store_list_events(). */
static gboolean
timeline_from_store (GString             *out,
                     SitrepMarkdownClock *clock,
                     gboolean             starred_only,
                     gpointer             data,
                     GError             **error)
{
  StoreTimeline *source = data;
  StoreLines lines = { out, clock, clock->utc ? SITREP_TIMELINE_RENDER_UTC : 0 };

  return sitrep_store_foreach_event_row (source->store, source->incident_id, starred_only,
                                         append_row_cb, &lines, error);
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

/* The runbook's own sections (format 2) follow the template, in its order, each a heading and
 * what was written under it; an empty one shows as "[its_id]", like an empty placeholder, so
 * that Copy and Export name it. */
static void
append_sections (GString                      *out,
                 SitrepRunbook                *runbook,
                 const SitrepPostmortemFields *fields)
{
  GPtrArray *sections = sitrep_runbook_get_postmortem_sections (runbook);

  for (guint i = 0; sections != NULL && i < sections->len; i++)
    {
      const SitrepPostmortemSection *section = sections->pdata[i];
      const char *text = fields != NULL && fields->sections != NULL
                           ? g_hash_table_lookup (fields->sections, section->id)
                           : NULL;

      if (out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append_c (out, '\n');
      g_string_append (out, "\n## ");
      sitrep_markdown_append_line (out, section->title);
      g_string_append (out, "\n\n");
      if (sitrep_markdown_is_blank (text))
        {
          g_autofree char *name = g_strdelimit (g_strdup (section->id), "-", '_');

          g_string_append_printf (out, "[%s]\n", name);
        }
      else
        {
          g_autofree char *paragraph = sitrep_markdown_escape_paragraph (text);

          g_string_append (out, paragraph);
          g_string_append_c (out, '\n');
        }
    }
}

/* The status updates among a timeline's events: the messages whose template is not the
 * post-mortem, at the time they reached their readers (a message's event is recorded then). */
static GArray *
updates_from_events (SitrepRunbook *runbook,
                     GPtrArray     *events)
{
  GArray *updates = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      SitrepTimelineEvent *event = events->pdata[i];
      g_autoptr(JsonParser) parser = NULL;
      const SitrepTemplate *template_;
      const char *id;
      JsonNode *root;
      gint64 at;

      if (g_strcmp0 (sitrep_timeline_event_get_kind (event), SITREP_TIMELINE_KIND_MESSAGE) != 0)
        continue;
      parser = json_parser_new ();
      if (!json_parser_load_from_data (parser, sitrep_timeline_event_get_fields (event), -1, NULL)
          || !JSON_NODE_HOLDS_OBJECT ((root = json_parser_get_root (parser))))
        continue;
      id = sitrep_json_string (json_node_get_object (root), "template");
      template_ = sitrep_runbook_find_template (runbook, id != NULL ? id : "");
      if (template_ != NULL && template_->kind == SITREP_TEMPLATE_POSTMORTEM)
        continue;
      at = sitrep_timeline_event_get_at (event);
      g_array_append_val (updates, at);
    }
  return updates;
}

/* A drill's post-mortem ends with its score, once the drill's incident is resolved: the
 * document stays a function of the stored incident. */
static void
append_score (GString        *out,
              SitrepIncident *incident,
              SitrepRunbook  *runbook,
              GArray         *updates)
{
  g_autoptr(SitrepDrillScore) score = NULL;
  g_autofree char *section = NULL;

  if (!incident->drill || incident->resolved_at == 0)
    return;
  score = sitrep_drill_score_new_for_updates (incident, runbook, updates,
                                              sitrep_runbook_get_environment (runbook)
                                                ->drill_started_at,
                                              incident->resolved_at);
  section = sitrep_drill_score_to_markdown (score);
  while (out->len > 0 && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);
  g_string_append_printf (out, "\n\n%s", section);
}

/* What the template's {timeline} stands for while the rest of it is filled in. */
#define TIMELINE_MARK "\x01timeline\x01"

/* The runbook's template filled with @values and the @timeline: a long incident's timeline is
 * most of its document (5 MB for 100,000 events), so the document is built around it, in its
 * buffer, rather than copied into another: a copy of that size costs more than the rest of the
 * export's writing (the kernel maps each page of the new buffer as it is first written). That
 * takes a template that shows the timeline once, and a timeline that is not empty (an empty
 * one shows as "[timeline]"); any other is filled as every template is. */
static GString *
fill_template (const SitrepTemplate  *template_,
               GHashTable            *values,
               GString              **timeline,
               GError               **error)
{
  g_autoptr(SitrepTemplateText) text = sitrep_template_text_parse (template_->body);
  const SitrepTemplateSegment *segments;
  g_autofree char *document = NULL;
  const char *mark = NULL;
  guint n_segments, uses = 0;

  segments = sitrep_template_text_get_segments (text, &n_segments);
  for (guint i = 0; i < n_segments; i++)
    if (segments[i].kind == SITREP_TEMPLATE_SEGMENT_PLACEHOLDER
        && g_str_equal (segments[i].text, "timeline"))
      uses++;

  if (uses == 1 && (*timeline)->len > 0)
    {
      put_markdown (values, "timeline", g_strdup (TIMELINE_MARK));
      document = sitrep_template_text_render (text, SITREP_TEMPLATE_MARKDOWN,
                                              SITREP_TEMPLATE_MISSING_SHOW,
                                              sitrep_template_values_lookup, values, NULL, error);
      if (document == NULL)
        return NULL;
      /* Once in the document, the mark is the timeline's: a runbook's own placeholder holding
       * the same bytes would make it twice. */
      mark = strstr (document, TIMELINE_MARK);
      if (mark != NULL && strstr (mark + 1, TIMELINE_MARK) == NULL)
        {
          g_string_prepend_len (*timeline, document, mark - document);
          g_string_append (*timeline, mark + strlen (TIMELINE_MARK));
          return g_steal_pointer (timeline);
        }
      g_clear_pointer (&document, g_free);
    }

  put_markdown (values, "timeline", g_string_free (g_steal_pointer (timeline), FALSE));
  document = sitrep_template_text_render (text, SITREP_TEMPLATE_MARKDOWN,
                                          SITREP_TEMPLATE_MISSING_SHOW,
                                          sitrep_template_values_lookup, values, NULL, error);
  return document != NULL ? g_string_new (document) : NULL;
}

static char *
render_with (SitrepIncident               *incident,
             SitrepRunbook                *runbook,
             TimelineFunc                  timeline_func,
             gpointer                      timeline_data,
             const SitrepPostmortemFields *fields,
             GPtrArray                    *action_items,
             GArray                       *updates,
             gboolean                      starred_only,
             gboolean                      utc,
             GError                      **error)
{
  g_autoptr(GString) timeline = NULL;
  GString *document;
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
  put_line (values, "status", sitrep_incident_get_status_id (incident));
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
  put_markdown (values, "action_items", render_action_items (action_items));
  put_markdown (values, "follow_up", render_action_items (action_items));
  /* The runbook's own placeholders ("placeholders"): its author's text, as written. */
  for (const char *const *name = sitrep_runbook_get_placeholder_names (runbook); *name; name++)
    sitrep_template_values_take (values, *name, SITREP_TEMPLATE_VALUE_VERBATIM,
                                 g_strdup (sitrep_runbook_get_placeholder (runbook, *name)));

  timeline = g_string_new (NULL);
  if (!timeline_func (timeline, &clock, starred_only, timeline_data, error))
    return NULL;
  document = fill_template (template_, values, &timeline, error);
  if (document == NULL)
    return NULL;
  append_sections (document, runbook, fields);
  append_score (document, incident, runbook, updates);
  return g_string_free (document, FALSE);
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
 * A resolved drill incident's document ends with the drill's score (sitrep-drill-score.c),
 * its status updates read from @events.
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
  g_autoptr(GArray) updates = NULL;

  g_return_val_if_fail (SITREP_IS_INCIDENT (incident), NULL);
  g_return_val_if_fail (SITREP_IS_RUNBOOK (runbook), NULL);

  updates = updates_from_events (runbook, events);
  return render_with (incident, runbook, timeline_from_array, events, fields, action_items,
                      updates, starred_only, utc, error);
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
  g_autoptr(GArray) updates = NULL;
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
  /* The same events the editor reads its updates from, whatever the filter: the document
   * scores as its preview does. */
  if (incident->drill && incident->resolved_at != 0)
    {
      const char *const kinds[] = { SITREP_TIMELINE_KIND_MESSAGE, NULL };
      g_autoptr(GPtrArray) events = sitrep_store_list_events (store, incident_id,
                                                              SITREP_TIMELINE_LIST_DEFAULT, kinds,
                                                              error);

      if (events == NULL)
        return NULL;
      updates = updates_from_events (runbook, events);
    }
  return render_with (incident, runbook, timeline_from_store, &source, fields, items, updates,
                      starred_only, utc, error);
}
