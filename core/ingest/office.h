/*
 * office.h — the importers of formatted files: DOCX and ODT (libzip and
 * libxml2's streaming reader), HTML (libxml2's HTML parser, any declared
 * charset), PDF (poppler), each turning a file's bytes into paragraphs
 * (paras.h), and TEI as ParlaMint uses it and ParlaMint's text export with
 * its -meta.tsv file, which emit turns and speakers themselves.
 *
 * A file is read whole once (its bytes are hashed for re-import) and parsed
 * as a stream: no document tree is built, so memory is the file plus the
 * text it holds.
 */
#ifndef THEMA_OFFICE_H
#define THEMA_OFFICE_H

#include <stddef.h>

#include "base/thema.h"
#include "ingest/ingest.h"
#include "ingest/paras.h"
#include "ingest/sniff.h"

/* The paragraphs of a file's bytes data[0..n) into *p (zeroed by the
 * caller; free it with thema_paras_free, also after an error); path names
 * the file in messages. */
int thema_docx_paras(const char *path, const char *data, size_t n, ThemaParas *p,
                     ThemaError *err);
int thema_odt_paras(const char *path, const char *data, size_t n, ThemaParas *p,
                    ThemaError *err);
int thema_html_paras(const char *path, const char *data, size_t n, ThemaParas *p,
                     ThemaError *err);
int thema_pdf_paras(const char *path, const char *data, size_t n, ThemaParas *p,
                    ThemaError *err);

/* A DOCX, ODT, HTML or PDF file's bytes (format as sniffed) into sink as e
 * says (e->hash and e->format are filled here when NULL). */
int thema_parse_office(ThemaSink *sink, const char *data, size_t n, ThemaFormat format,
                       const ThemaParasEmit *e, ThemaError *err);

/* Read the file at path (sniffed as sn) as kind "document" or "transcript":
 * the readers of those kinds call this for every format that is not text. */
int thema_read_office(ThemaSink *sink, const char *path, const ThemaSniff *sn,
                      const char *kind, const ThemaImportOptions *opt, ThemaError *err);

/* A TEI file (ParlaMint's <u who> utterances, <seg> paragraphs, editorial
 * <note>, <kinesic>, <vocal>, <incident>, <gap> left out) into one
 * transcript: a turn per utterance, labelled by who without its '#'. */
int thema_parse_tei(ThemaSink *sink, const char *path, const char *data, size_t n,
                    const char *hash, ThemaError *err);

/* ParlaMint's text export: PATH.txt ("utterance-id TAB text" lines) with
 * PATH-meta.tsv beside it; one transcript, its speakers mapped to persons
 * with their party, gender and role as attributes. meta is the TSV's text. */
int thema_parse_parlamint(ThemaSink *sink, const char *path, const ThemaInput *txt,
                          const char *meta_path, const ThemaInput *meta, ThemaError *err);
/* The reader of `thema import parlamint`: a .txt with its -meta.tsv, or a
 * TEI .xml. */
int thema_read_parlamint(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                         ThemaError *err);

#endif
