/* sitrep-action-history.c: what commands say for the dialog: revisions, choices, replicas
 *
 * Parsers take a command's text and return values; the async helpers run the command through
 * SitrepActionRun, so the same bounds (timeout, output caps, no shell, redaction) hold for them
 * too. A choices_from command's output is read as what it lists: kubectl's rollout history
 * table, or one choice per line.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sitrep-action-history.h"
#include "sitrep-argv.h"

#define HELPER_TIMEOUT_MS (30 * 1000)
#define HELPER_MAX_OUTPUT (4 * 1024 * 1024)
#define MAX_REVISIONS 20
#define MAX_CHOICES 200

/* Parsers. */

void
sitrep_revision_free (SitrepRevision *revision)
{
  if (revision == NULL)
    return;
  g_free (revision->change_cause);
  g_free (revision->image);
  g_free (revision);
}

/**
 * sitrep_action_parse_history:
 * @text: what `kubectl rollout history TARGET` printed
 *
 * Returns: (transfer container) (element-type SitrepRevision): the revisions, oldest first.
 */
GPtrArray *
sitrep_action_parse_history (const char *text,
                             GError    **error)
{
  g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_revision_free);
  g_auto(GStrv) lines = NULL;
  gboolean header = FALSE;
  gsize cause_column = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (strstr (text, "No rollout history found") != NULL)
    return g_steal_pointer (&revisions);

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strchomp (lines[i]);
      SitrepRevision *revision;
      const char *cause;
      char *end;
      gint64 number;

      if (!header)
        {
          const char *column;

          if (g_str_has_prefix (line, "REVISION") && (column = strstr (line, "CHANGE-CAUSE")) != NULL)
            {
              header = TRUE;
              cause_column = column - line;
            }
          continue;
        }
      if (*line == '\0')
        continue;
      number = g_ascii_strtoll (line, &end, 10);
      if (end == line || number <= 0 || (*end != '\0' && !g_ascii_isspace (*end)))
        {
          g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_PARSE,
                       _("Line %u of the rollout history does not start with a revision number"),
                       i + 1);
          return NULL;
        }
      cause = strlen (line) > cause_column && g_ascii_isspace (line[cause_column - 1])
                ? line + cause_column : end;
      while (g_ascii_isspace (*cause))
        cause++;

      revision = g_new0 (SitrepRevision, 1);
      revision->revision = number;
      if (*cause != '\0' && !g_str_equal (cause, "<none>"))
        revision->change_cause = g_utf8_make_valid (cause, -1);
      g_ptr_array_add (revisions, revision);
    }
  if (!header)
    {
      g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_PARSE,
                   _("kubectl printed no REVISION and CHANGE-CAUSE table"));
      return NULL;
    }
  return g_steal_pointer (&revisions);
}

static JsonObject *
parse_object (const char *json,
              GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, json, -1, &local))
    {
      g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_PARSE,
                   _("kubectl’s answer is not JSON: %s"), local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_PARSE,
                   _("kubectl’s answer is not a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The images of one revision, from `kubectl rollout history TARGET --revision=N -o json`: kubectl
 * 1.32 prints the revision's ReplicaSet, older ones its pod template. */
char *
sitrep_action_parse_revision_image (const char *json,
                                    GError    **error)
{
  g_autoptr(JsonObject) root = parse_object (json, error);
  g_autoptr(GString) images = g_string_new (NULL);
  JsonObject *spec, *pod_spec;
  JsonNode *containers;

  if (root == NULL)
    return NULL;
  spec = member_object (root, "spec");
  pod_spec = member_object (member_object (spec, "template"), "spec");
  if (pod_spec == NULL)
    pod_spec = member_object (member_object (root, "template"), "spec");
  if (pod_spec == NULL)
    pod_spec = spec;
  containers = pod_spec ? json_object_get_member (pod_spec, "containers") : NULL;
  if (containers == NULL || !JSON_NODE_HOLDS_ARRAY (containers))
    {
      g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_PARSE,
                   _("The revision has no spec.template.spec.containers"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (containers)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (containers), i);
      JsonNode *image = JSON_NODE_HOLDS_OBJECT (node)
                          ? json_object_get_member (json_node_get_object (node), "image") : NULL;

      if (image == NULL || json_node_get_value_type (image) != G_TYPE_STRING)
        continue;
      if (images->len > 0)
        g_string_append (images, ", ");
      g_string_append (images, json_node_get_string (image));
    }
  if (images->len == 0)
    {
      g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_PARSE,
                   _("The revision’s containers name no image"));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&images), FALSE);
}

/**
 * sitrep_action_parse_choice_lines:
 * @text: what a choices_from command printed
 *
 * Returns: (transfer full): one choice per non-empty line, trimmed, each once, in order; at most
 *   MAX_CHOICES
 */
GStrv
sitrep_action_parse_choice_lines (const char *text)
{
  g_autoptr(GStrvBuilder) choices = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL && n < MAX_CHOICES; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line == '\0' || g_hash_table_contains (seen, line))
        continue;
      g_hash_table_add (seen, g_strdup (line));
      g_strv_builder_add (choices, line);
      n++;
    }
  return g_strv_builder_end (choices);
}

/* What @input's choices_from prints: the runbook's choices_format, or kubectl's rollout history
 * for `kubectl rollout history`, or else one choice per line. */
SitrepChoicesFormat
sitrep_action_input_get_choices_format (const SitrepActionInput *input)
{
  g_return_val_if_fail (input != NULL, SITREP_CHOICES_LINES);
  if (input->choices_format != SITREP_CHOICES_AUTO)
    return input->choices_format;
  for (guint i = 0; input->choices_from != NULL && input->choices_from[i] != NULL
                    && input->choices_from[i + 1] != NULL; i++)
    if (g_str_equal (input->choices_from[i], "rollout")
        && g_str_equal (input->choices_from[i + 1], "history"))
      return SITREP_CHOICES_ROLLOUT_HISTORY;
  return SITREP_CHOICES_LINES;
}

/* .spec.replicas from `kubectl get TARGET -o json`. */
gboolean
sitrep_action_parse_replicas (const char *json,
                              gint64     *replicas,
                              GError    **error)
{
  g_autoptr(JsonObject) root = parse_object (json, error);
  JsonObject *spec;
  JsonNode *node;

  if (root == NULL)
    return FALSE;
  spec = member_object (root, "spec");
  node = spec ? json_object_get_member (spec, "replicas") : NULL;
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 0)
    {
      g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_PARSE,
                   _("kubectl’s answer has no spec.replicas"));
      return FALSE;
    }
  *replicas = json_node_get_int (node);
  return TRUE;
}

/* Helpers: a command's stdout, for the revision picker and the scale dialog. */

static void
capture_line_cb (SitrepActionRun *run,
                 gboolean         is_stderr,
                 const char      *line,
                 GString         *out)
{
  if (is_stderr || out->len > HELPER_MAX_OUTPUT)
    return;
  g_string_append (out, line);
  g_string_append_c (out, '\n');
}

static void
capture_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SitrepActionRun *run = SITREP_ACTION_RUN (source);
  GString *out = g_task_get_task_data (task);
  GError *error = NULL;

  if (!sitrep_action_run_execute_finish (run, result, &error))
    g_task_return_error (task, error);
  else if (sitrep_action_run_get_outcome (run) != SITREP_OUTCOME_SUCCEEDED)
    {
      g_autofree char *summary = sitrep_action_run_get_summary (run);

      g_task_return_new_error (task, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_CANNOT_RUN,
                               "%s", summary);
    }
  else
    g_task_return_pointer (task, g_strndup (out->str, out->len), g_free);
  g_signal_handlers_disconnect_by_func (run, capture_line_cb, out);
}

/* g_string_free() takes two arguments: cast to a GDestroyNotify, it would keep the text or not
 * depending on whatever the second register held. */
static void
string_free (gpointer string)
{
  g_string_free (string, TRUE);
}

static void
capture_async (const char *const  *argv,
               GCancellable       *cancellable,
               GAsyncReadyCallback callback,
               gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(SitrepActionRun) run = sitrep_action_run_new (argv);
  GString *out = g_string_new (NULL);

  g_task_set_source_tag (task, capture_async);
  g_task_set_task_data (task, out, string_free);
  sitrep_action_run_set_timeout (run, HELPER_TIMEOUT_MS);
  g_signal_connect (run, "line", G_CALLBACK (capture_line_cb), out);
  sitrep_action_run_execute_async (run, cancellable, capture_done_cb, task);
}

static char *
capture_finish (GAsyncResult *result,
                GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Fills in @template_'s placeholders and runs it for @task, which it takes; or returns why it
 * could not be built. */
static void
capture_template_async (GTask               *task,
                        const char *const   *template_,
                        SitrepRunbook       *runbook,
                        const SitrepService *service,
                        const char          *kubectl,
                        GAsyncReadyCallback  callback)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = sitrep_argv_expand (template_, runbook, service, NULL, kubectl, &error);

  if (argv == NULL)
    {
      g_task_return_new_error (task, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_CANNOT_BUILD,
                               "%s", error->message);
      g_object_unref (task);
      return;
    }
  capture_async ((const char *const *) argv, g_task_get_cancellable (task), callback, task);
}

typedef struct
{
  SitrepRunbook *runbook;
  const SitrepService *service;
  const SitrepActionInput *input;
  char *kubectl;
  GPtrArray *revisions;
  guint next;
} Revisions;

static void
revisions_free (Revisions *data)
{
  g_clear_object (&data->runbook);
  g_free (data->kubectl);
  g_clear_pointer (&data->revisions, g_ptr_array_unref);
  g_free (data);
}

static void fetch_image (GTask *task);

static void
image_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Revisions *data = g_task_get_task_data (task);
  SitrepRevision *revision = data->revisions->pdata[data->next];
  g_autoptr(GError) error = NULL;
  g_autofree char *text = capture_finish (result, &error);

  if (g_task_return_error_if_cancelled (task))
    return;
  /* A revision without its image is still one to pick. */
  if (text != NULL)
    revision->image = sitrep_action_parse_revision_image (text, NULL);
  data->next++;
  fetch_image (g_steal_pointer (&task));
}

static void
fetch_image (GTask *task)
{
  Revisions *data = g_task_get_task_data (task);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) template_ = NULL;
  g_autofree char *flag = NULL;
  SitrepRevision *revision;

  if (data->next >= data->revisions->len)
    {
      g_task_return_pointer (task, g_steal_pointer (&data->revisions),
                             (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  revision = data->revisions->pdata[data->next];
  flag = g_strdup_printf ("--revision=%" G_GINT64_FORMAT, revision->revision);
  g_strv_builder_addv (builder, (const char **) data->input->choices_from);
  g_strv_builder_add_many (builder, flag, "-o", "json", NULL);
  template_ = g_strv_builder_end (builder);
  capture_template_async (task, (const char *const *) template_, data->runbook, data->service,
                          data->kubectl, image_cb);
}

static void
history_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Revisions *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *text = capture_finish (result, &error);

  if (text != NULL)
    data->revisions = sitrep_action_parse_history (text, &error);
  if (data->revisions == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The newest ones are the ones worth going back to; each costs a kubectl call. */
  if (data->revisions->len > MAX_REVISIONS)
    g_ptr_array_remove_range (data->revisions, 0, data->revisions->len - MAX_REVISIONS);
  fetch_image (g_steal_pointer (&task));
}

/**
 * sitrep_action_list_revisions_async:
 * @input: a choice input whose choices come from `kubectl rollout history` (choices_from)
 *
 * Lists the revisions, each with its change cause and images.
 */
void
sitrep_action_list_revisions_async (SitrepRunbook           *runbook,
                                    const SitrepService     *service,
                                    const SitrepActionInput *input,
                                    const char              *kubectl,
                                    GCancellable            *cancellable,
                                    GAsyncReadyCallback      callback,
                                    gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Revisions *data = g_new0 (Revisions, 1);

  g_return_if_fail (input != NULL && input->choices_from != NULL);
  g_task_set_source_tag (task, sitrep_action_list_revisions_async);
  g_task_set_task_data (task, data, (GDestroyNotify) revisions_free);
  data->runbook = g_object_ref (runbook);
  data->service = service;
  data->input = input;
  data->kubectl = g_strdup (kubectl);
  capture_template_async (g_steal_pointer (&task), (const char *const *) input->choices_from,
                          runbook, service, kubectl, history_cb);
}

/* Returns: (transfer container) (element-type SitrepRevision): oldest first. */
GPtrArray *
sitrep_action_list_revisions_finish (GAsyncResult *result,
                                     GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
choices_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autofree char *text = capture_finish (result, &error);

  if (text == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, sitrep_action_parse_choice_lines (text),
                           (GDestroyNotify) g_strfreev);
}

/**
 * sitrep_action_list_choices_async:
 * @input: a choice input whose choices come from a command that prints one per line
 *
 * Runs the input's choices_from and lists the non-empty lines of its output.
 */
void
sitrep_action_list_choices_async (SitrepRunbook           *runbook,
                                  const SitrepService     *service,
                                  const SitrepActionInput *input,
                                  const char              *kubectl,
                                  GCancellable            *cancellable,
                                  GAsyncReadyCallback      callback,
                                  gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (input != NULL && input->choices_from != NULL);
  g_task_set_source_tag (task, sitrep_action_list_choices_async);
  capture_template_async (g_steal_pointer (&task), (const char *const *) input->choices_from,
                          runbook, service, kubectl, choices_cb);
}

/* Returns: (transfer full): the choices, possibly none; NULL with @error set when the command
 *   failed. */
GStrv
sitrep_action_list_choices_finish (GAsyncResult *result,
                                   GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
replicas_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autofree char *text = capture_finish (result, &error);
  gint64 replicas;

  if (text == NULL || !sitrep_action_parse_replicas (text, &replicas, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, replicas);
}

/* The target's .spec.replicas, for the scale dialog and --current-replicas. */
void
sitrep_action_get_replicas_async (SitrepRunbook       *runbook,
                                  const SitrepService *service,
                                  const char          *kubectl,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  static const char *const template_[] = { "kubectl", "get", "{target}", "-o", "json", NULL };
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sitrep_action_get_replicas_async);
  capture_template_async (g_steal_pointer (&task), template_, runbook, service, kubectl,
                          replicas_cb);
}

/* -1 with @error set on failure. */
gint64
sitrep_action_get_replicas_finish (GAsyncResult *result,
                                   GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);
  return g_task_propagate_int (G_TASK (result), error);
}
