/*
 * sniff.c — a file's format from its content. Signatures first (zip, PDF,
 * the binary formats researchers are most often handed: old Office files,
 * RTF, images, archives, UTF-16), then a zip's entries (Word, OpenDocument,
 * spreadsheets, REFI-QDA projects), then the first element of what looks
 * like markup (TEI, HTML, other XML). Anything else is text, which the text
 * loader then checks for UTF-8.
 */
#include "ingest/sniff.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

/* Enough for the prolog and the root element of any XML or HTML file. */
#define SNIFF_HEAD 8192

static void set(ThemaSniff *out, ThemaFormat f, const char *what) {
  out->format = f;
  snprintf(out->what, sizeof out->what, "%s", what);
}

static int starts(const char *s, size_t n, const char *sig, size_t k) {
  return n >= k && memcmp(s, sig, k) == 0;
}

/* 1 when s[0..n) holds needle. */
static int has(const char *s, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (memcmp(s + i, needle, k) == 0) return 1;
  return 0;
}

/* A zip's kind from its entries. */
static void sniff_zip(zip_t *z, ThemaSniff *out) {
  char mime[96] = "";
  zip_file_t *f = zip_fopen(z, "mimetype", 0);
  if (f) {
    zip_int64_t k = zip_fread(f, mime, sizeof mime - 1);
    mime[k > 0 ? k : 0] = '\0';
    zip_fclose(f);
  }
  if (zip_name_locate(z, "word/document.xml", 0) >= 0)
    set(out, THEMA_FORMAT_DOCX, "a Word document (DOCX)");
  else if (strcmp(mime, "application/vnd.oasis.opendocument.text") == 0)
    set(out, THEMA_FORMAT_ODT, "an OpenDocument text (ODT)");
  else if (strncmp(mime, "application/vnd.oasis.opendocument.spreadsheet", 46) == 0)
    set(out, THEMA_FORMAT_ZIP, "an OpenDocument spreadsheet (ODS)");
  else if (strncmp(mime, "application/vnd.oasis.opendocument.", 35) == 0)
    set(out, THEMA_FORMAT_ZIP, "an OpenDocument file that is not a text");
  else if (zip_name_locate(z, "xl/workbook.xml", 0) >= 0)
    set(out, THEMA_FORMAT_ZIP, "a spreadsheet (XLSX)");
  else if (zip_name_locate(z, "ppt/presentation.xml", 0) >= 0)
    set(out, THEMA_FORMAT_ZIP, "a presentation (PPTX)");
  else if (zip_name_locate(z, "project.qde", 0) >= 0)
    set(out, THEMA_FORMAT_ZIP, "a REFI-QDA project (QDPX)");
  else
    set(out, THEMA_FORMAT_ZIP, "a zip archive");
}

static void sniff_zip_data(const char *data, size_t n, ThemaSniff *out) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(data, n, 0, &ze);
  zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
  if (z) {
    sniff_zip(z, out);
    zip_discard(z);
  } else {
    if (src) zip_source_free(src);
    set(out, THEMA_FORMAT_ZIP, "a damaged or truncated zip archive");
  }
  zip_error_fini(&ze);
}

/* The name of the first element of s[0..n) after the prolog (declaration,
 * comments, processing instructions, doctype) into name; 0 when s does not
 * start with markup. *doctype_html = 1 for <!DOCTYPE html>. */
static int root_name(const char *s, size_t n, char *name, size_t cap, int *doctype_html) {
  size_t i = 0;
  *doctype_html = 0;
  for (;;) {
    while (i < n && isspace((unsigned char)s[i])) i++;
    if (i >= n || s[i] != '<') return 0;
    if (starts(s + i, n - i, "<?", 2) || starts(s + i, n - i, "<!--", 4)) {
      const char *close = starts(s + i, n - i, "<?", 2) ? "?>" : "-->";
      const char *e = NULL;
      for (size_t j = i + 2; j + strlen(close) <= n; j++)
        if (memcmp(s + j, close, strlen(close)) == 0) {
          e = s + j;
          break;
        }
      if (!e) return 0;
      i = (size_t)(e - s) + strlen(close);
      continue;
    }
    if (n - i >= 9 && strncasecmp(s + i, "<!DOCTYPE", 9) == 0) {
      size_t j = i + 9;
      while (j < n && isspace((unsigned char)s[j])) j++;
      if (n - j >= 4 && strncasecmp(s + j, "html", 4) == 0) *doctype_html = 1;
      while (j < n && s[j] != '>' && s[j] != '[') j++;
      if (j < n && s[j] == '[') /* an internal subset */
        while (j < n && s[j] != ']') j++;
      while (j < n && s[j] != '>') j++;
      if (j >= n) return 0;
      i = j + 1;
      continue;
    }
    size_t j = i + 1, k = 0;
    if (j >= n || !(isalpha((unsigned char)s[j]) || s[j] == '_')) return 0;
    while (j < n && (isalnum((unsigned char)s[j]) || strchr("_-.:", s[j]))) {
      if (k + 1 < cap) name[k++] = s[j];
      j++;
    }
    name[k] = '\0';
    return 1;
  }
}

/* Elements that start an HTML fragment saved without <html>. */
static int html_element(const char *name) {
  static const char *const names[] = {"html", "head", "body",  "meta", "title", "p",
                                      "div",  "span", "table", "h1",   "h2",    "h3",
                                      "ul",   "ol",   "br",    "link", "style", NULL};
  for (const char *const *p = names; *p; p++)
    if (strcasecmp(name, *p) == 0) return 1;
  return 0;
}

void thema_sniff_data(const char *data, size_t n, ThemaSniff *out) {
  const char *s = data;
  if (starts(s, n, "PK\x03\x04", 4) || starts(s, n, "PK\x05\x06", 4)) {
    sniff_zip_data(data, n, out);
    return;
  }
  if (starts(s, n, "%PDF-", 5)) return set(out, THEMA_FORMAT_PDF, "a PDF document");
  if (starts(s, n, "\xD0\xCF\x11\xE0", 4))
    return set(out, THEMA_FORMAT_BINARY, "an old Word or Excel file (.doc, .xls)");
  if (starts(s, n, "{\\rtf", 5))
    return set(out, THEMA_FORMAT_BINARY, "a Rich Text Format file (RTF)");
  if (starts(s, n, "\xFF\xFE", 2) || starts(s, n, "\xFE\xFF", 2))
    return set(out, THEMA_FORMAT_BINARY, "text in UTF-16");
  if (starts(s, n, "\x89PNG", 4) || starts(s, n, "\xFF\xD8\xFF", 3) ||
      starts(s, n, "GIF8", 4))
    return set(out, THEMA_FORMAT_BINARY, "an image");
  if (starts(s, n, "\x1F\x8B", 2) || starts(s, n, "7z\xBC\xAF", 4) ||
      starts(s, n, "Rar!", 4))
    return set(out, THEMA_FORMAT_BINARY, "a compressed archive");
  size_t head = n < SNIFF_HEAD ? n : SNIFF_HEAD;
  /* Many NUL bytes mean binary data; a stray one in a text is left to the
   * text loader, whose message gives its line and column. */
  size_t nuls = 0;
  for (size_t i = 0; i < head; i++) nuls += s[i] == '\0';
  if (nuls > head / 100 + 1) return set(out, THEMA_FORMAT_BINARY, "binary data");
  if (starts(s, n, "\xEF\xBB\xBF", 3)) s += 3, head -= 3;
  char name[64];
  int doctype_html = 0;
  if (!root_name(s, head, name, sizeof name, &doctype_html)) {
    if (doctype_html) return set(out, THEMA_FORMAT_HTML, "an HTML page");
    return set(out, THEMA_FORMAT_TEXT, "text");
  }
  const char *local = strrchr(name, ':');
  local = local ? local + 1 : name;
  if (strcmp(local, "TEI") == 0 || strcmp(local, "teiCorpus") == 0)
    return set(out, THEMA_FORMAT_TEI, "TEI XML");
  if (doctype_html || html_element(local))
    return set(out, THEMA_FORMAT_HTML, "an HTML page");
  /* '<' then a name: XML when a declaration or the element's end tag says
   * so; a text that merely starts with "<word" stays text. */
  char end[70];
  snprintf(end, sizeof end, "</%s", name);
  int declared = starts(s, head, "<?xml", 5);
  if (declared || has(s, head, end) || has(s, head, "/>"))
    return set(out, THEMA_FORMAT_XML, "XML that is not TEI or HTML");
  set(out, THEMA_FORMAT_TEXT, "text");
}

int thema_sniff_file(const char *path, ThemaSniff *out, ThemaError *err) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return thema_error_at(err, THEMA_EINPUT, path, 0, 0, "cannot open: %s",
                          strerror(errno));
  char head[SNIFF_HEAD];
  size_t n = fread(head, 1, sizeof head, f);
  int bad = ferror(f);
  fclose(f);
  if (bad) return thema_error_at(err, THEMA_EINPUT, path, 0, 0, "cannot read the file");
  if (starts(head, n, "PK\x03\x04", 4) || starts(head, n, "PK\x05\x06", 4)) {
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    if (z) {
      sniff_zip(z, out);
      zip_discard(z);
    } else {
      set(out, THEMA_FORMAT_ZIP, "a damaged or truncated zip archive");
    }
    return THEMA_OK;
  }
  thema_sniff_data(head, n, out);
  return THEMA_OK;
}

/* Which kinds read which formats; every kind reads text. */
static int kind_reads(const char *kind, ThemaFormat f) {
  if (f == THEMA_FORMAT_TEXT) return 1;
  int office = f == THEMA_FORMAT_DOCX || f == THEMA_FORMAT_ODT || f == THEMA_FORMAT_HTML ||
               f == THEMA_FORMAT_PDF;
  if (strcmp(kind, "document") == 0) return office;
  if (strcmp(kind, "transcript") == 0) return office || f == THEMA_FORMAT_TEI;
  if (strcmp(kind, "parlamint") == 0) return f == THEMA_FORMAT_TEI;
  return 0;
}

int thema_sniff_accept(const char *path, const ThemaSniff *sn, const char *kind,
                       ThemaError *err) {
  if (kind_reads(kind, sn->format)) return THEMA_OK;
  if (sn->format == THEMA_FORMAT_ZIP && strstr(sn->what, "damaged"))
    return thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                          "not a complete zip archive (a DOCX or ODT is one): the file is "
                          "truncated or damaged; save or download it again");
  const char *hint;
  switch (sn->format) {
    case THEMA_FORMAT_DOCX:
    case THEMA_FORMAT_ODT:
    case THEMA_FORMAT_HTML:
    case THEMA_FORMAT_PDF:
      hint = "import it with `thema import document` (paragraphs) or `thema import "
             "transcript` (speaker turns)";
      break;
    case THEMA_FORMAT_TEI:
      hint = "import it with `thema import transcript` (each <u> utterance is a turn)";
      break;
    case THEMA_FORMAT_XML:
      hint = "no importer reads it; export the text from it, or write an importer plugin";
      break;
    case THEMA_FORMAT_ZIP:
      if (strstr(sn->what, "QDPX"))
        hint = "import it with `thema import qdpx`";
      else if (strstr(sn->what, "spreadsheet"))
        hint = "save the sheet as CSV and import that (`thema import monitor` or `cases`)";
      else
        hint = "unpack it and import the files inside";
      break;
    case THEMA_FORMAT_BINARY:
      hint = strstr(sn->what, "UTF-16") ? "save it as UTF-8"
             : strstr(sn->what, "old") || strstr(sn->what, "RTF")
                 ? "save it as DOCX, ODT or plain text and import that"
                 : "give a text file (UTF-8) or a DOCX, ODT, HTML or PDF document";
      break;
    default: hint = "give plain UTF-8 text"; break;
  }
  const char *reads = strcmp(kind, "document") == 0 || strcmp(kind, "transcript") == 0
                          ? ""
                          : " (it reads plain text only)";
  return thema_error_at(err, THEMA_EINPUT, path, 0, 0,
                        "this is %s, which `thema import %s` does not read%s; %s", sn->what,
                        kind, reads, hint);
}

int thema_sniff_require(const char *path, const char *kind, ThemaSniff *out,
                        ThemaError *err) {
  ThemaSniff local;
  if (!out) out = &local;
  if (thema_sniff_file(path, out, err)) return err->status;
  return thema_sniff_accept(path, out, kind, err);
}

const char *thema_sniff_format_name(ThemaFormat f) {
  switch (f) {
    case THEMA_FORMAT_TEXT: return "txt";
    case THEMA_FORMAT_DOCX: return "docx";
    case THEMA_FORMAT_ODT: return "odt";
    case THEMA_FORMAT_ZIP: return "zip";
    case THEMA_FORMAT_PDF: return "pdf";
    case THEMA_FORMAT_HTML: return "html";
    case THEMA_FORMAT_TEI: return "tei";
    case THEMA_FORMAT_XML: return "xml";
    default: return "binary";
  }
}
