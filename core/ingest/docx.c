/*
 * docx.c — Word documents (Office Open XML): the paragraphs of
 * word/document.xml in order, a paragraph's heading level from its style
 * (read from word/styles.xml: the built-in name "heading N", whatever the
 * language of the user interface, or an outline level, following basedOn),
 * and the title from docProps/core.xml.
 *
 * Text is what a reader sees: runs' <w:t>, tabs as spaces, line breaks.
 * Deleted revisions (<w:delText>), field codes (<w:instrText>), the
 * fallback copy of drawings (<mc:Fallback>) and text boxes are left out.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/office.h"
#include "ingest/zipxml.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"

typedef struct Style {
  char *id;    /* w:styleId; owned */
  char *based; /* w:basedOn, or NULL; owned */
  int level;   /* heading level it sets itself, 0 for none, -1 for body */
} Style;

typedef struct Styles {
  Style *items;
  size_t n, cap;
} Styles;

static void styles_free(Styles *s) {
  for (size_t i = 0; i < s->n; i++) {
    free(s->items[i].id);
    free(s->items[i].based);
  }
  free(s->items);
}

static Style *style_find(const Styles *s, const char *id) {
  for (size_t i = 0; id && i < s->n; i++)
    if (strcmp(s->items[i].id, id) == 0) return &s->items[i];
  return NULL;
}

/* The heading level of style id, through its basedOn chain (bounded: a
 * loop in a damaged file ends). */
static int style_level(const Styles *s, const char *id) {
  const Style *st = style_find(s, id);
  for (int hops = 0; st && hops < 16; hops++) {
    if (st->level) return st->level > 0 ? st->level : 0;
    st = style_find(s, st->based);
  }
  return 0;
}

/* A level from a style name: "heading 1".."heading 9" (capped at 6) or "Title". */
static int name_level(const char *name) {
  if (strncasecmp(name, "heading ", 8) == 0) {
    int l = atoi(name + 8);
    return l < 1 ? 0 : l > THEMA_PARAS_LEVELS ? THEMA_PARAS_LEVELS : l;
  }
  return strcasecmp(name, "title") == 0 ? 1 : 0;
}

static int outline_level(xmlTextReaderPtr r) {
  xmlChar *v = thema_xml_attr(r, "val", W_NS);
  int l = v ? atoi((const char *)v) : 9;
  xmlFree(v);
  /* 0..8 are outline levels 1..9; 9 is body text. */
  return l >= 0 && l < 9 ? (l + 1 > THEMA_PARAS_LEVELS ? THEMA_PARAS_LEVELS : l + 1) : -1;
}

static int read_styles(ThemaZipXml *z, Styles *s, ThemaError *err) {
  if (!thema_zipxml_has(z, "word/styles.xml")) return THEMA_OK;
  if (thema_zipxml_entry(z, "word/styles.xml", err)) return err->status;
  Style *cur = NULL;
  int rc;
  while ((rc = thema_zipxml_next(z)) == 1) {
    xmlTextReaderPtr r = z->reader;
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) continue;
    if (thema_xml_is(r, "style", W_NS)) {
      xmlChar *id = thema_xml_attr(r, "styleId", W_NS);
      cur = NULL;
      if (id) {
        if (s->n == s->cap) {
          s->cap = s->cap ? 2 * s->cap : 32;
          s->items = thema_xrealloc(s->items, s->cap * sizeof *s->items);
        }
        cur = &s->items[s->n++];
        *cur = (Style){.id = thema_xstrdup((const char *)id)};
        xmlFree(id);
      }
    } else if (cur && thema_xml_is(r, "name", W_NS)) {
      xmlChar *v = thema_xml_attr(r, "val", W_NS);
      if (v && !cur->level) cur->level = name_level((const char *)v);
      xmlFree(v);
    } else if (cur && thema_xml_is(r, "basedOn", W_NS)) {
      xmlChar *v = thema_xml_attr(r, "val", W_NS);
      free(cur->based);
      cur->based = v ? thema_xstrdup((const char *)v) : NULL;
      xmlFree(v);
    } else if (cur && thema_xml_is(r, "outlineLvl", W_NS)) {
      cur->level = outline_level(r);
    }
  }
  return rc < 0 ? err->status : THEMA_OK;
}

static int read_title(ThemaZipXml *z, ThemaParas *p, ThemaError *err) {
  ThemaBuf title = {0};
  if (!thema_zipxml_dc_title(z, "docProps/core.xml", &title, err) && title.len)
    thema_paras_meta(p, "title", title.data, title.len);
  thema_buf_free(&title);
  return err->status;
}

static int read_body(ThemaZipXml *z, const Styles *styles, ThemaParas *p, ThemaError *err) {
  if (thema_zipxml_entry(z, "word/document.xml", err)) return err->status;
  int in_t = 0, rc = thema_zipxml_next(z);
  while (rc == 1) {
    xmlTextReaderPtr r = z->reader;
    int type = xmlTextReaderNodeType(r);
    if (type == XML_READER_TYPE_ELEMENT) {
      int empty = xmlTextReaderIsEmptyElement(r);
      if (thema_xml_is(r, "Fallback", MC_NS) || thema_xml_is(r, "txbxContent", W_NS)) {
        rc = empty ? thema_zipxml_next(z) : thema_zipxml_skip(z);
        continue;
      }
      if (thema_xml_is(r, "p", W_NS)) {
        thema_paras_begin(p, 0, 0);
        if (empty) thema_paras_end(p);
      } else if (thema_xml_is(r, "pStyle", W_NS)) {
        xmlChar *v = thema_xml_attr(r, "val", W_NS);
        thema_paras_level(p, style_level(styles, (const char *)v));
        xmlFree(v);
      } else if (thema_xml_is(r, "outlineLvl", W_NS)) {
        thema_paras_level(p, outline_level(r) > 0 ? outline_level(r) : 0);
      } else if (thema_xml_is(r, "t", W_NS)) {
        in_t = !empty;
      } else if (thema_xml_is(r, "tab", W_NS) || thema_xml_is(r, "ptab", W_NS)) {
        if (p->open) thema_paras_text(p, " ", 1);
      } else if (thema_xml_is(r, "noBreakHyphen", W_NS)) {
        thema_paras_text(p, "-", 1);
      } else if (thema_xml_is(r, "br", W_NS) || thema_xml_is(r, "cr", W_NS)) {
        xmlChar *t = thema_xml_attr(r, "type", W_NS);
        if (t && strcmp((const char *)t, "textWrapping") != 0)
          thema_paras_text(p, " ", 1); /* a page or column break */
        else
          thema_paras_break(p);
        xmlFree(t);
      }
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
      if (thema_xml_is(r, "t", W_NS))
        in_t = 0;
      else if (thema_xml_is(r, "p", W_NS))
        thema_paras_end(p);
    } else if (in_t &&
               (type == XML_READER_TYPE_TEXT ||
                type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_CDATA)) {
      const char *v = (const char *)xmlTextReaderConstValue(r);
      if (v) thema_paras_text(p, v, strlen(v));
    }
    rc = thema_zipxml_next(z);
  }
  thema_paras_end(p);
  return rc < 0 ? err->status : THEMA_OK;
}

int thema_docx_paras(const char *path, const char *data, size_t n, ThemaParas *p,
                     ThemaError *err) {
  ThemaZipXml z;
  Styles styles = {0};
  if (thema_zipxml_open(&z, path, data, n, err)) goto done;
  if (!thema_zipxml_has(&z, "word/document.xml")) {
    thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                   "a zip without word/document.xml is not a Word document; save it "
                   "again as DOCX");
    goto done;
  }
  if (!read_styles(&z, &styles, err) && !read_title(&z, p, err))
    read_body(&z, &styles, p, err);
done:
  thema_zipxml_close(&z);
  styles_free(&styles);
  return err->status;
}
