/* sitrep-action-input.c: a value typed for an action's input, checked before anything uses it
 *
 * Every input value is checked before a command line is built, so a dialog never shows, and a
 * process never receives, a value that a shell or kubectl could read as more than one value.
 * Commands are argv, never a shell; the checks still refuse shell syntax, since a command line
 * copied from the dialog into a terminal must mean the same thing there.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sitrep-action.h"
#include "sitrep-template.h"

static const char *
input_label (const SitrepActionInput *input)
{
  return input->label != NULL ? input->label : input->name;
}

static gboolean G_GNUC_PRINTF (3, 4)
refuse (GError                 **error,
        const SitrepActionInput *input,
        const char              *format,
        ...)
{
  g_autofree char *why = NULL;
  va_list args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  /* TRANSLATORS: "Replicas: the value is empty" */
  g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_INVALID_INPUT, _("%s: %s"),
               input_label (input), why);
  return FALSE;
}

/* A secret never reaches a shell or a command line, so only what an environment variable or
 * one line of standard input cannot carry is refused; and nothing says what the value was. */
static gboolean
check_secret (const SitrepActionInput *input,
              const char              *value,
              GError                 **error)
{
  if (!g_utf8_validate (value, -1, NULL))
    return refuse (error, input, _("the value is not valid UTF-8 text"));
  if (*value == '\0')
    return refuse (error, input, _("the value is empty"));
  if (strlen (value) > SITREP_ACTION_MAX_SECRET)
    return refuse (error, input, _("the value is longer than %d bytes"), SITREP_ACTION_MAX_SECRET);
  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return refuse (error, input, _("the value contains a line break or another control "
                                     "character"));
  return TRUE;
}

/* The checks every value passes, whatever its type: those of a command-line argument, which
 * the command line is built with. */
static gboolean
check_characters (const SitrepActionInput *input,
                  const char              *value,
                  GError                 **error)
{
  g_autoptr(GError) why = NULL;

  if (!sitrep_template_check_argv_value (value, &why))
    return refuse (error, input, "%s", why->message);
  return TRUE;
}

static gboolean
check_integer (const SitrepActionInput *input,
               const char              *value,
               char                   **normalized,
               GError                 **error)
{
  guint64 number;

  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return refuse (error, input, _("the value is not a whole number (digits 0 to 9 only)"));
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &number, NULL))
    return refuse (error, input, _("the value is too large"));
  /* Bounds are 32-bit in the runbook format, so %d holds them and translators see the format. */
  if (input->has_min && (gint64) number < input->min)
    return refuse (error, input, _("%s is less than the minimum, %d"), value, (int) input->min);
  if (input->has_max && (gint64) number > input->max)
    return refuse (error, input, _("%s is more than the maximum, %d"), value, (int) input->max);
  if (normalized != NULL)
    *normalized = g_strdup_printf ("%" G_GUINT64_FORMAT, number);
  return TRUE;
}

/**
 * sitrep_action_validate_input:
 * @input: the runbook's description of the input
 * @value: (nullable): the value given
 * @offered: (nullable): for a choice filled from a command, the choices that were offered
 * @normalized: (out) (optional): the value to use, e.g. "4" for "04"
 *
 * Returns: whether @value may go into a command line; if not, @error says why, naming the input.
 */
gboolean
sitrep_action_validate_input (const SitrepActionInput *input,
                              const char              *value,
                              const char *const       *offered,
                              char                   **normalized,
                              GError                 **error)
{
  g_return_val_if_fail (input != NULL, FALSE);

  if (value == NULL)
    {
      g_set_error (error, SITREP_ACTION_ERROR, SITREP_ACTION_ERROR_MISSING_INPUT,
                   _("%s: a value is needed"), input_label (input));
      return FALSE;
    }
  if (input->secret ? !check_secret (input, value, error) : !check_characters (input, value, error))
    return FALSE;

  switch (input->type)
    {
    case SITREP_INPUT_INTEGER:
      return check_integer (input, value, normalized, error);

    case SITREP_INPUT_CHOICE:
      if (offered == NULL)
        offered = (const char *const *) input->choices;
      if (offered == NULL)
        return refuse (error, input, _("no choices were loaded for it yet"));
      if (!g_strv_contains (offered, value))
        return refuse (error, input, _("“%s” is not one of the offered choices"), value);
      break;

    case SITREP_INPUT_STRING:
      if (input->pattern != NULL)
        {
          g_autofree char *anchored = g_strdup_printf ("^(?:%s)$", input->pattern);
          g_autoptr(GRegex) regex = g_regex_new (anchored, G_REGEX_DOLLAR_ENDONLY, 0, NULL);

          if (regex == NULL)
            return refuse (error, input, _("the runbook's pattern for it does not compile"));
          if (!g_regex_match (regex, value, 0, NULL))
            return refuse (error, input, _("the value does not match the pattern %s"),
                           input->pattern);
        }
      break;

    default:
      g_assert_not_reached ();
    }

  if (normalized != NULL)
    *normalized = g_strdup (value);
  return TRUE;
}
