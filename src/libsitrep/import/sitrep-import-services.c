/* sitrep-import-services.c: services from a runbook's per-service sections and their commands */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-import-private.h"

void
draft_service_free (DraftService *s)
{
  g_free (s->id);
  g_free (s->name);
  g_free (s->target);
  g_free (s->selector);
  g_ptr_array_unref (s->symptoms);
  g_ptr_array_unref (s->procedures);
  g_ptr_array_unref (s->links);
  g_ptr_array_unref (s->actions);
  g_ptr_array_unref (s->probes);
  g_free (s);
}

DraftService *
import_find_service (ImportDraft *draft,
                     const char  *id)
{
  for (guint i = 0; i < draft->services->len; i++)
    if (g_strcmp0 (((DraftService *) draft->services->pdata[i])->id, id) == 0)
      return draft->services->pdata[i];
  return NULL;
}

DraftService *
import_service_new (ImportDraft *draft,
                    const char  *id,
                    guint        line)
{
  DraftService *service = g_new0 (DraftService, 1);

  service->id = import_unique_id (draft->services, G_STRUCT_OFFSET (DraftService, id), id);
  service->line = line;
  service->symptoms = g_ptr_array_new_with_free_func (g_free);
  service->procedures = g_ptr_array_new_with_free_func (g_free);
  service->links = g_ptr_array_new_with_free_func (g_free);
  service->actions = g_ptr_array_new_with_free_func (g_free);
  service->probes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_ptr_array_add (draft->services, service);
  return service;
}

static void
add_unique (GPtrArray  *list,
            const char *value)
{
  if (!g_ptr_array_find_with_equal_func (list, value, g_str_equal, NULL))
    g_ptr_array_add (list, g_strdup (value));
}

/* "API Service Down" → "API", "Worker Failures" → "Worker", "High CPU/Memory" → "CPU/Memory". */
static char *
component_name (const char *title)
{
  static const char *const problem[] = {
    "service", "services", "down", "issues", "issue", "failures", "failure", "problems", "problem",
    "outage", "outages", "errors", "error", "slow", "high", "degraded", "procedures", "procedure",
    "rollback", "unavailable", "is", "not", "working", "incident", "incidents", NULL
  };
  g_auto(GStrv) words = g_strsplit (title, " ", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (words[i], -1);

      if (words[i][0] != '\0' && !g_strv_contains (problem, lower))
        g_string_append_printf (out, "%s%s", out->len ? " " : "", words[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_infrastructure (const char *name)
{
  static const char *const words[] = {
    "database", "db", "postgres", "postgresql", "mysql", "mongodb", "redis", "cache", "queue",
    "queues", "kafka", "rabbitmq", "elasticsearch", "storage", "dns", "cdn", "network", "disk",
    "memcached", "s3", "search", "email", "mail", "payments", "auth", NULL
  };

  return import_has_any_word (name, words);
}

static gboolean
is_shell_block (ImportBlock *block)
{
  static const char *const shells[] = { "bash", "sh", "shell", "console", "zsh", "shell-session",
                                        "terminal", NULL };
  g_auto(GStrv) lines = NULL;
  guint commands = 0;

  if (block->kind != IMPORT_BLOCK_CODE || block->literal == NULL)
    return FALSE;
  if (block->info != NULL && block->info[0] != '\0')
    {
      g_autofree char *word = g_strndup (block->info, strcspn (block->info, " \t{"));

      return g_strv_contains (shells, word);
    }
  /* A block without a language holds commands when every line is one or a comment. */
  lines = g_strsplit (block->literal, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autofree char *first = NULL;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      if (g_str_has_prefix (line, "$ "))
        line += 2;
      first = g_strndup (line, strcspn (line, " \t"));
      if (!import_is_command (first))
        return FALSE;
      commands++;
    }
  return commands > 0;
}

typedef struct
{
  char *text;
  char *comment;
  guint line;
} CommandLine;

static void
command_line_free (CommandLine *c)
{
  g_free (c->text);
  g_free (c->comment);
  g_free (c);
}

/* The commands of a block, continuations joined, each with the comment just above it; comment
 * lines that label no command come back as procedures. */
static GPtrArray *
block_commands (ImportBlock *block,
                GPtrArray   *procedures)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) command_line_free);
  g_auto(GStrv) lines = g_strsplit (block->literal, "\n", -1);
  g_autofree char *comment = NULL;
  g_autoptr(GString) joined = g_string_new (NULL);
  guint start = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (joined->len == 0 && line[0] == '#')
        {
          const char *text = g_strstrip (line + 1);

          if (g_str_has_prefix (text, "http://") || g_str_has_prefix (text, "https://"))
            continue;
          if (comment != NULL && procedures != NULL)
            g_ptr_array_add (procedures, g_strdup_printf ("%s.", comment));
          g_free (comment);
          comment = g_strdup (text);
          continue;
        }
      if (joined->len == 0 && line[0] == '\0')
        {
          if (comment != NULL && procedures != NULL)
            g_ptr_array_add (procedures, g_strdup_printf ("%s.", comment));
          g_clear_pointer (&comment, g_free);
          continue;
        }
      if (joined->len == 0)
        start = i;
      if (g_str_has_prefix (line, "$ ") && joined->len == 0)
        line += 2;
      if (g_str_has_suffix (line, "\\"))
        {
          g_string_append_len (joined, line, strlen (line) - 1);
          g_string_append_c (joined, ' ');
          continue;
        }
      g_string_append (joined, line);
      {
        CommandLine *c = g_new0 (CommandLine, 1);

        c->text = g_strdup (joined->str);
        c->comment = g_steal_pointer (&comment);
        c->line = block->line + 1 + start;
        g_ptr_array_add (out, c);
      }
      g_string_truncate (joined, 0);
    }
  if (comment != NULL && procedures != NULL)
    g_ptr_array_add (procedures, g_strdup_printf ("%s.", comment));
  return out;
}

/* An HTTP probe of @url for @service, if the loader takes it. */
static void
add_http_probe (ImportDraft  *draft,
                DraftService *service,
                const char   *url,
                guint         line)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) probe = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  /* Probe ids are unique within their service. */
  for (guint i = 0; i < service->probes->len; i++)
    g_ptr_array_add (ids, (gpointer) json_object_get_string_member (
                            json_node_get_object (service->probes->pdata[i]), "id"));
  id = import_unique_id (ids, IMPORT_ID_IS_ENTRY, "http");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "http");
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "conditions");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "check");
  json_builder_add_string_value (b, "[STATUS] == 200");
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  probe = json_builder_get_root (b);

  refused = import_check_service_part (draft, service, NULL, probe);
  if (refused != NULL)
    {
      import_note_at (draft, SITREP_IMPORT_NOTE_UNMAPPED, line, import_column (draft, line, url),
                      _("%s is not probed: %s. Write the address as a whole http:// or https:// "
                        "URL to have it probed"), url, refused);
      return;
    }
  g_ptr_array_add (service->probes, g_steal_pointer (&probe));
  import_note (draft, SITREP_IMPORT_NOTE_GUESS, line,
               _("%s is probed with an HTTP GET expecting 200; add the conditions its body "
                 "should meet"), url);
}

static void
map_command_line (ImportDraft  *draft,
                  CommandLine  *c,
                  DraftService *section_service,
                  const char   *redis_host)
{
  g_autofree char *why = NULL;
  g_autoptr(ImportCommand) command = import_command_parse (c->text, &why);
  const char *comment = c->comment;
  DraftService *target = NULL;
  DraftAction *action;
  const char *program;

  if (command == NULL)
    {
      import_note (draft, SITREP_IMPORT_NOTE_UNMAPPED, c->line, _("“%s” was not mapped: %s"),
                   c->text, why);
      return;
    }
  if (command->comment != NULL)
    comment = command->comment;
  program = command->argv->pdata[0];
  if (g_str_equal (program, "sudo") || g_str_equal (program, "cd") || g_str_equal (program, "export")
      || g_str_equal (program, "echo") || g_str_equal (program, "source"))
    {
      import_note (draft, SITREP_IMPORT_NOTE_UNMAPPED, c->line,
                   _("“%s” was not mapped: it needs a shell or root, and the console runs "
                     "programs as you, without a shell"), c->text);
      return;
    }
  if (g_str_equal (program, "kubectl"))
    {
      if (command->dropped != NULL)
        import_note (draft, SITREP_IMPORT_NOTE_GUESS, c->line,
                     _("dropped “%s”: the console runs one program, without a shell"),
                     command->dropped);
      action = import_map_kubectl (draft, command, c->text, c->line, comment, section_service,
                                   &target);
    }
  else
    action = import_map_other (draft, command, c->text, c->line, comment, redis_host,
                               section_service);
  if (action == NULL)
    return;
  if (section_service != NULL)
    add_unique (section_service->actions, action->id);
  else if (target != NULL)
    add_unique (target->actions, action->id);
  /* An http GET of the service's address is a health check. */
  if (section_service != NULL && g_str_equal (program, "curl") && !action->mutates)
    for (guint i = 1; i < command->argv->len; i++)
      {
        const char *w = command->argv->pdata[i];

        if ((g_str_has_prefix (w, "http://") || g_str_has_prefix (w, "https://"))
            && strchr (w, '{') == NULL && strchr (w, '<') == NULL
            && section_service->probes->len < 4)
          {
            add_http_probe (draft, section_service, w, c->line);
            break;
          }
      }
}

/* The service as the loader would take it: what it refuses of the probes and of the actions
 * the service lists (one that uses {target} or {selector} needs a service that has one) is
 * left out, with the loader's reason. One check when all is well; part by part when not. */
static void
check_service (ImportDraft  *draft,
               DraftService *service)
{
  g_autofree char *whole = import_check_service (draft, service);

  if (whole == NULL)
    return;
  for (guint k = 0; k < service->probes->len; k++)
    {
      JsonObject *probe = json_node_get_object (service->probes->pdata[k]);
      g_autofree char *refused = import_check_service_part (draft, service, NULL,
                                                            service->probes->pdata[k]);

      if (refused == NULL)
        continue;
      import_note_at (draft, SITREP_IMPORT_NOTE_UNMAPPED, service->line,
                      import_column (draft, service->line, NULL),
                      _("probe “%s” of %s was not mapped: %s. Add the probe by hand to the "
                        "runbook written"),
                      json_object_get_string_member (probe, "id"), service->name, refused);
      g_ptr_array_remove_index (service->probes, k--);
    }
  for (guint k = 0; k < service->actions->len; k++)
    {
      DraftAction *action = import_find_action (draft, service->actions->pdata[k]);
      g_autofree char *refused = action != NULL ? import_check_service_part (draft, service, action, NULL)
                                                : g_strdup (_("the action was not mapped"));
      guint line = action != NULL ? action->line : service->line;

      if (refused == NULL)
        continue;
      import_note_at (draft, SITREP_IMPORT_NOTE_UNMAPPED, line, import_column (draft, line, NULL),
                      _("action “%s” is not offered for %s: %s. Name the deployment the command "
                        "is aimed at (deployment/NAME or -l app=NAME) in the document, or add "
                        "it to the service by hand"),
                      (char *) service->actions->pdata[k], service->name, refused);
      g_ptr_array_remove_index (service->actions, k--);
    }
  /* What is left must pass as a whole too; if it still does not, the service is no more than
   * its name. */
  g_clear_pointer (&whole, g_free);
  whole = import_check_service (draft, service);
  if (whole != NULL)
    {
      import_note_at (draft, SITREP_IMPORT_NOTE_UNMAPPED, service->line,
                      import_column (draft, service->line, NULL),
                      _("the target, selector, probes and actions of %s were not mapped: %s. "
                        "Add them by hand to the runbook written"),
                      service->name, whole);
      g_clear_pointer (&service->target, g_free);
      g_clear_pointer (&service->selector, g_free);
      g_ptr_array_set_size (service->probes, 0);
      g_ptr_array_set_size (service->actions, 0);
    }
}

/* Which service a section is about. */
static DraftService *
section_service (ImportDraft   *draft,
                 ImportSection *section,
                 GPtrArray     *lines)
{
  g_autofree char *component = component_name (section->title);
  g_autofree char *slug = import_slug (component, 0);
  g_autofree char *first = import_slug (component, 1);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean symptoms = FALSE;
  DraftService *service = NULL;

  for (guint i = 0; i < section->blocks->len; i++)
    {
      ImportBlock *block = section->blocks->pdata[i];

      symptoms |= block->lead != NULL && g_str_has_prefix (block->lead, "Symptom");
    }
  /* The deployments the section's kubectl commands aim at. */
  for (guint i = 0; i < lines->len; i++)
    {
      CommandLine *c = lines->pdata[i];
      g_autofree char *why = NULL;
      g_autoptr(ImportCommand) command = import_command_parse (c->text, &why);

      if (command == NULL || !g_str_equal (command->argv->pdata[0], "kubectl"))
        continue;
      for (guint k = 1; k < command->argv->len; k++)
        {
          const char *w = command->argv->pdata[k];
          const char *name = NULL;

          if (g_str_has_prefix (w, "deployment/"))
            name = w + strlen ("deployment/");
          else if (g_str_has_prefix (w, "app=") && k > 0)
            name = w + 4;
          else if (g_str_equal (w, "deployment") && k + 1 < command->argv->len)
            name = command->argv->pdata[k + 1];
          if (name != NULL && import_kube_name_ok (name))
            {
              g_autofree char *shortname = NULL;
              DraftService *s = import_service_for_deployment (draft, name, c->line);

              shortname = g_strdup (s->id);
              g_hash_table_add (names, g_steal_pointer (&shortname));
            }
        }
    }

  /* The section names a deployment: "API Service Down", "Worker Failures", "Web App Down". */
  for (guint i = 0; slug[0] != '\0' && i < draft->services->len && service == NULL; i++)
    {
      DraftService *s = draft->services->pdata[i];

      if (g_str_equal (s->id, slug) || g_str_equal (s->id, first)
          || (strlen (first) >= 3 && g_str_has_prefix (s->id, first)))
        service = s;
    }
  if (service != NULL)
    {
      if (!service->component)
        {
          g_free (service->name);
          service->name = g_str_has_prefix (service->id, first) && !g_str_equal (service->id, first)
                            ? import_capitalize (service->id)
                            : import_sentence_case (component);
        }
      service->component = TRUE;
      return service;
    }
  if (component[0] != '\0' && (is_infrastructure (component)
                               || (symptoms && g_hash_table_size (names) != 1)
                               || (g_hash_table_size (names) == 0 && lines->len > 0)))
    {
      service = import_service_new (draft, slug, section->line);
      service->name = import_sentence_case (component);
      service->component = TRUE;
      return service;
    }
  if (g_hash_table_size (names) == 1)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, names);
      g_hash_table_iter_next (&iter, &key, NULL);
      service = import_find_service (draft, key);
      if (symptoms || component[0] != '\0')
        import_note (draft, SITREP_IMPORT_NOTE_GUESS, section->line,
                     _("“%s” names no service of its own; its commands aim at %s, so they are "
                       "that service's"), section->title, service->id);
      return service;
    }
  return NULL;
}

/* Every section with commands or symptoms, from the top: a per-service section, a reference of
 * commands aimed at several services, a rollback procedure. */
void
import_map_services (ImportDraft *draft)
{
  g_autoptr(GPtrArray) summary = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *redis_host = NULL;

  /* The namespace, context and Redis host first, so every command sees the same. */
  for (guint i = 0; i < draft->doc->sections->len; i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];

      for (guint j = 0; j < section->blocks->len; j++)
        {
          ImportBlock *block = section->blocks->pdata[j];

          if (is_shell_block (block))
            {
              g_autoptr(GPtrArray) lines = block_commands (block, NULL);

              for (guint k = 0; k < lines->len; k++)
                import_commands_survey (draft, ((CommandLine *) lines->pdata[k])->text, &redis_host);
            }
        }
    }

  for (guint i = 0; i < draft->doc->sections->len; i++)
    {
      ImportSection *section = draft->doc->sections->pdata[i];
      g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) command_line_free);
      g_autoptr(GPtrArray) procedures = g_ptr_array_new_with_free_func (g_free);
      gboolean symptoms = FALSE;
      DraftService *service;

      if (section->role != IMPORT_ROLE_NONE || section->level == 0)
        continue;
      for (guint j = 0; j < section->blocks->len; j++)
        {
          ImportBlock *block = section->blocks->pdata[j];

          symptoms |= block->lead != NULL && g_str_has_prefix (block->lead, "Symptom");
          if (is_shell_block (block))
            {
              g_autoptr(GPtrArray) found = block_commands (block, procedures);

              g_ptr_array_extend_and_steal (lines, g_steal_pointer (&found));
            }
          /* "1. Check usage: `df -h`" */
          for (guint k = 0; block->kind == IMPORT_BLOCK_LIST && k < block->items->len; k++)
            {
              ImportItem *item = block->items->pdata[k];

              for (guint m = 0; m < item->codes->len; m++)
                {
                  const char *code = item->codes->pdata[m];
                  g_autofree char *first = g_strndup (code, strcspn (code, " \t"));

                  if (import_is_command (first) && strchr (code, '\n') == NULL)
                    {
                      CommandLine *c = g_new0 (CommandLine, 1);
                      const char *colon = strchr (item->text, ':');

                      c->text = g_strdup (code);
                      c->comment = colon ? g_strndup (item->text, colon - item->text) : NULL;
                      c->line = item->line;
                      g_ptr_array_add (lines, c);
                    }
                }
            }
        }
      if (lines->len == 0 && !symptoms)
        {
          /* "### Database Rollback" under "Rollback Procedures": a procedure of Database. */
          g_autofree char *component = component_name (section->title);
          g_autofree char *slug = import_slug (component, 0);
          DraftService *named = slug[0] ? import_find_service (draft, slug) : NULL;

          if (named != NULL)
            for (guint j = 0; j < section->blocks->len; j++)
              {
                ImportBlock *block = section->blocks->pdata[j];
                g_autoptr(GString) text = NULL;

                if (block->kind != IMPORT_BLOCK_LIST || !block->ordered)
                  continue;
                text = g_string_new (section->title);
                for (guint k = 0; k < block->items->len; k++)
                  g_string_append_printf (text, "%s %s", k ? ";" : ":",
                                          ((ImportItem *) block->items->pdata[k])->text);
                g_string_append_c (text, '.');
                add_unique (named->procedures, text->str);
                section->role = IMPORT_ROLE_SERVICE;
                for (guint l = 0; l < draft->links->len; l++)
                  {
                    DraftLink *link = draft->links->pdata[l];

                    if (link->line >= section->line && link->line <= section->end_line)
                      add_unique (named->links, link->id);
                  }
              }
          continue;
        }
      section->role = IMPORT_ROLE_SERVICE;
      service = section_service (draft, section, lines);
      for (guint k = 0; k < lines->len; k++)
        map_command_line (draft, lines->pdata[k], service, redis_host);
      if (service == NULL)
        continue;

      for (guint j = 0; j < section->blocks->len; j++)
        {
          ImportBlock *block = section->blocks->pdata[j];
          ImportBlock *before = j > 0 ? section->blocks->pdata[j - 1] : NULL;

          if (block->lead != NULL && g_str_has_prefix (block->lead, "Symptom") && block->rest != NULL)
            {
              g_autoptr(GPtrArray) items = import_split_list (block->rest);

              for (guint k = 0; k < items->len; k++)
                add_unique (service->symptoms, items->pdata[k]);
            }
          if (block->kind == IMPORT_BLOCK_LIST && block->ordered)
            {
              g_autoptr(GString) text = g_string_new (NULL);

              if (before != NULL && before->lead != NULL)
                {
                  g_autofree char *lead = g_strdup (before->lead);

                  g_strstrip (g_strdelimit (lead, ":", ' '));
                  g_string_append (text, lead);
                }
              for (guint k = 0; k < block->items->len; k++)
                g_string_append_printf (text, "%s%s", text->len ? (k ? "; " : ": ") : "",
                                        ((ImportItem *) block->items->pdata[k])->text);
              g_string_append_c (text, '.');
              add_unique (service->procedures, text->str);
            }
        }
      for (guint k = 0; k < procedures->len; k++)
        add_unique (service->procedures, procedures->pdata[k]);
      for (guint l = 0; l < draft->links->len; l++)
        {
          DraftLink *link = draft->links->pdata[l];

          if (link->line >= section->line && link->line <= section->end_line)
            add_unique (service->links, link->id);
        }
    }

  /* A deployment seen only through its label selector: its target is a guess. */
  for (guint i = 0; i < draft->services->len; i++)
    {
      DraftService *service = draft->services->pdata[i];

      if (service->target == NULL && service->selector != NULL && strchr (service->selector, '='))
        {
          g_autofree char *guess = g_strdup_printf ("deployment/%s", strchr (service->selector, '=') + 1);
          g_autofree char *refused = import_check_target (draft, guess);

          if (refused == NULL)
            {
              service->target = g_steal_pointer (&guess);
              import_note (draft, SITREP_IMPORT_NOTE_GUESS, service->line,
                           _("%s is only named by its label %s: its target is taken to be %s"),
                           service->name, service->selector, service->target);
            }
        }
      if (service->target != NULL && g_str_has_prefix (service->target, "deployment/"))
        {
          g_autoptr(JsonNode) probe = json_from_string (
            "{\"id\": \"deployment\", \"type\": \"kube\", \"conditions\": ["
            "{\"check\": \"[BODY].status.readyReplicas > 0\", \"severity\": \"critical\"},"
            "{\"check\": \"[BODY].status.readyReplicas == [BODY].spec.replicas\", "
            "\"severity\": \"warning\"}]}", NULL);
          g_autoptr(GPtrArray) ids = g_ptr_array_new ();
          g_autofree char *id = NULL;

          for (guint k = 0; k < service->probes->len; k++)
            g_ptr_array_add (ids, (gpointer) json_object_get_string_member (
                                    json_node_get_object (service->probes->pdata[k]), "id"));
          id = import_unique_id (ids, IMPORT_ID_IS_ENTRY, "deployment");
          json_object_set_string_member (json_node_get_object (probe), "id", id);
          g_ptr_array_insert (service->probes, 0, g_steal_pointer (&probe));
        }
      check_service (draft, service);
    }

  if (draft->services->len == 0)
    {
      g_autofree char *slug = import_slug (draft->name, 2);
      DraftService *service = import_service_new (draft, slug[0] ? slug : "service", 1);

      service->name = g_strdup (draft->name);
      import_note (draft, SITREP_IMPORT_NOTE_GUESS, 0,
                   _("the document names no service: one service, “%s”, stands for the whole "
                     "product; add each service with its health probes"), draft->name);
    }

  /* Where kubectl goes: the values the actions were checked against. */
  if (draft->namespace_ == NULL)
    {
      import_environment (draft, NULL, &draft->namespace_);
      import_note (draft, SITREP_IMPORT_NOTE_GUESS, 0,
                   _("no Kubernetes namespace is named: environment.namespace is “%s”"),
                   draft->namespace_);
    }
  if (draft->context == NULL)
    {
      import_environment (draft, &draft->context, NULL);
      import_note (draft, SITREP_IMPORT_NOTE_GUESS, 0,
                   _("no kube context is named: environment.context is “%s”; set it to the "
                     "production context in your kubeconfig"), draft->context);
    }
  import_note (draft, SITREP_IMPORT_NOTE_GUESS, 0,
               _("the environment is marked protected (typed confirmation for every change): "
                 "a runbook is for production"));

  for (guint i = 0; i < draft->services->len; i++)
    {
      DraftService *service = draft->services->pdata[i];

      g_autofree char *list = import_join (service->actions, ", ");

      g_ptr_array_add (summary, service->actions->len > 0
                                  /* TRANSLATORS: a service, then the commands offered for it */
                                  ? g_strdup_printf (_("%s: %s"), service->name, list)
                                  /* TRANSLATORS: a service for which no command is offered */
                                  : g_strdup_printf (_("%s: none"), service->name));
    }
  {
    g_autoptr(GPtrArray) unlisted = g_ptr_array_new ();

    for (guint a = 0; a < draft->actions->len; a++)
      {
        DraftAction *action = draft->actions->pdata[a];
        gboolean listed = FALSE;

        for (guint i = 0; i < draft->services->len && !listed; i++)
          listed = g_ptr_array_find_with_equal_func (((DraftService *) draft->services->pdata[i])->actions,
                                                     action->id, g_str_equal, NULL);
        if (!listed)
          g_ptr_array_add (unlisted, action->id);
      }
    if (unlisted->len > 0)
      {
        g_autofree char *list = import_join (unlisted, ", ");

        /* TRANSLATORS: %s is a list of commands that belong to no service */
        g_ptr_array_add (summary, g_strdup_printf (_("for no service: %s"), list));
      }
  }
  {
    g_autofree char *list = import_join (summary, "; ");

    /* TRANSLATORS: %s is a list of services, each with its commands */
    g_ptr_array_add (draft->summary, g_strdup_printf (_("Commands: %s"), list));
  }
}
