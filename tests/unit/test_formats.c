/*
 * test_formats.c — the importers of formatted files (core/ingest/docx.c,
 * odt.c, html.c, pdf.c, tei.c, parlamint.c, paras.c) on the fixtures of
 * tests/fixtures/formats: what each stores (paragraphs, section paths,
 * turns, speakers, persons and their attributes), exact offsets, the null
 * sink's contract checks, and bad input — truncated and corrupt files,
 * wrong charsets, a missing meta file — refused with a message naming the
 * file and leaving the store empty.
 */
#include "base/fs.h"
#include "import_helpers.h"
#include "ingest/kinds.h"
#include "ingest/office.h"

static char *dir;
static ThemaStore *st;

static void setup(void) { th_scratch_open(&dir, &st); }
static void teardown(void) { th_scratch_close(&dir, &st); }

TestSuite(formats, .init = setup, .fini = teardown);

static char *fixture(const char *name) {
  const char *root = getenv("THEMA_ROOT");
  char *p = malloc(1024);
  snprintf(p, 1024, "%s/tests/fixtures/formats/%s", root ? root : ".", name);
  return p;
}

/* Import fixture name (or path, when it holds a '/') as kind; the status. */
static int import(const char *kind, const char *name, const ThemaImportOptions *opt,
                  ThemaError *err) {
  char *p = strchr(name, '/') ? strdup(name) : fixture(name);
  const ThemaImportKind *k = thema_import_kind_find(kind);
  cr_assert_not_null(k, "kind %s", kind);
  ThemaImportResult res;
  int rc = th_import(st, k->import, p, opt, &res, err);
  free(p);
  return rc;
}

#define IMPORT_OK(kind, name, opt)                                                         \
  do {                                                                                     \
    ThemaError e_ = {0};                                                                   \
    cr_assert_eq(import(kind, name, opt, &e_), THEMA_OK, "%s", e_.msg);                    \
  } while (0)

/* "[section] speaker: text" per segment of the only source. */
static char *segments(void) {
  return th_rows(st, "SELECT '[' || ifnull(g.section, '-') || '] ' || ifnull(s.label, '-')"
                     " || ': ' || g.text FROM segment g LEFT JOIN speaker s"
                     " ON s.id = g.speaker_id ORDER BY g.source_id, g.ordinal");
}

Test(formats, docx_paragraphs_and_heading_styles) {
  IMPORT_OK("document", "interview.docx", NULL);
  TH_EXPECT_STR(
      segments(),
      "[Begin van het project] -: Interviewer: Hoe is het netwerk ontstaan?\n"
      "[Begin van het project] -: R1: Het begon in 2015 met drie gemeenten rond "
      "één tafel.\n"
      "[Begin van het project] -: We spraken elke maand af.\nDat hielp.\n"
      "[Samenwerking > Vragen over vertrouwen] -: Interviewer: En het vertrouwen? "
      "[figuur]\n"
      "[Samenwerking > Vragen over vertrouwen] -: R1: Dat groeide & het kostte "
      "tijd: “jaren”, zei men.\n");
  TH_EXPECT_STR(th_rows(st, "SELECT name, kind, format, title FROM source"),
                "interview|document|docx|Interview coördinator\n");
  /* Markup never reaches the stored text; left-out parts neither. */
  TH_EXPECT_STR(th_text(st, "SELECT count(*) FROM source WHERE text LIKE '%<%'"
                            " OR text LIKE '%niet dit%' OR text LIKE '%PAGE%'"
                            " OR text LIKE '%DUBBEL%'"),
                "0");
  th_expect_slices_exact(st);
}

Test(formats, docx_as_transcript_turns_through_the_speaker_pattern) {
  IMPORT_OK("transcript", "interview.docx", NULL);
  TH_EXPECT_STR(
      segments(),
      "[Begin van het project] Interviewer: Hoe is het netwerk ontstaan?\n"
      "[Begin van het project] R1: Het begon in 2015 met drie gemeenten rond één "
      "tafel.\nWe spraken elke maand af.\nDat hielp.\n"
      "[Samenwerking > Vragen over vertrouwen] Interviewer: En het vertrouwen? "
      "[figuur]\n"
      "[Samenwerking > Vragen over vertrouwen] R1: Dat groeide & het kostte tijd: "
      "“jaren”, zei men.\n");
  TH_EXPECT_STR(th_text(st, "SELECT kind || '|' || format FROM source"), "transcript|docx");
  cr_expect_eq(th_count(st, "speaker"), 2);
  th_expect_slices_exact(st);
}

Test(formats, odt_headings_spaces_and_left_out_notes) {
  IMPORT_OK("document", "report.odt", NULL);
  TH_EXPECT_STR(segments(), "[Verslag] -: Eerste alinea met spaties en een voetnoot.\n"
                            "[Verslag > Besluit] -: Tweede alinea,\nop twee regels.\n"
                            "[Verslag > Besluit] -: Een punt van de lijst.\n");
  TH_EXPECT_STR(th_text(st, "SELECT title FROM source"), "Verslag van de stuurgroep");
  TH_EXPECT_STR(th_text(st, "SELECT count(*) FROM source WHERE text LIKE '%De voetnoot%'"
                            " OR text LIKE '%opmerking%' OR text LIKE '%Geschrapte%'"),
                "0");
  th_expect_slices_exact(st);
}

Test(formats, html_windows1252_word_quirks) {
  IMPORT_OK("document", "minutes.html", NULL);
  TH_EXPECT_STR(
      segments(),
      "[Gemeenteraad van 12 maart 2024 > Agendapunt 1: begroting] -: De voorzitter: "
      "Ik open de vergadering. Het woord is aan “mevrouw Peeters”.\n"
      "[Gemeenteraad van 12 maart 2024 > Agendapunt 1: begroting] -: Mevrouw "
      "Peeters: De begroting stijgt met 2 % tot € 1,2 miljoen; dat is te veel voor "
      "een café als dit.\n"
      "[Gemeenteraad van 12 maart 2024 > Agendapunt 1: begroting] -: Eerste "
      "opmerking uit de lijst.\n"
      "[Gemeenteraad van 12 maart 2024 > Agendapunt 2: varia] -: De voorzitter: Ik "
      "sluit de vergadering.\nTot volgende week.\n");
  TH_EXPECT_STR(th_text(st, "SELECT title FROM source"), "Notulen gemeenteraad");
  TH_EXPECT_STR(th_text(st, "SELECT count(*) FROM source WHERE text LIKE '%<%'"
                            " OR text LIKE '%mso%' OR text LIKE '%niet dit%'"
                            " OR text LIKE '%Griffie%' OR text LIKE '%·%'"),
                "0");
  th_expect_slices_exact(st);
}

Test(formats, html_as_transcript_with_a_speaker_pattern) {
  ThemaImportOptions opt = {.speaker_pattern = "(?<label>(?:De )?\\p{Lu}[\\p{L} ]*?):"};
  IMPORT_OK("transcript", "minutes.html", &opt);
  TH_EXPECT_STR(
      th_rows(st, "SELECT g.ordinal, s.label, g.section FROM segment g"
                  " JOIN speaker s ON s.id = g.speaker_id ORDER BY g.ordinal"),
      "1|De voorzitter|Gemeenteraad van 12 maart 2024 > Agendapunt 1: begroting\n"
      "2|Mevrouw Peeters|Gemeenteraad van 12 maart 2024 > Agendapunt 1: begroting\n"
      "3|De voorzitter|Gemeenteraad van 12 maart 2024 > Agendapunt 2: varia\n");
  th_expect_slices_exact(st);
}

Test(formats, pdf_paragraphs_keep_their_page) {
  IMPORT_OK("document", "report.pdf", NULL);
  TH_EXPECT_STR(segments(), "[page 1] -: Verslag van de stuurgroep\n"
                            "[page 1] -: Eerste alinea op de eerste bladzijde,\nover twee "
                            "regels.\n"
                            "[page 1] -: Tweede alinea van bladzijde een.\n"
                            "[page 2] -: Derde alinea, nu op bladzijde twee.\n"
                            "[page 2] -: Vierde alinea met een café.\n");
  th_expect_slices_exact(st);
}

Test(formats, tei_utterances_without_editorial_notes) {
  IMPORT_OK("transcript", "ParlaMint-XX_2021-03-04-commissie.xml", NULL);
  TH_EXPECT_STR(segments(),
                "[Vragen over de begroting] PeetersAn: Ik open de vergadering.\n"
                "[Vragen over de begroting] JanssensBart: Dank u, voorzitter. Ik heb een "
                "vraag\nover de begroting.\n"
                "[Vragen over de begroting] PeetersAn: De minister antwoordt.\n"
                "[Vragen over de begroting] ClaesInes: De begroting volgt het akkoord van "
                "vorig jaar.\n");
  TH_EXPECT_STR(th_rows(st, "SELECT format, title, date FROM source"),
                "tei|Commissie voor de begroting, 4 maart 2021|2021-03-04\n");
  TH_EXPECT_STR(th_text(st, "SELECT count(*) FROM source WHERE text LIKE '%Applaus%'"
                            " OR text LIKE '%Onderbreking%' OR text LIKE '%verlaat%'"
                            " OR text LIKE '%De voorzitter:%'"),
                "0");
  th_expect_slices_exact(st);
}

Test(formats, parlamint_text_and_meta_speakers_as_cases) {
  IMPORT_OK("parlamint", "ParlaMint-XX_2021-03-04-commissie.txt", NULL);
  cr_expect_eq(th_count(st, "segment"), 4);
  TH_EXPECT_STR(th_rows(st, "SELECT s.label, p.name, ifnull(o.name, '-'), p.role"
                            " FROM speaker s JOIN person p ON p.id = s.person_id"
                            " LEFT JOIN organisation o ON o.id = p.organisation_id"
                            " ORDER BY s.label"),
                "Claes, Ines|Claes, Ines|-|Regular\n"
                "Janssens, Bart|Janssens, Bart|PB|Regular\n"
                "Peeters, An|Peeters, An|PA|Chairperson\n");
  TH_EXPECT_STR(th_rows(st, "SELECT a.key, a.value FROM attribute a JOIN person p"
                            " ON a.entity = 'person' AND a.entity_id = p.id"
                            " WHERE p.name = 'Janssens, Bart' ORDER BY a.key"),
                "birth|1982\ngender|M\nid|JanssensBart\nminister|notMinister\nmp|MP\n"
                "party|PB\nparty_name|Partij B\nparty_status|Opposition\n");
  TH_EXPECT_STR(th_rows(st, "SELECT title, date, format FROM source"),
                "Commissie voor de begroting|2021-03-04|parlamint\n");
  TH_EXPECT_STR(th_rows(st, "SELECT key, value FROM attribute WHERE entity = 'source'"
                            " ORDER BY key"),
                "body|Lower house\nsubcorpus|COVID\nterm|55\n");
  TH_EXPECT_STR(th_text(st, "SELECT group_concat(DISTINCT section) FROM segment"),
                "Vragen over de begroting");
  th_expect_slices_exact(st);
  /* Re-import of both files unchanged is a no-op. */
  IMPORT_OK("parlamint", "ParlaMint-XX_2021-03-04-commissie.txt", NULL);
  cr_expect_eq(th_count(st, "segment"), 4);
}

Test(formats, author_of_a_single_author_text) {
  char path[600];
  ThemaImportResult res;
  ThemaError err = {0};
  cr_assert_eq(th_import_data(st, thema_import_document, dir, "speech.md",
                              "---\nauthor: An Peeters\norganisation: Partij A\n---\n"
                              "Eerste alinea.\n\nTweede.\n",
                              73, NULL, &res, &err, path, sizeof path),
               THEMA_OK, "%s", err.msg);
  ThemaImportOptions opt = {.author = "Bart Janssens"};
  IMPORT_OK("document", "report.odt", &opt);
  TH_EXPECT_STR(th_rows(st,
                        "SELECT src.name, count(*), s.label, p.name, ifnull(o.name, '-')"
                        " FROM segment g JOIN source src ON src.id = g.source_id"
                        " JOIN speaker s ON s.id = g.speaker_id"
                        " JOIN person p ON p.id = s.person_id"
                        " LEFT JOIN organisation o ON o.id = p.organisation_id"
                        " GROUP BY src.name ORDER BY src.name"),
                "report|3|Bart Janssens|Bart Janssens|-\n"
                "speech|2|An Peeters|An Peeters|Partij A\n");
}

/* Write bytes into the scratch folder as name. */
static void write_bytes(const char *name, const char *data, size_t n) {
  free(th_write(dir, name, data, n));
}

/* The fixture's bytes (caller frees buf). */
static void read_fixture(const char *name, ThemaBuf *buf) {
  char *p = fixture(name);
  ThemaError err = {0};
  cr_assert_eq(thema_fs_read(p, buf, &err), THEMA_OK, "%s", err.msg);
  free(p);
}

/* import kind name from the scratch folder fails with an input error
 * starting "dir/name" and holding needle; nothing is stored. */
#define write_lit(name, lit) write_bytes(name, lit, sizeof(lit) - 1)

static void expect_refused_at(const char *kind, const char *name, const char *at,
                              const char *needle) {
  char p[700], where[700];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  snprintf(where, sizeof where, "%s/%s", dir, at);
  ThemaError err = {0};
  int rc = import(kind, p, NULL, &err);
  cr_expect_eq(rc, THEMA_EINPUT, "%s %s: status %d (%s)", kind, name, rc, err.msg);
  cr_expect(strncmp(err.msg, where, strlen(where)) == 0, "%s: '%s' should name the file",
            name, err.msg);
  cr_expect(strstr(err.msg, needle) != NULL, "%s %s: '%s' lacks '%s'", kind, name, err.msg,
            needle);
  static const char *const tables[] = {"source", "segment", "speaker", "person", NULL};
  for (const char *const *t = tables; *t; t++)
    cr_expect_eq(th_count(st, *t), 0, "%s: %s rows left", name, *t);
}

static void expect_refused(const char *kind, const char *name, const char *needle) {
  expect_refused_at(kind, name, name, needle);
}

Test(formats, truncated_and_corrupt_files) {
  ThemaBuf docx = {0}, odt = {0}, pdf = {0}, tei = {0};
  read_fixture("interview.docx", &docx);
  read_fixture("report.odt", &odt);
  read_fixture("report.pdf", &pdf);
  read_fixture("ParlaMint-XX_2021-03-04-commissie.xml", &tei);
  write_bytes("half.docx", docx.data, docx.len / 2);
  write_bytes("half.odt", odt.data, odt.len / 2);
  write_bytes("half.pdf", pdf.data, pdf.len / 2);
  write_bytes("half.xml", tei.data, tei.len / 2);
  /* Flip bytes inside document.xml's compressed data: the CRC fails. */
  const char *name = "word/document.xml";
  char *hit = NULL;
  for (size_t i = 0; !hit && i + 30 < docx.len; i++)
    if (memcmp(docx.data + i, "PK\x03\x04", 4) == 0 &&
        memcmp(docx.data + i + 30, name, strlen(name)) == 0)
      hit = docx.data + i;
  cr_assert_not_null(hit);
  size_t data = (size_t)(hit - docx.data) + 30 + strlen(name) +
                ((unsigned char)hit[28] | (unsigned char)hit[29] << 8);
  docx.data[data + 40] ^= 0x5A;
  docx.data[data + 41] ^= 0xA5;
  write_bytes("crc.docx", docx.data, docx.len);
  expect_refused("document", "half.docx", "truncated");
  expect_refused("transcript", "half.docx", "truncated");
  expect_refused("document", "half.odt", "truncated");
  expect_refused("document", "crc.docx", "word/document.xml");
  expect_refused("document", "half.pdf", "damaged or truncated");
  expect_refused("transcript", "half.xml", "damaged or truncated");
  thema_buf_free(&docx);
  thema_buf_free(&odt);
  thema_buf_free(&pdf);
  thema_buf_free(&tei);
}

Test(formats, wrong_charset_and_markup_in_the_wrong_kind) {
  write_lit("undeclared.html", "<html><body><p>caf\xe9</p></body></html>");
  write_lit(
      "lying.html",
      "<html><head><meta charset=\"utf-8\"></head><body><p>caf\xe9</p></body></html>");
  write_lit("unknown.html",
            "<html><head><meta charset=\"x-klingon\"></head><body><p>x</p></body></html>");
  write_lit("data.xml", "<?xml version=\"1.0\"?>\n<rows><row>1</row></rows>\n");
  write_lit("empty.html", "<html><body><script>x()</script></body></html>");
  expect_refused("document", "undeclared.html", "declares no charset");
  expect_refused("document", "lying.html", "charset");
  expect_refused("document", "unknown.html", "x-klingon");
  expect_refused("document", "data.xml", "XML that is not TEI or HTML");
  expect_refused("document", "empty.html", "no text found");
  char *p = fixture("ParlaMint-XX_2021-03-04-commissie.xml");
  ThemaError err = {0};
  cr_expect_eq(import("document", p, NULL, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "`thema import transcript`"), "%s", err.msg);
  free(p);
  p = fixture("interview.docx");
  thema_error_clear(&err);
  cr_expect_eq(import("cases", p, NULL, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "a Word document (DOCX)"), "%s", err.msg);
  free(p);
  cr_expect_eq(th_count(st, "source"), 0);
}

Test(formats, parlamint_bad_meta) {
  ThemaBuf txt = {0}, meta = {0};
  read_fixture("ParlaMint-XX_2021-03-04-commissie.txt", &txt);
  read_fixture("ParlaMint-XX_2021-03-04-commissie-meta.tsv", &meta);
  write_bytes("alone.txt", txt.data, txt.len);
  expect_refused("parlamint", "alone.txt", "alone-meta.tsv is missing");
  write_bytes("other.txt", txt.data, txt.len);
  /* The meta file of another sitting: its header only. */
  const char *nl = memchr(meta.data, '\n', meta.len);
  write_bytes("other-meta.tsv", meta.data, (size_t)(nl - meta.data) + 1);
  expect_refused("parlamint", "other.txt",
                 ":1: utterance 'ParlaMint-XX_2021-03-04-commissie.u1'");
  write_bytes("notab.txt", "no tab on this line\n", 20);
  write_bytes("notab-meta.tsv", meta.data, meta.len);
  expect_refused("parlamint", "notab.txt", ":1: expected 'utterance-id<TAB>text'");
  write_bytes("noid.txt", txt.data, txt.len);
  write_bytes("noid-meta.tsv", "Text_ID\tSpeaker_name\nx\ty\n", 25);
  expect_refused_at("parlamint", "noid.txt", "noid-meta.tsv:1: ", "no ID column");
  thema_buf_free(&txt);
  thema_buf_free(&meta);
}

/* Every fixture through the null sink: the contract holds and the counts
 * are the store's. */
Test(formats, null_sink_contract) {
  static const struct {
    const char *name;
    ThemaFormat format;
    int transcript;
    long segments;
  } rows[] = {
      {"interview.docx", THEMA_FORMAT_DOCX, 0, 5},
      {"interview.docx", THEMA_FORMAT_DOCX, 1, 4},
      {"report.odt", THEMA_FORMAT_ODT, 0, 3},
      {"minutes.html", THEMA_FORMAT_HTML, 0, 4},
      {"report.pdf", THEMA_FORMAT_PDF, 0, 5},
  };
  ThemaTurnPattern *pattern = NULL;
  ThemaError err = {0};
  cr_assert_eq(thema_turn_pattern_compile(NULL, &pattern, &err), THEMA_OK);
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    ThemaBuf raw = {0};
    read_fixture(rows[i].name, &raw);
    ThemaSinkNull n;
    thema_sink_null_init(&n);
    thema_error_clear(&err);
    ThemaParasEmit e = {
        .path = rows[i].name, .transcript = rows[i].transcript, .pattern = pattern};
    cr_expect_eq(thema_parse_office(&n.base, raw.data, raw.len, rows[i].format, &e, &err),
                 THEMA_OK, "%s: %s", rows[i].name, err.msg);
    cr_expect_not(n.base.broken, "%s: %s", rows[i].name, n.base.why);
    cr_expect_eq(n.res.segments, rows[i].segments, "%s", rows[i].name);
    cr_expect_eq(n.ended, 1);
    thema_sink_free(&n.base);
    thema_buf_free(&raw);
  }
  thema_turn_pattern_free(pattern);
  ThemaBuf raw = {0};
  read_fixture("ParlaMint-XX_2021-03-04-commissie.xml", &raw);
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  thema_error_clear(&err);
  cr_expect_eq(
      thema_parse_tei(&n.base, "s.xml", raw.data, raw.len,
                      "0000000000000000000000000000000000000000000000000000000000000000",
                      &err),
      THEMA_OK, "%s", err.msg);
  cr_expect_eq(n.res.segments, 4);
  cr_expect_eq(n.res.speakers, 3);
  thema_sink_free(&n.base);
  thema_buf_free(&raw);
}

/* Text outside any turn follows --preamble as in a .txt transcript: kept as
 * a segment without a speaker (the default) or refused naming the paragraph;
 * a --heading-pattern heads the turns under it. */
Test(formats, transcript_preamble_and_heading_pattern) {
  IMPORT_OK("transcript", "minutes.html", NULL);
  TH_EXPECT_STR(th_rows(st,
                        "SELECT g.ordinal, ifnull(s.label, '-') FROM segment g"
                        " LEFT JOIN speaker s ON s.id = g.speaker_id ORDER BY g.ordinal"),
                "1|-\n2|Mevrouw Peeters\n3|-\n");
  th_expect_slices_exact(st);
  ThemaImportOptions refuse = {.preamble = THEMA_PREAMBLE_REFUSE};
  ThemaError err = {0};
  th_exec(st, "DELETE FROM segment; DELETE FROM speaker; DELETE FROM source");
  cr_expect_eq(import("transcript", "minutes.html", &refuse, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "paragraph 3 ('De voorzitter: Ik open"), "%s", err.msg);
  ThemaImportOptions heads = {.heading_pattern = "R1: Het begon (?<heading>in \\d+)"};
  IMPORT_OK("transcript", "interview.docx", &heads);
  TH_EXPECT_STR(th_rows(st,
                        "SELECT g.ordinal, ifnull(s.label, '-'), g.section FROM segment g"
                        " LEFT JOIN speaker s ON s.id = g.speaker_id ORDER BY g.ordinal"),
                "1|Interviewer|Begin van het project\n2|-|in 2015\n"
                "3|Interviewer|Samenwerking > Vragen over vertrouwen\n"
                "4|R1|Samenwerking > Vragen over vertrouwen\n");
}

/* Utterances that hold only editorial material leave no trace in the stored
 * text; an utterance without a speaker is refused at its line. */
Test(formats, tei_empty_utterances_and_missing_who) {
  write_lit("e.xml",
            "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body>\n"
            "<u who=\"#A\"><seg>Ja.</seg></u><u who=\"#B\"><note>(stilte)</note></u>\n"
            "<u who=\"#C\"/><u who=\"#A\"><seg>Nee.</seg></u></body></text></TEI>\n");
  char p[700];
  snprintf(p, sizeof p, "%s/e.xml", dir);
  IMPORT_OK("transcript", p, NULL);
  TH_EXPECT_STR(th_text(st, "SELECT text FROM source"), "A: Ja.\nA: Nee.");
  th_expect_slices_exact(st);
  write_lit("nowho.xml", "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><text><body>\n"
                         "<u who=\"#A\"><seg>Ja.</seg></u>\n<u><seg>Wie?</seg></u>\n"
                         "</body></text></TEI>\n");
  th_exec(st, "DELETE FROM segment; DELETE FROM speaker; DELETE FROM source");
  expect_refused("transcript", "nowho.xml", ":3: an utterance <u> without a speaker");
}
