/*
 * paras.h — the paragraphs of a formatted document (DOCX, ODT, HTML, PDF)
 * as its parser finds them, collected into the text thema stores, and that
 * text emitted into a sink: as a document (every body paragraph a segment,
 * headings its section path) or as a transcript (a paragraph that starts
 * with a label of the speaker pattern opens a turn, the ones after it
 * continue it, headings are the section path of the turns under them).
 *
 * The stored text is the paragraphs, one per line, in document order:
 * markup never reaches it. Runs of white space (NBSP included) become one
 * space, as a reader sees them; an explicit line break stays a newline.
 */
#ifndef THEMA_PARAS_H
#define THEMA_PARAS_H

#include <stddef.h>

#include "base/thema.h"
#include "ingest/sink.h"
#include "ingest/turn.h"
#include "text/meta.h"

#define THEMA_PARAS_LEVELS 6

typedef struct ThemaPara {
  size_t start, end; /* bytes of text */
  int level;         /* 0 for body text, 1..6 for a heading */
  long page;         /* 1-based page (PDF), 0 when the format has none */
} ThemaPara;

typedef struct ThemaParas {
  ThemaBuf text;    /* the stored text */
  ThemaPara *items; /* the paragraphs, owned */
  size_t n, cap;    /* used and allocated */
  int open;         /* a paragraph is being collected (items[n]) */
  int space;        /* white space is pending in the open paragraph */
  ThemaMeta meta;   /* title and other source metadata found, owned */
} ThemaParas;

/* Start a paragraph (ending the open one) at heading level (0: body) on page. */
void thema_paras_begin(ThemaParas *p, int level, long page);
/* Set the open paragraph's heading level (a style read after its start). */
void thema_paras_level(ThemaParas *p, int level);
/* Append n bytes of UTF-8 text to the open paragraph (one is begun when none
 * is open); white space runs collapse. */
void thema_paras_text(ThemaParas *p, const char *s, size_t n);
/* An explicit line break inside the open paragraph. */
void thema_paras_break(ThemaParas *p);
/* End the open paragraph; an empty one is dropped. */
void thema_paras_end(ThemaParas *p);
/* Set a metadata key (the first value wins). */
void thema_paras_meta(ThemaParas *p, const char *key, const char *value, size_t n);
void thema_paras_free(ThemaParas *p);

/* How collected paragraphs become a source. */
typedef struct ThemaParasEmit {
  const char *path;          /* the file: names the source and messages */
  const char *hash;          /* SHA-256 of the file's bytes */
  const char *format;        /* docx, odt, html, pdf */
  int transcript;            /* 1: turns through pattern; 0: a document */
  ThemaTurnPattern *pattern; /* the speaker pattern for a transcript */
  const char *author; /* a document's author (a speaker of every paragraph), or NULL */
} ThemaParasEmit;

/* Emit p into sink as e says: one source, its segments, and for an author
 * the speaker row mapping them to the person of that name. */
int thema_paras_emit(ThemaSink *sink, ThemaParas *p, const ThemaParasEmit *e,
                     ThemaError *err);

/* The section path "A > B" of headings[1..6] into out (reset first). */
void thema_paras_section(char *const *headings, ThemaBuf *out);

/* Map the segments of the just-ended source at path to the person named
 * author, of organisation (NULL for none): the sink's speaker row. */
int thema_paras_author(ThemaSink *sink, const char *path, const char *author,
                       const char *organisation, ThemaError *err);

#endif
