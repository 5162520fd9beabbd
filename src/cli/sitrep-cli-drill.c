/* sitrep-cli-drill.c: `sitrep drill list|serve`: the drill's scenarios, and a drill for scripts */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "sitrep-cli-common.h"
#include "sitrep-cli-drill.h"
#include "sitrep-drill-replay.h"
#include "sitrep-drill.h"

static int
list (gboolean as_json)
{
  guint n;
  const SitrepDrillScenarioInfo *scenarios = sitrep_drill_scenario_list (&n);

  if (as_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, scenarios[i].id);
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, _(scenarios[i].title));
          json_builder_set_member_name (builder, "summary");
          json_builder_add_string_value (builder, _(scenarios[i].summary));
          json_builder_set_member_name (builder, "service");
          json_builder_add_string_value (builder, scenarios[i].service);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
      return 0;
    }
  for (guint i = 0; i < n; i++)
    g_print ("%-16s %s\n%-16s %s\n", scenarios[i].id, _(scenarios[i].title), "",
             _(scenarios[i].summary));
  return 0;
}

typedef struct
{
  GMainLoop *loop;
  SitrepDrill *drill;
  int status;
  gboolean started;
} Serve;

static gboolean
signal_cb (gpointer user_data)
{
  Serve *serve = user_data;

  g_main_loop_quit (serve->loop);
  return G_SOURCE_CONTINUE;
}

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Serve *serve = user_data;
  g_autoptr(GError) error = NULL;
  const char *absent;

  if (!sitrep_drill_start_finish (SITREP_DRILL (source), result, &error))
    {
      g_printerr ("%s\n", error->message);
      serve->status = 1;
      g_main_loop_quit (serve->loop);
      return;
    }
  serve->started = TRUE;
  if ((absent = sitrep_drill_get_absent (serve->drill, "redis")) != NULL)
    g_printerr (_("sitrep drill: Redis is not part of this drill: %s\n"), absent);
  if ((absent = sitrep_drill_get_absent (serve->drill, "postgres")) != NULL)
    g_printerr (_("sitrep drill: PostgreSQL is not part of this drill: %s\n"), absent);
  /* Scripts wait for this line: everything answers from now on. */
  g_print ("ready\n");
  fflush (stdout);
}

/* sitrep drill serve SCENARIO --dir DIR [--speed N] */
static int
serve (const char *scenario,
       const char *dir,
       double      speed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Serve state = { loop, NULL, 0, FALSE };
  guint term, interrupt;

  state.drill = sitrep_drill_new (scenario, dir, speed, &error);
  if (state.drill == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  term = g_unix_signal_add (SIGTERM, signal_cb, &state);
  interrupt = g_unix_signal_add (SIGINT, signal_cb, &state);
  sitrep_drill_start_async (state.drill, NULL, started_cb, &state);
  g_main_loop_run (loop);

  /* Everything the drill started ends before this process does; a second signal meanwhile
   * must not cut that short, so the handlers stay until then. */
  sitrep_drill_stop (state.drill);
  g_clear_object (&state.drill);
  g_source_remove (term);
  g_source_remove (interrupt);
  return state.status;
}

/* sitrep drill --replay INCIDENT --dir DIR [--speed N] [--database FILE] */
static int
replay (const char *incident,
        const char *dir,
        double      speed,
        const char *database)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(SitrepSession) session = NULL;
  g_autoptr(SitrepDrillReplay) replay = NULL;
  Serve state = { loop, NULL, 0, FALSE };
  guint term, interrupt;
  gint64 id;

  if (!g_ascii_string_to_signed (incident, 10, 1, G_MAXINT64, &id, NULL))
    {
      g_printerr (_("%s: “%s” is not an incident number: see sitrep incident list.\n"),
                  g_get_prgname (), incident);
      return 2;
    }
  session = sitrep_cli_open_session (NULL, database);
  if (session == NULL)
    return 2;
  replay = sitrep_drill_replay_new (sitrep_session_get_store (session), id,
                                    sitrep_session_get_runbook (session), dir, speed, &error);
  if (replay == NULL)
    {
      g_printerr ("%s\n", error->message);
      return g_error_matches (error, SITREP_STORE_ERROR, SITREP_STORE_ERROR_NOT_FOUND)
             || g_error_matches (error, SITREP_DRILL_ERROR, SITREP_DRILL_ERROR_NO_HISTORY) ? 1 : 2;
    }
  /* What the replay needs is read: the database is not held open while it plays. */
  g_clear_object (&session);
  if (!sitrep_drill_replay_start (replay, &error))
    {
      g_printerr (_("The replay could not start: %s\n"), error->message);
      return 1;
    }
  term = g_unix_signal_add (SIGTERM, signal_cb, &state);
  interrupt = g_unix_signal_add (SIGINT, signal_cb, &state);
  g_print ("ready\n");
  fflush (stdout);
  g_main_loop_run (loop);
  sitrep_drill_replay_stop (replay);
  g_source_remove (term);
  g_source_remove (interrupt);
  return 0;
}

/* sitrep drill list [--json] | serve SCENARIO --dir DIR [--speed N] | --replay INCIDENT … */
int
sitrep_cli_drill (int    argc,
                  char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *replay_id = NULL;
  g_autofree char *database = NULL;
  gboolean as_json = FALSE;
  double speed = 1;
  GOptionEntry entries[] = {
    { "replay", 0, 0, G_OPTION_ARG_STRING, &replay_id,
      N_("Replay the health history the database kept of incident INCIDENT, as a drill"),
      N_("INCIDENT") },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("With --replay: read the incident from FILE instead of the default database"),
      N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("List the scenarios as JSON"), NULL },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      N_("Write the drill's runbook.json and kubeconfig into DIR"), N_("DIR") },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed,
      N_("Run the scenario's clock N times faster (1 to 1000)"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (_("list | serve SCENARIO | "
                                                             "--replay INCIDENT"));

  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (options,
                                _("Practise incident response on a simulated CareCircle.\n\n"
                                  "“list” prints the scenarios. “serve SCENARIO --dir DIR” "
                                  "starts one on loopback, writes DIR/runbook.json (the runbook "
                                  "aimed at the simulation) and DIR/kubeconfig, prints “ready” "
                                  "once everything answers, and runs until it is interrupted "
                                  "(SIGINT or SIGTERM). Then sitrep probe --runbook "
                                  "DIR/runbook.json and kubectl --kubeconfig DIR/kubeconfig work "
                                  "as against a real cluster.\n\n"
                                  "“--replay INCIDENT --dir DIR” does the same with the health "
                                  "history the database kept of a recorded incident: each "
                                  "service's health follows its samples, --speed N times "
                                  "faster."));
  if (!sitrep_cli_parse (options, &argc, &argv))
    return 2;

  if (replay_id != NULL)
    {
      if (argc != 1 || as_json)
        {
          g_printerr (_("%s: --replay takes no scenario nor command; only --dir, --speed and "
                        "--database.\n"), g_get_prgname ());
          return 2;
        }
      if (dir == NULL)
        {
          g_printerr (_("%s: --replay needs --dir DIR, the folder for the drill's runbook.json "
                        "and kubeconfig.\n"), g_get_prgname ());
          return 2;
        }
      return replay (replay_id, dir, speed, database);
    }
  if (database != NULL)
    {
      g_printerr (_("%s: --database is only for --replay.\n"), g_get_prgname ());
      return 2;
    }
  if (argc == 2 && g_str_equal (argv[1], "list") && dir == NULL && speed == 1)
    return list (as_json);
  if (argc == 3 && g_str_equal (argv[1], "serve") && !as_json)
    {
      if (dir == NULL)
        {
          g_printerr (_("%s: serve needs --dir DIR, the folder for the drill's runbook.json and "
                        "kubeconfig.\n"), g_get_prgname ());
          return 2;
        }
      return serve (argv[2], dir, speed);
    }
  if (argc < 2)
    g_printerr (_("%s: list or serve? sitrep drill list shows the scenarios.\n"), g_get_prgname ());
  else if (g_str_equal (argv[1], "list"))
    g_printerr (_("%s: list takes no other word, and only --json.\n"), g_get_prgname ());
  else if (g_str_equal (argv[1], "serve"))
    g_printerr (argc < 3 ? _("%s: which scenario? sitrep drill list shows them.\n")
                         : _("%s: one scenario at a time; serve takes --dir and --speed.\n"),
                g_get_prgname ());
  else
    g_printerr (_("%s: “%s” is not a drill command: use list or serve.\n"), g_get_prgname (),
                argv[1]);
  sitrep_cli_usage (options);
  return 2;
}
