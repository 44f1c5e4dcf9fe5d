/*
 * kinds.c — the one table of import kinds. A new kind is one row here (its
 * importer and reader elsewhere in ingest/); the command line's kind list,
 * usage line, help and report lines and thema.import follow from it.
 */
#include "ingest/kinds.h"

#include <stdlib.h>
#include <string.h>

#include "base/fs.h"
#include "ingest/office.h"

static const char *imported(const ThemaImportResult *r) {
  return r->replaced ? "replaced" : "imported";
}

static void report_transcript(ThemaBuf *out, const char *name, const ThemaImportResult *r) {
  thema_buf_printf(out, "%s transcript %s: %ld turns, %ld speaker%s", imported(r), name,
                   r->segments, r->speakers, r->speakers == 1 ? "" : "s");
}

static void report_document(ThemaBuf *out, const char *name, const ThemaImportResult *r) {
  thema_buf_printf(out, "%s document %s: %ld paragraphs", imported(r), name, r->segments);
}

static void report_monitor(ThemaBuf *out, const char *name, const ThemaImportResult *r) {
  thema_buf_printf(out, "%s monitor %s: %ld rows, %ld observations", imported(r), name,
                   r->rows, r->observations);
}

static void report_cases(ThemaBuf *out, const char *name, const ThemaImportResult *r) {
  thema_buf_printf(out, "imported cases %s: %ld rows", name, r->rows);
}

static void report_codebook(ThemaBuf *out, const char *name, const ThemaImportResult *r) {
  thema_buf_printf(out, "imported codebook %s: %ld codes", name, r->rows);
}

static void report_codings(ThemaBuf *out, const char *name, const ThemaImportResult *r) {
  thema_buf_printf(out, "imported codings %s: %ld rows, %ld codings", name, r->rows,
                   r->segments);
}

static void report_qdpx(ThemaBuf *out, const char *name, const ThemaImportResult *r) {
  thema_buf_printf(
      out,
      "imported project %s: %ld sources, %ld segments, %ld codes, %ld codings, "
      "%ld cases, %ld memos",
      name, r->sources, r->segments - r->codings, r->codes, r->codings, r->cases, r->memos);
}

static void report_qdc(ThemaBuf *out, const char *name, const ThemaImportResult *r) {
  thema_buf_printf(out, "imported codebook %s: %ld codes", name, r->codes);
}

static const char *const transcript_exts[] = {"txt",  "vtt", "srt", "docx", "odt",
                                              "html", "htm", "pdf", "xml",  NULL};
static const char *const document_exts[] = {"md",   "markdown", "txt", "docx", "odt",
                                            "html", "htm",      "pdf", NULL};
static const char *const parlamint_exts[] = {"txt", "xml", NULL};

static int import_parlamint(ThemaStore *st, const char *path, const ThemaImportOptions *opt,
                            ThemaImportResult *res, ThemaError *err) {
  return thema_import_with(thema_read_parlamint, st, path, opt, res, err);
}
static const char *const csv_exts[] = {"csv", NULL};
static const char *const codebook_exts[] = {"csv", "lua", NULL};
static const char *const qdpx_exts[] = {"qdpx", NULL};
static const char *const qdc_exts[] = {"qdc", NULL};

const ThemaImportKind thema_import_kinds[] = {
    {"transcript", thema_import_transcript, transcript_exts, 0, report_transcript,
     ".txt turns 'LABEL: text' (front matter, [hh:mm:ss] or #hh:mm:ss-f#\n"
     "timestamps), .vtt (WebVTT) or .srt with <v Speaker> tags;\n"
     ".docx, .odt, .html, .pdf: each paragraph a line of such turns;\n"
     "TEI .xml (ParlaMint): each <u who> utterance a turn"},
    {"document", thema_import_document, document_exts, 0, report_document,
     ".md/.txt, .docx, .odt, .html, .pdf; paragraphs are segments,\n"
     "headings (a PDF's page) their section path; --author NAME"},
    {"monitor", thema_import_monitor, csv_exts, 0, report_monitor,
     ".csv table (',', ';' or tab), read as declared in FILE.meta"},
    {"cases", thema_import_cases, csv_exts, 0, report_cases,
     ".csv 'source,speaker,person,organisation,role,...' or\n"
     "'organisation,network,...'"},
    /* Plugins read the corpus; only a codebook (their instrument) may be
     * imported from inside a run. */
    {"codebook", thema_import_codebook, codebook_exts, 1, report_codebook,
     ".csv 'code,parent,description,include,exclude,options,match,\n"
     "nomatch' or .lua; every pattern is compiled first"},
    {"codings", thema_import_codings, csv_exts, 0, report_codings,
     ".csv 'source,segment,code[,start,end][,coder][,memo]': a human\n"
     "coder's codings (replacing that coder's earlier ones)"},
    {"qdpx", thema_import_qdpx, qdpx_exts, 0, report_qdpx,
     ".qdpx REFI-QDA project (ATLAS.ti, NVivo, MAXQDA, QualCoder, ...):\n"
     "codes, text sources, codings with their coders, cases, notes"},
    {"qdc", thema_import_qdc, qdc_exts, 0, report_qdc,
     ".qdc REFI-QDA codebook: codes with descriptions and colours"},
    {"parlamint", import_parlamint, parlamint_exts, 0, report_transcript,
     "ParlaMint sitting: NAME.txt with NAME-meta.tsv (speakers with\n"
     "party, gender, role... as cases) or its TEI .xml"},
    {NULL, NULL, NULL, 0, NULL, NULL},
};

const ThemaImportKind *thema_import_kind_find(const char *name) {
  for (const ThemaImportKind *k = thema_import_kinds; k->name; k++)
    if (strcmp(k->name, name) == 0) return k;
  return NULL;
}

void thema_import_kind_names(ThemaBuf *out, const char *sep, const char *last_sep) {
  for (const ThemaImportKind *k = thema_import_kinds; k->name; k++) {
    if (k != thema_import_kinds) thema_buf_puts(out, k[1].name ? sep : last_sep);
    thema_buf_puts(out, k->name);
  }
}

void thema_import_kind_help(ThemaBuf *out) {
  /* "  transcript  " is 14 columns: the text and its continuation lines
   * start there. */
  for (const ThemaImportKind *k = thema_import_kinds; k->name; k++) {
    thema_buf_printf(out, "  %-10s  ", k->name);
    for (const char *p = k->help; *p; p++) {
      thema_buf_putc(out, *p);
      if (*p == '\n') thema_buf_puts(out, "              ");
    }
    thema_buf_putc(out, '\n');
  }
}

void thema_import_kind_report(const ThemaImportKind *k, ThemaBuf *out, const char *path,
                              const ThemaImportResult *r) {
  char *name = thema_fs_stem(path);
  if (r->unchanged)
    thema_buf_printf(out, "unchanged %s %s", k->name, name);
  else
    k->report(out, name, r);
  free(name);
}
