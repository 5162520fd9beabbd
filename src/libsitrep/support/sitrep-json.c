/* sitrep-json.c: members of a JSON object read from what someone else wrote, each of its type or nothing
 *
 * The journal, the notifications of the team database and the kept changes are JSON that
 * Sitrep wrote, but a file can be edited and anyone on the team database can send a
 * notification. json-glib's getters print a critical for a member of the wrong kind (an
 * object where a string was expected), and with G_DEBUG=fatal-criticals abort: these read
 * such a member as missing instead.
 */
#include "config.h"

#include "sitrep-json.h"

static JsonNode *
value (JsonObject *object,
       const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? node : NULL;
}

/* NULL when @name is missing or not a string. */
const char *
sitrep_json_string (JsonObject *object,
                    const char *name)
{
  JsonNode *node = value (object, name);

  return node != NULL ? json_node_get_string (node) : NULL;
}

/* 0 when @name is missing or not a number that fits (a fraction is cut off). */
gint64
sitrep_json_int (JsonObject *object,
                 const char *name)
{
  JsonNode *node = value (object, name);
  double d;

  if (node == NULL)
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE)
    return 0;
  /* 1e300 does not fit: converting it would be undefined. */
  d = json_node_get_double (node);
  return d >= (double) G_MININT64 && d < (double) G_MAXINT64 ? (gint64) d : 0;
}

gboolean
sitrep_json_boolean (JsonObject *object,
                     const char *name,
                     gboolean    fallback)
{
  JsonNode *node = value (object, name);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN
           ? json_node_get_boolean (node)
           : fallback;
}

double
sitrep_json_double (JsonObject *object,
                    const char *name,
                    double      fallback)
{
  JsonNode *node = value (object, name);

  if (node == NULL)
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  return json_node_get_value_type (node) == G_TYPE_DOUBLE ? json_node_get_double (node) : fallback;
}

/* NULL when @name is missing or not an object. */
JsonObject *
sitrep_json_object (JsonObject *object,
                    const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* NULL when @name is missing or not an array. */
JsonArray *
sitrep_json_array (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* The texts of array @name, what is not a text left out; NULL when @name is missing or not an
 * array. */
char **
sitrep_json_strv (JsonObject *object,
                  const char *name)
{
  JsonArray *array = sitrep_json_array (object, name);
  g_autoptr(GStrvBuilder) builder = NULL;

  if (array == NULL)
    return NULL;
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_string (element) != NULL)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

static int
hex_value (const char *p)
{
  int value = 0;

  for (int k = 0; k < 4; k++)
    {
      int digit = g_ascii_xdigit_value (p[k]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/**
 * sitrep_json_read_string:
 * @p: a JSON string's opening quote
 * @out: (inout): where its unescaped text goes, NUL-terminated; moved past it
 *
 * Reads a JSON string without a parser object, for the readers of many small documents.
 * *@out must have room for as many bytes as the rest of the text at @p.
 *
 * Returns: the text after the closing quote, or %NULL when @p is not a valid string
 */
const char *
sitrep_json_read_string (const char  *p,
                         char       **out)
{
  char *o = *out;

  if (*p++ != '"')
    return NULL;
  while (*p != '"')
    {
      if ((guchar) *p < 0x20)
        return NULL;
      if (*p != '\\')
        {
          *o++ = *p++;
          continue;
        }
      p++;
      switch (*p)
        {
        case '"': case '\\': case '/':
          *o++ = *p++;
          break;
        case 'b': *o++ = '\b'; p++; break;
        case 'f': *o++ = '\f'; p++; break;
        case 'n': *o++ = '\n'; p++; break;
        case 'r': *o++ = '\r'; p++; break;
        case 't': *o++ = '\t'; p++; break;
        case 'u':
          {
            int c = hex_value (p + 1);

            if (c < 0)
              return NULL;
            p += 5;
            if (c >= 0xd800 && c < 0xdc00)
              {
                int low = p[0] == '\\' && p[1] == 'u' ? hex_value (p + 2) : -1;

                if (low < 0xdc00 || low > 0xdfff)
                  return NULL;
                c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
                p += 6;
              }
            else if (c >= 0xdc00 && c < 0xe000)
              return NULL;
            o += g_unichar_to_utf8 (c, o);
          }
          break;
        default:
          return NULL;
        }
    }
  *o++ = '\0';
  if (!g_utf8_validate (*out, -1, NULL))
    return NULL;
  *out = o;
  return p + 1;
}
