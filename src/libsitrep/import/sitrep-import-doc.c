/* sitrep-import-doc.c: a Markdown runbook read with cmark-gfm into sections of blocks */
#include "config.h"

#include <string.h>
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "sitrep-import-private.h"

void
import_link_free (ImportLink *link)
{
  g_free (link->text);
  g_free (link->url);
  g_free (link);
}

static void
item_free (ImportItem *item)
{
  g_free (item->text);
  g_clear_pointer (&item->children, g_ptr_array_unref);
  g_clear_pointer (&item->codes, g_ptr_array_unref);
  g_free (item);
}

static void
block_free (ImportBlock *block)
{
  g_free (block->text);
  g_free (block->lead);
  g_free (block->rest);
  g_clear_pointer (&block->items, g_ptr_array_unref);
  g_free (block->info);
  g_free (block->literal);
  g_clear_pointer (&block->rows, g_ptr_array_unref);
  g_clear_pointer (&block->row_lines, g_array_unref);
  g_clear_pointer (&block->links, g_ptr_array_unref);
  g_clear_pointer (&block->codes, g_ptr_array_unref);
  g_free (block);
}

static void
section_free (ImportSection *section)
{
  g_free (section->title);
  g_ptr_array_unref (section->blocks);
  g_free (section);
}

void
import_doc_free (ImportDoc *doc)
{
  g_ptr_array_unref (doc->sections);
  g_hash_table_unref (doc->front);
  g_free (doc);
}

static const char *
type_string (cmark_node *node)
{
  return cmark_node_get_type_string (node);
}

/* The plain text of inline content: code without backticks, links as their text, line breaks
 * as spaces, <br> as a space. Links and code spans are collected on the way. */
static void
append_inline_text (GString    *out,
                    cmark_node *node,
                    GPtrArray  *links,
                    GPtrArray  *codes,
                    guint       line)
{
  for (cmark_node *child = cmark_node_first_child (node); child != NULL;
       child = cmark_node_next (child))
    {
      switch (cmark_node_get_type (child))
        {
        case CMARK_NODE_TEXT:
          g_string_append (out, cmark_node_get_literal (child));
          break;
        case CMARK_NODE_CODE:
          g_string_append (out, cmark_node_get_literal (child));
          if (codes != NULL)
            g_ptr_array_add (codes, g_strdup (cmark_node_get_literal (child)));
          break;
        case CMARK_NODE_SOFTBREAK:
          g_string_append_c (out, '\n');
          break;
        case CMARK_NODE_LINEBREAK:
          g_string_append_c (out, '\n');
          break;
        case CMARK_NODE_HTML_INLINE:
          if (g_ascii_strncasecmp (cmark_node_get_literal (child), "<br", 3) == 0)
            g_string_append_c (out, '\n');
          break;
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE:
          {
            gsize start = out->len;
            ImportLink *link;

            append_inline_text (out, child, links, codes, line);
            if (links != NULL && cmark_node_get_type (child) == CMARK_NODE_LINK)
              {
                link = g_new0 (ImportLink, 1);
                link->text = g_strndup (out->str + start, out->len - start);
                link->url = g_strdup (cmark_node_get_url (child));
                link->line = line;
                g_ptr_array_add (links, link);
              }
          }
          break;
        default:
          append_inline_text (out, child, links, codes, line);
          break;
        }
    }
}

static char *
inline_text (cmark_node *node,
             GPtrArray  *links,
             GPtrArray  *codes,
             guint       line)
{
  g_autoptr(GString) out = g_string_new (NULL);

  append_inline_text (out, node, links, codes, line);
  return g_strstrip (g_string_free (g_steal_pointer (&out), FALSE));
}

static ImportBlock *
block_new (ImportBlockKind kind,
           cmark_node     *node)
{
  ImportBlock *block = g_new0 (ImportBlock, 1);

  block->kind = kind;
  block->line = MAX (cmark_node_get_start_line (node), 1);
  block->links = g_ptr_array_new_with_free_func ((GDestroyNotify) import_link_free);
  block->codes = g_ptr_array_new_with_free_func (g_free);
  return block;
}

static ImportBlock *
read_paragraph (cmark_node *node)
{
  ImportBlock *block = block_new (IMPORT_BLOCK_PARAGRAPH, node);
  cmark_node *first = cmark_node_first_child (node);

  block->text = inline_text (node, block->links, block->codes, block->line);
  /* "**Symptoms:** 5xx errors": the bold lead names what follows. */
  if (first != NULL && cmark_node_get_type (first) == CMARK_NODE_STRONG)
    {
      g_autoptr(GString) rest = g_string_new (NULL);

      block->lead = inline_text (first, NULL, NULL, block->line);
      /* The rest is the text after the lead, which starts the paragraph's text. */
      if (g_str_has_prefix (block->text, block->lead))
        g_string_append (rest, block->text + strlen (block->lead));
      block->rest = g_strstrip (g_string_free (g_steal_pointer (&rest), FALSE));
    }
  return block;
}

static ImportItem *read_item (cmark_node *node,
                              GPtrArray  *links);

static GPtrArray *
read_items (cmark_node *list,
            GPtrArray  *links)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);

  for (cmark_node *child = cmark_node_first_child (list); child != NULL;
       child = cmark_node_next (child))
    g_ptr_array_add (items, read_item (child, links));
  return items;
}

static ImportItem *
read_item (cmark_node *node,
           GPtrArray  *links)
{
  ImportItem *item = g_new0 (ImportItem, 1);
  g_autoptr(GString) text = g_string_new (NULL);

  item->line = MAX (cmark_node_get_start_line (node), 1);
  item->task = g_strcmp0 (type_string (node), "tasklist") == 0;
  item->checked = item->task && cmark_gfm_extensions_get_tasklist_item_checked (node);
  item->codes = g_ptr_array_new_with_free_func (g_free);
  item->children = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);

  for (cmark_node *child = cmark_node_first_child (node); child != NULL;
       child = cmark_node_next (child))
    {
      switch (cmark_node_get_type (child))
        {
        case CMARK_NODE_PARAGRAPH:
          {
            g_autofree char *part = inline_text (child, links, item->codes, item->line);

            if (text->len > 0)
              g_string_append_c (text, '\n');
            g_string_append (text, part);
          }
          break;
        case CMARK_NODE_LIST:
          {
            g_autoptr(GPtrArray) sub = read_items (child, links);

            for (guint i = 0; i < sub->len; i++)
              g_ptr_array_add (item->children, g_ptr_array_steal_index (sub, i--));
          }
          break;
        case CMARK_NODE_CODE_BLOCK:
          g_ptr_array_add (item->codes, g_strdup (cmark_node_get_literal (child)));
          break;
        default:
          break;
        }
    }
  item->text = g_strstrip (g_string_free (g_steal_pointer (&text), FALSE));
  return item;
}

static ImportBlock *
read_table (cmark_node *node)
{
  ImportBlock *block = block_new (IMPORT_BLOCK_TABLE, node);

  block->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  block->row_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  for (cmark_node *row = cmark_node_first_child (node); row != NULL; row = cmark_node_next (row))
    {
      g_autoptr(GPtrArray) cells = g_ptr_array_new ();
      guint line = MAX (cmark_node_get_start_line (row), 1);

      for (cmark_node *cell = cmark_node_first_child (row); cell != NULL;
           cell = cmark_node_next (cell))
        g_ptr_array_add (cells, inline_text (cell, block->links, block->codes, line));
      g_ptr_array_add (cells, NULL);
      g_ptr_array_add (block->rows, g_ptr_array_steal (cells, NULL));
      g_array_append_val (block->row_lines, line);
    }
  return block;
}

static void
read_blocks (ImportDoc      *doc,
             cmark_node     *parent,
             ImportSection **current)
{
  for (cmark_node *node = cmark_node_first_child (parent); node != NULL;
       node = cmark_node_next (node))
    {
      ImportBlock *block = NULL;

      switch (cmark_node_get_type (node))
        {
        case CMARK_NODE_HEADING:
          {
            ImportSection *section = g_new0 (ImportSection, 1);
            ImportSection *up = *current;

            section->level = cmark_node_get_heading_level (node);
            section->line = MAX (cmark_node_get_start_line (node), 1);
            section->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
            {
              g_autofree char *raw = inline_text (node, NULL, NULL, section->line);
              g_autofree char *unmarked = import_strip_markers (raw);

              section->title = g_strdelimit (import_strip_numbering (unmarked), "\n", ' ');
            }
            while (up != NULL && up->level >= section->level)
              up = up->parent;
            section->parent = up;
            g_ptr_array_add (doc->sections, section);
            *current = section;
          }
          break;
        case CMARK_NODE_PARAGRAPH:
          block = read_paragraph (node);
          break;
        case CMARK_NODE_LIST:
          block = block_new (IMPORT_BLOCK_LIST, node);
          block->ordered = cmark_node_get_list_type (node) == CMARK_ORDERED_LIST;
          block->items = read_items (node, block->links);
          break;
        case CMARK_NODE_CODE_BLOCK:
          {
            /* cmark_node_get_fenced() writes through every pointer it is given. */
            int fence_length = 0, fence_offset = 0;
            char fence_char = 0;

            block = block_new (cmark_node_get_fenced (node, &fence_length, &fence_offset, &fence_char)
                                 ? IMPORT_BLOCK_CODE : IMPORT_BLOCK_INDENTED, node);
          }
          block->info = g_strstrip (g_strdup (cmark_node_get_fence_info (node)));
          block->literal = g_strdup (cmark_node_get_literal (node));
          break;
        case CMARK_NODE_HTML_BLOCK:
          block = block_new (IMPORT_BLOCK_HTML, node);
          block->text = g_strdup (cmark_node_get_literal (node));
          break;
        case CMARK_NODE_BLOCK_QUOTE:
          /* A quote's paragraphs and lists belong to the section around it. */
          read_blocks (doc, node, current);
          break;
        default:
          if (g_strcmp0 (type_string (node), "table") == 0)
            block = read_table (node);
          break;
        }
      if (block != NULL)
        g_ptr_array_add ((*current)->blocks, block);
    }
}

/* YAML front matter ("---" … "---" at the very top) is not Markdown: cmark would read it as a
 * rule and a heading. Its "key: value" lines are kept and the block is blanked, keeping the
 * line numbers. */
static char *
take_front_matter (const char *text,
                   gsize       length,
                   GHashTable *front)
{
  char *copy = g_strndup (text, length);
  char *end;
  char *p;

  if (!g_str_has_prefix (copy, "---\n"))
    return copy;
  end = strstr (copy + 4, "\n---");
  if (end == NULL || (end[4] != '\n' && end[4] != '\0') || end - copy > 8000)
    return copy;
  for (p = copy + 4; p < end;)
    {
      char *eol = strchr (p, '\n');
      char *colon;

      if (eol == NULL || eol > end)
        eol = end;
      colon = memchr (p, ':', eol - p);
      if (colon != NULL && colon > p && !g_ascii_isspace (*p))
        {
          g_autofree char *key = g_strndup (p, colon - p);
          g_autofree char *value = g_strndup (colon + 1, eol - colon - 1);

          g_hash_table_insert (front, g_strdup (g_strstrip (key)),
                               g_strdup (g_strstrip (value)));
        }
      p = eol + 1;
    }
  for (p = copy; p < end + 4; p++)
    if (*p != '\n')
      *p = ' ';
  return copy;
}

ImportDoc *
import_doc_parse (const char *text,
                  gsize       length)
{
  ImportDoc *doc = g_new0 (ImportDoc, 1);
  g_autofree char *body = NULL;
  static const char *const extensions[] = { "table", "tasklist", "strikethrough", "autolink" };
  cmark_parser *parser;
  cmark_node *root;
  ImportSection *current;

  doc->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_free);
  doc->front = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  body = take_front_matter (text, length, doc->front);

  cmark_gfm_core_extensions_ensure_registered ();
  parser = cmark_parser_new (CMARK_OPT_DEFAULT);
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      cmark_syntax_extension *extension = cmark_find_syntax_extension (extensions[i]);

      if (extension != NULL)
        cmark_parser_attach_syntax_extension (parser, extension);
    }
  cmark_parser_feed (parser, body, strlen (body));
  root = cmark_parser_finish (parser);

  current = g_new0 (ImportSection, 1);
  current->title = g_strdup ("");
  current->line = 1;
  current->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  g_ptr_array_add (doc->sections, current);
  read_blocks (doc, root, &current);
  for (guint i = 0; i < doc->sections->len; i++)
    {
      ImportSection *section = doc->sections->pdata[i];

      section->end_line = i + 1 < doc->sections->len
                            ? ((ImportSection *) doc->sections->pdata[i + 1])->line - 1
                            : G_MAXUINT;
    }

  cmark_node_free (root);
  cmark_parser_free (parser);
  return doc;
}
