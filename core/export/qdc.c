/*
 * qdc.c — the codebook exchange file (REFI-QDA Codebook.xsd) through
 * libxml2's writer: the code tree with names, descriptions and colours,
 * GUIDs derived from the code paths. A code's rules (patterns) have no
 * place in the format and are not written; docs/exchange.md says what is
 * lost.
 */
#include "export/qdc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/refi.h"
#include "store/query.h"

/* "#RRGGBB" from a stored "#rgb" or "#rrggbb" (any case); NULL otherwise. */
static char *rgb(const char *s) {
  size_t n = strlen(s);
  if ((n != 4 && n != 7) || s[0] != '#') return NULL;
  for (size_t i = 1; i < n; i++)
    if (!isxdigit((unsigned char)s[i])) return NULL;
  char *out = thema_xmalloc(8);
  out[0] = '#';
  for (int i = 0; i < 6; i++)
    out[1 + i] = (char)toupper((unsigned char)(n == 7 ? s[1 + i] : s[1 + i / 2]));
  out[7] = '\0';
  return out;
}

static char *col_dup(ThemaCursor *c, const char *name) {
  int i = thema_cursor_column(c, name);
  if (thema_cursor_type(c, i) == THEMA_VALUE_NULL) return NULL;
  return thema_xstrdup(thema_cursor_text(c, i, NULL));
}

static const ThemaCodeTree *sort_tree; /* for by_name: qsort has no user data */

static int by_name(const void *a, const void *b) {
  const ThemaCodeNode *x = &sort_tree->nodes[*(const int *)a];
  const ThemaCodeNode *y = &sort_tree->nodes[*(const int *)b];
  int c = strcmp(x->name, y->name);
  return c ? c : strcmp(x->path, y->path);
}

int thema_code_tree_load(ThemaStore *st, ThemaCodeTree *t, ThemaError *err) {
  ThemaCursor *c = NULL;
  if (thema_query_open(st, THEMA_CODES, NULL, 0, &c, err)) return err->status;
  int rc, cap = 0;
  while ((rc = thema_cursor_step(c, err)) == 1) {
    if (t->n == cap) {
      cap = cap ? 2 * cap : 64;
      t->nodes = thema_xrealloc(t->nodes, (size_t)cap * sizeof *t->nodes);
    }
    ThemaCodeNode *k = &t->nodes[t->n++];
    memset(k, 0, sizeof *k);
    k->id = thema_cursor_int(c, thema_cursor_column(c, "id"));
    k->path = col_dup(c, "path");
    k->name = col_dup(c, "name");
    k->description = col_dup(c, "description");
    char *colour = col_dup(c, "colour");
    k->colour = colour ? rgb(colour) : NULL;
    free(colour);
    k->parent = -1;
  }
  thema_cursor_close(c);
  if (rc < 0) return err->status;
  /* Parents by path: the nodes are in path order, so a binary search finds
   * each parent's path. */
  for (int i = 0; i < t->n; i++) {
    const char *slash = strrchr(t->nodes[i].path, '/');
    if (!slash) continue;
    size_t plen = (size_t)(slash - t->nodes[i].path);
    int lo = 0, hi = t->n - 1, found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) / 2;
      int cmp = strncmp(t->nodes[mid].path, t->nodes[i].path, plen);
      if (cmp == 0 && t->nodes[mid].path[plen]) cmp = 1;
      if (cmp == 0) {
        found = mid;
        break;
      }
      if (cmp < 0)
        lo = mid + 1;
      else
        hi = mid - 1;
    }
    t->nodes[i].parent = found;
  }
  for (int i = 0; i < t->n; i++) {
    int p = t->nodes[i].parent;
    if (p < 0) continue;
    ThemaCodeNode *pn = &t->nodes[p];
    pn->children =
        thema_xrealloc(pn->children, (size_t)(pn->nchildren + 1) * sizeof *pn->children);
    pn->children[pn->nchildren++] = i;
  }
  sort_tree = t;
  for (int i = 0; i < t->n; i++)
    if (t->nodes[i].nchildren > 1)
      qsort(t->nodes[i].children, (size_t)t->nodes[i].nchildren, sizeof(int), by_name);
  return THEMA_OK;
}

void thema_code_tree_free(ThemaCodeTree *t) {
  for (int i = 0; i < t->n; i++) {
    ThemaCodeNode *k = &t->nodes[i];
    free(k->path);
    free(k->name);
    free(k->description);
    free(k->colour);
    free(k->children);
  }
  free(t->nodes);
  t->nodes = NULL;
  t->n = 0;
}

#define X(s) ((const xmlChar *)(s))

static int write_code(xmlTextWriterPtr w, const ThemaCodeTree *t, int i,
                      ThemaCodeExtra extra, void *ud) {
  const ThemaCodeNode *k = &t->nodes[i];
  char guid[37];
  thema_refi_guid(guid, "code", k->path, 0);
  if (xmlTextWriterStartElement(w, X("Code")) < 0 ||
      xmlTextWriterWriteAttribute(w, X("guid"), X(guid)) < 0 ||
      xmlTextWriterWriteAttribute(w, X("name"), X(k->name)) < 0 ||
      xmlTextWriterWriteAttribute(w, X("isCodable"), X("true")) < 0 ||
      (k->colour && xmlTextWriterWriteAttribute(w, X("color"), X(k->colour)) < 0) ||
      (k->description && *k->description &&
       xmlTextWriterWriteElement(w, X("Description"), X(k->description)) < 0) ||
      (extra && extra(ud, w, k) < 0))
    return -1;
  for (int c = 0; c < k->nchildren; c++)
    if (write_code(w, t, k->children[c], extra, ud) < 0) return -1;
  return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

int thema_qdc_write_codes(xmlTextWriterPtr w, const ThemaCodeTree *t, ThemaCodeExtra extra,
                          void *ud) {
  if (t->n == 0) return 0;
  /* Themes in name order, like the children of every code. */
  int *roots = thema_xmalloc((size_t)t->n * sizeof *roots), nroots = 0;
  for (int i = 0; i < t->n; i++)
    if (t->nodes[i].parent < 0) roots[nroots++] = i;
  sort_tree = t;
  qsort(roots, (size_t)nroots, sizeof *roots, by_name);
  int rc = xmlTextWriterStartElement(w, X("Codes")) < 0 ? -1 : 0;
  for (int i = 0; i < nroots && rc == 0; i++) rc = write_code(w, t, roots[i], extra, ud);
  if (rc == 0 && xmlTextWriterEndElement(w) < 0) rc = -1;
  free(roots);
  return rc;
}

int thema_export_qdc(ThemaStore *st, const char *path, ThemaError *err) {
  ThemaCodeTree tree = {0};
  ThemaBuf tmp = {0};
  xmlTextWriterPtr w = NULL;
  if (thema_code_tree_load(st, &tree, err)) goto done;
  if (tree.n == 0) {
    thema_error_set(err, THEMA_EINPUT,
                    "%s: the store has no codes; import a codebook first", path);
    goto done;
  }
  thema_buf_printf(&tmp, "%s.tmp", path);
  w = xmlNewTextWriterFilename(tmp.data, 0);
  if (!w) {
    thema_error_set(err, THEMA_EINPUT, "%s: cannot write", tmp.data);
    goto done;
  }
  xmlTextWriterSetIndent(w, 1);
  xmlTextWriterSetIndentString(w, X("  "));
  int rc = xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ||
           xmlTextWriterStartElement(w, X("CodeBook")) < 0 ||
           xmlTextWriterWriteAttribute(w, X("xmlns"), X("urn:QDA-XML:codebook:1.0")) < 0 ||
           xmlTextWriterWriteAttribute(w, X("origin"), X("thema " THEMA_VERSION)) < 0 ||
           thema_qdc_write_codes(w, &tree, NULL, NULL) < 0 ||
           xmlTextWriterEndDocument(w) < 0;
  xmlFreeTextWriter(w);
  w = NULL;
  if (rc) {
    thema_error_set(err, THEMA_ERUNTIME, "%s: write failed", tmp.data);
    goto done;
  }
  if (rename(tmp.data, path) != 0)
    thema_error_set(err, THEMA_ERUNTIME, "%s: cannot rename into place", path);
done:
  if (err->status && tmp.data) unlink(tmp.data);
  thema_code_tree_free(&tree);
  thema_buf_free(&tmp);
  return err->status;
}
