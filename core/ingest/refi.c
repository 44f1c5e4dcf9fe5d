/*
 * refi.c — REFI-QDA XML in: libxml2 parses (no network, no entities), the
 * known deviations of other tools are repaired with a warning, and the
 * document is validated against the schema of the standard (Project.xsd or
 * Codebook.xsd, embedded at build time from tests/fixtures/refi-qda/, whose
 * README names their source).
 */
#include "ingest/refi.h"

#include "base/uuid.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char project_xsd[] =
#include "refi_project.inc"
    ;
static const char codebook_xsd[] =
#include "refi_codebook.inc"
    ;

#define X(s) ((const xmlChar *)(s))

static const char *const namespaces[] = {"urn:QDA-XML:project:1.0",
                                         "urn:QDA-XML:codebook:1.0"};
static const char *const roots[] = {"Project", "CodeBook"};
static const char *const families[] = {"urn:QDA-XML:project:", "urn:QDA-XML:codebook:"};

void thema_refi_guid(char out[37], const char *kind, const char *key, long n) {
  ThemaBuf name = {0};
  thema_buf_puts(&name, kind);
  thema_buf_putc(&name, '\0');
  thema_buf_puts(&name, key);
  if (n > 0) thema_buf_printf(&name, "%c%ld", '\0', n);
  ThemaUuid u = thema_uuid5(&thema_uuid_refi, name.data, name.len);
  thema_uuid_format(&u, 1, out);
  thema_buf_free(&name);
}

void thema_refi_key(const char *guid, char out[37]) {
  size_t n = guid ? strlen(guid) : 0, k = 0;
  out[0] = '\0';
  if (n == 38 && guid[0] == '{' && guid[37] == '}') guid++, n = 36;
  if (n != 36) return;
  for (; k < 36; k++) out[k] = (char)tolower((unsigned char)guid[k]);
  out[36] = '\0';
}

char *thema_refi_attr(xmlNodePtr node, const char *name) {
  return (char *)xmlGetProp(node, X(name));
}

static int is_el(xmlNodePtr n, const char *name) {
  return n && n->type == XML_ELEMENT_NODE && (!name || xmlStrcmp(n->name, X(name)) == 0);
}

xmlNodePtr thema_refi_child(xmlNodePtr node, const char *name) {
  for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
    if (is_el(c, name)) return c;
  return NULL;
}

xmlNodePtr thema_refi_next(xmlNodePtr node, const char *name) {
  for (xmlNodePtr c = node ? node->next : NULL; c; c = c->next)
    if (is_el(c, name)) return c;
  return NULL;
}

char *thema_refi_child_text(xmlNodePtr node, const char *name) {
  xmlNodePtr c = thema_refi_child(node, name);
  return c ? (char *)xmlNodeGetContent(c) : NULL;
}

int thema_refi_colour(const char *s, char out[8]) {
  static const char hex[] = "0123456789ABCDEF";
  unsigned v[3];
  size_t n = strlen(s);
  int ok = 1;
  if (s[0] == '#' && (n == 4 || n == 7 || n == 9)) {
    for (size_t i = 1; i < n; i++) ok &= isxdigit((unsigned char)s[i]) != 0;
    if (!ok) return 0;
    const char *d = n == 9 ? s + 3 : s + 1; /* #AARRGGBB: alpha first */
    for (int i = 0; i < 3; i++) {
      char pair[3] = {d[n == 4 ? i : 2 * i], d[n == 4 ? i : 2 * i + 1], 0};
      v[i] = (unsigned)strtoul(pair, NULL, 16);
    }
  } else if (sscanf(s, "rgb(%u,%u,%u)", &v[0], &v[1], &v[2]) == 3 ||
             sscanf(s, "rgb( %u , %u , %u )", &v[0], &v[1], &v[2]) == 3) {
    if (v[0] > 255 || v[1] > 255 || v[2] > 255) return 0;
  } else
    return 0;
  out[0] = '#';
  for (int i = 0; i < 3; i++) {
    out[1 + 2 * i] = hex[v[i] >> 4];
    out[2 + 2 * i] = hex[v[i] & 15];
  }
  out[7] = '\0';
  return 1;
}

static void set_ns(xmlNodePtr n, xmlNsPtr from, xmlNsPtr to) {
  for (; n; n = n->next)
    if (n->type == XML_ELEMENT_NODE) {
      if (n->ns == from) n->ns = to;
      set_ns(n->children, from, to);
    }
}

/* Colours as the schema wants them: #RRGGBB, or none. */
static void repair_colours(ThemaSink *sink, const char *path, xmlNodePtr n, int *converted,
                           int *dropped) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    char *c = thema_refi_attr(n, "color");
    if (c) {
      char rgb[8];
      int plain =
          c[0] == '#' && (strlen(c) == 4 || strlen(c) == 7) && thema_refi_colour(c, rgb);
      if (!plain && thema_refi_colour(c, rgb)) {
        if (!(*converted)++)
          thema_sink_warn(sink,
                          "%s:%ld: colour '%s' is no #RRGGBB; read as %s (and so for "
                          "every such colour)",
                          path, xmlGetLineNo(n), c, rgb);
        xmlSetProp(n, X("color"), X(rgb));
      } else if (!plain) {
        if (!(*dropped)++)
          thema_sink_warn(sink,
                          "%s:%ld: colour '%s' cannot be read; left out (and so for "
                          "every such colour)",
                          path, xmlGetLineNo(n), c);
        xmlUnsetProp(n, X("color"));
      }
      xmlFree(c);
    }
    repair_colours(sink, path, n->children, converted, dropped);
  }
}

/* Remove the empty containers the schema forbids (each needs one child). */
static void drop_empty(ThemaSink *sink, const char *path, xmlNodePtr parent) {
  static const char *const containers[] = {"Users", "CodeBook", "Codes", "Variables",
                                           "Cases", "Sources",  "Notes", "Links",
                                           "Sets",  "Graphs",   NULL};
  for (xmlNodePtr c = parent->children, next; c; c = next) {
    next = c->next;
    if (c->type != XML_ELEMENT_NODE) continue;
    if (xmlStrcmp(c->name, X("CodeBook")) == 0) drop_empty(sink, path, c);
    int container = 0;
    for (int i = 0; containers[i]; i++)
      container |= xmlStrcmp(c->name, X(containers[i])) == 0;
    if (!container || thema_refi_child(c, NULL)) continue;
    thema_sink_warn(sink,
                    "%s:%ld: empty <%s/> (the schema wants at least one child); ignored",
                    path, xmlGetLineNo(c), (const char *)c->name);
    xmlUnlinkNode(c);
    xmlFreeNode(c);
  }
}

typedef struct FirstError {
  char msg[512]; /* the first error, "" for none */
  long line;
  char node[64];
} FirstError;

static void keep_first(void *ud, xmlErrorPtr e) {
  FirstError *f = ud;
  if (f->msg[0] || !e) return;
  snprintf(f->msg, sizeof f->msg, "%s", e->message ? e->message : "invalid");
  size_t n = strlen(f->msg);
  while (n && (f->msg[n - 1] == '\n' || f->msg[n - 1] == ' ')) f->msg[--n] = '\0';
  f->line = e->line;
  xmlNodePtr node = e->node;
  if (node && node->type == XML_ELEMENT_NODE) {
    snprintf(f->node, sizeof f->node, "%s", (const char *)node->name);
    if (!f->line) f->line = xmlGetLineNo(node);
  }
}

static void ignore(void *ud, xmlErrorPtr e) { (void)ud, (void)e; }

static int validate(xmlDocPtr doc, ThemaRefiSchema schema, const char *path,
                    ThemaError *err) {
  const char *xsd = schema == THEMA_REFI_PROJECT ? project_xsd : codebook_xsd;
  size_t len =
      schema == THEMA_REFI_PROJECT ? sizeof project_xsd - 1 : sizeof codebook_xsd - 1;
  xmlSchemaParserCtxtPtr pc = xmlSchemaNewMemParserCtxt(xsd, (int)len);
  xmlSchemaPtr s = NULL;
  xmlSchemaValidCtxtPtr vc = NULL;
  FirstError first = {0};
  if (pc) {
    xmlSchemaSetParserStructuredErrors(pc, ignore, NULL);
    s = xmlSchemaParse(pc);
  }
  if (!s) {
    thema_error_set(err, THEMA_ERUNTIME,
                    "internal: the built-in REFI-QDA schema does not load");
    goto done;
  }
  vc = xmlSchemaNewValidCtxt(s);
  xmlSchemaSetValidStructuredErrors(vc, keep_first, &first);
  if (xmlSchemaValidateDoc(vc, doc) != 0) {
    if (first.node[0])
      thema_error_at(err, THEMA_EINPUT, path, first.line, 0,
                     "<%s> does not follow the REFI-QDA schema (%s): %s", first.node,
                     schema == THEMA_REFI_PROJECT ? "Project.xsd" : "Codebook.xsd",
                     first.msg);
    else
      thema_error_at(err, THEMA_EINPUT, path, first.line, 0,
                     "does not follow the REFI-QDA schema: %s", first.msg);
  }
done:
  xmlSchemaFreeValidCtxt(vc);
  xmlSchemaFree(s);
  xmlSchemaFreeParserCtxt(pc);
  return err->status;
}

int thema_refi_parse(ThemaSink *sink, const char *path, const char *xml, size_t n,
                     ThemaRefiSchema schema, xmlDocPtr *doc, ThemaError *err) {
  *doc = NULL;
  if (n >= 3 && memcmp(xml, "\xEF\xBB\xBF", 3) == 0) {
    thema_sink_warn(sink, "%s: starts with a byte order mark; read without it", path);
    xml += 3;
    n -= 3;
  }
  if (n > INT32_MAX)
    return thema_error_set(err, THEMA_EINPUT, "%s: larger than 2 GiB", path);
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) return thema_error_set(err, THEMA_ERUNTIME, "out of memory");
  FirstError first = {0};
  xmlSetStructuredErrorFunc(&first, keep_first);
  xmlDocPtr d = xmlCtxtReadMemory(ctxt, xml, (int)n, path, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING | XML_PARSE_HUGE);
  xmlSetStructuredErrorFunc(NULL, NULL);
  if (!d || !ctxt->wellFormed) {
    xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
    const char *msg = e && e->message ? e->message
                      : first.msg[0]  ? first.msg
                                      : "unreadable";
    char m[512];
    snprintf(m, sizeof m, "%s", msg);
    size_t k = strlen(m);
    while (k && (m[k - 1] == '\n' || m[k - 1] == ' ')) m[--k] = '\0';
    thema_error_at(err, THEMA_EINPUT, path, e ? e->line : 0, e ? e->int2 : 0,
                   "not well-formed XML: %s", m);
    xmlFreeDoc(d);
    xmlFreeParserCtxt(ctxt);
    return err->status;
  }
  xmlFreeParserCtxt(ctxt);
  xmlNodePtr root = xmlDocGetRootElement(d);
  if (!root || xmlStrcmp(root->name, X(roots[schema])) != 0) {
    thema_error_at(err, THEMA_EINPUT, path, root ? xmlGetLineNo(root) : 0, 0,
                   "the root element is <%s>, not <%s>: this is no REFI-QDA %s",
                   root ? (const char *)root->name : "", roots[schema],
                   schema == THEMA_REFI_PROJECT ? "project (.qde)" : "codebook (.qdc)");
    xmlFreeDoc(d);
    return err->status;
  }
  const char *want = namespaces[schema];
  if (!root->ns) {
    thema_sink_warn(sink, "%s: no namespace; read as %s", path, want);
    xmlNsPtr ns = xmlNewNs(root, X(want), NULL);
    set_ns(root, NULL, ns);
  } else if (xmlStrcmp(root->ns->href, X(want)) != 0) {
    if (xmlStrncmp(root->ns->href, X(families[schema]), (int)strlen(families[schema])) !=
        0) {
      thema_error_at(err, THEMA_EINPUT, path, xmlGetLineNo(root), 0,
                     "namespace '%s' is no REFI-QDA namespace (expected %s)",
                     (const char *)root->ns->href, want);
      xmlFreeDoc(d);
      return err->status;
    }
    thema_sink_warn(sink, "%s: namespace %s read as %s", path, (const char *)root->ns->href,
                    want);
    xmlFree((xmlChar *)root->ns->href);
    root->ns->href = xmlStrdup(X(want));
  }
  drop_empty(sink, path, root);
  int converted = 0, dropped = 0;
  repair_colours(sink, path, root, &converted, &dropped);
  if (validate(d, schema, path, err)) {
    xmlFreeDoc(d);
    return err->status;
  }
  *doc = d;
  return THEMA_OK;
}

typedef struct CodeWalk {
  ThemaSink *sink;
  const char *path;
  ThemaRefiCodeFn fn;
  void *ud;
  int slashes; /* names with '/' seen */
} CodeWalk;

static int walk_codes(CodeWalk *w, xmlNodePtr parent, const char *prefix, ThemaError *err) {
  ThemaBuf path = {0};
  for (xmlNodePtr c = thema_refi_child(parent, "Code"); c && !err->status;
       c = thema_refi_next(c, "Code")) {
    char *name = thema_refi_attr(c, "name"), *guid = thema_refi_attr(c, "guid");
    char *desc = thema_refi_child_text(c, "Description"),
         *colour = thema_refi_attr(c, "color");
    char key[37], rgb[8];
    thema_refi_key(guid, key);
    thema_buf_reset(&path);
    if (prefix) thema_buf_printf(&path, "%s/", prefix);
    const char *n = name && *name ? name : NULL;
    if (!n) {
      thema_sink_warn(w->sink, "%s:%ld: a code without a name; named after its GUID",
                      w->path, xmlGetLineNo(c));
      thema_buf_printf(&path, "code-%.8s", key);
    }
    for (const char *p = n; p && *p; p++) {
      if (*p == '/') {
        if (!w->slashes++)
          thema_sink_warn(w->sink,
                          "%s:%ld: code name '%s' holds '/', thema's path separator; "
                          "stored with '\u2215' instead (and so for every such name)",
                          w->path, xmlGetLineNo(c), n);
        thema_buf_puts(&path, "\u2215");
      } else
        thema_buf_putc(&path, *p);
    }
    ThemaCodeRec rec = {.path = path.data,
                        .description = desc && *desc ? desc : NULL,
                        .colour = colour && thema_refi_colour(colour, rgb) ? rgb : NULL};
    if (!thema_sink_add_code(w->sink, &rec, err) &&
        !(w->fn && w->fn(w->ud, key, path.data, err))) {
      char *mine = thema_xstrdup(path.data);
      walk_codes(w, c, mine, err);
      free(mine);
    }
    xmlFree(name);
    xmlFree(guid);
    xmlFree(desc);
    xmlFree(colour);
  }
  thema_buf_free(&path);
  return err->status;
}

int thema_refi_codes(ThemaSink *sink, const char *path, xmlNodePtr codes,
                     ThemaRefiCodeFn fn, void *ud, ThemaError *err) {
  CodeWalk w = {.sink = sink, .path = path, .fn = fn, .ud = ud};
  return walk_codes(&w, codes, NULL, err);
}

/* ---- projects, streamed ---- */

static xmlSchemaPtr load_schema(ThemaRefiSchema which, xmlSchemaParserCtxtPtr *pc) {
  const char *xsd = which == THEMA_REFI_PROJECT ? project_xsd : codebook_xsd;
  size_t len =
      which == THEMA_REFI_PROJECT ? sizeof project_xsd - 1 : sizeof codebook_xsd - 1;
  *pc = xmlSchemaNewMemParserCtxt(xsd, (int)len);
  if (!*pc) return NULL;
  xmlSchemaSetParserStructuredErrors(*pc, ignore, NULL);
  return xmlSchemaParse(*pc);
}

static const int reader_options = XML_PARSE_NONET | XML_PARSE_NOERROR |
                                  XML_PARSE_NOWARNING | XML_PARSE_HUGE | XML_PARSE_COMPACT |
                                  XML_PARSE_NOBLANKS;

/* Whether what the streamed pass kept needs a repair of thema_refi_parse. */
static int needs_repair(xmlNodePtr root) {
  if (!root->ns || xmlStrcmp(root->ns->href, X(namespaces[THEMA_REFI_PROJECT])) != 0)
    return 1;
  for (xmlNodePtr c = root->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || xmlStrcmp(c->name, X("Sources")) == 0) continue;
    if (!thema_refi_child(c, NULL)) {
      static const char *const leaves[] = {"Description", "NoteRef", NULL};
      int leaf = 0;
      for (int i = 0; leaves[i]; i++) leaf |= xmlStrcmp(c->name, X(leaves[i])) == 0;
      if (!leaf) return 1;
    }
    if (xmlStrcmp(c->name, X("CodeBook")) == 0) {
      xmlNodePtr codes = thema_refi_child(c, "Codes");
      if (codes && !thema_refi_child(codes, NULL)) return 1;
    }
  }
  return 0;
}

static int colours_need_repair(xmlNodePtr n) {
  for (; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    char *c = thema_refi_attr(n, "color");
    int bad = 0;
    if (c) {
      char rgb[8];
      bad =
          !(c[0] == '#' && (strlen(c) == 4 || strlen(c) == 7) && thema_refi_colour(c, rgb));
      xmlFree(c);
    }
    if (bad || colours_need_repair(n->children)) return 1;
  }
  return 0;
}

static int memory_rewind(void *ud) {
  ((ThemaRefiMemory *)ud)->off = 0;
  return 0;
}

static int memory_read(void *ud, char *buf, int len) {
  ThemaRefiMemory *m = ud;
  size_t k = m->n - m->off < (size_t)len ? m->n - m->off : (size_t)len;
  memcpy(buf, m->xml + m->off, k);
  m->off += k;
  return (int)k;
}

void thema_refi_input_memory(ThemaRefiInput *in, ThemaRefiMemory *mem, const char *xml,
                             size_t n) {
  memset(in, 0, sizeof *in);
  *mem = (ThemaRefiMemory){.xml = xml, .n = n};
  in->ud = mem;
  in->rewind = memory_rewind;
  in->read = memory_read;
}

static int input_read(void *ctx, char *buf, int len) {
  ThemaRefiInput *in = ctx;
  return in->read(in->ud, buf, len);
}

static int input_close(void *ctx) {
  (void)ctx;
  return 0;
}

/* A reader from the first byte of p's input, or NULL (p->in->failure may say why). */
static xmlTextReaderPtr open_reader(ThemaRefiProject *p) {
  if (p->in->rewind(p->in->ud) < 0) return NULL;
  return xmlReaderForIO(input_read, input_close, p->in, p->path, NULL, reader_options);
}

/* The input's failure as an input error, when it failed. */
static int input_failed(ThemaRefiProject *p, ThemaError *err) {
  if (!p->in->failure[0]) return 0;
  thema_error_set(err, THEMA_EINPUT, "%s", p->in->failure);
  return 1;
}

/* Pass one: every child of the root but the sources' contents into a small
 * document (<Sources> itself is kept empty); *sources counts the sources, *ok
 * is 0 when the bytes are not well-formed (thema_refi_parse then says where). */
static xmlDocPtr read_parts(ThemaRefiProject *p, long *sources, int *ok) {
  xmlTextReaderPtr r = open_reader(p);
  xmlDocPtr small = NULL;
  xmlNodePtr root = NULL;
  *ok = 0;
  *sources = 0;
  if (!r) return NULL;
  int rc = xmlTextReaderRead(r);
  while (rc == 1) {
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
      rc = xmlTextReaderRead(r);
      continue;
    }
    int depth = xmlTextReaderDepth(r);
    xmlNodePtr cur = xmlTextReaderCurrentNode(r);
    if (depth == 0 && !root) {
      small = xmlNewDoc(X("1.0"));
      root = xmlDocCopyNode(cur, small, 2);
      xmlDocSetRootElement(small, root);
      rc = xmlTextReaderRead(r);
    } else if (depth == 1 && xmlStrcmp(xmlTextReaderConstLocalName(r), X("Sources")) == 0) {
      xmlAddChild(root, xmlDocCopyNode(cur, small, 2));
      rc = xmlTextReaderRead(r); /* into the sources */
    } else if (depth == 1) {
      xmlNodePtr sub = xmlTextReaderExpand(r);
      if (!sub) {
        rc = -1;
        break;
      }
      xmlAddChild(root, xmlDocCopyNode(sub, small, 1));
      rc = xmlTextReaderNext(r);
    } else {
      if (depth == 2) (*sources)++;
      rc = xmlTextReaderNext(r); /* a source: read later */
    }
  }
  *ok = rc == 0 && root != NULL;
  xmlFreeTextReader(r);
  if (!*ok) {
    xmlFreeDoc(small);
    return NULL;
  }
  return small;
}

static int validate_stream(ThemaRefiProject *p, ThemaError *err) {
  xmlSchemaParserCtxtPtr pc = NULL;
  xmlSchemaPtr schema = load_schema(THEMA_REFI_PROJECT, &pc);
  if (!schema) {
    xmlSchemaFreeParserCtxt(pc);
    return thema_error_set(err, THEMA_ERUNTIME,
                           "internal: the built-in REFI-QDA schema does not load");
  }
  xmlTextReaderPtr r = open_reader(p);
  FirstError first = {0};
  int rc = -1;
  if (r) {
    xmlTextReaderSetStructuredErrorHandler(r, keep_first, &first);
    if (xmlTextReaderSetSchema(r, schema) == 0)
      while ((rc = xmlTextReaderRead(r)) == 1) {}
    if (rc == 0 && xmlTextReaderIsValid(r) != 1) rc = -1;
  }
  if (rc != 0 && !input_failed(p, err)) {
    if (first.node[0])
      thema_error_at(err, THEMA_EINPUT, p->path, first.line, 0,
                     "<%s> does not follow the REFI-QDA schema (Project.xsd): %s",
                     first.node, first.msg);
    else
      thema_error_at(err, THEMA_EINPUT, p->path, first.line, 0,
                     "does not follow the REFI-QDA schema (Project.xsd): %s",
                     first.msg[0] ? first.msg : "invalid");
  }
  xmlFreeTextReader(r);
  xmlSchemaFree(schema);
  xmlSchemaFreeParserCtxt(pc);
  return err->status;
}

int thema_refi_open_project(ThemaSink *sink, const char *path, ThemaRefiInput *in,
                            ThemaRefiProject *p, ThemaError *err) {
  memset(p, 0, sizeof *p);
  p->in = in;
  p->path = path;
  long sources = 0;
  int ok = 0;
  xmlDocPtr small = read_parts(p, &sources, &ok);
  if (input_failed(p, err)) {
    xmlFreeDoc(small);
    return err->status;
  }
  xmlNodePtr root = small ? xmlDocGetRootElement(small) : NULL;
  int streamable = root && xmlStrcmp(root->name, X("Project")) == 0 &&
                   !needs_repair(root) && !colours_need_repair(root->children) &&
                   (sources > 0 || !thema_refi_child(root, "Sources"));
  if (!streamable) {
    /* read whole: thema_refi_parse repairs, or says what is wrong */
    xmlFreeDoc(small);
    ThemaBuf all = {0};
    char block[1 << 16];
    int got = in->rewind(in->ud);
    while (got >= 0 && (got = in->read(in->ud, block, sizeof block)) > 0)
      thema_buf_append(&all, block, (size_t)got);
    if (!input_failed(p, err))
      thema_refi_parse(sink, path, all.data ? all.data : "", all.len, THEMA_REFI_PROJECT,
                       &p->doc, err);
    thema_buf_free(&all);
    return err->status;
  }
  char head[3] = {0};
  if (in->rewind(in->ud) == 0 && in->read(in->ud, head, 3) == 3 &&
      memcmp(head, "\xEF\xBB\xBF", 3) == 0)
    thema_sink_warn(sink, "%s: starts with a byte order mark; read without it", path);
  if (validate_stream(p, err)) {
    xmlFreeDoc(small);
    return err->status;
  }
  p->doc = small;
  p->streamed = 1;
  return THEMA_OK;
}

void thema_refi_project_free(ThemaRefiProject *p) {
  xmlFreeDoc(p->doc);
  p->doc = NULL;
}

int thema_refi_each_source(ThemaRefiProject *p, ThemaRefiSourceFn fn, void *ud,
                           ThemaError *err) {
  if (!p->streamed) {
    xmlNodePtr sources = thema_refi_child(xmlDocGetRootElement(p->doc), "Sources");
    for (xmlNodePtr c = sources ? sources->children : NULL; c && !err->status; c = c->next)
      if (c->type == XML_ELEMENT_NODE) fn(ud, c, err);
    return err->status;
  }
  xmlTextReaderPtr r = open_reader(p);
  if (!r)
    return input_failed(p, err) ? err->status
                                : thema_error_set(err, THEMA_ERUNTIME, "out of memory");
  int rc = xmlTextReaderRead(r);
  while (rc == 1 && !err->status) {
    int depth = xmlTextReaderDepth(r);
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || depth == 0) {
      rc = xmlTextReaderRead(r);
    } else if (depth == 1) {
      int into = xmlStrcmp(xmlTextReaderConstLocalName(r), X("Sources")) == 0;
      rc = into ? xmlTextReaderRead(r) : xmlTextReaderNext(r);
    } else {
      xmlNodePtr src = xmlTextReaderExpand(r);
      if (!src) {
        rc = -1;
        break;
      }
      fn(ud, src, err);
      rc = xmlTextReaderNext(r);
    }
  }
  xmlFreeTextReader(r);
  if (rc < 0 && !err->status && !input_failed(p, err))
    thema_error_set(err, THEMA_EINPUT, "%s: cannot be read a second time", p->path);
  return err->status;
}
