/*
 * test_host.c — the plugin host as a researcher meets it (DESIGN §4–5): the
 * thema binary is run in a scratch directory with THEMA_PLUGIN_PATH pointing
 * at plugin folders written there (and THEMA_ROOT at the scratch directory, so
 * the project's own plugins stay out of the way). Covers `plugins` (metadata,
 * broken plugins reported with their path, an empty folder, 200 parameters,
 * names of any shape, a default that raises), `run` (parameter checks and
 * conversions, run records, errors at a line with exit 3, failed runs keeping
 * none of their writes, replacement of a plugin's earlier codings only on
 * success), the sandbox and --unsafe, and where output files land.
 */
#include <sqlite3.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "cli_helpers.h"

/* The source tree (for plugins/examples): $THEMA_ROOT, else the binary's. */
static void project_root(char out[PATH_MAX]) {
  const char *root = getenv("THEMA_ROOT");
  if (root && *root && realpath(root, out)) return;
  cr_assert_not_null(realpath(th_binary(), out), "no binary at %s", th_binary());
  for (int up = 0; up < 3; up++) *strrchr(out, '/') = '\0'; /* build/asan/thema */
}

/* ---- fixture ---- */

typedef struct Fx {
  char *dir;                /* scratch directory, the working directory of every run */
  char *out;                /* stdout of the last run */
  char *err;                /* stderr of the last run */
  char path[PATH_MAX + 64]; /* THEMA_PLUGIN_PATH for the runs */
  const char *prefix;       /* a command the binary runs under ("" for none) */
} Fx;

static Fx setup(void) {
  Fx f;
  th_cli_open(&f.dir, &f.out, &f.err);
  f.prefix = "";
  snprintf(f.path, sizeof f.path, "%s/pp", f.dir);
  char pp[1024];
  snprintf(pp, sizeof pp, "%s/pp", f.dir);
  cr_assert_eq(mkdir(pp, 0777), 0);
  return f;
}

static void done(Fx *f) { th_cli_close(&f->dir, &f->out, &f->err); }

/* Run "thema ARGS" in the scratch directory with the fixture's plugin path. */
static int run(Fx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run(Fx *f, const char *fmt, ...) {
  char args[4096], cmd[16384];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  snprintf(cmd, sizeof cmd,
           "cd '%s' && THEMA_ROOT='%s' THEMA_PLUGIN_PATH='%s' %s %s %s >out.txt 2>err.txt",
           f->dir, f->dir, f->path, f->prefix, th_binary(), args);
  int rc = system(cmd);
  th_slurp(f->dir, "out.txt", f->out, OUTN);
  th_slurp(f->dir, "err.txt", f->err, OUTN);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

#define RUN_FAILS(f, code, ...)                                                            \
  do {                                                                                     \
    int rc_ = run(f, __VA_ARGS__);                                                         \
    cr_assert_eq(rc_, code, "exit %d, expected %d\nstdout: %s\nstderr: %s", rc_, code,     \
                 (f)->out, (f)->err);                                                      \
  } while (0)

static void write_file(Fx *f, const char *name, const char *text) {
  th_write_str(f->dir, name, text);
}

static int exists(Fx *f, const char *name) { return th_exists(f->dir, name); }

/* The store of the fixture, opened for a query between runs. */
static long long db_int(Fx *f, const char *sql) {
  ThemaStore *st = th_store(f->dir);
  long long v = th_int(st, sql);
  thema_store_close(st);
  return v;
}

static char *db_text(Fx *f, const char *sql) {
  ThemaStore *st = th_store(f->dir);
  char *v = th_text(st, sql);
  thema_store_close(st);
  return v;
}

/* A small study: one focus group of five turns, organisations and cases. */
static const char fg_txt[] = "---\n"
                             "title: Focusgroep Hageland\n"
                             "kind: focusgroup\n"
                             "network: Hageland\n"
                             "---\n"
                             "\n"
                             "I: Welkom. Kunnen gemeenten van elkaar leren?\n"
                             "\n"
                             "R1: Ja, wij leren veel van Leuven.\n"
                             "\n"
                             "R2: Café \xE2\x80\x98Leren\xE2\x80\x99 is iets anders.\n"
                             "\n"
                             "R1: Samenwerken is belangrijk.\n"
                             "\n"
                             "R2: Wij leren samen, één keer per maand.\n";
static const char orgs_csv[] = "organisation,network,type\n"
                               "Diest,Hageland,gemeente\n"
                               "Leuven,Hageland,gemeente\n"
                               "Leuven,Centrumsteden,gemeente\n";
static const char cases_csv[] = "source,speaker,person,organisation,role\n"
                                "fg,R1,P1,Diest,integratieambtenaar\n"
                                "fg,R2,P2,Leuven,diensthoofd\n"
                                "fg,I,INT,,interviewer\n";

static Fx study(void) {
  Fx f = setup();
  write_file(&f, "fg.txt", fg_txt);
  write_file(&f, "orgs.csv", orgs_csv);
  write_file(&f, "cases.csv", cases_csv);
  RUN_OK(&f, "--quiet init");
  RUN_OK(&f, "--quiet import transcript fg.txt");
  RUN_OK(&f, "--quiet import cases orgs.csv cases.csv");
  return f;
}

/* A plugin that codes every turn mentioning "leren" with thema/leren (the
 * span of the word), writes its count to out/leren/count.txt, and fails after
 * coding when fail=true. Twenty lines: the "done means". */
static const char leren_lua[] =
    "-- leren: code every mention of 'leren'\n"
    "return {\n"
    "  name = \"leren\", version = \"1.0.0\",\n"
    "  description = \"Code every mention of leren\",\n"
    "  params = { fail = { type = \"boolean\", default = false } },\n"
    "  run = function(ctx, params)\n"
    "    local rx, n = thema.regex(\"\\\\bleren\\\\b\", \"i\"), 0\n"
    "    for seg in ctx.store.segments() do\n"
    "      for s, e in rx:gmatch(seg.text) do\n"
    "        ctx.store.add_coding{ segment = seg.id, code = \"thema/leren\",\n"
    "                              start = seg.start + s, stop = seg.start + e }\n"
    "        n = n + 1\n"
    "      end\n"
    "    end\n"
    "    ctx.out.write(\"count.txt\", n .. \"\\n\")\n"
    "    if params.fail then error(\"failed on purpose after \" .. n .. \" codings\") end\n"
    "    return { codings = n }\n"
    "  end,\n"
    "}\n";

static const char export_header[] =
    "source,segment,speaker,organisation,network,code,start,end,span_text,segment_text,coder,"
    "run,memo\n";

/* ---- plugins ---- */

Test(host, plugins_lists_name_version_description_and_params) {
  Fx f = setup();
  write_file(
      &f, "pp/deductive.lua",
      "return {\n"
      "  name = 'deductive', version = '1.2.3',\n"
      "  description = 'Apply a codebook of patterns to segments',\n"
      "  author = 'spec', license = 'MIT', usage = 'thema run deductive codebook=F',\n"
      "  params = {\n"
      "    codebook = { type = 'path', required = true, description = 'the codebook' },\n"
      "    unit = { default = 'segment', values = { 'segment', 'sentence' } },\n"
      "    limit = { type = 'integer', default = 10 },\n"
      "  },\n"
      "  run = function(ctx, params) end,\n"
      "}\n");
  write_file(&f, "pp/bare.lua",
             "return { name = 'bare', version = '0.1', description = 'No parameters',\n"
             "  run = function() end }\n");
  write_file(&f, "pp/notes.txt", "not a plugin\n");
  RUN_OK(&f, "plugins");
  char want[4096];
  snprintf(want, sizeof want,
           "bare 0.1 — No parameters\n"
           "  %s/pp/bare.lua\n"
           "deductive 1.2.3 — Apply a codebook of patterns to segments\n"
           "  %s/pp/deductive.lua\n"
           "  codebook=path (required) the codebook\n"
           "  limit=integer [default 10]\n"
           "  unit=string [default segment]\n",
           f.dir, f.dir);
  cr_assert_str_eq(f.out, want);
  cr_assert_str_eq(f.err, "");
  cr_assert_not(exists(&f, "thema.db"), "listing needs no store");
  done(&f);
}

Test(host, broken_plugins_are_reported_with_their_path_and_the_good_ones_listed) {
  Fx f = setup();
  static const char good[] =
      "return { name = 'good', version = '1.0', description = 'Fine',\n"
      "  run = function() end }\n";
  write_file(&f, "pp/good.lua", good);
  write_file(&f, "pp/a_number.lua", "return 42\n");
  write_file(&f, "pp/no_run.lua",
             "return { name = 'no_run', version = '1.0', description = 'x' }\n");
  write_file(&f, "pp/unknown_field.lua",
             "return { name = 'unknown_field', version = '1.0', description = 'x',\n"
             "  colour = 'red', run = function() end }\n");
  write_file(&f, "pp/wrong_name.lua",
             "return { name = 'other_name', version = '1.0', description = 'x',\n"
             "  run = function() end }\n");
  write_file(&f, "pp/bad_type.lua",
             "return { name = 'bad_type', version = '1.0', description = 'x',\n"
             "  params = { n = { type = 'float' } }, run = function() end }\n");
  write_file(&f, "pp/bad_decl.lua",
             "return { name = 'bad_decl', version = '1.0', description = 'x',\n"
             "  params = { n = { typ = 'string' } }, run = function() end }\n");
  write_file(&f, "pp/no_version.lua",
             "return { name = 'no_version', version = 1, description = 'x',\n"
             "  run = function() end }\n");
  write_file(&f, "pp/syntax.lua", "return {\n  name = 'syntax',, }\n");
  write_file(&f, "pp/raises.lua", "error('cannot load me')\n");
  RUN_OK(&f, "plugins");
  th_contains(f.out, "good 1.0 — Fine\n", "stdout");
  static const char *const broken[] = {"a_number",   "no_run",   "unknown_field",
                                       "wrong_name", "bad_type", "bad_decl",
                                       "no_version", "syntax",   "raises"};
  char line[1024];
  for (size_t i = 0; i < sizeof broken / sizeof *broken; i++) {
    snprintf(line, sizeof line, "%s/pp/%s.lua", f.dir, broken[i]);
    th_contains(f.err, line, "stderr names the file");
    snprintf(line, sizeof line, "\n%s ", broken[i]);
    th_lacks(f.out, line, "stdout");
    cr_assert(strncmp(f.out, line + 1, strlen(line + 1)) != 0, "%s listed", broken[i]);
  }
  snprintf(line, sizeof line,
           "thema: %s/pp/a_number.lua: a plugin must return a table {name, version, "
           "description, params, run}, not a number (skipped)\n",
           f.dir);
  th_contains(f.err, line, "stderr");
  th_contains(f.err, "no_run.lua: field 'run' must be a function, not nil (skipped)",
              "stderr");
  th_contains(f.err, "unknown_field.lua: unknown field 'colour' in the plugin table",
              "stderr");
  th_contains(f.err, "wrong_name.lua: field 'name' must be 'wrong_name', the file's name",
              "stderr");
  th_contains(
      f.err,
      "bad_type.lua: params.n.type must be one of string, number, integer, boolean, "
      "path, list",
      "stderr");
  th_contains(f.err, "bad_decl.lua: params.n has an unknown field 'typ'", "stderr");
  th_contains(f.err, "no_version.lua: field 'version' must be a string, not number",
              "stderr");
  th_contains(f.err, "syntax.lua:2:", "stderr (the line of the syntax error)");
  th_contains(f.err, "raises.lua:1: cannot load me", "stderr");
  done(&f);
}

Test(host, an_earlier_folder_on_the_path_shadows_a_later_one) {
  Fx f = setup();
  char pp2[1024];
  snprintf(pp2, sizeof pp2, "%s/pp2", f.dir);
  cr_assert_eq(mkdir(pp2, 0777), 0);
  snprintf(f.path, sizeof f.path, "%s/pp:%s", f.dir, pp2);
  write_file(&f, "pp/dup.lua",
             "return { name = 'dup', version = '2.0', description = 'Mine',\n"
             "  run = function() return 'mine' end }\n");
  write_file(&f, "pp2/dup.lua",
             "return { name = 'dup', version = '1.0', description = 'Shipped',\n"
             "  run = function() return 'shipped' end }\n");
  RUN_OK(&f, "plugins");
  th_contains(f.out, "dup 2.0 — Mine", "stdout");
  th_lacks(f.out, "Shipped", "stdout");
  char line[2048];
  snprintf(line, sizeof line,
           "thema: %s/dup.lua: shadowed by an earlier plugin named 'dup'", pp2);
  th_contains(f.err, line, "stderr");
  done(&f);
}

/* An empty folder on the path lists nothing: the listing once sorted a NULL
 * array of no names, which the sanitizer build aborts on. */
Test(host, an_empty_plugin_folder_lists_nothing) {
  Fx f = setup();
  RUN_OK(&f, "plugins");
  cr_assert_str_eq(f.out, "");
  cr_assert_str_eq(f.err, "");
  done(&f);
}

/* A plugin of NPARAMS integer parameters p001..pNNN, default i each, that
 * writes its checked parameters to out/wide/params.json. */
enum { NPARAMS = 200 };

static void write_wide_plugin(Fx *f) {
  ThemaBuf b = {0};
  thema_buf_puts(&b, "return { name = 'wide', version = '1.0', description = 'Many "
                     "parameters',\n  params = {\n");
  for (int i = 1; i <= NPARAMS; i++)
    thema_buf_printf(&b, "    p%03d = { type = 'integer', default = %d },\n", i, i);
  thema_buf_puts(&b, "  },\n  run = function(ctx, params) ctx.out.json('params.json', "
                     "params) end }\n");
  write_file(f, "pp/wide.lua", thema_buf_str(&b));
  thema_buf_free(&b);
}

/* The listing and the checks once kept 128 names in a fixed array and
 * silently dropped the rest. */
Test(host, a_plugin_with_200_parameters_is_listed_and_checked_in_full) {
  Fx f = study();
  write_wide_plugin(&f);
  RUN_OK(&f, "plugins");
  ThemaBuf want = {0};
  thema_buf_printf(&want, "wide 1.0 — Many parameters\n  %s/pp/wide.lua\n", f.dir);
  for (int i = 1; i <= NPARAMS; i++)
    thema_buf_printf(&want, "  p%03d=integer [default %d]\n", i, i);
  cr_assert_str_eq(f.out, thema_buf_str(&want));
  cr_assert_str_eq(f.err, "");
  RUN_FAILS(&f, 1, "run wide bogus=1");
  thema_buf_reset(&want);
  thema_buf_puts(&want, "thema: wide: unknown parameter 'bogus'; accepted: ");
  for (int i = 1; i <= NPARAMS; i++)
    thema_buf_printf(&want, "%sp%03d", i > 1 ? ", " : "", i);
  thema_buf_putc(&want, '\n');
  cr_assert_str_eq(f.err, thema_buf_str(&want));
  RUN_FAILS(&f, 1, "run wide p200=x");
  cr_assert_str_eq(f.err, "thema: wide: parameter p200 must be an integer, not 'x'\n");
  RUN_OK(&f, "--quiet run wide p150=7");
  char *json = calloc(1, OUTN);
  th_slurp(f.dir, "out/wide/params.json", json, OUTN);
  th_contains(json, "\"p001\":1,", "params.json");
  th_contains(json, "\"p150\":7,", "params.json");
  th_contains(json, "\"p200\":200}", "params.json");
  free(json);
  thema_buf_free(&want);
  done(&f);
}

/* Names are listed as they are: the listing once joined them into "a, b"
 * and split that again, with "(none)" meaning no parameters, and cut each
 * name at 255 bytes; a name with ", " or "(none)" or a long one aborted it. */
Test(host, parameter_names_are_listed_as_they_are) {
  Fx f = setup();
  char longname[301];
  memset(longname, 'x', 300);
  longname[300] = '\0';
  char lua[2048];
  snprintf(lua, sizeof lua,
           "return { name = 'names', version = '1.0', description = 'Odd names',\n"
           "  params = { ['(none)'] = {}, ['a, b'] = { type = 'list' }, %s = {} },\n"
           "  run = function() end }\n",
           longname);
  write_file(&f, "pp/names.lua", lua);
  RUN_OK(&f, "plugins");
  char want[4096];
  snprintf(want, sizeof want,
           "names 1.0 — Odd names\n  %s/pp/names.lua\n"
           "  (none)=string\n"
           "  a, b=list\n"
           "  %s=string\n",
           f.dir, longname);
  cr_assert_str_eq(f.out, want);
  cr_assert_str_eq(f.err, "");
  done(&f);
}

/* A default is plugin code when it has a __tostring: an error raised there
 * skips the plugin in the listing; it once escaped every protected call and
 * aborted the process. */
Test(host, a_default_whose_tostring_raises_skips_the_plugin) {
  Fx f = setup();
  write_file(
      &f, "pp/tostr.lua",
      "local bad = setmetatable({}, { __tostring = function() error('no text') end })\n"
      "return { name = 'tostr', version = '1.0', description = 'Bad default',\n"
      "  params = { items = { type = 'list', default = { bad } } },\n"
      "  run = function() end }\n");
  write_file(&f, "pp/good.lua",
             "return { name = 'good', version = '1.0', description = 'Fine',\n"
             "  run = function() end }\n");
  RUN_OK(&f, "plugins");
  th_contains(f.out, "good 1.0 — Fine\n", "stdout");
  th_lacks(f.out, "tostr", "stdout");
  char want[1024];
  snprintf(want, sizeof want,
           "thema: %s/pp/tostr.lua: %s/pp/tostr.lua:1: no text (skipped)\n", f.dir, f.dir);
  cr_assert_str_eq(f.err, want);
  done(&f);
}

/* ---- run: parameters ---- */

/* Echoes its parameters, with their Lua types, as JSON in out/params/. */
static const char params_lua[] =
    "return {\n"
    "  name = 'params', version = '1.0', description = 'Echo the parameters',\n"
    "  params = {\n"
    "    word = { description = 'a string' },\n"
    "    count = { type = 'integer', default = 3 },\n"
    "    ratio = { type = 'number' },\n"
    "    flag = { type = 'boolean' },\n"
    "    names = { type = 'list' },\n"
    "    src = { type = 'path', required = true },\n"
    "    mode = { values = { 'fast', 'slow' }, default = 'fast' },\n"
    "  },\n"
    "  run = function(ctx, params)\n"
    "    local types = {}\n"
    "    for k, v in pairs(params) do types[k] = math.type(v) or type(v) end\n"
    "    ctx.out.json('params.json', { values = params, types = types })\n"
    "  end,\n"
    "}\n";

Test(host, run_rejects_unknown_and_missing_parameters_listing_the_accepted_ones) {
  Fx f = study();
  write_file(&f, "pp/params.lua", params_lua);
  write_file(&f, "data.txt", "data\n");
  RUN_FAILS(&f, 1, "run params src=data.txt bogus=1");
  cr_assert_str_eq(f.err,
                   "thema: params: unknown parameter 'bogus'; accepted: count, flag, mode, "
                   "names, ratio, src, word\n");
  RUN_FAILS(&f, 1, "run params word=x");
  cr_assert_str_eq(
      f.err, "thema: params: missing required parameter 'src'; accepted: count, flag, "
             "mode, names, ratio, src, word\n");
  RUN_FAILS(&f, 1, "run params src=data.txt word");
  th_contains(f.err, "expected key=value, got 'word'", "stderr");
  RUN_FAILS(&f, 1, "run params src=data.txt word=a word=b");
  th_contains(f.err, "parameter 'word' is given twice", "stderr");
  RUN_FAILS(&f, 1, "run no_such_plugin");
  th_contains(f.err, "thema: no plugin named 'no_such_plugin' in ", "stderr");
  RUN_FAILS(&f, 1, "run");
  th_contains(f.err, "usage: thema run PLUGIN [key=value ...]", "stderr");
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM run"), 0, "nothing recorded");
  cr_assert_not(exists(&f, "out/params/params.json"), "the plugin did not run");
  done(&f);
}

Test(host, run_converts_parameters_by_their_declared_type) {
  Fx f = study();
  write_file(&f, "pp/params.lua", params_lua);
  write_file(&f, "data.txt", "data\n");
  RUN_OK(&f, "--quiet run params src=data.txt count=7 ratio=2.5 flag=yes names=a,b,c "
             "word=42 mode=slow");
  char json[4096];
  th_slurp(f.dir, "out/params/params.json", json, sizeof json);
  cr_assert_str_eq(
      json, "{\"types\":{\"count\":\"integer\",\"flag\":\"boolean\",\"mode\":\"string\","
            "\"names\":\"table\",\"ratio\":\"float\",\"src\":\"string\",\"word\":"
            "\"string\"},\"values\":{\"count\":7,\"flag\":true,\"mode\":\"slow\","
            "\"names\":[\"a\",\"b\",\"c\"],\"ratio\":2.5,\"src\":\"data.txt\","
            "\"word\":\"42\"}}\n");
  /* defaults fill in; booleans accept true/false, yes/no, 1/0 */
  RUN_OK(&f, "--quiet run params src=data.txt flag=0");
  th_slurp(f.dir, "out/params/params.json", json, sizeof json);
  th_contains(
      json,
      "\"values\":{\"count\":3,\"flag\":false,\"mode\":\"fast\",\"src\":\"data.txt\"}",
      "defaults");
  done(&f);
}

Test(host, run_rejects_values_of_the_wrong_type) {
  Fx f = study();
  write_file(&f, "pp/params.lua", params_lua);
  write_file(&f, "data.txt", "data\n");
  static const struct {
    const char *args;
    int code;
    const char *message;
  } cases[] = {
      {"count=abc", 1, "thema: params: parameter count must be an integer, not 'abc'\n"},
      {"count=1.5", 1, "thema: params: parameter count must be an integer, not '1.5'\n"},
      {"ratio=many", 1, "thema: params: parameter ratio must be a number, not 'many'\n"},
      {"flag=maybe", 1,
       "thema: params: parameter flag must be true or false, not 'maybe'\n"},
      {"mode=medium", 1,
       "thema: params: parameter mode must be one of fast, slow, not 'medium'\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    RUN_FAILS(&f, cases[i].code, "run params src=data.txt %s", cases[i].args);
    cr_assert_str_eq(f.err, cases[i].message, "%s", cases[i].args);
  }
  /* a path must exist and lie inside the project */
  RUN_FAILS(&f, 2, "run params src=missing.txt");
  th_contains(f.err, "thema: params: parameter src: cannot read missing.txt", "stderr");
  RUN_FAILS(&f, 2, "run params src=/etc/passwd");
  th_contains(f.err,
              "thema: params: parameter src: /etc/passwd does not exist or is outside the "
              "project folder",
              "stderr");
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM run"), 0, "nothing recorded");
  done(&f);
}

/* ---- run: records, failures, replacement ---- */

Test(host, a_successful_run_is_recorded_with_params_and_hashes) {
  Fx f = study();
  write_file(&f, "pp/leren.lua", leren_lua);
  RUN_OK(&f, "run leren");
  cr_assert_str_eq(f.out, "", "results go to files, not stdout");
  th_contains(f.err, "run 1 of leren: ok", "stderr");
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM run"), 1);
  char *v = db_text(&f, "SELECT plugin || '|' || version || '|' || params || '|' || status"
                        " FROM run");
  cr_assert_str_eq(v, "leren|1.0.0|{\"fail\":false}|ok");
  free(v);
  cr_assert_eq(db_int(&f, "SELECT length(input_hash) = 64 AND length(codebook_hash) = 64"
                          " AND input_hash NOT GLOB '*[^0-9a-f]*' FROM run"),
               1, "hashes are SHA-256 hex");
  cr_assert_eq(db_int(&f, "SELECT started_at <= finished_at AND finished_at GLOB"
                          " '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z' FROM run"),
               1, "timing");
  cr_assert_eq(db_int(&f, "SELECT message IS NULL FROM run"), 1);
  /* "leren" in the question, in R1's turn, "Leren" in R2's first and "leren" in R2's last */
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM coding WHERE run_id = 1"), 4);
  done(&f);
}

Test(host, a_plugin_error_exits_3_naming_the_file_and_line_and_keeps_nothing) {
  Fx f = study();
  write_file(&f, "pp/leren.lua", leren_lua);
  RUN_FAILS(&f, 3, "run leren fail=true");
  char want[1024];
  snprintf(want, sizeof want,
           "thema: leren: %s/pp/leren.lua:16: failed on purpose after 4 codings\n", f.dir);
  cr_assert_str_eq(f.err, want);
  cr_assert_str_eq(f.out, "");
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM coding"), 0, "its codings are rolled back");
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM code"), 0, "its codes are rolled back");
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM run"), 1, "one run row");
  char *v = db_text(&f, "SELECT plugin || '|' || version || '|' || params || '|' || status"
                        " || '|' || message FROM run");
  snprintf(
      want, sizeof want,
      "leren|1.0.0|{\"fail\":true}|failed|leren: %s/pp/leren.lua:16: failed on purpose "
      "after 4 codings",
      f.dir);
  cr_assert_str_eq(v, want);
  free(v);
  cr_assert_eq(db_int(&f, "SELECT finished_at IS NOT NULL FROM run"), 1);
  done(&f);
}

Test(host, verbose_adds_a_traceback_to_a_plugin_error) {
  Fx f = study();
  write_file(&f, "pp/leren.lua", leren_lua);
  RUN_FAILS(&f, 3, "--verbose run leren fail=true");
  char want[1024];
  snprintf(want, sizeof want, "thema: leren: %s/pp/leren.lua:16: failed on purpose", f.dir);
  cr_assert(strncmp(f.err, want, strlen(want)) == 0, "stderr starts with '%s':\n%s", want,
            f.err);
  th_contains(f.err, "stack traceback:", "stderr");
  th_contains(f.err, "leren.lua:16: in function", "the traceback names the plugin's line");
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM run WHERE status = 'failed'"), 1);
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM coding"), 0);
  done(&f);
}

/* The "done means": a twenty-line plugin dropped into a folder on
 * THEMA_PLUGIN_PATH is listed, runs, records its run and writes codings that
 * `export codings --format csv` shows. */
Test(host, a_dropped_in_plugin_lists_runs_records_and_exports) {
  Fx f = study();
  int lines = 0;
  for (const char *p = leren_lua; *p; p++) lines += *p == '\n';
  cr_assert_leq(lines, 20, "the plugin is %d lines", lines);
  write_file(&f, "pp/leren.lua", leren_lua);
  RUN_OK(&f, "plugins");
  th_contains(f.out, "leren 1.0.0 — Code every mention of leren\n", "plugins");
  th_contains(f.out, "  fail=boolean [default false]\n", "plugins");
  RUN_OK(&f, "--quiet run leren");
  cr_assert_eq(
      db_int(&f, "SELECT count(*) FROM run WHERE plugin = 'leren' AND status = 'ok'"), 1);
  char count[64];
  th_slurp(f.dir, "out/leren/count.txt", count, sizeof count);
  cr_assert_str_eq(count, "4\n");
  RUN_OK(&f, "export codings --format csv --context segment");
  /* the offsets depend on the stored text (front matter and all): take them
   * from the store, and check that each span is the word's five code points */
  long long o[4][2];
  for (int ord = 1; ord <= 5; ord++) {
    if (ord == 4) continue;
    char sql[256];
    for (int e = 0; e < 2; e++) {
      snprintf(sql, sizeof sql,
               "SELECT k.%s FROM coding k JOIN segment g ON g.id = k.segment_id"
               " WHERE g.ordinal = %d",
               e ? "end" : "start", ord);
      o[ord < 4 ? ord - 1 : 3][e] = db_int(&f, sql);
    }
  }
  for (int i = 0; i < 4; i++) cr_assert_eq(o[i][1] - o[i][0], 5, "a span of 5 code points");
  char want[4096];
  snprintf(
      want, sizeof want,
      "%s"
      "fg,1,I,,,thema/leren,%lld,%lld,leren,Welkom. Kunnen gemeenten van elkaar leren?,plugin:leren,1,\n"
      "fg,2,R1,Diest,Hageland,thema/leren,%lld,%lld,leren,\"Ja, wij leren veel van Leuven.\",plugin:leren,1,\n"
      "fg,3,R2,Leuven,Centrumsteden;Hageland,thema/leren,%lld,%lld,Leren,"
      "Café \xE2\x80\x98Leren\xE2\x80\x99 is iets anders.,plugin:leren,1,\n"
      "fg,5,R2,Leuven,Centrumsteden;Hageland,thema/leren,%lld,%lld,leren,"
      "\"Wij leren samen, één keer per maand.\",plugin:leren,1,\n",
      export_header, o[0][0], o[0][1], o[1][0], o[1][1], o[2][0], o[2][1], o[3][0],
      o[3][1]);
  cr_assert_str_eq(f.out, want);
  done(&f);
}

Test(host, a_second_run_replaces_the_first_runs_codings_only_when_it_succeeds) {
  Fx f = study();
  write_file(&f, "pp/leren.lua", leren_lua);
  RUN_OK(&f, "--quiet run leren");
  RUN_OK(&f, "export codings --format csv");
  char first[OUTN];
  snprintf(first, sizeof first, "%s", f.out);
  th_contains(first, ",1,\n", "run 1's codings");
  RUN_FAILS(&f, 3, "--quiet run leren fail=true");
  RUN_OK(&f, "export codings --format csv");
  cr_assert_str_eq(f.out, first, "run 2 failed: run 1's codings are still exported");
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM run WHERE status = 'ok'"), 1);
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM run WHERE status = 'failed'"), 1);
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM coding"), 4);
  RUN_OK(&f, "--quiet run leren");
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM run WHERE status = 'replaced'"), 1,
               "run 1 is replaced");
  long long third = db_int(&f, "SELECT id FROM run WHERE status = 'ok'");
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM coding"), 4, "run 1's codings are gone");
  char where[128];
  snprintf(where, sizeof where, "SELECT count(*) FROM coding WHERE run_id = %lld", third);
  cr_assert_eq(db_int(&f, where), 4, "the codings are the third run's");
  RUN_OK(&f, "export codings --format csv");
  char tail[32];
  snprintf(tail, sizeof tail, ",%lld,\n", third);
  th_contains(f.out, tail, "export shows the third run");
  th_lacks(f.out, ",1,\n", "export no longer shows run 1");
  done(&f);
}

Test(host, a_plugin_run_failing_inside_a_script_is_recorded_after_it) {
  Fx f = study();
  write_file(&f, "pp/leren.lua", leren_lua);
  /* the script catches the failure and goes on: it succeeds */
  write_file(&f, "catch.lua",
             "local ok, err = pcall(thema.run, 'leren', { fail = true })\n"
             "assert(not ok and err:find('failed on purpose', 1, true))\n"
             "assert(thema.count_runs() == 0, 'not recorded inside the script')\n"
             "assert(thema.count_codings() == 0)\n"
             "print('caught')\n");
  RUN_OK(&f, "--quiet script catch.lua");
  cr_assert_str_eq(f.out, "caught\n");
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM coding"), 0);
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM run WHERE status = 'failed'"), 1,
               "the failed run is recorded once the script has finished");
  /* the script fails after the plugin failed: its writes go, the failure stays */
  write_file(&f, "fail.lua",
             "thema.add_memo{ target = 'project', text = 'kept?' }\n"
             "thema.run('leren', { fail = true })\n");
  RUN_FAILS(&f, 3, "--quiet script fail.lua");
  th_contains(f.err, "failed on purpose after 4 codings", "stderr");
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM memo"), 0,
               "the script's writes are rolled back");
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM run WHERE status = 'failed'"), 2);
  done(&f);
}

/* ---- sandbox and output ---- */

Test(host, the_sandbox_refuses_programs_and_writes_outside_the_output_folder) {
  Fx f = study();
  write_file(&f, "pp/shell.lua",
             "return { name = 'shell', version = '1.0', description = 'Run a program',\n"
             "  run = function(ctx) return os.execute('touch pwned') end }\n");
  RUN_FAILS(&f, 3, "run shell");
  char want[1024];
  snprintf(
      want, sizeof want,
      "thema: shell: %s/pp/shell.lua:2: attempt to call a nil value (field 'execute')\n",
      f.dir);
  cr_assert_str_eq(f.err, want);
  cr_assert_not(exists(&f, "pwned"));
  write_file(&f, "pp/escape.lua",
             "return { name = 'escape', version = '1.0', description = 'Write outside',\n"
             "  run = function(ctx)\n"
             "    assert(io.open('escaped.txt', 'w'))\n"
             "  end }\n");
  RUN_FAILS(&f, 3, "run escape");
  th_contains(
      f.err, "escaped.txt: writing outside the output folder is not allowed in the sandbox",
      "stderr");
  cr_assert_not(exists(&f, "escaped.txt"));
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM run WHERE status = 'failed'"), 2);
  done(&f);
}

Test(host, unsafe_lifts_the_sandbox) {
  Fx f = study();
  write_file(&f, "pp/shell.lua",
             "return { name = 'shell', version = '1.0', description = 'Run a program',\n"
             "  run = function(ctx)\n"
             "    local p = assert(io.popen('echo hi'))\n"
             "    local text = p:read('a'); p:close()\n"
             "    local f = assert(io.open('outside.txt', 'w')); f:write(text); f:close()\n"
             "    ctx.out.write('popen.txt', text)\n"
             "    assert(package and package.loadlib and os.execute)\n"
             "  end }\n");
  RUN_FAILS(&f, 3, "run shell");
  th_contains(f.err, "attempt to call a nil value (field 'popen')", "without --unsafe");
  RUN_OK(&f, "--unsafe --quiet run shell");
  char text[64];
  th_slurp(f.dir, "out/shell/popen.txt", text, sizeof text);
  cr_assert_str_eq(text, "hi\n");
  th_slurp(f.dir, "outside.txt", text, sizeof text);
  cr_assert_str_eq(text, "hi\n");
  done(&f);
}

Test(host, output_files_land_in_out_plugin) {
  Fx f = study();
  write_file(&f, "pp/leren.lua", leren_lua);
  RUN_OK(&f, "--quiet --out results run leren");
  cr_assert(exists(&f, "results/leren/count.txt"), "--out DIR: DIR/PLUGIN/");
  cr_assert_not(exists(&f, "out"), "nothing in the default folder");
  RUN_OK(&f, "--quiet run leren");
  cr_assert(exists(&f, "out/leren/count.txt"), "default: out/PLUGIN/");
  done(&f);
}

Test(host, the_worked_example_runs_only_with_plugins_examples_on_the_path) {
  Fx f = study();
  char root[PATH_MAX];
  project_root(root);
  f.path[0] = '\0';
  RUN_FAILS(&f, 1, "run turns_per_role");
  th_contains(f.err, "no plugin named 'turns_per_role'", "stderr");
  /* the shipped plugins/ too: the example requires its helpers from plugins/lib */
  cr_assert_lt(2 * strlen(root) + 32, sizeof f.path);
  strcpy(f.path, root);
  strcat(f.path, "/plugins/examples:");
  strcat(f.path, root);
  strcat(f.path, "/plugins");
  RUN_OK(&f, "--quiet run turns_per_role");
  char csv[1024];
  th_slurp(f.dir, "out/turns_per_role/turns_per_role.csv", csv, sizeof csv);
  cr_assert_str_eq(csv, "network,role,turns\n"
                        "Hageland,diensthoofd,2\n"
                        "Hageland,integratieambtenaar,2\n"
                        "Hageland,interviewer,1\n");
  done(&f);
}

Test(host, an_error_that_is_not_a_string_still_fails_the_run_cleanly) {
  Fx f = study();
  write_file(
      &f, "pp/table_error.lua",
      "return { name = 'table_error', version = '1.0', description = 'Raise a table',\n"
      "  run = function(ctx) error({ code = 1 }) end }\n");
  RUN_FAILS(&f, 3, "run table_error");
  cr_assert_str_eq(f.err, "thema: table_error: (error object is a table value)\n");
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM run WHERE status = 'failed'"), 1);
  done(&f);
}

/* Ctrl-C stops a runaway plugin: its writes are rolled back, the run is
 * recorded as failed, and the process exits with 3 instead of dying. */
Test(host, ctrl_c_stops_a_runaway_plugin_cleanly) {
  Fx f = study();
  write_file(&f, "pp/spin.lua",
             "return { name = 'spin', version = '1.0', description = 'Loop forever',\n"
             "  run = function(ctx)\n"
             "    thema.add_memo{ target = 'project', text = 'before the loop' }\n"
             "    while true do end\n"
             "  end }\n");
  /* One Ctrl-C: without --foreground, timeout sends the signal to the
   * command and again to its process group, and a second Ctrl-C ends thema
   * at once by design. */
  f.prefix = "timeout --foreground --preserve-status -s INT 2";
  RUN_FAILS(&f, 3, "run spin");
  cr_assert_str_eq(f.err, "thema: spin: interrupted\n");
  f.prefix = "";
  cr_assert_eq(db_int(&f, "SELECT count(*) FROM memo"), 0,
               "the run's writes are rolled back");
  char *v = db_text(&f, "SELECT status || '|' || message FROM run");
  cr_assert_str_eq(v, "failed|spin: interrupted");
  free(v);
  done(&f);
}
