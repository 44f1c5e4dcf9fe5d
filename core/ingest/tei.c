/*
 * tei.c — TEI transcripts as ParlaMint encodes parliamentary sittings,
 * through libxml2's streaming reader (no tree: a sitting of any length is
 * read in one pass). Each <u who="#Id"> utterance is a turn of speaker
 * "Id"; its <seg> paragraphs are lines of the turn. Editorial material —
 * <note>, <kinesic>, <vocal>, <incident>, <gap>, <desc> — is left out, so
 * that "(Applause)" is never coded as speech. A <head> inside a <div> is
 * the section path of the turns under it; the header's first <title> and
 * its <setting><date when> fill the source's title and date.
 *
 * The stored text renders each turn as a transcript line "Id: text", with
 * its further paragraphs on the lines after it, like a .txt transcript.
 */
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "ingest/office.h"
#include "ingest/zipxml.h"

#define TEI_NS "http://www.tei-c.org/ns/1.0"
#define DEPTH_MAX 6

typedef struct TeiTurn {
  char *label;       /* who without '#'; owned */
  char *section;     /* heading path, or NULL; owned */
  size_t start, end; /* bytes of the turn's text */
  size_t line;       /* where its line (and "Id: ") starts in the text */
} TeiTurn;

typedef struct Tei {
  ThemaBuf text;              /* the stored text */
  TeiTurn *turns;             /* owned */
  size_t n, cap;              /* used and allocated */
  ThemaParas seg;             /* the open paragraph's text, white space collapsed */
  ThemaMeta meta;             /* title and date */
  char *heads[DEPTH_MAX + 1]; /* head texts by div depth; owned */
} Tei;

static int editorial(xmlTextReaderPtr r) {
  static const char *const names[] = {"note", "kinesic", "vocal", "incident", "gap",
                                      "desc", "pb",      "fw",    NULL};
  for (const char *const *n = names; *n; n++)
    if (thema_xml_is(r, *n, NULL)) return 1;
  return 0;
}

static void meta_add(ThemaMeta *m, const char *key, const char *value) {
  if (thema_meta_get(m, key) || !value || !*value) return;
  m->keys = thema_xrealloc(m->keys, (size_t)(m->n + 1) * sizeof(char *));
  m->values = thema_xrealloc(m->values, (size_t)(m->n + 1) * sizeof(char *));
  m->keys[m->n] = thema_xstrdup(key);
  m->values[m->n] = thema_xstrdup(value);
  m->n++;
}

/* Append the collected paragraph to the open turn. */
static void flush_para(Tei *t) {
  thema_paras_end(&t->seg);
  if (!t->seg.text.len) return;
  TeiTurn *u = &t->turns[t->n - 1];
  if (u->end > u->start) thema_buf_putc(&t->text, '\n');
  if (u->end == u->start) u->start = t->text.len;
  thema_buf_append(&t->text, t->seg.text.data, t->seg.text.len);
  u->end = t->text.len;
  thema_paras_free(&t->seg);
}

static void begin_turn(Tei *t, const char *who) {
  if (t->n == t->cap) {
    t->cap = t->cap ? 2 * t->cap : 64;
    t->turns = thema_xrealloc(t->turns, t->cap * sizeof *t->turns);
  }
  TeiTurn *u = &t->turns[t->n++];
  memset(u, 0, sizeof *u);
  u->line = t->text.len;
  if (t->text.len) thema_buf_putc(&t->text, '\n');
  u->label = thema_xstrdup(who[0] == '#' ? who + 1 : who);
  ThemaBuf path = {0};
  thema_paras_section(t->heads, &path);
  u->section = path.len ? thema_xstrdup(path.data) : NULL;
  thema_buf_free(&path);
  thema_buf_printf(&t->text, "%s: ", u->label);
  u->start = u->end = t->text.len;
}

/* An utterance whose every word was editorial carries no speech: its line
 * leaves the stored text. */
static void drop_empty(Tei *t) {
  TeiTurn *u = t->n ? &t->turns[t->n - 1] : NULL;
  if (!u || u->end > u->start) return;
  t->text.len = u->line;
  if (t->text.data) t->text.data[t->text.len] = '\0';
  free(u->label);
  free(u->section);
  t->n--;
}

static void tei_free(Tei *t) {
  for (size_t i = 0; i < t->n; i++) {
    free(t->turns[i].label);
    free(t->turns[i].section);
  }
  free(t->turns);
  thema_buf_free(&t->text);
  thema_paras_free(&t->seg);
  thema_meta_free(&t->meta);
  for (int i = 0; i <= DEPTH_MAX; i++) free(t->heads[i]);
}

/* Read the whole file into t; errors name the line. */
static int tei_read(Tei *t, const char *path, const char *data, size_t n, ThemaError *err) {
  ThemaXmlErrors errors = {.path = path, .err = err};
  xmlTextReaderPtr r = xmlReaderForMemory(
      data, (int)n, path, NULL, XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_NOWARNING);
  if (!r)
    return thema_error_set(err, THEMA_ERUNTIME, "%s: cannot start an XML reader", path);
  thema_xml_reader_errors(r, &errors);
  int header = 0, in_setting = 0, div = 0, in_u = 0, in_head = 0, in_title = 0;
  ThemaBuf head = {0}, title = {0};
  int rc = xmlTextReaderRead(r);
  while (rc == 1 && !err->status) {
    int type = xmlTextReaderNodeType(r);
    if (type == XML_READER_TYPE_ELEMENT) {
      int empty = xmlTextReaderIsEmptyElement(r);
      if (header) {
        if (thema_xml_is(r, "title", NULL) && !thema_meta_get(&t->meta, "title") && !empty)
          in_title = 1;
        else if (thema_xml_is(r, "setting", NULL))
          in_setting = !empty;
        else if (in_setting && thema_xml_is(r, "date", NULL)) {
          xmlChar *when = xmlTextReaderGetAttribute(r, BAD_CAST "when");
          meta_add(&t->meta, "date", (const char *)when);
          xmlFree(when);
        }
      } else if (thema_xml_is(r, "teiHeader", NULL)) {
        header = !empty;
      } else if (editorial(r)) {
        if (!empty) {
          rc = xmlTextReaderNext(r);
          continue;
        }
      } else if (thema_xml_is(r, "div", NULL) && !empty) {
        div++;
      } else if (thema_xml_is(r, "head", NULL) && !in_u && !empty) {
        in_head = 1;
        thema_buf_reset(&head);
      } else if (thema_xml_is(r, "u", NULL)) {
        xmlChar *who = xmlTextReaderGetAttribute(r, BAD_CAST "who");
        if (!who || !*who || (who[0] == '#' && !who[1])) {
          /* The element's own line (the parser reads ahead of it). */
          thema_error_at(err, THEMA_EINPUT, path, xmlGetLineNo(xmlTextReaderCurrentNode(r)),
                         0,
                         "an utterance <u> without a speaker; give it who=\"#PersonId\"");
          xmlFree(who);
          break;
        }
        begin_turn(t, (const char *)who);
        xmlFree(who);
        in_u = !empty;
        if (empty) drop_empty(t);
      } else if (in_u && (thema_xml_is(r, "seg", NULL) || thema_xml_is(r, "p", NULL))) {
        flush_para(t);
      } else if (in_u && thema_xml_is(r, "lb", NULL)) {
        thema_paras_text(&t->seg, " ", 1);
      }
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
      if (header) {
        if (thema_xml_is(r, "teiHeader", NULL)) {
          header = 0;
          ThemaParas h = {0}; /* the title with its white space collapsed */
          thema_paras_meta(&h, "title", thema_buf_str(&title), title.len);
          if (h.meta.n) meta_add(&t->meta, "title", h.meta.values[0]);
          thema_paras_free(&h);
        } else if (thema_xml_is(r, "title", NULL))
          in_title = 0;
        else if (thema_xml_is(r, "setting", NULL))
          in_setting = 0;
      } else if (thema_xml_is(r, "div", NULL)) {
        int level = div < DEPTH_MAX ? div : DEPTH_MAX;
        for (int l = level; l <= DEPTH_MAX; l++) {
          free(t->heads[l]);
          t->heads[l] = NULL;
        }
        if (div > 0) div--;
      } else if (thema_xml_is(r, "head", NULL) && in_head) {
        in_head = 0;
        ThemaParas h = {0};
        thema_paras_text(&h, head.data ? head.data : "", head.len);
        thema_paras_end(&h);
        int level = div < 1 ? 1 : div > DEPTH_MAX ? DEPTH_MAX : div;
        for (int l = level; l <= DEPTH_MAX; l++) {
          free(t->heads[l]);
          t->heads[l] = NULL;
        }
        if (h.text.len) t->heads[level] = thema_xstrdup(h.text.data);
        thema_paras_free(&h);
      } else if (thema_xml_is(r, "u", NULL) && in_u) {
        flush_para(t);
        in_u = 0;
        drop_empty(t);
      } else if (in_u && (thema_xml_is(r, "seg", NULL) || thema_xml_is(r, "p", NULL))) {
        flush_para(t);
      }
    } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
               type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
      const char *v = (const char *)xmlTextReaderConstValue(r);
      size_t k = v ? strlen(v) : 0;
      if (in_title)
        thema_buf_append(&title, v, k);
      else if (in_head)
        thema_buf_append(&head, v, k);
      else if (in_u)
        thema_paras_text(&t->seg, v, k);
    }
    rc = xmlTextReaderRead(r);
  }
  if (rc < 0 && !err->status)
    thema_error_at(err, THEMA_EINPUT, path, xmlTextReaderGetParserLineNumber(r), 0,
                   "malformed XML; the file is damaged or truncated: save or download it "
                   "again");
  xmlFreeTextReader(r);
  thema_buf_free(&head);
  thema_buf_free(&title);
  return err->status;
}

int thema_parse_tei(ThemaSink *sink, const char *path, const char *data, size_t n,
                    const char *hash, ThemaError *err) {
  Tei t = {0};
  ThemaUtf8Cursor cursor = {0};
  int unchanged = 0;
  if (tei_read(&t, path, data, n, err)) goto done;
  /* Utterances whose every word was editorial carry no speech: skip them. */
  size_t kept = 0;
  for (size_t i = 0; i < t.n; i++) kept += t.turns[i].end > t.turns[i].start;
  if (kept == 0) {
    thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                   "no utterance with text found; a TEI transcript holds <u who=\"#Id\"> "
                   "elements in its <body>");
    goto done;
  }
  if (!t.text.data) thema_buf_append(&t.text, "", 0);
  ThemaSourceRec src = {.kind = "transcript",
                        .format = "tei",
                        .path = path,
                        .hash = hash,
                        .text = t.text.data,
                        .len = t.text.len,
                        .meta = &t.meta};
  if (thema_sink_begin_source(sink, &src, &unchanged, err) || unchanged) goto done;
  long ordinal = 0;
  for (size_t i = 0; i < t.n; i++) {
    const TeiTurn *u = &t.turns[i];
    if (u->end == u->start) continue;
    ThemaSegmentRec seg = {.ordinal = ++ordinal,
                           .speaker = u->label,
                           .section = u->section,
                           .start =
                               thema_utf8_cursor_advance(&cursor, t.text.data, u->start),
                           .end = thema_utf8_cursor_advance(&cursor, t.text.data, u->end),
                           .text = t.text.data + u->start,
                           .len = u->end - u->start};
    if (thema_sink_add_segment(sink, &seg, err)) goto done;
  }
  thema_sink_end_source(sink, err);
done:
  tei_free(&t);
  return err->status;
}
