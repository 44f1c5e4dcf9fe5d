/*
 * zipxml.h — what the DOCX and ODT importers share: a zip archive opened
 * from memory, one of its entries read as a stream by libxml2's
 * xmlTextReader, and libxml2's and libzip's errors turned into messages
 * that name the file, the entry and the line.
 */
#ifndef THEMA_ZIPXML_H
#define THEMA_ZIPXML_H

#include <libxml/xmlreader.h>
#include <stddef.h>
#include <zip.h>

#include "base/thema.h"

/* Where a reader's errors go: the first one fills err. */
typedef struct ThemaXmlErrors {
  const char *path;  /* the file */
  const char *entry; /* the zip entry, or NULL */
  ThemaError *err;   /* the message */
} ThemaXmlErrors;

typedef struct ThemaZipXml {
  const char *path;        /* the archive, for messages */
  const char *entry;       /* the entry being read */
  zip_t *zip;              /* the archive */
  zip_file_t *file;        /* the open entry */
  xmlTextReaderPtr reader; /* libxml2's reader over it */
  ThemaError *err;         /* where the first error goes */
  ThemaXmlErrors errors;   /* the reader's error handler's state */
  int zip_failed;          /* reading the entry failed (a bad CRC, truncation) */
} ThemaZipXml;

/* Open the archive data[0..n); an archive that is not a complete zip is an
 * input error naming path. */
int thema_zipxml_open(ThemaZipXml *z, const char *path, const char *data, size_t n,
                      ThemaError *err);
/* 1 when the archive has entry. */
int thema_zipxml_has(ThemaZipXml *z, const char *entry);
/* Start reading entry (the previous one is closed). */
int thema_zipxml_entry(ThemaZipXml *z, const char *entry, ThemaError *err);
/* The next node: 1, 0 at the end, -1 on an error (err is filled). */
int thema_zipxml_next(ThemaZipXml *z);
/* Skip the current element's subtree: like next, at its end. */
int thema_zipxml_skip(ThemaZipXml *z);
void thema_zipxml_close(ThemaZipXml *z);

/* The Dublin Core title (dc:title) of the archive's entry (DOCX's
 * docProps/core.xml, ODT's meta.xml) appended to title; nothing when the
 * entry or the element is missing. */
int thema_zipxml_dc_title(ThemaZipXml *z, const char *entry, ThemaBuf *title,
                          ThemaError *err);

/* Send r's errors to e (which must outlive r): the first one fills e->err
 * with "path:line: entry: message; the file may be damaged or truncated". */
void thema_xml_reader_errors(xmlTextReaderPtr r, ThemaXmlErrors *e);

/* The attribute ns:local of the reader's element as a new string (NULL when
 * absent); the caller frees it with xmlFree. ns may be NULL (no namespace). */
xmlChar *thema_xml_attr(xmlTextReaderPtr r, const char *local, const char *ns);

/* 1 when the current node is the element ns:local (ns NULL: any namespace). */
int thema_xml_is(xmlTextReaderPtr r, const char *local, const char *ns);

#endif
