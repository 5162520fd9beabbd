/* sitrep-runbook-lifecycle.c: the runbook's own incident statuses and post-mortem sections */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sitrep-runbook-loader-private.h"

static char *
slug_id (SitrepLoader *l,
         JsonObject   *object,
         GHashTable   *seen,
         const char   *what)
{
  char *id = sitrep_schema_id (l, object, "id", seen, what);

  if (id != NULL && !sitrep_schema_is_slug (id))
    sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "id")),
                           /* Translators: %s is "status" or "post-mortem section" */
                           _("%s id \"%s\" is not one you can type on the command line: use "
                             "lower-case letters, digits, \"-\" and \"_\", starting with a "
                             "letter, like \"fix-deployed\""),
                           what, id);
  return id;
}

/* "statuses": the statuses an incident goes through, in the runbook's words, replacing
 * investigating, identified, monitoring and resolved. The first is a new incident's; exactly
 * one "resolves", as the clocks, the escalation and the post-mortem need to know when an
 * incident is over. */
void
sitrep_runbook_load_statuses (SitrepLoader *l,
                              JsonObject   *root)
{
  static const char *const allowed[] = {
    "id", "label", "description", "mitigated", "resolves", NULL
  };
  static const char *const required[] = { "id", "label", NULL };
  g_autoptr(GHashTable) seen = sitrep_schema_new_seen ();
  const SitrepStatusSpec *final = NULL;
  gboolean any_resolves = FALSE;
  guint before;
  JsonArray *array;

  if (!sitrep_schema_since (l, root, "statuses", 2))
    return;
  array = sitrep_schema_array (l, root, "statuses");
  if (array == NULL)
    return;
  if (json_array_get_length (array) < 2)
    {
      sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (root, "statuses")),
                             _("\"statuses\" needs at least two statuses: the one a new incident "
                               "starts in, first, and the one that resolves it, with "
                               "\"resolves\": true"));
      return;
    }

  before = l->problems->len;
  l->rb->statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_status_spec_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = sitrep_schema_object (l, json_array_get_element (array, i),
                                                 _("a status"), allowed, required);
      SitrepStatusSpec *status;

      if (object == NULL)
        continue;
      status = g_new0 (SitrepStatusSpec, 1);
      status->id = slug_id (l, object, seen, _("status"));
      status->label = sitrep_schema_text (l, object, "label");
      status->description = sitrep_schema_string (l, object, "description");
      status->mitigated = sitrep_schema_bool (l, object, "mitigated", FALSE);
      status->resolves = sitrep_schema_bool (l, object, "resolves", FALSE);
      any_resolves |= status->resolves;
      if (status->resolves && i == 0)
        sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "resolves")),
                               _("the first status is the one a new incident starts in, so it "
                                 "cannot resolve it: move \"%s\" further down the list"),
                               status->id ? status->id : "");
      else if (status->resolves && final != NULL)
        sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (object, "resolves")),
                               _("only one status may resolve an incident, and \"%s\" does "
                                 "already: remove \"resolves\" from \"%s\""),
                               final->id ? final->id : "", status->id ? status->id : "");
      else if (status->resolves)
        final = status;
      g_ptr_array_add (l->rb->statuses, status);
    }
  /* Only when every status was read right: a misspelt "resolves" is reported at its key. */
  if (!any_resolves && l->problems->len == before)
    sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (root, "statuses")),
                           _("no status in \"statuses\" resolves an incident: add "
                             "\"resolves\": true to the final one, such as \"resolved\" or "
                             "\"closed\""));
}

/* "postmortem_sections": the headings the team's post-mortem has, in order, each with what it
 * asks; the editor offers them and the export writes them. */
void
sitrep_runbook_load_postmortem_sections (SitrepLoader *l,
                                         JsonObject   *root)
{
  static const char *const allowed[] = { "id", "title", "prompt", NULL };
  static const char *const required[] = { "id", "title", NULL };
  g_autoptr(GHashTable) seen = sitrep_schema_new_seen ();
  JsonArray *array;

  if (!sitrep_schema_since (l, root, "postmortem_sections", 2))
    return;
  array = sitrep_schema_array (l, root, "postmortem_sections");
  if (array == NULL)
    return;
  if (json_array_get_length (array) == 0)
    {
      sitrep_schema_problem (l, AT_VALUE (sitrep_schema_member (root, "postmortem_sections")),
                             _("\"postmortem_sections\" is empty: list the sections, or remove "
                               "the key to keep the post-mortem template alone"));
      return;
    }

  l->rb->postmortem_sections =
    g_ptr_array_new_with_free_func ((GDestroyNotify) sitrep_postmortem_section_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = sitrep_schema_object (l, json_array_get_element (array, i),
                                                 _("a post-mortem section"), allowed, required);
      SitrepPostmortemSection *section;

      if (object == NULL)
        continue;
      section = g_new0 (SitrepPostmortemSection, 1);
      section->id = slug_id (l, object, seen, _("post-mortem section"));
      section->title = sitrep_schema_text (l, object, "title");
      section->prompt = sitrep_schema_string (l, object, "prompt");
      g_ptr_array_add (l->rb->postmortem_sections, section);
    }
}
