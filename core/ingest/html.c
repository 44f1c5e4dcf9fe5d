/*
 * html.c — HTML pages (minutes published on a website, Word's "Save as web
 * page") through libxml2's HTML parser, pushed in chunks with SAX callbacks:
 * no tree is built. Block elements are paragraphs, <h1>..<h6> headings,
 * <br> a line break, <title> the source's title; scripts, styles, the head
 * and Word's hidden parts (<xml> islands, list bullets marked
 * mso-list:Ignore, conditional comments, which are comments) are left out;
 * <o:p> and other unknown elements keep their text, &nbsp; is a space.
 *
 * The charset is the one the page declares (<meta charset> or http-equiv),
 * converted through libxml2's encoders (iconv). As browsers do, a page
 * declared ISO-8859-1 or ASCII is read as windows-1252. A page that
 * declares nothing must be UTF-8: guessing would store wrong letters.
 */
#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "ingest/office.h"

/* Bytes pushed to the parser at a time. */
#define HTML_CHUNK 65536

typedef struct Html {
  ThemaParas *p;
  const char *path;
  ThemaError *err;
  int skip;     /* depth inside an element whose content is left out */
  int in_title; /* inside <title> */
  ThemaBuf title;
  int cond;     /* where text is in a conditional comment (on_text) */
  ThemaBuf run; /* on_text's text without them */
} Html;

static int is_block(const char *n) {
  static const char *const blocks[] = {
      "p",       "div",        "li",         "dt",     "dd",      "td",      "th",
      "caption", "figcaption", "blockquote", "pre",    "address", "section", "article",
      "header",  "footer",     "aside",      "main",   "tr",      "table",   "ul",
      "ol",      "dl",         "form",       "center", "body",    "nav",     NULL};
  for (const char *const *b = blocks; *b; b++)
    if (strcasecmp(n, *b) == 0) return 1;
  return 0;
}

static int heading(const char *n) {
  if ((n[0] == 'h' || n[0] == 'H') && n[1] >= '1' && n[1] <= '6' && !n[2])
    return n[1] - '0';
  return 0;
}

static int left_out(const char *n, const xmlChar **atts) {
  static const char *const names[] = {"script", "style",  "noscript", "template", "xml",
                                      "object", "svg",    "math",     "iframe",   "select",
                                      "button", "canvas", NULL};
  for (const char *const *s = names; *s; s++)
    if (strcasecmp(n, *s) == 0) return 1;
  /* Word's list bullets and numbers: text the list style drew. */
  for (int i = 0; atts && atts[i]; i += 2)
    if (strcasecmp((const char *)atts[i], "style") == 0 && atts[i + 1] &&
        strstr((const char *)atts[i + 1], "mso-list:Ignore"))
      return 1;
  return 0;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts) {
  Html *h = ctx;
  const char *n = (const char *)name;
  if (h->skip) {
    h->skip++;
    return;
  }
  if (strcasecmp(n, "title") == 0) {
    h->in_title = 1;
    return;
  }
  if (left_out(n, atts)) {
    h->skip = 1;
    return;
  }
  int level = heading(n);
  if (level || is_block(n))
    thema_paras_begin(h->p, level, 0);
  else if (strcasecmp(n, "br") == 0)
    thema_paras_break(h->p);
  else if (strcasecmp(n, "hr") == 0)
    thema_paras_end(h->p);
  /* Inline elements (span, a, b, Word's o:p...) keep their text as it runs. */
}

static void on_end(void *ctx, const xmlChar *name) {
  Html *h = ctx;
  const char *n = (const char *)name;
  if (h->skip) {
    h->skip--;
    return;
  }
  if (strcasecmp(n, "title") == 0) {
    h->in_title = 0;
    return;
  }
  if (heading(n) || is_block(n)) thema_paras_end(h->p);
}

static void on_text(void *ctx, const xmlChar *s, int len) {
  Html *h = ctx;
  if (h->in_title) {
    thema_buf_append(&h->title, (const char *)s, (size_t)len);
    return;
  }
  if (h->skip) return;
  /* Word's downlevel-revealed conditional comments (<![if !supportLists]>,
   * <![endif]>) reach us as text, the '<' often in a call of its own: they
   * are markup, never words. cond: 0 text, 1 after '<', 2 after "<!", 3
   * inside "<![...", 4 after its ']'. */
  ThemaBuf *out = &h->run;
  thema_buf_reset(out);
  for (int i = 0; i < len; i++) {
    char c = (char)s[i];
    switch (h->cond) {
      case 0:
        if (c == '<')
          h->cond = 1;
        else
          thema_buf_putc(out, c);
        break;
      case 1:
        if (c == '!') {
          h->cond = 2;
        } else {
          thema_buf_putc(out, '<');
          h->cond = 0;
          i--; /* read c again as text */
        }
        break;
      case 2:
        if (c == '[') {
          h->cond = 3;
        } else {
          thema_buf_puts(out, "<!");
          h->cond = 0;
          i--;
        }
        break;
      case 3: h->cond = c == ']' ? 4 : 3; break;
      case 4: h->cond = c == '>' ? 0 : c == ']' ? 4 : 3; break;
    }
  }
  if (out->len) thema_paras_text(h->p, out->data, out->len);
}

static void on_error(void *ctx, xmlErrorPtr e) {
  Html *h = ctx;
  if (!e || h->err->status) return;
  /* Broken markup is normal on the web and the parser recovers; only a
   * charset it cannot convert loses text. */
  if (e->code != XML_ERR_UNSUPPORTED_ENCODING && e->code != XML_ERR_INVALID_ENCODING &&
      e->code != XML_I18N_CONV_FAILED && e->code != XML_ERR_INVALID_CHAR)
    return;
  char msg[256];
  snprintf(msg, sizeof msg, "%s", e->message ? e->message : "bad bytes");
  size_t k = strlen(msg);
  while (k && (msg[k - 1] == '\n' || msg[k - 1] == ' ')) msg[--k] = '\0';
  thema_error_at(h->err, THEMA_EINPUT, h->path, e->line, 0,
                 "%s: the bytes do not match the page's charset; correct its <meta "
                 "charset=...> or save it as UTF-8",
                 msg);
}

/* The charset the page declares in its first bytes ("charset=" in a meta
 * element or an XML declaration's encoding), lower-cased into out; 0 when
 * none is declared. */
static int declared_charset(const char *s, size_t n, char *out, size_t cap) {
  size_t lim = n < 4096 ? n : 4096;
  const char *keys[] = {"charset=", "encoding="};
  for (int k = 0; k < 2; k++) {
    size_t kl = strlen(keys[k]);
    for (size_t i = 0; i + kl < lim; i++) {
      if (strncasecmp(s + i, keys[k], kl) != 0) continue;
      size_t j = i + kl, o = 0;
      while (j < lim && (s[j] == '"' || s[j] == '\'' || s[j] == ' ')) j++;
      while (j < lim && (isalnum((unsigned char)s[j]) || strchr("-_.:", s[j])) &&
             o + 1 < cap)
        out[o++] = (char)tolower((unsigned char)s[j++]);
      out[o] = '\0';
      if (o) return 1;
    }
  }
  return 0;
}

int thema_html_paras(const char *path, const char *data, size_t n, ThemaParas *p,
                     ThemaError *err) {
  Html h = {.p = p, .path = path, .err = err};
  htmlParserCtxtPtr ctxt = NULL;
  char charset[64];
  if (!declared_charset(data, n, charset, sizeof charset)) {
    size_t valid = thema_utf8_valid_prefix(data, n);
    if (valid < n) {
      long line = 1;
      for (size_t i = 0; i < valid; i++) line += data[i] == '\n';
      thema_error_at(err, THEMA_EINPUT, path, line, 0,
                     "byte 0x%02X is not UTF-8 and the page declares no charset; add "
                     "<meta charset=\"windows-1252\"> (or the charset it is in) to its "
                     "head, or save it as UTF-8",
                     (unsigned char)data[valid]);
      goto done;
    }
    snprintf(charset, sizeof charset, "utf-8");
  }
  /* WHATWG: these labels mean windows-1252 on the web. */
  if (strcmp(charset, "iso-8859-1") == 0 || strcmp(charset, "latin1") == 0 ||
      strcmp(charset, "us-ascii") == 0 || strcmp(charset, "ascii") == 0 ||
      strcmp(charset, "iso8859-1") == 0)
    snprintf(charset, sizeof charset, "windows-1252");
  xmlCharEncodingHandlerPtr enc = xmlFindCharEncodingHandler(charset);
  if (!enc) {
    thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                   "the page declares charset '%s', which cannot be converted; correct "
                   "its <meta charset=...> or save it as UTF-8",
                   charset);
    goto done;
  }
  htmlSAXHandler sax;
  memset(&sax, 0, sizeof sax);
  sax.initialized = XML_SAX2_MAGIC;
  sax.startElement = on_start;
  sax.endElement = on_end;
  sax.characters = on_text;
  sax.cdataBlock = NULL; /* script and style content */
  sax.serror = on_error;
  ctxt = htmlCreatePushParserCtxt(&sax, &h, NULL, 0, path, XML_CHAR_ENCODING_NONE);
  if (!ctxt) {
    thema_error_set(err, THEMA_ERUNTIME, "%s: cannot start the HTML parser", path);
    xmlCharEncCloseFunc(enc);
    goto done;
  }
  htmlCtxtUseOptions(ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                               HTML_PARSE_NOIMPLIED | HTML_PARSE_COMPACT);
  xmlSwitchToEncoding(ctxt, enc);
  for (size_t off = 0; off < n && !err->status; off += HTML_CHUNK) {
    size_t k = n - off < HTML_CHUNK ? n - off : HTML_CHUNK;
    htmlParseChunk(ctxt, data + off, (int)k, 0);
  }
  if (!err->status) htmlParseChunk(ctxt, NULL, 0, 1);
  if (!err->status && h.title.len) thema_paras_meta(p, "title", h.title.data, h.title.len);
  thema_paras_end(p);
done:
  if (ctxt) {
    if (ctxt->myDoc) xmlFreeDoc(ctxt->myDoc);
    htmlFreeParserCtxt(ctxt);
  }
  thema_buf_free(&h.title);
  thema_buf_free(&h.run);
  return err->status;
}
