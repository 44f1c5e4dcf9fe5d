/*
 * pdf.c — PDF documents through poppler-glib: the text of each page in
 * reading order, every page's blocks (lines separated by a blank line) a
 * paragraph whose lines stay lines, so that a transcript's speaker labels
 * still start a line. Each paragraph knows its page: a document keeps it
 * as the last step of the segment's section path ("page 2"), since a
 * segment has no attributes of its own in the sink yet and the path is
 * what exports, kwic and filters already show.
 */
#include <poppler.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/office.h"

/* One line of a page's text: its bytes and, when known, its box. */
typedef struct Line {
  size_t b, e;        /* bytes of the line without leading blanks */
  double top, bottom; /* its characters' extent (page units, y downwards) */
  int blank;          /* nothing but white space */
} Line;

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The paragraphs of one page's text s[0..len) into p. boxes are one per
 * character when poppler's layout agrees with the text (else none is used
 * and only blank lines cut). A gap between lines wider than the page's
 * usual one by 40% of a line's height starts a paragraph (line spacing
 * differs from document to document; a paragraph's extra space is added to
 * it), as does a line that goes back up the page (a new column). */
static void page_paras(ThemaParas *p, const char *s, size_t len,
                       const PopplerRectangle *boxes, guint nboxes, long page) {
  int use_boxes = nboxes && g_utf8_validate(s, (gssize)len, NULL) &&
                  (size_t)g_utf8_strlen(s, (gssize)len) == nboxes;
  Line *lines = NULL;
  size_t n = 0, cap = 0, cp = 0;
  for (size_t ls = 0; ls < len;) {
    const char *nl = memchr(s + ls, '\n', len - ls);
    size_t le = nl ? (size_t)(nl - s) : len;
    size_t line_cps = (size_t)g_utf8_strlen(s + ls, (gssize)(le - ls));
    size_t b = ls;
    while (b < le && (s[b] == ' ' || s[b] == '\t' || s[b] == '\f' || s[b] == '\r')) b++;
    if (n == cap) {
      cap = cap ? 2 * cap : 64;
      lines = thema_xrealloc(lines, cap * sizeof *lines);
    }
    Line *l = &lines[n++];
    *l = (Line){.b = b, .e = le, .blank = b == le};
    if (use_boxes && !l->blank) {
      l->top = boxes[cp].y1;
      l->bottom = boxes[cp].y2;
      for (size_t k = cp; k < cp + line_cps && k < nboxes; k++) {
        if (boxes[k].y1 < l->top) l->top = boxes[k].y1;
        if (boxes[k].y2 > l->bottom) l->bottom = boxes[k].y2;
      }
    }
    cp += line_cps + (nl ? 1 : 0);
    ls = nl ? le + 1 : len;
  }
  /* The page's usual gap: the lower quartile of the gaps between lines
   * (most gaps are inside paragraphs); on a page of few lines, where the
   * quartile may be a paragraph's gap, at most half a line. */
  double usual = 0;
  size_t ngaps = 0;
  if (use_boxes && n > 1) {
    double *gaps = thema_xmalloc(n * sizeof *gaps);
    size_t k = 0;
    for (size_t i = 1; i < n; i++)
      if (!lines[i].blank && !lines[i - 1].blank && lines[i].top >= lines[i - 1].top)
        gaps[k++] = lines[i].top - lines[i - 1].bottom;
    if (k) {
      qsort(gaps, k, sizeof *gaps, cmp_double);
      usual = gaps[k / 4];
      ngaps = k;
    }
    free(gaps);
  }
  for (size_t i = 0; i < n; i++) {
    const Line *l = &lines[i];
    if (l->blank) {
      thema_paras_end(p); /* a blank line ends a block */
      continue;
    }
    if (use_boxes && i > 0 && !lines[i - 1].blank) {
      const Line *prev = &lines[i - 1];
      double h = prev->bottom - prev->top, gap = l->top - prev->bottom;
      double base = ngaps >= 4 || usual < 0.5 * h ? usual : 0.5 * h;
      if (h > 0 && (gap > base + 0.4 * h || l->top < prev->top - h)) thema_paras_end(p);
    }
    if (!p->open)
      thema_paras_begin(p, 0, page);
    else
      thema_paras_break(p);
    thema_paras_text(p, s + l->b, l->e - l->b);
  }
  free(lines);
}

int thema_pdf_paras(const char *path, const char *data, size_t n, ThemaParas *p,
                    ThemaError *err) {
  GError *gerr = NULL;
  GBytes *bytes = g_bytes_new_static(data, n);
  PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
  if (!doc) {
    int locked =
        gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED;
    thema_error_at(err, THEMA_EINPUT, path, 0, 0, "cannot read this PDF (%s); %s",
                   gerr ? gerr->message : "unknown error",
                   locked ? "it is password-protected: save an unprotected copy"
                          : "the file is damaged or truncated: save or download it again");
    goto done;
  }
  char *title = poppler_document_get_title(doc);
  if (title) thema_paras_meta(p, "title", title, strlen(title));
  g_free(title);
  int pages = poppler_document_get_n_pages(doc);
  for (int i = 0; i < pages; i++) {
    PopplerPage *page = poppler_document_get_page(doc, i);
    if (!page) {
      thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                     "page %d cannot be read; the file is damaged: save or download it "
                     "again",
                     i + 1);
      goto done;
    }
    char *text = poppler_page_get_text(page);
    PopplerRectangle *boxes = NULL;
    guint nboxes = 0;
    if (!poppler_page_get_text_layout(page, &boxes, &nboxes)) nboxes = 0;
    g_object_unref(page);
    const char *s = text ? text : "";
    size_t len = strlen(s);
    page_paras(p, s, len, boxes, nboxes, i + 1);
    thema_paras_end(p);
    g_free(boxes);
    g_free(text);
  }
done:
  if (doc) g_object_unref(doc);
  g_bytes_unref(bytes);
  if (gerr) g_error_free(gerr);
  return err->status;
}
