/*
 * odt.c — OpenDocument texts (LibreOffice, and Word's "Save as ODT"): the
 * <text:p> and <text:h> paragraphs of content.xml in order, a heading's
 * level from text:outline-level, spaces as ODF writes them (<text:s
 * text:c="N"/>, <text:tab/>, <text:line-break/>), the title from meta.xml.
 *
 * Footnotes and endnotes (<text:note>), comments (<office:annotation>),
 * tracked deletions (<text:tracked-changes>) and frames (images, text
 * boxes) are left out: they are not the running text.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest/office.h"
#include "ingest/zipxml.h"

#define TEXT_NS "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define OFFICE_NS "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define DRAW_NS "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"

static int skipped(xmlTextReaderPtr r) {
  return thema_xml_is(r, "note", TEXT_NS) || thema_xml_is(r, "tracked-changes", TEXT_NS) ||
         thema_xml_is(r, "annotation", OFFICE_NS) || thema_xml_is(r, "frame", DRAW_NS) ||
         thema_xml_is(r, "sequence-decls", TEXT_NS) ||
         thema_xml_is(r, "bookmark-ref", TEXT_NS);
}

static int read_title(ThemaZipXml *z, ThemaParas *p, ThemaError *err) {
  ThemaBuf title = {0};
  if (!thema_zipxml_dc_title(z, "meta.xml", &title, err) && title.len)
    thema_paras_meta(p, "title", title.data, title.len);
  thema_buf_free(&title);
  return err->status;
}

static int read_body(ThemaZipXml *z, ThemaParas *p, ThemaError *err) {
  if (thema_zipxml_entry(z, "content.xml", err)) return err->status;
  int depth = 0; /* open text:p / text:h elements (a paragraph in a list in a cell...) */
  int rc = thema_zipxml_next(z);
  while (rc == 1) {
    xmlTextReaderPtr r = z->reader;
    int type = xmlTextReaderNodeType(r);
    if (type == XML_READER_TYPE_ELEMENT) {
      int empty = xmlTextReaderIsEmptyElement(r);
      if (skipped(r)) {
        rc = empty ? thema_zipxml_next(z) : thema_zipxml_skip(z);
        continue;
      }
      if (thema_xml_is(r, "p", TEXT_NS) || thema_xml_is(r, "h", TEXT_NS)) {
        int level = 0;
        if (thema_xml_is(r, "h", TEXT_NS)) {
          xmlChar *v = thema_xml_attr(r, "outline-level", TEXT_NS);
          level = v ? atoi((const char *)v) : 1;
          if (level < 1) level = 1;
          xmlFree(v);
        }
        thema_paras_begin(p, level, 0);
        if (empty)
          thema_paras_end(p);
        else
          depth++;
      } else if (thema_xml_is(r, "s", TEXT_NS) || thema_xml_is(r, "tab", TEXT_NS)) {
        if (p->open) thema_paras_text(p, " ", 1);
      } else if (thema_xml_is(r, "line-break", TEXT_NS)) {
        thema_paras_break(p);
      }
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
      if ((thema_xml_is(r, "p", TEXT_NS) || thema_xml_is(r, "h", TEXT_NS)) && depth > 0) {
        depth--;
        thema_paras_end(p);
      }
    } else if (depth > 0 &&
               (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)) {
      const char *v = (const char *)xmlTextReaderConstValue(r);
      if (v) thema_paras_text(p, v, strlen(v));
    }
    rc = thema_zipxml_next(z);
  }
  thema_paras_end(p);
  return rc < 0 ? err->status : THEMA_OK;
}

int thema_odt_paras(const char *path, const char *data, size_t n, ThemaParas *p,
                    ThemaError *err) {
  ThemaZipXml z;
  if (thema_zipxml_open(&z, path, data, n, err)) goto done;
  if (!thema_zipxml_has(&z, "content.xml")) {
    thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                   "an OpenDocument file without content.xml; save it again as ODT");
    goto done;
  }
  if (!read_title(&z, p, err)) read_body(&z, p, err);
done:
  thema_zipxml_close(&z);
  return err->status;
}
