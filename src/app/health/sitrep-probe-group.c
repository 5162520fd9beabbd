/* sitrep-probe-group.c: one probe of a service: last result, conditions, body and history
 *
 * Built once per probe and updated in place on every result, so that focus, the screen
 * reader's place and a pointer over a row survive the results that arrive every few seconds.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-condition-row.h"
#include "sitrep-probe-group.h"
#include "sitrep-probe-kind.h"
#include "sitrep-sparkline.h"

#define BODY_EXCERPT 2048

struct _SitrepProbeGroup
{
  AdwPreferencesGroup parent_instance;

  const SitrepProbeSpec *spec;
  GPtrArray *condition_rows; /* SitrepConditionRow, in the runbook's order */

  GtkListBox *rows;
  AdwActionRow *state_row;
  GtkWidget *unencrypted_row;
  AdwExpanderRow *body_row;
  GtkLabel *body_label;
  GtkWidget *history_row;
  SitrepSparkline *sparkline;
};

G_DEFINE_FINAL_TYPE (SitrepProbeGroup, sitrep_probe_group, ADW_TYPE_PREFERENCES_GROUP)

static void
sitrep_probe_group_dispose (GObject *object)
{
  SitrepProbeGroup *self = SITREP_PROBE_GROUP (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SITREP_TYPE_PROBE_GROUP);
  g_clear_pointer (&self->condition_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sitrep_probe_group_parent_class)->dispose (object);
}

static void
sitrep_probe_group_class_init (SitrepProbeGroupClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sitrep_probe_group_dispose;

  g_type_ensure (SITREP_TYPE_SPARKLINE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/sitrep-probe-group.ui");
  gtk_widget_class_bind_template_child (widget_class, SitrepProbeGroup, rows);
  gtk_widget_class_bind_template_child (widget_class, SitrepProbeGroup, state_row);
  gtk_widget_class_bind_template_child (widget_class, SitrepProbeGroup, unencrypted_row);
  gtk_widget_class_bind_template_child (widget_class, SitrepProbeGroup, body_row);
  gtk_widget_class_bind_template_child (widget_class, SitrepProbeGroup, body_label);
  gtk_widget_class_bind_template_child (widget_class, SitrepProbeGroup, history_row);
  gtk_widget_class_bind_template_child (widget_class, SitrepProbeGroup, sparkline);
}

static void
sitrep_probe_group_init (SitrepProbeGroup *self)
{
  self->condition_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The probe's kind says what it checks. */
static char *
describe_target (const SitrepProbeSpec *spec)
{
  const SitrepProbeKind *kind = sitrep_probe_kind_get (spec->type_name);

  return kind != NULL && kind->describe != NULL ? kind->describe (spec) : NULL;
}

GtkWidget *
sitrep_probe_group_new (const SitrepProbeSpec *spec)
{
  g_autofree char *title = NULL;
  g_autofree char *target = NULL;
  SitrepProbeGroup *self;
  guint position = 2; /* after the state and the notice of a connection in clear text */

  g_return_val_if_fail (spec != NULL, NULL);

  title = g_strdup_printf (_("Probe %s (%s)"), spec->id, spec->type_name);
  target = describe_target (spec);
  self = g_object_new (SITREP_TYPE_PROBE_GROUP, "title", title, "description", target, NULL);
  self->spec = spec;
  for (guint i = 0; i < spec->conditions->len; i++)
    {
      const SitrepConditionSpec *condition = spec->conditions->pdata[i];
      GtkWidget *row;

      if (condition->parsed == NULL)
        continue;
      row = sitrep_condition_row_new (condition);
      gtk_list_box_insert (self->rows, row, position++);
      g_ptr_array_add (self->condition_rows, row);
    }
  return GTK_WIDGET (self);
}

static char *
describe_result (const SitrepProbeStatus *status)
{
  const SitrepProbeResult *last = status->last;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *when = NULL;

  if (status->last_at == 0)
    return g_strdup (_("No result yet"));
  at = g_date_time_new_from_unix_local (status->last_at / G_USEC_PER_SEC);
  when = g_date_time_format (at, "%H:%M:%S");

  if (last == NULL)
    {
      /* Translators: "at 14:02:31: the probe could not run: …" */
      return g_strdup_printf (_("at %s: could not run: %s"), when,
                              status->reason ? sitrep_reason_to_string (status->reason) : "");
    }
  g_string_append_printf (text, _("at %s"), when);
  if (last->status >= 0)
    g_string_append_printf (text, " · %s %d", _("status"), last->status);
  if (last->connected || last->status >= 0)
    g_string_append_printf (text, " · %.1f ms", last->response_time_ms);
  if (last->result != NULL && *last->result != '\0' && last->status < 0)
    g_string_append_printf (text, " · %s", last->result);
  if (last->error != NULL)
    g_string_append_printf (text, "\n%s", last->error);
  if (last->insecure_tls)
    g_string_append_printf (text, "\n%s", _("The certificate was not verified"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const SitrepConditionVerdict *
find_verdict (const SitrepProbeStatus   *status,
              const SitrepConditionSpec *spec)
{
  for (guint i = 0; i < status->verdicts->len; i++)
    {
      const SitrepConditionVerdict *verdict = status->verdicts->pdata[i];

      if (verdict->spec == spec)
        return verdict;
    }
  return NULL;
}

static void
update_body (SitrepProbeGroup        *self,
             const SitrepProbeResult *last)
{
  g_autofree char *excerpt = NULL;
  const char *data;
  gsize size = 0;

  if (last == NULL || last->body == NULL || g_bytes_get_size (last->body) == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->body_row), FALSE);
      return;
    }
  data = g_bytes_get_data (last->body, &size);
  excerpt = g_utf8_make_valid (data, MIN (size, BODY_EXCERPT));
  if (g_strcmp0 (gtk_label_get_text (self->body_label), excerpt) != 0)
    gtk_label_set_text (self->body_label, excerpt);
  adw_expander_row_set_subtitle (self->body_row,
                                 size > BODY_EXCERPT || last->body_truncated
                                   ? _("The first 2 KB") : "");
  gtk_widget_set_visible (GTK_WIDGET (self->body_row), TRUE);
}

/* Sets a row's texts only where they changed: a screen reader announces every change. */
static void
set_row (AdwActionRow *row,
         const char   *title,
         const char   *subtitle)
{
  if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) != 0)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (g_strcmp0 (adw_action_row_get_subtitle (row), subtitle) != 0)
    adw_action_row_set_subtitle (row, subtitle);
}

/* Everything that changes with a result: texts, icons, and which notices show. */
void
sitrep_probe_group_update (SitrepProbeGroup        *self,
                           const SitrepProbeStatus *status)
{
  SitrepHealthPoint points[SITREP_HEALTH_HISTORY];
  g_autofree char *state = NULL;
  g_autofree char *result = NULL;
  guint n = 0;

  g_return_if_fail (SITREP_IS_PROBE_GROUP (self));
  g_return_if_fail (status != NULL);

  result = describe_result (status);
  state = g_strdup_printf ("%s%s", sitrep_health_get_label (status->health),
                           status->flapping ? _(" · flapping") : "");
  set_row (self->state_row, state, result);
  gtk_widget_set_visible (self->unencrypted_row, status->last != NULL && status->last->unencrypted);

  for (guint i = 0; i < self->condition_rows->len; i++)
    {
      SitrepConditionRow *row = self->condition_rows->pdata[i];

      sitrep_condition_row_set_verdict (row,
                                        find_verdict (status, sitrep_condition_row_get_spec (row)));
    }

  update_body (self, status->last);

  for (guint i = 0; i < status->history_len; i++)
    points[n++] = status->history[(status->history_head + i) % SITREP_HEALTH_HISTORY];
  sitrep_sparkline_set_points (self->sparkline, points, n);
  gtk_widget_set_visible (self->history_row, n > 0);
}
