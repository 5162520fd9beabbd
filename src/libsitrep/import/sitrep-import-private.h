/* sitrep-import-private.h: the Markdown tree, the runbook draft and the helpers the importer shares */
#pragma once

#include <json-glib/json-glib.h>

#include "sitrep-import.h"

G_BEGIN_DECLS

/* ---- The document, as read from the CommonMark tree ---- */

typedef enum
{
  IMPORT_BLOCK_PARAGRAPH,
  IMPORT_BLOCK_LIST,
  IMPORT_BLOCK_CODE,
  IMPORT_BLOCK_TABLE,
  IMPORT_BLOCK_HTML,
  IMPORT_BLOCK_INDENTED,
} ImportBlockKind;

typedef struct
{
  char *text;
  char *url;
  guint line;
} ImportLink;

typedef struct _ImportItem ImportItem;
struct _ImportItem
{
  char *text;
  guint line;
  gboolean task;
  gboolean checked;
  GPtrArray *children; /* ImportItem */
  GPtrArray *codes;    /* char*: inline code spans */
};

typedef struct
{
  ImportBlockKind kind;
  guint line;
  char *text;          /* paragraph: plain text; html: the raw block */
  char *lead;          /* paragraph: its leading bold text ("Symptoms:"), or NULL */
  char *rest;          /* paragraph: the text after the lead */
  gboolean ordered;    /* list */
  GPtrArray *items;    /* list: ImportItem */
  char *info;          /* code: the fence's info string */
  char *literal;       /* code */
  GPtrArray *rows;     /* table: GStrv per row, the header first */
  GArray *row_lines;   /* table: guint per row */
  GPtrArray *links;    /* ImportLink */
  GPtrArray *codes;    /* paragraph: char* inline code spans */
} ImportBlock;

typedef struct _ImportSection ImportSection;
struct _ImportSection
{
  int level;           /* 0 for what comes before the first heading */
  char *title;
  guint line;
  ImportSection *parent;
  GPtrArray *blocks;   /* ImportBlock */
  int role;            /* ImportRole: what the mapping made of it */
  guint end_line;      /* the line before the next section, or G_MAXUINT */
};

typedef enum
{
  IMPORT_ROLE_NONE,
  IMPORT_ROLE_SEVERITIES,
  IMPORT_ROLE_ESCALATION,
  IMPORT_ROLE_CONTACTS,
  IMPORT_ROLE_TEMPLATE,
  IMPORT_ROLE_SERVICE,
  IMPORT_ROLE_CHECKLIST,
} ImportRole;

typedef struct
{
  GPtrArray *sections; /* ImportSection, in document order */
  GHashTable *front;   /* front matter key → value */
} ImportDoc;

ImportDoc *import_doc_parse (const char *text,
                             gsize       length);
void       import_doc_free  (ImportDoc  *doc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportDoc, import_doc_free)

/* ---- The runbook being drafted ---- */

typedef struct
{
  char *id, *label, *description;
  gint64 target, update_every; /* seconds; update_every 0 = none */
  GPtrArray *examples;
  guint line;
} DraftSeverity;

typedef struct
{
  char *id, *role, *handle, *when;
  guint line;
} DraftContact;

typedef struct
{
  char *role, *contact, *note;
  gint64 after; /* seconds, -1 = if needed */
  GPtrArray *severities;
  guint line;
} DraftStep;

typedef struct
{
  char *id;
  GPtrArray *severities;
  GPtrArray *steps;
  guint line;
} DraftPath;

typedef enum
{
  DRAFT_OPENS_NOTHING,
  DRAFT_OPENS_CHANNEL,
  DRAFT_OPENS_TEMPLATE,
  DRAFT_OPENS_LINK,
  DRAFT_OPENS_ACTION,
} DraftOpens;

typedef struct
{
  char *id, *text;
  DraftOpens opens;
  char *opens_ref, *opens_service;
  guint line;
} DraftItem;

typedef struct
{
  char *id, *title;
  gboolean from_resolved;
  gint64 starts, due; /* seconds; due -1 = ongoing */
  GPtrArray *items;
  guint line;
} DraftPhase;

typedef struct
{
  char *id, *label, *url, *note;
  gboolean keyed; /* from a "Label: address" list, so its label may name it in the checklist */
  guint line;
} DraftLink;

typedef struct
{
  char *name, *label, *type;
  gint64 min, max, def;
  gboolean has_range;
  char *pattern;
  GPtrArray *choices_from;
} DraftInput;

typedef struct
{
  char *id, *label, *description, *confirm, *noop_output;
  GPtrArray *argv, *follow_up;
  GPtrArray *inputs; /* DraftInput */
  gboolean mutates, dangerous, dry_run, terminal;
  guint line;
} DraftAction;

typedef struct
{
  char *id, *name, *target, *selector;
  GPtrArray *symptoms, *procedures, *links, *actions;
  GPtrArray *probes; /* JsonNode */
  gboolean component; /* named by its own section, not only by commands */
  guint line;
} DraftService;

typedef struct
{
  char *id, *kind, *title, *body;
  guint line;
} DraftTemplate;

typedef struct
{
  const char *file; /* the name in messages */
  ImportDoc *doc;
  char *name, *description, *reminder, *channel, *context, *namespace_;
  GPtrArray *severities, *contacts, *escalation, *checklist, *links, *services, *actions,
    *templates;
  gint64 update_low, update_high; /* an update cadence the document names, or -1 */
  guint update_line;
  GStrv lines;        /* the document's text, for the columns of the notes */
  gboolean check_parts; /* put each part to the loader before it is kept */
  GPtrArray *notes;   /* SitrepImportNote */
  GPtrArray *summary; /* char*: what was mapped, one line per kind */
} ImportDraft;

void  import_note          (ImportDraft        *draft,
                            SitrepImportNoteKind kind,
                            guint               line,
                            const char         *format,
                            ...) G_GNUC_PRINTF (4, 5);
void  import_note_at       (ImportDraft        *draft,
                            SitrepImportNoteKind kind,
                            guint               line,
                            guint               column,
                            const char         *format,
                            ...) G_GNUC_PRINTF (5, 6);
guint import_column        (ImportDraft        *draft,
                            guint               line,
                            const char         *text);

/* The mapping passes, in the order they run. */
void  import_map_severities (ImportDraft *draft);
void  import_map_contacts   (ImportDraft *draft);
void  import_map_escalation (ImportDraft *draft);
void  import_map_links      (ImportDraft *draft);
void  import_map_templates  (ImportDraft *draft);
void  import_map_services   (ImportDraft *draft);
void  import_map_checklist  (ImportDraft *draft);
char *import_draft_to_json  (ImportDraft *draft);

/* One shell command line of a fenced block, split into words as a shell would. */
typedef struct
{
  GPtrArray *argv;     /* char* */
  char *comment;       /* a trailing "# …" */
  char *dropped;       /* what followed a pipe, && or a redirection, dropped */
  GPtrArray *substs;   /* char*: the commands inside $(…) */
} ImportCommand;

ImportCommand *import_command_parse (const char    *line,
                                     char         **why_not);
void           import_command_free  (ImportCommand *command);
gboolean       import_is_command    (const char    *word);
gboolean       import_kube_name_ok  (const char    *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportCommand, import_command_free)

void          import_commands_survey        (ImportDraft    *draft,
                                             const char     *line,
                                             char          **redis_host);
DraftService *import_service_new            (ImportDraft    *draft,
                                             const char     *id,
                                             guint           line);
DraftService *import_service_for_deployment (ImportDraft    *draft,
                                             const char     *name,
                                             guint           line);
DraftAction  *import_map_kubectl            (ImportDraft    *draft,
                                             ImportCommand  *command,
                                             const char     *text,
                                             guint           line,
                                             const char     *comment,
                                             DraftService   *section_service,
                                             DraftService  **target_service);
DraftAction  *import_map_other              (ImportDraft    *draft,
                                             ImportCommand  *command,
                                             const char     *text,
                                             guint           line,
                                             const char     *comment,
                                             const char     *redis_host,
                                             DraftService   *service);

/* What sitrep-import-kubectl.c shares with the other programs' mapping (sitrep-import-commands.c). */
const char   *import_flag_value        (GPtrArray    *words,
                                        guint         i,
                                        const char   *flag,
                                        guint        *taken);
DraftInput   *import_input_for         (GPtrArray    *inputs,
                                        const char   *name,
                                        const char   *label,
                                        const char   *type);
char         *import_placeholder_input (ImportDraft  *draft,
                                        const char   *word,
                                        GPtrArray    *inputs,
                                        guint         line);
char         *import_label_from        (const char   *comment,
                                        GPtrArray    *argv);
GPtrArray    *import_strv_array        (const char   *first,
                                        ...) G_GNUC_NULL_TERMINATED;
DraftAction  *import_add_action        (ImportDraft  *draft,
                                        DraftAction  *action,
                                        const char   *base,
                                        DraftService *service,
                                        const char   *text);

DraftLink     *import_find_link     (ImportDraft *draft,
                                     const char  *id);
DraftTemplate *import_find_template (ImportDraft *draft,
                                     const char  *kind);
DraftService  *import_find_service  (ImportDraft *draft,
                                     const char  *id);
DraftAction   *import_find_action   (ImportDraft *draft,
                                     const char  *id);
/* For import_unique_id() on a list of the ids themselves. */
#define IMPORT_ID_IS_ENTRY G_MAXSIZE
char          *import_unique_id     (GPtrArray   *list,
                                     gsize        id_offset,
                                     const char  *base);
char          *import_unique_name   (GPtrArray   *list,
                                     gsize        name_offset,
                                     const char  *base);
int            import_find_column   (GStrv              header,
                                     const char *const *names,
                                     int                not_this);

/* ---- Each drafted part put to the loader before it is used (sitrep-import-check.c) ---- */

void        import_environment      (ImportDraft   *draft,
                                     char         **context,
                                     char         **namespace_);
gboolean    import_duration_ok      (gint64         seconds);
char       *import_check_action     (ImportDraft   *draft,
                                     DraftAction   *action);
char       *import_check_service    (ImportDraft   *draft,
                                     DraftService  *service);
char       *import_check_service_part (ImportDraft *draft,
                                     DraftService  *service,
                                     DraftAction   *action,
                                     JsonNode      *probe);
char       *import_check_target     (ImportDraft   *draft,
                                     const char    *target);
char       *import_check_template   (ImportDraft   *draft,
                                     DraftTemplate *template_);
char       *import_check_channel    (ImportDraft   *draft,
                                     const char    *channel);
gboolean    import_loader_takes     (const char    *json,
                                     const char    *file,
                                     GPtrArray    **problems,
                                     GError       **error);
gboolean    import_check_with_loader (ImportDraft  *draft,
                                      const char   *json,
                                      const char   *file,
                                      GError      **error);
JsonObject *import_service_to_json  (DraftService  *service);
JsonObject *import_action_to_json   (DraftAction   *action);
JsonObject *import_template_to_json (DraftTemplate *template_);
char       *import_node_to_text     (JsonNode      *node);

/* ---- Text helpers ---- */

gboolean  import_parse_duration  (const char *text,
                                  gint64     *seconds,
                                  gint64     *upper);
char     *import_format_duration (gint64      seconds);
char     *import_human_duration  (gint64      seconds);
char     *import_join            (GPtrArray  *strings,
                                  const char *separator);
gboolean  import_severity_id     (const char *text,
                                  char      **id);
char     *import_slug            (const char *text,
                                  guint       max_words);
char     *import_sentence_case   (const char *text);
char     *import_capitalize      (const char *text);
char     *import_strip_markers   (const char *text);
char     *import_strip_parens    (const char *text,
                                  char      **inside);
char     *import_strip_numbering (const char *text);
gboolean  import_is_stop_word    (const char *word);
gboolean  import_has_word        (const char *text,
                                  const char *word);
gboolean  import_has_any_word    (const char *text,
                                  const char *const *words);
GPtrArray *import_split_list     (const char *text);
char     *import_json_escape_braces (const char *text);

void import_link_free    (ImportLink *link);
void draft_severity_free (DraftSeverity *s);
void draft_contact_free  (DraftContact *c);
void draft_path_free     (DraftPath *p);
void draft_phase_free    (DraftPhase *p);
void draft_link_free     (DraftLink *l);
void draft_action_free   (DraftAction *a);
void draft_input_free    (DraftInput *input);
void draft_service_free  (DraftService *s);
void draft_template_free (DraftTemplate *t);

/* Words that mark a document, or a section, as part of incident response. */
extern const char *const import_incident_words[];

G_END_DECLS
