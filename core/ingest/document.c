/*
 * document.c — documents (plain text or Markdown): every paragraph is a
 * segment, and the headings above it (ATX "# Title" or setext "Title" over
 * "===" / "---") are kept as its section path "Chapter > Section". The
 * document kind's reader sniffs its file first: DOCX, ODT, HTML and PDF go
 * to their parsers (office.h), anything else that is not text is refused.
 *
 * A single-author text (a speech, an essay, an open answer) names its
 * author in front matter (author:, with organisation: if any) or with
 * --author: every paragraph is then that speaker's, mapped to the person of
 * that name, so person and organisation attributes apply to it.
 */
#include <stdlib.h>
#include <string.h>

#include "base/fs.h"
#include "ingest/ingest.h"
#include "ingest/office.h"
#include "ingest/sniff.h"

#define MAX_LEVEL 6

typedef struct Sections {
  char *title[MAX_LEVEL + 1]; /* owned; index 1..6 */
} Sections;

static void sections_set(Sections *s, int level, const char *t, size_t n) {
  for (int l = level; l <= MAX_LEVEL; l++) {
    free(s->title[l]);
    s->title[l] = NULL;
  }
  /* Headings often carry bold markers from a PDF conversion: drop them. */
  ThemaBuf b = {0};
  for (size_t i = 0; i < n; i++)
    if (t[i] != '*') thema_buf_putc(&b, t[i]);
  size_t e = b.len;
  while (e && (b.data[e - 1] == ' ' || b.data[e - 1] == '#')) e--;
  size_t st = 0;
  while (st < e && b.data[st] == ' ') st++;
  s->title[level] = thema_xstrndup(thema_buf_str(&b) + st, e - st);
  thema_buf_free(&b);
}

static void sections_path(const Sections *s, ThemaBuf *out) {
  thema_buf_reset(out);
  for (int l = 1; l <= MAX_LEVEL; l++) {
    if (!s->title[l] || !*s->title[l]) continue;
    if (out->len) thema_buf_puts(out, " > ");
    thema_buf_puts(out, s->title[l]);
  }
}

static int atx_level(const char *s, size_t n) {
  int l = 0;
  while ((size_t)l < n && s[l] == '#') l++;
  if (l < 1 || l > MAX_LEVEL) return 0;
  if ((size_t)l < n && s[l] != ' ' && s[l] != '\t') return 0;
  return l;
}

static int is_rule(const char *s, size_t n, char c) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == c)
      k++;
    else if (s[i] != ' ' && s[i] != '\t')
      return 0;
  }
  return k >= 3;
}

/* The document in; author (NULL: front matter's author: key, if any) speaks
 * every paragraph. */
static int parse_document(ThemaSink *sink, const char *path, const ThemaInput *in,
                          int is_md, const char *author, ThemaError *err) {
  ThemaTextBody body = {0};
  Sections sec = {0};
  ThemaBuf section = {0};
  ThemaUtf8Cursor cursor = {0};
  int unchanged = 0;
  if (thema_sink_begin_text(sink, path, in, "document", is_md ? "md" : "txt", &body,
                            &unchanged, err) ||
      unchanged)
    goto done;
  if (!author) author = thema_meta_get(&body.meta, "author");
  if (author && !*author) author = NULL;
  const char *s = body.text;
  size_t len = body.len;
  long ordinal = 0;
  size_t pb = 0, pe = 0; /* the open paragraph's byte span */
  int open = 0, lines_in_para = 0;
  for (size_t ls = 0; ls <= len;) {
    const char *nl = ls < len ? memchr(s + ls, '\n', len - ls) : NULL;
    size_t le = nl ? (size_t)(nl - s) : len;
    size_t b = ls, e = le;
    while (b < e && (s[b] == ' ' || s[b] == '\t')) b++;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) e--;
    int blank = b == e, level = blank ? 0 : atx_level(s + b, e - b);
    int setext = 0;
    if (!blank && open && lines_in_para == 1 &&
        (is_rule(s + b, e - b, '=') || is_rule(s + b, e - b, '-')))
      setext = s[b] == '=' ? 1 : 2;
    if (setext) {
      sections_set(&sec, setext, s + pb, pe - pb);
      open = 0;
    }
    int ends_para =
        blank || level || setext || ls >= len || (!open && is_rule(s + b, e - b, '-'));
    if (open && (ends_para || ls >= len)) {
      if (!setext) {
        sections_path(&sec, &section);
        ThemaSegmentRec seg = {.ordinal = ++ordinal,
                               .speaker = author,
                               .section = section.len ? section.data : NULL,
                               .start = thema_utf8_cursor_advance(&cursor, s, pb),
                               .end = thema_utf8_cursor_advance(&cursor, s, pe),
                               .text = s + pb,
                               .len = pe - pb};
        if (thema_sink_add_segment(sink, &seg, err)) goto done;
      }
      open = 0;
    }
    if (level) {
      sections_set(&sec, level, s + b + level, e - b - (size_t)level);
    } else if (!blank && !setext && !is_rule(s + b, e - b, '-')) {
      if (!open) {
        open = 1;
        pb = b;
        lines_in_para = 0;
      }
      pe = e;
      lines_in_para++;
    }
    if (ls >= len) break;
    ls = nl ? le + 1 : len; /* one more pass at len flushes the last paragraph */
  }
  if (ordinal == 0)
    thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                   "no paragraph of text found (only headings or front matter); "
                   "nothing to code");
  else if (!thema_sink_end_source(sink, err) && author)
    thema_paras_author(sink, path, author, thema_meta_get(&body.meta, "organisation"), err);
done:
  for (int l = 0; l <= MAX_LEVEL; l++) free(sec.title[l]);
  thema_buf_free(&section);
  thema_meta_free(&body.meta);
  return err->status;
}

int thema_parse_document(ThemaSink *sink, const char *path, const ThemaInput *in, int is_md,
                         ThemaError *err) {
  return parse_document(sink, path, in, is_md, NULL, err);
}

int thema_read_document(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                        ThemaError *err) {
  ThemaSniff sn;
  if (thema_sniff_require(path, "document", &sn, err)) return err->status;
  if (sn.format != THEMA_FORMAT_TEXT)
    return thema_read_office(sink, path, &sn, "document", opt, err);
  ThemaInput in = {0};
  if (!thema_input_load(path, &in, err))
    parse_document(sink, path, &in,
                   thema_fs_has_ext(path, "md") || thema_fs_has_ext(path, "markdown"),
                   opt && opt->author && *opt->author ? opt->author : NULL, err);
  thema_input_free(&in);
  return err->status;
}
