/* sitrep-runbook.h: a team's runbook, the model; sitrep-runbook-loader.h reads it from JSON */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SITREP_RUNBOOK_ERROR (sitrep_runbook_error_quark ())

typedef enum
{
  SITREP_RUNBOOK_ERROR_IO,
  SITREP_RUNBOOK_ERROR_TOO_LARGE,
  SITREP_RUNBOOK_ERROR_INVALID,
} SitrepRunbookError;

/* The largest runbook the loader reads: a real one is a few dozen kilobytes. */
#define SITREP_RUNBOOK_MAX_SIZE (8 * 1000 * 1000)
#define SITREP_RUNBOOK_MAX_DEPTH 64
/* The newest format this Sitrep reads; it also reads every older one back to format 1. */
#define SITREP_RUNBOOK_FORMAT 2
/* Where the built-in (CareCircle) runbook is in the resources. */
#define SITREP_RUNBOOK_DEFAULT_RESOURCE RESOURCE_PREFIX "/runbooks/carecircle.json"

/* One problem found in a runbook, with where it is. */
typedef struct
{
  char *file;
  guint line;
  guint column;
  char *message;
} SitrepRunbookProblem;

typedef struct
{
  char *id;
  char *label;
  char *description;
  gint64 response_target; /* seconds */
  gint64 update_every;    /* seconds, 0 = no reminders */
  GStrv examples;
} SitrepSeverity;

typedef struct
{
  char *id;
  char *role;
  char *handle;
  char *when;
} SitrepContact;

typedef struct
{
  char *role;
  char *contact; /* contact id or NULL */
  gint64 after;  /* seconds since declaration, -1 = only if needed */
  GStrv severities;
  char *note;
} SitrepEscalationStep;

typedef struct
{
  char *id;
  GStrv severities;
  GPtrArray *steps; /* SitrepEscalationStep */
} SitrepEscalationPath;

typedef enum
{
  SITREP_OPENS_NOTHING,
  SITREP_OPENS_CHANNEL,
  SITREP_OPENS_TEMPLATE,
  SITREP_OPENS_LINK,
  SITREP_OPENS_URL,
  SITREP_OPENS_SERVICE,
  SITREP_OPENS_ACTION,
} SitrepOpensKind;

typedef struct
{
  char *id;
  char *text;
  SitrepOpensKind opens;
  char *opens_ref;     /* template, link, service or action id; or the URL */
  char *opens_service; /* for SITREP_OPENS_ACTION */
  GStrv severities;    /* format 2: the severities it applies to; NULL = all */
} SitrepChecklistItem;

typedef enum
{
  SITREP_PHASE_FROM_DECLARED,
  SITREP_PHASE_FROM_RESOLVED,
} SitrepPhaseFrom;

typedef struct
{
  char *id;
  char *title;
  SitrepPhaseFrom from;
  gint64 starts; /* seconds */
  gint64 due;    /* seconds, -1 = ongoing */
  GPtrArray *items; /* SitrepChecklistItem */
} SitrepChecklistPhase;

typedef struct
{
  char *id;
  char *label;
  char *url; /* NULL = not set yet */
  char *note;
} SitrepLink;

typedef struct
{
  char *id;    /* format 2, "environments": what --environment takes; NULL for "environment" */
  char *label; /* format 2: what the console's banner and menu say */
  char *context;
  char *namespace_;
  gboolean read_only;
  gboolean protected_;
  char *kubectl;
  GPtrArray *links; /* SitrepLink */
  gboolean drill;   /* a simulated environment to practise on (sitrep drill) */
  char *kubeconfig; /* drill only: the simulation's kubeconfig, given to kubectl */
  gint64 drill_started_at; /* drill only: when its scenario began (µs, UTC), 0 when unknown */
} SitrepEnvironment;

typedef enum
{
  SITREP_CONDITION_CRITICAL,
  SITREP_CONDITION_WARNING,
} SitrepConditionSeverity;

typedef struct
{
  char *check;
  SitrepConditionSeverity severity;
  char *description;
  guint line;   /* where the check string starts, for errors found later */
  guint column;
  struct _SitrepCondition *parsed; /* the check, parsed; NULL only in a runbook with problems */
} SitrepConditionSpec;

typedef struct
{
  char *id;
  char *type_name;              /* the probe's kind as the runbook names it: "http", … */
  gpointer settings;            /* what a kind without fields here reads from its keys */
  GDestroyNotify free_settings;
  char *description;
  gint64 interval_ms;
  gint64 timeout_ms;
  gint64 jitter_ms;
  guint fail_after;
  guint recover_after;
  GPtrArray *conditions; /* SitrepConditionSpec */

  /* http */
  char *url;
  char *method;
  GPtrArray *header_names;  /* char* */
  GPtrArray *header_values; /* char*, may hold ${secret:NAME} */
  char *body;
  gboolean insecure_tls;
  gint64 max_body;
  char *ca_file;            /* format 2: PEM certificates of the CAs that may sign the server's */
  char *client_certificate; /* format 2: PEM client certificate (mTLS), with its key or not */
  char *client_key;         /* format 2: its PEM private key, when not in the certificate file */
  /* tcp, redis */
  char *host;
  guint port;
  char *send;
  char *expect;
  /* redis */
  gint64 db;
  char *secret; /* also postgres */
  char *check;  /* ping, info, queue */
  char *field;
  char *queue;
  gboolean tls;      /* format 2: TLS, with ca_file, client_certificate and client_key above */
  char *server_name; /* format 2: the name the server's certificate is for, when not host */
  char *user;        /* format 2: the ACL user; its password is "secret" */
  /* postgres */
  char *conninfo;
  char *query;
  /* kube */
  char *target;
  /* command */
  GStrv argv;
} SitrepProbeSpec;

typedef struct
{
  char *id;
  char *name;
  char *description;
  char *target;
  char *selector;
  GStrv symptoms;
  GStrv procedures;
  GStrv links;
  GPtrArray *probes; /* SitrepProbeSpec */
  GStrv actions;
  char *absent_from_drill; /* drill only: why the simulation has no such service */
} SitrepService;

typedef enum
{
  SITREP_INPUT_INTEGER,
  SITREP_INPUT_CHOICE,
  SITREP_INPUT_STRING,
} SitrepInputType;

/* How a secret input reaches its command: never on the command line. */
typedef enum
{
  SITREP_PASS_IN_ARGV,  /* an ordinary input: {input.NAME} in argv */
  SITREP_PASS_AS_ENV,   /* a secret input: in the environment variable pass_as_env */
  SITREP_PASS_AS_STDIN, /* a secret input: written to the command's standard input */
} SitrepPassAs;

/* What a choices_from command prints. */
typedef enum
{
  SITREP_CHOICES_AUTO,            /* rollout history for `kubectl rollout history`, else lines */
  SITREP_CHOICES_ROLLOUT_HISTORY, /* kubectl's REVISION / CHANGE-CAUSE table */
  SITREP_CHOICES_LINES,           /* one choice per non-empty line */
} SitrepChoicesFormat;

typedef struct
{
  char *name;
  char *label;
  SitrepInputType type;
  gboolean has_min, has_max, has_default;
  gint64 min, max, default_value;
  char *pattern;
  GStrv choices;
  GStrv choices_from;
  SitrepChoicesFormat choices_format;
  gboolean secret;
  SitrepPassAs pass_as;
  char *pass_as_env;
} SitrepActionInput;

typedef struct
{
  char *id;
  char *label;
  char *description;
  GStrv argv;
  GPtrArray *inputs; /* SitrepActionInput */
  gboolean mutates;
  gboolean dangerous;
  char *confirm;
  gboolean dry_run;
  GStrv follow_up;
  char *noop_output;
  gint64 timeout_ms;
  gboolean terminal;
  /* The command's environment and standard input; the values may hold {variables} and
   * ${secret:NAME}, resolved from the keyring when the command runs. */
  GStrv env_names;
  GStrv env_values;
  char *stdin_text;
} SitrepAction;

typedef enum
{
  SITREP_TEMPLATE_STATUS,
  SITREP_TEMPLATE_NOTIFICATION,
  SITREP_TEMPLATE_UPDATE,
  SITREP_TEMPLATE_RESOLUTION,
  SITREP_TEMPLATE_POSTMORTEM,
} SitrepTemplateKind;

typedef struct
{
  char *id;
  SitrepTemplateKind kind;
  char *title;
  char *body;
} SitrepTemplate;

/* Format 2: one of the runbook's own incident statuses ("statuses"), in the runbook's words. */
typedef struct
{
  char *id;
  char *label;
  char *description;
  gboolean mitigated; /* reaching it marks the incident mitigated, as "monitoring" does */
  gboolean resolves;  /* the final status: reaching it resolves the incident */
} SitrepStatusSpec;

/* Format 2: one section of the post-mortem ("postmortem_sections"), in the runbook's order. */
typedef struct
{
  char *id;
  char *title;
  char *prompt; /* what the section asks, shown in the editor while it is empty; or NULL */
} SitrepPostmortemSection;

#define SITREP_TYPE_RUNBOOK (sitrep_runbook_get_type ())

G_DECLARE_FINAL_TYPE (SitrepRunbook, sitrep_runbook, SITREP, RUNBOOK, GObject)

GQuark                   sitrep_runbook_error_quark        (void);

guint                    sitrep_runbook_get_format         (SitrepRunbook *self);
const char *const       *sitrep_runbook_get_placeholder_names (SitrepRunbook *self);
const char              *sitrep_runbook_get_placeholder    (SitrepRunbook *self,
                                                            const char    *name);
const char              *sitrep_runbook_get_source         (SitrepRunbook *self);
const char              *sitrep_runbook_get_digest         (SitrepRunbook *self);
gboolean                 sitrep_runbook_get_builtin        (SitrepRunbook *self);
GBytes                  *sitrep_runbook_get_content        (SitrepRunbook *self);
char                    *sitrep_runbook_describe_origin    (SitrepRunbook *self);
const char              *sitrep_runbook_get_name           (SitrepRunbook *self);
const char              *sitrep_runbook_get_description    (SitrepRunbook *self);
const char              *sitrep_runbook_get_reminder       (SitrepRunbook *self);
const char              *sitrep_runbook_get_severity_hint  (SitrepRunbook *self);
const char              *sitrep_runbook_get_channel_format (SitrepRunbook *self);
const SitrepEnvironment *sitrep_runbook_get_environment    (SitrepRunbook *self);
GPtrArray               *sitrep_runbook_get_environments   (SitrepRunbook *self);
gboolean                 sitrep_runbook_select_environment (SitrepRunbook *self,
                                                            const char    *id,
                                                            GError       **error);
char                    *sitrep_runbook_list_environments  (SitrepRunbook *self);
GPtrArray               *sitrep_runbook_get_severities     (SitrepRunbook *self);
GPtrArray               *sitrep_runbook_get_contacts       (SitrepRunbook *self);
GPtrArray               *sitrep_runbook_get_escalation     (SitrepRunbook *self);
GPtrArray               *sitrep_runbook_get_checklist      (SitrepRunbook *self);
GPtrArray               *sitrep_runbook_get_services       (SitrepRunbook *self);
GPtrArray               *sitrep_runbook_get_actions        (SitrepRunbook *self);
GPtrArray               *sitrep_runbook_get_templates      (SitrepRunbook *self);
gboolean                 sitrep_runbook_get_webhook_allow_plain_http (SitrepRunbook *self);
GPtrArray               *sitrep_runbook_get_statuses       (SitrepRunbook *self);
const SitrepStatusSpec  *sitrep_runbook_find_status        (SitrepRunbook *self,
                                                            const char    *id);
GPtrArray               *sitrep_runbook_get_postmortem_sections (SitrepRunbook *self);

const SitrepSeverity    *sitrep_runbook_find_severity      (SitrepRunbook *self,
                                                            const char    *id);
const SitrepContact     *sitrep_runbook_find_contact       (SitrepRunbook *self,
                                                            const char    *id);
const SitrepService     *sitrep_runbook_find_service       (SitrepRunbook *self,
                                                            const char    *id);
const SitrepAction      *sitrep_runbook_find_action        (SitrepRunbook *self,
                                                            const char    *id);
const SitrepTemplate    *sitrep_runbook_find_template      (SitrepRunbook *self,
                                                            const char    *id);
const SitrepLink        *sitrep_runbook_find_link          (SitrepRunbook *self,
                                                            const char    *id);
const SitrepEscalationPath *sitrep_runbook_find_escalation (SitrepRunbook *self,
                                                            const char    *severity_id);

char                    *sitrep_runbook_describe           (SitrepRunbook *self);
gboolean                 sitrep_checklist_item_applies     (const SitrepChecklistItem *item,
                                                            const char                *severity);

char                    *sitrep_runbook_problem_to_string  (const SitrepRunbookProblem *problem);
void                     sitrep_runbook_problem_free       (SitrepRunbookProblem *problem);
char                    *sitrep_format_duration            (gint64 seconds);

G_END_DECLS
