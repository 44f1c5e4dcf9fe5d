/*
 * test_transcript.c — the transcript importer (core/ingest_transcript.c):
 * front matter, speaker labels and continuation lines, code-point offsets,
 * timestamps, WebVTT and SRT, custom speaker patterns, re-import and
 * replacement, and errors that name file, line and column and write nothing.
 */
#include "import_helpers.h"

static char *dir;
static ThemaStore *st;
static char last_path[600]; /* the file the last import read */

static void setup(void) { th_scratch_open(&dir, &st); }

static void teardown(void) { th_scratch_close(&dir, &st); }

TestSuite(transcript, .init = setup, .fini = teardown);

/* Write name with data[0..n) and import it as one command would: in a
 * transaction, committed on success and rolled back on error. */
static int import_n(const char *name, const char *data, size_t n,
                    const ThemaImportOptions *opt, ThemaImportResult *res,
                    ThemaError *err) {
  return th_import_data(st, thema_import_transcript, dir, name, data, n, opt, res, err,
                        last_path, sizeof last_path);
}
#define IMPORT(name, lit, opt, res, err) import_n(name, lit, sizeof(lit) - 1, opt, res, err)

/* Import a literal that must succeed. */
#define IMPORT_OK(name, lit, res)                                                          \
  do {                                                                                     \
    ThemaError e_ = {0};                                                                   \
    cr_assert_eq(IMPORT(name, lit, NULL, res, &e_), THEMA_OK, "%s", e_.msg);               \
  } while (0)

/* The segments of the last source as "label: text" lines, in order ("(null)"
 * for a segment without a speaker). */
static char *turns(void) {
  return th_rows(st, "SELECT ifnull(sp.label, '(null)') || ': ' || g.text FROM segment g"
                     " LEFT JOIN speaker sp ON sp.id = g.speaker_id"
                     " WHERE g.source_id = (SELECT max(id) FROM source)"
                     " ORDER BY g.ordinal");
}

/* The segment times of the last source as "start-end;" (%g; "null" when none). */
static char *times(void) {
  sqlite3_stmt *q = NULL;
  cr_assert_eq(sqlite3_prepare_v2(thema_store_db(st),
                                  "SELECT time_start, time_end FROM segment"
                                  " WHERE source_id = (SELECT max(id) FROM source)"
                                  " ORDER BY ordinal",
                                  -1, &q, NULL),
               SQLITE_OK);
  ThemaBuf b = {0};
  while (sqlite3_step(q) == SQLITE_ROW) {
    for (int c = 0; c < 2; c++) {
      if (sqlite3_column_type(q, c) == SQLITE_NULL)
        thema_buf_puts(&b, "null");
      else
        thema_buf_printf(&b, "%g", sqlite3_column_double(q, c));
      thema_buf_putc(&b, c ? ';' : '-');
    }
  }
  sqlite3_finalize(q);
  char *s = strdup(thema_buf_str(&b));
  thema_buf_free(&b);
  return s;
}

/* ---- plain transcripts ---- */

Test(transcript, front_matter_fills_source_columns_and_attributes) {
  ThemaImportResult res;
  IMPORT_OK("fg1.txt",
            "---\n"
            "title: Focusgroep Gent\n"
            "kind: focusgroup\n"
            "network: Leren om te leren\n"
            "date: 2023-05-04\n"
            "moderator: Els\n"
            "locatie: stadhuis   # a comment\n"
            "---\n"
            "I: Welkom allemaal.\n"
            "R1: Dank je.\n",
            &res);
  cr_expect_gt(res.source_id, 0);
  cr_expect_eq(res.segments, 2);
  cr_expect_eq(res.speakers, 2);
  cr_expect_eq(res.unchanged, 0);
  TH_EXPECT_STR(th_text(st, "SELECT name || '|' || kind || '|' || format FROM source"),
                "fg1|transcript|txt");
  TH_EXPECT_STR(th_text(st, "SELECT title FROM source"), "Focusgroep Gent");
  TH_EXPECT_STR(th_text(st, "SELECT genre FROM source"), "focusgroup");
  TH_EXPECT_STR(th_text(st, "SELECT network FROM source"), "Leren om te leren");
  TH_EXPECT_STR(th_text(st, "SELECT date FROM source"), "2023-05-04");
  TH_EXPECT_STR(th_text(st, "SELECT path FROM source"), last_path);
  /* Keys without a column of their own are attributes; column keys are not. */
  cr_expect_eq(th_count(st, "attribute"), 2);
  TH_EXPECT_STR(th_text(st, "SELECT value FROM attribute WHERE entity = 'source'"
                            " AND key = 'moderator'"),
                "Els");
  TH_EXPECT_STR(th_text(st, "SELECT value FROM attribute WHERE key = 'locatie'"),
                "stadhuis");
  /* The stored text is the body after the front matter. */
  TH_EXPECT_STR(th_text(st, "SELECT text FROM source"),
                "I: Welkom allemaal.\nR1: Dank je.\n");
  TH_EXPECT_STR(turns(), "I: Welkom allemaal.\nR1: Dank je.\n");
  th_expect_slices_exact(st);
}

Test(transcript, without_front_matter_columns_are_null) {
  ThemaImportResult res;
  IMPORT_OK("int.txt", "I: Vraag?\nR: Antwoord.\n", &res);
  cr_expect_eq(th_int(st,
                      "SELECT count(*) FROM source WHERE title IS NULL AND genre IS NULL"
                      " AND network IS NULL AND date IS NULL"),
               1);
  cr_expect_eq(th_count(st, "attribute"), 0);
  TH_EXPECT_STR(th_text(st, "SELECT text FROM source"), "I: Vraag?\nR: Antwoord.\n");
}

Test(transcript, bom_and_crlf_are_tolerated) {
  static const char raw[] =
      "\xEF\xBB\xBF---\r\ntitle: Met BOM\r\n---\r\nI: Hallo\r\ndaar\r\nR1: Ja\r\n";
  ThemaImportResult res;
  IMPORT_OK("bom.txt", raw, &res);
  TH_EXPECT_STR(th_text(st, "SELECT title FROM source"), "Met BOM");
  TH_EXPECT_STR(th_text(st, "SELECT text FROM source"), "I: Hallo\ndaar\nR1: Ja\n");
  cr_expect_eq(th_int(st, "SELECT instr(text, char(13)) FROM source"), 0);
  cr_expect_eq(th_int(st, "SELECT instr(text, char(65279)) FROM source"), 0);
  TH_EXPECT_STR(turns(), "I: Hallo\ndaar\nR1: Ja\n");
  th_expect_slices_exact(st);
}

Test(transcript, lone_cr_line_ends_are_tolerated) {
  ThemaImportResult res;
  IMPORT_OK("cr.txt", "I: een\rtwee\rR1: drie\r", &res);
  TH_EXPECT_STR(turns(), "I: een\ntwee\nR1: drie\n");
}

Test(transcript, hash_is_of_the_raw_file_bytes) {
  static const char raw[] = "\xEF\xBB\xBFI: x\r\n";
  ThemaImportResult res;
  IMPORT_OK("h.txt", raw, &res);
  /* sha256 of the 9 raw bytes, BOM and CR included. */
  char *got = th_text(st, "SELECT hash FROM source");
  cr_assert_not_null(got);
  cr_expect_eq(strlen(got), 64);
  char want[65];
  th_sha256sum(last_path, want);
  cr_expect_str_eq(got, want);
  free(got);
}

typedef struct LabelCase {
  const char *line;  /* one transcript line after "I: vraag\n" */
  const char *label; /* the expected speaker, or NULL: the line continues I's turn */
  const char *text;
} LabelCase;

static const LabelCase label_cases[] = {
    {"R2.1: ja", "R2.1", "ja"},
    {"R (AgII): zeker", "R (AgII)", "zeker"},
    {"I: nog een vraag", "I", "nog een vraag"},
    {"Interviewer: goed", "Interviewer", "goed"},
    {"Anna De Smet: klopt", "Anna De Smet", "klopt"},
    {"Jan van der Berg: inderdaad", "Jan van der Berg", "inderdaad"},
    {"R2.1 (schepen): voorzitter", "R2.1 (schepen)", "voorzitter"},
    {"\xC3\x96zt\xC3\xBCrk: merci", "\xC3\x96zt\xC3\xBCrk", "merci"},
    {"R1:\ttab na de dubbele punt", "R1", "tab na de dubbele punt"},
    {"R1 : spatie voor de dubbele punt", "R1", "spatie voor de dubbele punt"},
    {"O\xE2\x80\x99"
     "Brien: hallo",
     "O\xE2\x80\x99"
     "Brien",
     "hallo"},
    /* Not labels: the line continues the interviewer's turn. */
    {"Dus ik zeg: ja", NULL, NULL},
    {"Het punt is: niemand weet het", NULL, NULL},
    {"lager: niet met een kleine letter", NULL, NULL},
    {"Noot:zonder spatie na de dubbele punt", NULL, NULL},
    {"Een Twee Drie Vier Vijf Zes: te veel woorden", NULL, NULL},
    {"10:30 begonnen we", NULL, NULL},
    {"Zie http://example.org", NULL, NULL},
};

Test(transcript, speaker_labels_table) {
  for (size_t i = 0; i < sizeof label_cases / sizeof *label_cases; i++) {
    const LabelCase *c = &label_cases[i];
    char name[32], data[256];
    snprintf(name, sizeof name, "label%zu.txt", i);
    int n = snprintf(data, sizeof data, "I: vraag\n%s\n", c->line);
    ThemaImportResult res;
    ThemaError err = {0};
    cr_assert_eq(import_n(name, data, (size_t)n, NULL, &res, &err), THEMA_OK, "'%s': %s",
                 c->line, err.msg);
    char *got = turns();
    char want[300];
    if (c->label)
      snprintf(want, sizeof want, "I: vraag\n%s: %s\n", c->label, c->text);
    else
      snprintf(want, sizeof want, "I: vraag\n%s\n", c->line);
    cr_expect_str_eq(got, want, "line '%s'", c->line);
    free(got);
    cr_expect_eq(res.segments, c->label ? 2 : 1, "line '%s'", c->line);
  }
  th_expect_slices_exact(st);
}

Test(transcript, continuation_lines_join_the_turn) {
  ThemaImportResult res;
  IMPORT_OK("cont.txt",
            "R1: eerste regel\n"
            "en de tweede\n"
            "\n"
            "  derde, na een lege regel   \n"
            "\n"
            "R2:\n"
            "tekst op de volgende regel\n"
            "R1: kort\n",
            &res);
  TH_EXPECT_STR(turns(), "R1: eerste regel\nen de tweede\n\n  derde, na een lege regel\n"
                         "R2: tekst op de volgende regel\n"
                         "R1: kort\n");
  cr_expect_eq(res.segments, 3);
  cr_expect_eq(res.speakers, 2);
  cr_expect_eq(th_count(st, "speaker"), 2);
  /* One speaker row per label: both R1 turns point at it. */
  cr_expect_eq(th_int(st, "SELECT count(DISTINCT speaker_id) FROM segment"), 2);
  th_expect_slices_exact(st);
}

Test(transcript, offsets_are_code_points_on_non_ascii_text) {
  ThemaImportResult res;
  IMPORT_OK("nl.txt",
            "---\ntitle: Co\xC3\xB6rdinatie\n---\n"
            "I: De co\xC3\xB6rdinatie \xE2\x80\x99t caf\xC3\xA9\n"
            "\xC3\x89\xC3\xA9n: \xF0\x9F\x98\x80 of \xE2\x80\x9Cidee\xC3\xABn\xE2\x80\x9D\n"
            "na\xC3\xAF"
            "ef, d\xC3\xA1t\n",
            &res);
  TH_EXPECT_STR(
      turns(),
      "I: De co\xC3\xB6rdinatie \xE2\x80\x99t caf\xC3\xA9\n"
      "\xC3\x89\xC3\xA9n: \xF0\x9F\x98\x80 of \xE2\x80\x9Cidee\xC3\xABn\xE2\x80\x9D\n"
      "na\xC3\xAF"
      "ef, d\xC3\xA1t\n");
  /* "I: " is 3 code points; the text is 22 code points long. */
  cr_expect_eq(th_int(st, "SELECT start FROM segment WHERE ordinal = 1"), 3);
  cr_expect_eq(th_int(st, "SELECT end FROM segment WHERE ordinal = 1"), 25);
  /* Line 2 starts at 26; "Één: " is 5 code points. */
  cr_expect_eq(th_int(st, "SELECT start FROM segment WHERE ordinal = 2"), 31);
  cr_expect_eq(th_int(st, "SELECT end FROM segment WHERE ordinal = 2"), 31 + 13 + 1 + 10);
  th_expect_slices_exact(st);
}

Test(transcript, timestamps_before_labels) {
  ThemaImportResult res;
  IMPORT_OK("ts.txt",
            "[00:12:34] R1: eerste\n"
            "#00:12:34-5# R2: tweede\n"
            "[01:02:03.5] I: derde\n"
            "[12:34] R3: vierde\n"
            "#01:00:00,25# R1: vijfde\n"
            "R2: zonder tijd\n",
            &res);
  TH_EXPECT_STR(
      turns(),
      "R1: eerste\nR2: tweede\nI: derde\nR3: vierde\nR1: vijfde\nR2: zonder tijd\n");
  TH_EXPECT_STR(times(),
                "754-754;754.5-754.5;3723.5-3723.5;754-754;3600.25-3600.25;null-null;");
  th_expect_slices_exact(st);
}

Test(transcript, a_bracketed_line_that_is_no_timestamp_is_text) {
  ThemaImportResult res;
  IMPORT_OK("br.txt", "R1: ja\n[gelach] R2: nee\n", &res);
  TH_EXPECT_STR(turns(), "R1: ja\n[gelach] R2: nee\n");
}

/* ---- subtitles ---- */

Test(transcript, webvtt_voice_tags_merge_consecutive_cues) {
  ThemaImportResult res;
  IMPORT_OK("meeting.vtt",
            "WEBVTT - vergadering\n"
            "Kind: captions\n"
            "\n"
            "NOTE gemaakt door een transcriptietool\n"
            "\n"
            "intro\n"
            "00:00:01.000 --> 00:00:04.000\n"
            "<v Anna>Goedemorgen allemaal.\n"
            "\n"
            "00:00:04.500 --> 00:00:06.000 align:start\n"
            "<v Anna>Zullen we <i>beginnen</i>?\n"
            "\n"
            "3\n"
            "00:00:06.000 --> 00:00:09.250\n"
            "<v.loud Bert De Wit>Ja, graag.\n"
            "Tom &amp; Jerry zijn er ook.\n"
            "\n"
            "01:05.000 --> 01:07.500\n"
            "zonder stem: hoort bij Bert\n"
            "\n"
            "01:00:00.000 --> 01:00:02.000\n"
            "<v Anna>Tot slot.</v>\n",
            &res);
  cr_expect_eq(res.segments, 3);
  cr_expect_eq(res.speakers, 2);
  TH_EXPECT_STR(th_text(st, "SELECT format FROM source"), "vtt");
  TH_EXPECT_STR(
      turns(),
      "Anna: Goedemorgen allemaal. Zullen we beginnen?\n"
      "Bert De Wit: Ja, graag. Tom & Jerry zijn er ook. zonder stem: hoort bij Bert\n"
      "Anna: Tot slot.\n");
  TH_EXPECT_STR(times(), "1-6;6-67.5;3600-3602;");
  /* Stored rendered as a plain transcript. */
  TH_EXPECT_STR(th_text(st, "SELECT text FROM source"),
                "[00:00:01] Anna: Goedemorgen allemaal. Zullen we beginnen?\n\n"
                "[00:00:06] Bert De Wit: Ja, graag. Tom & Jerry zijn er ook. zonder stem: "
                "hoort bij Bert\n\n"
                "[01:00:00] Anna: Tot slot.\n");
  th_expect_slices_exact(st);
}

Test(transcript, webvtt_rendered_text_reimports_as_the_same_turns) {
  static const char vtt[] =
      "WEBVTT\n\n"
      "00:00:01.000 --> 00:00:02.000\n<v Anna>co\xC3\xB6rdinatie \xE2\x80\x99t caf\xC3\xA9\n\n"
      "00:00:02.000 --> 00:00:03.000\n<v Bert>ja\n";
  ThemaImportResult res;
  IMPORT_OK("a.vtt", vtt, &res);
  char *rendered = th_text(st, "SELECT text FROM source");
  char *first = turns();
  char *first_times = th_text(st, "SELECT group_concat(time_start) FROM segment");
  cr_assert_not_null(rendered);
  ThemaError err = {0};
  cr_assert_eq(import_n("b.txt", rendered, strlen(rendered), NULL, &res, &err), THEMA_OK,
               "%s", err.msg);
  TH_EXPECT_STR(turns(), first);
  TH_EXPECT_STR(th_text(st, "SELECT group_concat(time_start) FROM segment"
                            " WHERE source_id = (SELECT max(id) FROM source)"),
                "1.0,2.0");
  cr_expect_str_eq(first_times, "1.0,2.0");
  th_expect_slices_exact(st);
  free(rendered);
  free(first);
  free(first_times);
}

Test(transcript, srt_with_name_payloads) {
  ThemaImportResult res;
  IMPORT_OK("sub.srt",
            "1\n"
            "00:00:01,000 --> 00:00:03,500\n"
            "Anna: Goedemorgen.\n"
            "\n"
            "2\n"
            "00:00:03,500 --> 00:00:05,000\n"
            "Bert: Dag Anna.\n"
            "Hoe gaat het?\n"
            "\n"
            "3\n"
            "00:00:05,000 --> 00:00:07,125\n"
            "Bert: Met mij goed.\n"
            "\n"
            "4\n"
            "00:00:08,000 --> 00:00:09,000\n"
            "Anna De Smet: Fijn.\n",
            &res);
  TH_EXPECT_STR(th_text(st, "SELECT format FROM source"), "srt");
  TH_EXPECT_STR(turns(), "Anna: Goedemorgen.\n"
                         "Bert: Dag Anna. Hoe gaat het? Met mij goed.\n"
                         "Anna De Smet: Fijn.\n");
  TH_EXPECT_STR(times(), "1-3.5;3.5-7.125;8-9;");
  cr_expect_eq(res.speakers, 3);
  th_expect_slices_exact(st);
}

/* ---- custom speaker patterns ---- */

Test(transcript, speaker_pattern_with_hours_minutes_timestamps) {
  static const char data[] = "01.11 Jan Peeters (N-VA): Voorzitter, collega\xE2\x80\x99s.\n"
                             "Dit is een vervolg.\n"
                             "01.15 Els Smet (Groen): Dank u.\n";
  ThemaImportOptions opt = {.speaker_pattern = "(?<ts>\\d\\d\\.\\d\\d) (?<label>[^:]+?):"};
  ThemaImportResult res;
  ThemaError err = {0};
  cr_assert_eq(IMPORT("plenaire.txt", data, &opt, &res, &err), THEMA_OK, "%s", err.msg);
  TH_EXPECT_STR(
      turns(),
      "Jan Peeters (N-VA): Voorzitter, collega\xE2\x80\x99s.\nDit is een vervolg.\n"
      "Els Smet (Groen): Dank u.\n");
  /* "hh.mm": 01.11 is 1 h 11 min. */
  TH_EXPECT_STR(times(), "4260-4260;4500-4500;");
  th_expect_slices_exact(st);
}

Test(transcript, speaker_pattern_replaces_the_default) {
  /* With a pattern for "NAME -" turns, "R1:" is just text. */
  ThemaImportOptions opt = {.speaker_pattern = "(?<label>[A-Z]+) -"};
  ThemaImportResult res;
  ThemaError err = {0};
  cr_assert_eq(
      IMPORT("dash.txt", "ANNA - hallo\nR1: geen label\nBERT - ja\n", &opt, &res, &err),
      THEMA_OK, "%s", err.msg);
  TH_EXPECT_STR(turns(), "ANNA: hallo\nR1: geen label\nBERT: ja\n");
}

Test(transcript, text_before_the_first_turn_is_a_segment_without_a_speaker) {
  ThemaImportResult res;
  ThemaError err = {0};
  cr_assert_eq(IMPORT("pre.txt", "Inleiding zonder spreker\nnog een regel\nI: vraag\n",
                      NULL, &res, &err),
               THEMA_OK, "%s", err.msg);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM segment WHERE speaker_id IS NULL"), 1);
  TH_EXPECT_STR(th_text(st, "SELECT text FROM segment WHERE ordinal = 1"),
                "Inleiding zonder spreker\nnog een regel");
  th_expect_slices_exact(st);
}

Test(transcript, preamble_skip_and_refuse) {
  ThemaImportOptions skip = {.preamble = THEMA_PREAMBLE_SKIP};
  ThemaImportOptions refuse = {.preamble = THEMA_PREAMBLE_REFUSE};
  ThemaImportResult res;
  ThemaError err = {0};
  cr_assert_eq(IMPORT("skip.txt", "Titelblad\nI: vraag\n", &skip, &res, &err), THEMA_OK,
               "%s", err.msg);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM segment"), 1);
  cr_expect_eq(IMPORT("refuse.txt", "---\ntitle: x\n---\n\n  tekst\nI: vraag\n", &refuse,
                      &res, &err),
               THEMA_EINPUT);
  cr_expect(strstr(err.msg, "refuse.txt:5:3: text outside a speaker turn") != NULL, "%s",
            err.msg);
}

Test(transcript, alternatives_headings_and_speech_numbers) {
  ThemaImportOptions opt = {.speaker_pattern = "(?<num>\\d\\d\\.\\d\\d) (?<label>[^:]+?):\n"
                                               "(?<label>De voorzitter):",
                            .heading_pattern = "Agendapunt (?<heading>\\d+)"};
  ThemaImportResult res;
  ThemaError err = {0};
  cr_assert_eq(
      IMPORT("min.txt",
             "# Zitting\nAgendapunt 1\nDe voorzitter: open.\n01.11 Jan (CD&V): ja.\n"
             "## Stemming\n01.12 An: nee.\n",
             &opt, &res, &err),
      THEMA_OK, "%s", err.msg);
  TH_EXPECT_STR(turns(), "De voorzitter: open.\nJan (CD&V): ja.\nAn: nee.\n");
  TH_EXPECT_STR(th_text(st, "SELECT group_concat(section, '|') FROM (SELECT section FROM "
                            "segment ORDER BY ordinal)"),
                "1|1|1 > Stemming");
  cr_expect_eq(th_int(st, "SELECT count(*) FROM segment WHERE time_start IS NOT NULL"), 0);
}

Test(transcript, speaker_pattern_without_label_group_is_a_usage_error) {
  ThemaImportOptions opt = {.speaker_pattern = "(?<ts>\\d+) ([^:]+):"};
  ThemaImportResult res;
  ThemaError err = {0};
  cr_assert_eq(IMPORT("nolabel.txt", "12 Jan: x\n", &opt, &res, &err), THEMA_EUSAGE);
  cr_expect(strstr(err.msg, "--speaker-pattern") != NULL, "%s", err.msg);
  cr_expect(strstr(err.msg, "(?<label>") != NULL, "%s", err.msg);
  cr_expect_eq(th_count(st, "source"), 0);
}

Test(transcript, invalid_speaker_pattern_is_an_input_error) {
  ThemaImportOptions opt = {.speaker_pattern = "(?<label>[A-Z"};
  ThemaImportResult res;
  ThemaError err = {0};
  cr_assert_eq(IMPORT("badrx.txt", "A: x\n", &opt, &res, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "--speaker-pattern: invalid pattern") == err.msg, "%s",
            err.msg);
  cr_expect_eq(th_count(st, "source"), 0);
}

Test(transcript, speaker_pattern_matching_an_empty_label_is_an_error) {
  ThemaImportOptions opt = {.speaker_pattern = "(?<label>[A-Z]*)>"};
  ThemaImportResult res;
  ThemaError err = {0};
  cr_assert_eq(IMPORT("empty.txt", "A> ja\n> nee\n", &opt, &res, &err), THEMA_EINPUT);
  char want[700];
  snprintf(want, sizeof want, "%s:2: ", last_path);
  cr_expect(strncmp(err.msg, want, strlen(want)) == 0, "%s", err.msg);
  cr_expect(strstr(err.msg, "empty label") != NULL, "%s", err.msg);
  cr_expect_eq(th_count(st, "source"), 0);
}

Test(transcript, unreadable_timestamp_names_line_and_column_in_code_points) {
  ThemaImportOptions opt = {.speaker_pattern = "\\S+ (?<ts>\\S+) (?<label>R\\d):"};
  ThemaImportResult res;
  ThemaError err = {0};
  cr_assert_eq(IMPORT("badts.txt", "caf\xC3\xA9 00:01 R1: ja\ncaf\xC3\xA9 12x R2: nee\n",
                      &opt, &res, &err),
               THEMA_EINPUT);
  /* "café " is 5 code points (6 bytes): the timestamp is at column 6. */
  char want[700];
  snprintf(want, sizeof want, "%s:2:6: cannot read timestamp '12x'", last_path);
  cr_expect(strncmp(err.msg, want, strlen(want)) == 0, "%s", err.msg);
  cr_expect_eq(th_count(st, "source"), 0);
}

/* ---- re-import and replacement ---- */

Test(transcript, reimport_of_identical_content_changes_nothing) {
  ThemaImportResult res;
  IMPORT_OK("same.txt", "I: vraag\nR1: antwoord\n", &res);
  int64_t id = res.source_id;
  char *imported_at = th_text(st, "SELECT imported_at FROM source");
  IMPORT_OK("same.txt", "I: vraag\nR1: antwoord\n", &res);
  cr_expect_eq(res.unchanged, 1);
  cr_expect_eq(res.replaced, 0);
  cr_expect_eq(res.source_id, id);
  cr_expect_eq(res.segments, 0);
  cr_expect_eq(th_count(st, "source"), 1);
  cr_expect_eq(th_count(st, "segment"), 2);
  cr_expect_eq(th_count(st, "speaker"), 2);
  TH_EXPECT_STR(th_text(st, "SELECT imported_at FROM source"), imported_at);
  free(imported_at);
}

Test(transcript, changed_content_under_the_same_name_is_refused) {
  ThemaImportResult res;
  IMPORT_OK("fg.txt", "I: oude vraag\nR1: oud antwoord\n", &res);
  ThemaError err = {0};
  cr_assert_eq(IMPORT("fg.txt", "I: nieuwe vraag\n", NULL, &res, &err), THEMA_EINPUT);
  cr_expect(strncmp(err.msg, last_path, strlen(last_path)) == 0, "%s", err.msg);
  cr_expect(strstr(err.msg, "--replace") != NULL, "%s", err.msg);
  cr_expect(strstr(err.msg, "'fg'") != NULL, "%s", err.msg);
  /* The stored version is untouched. */
  cr_expect_eq(th_count(st, "segment"), 2);
  TH_EXPECT_STR(turns(), "I: oude vraag\nR1: oud antwoord\n");
}

Test(transcript, replace_swaps_segments_and_the_text_index) {
  ThemaImportResult res;
  IMPORT_OK("fg.txt", "---\nmoderator: Els\n---\nI: de oude co\xC3\xB6rdinatie\nR1: ja\n",
            &res);
  cr_assert_eq(
      th_int(st, "SELECT count(*) FROM segment_fts WHERE segment_fts MATCH 'oude'"), 1);
  ThemaImportOptions opt = {.replace = 1};
  ThemaError err = {0};
  cr_assert_eq(IMPORT("fg.txt", "---\nmoderator: Piet\n---\nI: de nieuwe samenwerking\n",
                      &opt, &res, &err),
               THEMA_OK, "%s", err.msg);
  cr_expect_eq(res.replaced, 1);
  cr_expect_eq(res.unchanged, 0);
  cr_expect_eq(th_int(st, "SELECT id FROM source"), res.source_id);
  cr_expect_eq(th_count(st, "source"), 1);
  cr_expect_eq(th_count(st, "segment"), 1);
  cr_expect_eq(th_count(st, "speaker"), 1);
  cr_expect_eq(th_count(st, "attribute"), 1);
  TH_EXPECT_STR(th_text(st, "SELECT value FROM attribute WHERE key = 'moderator'"), "Piet");
  TH_EXPECT_STR(turns(), "I: de nieuwe samenwerking\n");
  cr_expect_eq(
      th_int(st, "SELECT count(*) FROM segment_fts WHERE segment_fts MATCH 'oude'"), 0);
  cr_expect_eq(
      th_int(st, "SELECT count(*) FROM segment_fts WHERE segment_fts MATCH 'coordinatie'"),
      0);
  cr_expect_eq(
      th_int(st, "SELECT count(*) FROM segment_fts WHERE segment_fts MATCH 'samenwerking'"),
      1);
  th_expect_slices_exact(st);
}

Test(transcript, replace_with_identical_content_is_unchanged) {
  ThemaImportResult res;
  IMPORT_OK("fg.txt", "I: x\n", &res);
  ThemaImportOptions opt = {.replace = 1};
  ThemaError err = {0};
  cr_assert_eq(IMPORT("fg.txt", "I: x\n", &opt, &res, &err), THEMA_OK, "%s", err.msg);
  cr_expect_eq(res.unchanged, 1);
  cr_expect_eq(res.replaced, 0);
}

/* ---- errors ---- */

static const ErrCase err_cases[] = {
    EC("invalid UTF-8", "utf.txt", "I: goed\nR1: fo\xFFut\n",
       ":2:7: ", "invalid UTF-8 (byte 0xFF)"),
    EC("invalid UTF-8 after non-ASCII (column in code points)", "utf2.txt",
       "I: caf\xC3\xA9 \xC3\xA9\xC3\xA9n\xC3\n", ":1:12: ", "invalid UTF-8 (byte 0xC3)"),
    EC("invalid UTF-8 after a BOM and CRLF", "utf3.txt",
       "\xEF\xBB\xBFI: a\r\nR1: \xC0\xAF\r\n", ":2:5: ", "invalid UTF-8 (byte 0xC0)"),
    EC("invalid UTF-8 after lone-CR line ends", "utf4.txt", "I: a\rR1: \xFF\r",
       ":2:5: ", "invalid UTF-8 (byte 0xFF)"),
    EC("NUL byte", "nul.txt", "I: a\nR1: b\0c\n", ":2:6: ", "NUL byte"),
    EC("empty file", "empty.txt", "", ": ", "file is empty"),
    EC("whitespace-only file", "blank.txt", "  \n\t\n\n", ": ", "file is empty"),
    EC("BOM only", "bomonly.txt", "\xEF\xBB\xBF", ": ", "file is empty"),
    EC("no speaker turn", "noturn.txt", "---\ntitle: leeg\n---\n\n\n", ": ",
       "no speaker turn found"),
    EC("unclosed front matter", "open.txt", "---\ntitle: x\nI: hallo\n",
       ":1:1: ", "never closed"),
    EC("bad front-matter line", "badfm.txt", "---\ntitle: x\nzomaar tekst\n---\nI: x\n",
       ":3:1: ", "expected 'key: value'"),
    EC("front-matter key given twice", "dupfm.txt", "---\ntitle: x\ntitle: y\n---\nI: x\n",
       ":3:1: ", "given twice"),
    EC("VTT without WEBVTT header", "nohead.vtt",
       "00:00:01.000 --> 00:00:02.000\n<v Anna>hallo\n",
       ":1:1: ", "must start with 'WEBVTT'"),
    EC("VTT with a longer first word", "webvttx.vtt",
       "WEBVTTX\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>hallo\n",
       ":1:1: ", "must start with 'WEBVTT'"),
    EC("VTT cue without timing line", "notime.vtt",
       "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>hallo\n\n<v Anna>geen tijd\n",
       ":6:1: ", "expected a cue timing line"),
    EC("VTT cue with an identifier but a bad timing line", "badtime.vtt",
       "WEBVTT\n\nc1\n00:00:01.000 -> 00:00:02.000\n<v Anna>hallo\n",
       ":4:1: ", "expected a cue timing line"),
    EC("VTT first cue with no speaker", "nospk.vtt",
       "WEBVTT\n\n\n00:00:01.000 --> 00:00:02.000\nhallo zonder spreker\n",
       ":4: ", "cue names no speaker"),
    EC("VTT without cues", "nocue.vtt", "WEBVTT\n\nNOTE alleen een notitie\n", ": ",
       "no cue with text"),
    EC("SRT cue with no speaker", "nospk.srt", "1\n00:00:01,000 --> 00:00:02,000\nhallo\n",
       ":1: ", "cue names no speaker"),
    EC("SRT cue without timing line", "notime.srt", "1\nAnna: hallo\n",
       ":2:1: ", "expected a cue timing line"),
    EC("SRT cue time too large to be a time", "hugetime.srt",
       "1\n00:00:01,000 --> 00:00:03,500\nAnna: x\n\n"
       "2\n00:00:0666666666666666666663,500 --> 00:00:05,000\nBert: y\n",
       ":6:1: ", "cannot read this cue's times, or they are out of range"),
    EC("VTT cue time of a billion seconds", "hugetime.vtt",
       "WEBVTT\n\n277777:46:40.000 --> 277777:46:41.000\n<v Anna>x\n",
       ":3:1: ", "cannot read this cue's times, or they are out of range"),
};

Test(transcript, errors_name_file_and_position_and_write_nothing) {
  for (size_t i = 0; i < sizeof err_cases / sizeof *err_cases; i++) {
    const ErrCase *c = &err_cases[i];
    ThemaImportResult res;
    ThemaError err = {0};
    int rc = import_n(c->name, c->data, c->n, NULL, &res, &err);
    static const char *const tables[] = {"source", "segment", "speaker", "attribute", NULL};
    th_expect_err_case(st, c, rc, &err, last_path, tables);
  }
  cr_expect_eq(
      th_int(st, "SELECT count(*) FROM segment_fts WHERE segment_fts MATCH 'hallo'"), 0);
}

Test(transcript, missing_file_is_an_input_error) {
  ThemaImportResult res = {0};
  ThemaError err = {0};
  char path[600];
  snprintf(path, sizeof path, "%s/absent.txt", dir);
  cr_assert_eq(thema_import_transcript(st, path, NULL, &res, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "cannot open") != NULL, "%s", err.msg);
  cr_expect_eq(th_count(st, "source"), 0);
}

/* ---- long cues ---- */

/* A cue of 70 payload lines ("line1" .. "line70") after its timing line,
 * with the cue number first for SRT. */
static char *long_cue(int is_vtt) {
  ThemaBuf b = {0};
  thema_buf_puts(&b, is_vtt ? "WEBVTT\n\n00:00:01.000 --> 00:00:09.000\n<v Anna>line1\n"
                            : "1\n00:00:01,000 --> 00:00:09,000\nAnna: line1\n");
  for (int i = 2; i <= 70; i++) thema_buf_printf(&b, "line%d\n", i);
  thema_buf_puts(&b, is_vtt ? "\n00:00:10.000 --> 00:00:11.000\n<v Bert>ja\n"
                            : "\n2\n00:00:10,000 --> 00:00:11,000\nBert: ja\n");
  char *s = strdup(thema_buf_str(&b));
  thema_buf_free(&b);
  return s;
}

Test(transcript, a_cue_of_seventy_lines_is_read_whole) {
  for (int is_vtt = 0; is_vtt < 2; is_vtt++) {
    char *data = long_cue(is_vtt);
    ThemaImportResult res;
    ThemaError err = {0};
    cr_assert_eq(import_n(is_vtt ? "longcue.vtt" : "longcue2.srt", data, strlen(data), NULL,
                          &res, &err),
                 THEMA_OK, "%s", err.msg);
    cr_expect_eq(res.segments, 2);
    ThemaBuf want = {0};
    thema_buf_puts(&want, "Anna: line1");
    for (int i = 2; i <= 70; i++) thema_buf_printf(&want, " line%d", i);
    thema_buf_puts(&want, "\nBert: ja\n");
    TH_EXPECT_STR(turns(), thema_buf_str(&want));
    thema_buf_free(&want);
    th_expect_slices_exact(st);
    free(data);
  }
}
