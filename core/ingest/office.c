/*
 * office.c — the formatted files the document and transcript kinds read
 * besides text: a file's bytes read once and hashed, its paragraphs taken
 * out by the parser of its sniffed format (docx.c, odt.c, html.c, pdf.c),
 * and emitted as a document or as a transcript (paras.c).
 */
#include "ingest/office.h"

#include <string.h>

#include "base/fs.h"
#include "base/hash.h"

int thema_parse_office(ThemaSink *sink, const char *data, size_t n, ThemaFormat format,
                       const ThemaParasEmit *e, ThemaError *err) {
  ThemaParas p = {0};
  ThemaParasEmit emit = *e;
  char hash[65];
  if (!emit.hash) {
    thema_hash_sha256(data, n, hash);
    emit.hash = hash;
  }
  if (!emit.format) emit.format = thema_sniff_format_name(format);
  switch (format) {
    case THEMA_FORMAT_DOCX: thema_docx_paras(e->path, data, n, &p, err); break;
    case THEMA_FORMAT_ODT: thema_odt_paras(e->path, data, n, &p, err); break;
    case THEMA_FORMAT_HTML: thema_html_paras(e->path, data, n, &p, err); break;
    case THEMA_FORMAT_PDF: thema_pdf_paras(e->path, data, n, &p, err); break;
    default:
      thema_error_set(err, THEMA_ERUNTIME, "internal: %s is not a formatted document",
                      e->path);
  }
  if (!err->status) thema_paras_emit(sink, &p, &emit, err);
  thema_paras_free(&p);
  return err->status;
}

int thema_read_office(ThemaSink *sink, const char *path, const ThemaSniff *sn,
                      const char *kind, const ThemaImportOptions *opt, ThemaError *err) {
  ThemaTurnPattern *pattern = NULL;
  ThemaBuf raw = {0};
  int transcript = strcmp(kind, "transcript") == 0;
  /* The speaker pattern, heading pattern and preamble of a .txt transcript. */
  if (transcript &&
      (thema_turn_pattern_compile(opt ? opt->speaker_pattern : NULL, &pattern, err) ||
       thema_turn_pattern_set_headings(pattern, opt ? opt->heading_pattern : NULL, err)))
    goto done;
  if (pattern && opt) thema_turn_pattern_set_preamble(pattern, opt->preamble);
  if (thema_fs_read(path, &raw, err)) goto done;
  ThemaParasEmit e = {.path = path,
                      .transcript = transcript,
                      .pattern = pattern,
                      .author = opt && !transcript ? opt->author : NULL};
  thema_parse_office(sink, thema_buf_str(&raw), raw.len, sn->format, &e, err);
done:
  thema_buf_free(&raw);
  thema_turn_pattern_free(pattern);
  return err->status;
}
