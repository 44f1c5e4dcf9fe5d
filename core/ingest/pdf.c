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
#include <string.h>

#include "ingest/office.h"

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
    /* The boxes are one per character of the text when the layout agrees
     * with it; otherwise only blank lines cut paragraphs. */
    int use_boxes = nboxes && g_utf8_validate(s, (gssize)len, NULL) &&
                    (size_t)g_utf8_strlen(s, (gssize)len) == nboxes;
    size_t cp = 0; /* code points before the line */
    double prev_top = 0, prev_bottom = 0;
    int have_prev = 0;
    thema_paras_end(p);
    for (size_t ls = 0; ls < len;) {
      const char *nl = memchr(s + ls, '\n', len - ls);
      size_t le = nl ? (size_t)(nl - s) : len;
      size_t line_cps = (size_t)g_utf8_strlen(s + ls, (gssize)(le - ls));
      size_t b = ls;
      while (b < le && (s[b] == ' ' || s[b] == '\t' || s[b] == '\f' || s[b] == '\r')) b++;
      if (b == le) {
        thema_paras_end(p); /* a blank line ends a block */
        have_prev = 0;
      } else {
        if (use_boxes) {
          double top = boxes[cp].y1, bottom = boxes[cp].y2;
          for (size_t k = cp; k < cp + line_cps && k < nboxes; k++) {
            if (boxes[k].y1 < top) top = boxes[k].y1;
            if (boxes[k].y2 > bottom) bottom = boxes[k].y2;
          }
          double h = prev_bottom - prev_top, gap = top - prev_bottom;
          if (have_prev && h > 0 && (gap > 0.5 * h || gap < -2 * h)) thema_paras_end(p);
          prev_top = top;
          prev_bottom = bottom;
          have_prev = 1;
        }
        if (!p->open)
          thema_paras_begin(p, 0, i + 1);
        else
          thema_paras_break(p);
        thema_paras_text(p, s + b, le - b);
      }
      cp += line_cps + (nl ? 1 : 0);
      ls = nl ? le + 1 : len;
    }
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
