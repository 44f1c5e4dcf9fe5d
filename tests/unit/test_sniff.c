/*
 * test_sniff.c — what a file is, from its bytes (core/ingest/sniff.c): a
 * table of heads and the format each must be read as, and which import
 * kinds accept which format, with the refusal naming the kind that can.
 */
#include "helpers.h"
#include "ingest/sniff.h"

typedef struct SniffCase {
  const char *what;
  const char *data;
  size_t n;
  ThemaFormat want;
} SniffCase;

#define SC(what, lit, want)                                                                \
  { what, lit, sizeof(lit) - 1, want }

Test(sniff, heads_table) {
  static const SniffCase cases[] = {
      SC("plain text", "R1: hallo\n", THEMA_FORMAT_TEXT),
      SC("markdown heading", "# Titel\n\nTekst.\n", THEMA_FORMAT_TEXT),
      SC("text that starts with a tag-like word", "<tussenkop> en verder\n",
         THEMA_FORMAT_TEXT),
      SC("windows-1252 text is text (the loader refuses it)", "caf\xe9\n",
         THEMA_FORMAT_TEXT),
      SC("pdf", "%PDF-1.4\n%\xe2\xe3\n", THEMA_FORMAT_PDF),
      SC("xml with a declaration", "<?xml version=\"1.0\"?>\n<root/>", THEMA_FORMAT_XML),
      SC("xml closed", "<list><item>x</item></list>", THEMA_FORMAT_XML),
      SC("tei",
         "<?xml version=\"1.0\"?>\n<!-- c -->\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">",
         THEMA_FORMAT_TEI),
      SC("tei corpus", "<teiCorpus xmlns=\"http://www.tei-c.org/ns/1.0\">",
         THEMA_FORMAT_TEI),
      SC("html doctype", "<!DOCTYPE html>\n<html><body>x</body></html>", THEMA_FORMAT_HTML),
      SC("html without doctype", "\n  <HTML>\n<p>x", THEMA_FORMAT_HTML),
      SC("xhtml", "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">",
         THEMA_FORMAT_HTML),
      SC("html fragment", "<p>Eerste alinea</p>", THEMA_FORMAT_HTML),
      SC("bom then html", "\xEF\xBB\xBF<html>", THEMA_FORMAT_HTML),
      SC("old word", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", THEMA_FORMAT_BINARY),
      SC("rtf", "{\\rtf1\\ansi hallo}", THEMA_FORMAT_BINARY),
      SC("utf-16", "\xFF\xFEh\0i\0", THEMA_FORMAT_BINARY),
      SC("png", "\x89PNG\r\n\x1a\n", THEMA_FORMAT_BINARY),
      SC("gzip", "\x1f\x8b\x08\0", THEMA_FORMAT_BINARY),
      SC("nul bytes", "ELF\0\0\0\1\0\0\0", THEMA_FORMAT_BINARY),
      SC("one stray nul is the text loader's to report", "abc\0def ghi", THEMA_FORMAT_TEXT),
      SC("zip head only", "PK\x03\x04\x14\0\0\0", THEMA_FORMAT_ZIP),
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ThemaSniff sn;
    thema_sniff_data(cases[i].data, cases[i].n, &sn);
    cr_expect_eq(sn.format, cases[i].want, "%s: got %s (%s)", cases[i].what,
                 thema_sniff_format_name(sn.format), sn.what);
  }
}

/* The fixture name under tests/fixtures/formats (caller frees). */
static char *fixture(const char *name) {
  const char *root = getenv("THEMA_ROOT");
  char *p = malloc(1024);
  snprintf(p, 1024, "%s/tests/fixtures/formats/%s", root ? root : ".", name);
  return p;
}

Test(sniff, fixtures_by_content_not_name) {
  static const struct {
    const char *name;
    ThemaFormat want;
  } files[] = {
      {"interview.docx", THEMA_FORMAT_DOCX},
      {"report.odt", THEMA_FORMAT_ODT},
      {"minutes.html", THEMA_FORMAT_HTML},
      {"report.pdf", THEMA_FORMAT_PDF},
      {"ParlaMint-XX_2021-03-04-commissie.xml", THEMA_FORMAT_TEI},
      {"ParlaMint-XX_2021-03-04-commissie.txt", THEMA_FORMAT_TEXT},
  };
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    char *p = fixture(files[i].name);
    ThemaSniff sn;
    ThemaError err = {0};
    cr_assert_eq(thema_sniff_file(p, &sn, &err), THEMA_OK, "%s", err.msg);
    cr_expect_eq(sn.format, files[i].want, "%s: %s", files[i].name, sn.what);
    free(p);
  }
}

Test(sniff, kinds_accept_and_refusals_name_the_kind) {
  static const struct {
    ThemaFormat format;
    const char *what;
    const char *kind;
    int ok;
    const char *needle;
  } rows[] = {
      {THEMA_FORMAT_TEXT, "text", "monitor", 1, NULL},
      {THEMA_FORMAT_DOCX, "a Word document (DOCX)", "document", 1, NULL},
      {THEMA_FORMAT_DOCX, "a Word document (DOCX)", "transcript", 1, NULL},
      {THEMA_FORMAT_PDF, "a PDF document", "transcript", 1, NULL},
      {THEMA_FORMAT_TEI, "TEI XML", "transcript", 1, NULL},
      {THEMA_FORMAT_TEI, "TEI XML", "parlamint", 1, NULL},
      {THEMA_FORMAT_DOCX, "a Word document (DOCX)", "cases", 0, "`thema import document`"},
      {THEMA_FORMAT_TEI, "TEI XML", "document", 0, "`thema import transcript`"},
      {THEMA_FORMAT_XML, "XML that is not TEI or HTML", "document", 0,
       "no importer reads it"},
      {THEMA_FORMAT_HTML, "an HTML page", "codebook", 0, "reads plain text only"},
      {THEMA_FORMAT_ZIP, "a spreadsheet (XLSX)", "document", 0, "save the sheet as CSV"},
      {THEMA_FORMAT_ZIP, "a damaged or truncated zip archive", "document", 0, "truncated"},
      {THEMA_FORMAT_BINARY, "an old Word or Excel file (.doc, .xls)", "transcript", 0,
       "save it as DOCX, ODT or plain text"},
      {THEMA_FORMAT_BINARY, "text in UTF-16", "document", 0, "save it as UTF-8"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    ThemaSniff sn = {.format = rows[i].format};
    snprintf(sn.what, sizeof sn.what, "%s", rows[i].what);
    ThemaError err = {0};
    int rc = thema_sniff_accept("f.x", &sn, rows[i].kind, &err);
    if (rows[i].ok) {
      cr_expect_eq(rc, THEMA_OK, "%s into %s: %s", rows[i].what, rows[i].kind, err.msg);
      continue;
    }
    cr_expect_eq(rc, THEMA_EINPUT, "%s into %s accepted", rows[i].what, rows[i].kind);
    cr_expect(strncmp(err.msg, "f.x: ", 5) == 0, "%s", err.msg);
    cr_expect(strstr(err.msg, rows[i].needle) != NULL, "%s into %s: '%s' lacks '%s'",
              rows[i].what, rows[i].kind, err.msg, rows[i].needle);
  }
}
