/*
 * zipxml.c — zip entries read as XML streams for the DOCX and ODT
 * importers, and libxml2's reader errors as thema messages (TEI uses those
 * too). The entry is decompressed by libzip as libxml2 asks for bytes, so
 * no entry is ever held whole.
 */
#include "ingest/zipxml.h"

#include <string.h>

static void on_error(void *arg, xmlErrorPtr e) {
  ThemaXmlErrors *x = arg;
  if (!e || x->err->status) return;
  char msg[512];
  snprintf(msg, sizeof msg, "%s", e->message ? e->message : "malformed XML");
  size_t k = strlen(msg);
  while (k && (msg[k - 1] == '\n' || msg[k - 1] == ' ')) msg[--k] = '\0';
  const char *what = "the file is damaged or truncated: save or download it again";
  if (x->entry)
    thema_error_at(x->err, THEMA_EINPUT, x->path, 0, 0, "%s:%d: %s; %s", x->entry, e->line,
                   msg, what);
  else
    thema_error_at(x->err, THEMA_EINPUT, x->path, e->line, 0, "%s; %s", msg, what);
}

void thema_xml_reader_errors(xmlTextReaderPtr r, ThemaXmlErrors *e) {
  xmlTextReaderSetStructuredErrorHandler(r, on_error, e);
}

int thema_zipxml_open(ThemaZipXml *z, const char *path, const char *data, size_t n,
                      ThemaError *err) {
  memset(z, 0, sizeof *z);
  z->path = path;
  z->err = err;
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(data, n, 0, &ze);
  if (src) z->zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
  if (!z->zip) {
    if (src) zip_source_free(src);
    thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                   "not a complete zip archive (%s); the file is truncated or damaged: "
                   "save or download it again",
                   zip_error_strerror(&ze));
  }
  zip_error_fini(&ze);
  return err->status;
}

int thema_zipxml_has(ThemaZipXml *z, const char *entry) {
  return z->zip && zip_name_locate(z->zip, entry, 0) >= 0;
}

static int zip_read(void *ctx, char *buf, int len) {
  ThemaZipXml *z = ctx;
  zip_int64_t k = zip_fread(z->file, buf, (zip_uint64_t)len);
  if (k < 0) {
    z->zip_failed = 1;
    thema_error_at(z->err, THEMA_EINPUT, z->path, 0, 0,
                   "%s: cannot be read from the archive (%s); the file is damaged: save or "
                   "download it again",
                   z->entry, zip_error_strerror(zip_file_get_error(z->file)));
    return -1;
  }
  return (int)k;
}

static void entry_close(ThemaZipXml *z) {
  if (z->reader) xmlFreeTextReader(z->reader);
  if (z->file) zip_fclose(z->file);
  z->reader = NULL;
  z->file = NULL;
}

int thema_zipxml_entry(ThemaZipXml *z, const char *entry, ThemaError *err) {
  entry_close(z);
  z->entry = entry;
  z->file = zip_fopen(z->zip, entry, 0);
  if (!z->file)
    return thema_error_at(err, THEMA_EINPUT, z->path, 0, 0,
                          "%s is missing or unreadable in the archive (%s); the file is "
                          "damaged or not what its name says",
                          entry, zip_error_strerror(zip_get_error(z->zip)));
  /* No network, no external entities, no DTD: the reader sees the entry only. */
  z->reader = xmlReaderForIO(zip_read, NULL, z, entry, NULL,
                             XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_NOWARNING);
  if (!z->reader)
    return thema_error_set(err, THEMA_ERUNTIME, "%s: cannot start an XML reader", z->path);
  z->errors = (ThemaXmlErrors){.path = z->path, .entry = entry, .err = err};
  thema_xml_reader_errors(z->reader, &z->errors);
  return THEMA_OK;
}

static int reader_status(ThemaZipXml *z, int rc) {
  if (rc >= 0 && !z->err->status) return rc;
  if (!z->err->status)
    thema_error_at(z->err, THEMA_EINPUT, z->path, 0, 0,
                   "%s: malformed XML; the file is damaged or truncated: save or download "
                   "it again",
                   z->entry);
  return -1;
}

int thema_zipxml_next(ThemaZipXml *z) {
  return reader_status(z, xmlTextReaderRead(z->reader));
}

int thema_zipxml_skip(ThemaZipXml *z) {
  return reader_status(z, xmlTextReaderNext(z->reader));
}

void thema_zipxml_close(ThemaZipXml *z) {
  entry_close(z);
  if (z->zip) zip_discard(z->zip);
  z->zip = NULL;
}

xmlChar *thema_xml_attr(xmlTextReaderPtr r, const char *local, const char *ns) {
  if (!ns) return xmlTextReaderGetAttribute(r, BAD_CAST local);
  return xmlTextReaderGetAttributeNs(r, BAD_CAST local, BAD_CAST ns);
}

int thema_xml_is(xmlTextReaderPtr r, const char *local, const char *ns) {
  const xmlChar *l = xmlTextReaderConstLocalName(r);
  if (!l || strcmp((const char *)l, local) != 0) return 0;
  if (!ns) return 1;
  const xmlChar *u = xmlTextReaderConstNamespaceUri(r);
  return u && strcmp((const char *)u, ns) == 0;
}

int thema_zipxml_dc_title(ThemaZipXml *z, const char *entry, ThemaBuf *title,
                          ThemaError *err) {
  if (!thema_zipxml_has(z, entry)) return THEMA_OK;
  if (thema_zipxml_entry(z, entry, err)) return err->status;
  int rc, in_title = 0;
  while ((rc = thema_zipxml_next(z)) == 1) {
    xmlTextReaderPtr r = z->reader;
    int type = xmlTextReaderNodeType(r);
    if (type == XML_READER_TYPE_ELEMENT &&
        thema_xml_is(r, "title", "http://purl.org/dc/elements/1.1/"))
      in_title = !xmlTextReaderIsEmptyElement(r);
    else if (type == XML_READER_TYPE_END_ELEMENT)
      in_title = 0;
    else if (in_title && type == XML_READER_TYPE_TEXT)
      thema_buf_puts(title, (const char *)xmlTextReaderConstValue(r));
  }
  return rc < 0 ? err->status : THEMA_OK;
}
