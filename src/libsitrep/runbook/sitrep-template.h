/* sitrep-template.h: the one {placeholder} engine, parsed once and rendered by output rule */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SITREP_TEMPLATE_ERROR (sitrep_template_error_quark ())

typedef enum
{
  SITREP_TEMPLATE_ERROR_MISSING, /* a placeholder without a value, where every one needs one */
  SITREP_TEMPLATE_ERROR_VALUE,   /* a value the output rule refuses */
} SitrepTemplateError;

/* The longest value a command-line argument takes, in bytes. */
#define SITREP_TEMPLATE_ARGV_MAX_VALUE 256

typedef enum
{
  SITREP_TEMPLATE_SEGMENT_LITERAL,     /* text as written, "{{" and "}}" made single */
  SITREP_TEMPLATE_SEGMENT_PLACEHOLDER, /* {name} */
  SITREP_TEMPLATE_SEGMENT_STRAY_OPEN,  /* a '{' with no '}' before the next '{' or line break */
  SITREP_TEMPLATE_SEGMENT_STRAY_CLOSE, /* a single '}' outside a placeholder */
} SitrepTemplateSegmentKind;

typedef struct
{
  SitrepTemplateSegmentKind kind;
  gsize offset; /* bytes before the segment in the source; a placeholder's starts at its '{' */
  gsize length; /* in bytes, in the source */
  char *text;   /* the literal text, the placeholder's name, or the stray brace */
} SitrepTemplateSegment;

typedef struct _SitrepTemplateText SitrepTemplateText;

/* What a rendered text is for, and so how each value is made safe in it. */
typedef enum
{
  SITREP_TEMPLATE_PLAIN,    /* messages, titles: values as they are */
  SITREP_TEMPLATE_MARKDOWN, /* the post-mortem: a person's text cannot change the structure */
  SITREP_TEMPLATE_ARGV,     /* one argument: a person's value refused if a shell or kubectl could
                             * read it as more than one value */
  SITREP_TEMPLATE_URL,      /* a person's value percent-encoded */
} SitrepTemplateOutput;

/* Where a value comes from, which decides whether the output rule escapes or checks it. */
typedef enum
{
  SITREP_TEMPLATE_VALUE_TEXT,     /* typed by a person (or read from a database): any text */
  SITREP_TEMPLATE_VALUE_LINE,     /* the same, kept on one line */
  SITREP_TEMPLATE_VALUE_VERBATIM, /* already in the output's form: the runbook's own values, the
                                   * Markdown the console composed */
} SitrepTemplateValueKind;

/* What a placeholder without a value becomes. */
typedef enum
{
  SITREP_TEMPLATE_MISSING_SHOW,  /* "[name]", for a person to see and fill; an empty value too */
  SITREP_TEMPLATE_MISSING_KEEP,  /* "{name}", as written */
  SITREP_TEMPLATE_MISSING_ERROR, /* nothing is rendered; the error names it */
} SitrepTemplateMissing;

/* Returns the value of @name, or NULL when it has none; sets *@kind when it is not TEXT. */
typedef const char *(*SitrepTemplateLookup) (const char              *name,
                                             SitrepTemplateValueKind *kind,
                                             gpointer                 user_data);

GQuark              sitrep_template_error_quark       (void);

SitrepTemplateText *sitrep_template_text_parse        (const char                 *source);
void                sitrep_template_text_free         (SitrepTemplateText         *text);
const SitrepTemplateSegment *
                    sitrep_template_text_get_segments (const SitrepTemplateText   *text,
                                                       guint                      *n_segments);
char               *sitrep_template_text_render       (const SitrepTemplateText   *text,
                                                       SitrepTemplateOutput        output,
                                                       SitrepTemplateMissing       missing,
                                                       SitrepTemplateLookup        lookup,
                                                       gpointer                    user_data,
                                                       GPtrArray                  *unfilled,
                                                       GError                    **error);
char               *sitrep_template_expand            (const char                 *source,
                                                       SitrepTemplateOutput        output,
                                                       SitrepTemplateMissing       missing,
                                                       SitrepTemplateLookup        lookup,
                                                       gpointer                    user_data,
                                                       GPtrArray                  *unfilled,
                                                       GError                    **error);

gboolean            sitrep_template_check_argv_value  (const char                 *value,
                                                       GError                    **error);
char               *sitrep_template_escape_literal    (const char                 *text);

/* Values by name, each with its kind; sitrep_template_values_lookup() is their lookup. */
GHashTable         *sitrep_template_values_new        (void);
void                sitrep_template_values_take       (GHashTable                 *values,
                                                       const char                 *name,
                                                       SitrepTemplateValueKind     kind,
                                                       char                       *text);
const char         *sitrep_template_values_lookup     (const char                 *name,
                                                       SitrepTemplateValueKind    *kind,
                                                       gpointer                    values);
/* A lookup in a table of name → text, every value of the kind TEXT. */
const char         *sitrep_template_lookup_strings    (const char                 *name,
                                                       SitrepTemplateValueKind    *kind,
                                                       gpointer                    table);

char               *sitrep_template_render            (const char                 *body,
                                                       GHashTable                 *values,
                                                       GPtrArray                  *unfilled);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SitrepTemplateText, sitrep_template_text_free)

G_END_DECLS
