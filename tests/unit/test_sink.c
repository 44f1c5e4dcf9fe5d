/*
 * test_sink.c — the parsers of ingest/ without a store: each format parsed
 * from memory into the null sink (ingest/sink.h), which counts and checks
 * every record; the null sink's own checks (a parser that breaks the
 * contract is caught); a sink that answers "unchanged" stops the parser; and
 * the exact key sets (ingest/keys.h) the parsers remember a file with.
 * No test here opens a store.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/hash.h"
#include "ingest/ingest.h"
#include "ingest/keys.h"

/* text as a loaded input (the caller frees it with thema_input_free). */
static ThemaInput input(const char *text) {
  ThemaInput in = {0};
  thema_buf_puts(&in.buf, text);
  thema_hash_sha256(text, strlen(text), in.hash);
  return in;
}

/* A null sink, checked to be unbroken when the test is done with it. */
static void expect_unbroken(ThemaSinkNull *n) {
  cr_expect_eq(n->base.broken, 0, "the parser broke the sink's contract: %s", n->base.why);
  thema_sink_free(&n->base);
}

static ThemaTurnPattern *pattern(const char *rx) {
  ThemaTurnPattern *p = NULL;
  ThemaError err = {0};
  cr_assert_eq(thema_turn_pattern_compile(rx, &p, &err), THEMA_OK, "%s", err.msg);
  return p;
}

/* ---- every format into the null sink ---- */

Test(sink, a_transcript_parses_into_the_null_sink) {
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  ThemaInput in = input("---\ntitle: x\nmoderator: Els\n---\n"
                        "[00:00:01] I: Welkom \xC3\xA9\xC3\xA9n\nen de rest.\n\n"
                        "R1: Dank je.\nI: Goed.\n");
  ThemaTurnPattern *p = pattern(NULL);
  ThemaError err = {0};
  cr_assert_eq(thema_parse_transcript(&n.base, "fg.txt", &in, p, &err), THEMA_OK, "%s",
               err.msg);
  cr_expect_eq(n.res.segments, 3);
  cr_expect_eq(n.res.speakers, 2);
  cr_expect_eq(n.sources, 1);
  cr_expect_eq(n.ended, 1);
  cr_expect_eq(n.res.source_id, 0, "the null sink has no ids");
  thema_turn_pattern_free(p);
  thema_input_free(&in);
  expect_unbroken(&n);
}

Test(sink, a_custom_speaker_pattern_parses_into_the_null_sink) {
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  ThemaInput in = input("01.11 Jan (N-VA): Voorzitter.\nvervolg\n01.15 Els: Dank u.\n");
  ThemaTurnPattern *p = pattern("(?<ts>\\d\\d\\.\\d\\d) (?<label>[^:]+?):");
  ThemaError err = {0};
  cr_assert_eq(thema_parse_transcript(&n.base, "p.txt", &in, p, &err), THEMA_OK, "%s",
               err.msg);
  cr_expect_eq(n.res.segments, 2);
  cr_expect_eq(n.res.speakers, 2);
  thema_turn_pattern_free(p);
  thema_input_free(&in);
  expect_unbroken(&n);
}

Test(sink, subtitles_parse_into_the_null_sink) {
  /* files[is_vtt]: SRT, then WebVTT */
  static const char *const files[2] = {
      "1\n00:00:01,000 --> 00:00:02,000\nAnna: Hallo\n\n"
      "2\n00:00:02,000 --> 00:00:03,000\nBert: ja\n\n"
      "3\n00:00:03,000 --> 00:00:04,000\nnog steeds Bert\n",
      "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>Hallo <i>daar</i>\n\n"
      "00:00:02.000 --> 00:00:03.000\n<v Anna>nog\n\n"
      "00:00:03.000 --> 00:00:04.000\n<v Bert>ja &amp; nee\n"};
  ThemaTurnPattern *p = pattern(NULL);
  for (int is_vtt = 0; is_vtt < 2; is_vtt++) {
    ThemaSinkNull n;
    thema_sink_null_init(&n);
    ThemaInput in = input(files[is_vtt]);
    ThemaError err = {0};
    cr_assert_eq(thema_parse_subtitle(&n.base, "s", &in, is_vtt, p, &err), THEMA_OK, "%s",
                 err.msg);
    cr_expect_eq(n.res.segments, 2, "%s", is_vtt ? "vtt" : "srt");
    cr_expect_eq(n.res.speakers, 2);
    thema_input_free(&in);
    expect_unbroken(&n);
  }
  thema_turn_pattern_free(p);
}

Test(sink, a_document_parses_into_the_null_sink) {
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  ThemaInput in = input("# Hoofdstuk\n\nEerste alinea\nover twee regels.\n\nTitel\n---\n\n"
                        "Tweede **alinea** met caf\xC3\xA9.\n");
  ThemaError err = {0};
  cr_assert_eq(thema_parse_document(&n.base, "d.md", &in, 1, &err), THEMA_OK, "%s",
               err.msg);
  cr_expect_eq(n.res.segments, 2);
  cr_expect_eq(n.res.speakers, 0);
  thema_input_free(&in);
  expect_unbroken(&n);
}

Test(sink, a_monitor_table_with_its_sidecar_parses_into_the_null_sink) {
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  ThemaInput side = input("columns: indicator\nperiod: 2017\nunits: %; personen\n");
  ThemaInput in = input("gemeente;aandeel;aantal\nDiest;6,1;2.775\nLanden;-;12\n");
  ThemaMonitorDecl decl = {0};
  ThemaError err = {0};
  cr_assert_eq(thema_monitor_declare("m.csv", &side, NULL, &decl, &err), THEMA_OK, "%s",
               err.msg);
  cr_assert_eq(thema_parse_monitor(&n.base, "m.csv", &in, &decl, &err), THEMA_OK, "%s",
               err.msg);
  cr_expect_eq(n.res.rows, 2);
  cr_expect_eq(n.res.observations, 4);
  cr_expect_eq(n.ended, 1);
  thema_monitor_decl_free(&decl);
  thema_input_free(&in);
  thema_input_free(&side);
  expect_unbroken(&n);
}

Test(sink, a_value_given_twice_is_found_without_a_store) {
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  ThemaInput side = input("form: long\n");
  ThemaInput in = input("case,indicator,period,value\nDiest,x,2017,1\nDiest,x,2018,2\n"
                        "Diest,x,2017,3\n");
  ThemaMonitorDecl decl = {0};
  ThemaError err = {0};
  cr_assert_eq(thema_monitor_declare("m.csv", &side, NULL, &decl, &err), THEMA_OK);
  cr_assert_eq(thema_parse_monitor(&n.base, "m.csv", &in, &decl, &err), THEMA_EINPUT);
  cr_expect_str_eq(err.msg, "m.csv:4:4: 'Diest' / 'x' / 2017 is given twice (first on "
                            "line 2); remove one");
  thema_monitor_decl_free(&decl);
  thema_input_free(&in);
  thema_input_free(&side);
  expect_unbroken(&n);
}

Test(sink, cases_parse_into_the_null_sink) {
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  ThemaInput orgs = input("organisation,network,type\nDiest,Leuven-Hageland,gemeente\n"
                          "AgII,,agentschap\n");
  ThemaInput people = input("source,speaker,person,organisation,role,gender\n"
                            "fg1,R1.1,P1,Diest,stagiair,v\nfg1,R1.2,,,,\n");
  ThemaError err = {0};
  cr_assert_eq(thema_parse_cases(&n.base, "o.csv", &orgs, &err), THEMA_OK, "%s", err.msg);
  cr_assert_eq(thema_parse_cases(&n.base, "c.csv", &people, &err), THEMA_OK, "%s", err.msg);
  cr_expect_eq(n.organisations, 2);
  cr_expect_eq(n.persons, 2);
  cr_expect_eq(n.attributes, 3);
  cr_expect_eq(n.res.rows, 4);
  thema_input_free(&orgs);
  thema_input_free(&people);
  expect_unbroken(&n);
}

Test(sink, an_unknown_source_is_asked_of_the_sink) {
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  n.knows_sources = 0;
  ThemaInput in = input("source,speaker\nfg1,R1.1\n");
  ThemaError err = {0};
  cr_assert_eq(thema_parse_cases(&n.base, "c.csv", &in, &err), THEMA_EINPUT);
  cr_expect_str_eq(err.msg, "c.csv:2:1: unknown source 'fg1'; import it first or fix the "
                            "name (sources: none yet)");
  thema_input_free(&in);
  expect_unbroken(&n);
}

Test(sink, codings_parse_into_the_null_sink_and_its_segments) {
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  n.segments = 3;
  n.span = 10;
  ThemaInput in = input("source,segment,code,start,end,coder\nfg1,1,a,,,anna\n"
                        "fg1,2,b,12,15,anna\nfg1,3,a/b,,,bert\nfg1,3,,,,carl\n");
  ThemaError err = {0};
  cr_assert_eq(thema_parse_codings(&n.base, "k.csv", &in, NULL, &err), THEMA_OK, "%s",
               err.msg);
  cr_expect_eq(n.codings, 3);
  cr_expect_eq(n.coders, 3, "each coder is begun once, also one without codings");
  cr_expect_eq(n.res.rows, 4);
  cr_expect_eq(n.res.segments, 3);
  thema_input_free(&in);
  /* segment 4 does not exist, segment 2 spans 10-20 */
  static const char *const bad[][2] = {
      {"source,segment,code\nfg1,4,a\n", "k.csv:2:2: source 'fg1' has no segment 4"},
      {"source,segment,code,start,end\nfg1,2,a,5,12\n",
       "k.csv:2:4: span 5-12 is not within segment 2 (10-20)"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    ThemaInput b = input(bad[i][0]);
    ThemaError e = {0};
    cr_expect_eq(thema_parse_codings(&n.base, "k.csv", &b, "x", &e), THEMA_EINPUT);
    cr_expect(strncmp(e.msg, bad[i][1], strlen(bad[i][1])) == 0, "%s", e.msg);
    thema_input_free(&b);
  }
  expect_unbroken(&n);
}

/* ---- errors without a store ---- */

typedef struct ParseError {
  const char *what;
  int kind; /* 0 transcript, 1 vtt, 2 srt, 3 document */
  const char *text;
  const char *msg; /* the whole message */
} ParseError;

static const ParseError parse_errors[] = {
    {"a time out of range", 0, "I: vraag\n[10:61:00] R1: antwoord\n",
     "t:2:2: cannot read timestamp '10:61:00'; write hh:mm:ss, minutes and seconds below 60"},
    {"no turn", 0, "---\ntitle: x\n---\n\n",
     "t: no speaker turn found; start each turn at the beginning of a line with a label "
     "and a colon (e.g. 'R1.1: ...'), or pass --speaker-pattern for another convention"},
    {"no WEBVTT", 1, "00:00:01.000 --> 00:00:02.000\n<v A>x\n",
     "t:1:1: a WebVTT file must start with 'WEBVTT'"},
    {"a cue without timing", 2, "1\nAnna: hallo\n",
     "t:2:1: expected a cue timing line 'hh:mm:ss,000 --> hh:mm:ss,000'"},
    {"a first cue without speaker", 1, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhallo\n",
     "t:3: cue names no speaker; tag it '<v Name>' or start its text with 'Name:'"},
    {"only headings", 3, "# Kop\n\n## Nog een\n",
     "t: no paragraph of text found (only headings or front matter); nothing to code"},
};

ParameterizedTestParameters(sink, parse_errors_need_no_store) {
  static size_t rows[sizeof parse_errors / sizeof *parse_errors];
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) rows[i] = i;
  return cr_make_param_array(size_t, rows, sizeof rows / sizeof *rows);
}

ParameterizedTest(size_t *row, sink, parse_errors_need_no_store) {
  const ParseError *c = &parse_errors[*row];
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  ThemaInput in = input(c->text);
  ThemaTurnPattern *p = pattern(NULL);
  ThemaError err = {0};
  int rc = c->kind == 0   ? thema_parse_transcript(&n.base, "t", &in, p, &err)
           : c->kind == 3 ? thema_parse_document(&n.base, "t", &in, 0, &err)
                          : thema_parse_subtitle(&n.base, "t", &in, c->kind == 1, p, &err);
  cr_expect_eq(rc, THEMA_EINPUT, "%s: %s", c->what, err.msg);
  cr_expect_str_eq(err.msg, c->msg, "%s", c->what);
  cr_expect_eq(n.ended, 0, "%s: a failed source is never ended", c->what);
  thema_turn_pattern_free(p);
  thema_input_free(&in);
  expect_unbroken(&n);
}

Test(sink, a_reader_loads_a_file_into_any_sink) {
  char path[] = "/tmp/thema-sink-XXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  static const char text[] = "\xEF\xBB\xBFI: vraag\r\nR1: antwoord\r\n";
  cr_assert_eq(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
  close(fd);
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  ThemaError err = {0};
  cr_assert_eq(thema_read_transcript(&n.base, path, NULL, &err), THEMA_OK, "%s", err.msg);
  cr_expect_eq(n.res.segments, 2);
  unlink(path);
  expect_unbroken(&n);
}

/* ---- the null sink's checks ---- */

Test(sink, the_null_sink_catches_a_broken_contract) {
  static const char text[] = "I: caf\xC3\xA9 ja\n";
  ThemaSourceRec src = {.kind = "transcript",
                        .format = "txt",
                        .path = "x",
                        .hash = "0123456789abcdef0123456789abcdef"
                                "0123456789abcdef0123456789abcdef",
                        .text = text,
                        .len = sizeof text - 1};
  /* each case: the segment as emitted, and whether a source was begun */
  struct {
    const char *what;
    ThemaSegmentRec seg;
    int begun;
  } cases[] = {
      {"a segment outside a source",
       {.ordinal = 1, .text = text + 3, .len = 4, .start = 3, .end = 7},
       0},
      {"ordinals not 1, 2, 3",
       {.ordinal = 2, .text = text + 3, .len = 4, .start = 3, .end = 7},
       1},
      {"code points that are not the slice's",
       {.ordinal = 1, .text = text + 3, .len = 5, .start = 3, .end = 8},
       1},
      {"a slice cutting a code point",
       {.ordinal = 1, .text = text + 3, .len = 4, .start = 3, .end = 7},
       1},
      {"a slice outside the text",
       {.ordinal = 1, .text = text + 10, .len = 9, .start = 10, .end = 19},
       1},
      {"an empty label",
       {.ordinal = 1, .speaker = "", .text = text + 3, .len = 5, .start = 3, .end = 7},
       1},
      {"a negative time",
       {.ordinal = 1,
        .text = text + 3,
        .len = 5,
        .start = 3,
        .end = 7,
        .timed = 1,
        .time_start = -1},
       1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ThemaSinkNull n;
    thema_sink_null_init(&n);
    ThemaError err = {0};
    int unchanged = 0;
    if (cases[i].begun)
      cr_assert_eq(thema_sink_begin_source(&n.base, &src, &unchanged, &err), THEMA_OK, "%s",
                   err.msg);
    cr_expect_eq(thema_sink_add_segment(&n.base, &cases[i].seg, &err), THEMA_ERUNTIME,
                 "%s: accepted", cases[i].what);
    cr_expect_eq(n.base.broken, 1, "%s", cases[i].what);
    cr_expect(strstr(err.msg, "internal:") == err.msg, "%s: %s", cases[i].what, err.msg);
    thema_sink_free(&n.base);
  }
}

Test(sink, the_null_sink_accepts_a_good_segment) {
  static const char text[] = "I: caf\xC3\xA9 ja\n";
  ThemaSourceRec src = {.kind = "transcript",
                        .format = "txt",
                        .path = "x",
                        .hash = "0123456789abcdef0123456789abcdef"
                                "0123456789abcdef0123456789abcdef",
                        .text = text,
                        .len = sizeof text - 1};
  ThemaSegmentRec seg = {
      .ordinal = 1, .speaker = "I", .text = text + 3, .len = 8, .start = 3, .end = 10};
  ThemaSinkNull n;
  thema_sink_null_init(&n);
  ThemaError err = {0};
  int unchanged = 0;
  cr_assert_eq(thema_sink_begin_source(&n.base, &src, &unchanged, &err), THEMA_OK);
  cr_expect_eq(thema_sink_add_segment(&n.base, &seg, &err), THEMA_OK, "%s", err.msg);
  cr_expect_eq(thema_sink_end_source(&n.base, &err), THEMA_OK);
  cr_expect_eq(thema_sink_end_source(&n.base, &err), THEMA_ERUNTIME, "ended twice");
  thema_sink_free(&n.base);
}

/* ---- a sink that already has the source ---- */

static int unchanged_begin(ThemaSink *s, const ThemaSourceRec *src, int *unchanged,
                           ThemaError *err) {
  (void)s, (void)src, (void)err;
  *unchanged = 1;
  return THEMA_OK;
}

static int never_segment(ThemaSink *s, const ThemaSegmentRec *seg, long speaker, int first,
                         ThemaError *err) {
  (void)seg, (void)speaker, (void)first;
  return thema_sink_broken(s, err, "a segment after 'unchanged'");
}

static int never_end(ThemaSink *s, ThemaError *err) {
  return thema_sink_broken(s, err, "an end after 'unchanged'");
}

Test(sink, unchanged_stops_the_parser) {
  static const ThemaSinkOps ops = {.begin_source = unchanged_begin,
                                   .add_segment = never_segment,
                                   .end_source = never_end};
  ThemaImportResult res = {0};
  ThemaSink s;
  thema_sink_init(&s, &ops, &res);
  /* a body that would fail to parse: unchanged content is not parsed at all */
  ThemaInput in = input("geen sprekers hier\n");
  ThemaTurnPattern *p = pattern(NULL);
  ThemaError err = {0};
  cr_assert_eq(thema_parse_transcript(&s, "t.txt", &in, p, &err), THEMA_OK, "%s", err.msg);
  cr_expect_eq(res.unchanged, 1);
  cr_expect_eq(res.segments, 0);
  cr_expect_eq(s.broken, 0, "%s", s.why);
  thema_turn_pattern_free(p);
  thema_input_free(&in);
  thema_sink_free(&s);
}

/* ---- exact keys ---- */

Test(sink, keys_of_any_length_never_merge) {
  ThemaKeys k = {0};
  ThemaBuf a = {0}, b = {0};
  for (int i = 0; i < 300; i++) {
    thema_buf_puts(&a, "abcd");
    thema_buf_puts(&b, "abcd");
  }
  thema_buf_putc(&a, 'x');
  thema_buf_putc(&b, 'y');
  cr_assert_null(thema_keys_find(&k, a.data, a.len));
  thema_keys_add(&k, a.data, a.len, 2, "eerste");
  cr_expect_null(thema_keys_find(&k, b.data, b.len),
                 "a 1201-byte key differing at its end");
  thema_keys_add(&k, b.data, b.len, 3, NULL);
  const ThemaKey *e = thema_keys_find(&k, a.data, a.len);
  cr_assert_not_null(e);
  cr_expect_eq(e->line, 2);
  cr_expect_str_eq(e->value, "eerste");
  cr_expect_eq(e->index, 0);
  /* composite keys: ("a", "bc") and ("ab", "c") are different keys */
  ThemaBuf c1 = {0}, c2 = {0};
  thema_keys_part(&c1, "a", 1);
  thema_keys_part(&c1, "bc", 2);
  thema_keys_part(&c2, "ab", 2);
  thema_keys_part(&c2, "c", 1);
  thema_keys_add(&k, c1.data, c1.len, 4, NULL);
  cr_expect_null(thema_keys_find(&k, c2.data, c2.len));
  /* many keys: growth keeps every one */
  for (int i = 0; i < 5000; i++) {
    char key[32];
    int n = snprintf(key, sizeof key, "k%d", i);
    thema_keys_add(&k, key, (size_t)n, i, NULL);
  }
  for (int i = 0; i < 5000; i += 97) {
    char key[32];
    int n = snprintf(key, sizeof key, "k%d", i);
    const ThemaKey *f = thema_keys_find(&k, key, (size_t)n);
    cr_assert_not_null(f, "%s", key);
    cr_expect_eq(f->line, i);
  }
  cr_expect_eq(k.n, 5003);
  thema_keys_clear(&k);
  cr_expect_null(thema_keys_find(&k, a.data, a.len));
  thema_buf_free(&a);
  thema_buf_free(&b);
  thema_buf_free(&c1);
  thema_buf_free(&c2);
}
