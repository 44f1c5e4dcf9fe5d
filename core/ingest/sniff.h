/*
 * sniff.h — what a file is, read from its first bytes (and, for a zip, its
 * list of entries), whatever its name says: text, a Word or OpenDocument
 * text, another zip (a spreadsheet, a REFI-QDA project), PDF, TEI, HTML,
 * other XML, or binary. Every importer asks before it reads, so that markup
 * is never stored as text: a kind that cannot read what it was given
 * refuses it and names the kind that can.
 */
#ifndef THEMA_SNIFF_H
#define THEMA_SNIFF_H

#include <stddef.h>

#include "base/thema.h"

typedef enum ThemaFormat {
  THEMA_FORMAT_TEXT,   /* plain text (UTF-8 or not: the text loader says) */
  THEMA_FORMAT_DOCX,   /* Office Open XML word processing (word/document.xml) */
  THEMA_FORMAT_ODT,    /* OpenDocument text (mimetype ...opendocument.text) */
  THEMA_FORMAT_ZIP,    /* any other zip, or a damaged one; what says which */
  THEMA_FORMAT_PDF,    /* %PDF- */
  THEMA_FORMAT_HTML,   /* HTML or XHTML */
  THEMA_FORMAT_TEI,    /* XML whose root is TEI or teiCorpus */
  THEMA_FORMAT_XML,    /* any other XML */
  THEMA_FORMAT_BINARY, /* NUL bytes or a known binary signature */
} ThemaFormat;

typedef struct ThemaSniff {
  ThemaFormat format; /* what the bytes are */
  char what[96];      /* for messages: "a Word document (DOCX)", "a spreadsheet (XLSX)" */
} ThemaSniff;

/* Classify data[0..n), the head of a file (a few KiB are enough except for
 * a zip, whose entries are read from the whole of it when n covers the
 * file; a zip head alone is reported as THEMA_FORMAT_ZIP). */
void thema_sniff_data(const char *data, size_t n, ThemaSniff *out);

/* Classify the file at path (its head, and a zip's directory through
 * libzip). A file that cannot be read is a runtime error. */
int thema_sniff_file(const char *path, ThemaSniff *out, ThemaError *err);

/* THEMA_OK when the import kind named kind reads sn's format; else an input
 * error on path saying what the file is and which kind reads it (or how to
 * convert it when none does). */
int thema_sniff_accept(const char *path, const ThemaSniff *sn, const char *kind,
                       ThemaError *err);

/* thema_sniff_file, then thema_sniff_accept: the one call of a text-only
 * reader before it loads its file. */
int thema_sniff_require(const char *path, const char *kind, ThemaSniff *out,
                        ThemaError *err);

/* A short name of format f for source rows and messages: txt, docx, odt,
 * html, pdf, tei, xml, zip, binary. */
const char *thema_sniff_format_name(ThemaFormat f);

#endif
