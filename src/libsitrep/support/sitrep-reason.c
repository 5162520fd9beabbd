/* sitrep-reason.c: why something is not well, kept as data so that every reader sees it in
 * their own language
 *
 * A probe says why a service is down ("no answer within 3 s") in the language of the console
 * that ran it, and the reason is recorded on the incident's timeline. Stored as that sentence,
 * a German reader of an incident an English console recorded would read English inside German
 * events. So a reason keeps its untranslated message and its arguments, each a reason too
 * (a value shown as it is, or a phrase of its own: "status %s, expected %s%s" takes the phrase
 * "greater than "), and is packed as JSON for the store:
 *
 *   "words as they are"            a reason from elsewhere: shown untouched
 *   ["msgid", arg, arg, …]         a message: the msgid through the reader's translation, its
 *                                  %s and %N$s conversions taking the arguments in turn
 *   [["msgid", "plural", "N"], …]  a message with a count: the form the reader's language
 *                                  takes for N (ngettext)
 *
 * Only %s, %N$s and %% are conversions of a reason's message. A translation whose conversions
 * do not fit the arguments is not used (the msgid is); a packed reason that is not one (from a
 * tampered database, or another program) renders as nothing, and the caller shows what else it
 * has. Nesting, arguments and the rendered text are bounded, so no stored text can make
 * rendering deep, slow or large.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-json.h"
#include "sitrep-reason.h"

#define MAX_ARGS 16
#define MAX_DEPTH 8
/* What a stored reason may render to at most: a message may use an argument many times. */
#define MAX_RENDERED 8192

struct _SitrepReason
{
  gatomicrefcount ref;
  char *msgid;          /* NULL for words shown as they are */
  char *plural;         /* with a count: the msgid's plural, and the count */
  gulong n;
  char *text;           /* the reason in this process's language */
  guint n_args;
  SitrepReason **args;
};

G_DEFINE_BOXED_TYPE (SitrepReason, sitrep_reason, sitrep_reason_ref, sitrep_reason_unref)

/* The number of arguments @format's conversions take, or -1 when it has one a reason's
 * message cannot have. A format mixing %s and %N$s counts the larger of the two. */
static int
count_args (const char *format)
{
  guint next = 0, highest = 0;

  for (const char *p = strchr (format, '%'); p != NULL; p = strchr (p, '%'))
    {
      const char *q = p + 1;
      guint64 index = 0;

      if (*q == '%')
        {
          p = q + 1;
          continue;
        }
      if (g_ascii_isdigit (*q))
        {
          while (g_ascii_isdigit (*q) && index <= MAX_ARGS)
            index = index * 10 + (*q++ - '0');
          if (*q++ != '$' || index == 0 || index > MAX_ARGS)
            return -1;
        }
      else
        index = ++next;
      if (*q != 's' || index > MAX_ARGS)
        return -1;
      highest = MAX (highest, (guint) index);
      p = q + 1;
    }
  return highest;
}

/* @format with its conversions replaced by @args; NULL when it takes more than @n_args, or
 * when the text would grow past @limit bytes. */
static char *
substitute (const char        *format,
            const char *const *args,
            guint              n_args,
            gsize              limit)
{
  g_autoptr(GString) out = g_string_new (NULL);
  int wanted = count_args (format);
  guint next = 0;
  const char *p = format;

  if (wanted < 0 || (guint) wanted > n_args)
    return NULL;
  for (const char *percent = strchr (p, '%'); percent != NULL; percent = strchr (p, '%'))
    {
      const char *q = percent + 1;
      guint index = 0;

      g_string_append_len (out, p, percent - p);
      if (*q == '%')
        {
          g_string_append_c (out, '%');
          p = q + 1;
          continue;
        }
      if (g_ascii_isdigit (*q))
        {
          while (g_ascii_isdigit (*q))
            index = index * 10 + (*q++ - '0');
          q++; /* the '$' count_args() saw */
        }
      else
        index = ++next;
      if (out->len + strlen (args[index - 1]) > limit)
        return NULL;
      g_string_append (out, args[index - 1]);
      p = q + 1;
    }
  if (out->len + strlen (p) > limit)
    return NULL;
  g_string_append (out, p);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* TRUE when @msgid has a letter outside its conversions: a sentence to translate. */
static gboolean
has_words (const char *msgid)
{
  for (const char *p = msgid; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (*p == '%')
        {
          /* "%%", "%s" or "%N$s": the letters of a conversion are not words. */
          p++;
          while (g_ascii_isdigit (*p) || *p == '$')
            p++;
          if (*p == '\0')
            return FALSE;
          continue;
        }
      if (g_unichar_isalpha (g_utf8_get_char (p)))
        return TRUE;
    }
  return FALSE;
}

/* @msgid (or with @plural, its form for @n) in this process's language with @args: the
 * translation when it fits, else the untranslated form. */
static char *
render (const char        *msgid,
        const char        *plural,
        gulong             n,
        const char *const *args,
        guint              n_args,
        gsize              limit)
{
  const char *untranslated = plural == NULL || n == 1 ? msgid : plural;
  const char *translated = untranslated;
  char *text;

  if (!has_words (msgid))
    ; /* "%s: %s" joins reasons: nothing to translate, whatever a catalogue has for it */
  else if (plural != NULL)
    translated = g_dngettext (GETTEXT_PACKAGE, msgid, plural, n);
  else
    translated = g_dgettext (GETTEXT_PACKAGE, msgid);
  text = substitute (translated, args, n_args, limit);
  if (text == NULL && translated != untranslated)
    text = substitute (untranslated, args, n_args, limit);
  return text;
}

static SitrepReason *
new_message (const char *msgid,
             const char *plural,
             gulong      n,
             va_list     ap)
{
  SitrepReason *self;
  const char *args[MAX_ARGS];
  int n_args = count_args (msgid);
  int n_plural_args = plural != NULL ? count_args (plural) : 0;

  if (n_args < 0 || n_plural_args < 0)
    {
      /* A programming error: its arguments cannot be known, so they are not read. */
      g_critical ("“%s” has a conversion a reason's message cannot have", msgid);
      return sitrep_reason_new_text (msgid);
    }

  self = g_new0 (SitrepReason, 1);
  g_atomic_ref_count_init (&self->ref);
  self->msgid = g_strdup (msgid);
  self->plural = g_strdup (plural);
  self->n = n;
  self->n_args = MAX (n_args, n_plural_args);
  self->args = g_new0 (SitrepReason *, MAX (1, self->n_args));
  for (guint i = 0; i < self->n_args; i++)
    {
      self->args[i] = va_arg (ap, SitrepReason *);
      if (self->args[i] == NULL)
        self->args[i] = sitrep_reason_new_text ("");
      args[i] = self->args[i]->text;
    }
  self->text = render (msgid, plural, n, args, self->n_args, G_MAXSIZE);
  return self;
}

/**
 * sitrep_reason_new:
 * @msgid: a message marked with N_(), untranslated; its only conversions are %s and %N$s
 * @...: a #SitrepReason for each argument the conversions take (transfer full)
 *
 * Returns: (transfer full): the reason, with @msgid rendered in this process's language
 */
SitrepReason *
sitrep_reason_new (const char *msgid,
                   ...)
{
  SitrepReason *self;
  va_list ap;

  g_return_val_if_fail (msgid != NULL, NULL);

  va_start (ap, msgid);
  self = new_message (msgid, NULL, 0, ap);
  va_end (ap);
  return self;
}

/**
 * sitrep_reason_new_plural:
 * @msgid: the message for one, untranslated (xgettext finds it and @plural by this call's
 *   name, po/meson.build); conversions as sitrep_reason_new()'s
 * @plural: the message for more
 * @n: the count that chooses the form, in each reader's language
 * @...: a #SitrepReason for each argument (the count too, when the message shows it)
 *
 * Returns: (transfer full): the reason
 */
SitrepReason *
sitrep_reason_new_plural (const char *msgid,
                          const char *plural,
                          gulong      n,
                          ...)
{
  SitrepReason *self;
  va_list ap;

  g_return_val_if_fail (msgid != NULL && plural != NULL, NULL);

  va_start (ap, n);
  self = new_message (msgid, plural, n, ap);
  va_end (ap);
  return self;
}

/**
 * sitrep_reason_new_text:
 * @text: words from elsewhere: a value, a name, a library's error, a server's reply
 *
 * Returns: (transfer full): a reason every reader sees as @text
 */
SitrepReason *
sitrep_reason_new_text (const char *text)
{
  SitrepReason *self = g_new0 (SitrepReason, 1);

  g_atomic_ref_count_init (&self->ref);
  /* A server's reply may be anything: what cannot be stored as text is shown as U+FFFD. */
  self->text = g_utf8_make_valid (text ? text : "", -1);
  return self;
}

/* Words from elsewhere, formatted: a number, a quoted value. Never a sentence to translate. */
SitrepReason *
sitrep_reason_new_printf (const char *format,
                          ...)
{
  g_autofree char *text = NULL;
  va_list ap;

  va_start (ap, format);
  text = g_strdup_vprintf (format, ap);
  va_end (ap);
  return sitrep_reason_new_text (text);
}

SitrepReason *
sitrep_reason_ref (SitrepReason *reason)
{
  g_return_val_if_fail (reason != NULL, NULL);

  g_atomic_ref_count_inc (&reason->ref);
  return reason;
}

void
sitrep_reason_unref (SitrepReason *reason)
{
  g_return_if_fail (reason != NULL);

  if (!g_atomic_ref_count_dec (&reason->ref))
    return;
  for (guint i = 0; i < reason->n_args; i++)
    sitrep_reason_unref (reason->args[i]);
  g_free (reason->args);
  g_free (reason->msgid);
  g_free (reason->plural);
  g_free (reason->text);
  g_free (reason);
}

/* The reason in this process's language. */
const char *
sitrep_reason_to_string (const SitrepReason *reason)
{
  g_return_val_if_fail (reason != NULL, NULL);

  return reason->text;
}

/* TRUE when both say the same, whatever language either was rendered in. */
gboolean
sitrep_reason_equal (const SitrepReason *a,
                     const SitrepReason *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || g_strcmp0 (a->msgid, b->msgid) != 0 || a->n_args != b->n_args
      || g_strcmp0 (a->plural, b->plural) != 0 || a->n != b->n)
    return FALSE;
  if (a->msgid == NULL)
    return strcmp (a->text, b->text) == 0;
  for (guint i = 0; i < a->n_args; i++)
    if (!sitrep_reason_equal (a->args[i], b->args[i]))
      return FALSE;
  return TRUE;
}

static void
pack_string (GString    *out,
             const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
pack (GString            *out,
      const SitrepReason *reason)
{
  if (reason->msgid == NULL)
    {
      pack_string (out, reason->text);
      return;
    }
  g_string_append_c (out, '[');
  if (reason->plural != NULL)
    {
      g_string_append_c (out, '[');
      pack_string (out, reason->msgid);
      g_string_append_c (out, ',');
      pack_string (out, reason->plural);
      g_string_append_printf (out, ",\"%lu\"]", reason->n);
    }
  else
    pack_string (out, reason->msgid);
  for (guint i = 0; i < reason->n_args; i++)
    {
      g_string_append_c (out, ',');
      pack (out, reason->args[i]);
    }
  g_string_append_c (out, ']');
}

/**
 * sitrep_reason_pack:
 *
 * Returns: (transfer full): @reason as JSON text, for the store; sitrep_reason_render_packed()
 *   puts it into words again, in the reader's language
 */
char *
sitrep_reason_pack (const SitrepReason *reason)
{
  GString *out;

  g_return_val_if_fail (reason != NULL, NULL);

  out = g_string_new (NULL);
  pack (out, reason);
  return g_string_free (out, FALSE);
}

static const char *
skip_space (const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  return p;
}

/* ["msgid", "plural", "N"] at @p: its strings into @buffer; the text after it, or NULL. */
static const char *
read_plural (const char  *p,
             char       **buffer,
             const char **msgid,
             const char **plural,
             guint64     *n)
{
  const char *count;

  p = skip_space (p + 1);
  *msgid = *buffer;
  if (*p != '"' || (p = sitrep_json_read_string (p, buffer)) == NULL || **msgid == '\0')
    return NULL;
  p = skip_space (p);
  if (*p != ',' || *(p = skip_space (p + 1)) != '"')
    return NULL;
  *plural = *buffer;
  if ((p = sitrep_json_read_string (p, buffer)) == NULL)
    return NULL;
  p = skip_space (p);
  if (*p != ',' || *(p = skip_space (p + 1)) != '"')
    return NULL;
  count = *buffer;
  if ((p = sitrep_json_read_string (p, buffer)) == NULL
      || !g_ascii_string_to_unsigned (count, 10, 0, G_MAXULONG, n, NULL))
    return NULL;
  p = skip_space (p);
  return *p == ']' ? p + 1 : NULL;
}

/* The packed reason at @p rendered into *@text; the text after it, or NULL when it is not one.
 * @buffer holds the unescaped strings (as long as the whole packed text, so never short). */
static const char *
render_at (const char  *p,
           guint        depth,
           char       **buffer,
           char       **text)
{
  char *args[MAX_ARGS];
  const char *msgid;
  const char *plural = NULL;
  guint64 n = 0;
  guint n_args = 0;

  p = skip_space (p);
  if (*p == '"')
    {
      const char *words = *buffer;

      p = sitrep_json_read_string (p, buffer);
      if (p != NULL)
        *text = g_strdup (words);
      return p;
    }
  if (*p != '[' || depth >= MAX_DEPTH)
    return NULL;
  p = skip_space (p + 1);
  if (*p == '[')
    {
      p = read_plural (p, buffer, &msgid, &plural, &n);
      if (p == NULL)
        return NULL;
    }
  else
    {
      msgid = *buffer;
      if (*p != '"' || (p = sitrep_json_read_string (p, buffer)) == NULL)
        return NULL;
    }
  for (p = skip_space (p); *p == ','; p = skip_space (p))
    {
      if (n_args == MAX_ARGS)
        {
          p = NULL;
          break;
        }
      args[n_args] = NULL;
      p = render_at (p + 1, depth + 1, buffer, &args[n_args]);
      if (p == NULL)
        break;
      n_args++;
    }
  /* Both forms must be messages: a reader with another plural rule takes the other one. */
  if (plural != NULL && (count_args (msgid) < 0 || count_args (plural) < 0))
    p = NULL;
  if (p != NULL && *p == ']')
    *text = render (msgid, plural, n, (const char *const *) args, n_args, MAX_RENDERED);
  for (guint i = 0; i < n_args; i++)
    g_free (args[i]);
  return p != NULL && *p == ']' && *text != NULL ? p + 1 : NULL;
}

/**
 * sitrep_reason_render_packed:
 * @packed: what sitrep_reason_pack() made, read back from a store
 *
 * Returns: (transfer full) (nullable): the reason in this process's language; %NULL when
 *   @packed is not a packed reason
 */
char *
sitrep_reason_render_packed (const char *packed)
{
  g_autofree char *buffer = NULL;
  char *out;
  char *text = NULL;
  const char *end;

  if (packed == NULL)
    return NULL;
  buffer = g_malloc (strlen (packed) + 1);
  out = buffer;
  end = render_at (packed, 0, &out, &text);
  if (end == NULL || *skip_space (end) != '\0')
    {
      g_free (text);
      return NULL;
    }
  return text;
}

/* The private part of an error of a domain registered here: GLib keeps it just before the
 * GError, aligned as G_DEFINE_EXTENDED_ERROR() finds it. */
typedef struct
{
  SitrepReason *why;
} ErrorPrivate;

#define MAX_ERROR_DOMAINS 8

static GQuark error_domains[MAX_ERROR_DOMAINS];
static guint n_error_domains;
static GMutex error_domains_lock;

static ErrorPrivate *
error_private (const GError *error)
{
  const gsize alignment = 2 * sizeof (gsize);
  const gsize size = (sizeof (ErrorPrivate) + (alignment - 1)) & -alignment;

  return (ErrorPrivate *) (((guint8 *) error) - size);
}

static void
error_private_init (GError *error)
{
  error_private (error)->why = NULL;
}

static void
error_private_copy (const GError *src,
                    GError       *dest)
{
  SitrepReason *why = error_private (src)->why;

  error_private (dest)->why = why != NULL ? sitrep_reason_ref (why) : NULL;
}

static void
error_private_clear (GError *error)
{
  g_clear_pointer (&error_private (error)->why, sitrep_reason_unref);
}

static gboolean
is_reason_domain (GQuark domain)
{
  gboolean found = FALSE;

  g_mutex_lock (&error_domains_lock);
  for (guint i = 0; i < n_error_domains && !found; i++)
    found = error_domains[i] == domain;
  g_mutex_unlock (&error_domains_lock);
  return found;
}

/**
 * sitrep_reason_error_domain_register:
 * @name: the domain's quark string, static
 *
 * Registers an error domain whose errors carry their reason as data; call it once, from the
 * domain's quark function.
 *
 * Returns: the domain
 */
GQuark
sitrep_reason_error_domain_register (const char *name)
{
  GQuark domain = g_error_domain_register_static (name, sizeof (ErrorPrivate), error_private_init,
                                                  error_private_copy, error_private_clear);

  g_mutex_lock (&error_domains_lock);
  g_assert (n_error_domains < MAX_ERROR_DOMAINS);
  error_domains[n_error_domains++] = domain;
  g_mutex_unlock (&error_domains_lock);
  return domain;
}

/* An error of @domain (registered with sitrep_reason_error_domain_register()) whose message
 * is @why (transfer full) in this process's language, and which keeps @why as data. */
GError *
sitrep_reason_error_new (GQuark        domain,
                         int           code,
                         SitrepReason *why)
{
  GError *error;

  g_return_val_if_fail (why != NULL, NULL);
  g_return_val_if_fail (is_reason_domain (domain), NULL);

  error = g_error_new_literal (domain, code, sitrep_reason_to_string (why));
  error_private (error)->why = why;
  return error;
}

/**
 * sitrep_reason_from_error:
 *
 * Returns: (transfer full): why @error happened: as data when Sitrep said it, else its message
 */
SitrepReason *
sitrep_reason_from_error (const GError *error)
{
  SitrepReason *why;

  g_return_val_if_fail (error != NULL, NULL);

  why = is_reason_domain (error->domain) ? error_private (error)->why : NULL;
  /* A message changed since (g_prefix_error()) says more than the reason does. */
  if (why != NULL && g_strcmp0 (sitrep_reason_to_string (why), error->message) == 0)
    return sitrep_reason_ref (why);
  return sitrep_reason_new_text (error->message);
}
