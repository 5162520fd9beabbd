/* sitrep-declare-dialog-rows.c: the declare wizard's severity and service rows, and what it
 * suggests in them from what the Health view sees */
#include "config.h"

#include <glib/gi18n.h>

#include "sitrep-affected-service-row.h"
#include "sitrep-declare-dialog-private.h"
#include "sitrep-severity-row.h"

static void
severity_toggled_cb (SitrepDeclareDialog *self,
                     GParamSpec          *pspec,
                     SitrepSeverityRow   *row)
{
  if (!sitrep_severity_row_get_active (row))
    return;
  g_free (self->severity);
  self->severity = g_strdup (sitrep_severity_row_get_severity_id (row));
  _sitrep_declare_dialog_update_state (self);
}

/* More severe first by what the runbook says of each level, not by where it is listed: the
 * shorter response target, then the shorter update cadence (none comes last). A runbook may
 * list its levels least severe first. */
static int
compare_severity (gconstpointer a,
                  gconstpointer b)
{
  const SitrepSeverity *x = *(const SitrepSeverity **) a;
  const SitrepSeverity *y = *(const SitrepSeverity **) b;
  gint64 x_every = x->update_every > 0 ? x->update_every : G_MAXINT64;
  gint64 y_every = y->update_every > 0 ? y->update_every : G_MAXINT64;

  if (x->response_target != y->response_target)
    return x->response_target < y->response_target ? -1 : 1;
  if (x_every != y_every)
    return x_every < y_every ? -1 : 1;
  return 0;
}

/* The index (in the runbook's list, as the rows are) of its @rank-th most severe level, 0 the
 * most severe; the least severe past the end. Levels alike keep the list's order: the sort is
 * stable. */
static guint
nth_most_severe (SitrepRunbook *runbook,
                 guint          rank)
{
  GPtrArray *severities = sitrep_runbook_get_severities (runbook);
  /* Not g_ptr_array_copy: the copy would free the runbook's levels with itself. */
  g_autoptr(GPtrArray) ranked = g_ptr_array_sized_new (severities->len);
  guint index = 0;

  for (guint i = 0; i < severities->len; i++)
    g_ptr_array_add (ranked, severities->pdata[i]);
  g_ptr_array_sort (ranked, compare_severity);
  g_ptr_array_find (severities, ranked->pdata[MIN (rank, ranked->len - 1)], &index);
  return index;
}

void
_sitrep_declare_dialog_add_severity_rows (SitrepDeclareDialog *self,
                                          SitrepRunbook       *runbook)
{
  GPtrArray *severities = sitrep_runbook_get_severities (runbook);

  for (guint i = 0; i < severities->len; i++)
    {
      GtkWidget *row = sitrep_severity_row_new (severities->pdata[i],
                                                i > 0 ? self->severity_rows->pdata[0] : NULL);

      g_signal_connect_object (row, "notify::active", G_CALLBACK (severity_toggled_cb), self,
                               G_CONNECT_SWAPPED);
      adw_preferences_group_add (self->severity_group, row);
      g_ptr_array_add (self->severity_rows, row);
    }
}

/* Suggests what the monitor sees down or degraded, except rows the person already changed. */
void
_sitrep_declare_dialog_refresh_services (SitrepDeclareDialog *self)
{
  for (guint i = 0; i < self->service_rows->len; i++)
    {
      SitrepAffectedServiceRow *row = self->service_rows->pdata[i];
      SitrepServiceState *state = NULL;

      if (self->monitor != NULL)
        state = sitrep_monitor_find_service (self->monitor,
                                             sitrep_affected_service_row_get_service_id (row));
      if (state != NULL)
        sitrep_affected_service_row_suggest (row, sitrep_service_state_get_health (state),
                                             sitrep_service_state_get_reason (state));
      else
        sitrep_affected_service_row_suggest (row, SITREP_HEALTH_UNKNOWN, NULL);
    }
}

/* The level to start from, from what the Health view sees: a service down picks the runbook's
 * most severe level (by its response target, wherever it is listed), only degraded ones the
 * next; nothing wrong picks nothing and the person chooses. The names go to the
 * group's description, and to the impact while the person has typed none, so that neither the
 * level nor "[impact]" in the initial message is a guess the person cannot see. */
void
_sitrep_declare_dialog_suggest_from_health (SitrepDeclareDialog *self,
                                            SitrepRunbook       *runbook)
{
  GPtrArray *services = sitrep_runbook_get_services (runbook);
  g_autoptr(GPtrArray) down = g_ptr_array_new ();
  g_autoptr(GPtrArray) degraded = g_ptr_array_new ();
  g_autoptr(GString) impact = g_string_new (NULL);
  g_autofree char *down_names = NULL;
  g_autofree char *degraded_names = NULL;
  g_autofree char *note = NULL;
  guint level;

  if (self->monitor == NULL || self->severity_rows->len == 0)
    return;
  for (guint i = 0; i < services->len; i++)
    {
      const SitrepService *service = services->pdata[i];
      SitrepServiceState *state = sitrep_monitor_find_service (self->monitor, service->id);
      SitrepHealth health = state ? sitrep_service_state_get_health (state) : SITREP_HEALTH_UNKNOWN;

      if (health == SITREP_HEALTH_DOWN)
        g_ptr_array_add (down, service->name ? service->name : service->id);
      else if (health == SITREP_HEALTH_DEGRADED)
        g_ptr_array_add (degraded, service->name ? service->name : service->id);
    }
  if (down->len == 0 && degraded->len == 0)
    return;

  g_ptr_array_add (down, NULL);
  g_ptr_array_add (degraded, NULL);
  down_names = g_strjoinv (", ", (char **) down->pdata);
  degraded_names = g_strjoinv (", ", (char **) degraded->pdata);
  if (down->len > 1)
    /* Translators: the impact suggested from the Health view; %s is "API, Workers" */
    g_string_append_printf (impact, _("Down: %s"), down_names);
  if (degraded->len > 1)
    {
      if (impact->len > 0)
        g_string_append (impact, ". ");
      /* Translators: the impact suggested from the Health view; %s is "API, Workers" */
      g_string_append_printf (impact, _("Degraded: %s"), degraded_names);
    }

  level = nth_most_severe (runbook, down->len > 1 ? 0 : 1);
  sitrep_severity_row_set_active (self->severity_rows->pdata[level], TRUE);
  /* Translators: under "Severity"; %s is "Down: API. Degraded: Workers" */
  note = g_strdup_printf (_("Picked from the Health view (%s); change it if it is wrong"),
                          impact->str);
  adw_preferences_group_set_description (self->severity_group, note);

  if (*gtk_editable_get_text (GTK_EDITABLE (self->impact_row)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->impact_row), impact->str);
}

void
_sitrep_declare_dialog_add_service_rows (SitrepDeclareDialog *self,
                                         SitrepRunbook       *runbook)
{
  GPtrArray *services = sitrep_runbook_get_services (runbook);

  for (guint i = 0; i < services->len; i++)
    {
      GtkWidget *row = sitrep_affected_service_row_new (services->pdata[i]);

      adw_preferences_group_add (self->services_group, row);
      g_ptr_array_add (self->service_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->services_group), services->len > 0);
}
