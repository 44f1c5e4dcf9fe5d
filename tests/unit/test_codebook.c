/*
 * test_codebook.c — codebooks (core/codebook.c): reading CSV and Lua
 * codebooks (multi-line cells, themes, parent paths, a Lua file in its empty
 * environment), every error a codebook can have, storing a codebook and
 * updating it in place, and testing a codebook against its own examples,
 * the shipped study's included.
 */
#include "import_helpers.h"
#include "ingest/codebook.h"

#include <lauxlib.h>
#include <lua.h>

static char *dir;
static ThemaStore *st;

static void setup(void) { th_scratch_open(&dir, &st); }

static void teardown(void) { th_scratch_close(&dir, &st); }

TestSuite(codebook, .init = setup, .fini = teardown, .timeout = 60);

static const char *root(void) {
  const char *r = getenv("THEMA_ROOT");
  return r && *r ? r : ".";
}

/* A file of the repository (tests/data/codebook/..., corpora/...). */
static char *repo_file(const char *rel) {
  char *p = malloc(1024);
  snprintf(p, 1024, "%s/%s", root(), rel);
  return p;
}

static void load_ok(const char *path, ThemaCodebook *cb) {
  ThemaError err = {0};
  cr_assert_eq(thema_codebook_load(path, cb, &err), THEMA_OK, "%s: %s", path, err.msg);
}

/* Load a codebook written from a literal; returns the status, message in err. */
static int load_text(const char *name, const char *data, ThemaCodebook *cb,
                     ThemaError *err) {
  char *p = th_write(dir, name, data, strlen(data));
  int rc = thema_codebook_load(p, cb, err);
  cr_expect_eq(rc, err->status);
  free(p);
  return rc;
}

static const ThemaCbCode *find(const ThemaCodebook *cb, const char *name) {
  for (int i = 0; i < cb->n; i++)
    if (!strcmp(cb->codes[i].name, name)) return &cb->codes[i];
  cr_assert_fail("no code '%s'", name);
  return NULL;
}

/* A list as "a|b|c". */
static char *joined(const ThemaList *l) {
  ThemaBuf b = {0};
  for (int i = 0; i < l->n; i++) thema_buf_printf(&b, "%s%s", i ? "|" : "", l->items[i]);
  char *s = strdup(thema_buf_str(&b));
  thema_buf_free(&b);
  return s;
}

#define EXPECT_LIST(list, want)                                                            \
  do {                                                                                     \
    char *s_ = joined(list);                                                               \
    cr_expect_str_eq(s_, want, "%s is [%s], want [%s]", #list, s_, want);                  \
    free(s_);                                                                              \
  } while (0)

static const char *nz(const char *s) { return s ? s : "(null)"; }

/* ---- CSV ---- */

Test(codebook, csv_codes_paths_and_multi_line_cells) {
  char *path = repo_file("tests/data/codebook/small.csv");
  ThemaCodebook cb;
  load_ok(path, &cb);
  cr_assert_eq(cb.n, 6);
  cr_expect_str_eq(cb.path, path);
  /* File order is kept; a theme has no parent and no rules. */
  const char *names[] = {"leren",           "overleg", "informeel",
                         "kleine-gemeente", "context", "schaal"};
  const char *paths[] = {"leren",           "leren/overleg",
                         "leren/informeel", "context/schaal/kleine-gemeente",
                         "context",         "context/schaal"};
  const long lines[] = {2, 3, 10, 13, 15, 16};
  for (int i = 0; i < 6; i++) {
    cr_expect_str_eq(cb.codes[i].name, names[i]);
    cr_expect_str_eq(cb.codes[i].path, paths[i], "%s: path %s", names[i], cb.codes[i].path);
    cr_expect_eq(cb.codes[i].line, lines[i], "%s: line %ld", names[i], cb.codes[i].line);
  }
  const ThemaCbCode *leren = find(&cb, "leren");
  cr_expect_null(leren->parent);
  cr_expect_eq(leren->include.n, 0);
  cr_expect_str_eq(nz(leren->colour), "#336699");
  cr_expect_null(leren->options);
  /* Several patterns in one cell, one per line; blank lines and the spaces
   * around a pattern are dropped; quotes inside a cell are kept. */
  const ThemaCbCode *o = find(&cb, "overleg");
  cr_expect_str_eq(nz(o->parent), "leren");
  EXPECT_LIST(&o->include,
              "overleg\\w*|vergader\\w*|netwerk\\w* NEAR/3 (?:samen|bijeen)\\w*");
  EXPECT_LIST(&o->exclude, "verkiezing\\w*");
  EXPECT_LIST(&o->match, "Het overleg was nuttig.|We vergaderen elke maand.|"
                         "Het netwerk komt vaak samen.");
  EXPECT_LIST(&o->nomatch,
              "Na de verkiezingen viel het overleg stil.|We overlopen de cijfers.");
  cr_expect_str_eq(nz(o->description),
                   "Formal consultation: meetings, \"overleg\", networks.");
  const ThemaCbCode *inf = find(&cb, "informeel");
  cr_expect_str_eq(nz(inf->options), "fold, partial");
  cr_expect_null(inf->colour);
  cr_expect_eq(inf->exclude.n, 0);
  /* A parent defined after its child still gives the full path. */
  cr_expect_str_eq(nz(find(&cb, "kleine-gemeente")->parent), "schaal");
  /* The hash is the SHA-256 of the file's bytes. */
  char want[65];
  th_sha256sum(path, want);
  cr_expect_str_eq(cb.hash, want);
  thema_codebook_free(&cb);
  free(path);
}

Test(codebook, csv_columns_in_any_order_case_and_crlf) {
  ThemaCodebook cb;
  ThemaError err = {0};
  cr_assert_eq(load_text("cb.csv",
                         "\xEF\xBB\xBFInclude,Code,PARENT\r\n"
                         "\"a\\w*\r\nb\\w*\",kind,\r\n"
                         "c,kleinkind,kind\r\n",
                         &cb, &err),
               THEMA_OK, "%s", err.msg);
  cr_assert_eq(cb.n, 2);
  EXPECT_LIST(&cb.codes[0].include, "a\\w*|b\\w*");
  cr_expect_str_eq(cb.codes[1].path, "kind/kleinkind");
  cr_expect_null(cb.codes[0].description);
  cr_expect_eq(cb.codes[0].match.n, 0);
  thema_codebook_free(&cb);
}

/* ---- Lua ---- */

static void expect_same_codebook(const ThemaCodebook *a, const ThemaCodebook *b) {
  cr_assert_eq(a->n, b->n, "%s has %d codes, %s %d", a->path, a->n, b->path, b->n);
  for (int i = 0; i < a->n; i++) {
    const ThemaCbCode *x = &a->codes[i], *y = &b->codes[i];
    cr_expect_str_eq(x->name, y->name);
    cr_expect_str_eq(x->path, y->path);
    cr_expect_str_eq(nz(x->parent), nz(y->parent), "%s: parent", x->name);
    cr_expect_str_eq(nz(x->description), nz(y->description), "%s: description", x->name);
    cr_expect_str_eq(nz(x->options), nz(y->options), "%s: options", x->name);
    cr_expect_str_eq(nz(x->colour), nz(y->colour), "%s: colour", x->name);
    const ThemaList *lx[4] = {&x->include, &x->exclude, &x->match, &x->nomatch};
    const ThemaList *ly[4] = {&y->include, &y->exclude, &y->match, &y->nomatch};
    for (int k = 0; k < 4; k++) {
      char *sx = joined(lx[k]), *sy = joined(ly[k]);
      cr_expect_str_eq(sx, sy, "%s: list %d differs", x->name, k);
      free(sx);
      free(sy);
    }
  }
}

Test(codebook, lua_codebook_gives_the_same_codes_and_rules_as_csv) {
  char *csv = repo_file("tests/data/codebook/small.csv");
  char *lua = repo_file("tests/data/codebook/small.lua");
  ThemaCodebook a, b;
  load_ok(csv, &a);
  load_ok(lua, &b);
  expect_same_codebook(&a, &b);
  /* Lua codes are numbered by entry. */
  cr_expect_eq(b.codes[0].line, 1);
  cr_expect_eq(b.codes[5].line, 6);
  /* And they code text alike. */
  int pa, fa, pb, fb;
  ThemaError err = {0};
  FILE *sink = fopen("/dev/null", "w");
  cr_assert_eq(thema_codebook_test(&a, sink, &pa, &fa, &err), THEMA_OK, "%s", err.msg);
  cr_assert_eq(thema_codebook_test(&b, sink, &pb, &fb, &err), THEMA_OK, "%s", err.msg);
  fclose(sink);
  cr_expect_eq(pa, 13);
  cr_expect_eq(fa, 0);
  cr_expect_eq(pb, pa);
  cr_expect_eq(fb, fa);
  thema_codebook_free(&a);
  thema_codebook_free(&b);
  free(csv);
  free(lua);
}

static void lua_long_string(ThemaBuf *b, const char *s) {
  int eq = 0;
  for (;;) { /* enough '=' that the string cannot close the bracket */
    char close[16] = "]";
    memset(close + 1, '=', (size_t)eq);
    close[eq + 1] = ']';
    close[eq + 2] = '\0';
    if (!strstr(s, close) && s[strlen(s) ? strlen(s) - 1 : 0] != ']') break;
    eq++;
  }
  thema_buf_printf(b, "[%.*s[\n%s]%.*s]", eq, "==========", s, eq, "==========");
}

static void lua_list_field(ThemaBuf *b, const char *name, const ThemaList *l) {
  if (!l->n) return;
  thema_buf_printf(b, " %s = {", name);
  for (int i = 0; i < l->n; i++) {
    lua_long_string(b, l->items[i]);
    thema_buf_puts(b, ", ");
  }
  thema_buf_puts(b, "},");
}

/* The study's codebook rewritten as a Lua file loads to the same codebook. */
Test(codebook, the_study_codebook_as_lua_is_the_same_codebook) {
  char *csv = repo_file("corpora/leren-om-te-leren/codebook.csv");
  ThemaCodebook a, b;
  load_ok(csv, &a);
  ThemaBuf lua = {0};
  thema_buf_puts(&lua, "return {\n");
  for (int i = 0; i < a.n; i++) {
    const ThemaCbCode *c = &a.codes[i];
    thema_buf_printf(&lua, "{ code = \"%s\",", c->name);
    if (c->parent) thema_buf_printf(&lua, " parent = \"%s\",", c->parent);
    if (c->options) thema_buf_printf(&lua, " options = \"%s\",", c->options);
    if (c->description) {
      thema_buf_puts(&lua, " description = ");
      lua_long_string(&lua, c->description);
      thema_buf_puts(&lua, ",");
    }
    lua_list_field(&lua, "include", &c->include);
    lua_list_field(&lua, "exclude", &c->exclude);
    lua_list_field(&lua, "match", &c->match);
    lua_list_field(&lua, "nomatch", &c->nomatch);
    thema_buf_puts(&lua, " },\n");
  }
  thema_buf_puts(&lua, "}\n");
  ThemaError err = {0};
  cr_assert_eq(load_text("study.lua", thema_buf_str(&lua), &b, &err), THEMA_OK, "%s",
               err.msg);
  expect_same_codebook(&a, &b);
  thema_buf_free(&lua);
  thema_codebook_free(&a);
  thema_codebook_free(&b);
  free(csv);
}

/* ---- bad codebooks ---- */

typedef struct BadBook {
  const char *name;
  const char *file; /* its name decides CSV or Lua */
  const char *text;
  const char *want[3]; /* substrings of the message, after the file's path */
} BadBook;

static const BadBook bad_books[] = {
    {"duplicate code name: both lines",
     "dup.csv",
     "code,parent,include\nleren,,\noverleg,leren,x\nander,,\noverleg,ander,y\n",
     {":5: code 'overleg' is defined twice (first on line 3)"}},
    {"unknown parent",
     "parent.csv",
     "code,parent,include\nleren,,\noverleg,lren,x\n",
     {":3: code 'overleg': parent 'lren' is not a code of this codebook"}},
    {"a cycle of parents",
     "cycle.csv",
     "code,parent,include\na,c,x\nb,a,y\nc,b,z\n",
     {":2: code 'a': its parents form a cycle"}},
    {"a code that is its own parent",
     "self.csv",
     "code,parent,include\na,a,x\n",
     {":2: code 'a': its parents form a cycle"}},
    {"unknown option",
     "opt.csv",
     "code,include,options\na,x,fold stemm\n",
     {":2: code 'a': unknown option 'stemm'", "allowed: stem, fold, case, partial"}},
    {"unknown option among commas",
     "opt2.csv",
     "code,include,options\na,x,\"fold,Case\"\n",
     {":2: code 'a': unknown option 'Case'"}},
    {"unknown column",
     "col.csv",
     "code,parent,inlcude\na,,x\n",
     {":1:3: unknown column 'inlcude'", "code, parent, description, include"}},
    {"no code column",
     "nocode.csv",
     "parent,include\na,x\n",
     {"a codebook needs a 'code' column"}},
    {"empty file", "empty.csv", "", {"empty"}},
    {"only blank lines", "blank.csv", "\n\n  \n", {"empty"}},
    {"a header and no codes",
     "header.csv",
     "code,parent,include\n",
     {"the codebook has no codes"}},
    {"a code without a name",
     "noname.csv",
     "code,include\na,x\n,y\n",
     {":3: line has no code name"}},
    {"a name with a slash",
     "slash.csv",
     "code,include\na/b,x\n",
     {":2: code 'a/b': a name may not contain '/'"}},
    {"Lua: an unknown field",
     "field.lua",
     "return { { code = 'a', inclde = 'x' } }",
     {"entry 1: unknown field 'inclde'", "allowed: code, parent"}},
    {"Lua: a non-table entry",
     "entry.lua",
     "return { { code = 'a' }, 'b' }",
     {"entry 2 must be a table"}},
    {"Lua: not a list",
     "notlist.lua",
     "return 'codes'",
     {"must return a list of codes, not a string"}},
    {"Lua: nothing returned",
     "nothing.lua",
     "local x = 1",
     {"must return a list of codes, not a nil"}},
    {"Lua: an empty list", "none.lua", "return {}", {"the codebook has no codes"}},
    {"Lua: a rule that is not a string",
     "num.lua",
     "return { { code = 'a', include = 5 } }",
     {"entry 1: field 'include' must be a string or a list of strings"}},
    {"Lua: a list holding a table",
     "tab.lua",
     "return { { code = 'a', include = { 'x', {} } } }",
     {"entry 1: field 'include' must hold strings"}},
    {"Lua: a syntax error names file and line",
     "syntax.lua",
     "return {\n { code = 'a' \n}",
     {"syntax.lua:3:"}},
    {"Lua: a duplicate names entries",
     "dup.lua",
     "return { { code = 'a' }, { code = 'a' } }",
     {":2: code 'a' is defined twice (first on entry 1)"}},
    {"Lua: a codebook that loops forever",
     "loop.lua",
     "local n = 0\nwhile true do n = n + 1 end return {}",
     {"loop.lua:2: ", "takes too long"}},
    {"Lua: no os library",
     "os.lua",
     "os.execute('touch thema-pwned') return {}",
     {"global 'os'"}},
    {"Lua: no io library", "io.lua", "io.open('x', 'w') return {}", {"global 'io'"}},
    {"Lua: no require",
     "require.lua",
     "local os = require('os') return {}",
     {"global 'require'"}},
    {"Lua: no load", "load.lua", "load('return 1')() return {}", {"global 'load'"}},
    {"Lua: no string methods",
     "str.lua",
     "local s = ('x'):rep(3) return {}",
     {"attempt to index"}},
    {"Lua: no print", "print.lua", "print('hello') return {}", {"global 'print'"}},
};

Test(codebook, bad_codebooks_fail_with_a_message_naming_file_and_place) {
  for (size_t i = 0; i < sizeof bad_books / sizeof *bad_books; i++) {
    const BadBook *c = &bad_books[i];
    ThemaCodebook cb;
    ThemaError err = {0};
    int rc = load_text(c->file, c->text, &cb, &err);
    cr_expect_eq(rc, THEMA_EINPUT, "%s: status %d (%s)", c->name, rc, err.msg);
    cr_expect(strstr(err.msg, c->file) != NULL, "%s: '%s' does not name the file", c->name,
              err.msg);
    for (int k = 0; k < 3 && c->want[k]; k++)
      cr_expect(strstr(err.msg, c->want[k]) != NULL, "%s: '%s' lacks '%s'", c->name,
                err.msg, c->want[k]);
    thema_codebook_free(&cb);
  }
  /* The os.execute above never ran. */
  char p[600];
  snprintf(p, sizeof p, "%s/thema-pwned", dir);
  cr_expect_neq(access(p, F_OK), 0);
  cr_expect_neq(access("thema-pwned", F_OK), 0);
}

Test(codebook, a_missing_file_is_an_input_error) {
  ThemaCodebook cb;
  ThemaError err = {0};
  cr_expect_eq(thema_codebook_load("/nonexistent/cb.csv", &cb, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "/nonexistent/cb.csv") != NULL, "%s", err.msg);
  thema_codebook_free(&cb);
  thema_error_clear(&err);
  cr_expect_eq(thema_codebook_load("/nonexistent/cb.lua", &cb, &err), THEMA_EINPUT);
  thema_codebook_free(&cb);
}

static int write_chunk(lua_State *L, const void *p, size_t n, void *ud) {
  (void)L;
  thema_buf_append(ud, p, n);
  return 0;
}

/* A precompiled chunk is code, not data: it is refused. */
Test(codebook, a_binary_lua_chunk_is_refused) {
  lua_State *L = luaL_newstate();
  cr_assert_eq(luaL_loadstring(L, "return { { code = 'a', include = 'x' } }"), LUA_OK);
  ThemaBuf chunk = {0};
  cr_assert_eq(lua_dump(L, write_chunk, &chunk, 1), 0);
  lua_close(L);
  char *p = th_write(dir, "binary.lua", chunk.data, chunk.len);
  ThemaCodebook cb;
  ThemaError err = {0};
  cr_expect_eq(thema_codebook_load(p, &cb, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "binary") != NULL, "%s", err.msg);
  thema_codebook_free(&cb);
  thema_buf_free(&chunk);
  free(p);
}

/* Invalid patterns pass loading (that is only reading) but not compiling. */
Test(codebook, compile_names_the_file_line_and_code_of_a_bad_pattern) {
  ThemaCodebook cb;
  ThemaError err = {0};
  cr_assert_eq(
      load_text("bad.csv",
                "code,parent,include\nthema,,\nx,thema,\"ok\n(kapot\"\ny,thema,fine\n", &cb,
                &err),
      THEMA_OK, "%s", err.msg);
  int *index = (int *)1;
  ThemaMatcher *m = thema_codebook_compile(&cb, &index, &err);
  cr_expect_null(m);
  cr_expect_null(index);
  cr_expect_eq(err.status, THEMA_EINPUT);
  cr_expect(strstr(err.msg, "bad.csv:3: code 'thema/x': invalid pattern '(kapot'") != NULL,
            "%s", err.msg);
  cr_expect(strstr(err.msg, "missing closing parenthesis at offset 6") != NULL, "%s",
            err.msg);
  thema_codebook_free(&cb);
}

Test(codebook, compile_skips_codes_without_include_rules) {
  char *path = repo_file("tests/data/codebook/small.csv");
  ThemaCodebook cb;
  load_ok(path, &cb);
  int *index = NULL;
  ThemaError err = {0};
  ThemaMatcher *m = thema_codebook_compile(&cb, &index, &err);
  cr_assert_not_null(m, "%s", err.msg);
  cr_expect_eq(thema_matcher_ncodes(m), 4);
  const int want[] = {1, 2, 3, 5};
  for (int k = 0; k < 4; k++) {
    cr_expect_eq(index[k], want[k]);
    cr_expect_str_eq(thema_matcher_path(m, k), cb.codes[want[k]].path);
  }
  free(index);
  thema_matcher_free(m);
  thema_codebook_free(&cb);
  free(path);
}

/* ---- thema_codebook_test ---- */

static char *run_test(const ThemaCodebook *cb, int *passed, int *failed) {
  char *out = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&out, &n);
  ThemaError err = {0};
  cr_assert_eq(thema_codebook_test(cb, f, passed, failed, &err), THEMA_OK, "%s", err.msg);
  fclose(f);
  return out;
}

Test(codebook, examples_count_passes_and_name_each_failure) {
  ThemaCodebook cb;
  ThemaError err = {0};
  cr_assert_eq(load_text("ex.csv",
                         "code,parent,include,exclude,match,nomatch\n"
                         "leren,,,,,\n"
                         "overleg,leren,overleg\\w*,verkiezing\\w*,\"Het overleg.\n"
                         "Een vergadering.\",\"Geen overleg na de verkiezingen.\n"
                         "Het overlegmoment.\"\n"
                         "netwerk,leren,netwerk,,Het netwerk.,Geen netwerken.\n",
                         &cb, &err),
               THEMA_OK, "%s", err.msg);
  int passed = -1, failed = -1;
  char *out = run_test(&cb, &passed, &failed);
  cr_expect_eq(passed, 4, "%s", out);
  cr_expect_eq(failed, 2, "%s", out);
  char want[2048];
  snprintf(
      want, sizeof want,
      "%s/ex.csv:3: code 'leren/overleg' does not match its example: Een vergadering.\n"
      "%s/ex.csv:3: code 'leren/overleg' matches its counter-example: Het overlegmoment.\n",
      dir, dir);
  cr_expect_str_eq(out, want);
  free(out);
  thema_codebook_free(&cb);
}

Test(codebook, a_codebook_with_a_bad_pattern_cannot_be_tested) {
  ThemaCodebook cb;
  ThemaError err = {0};
  cr_assert_eq(load_text("bad.lua",
                         "return { { code = 'x', include = '[a', match = 'a' } }", &cb,
                         &err),
               THEMA_OK, "%s", err.msg);
  int passed = -1, failed = -1;
  cr_expect_eq(thema_codebook_test(&cb, stdout, &passed, &failed, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "bad.lua:1: code 'x': invalid pattern '[a'") != NULL, "%s",
            err.msg);
  cr_expect_eq(passed, 0);
  cr_expect_eq(failed, 0);
  thema_codebook_free(&cb);
}

Test(codebook, the_study_codebook_passes_all_its_examples) {
  char *path = repo_file("corpora/leren-om-te-leren/codebook.csv");
  ThemaCodebook cb;
  load_ok(path, &cb);
  int examples = 0;
  for (int i = 0; i < cb.n; i++)
    if (cb.codes[i].include.n) examples += cb.codes[i].match.n + cb.codes[i].nomatch.n;
  cr_assert_gt(examples, 50);
  int passed = -1, failed = -1;
  char *out = run_test(&cb, &passed, &failed);
  cr_expect_eq(failed, 0, "%s", out);
  cr_expect_eq(passed, examples);
  cr_expect_str_eq(out, "");
  free(out);
  thema_codebook_free(&cb);
  free(path);
}

/* ---- the store ---- */

/* Import as the command does: in a transaction, rolled back on error. */
static int import(const char *path, ThemaImportResult *res, ThemaError *err) {
  return th_import(st, thema_import_codebook, path, NULL, res, err);
}

static void import_ok(const char *path, ThemaImportResult *res) {
  ThemaError err = {0};
  cr_assert_eq(import(path, res, &err), THEMA_OK, "%s", err.msg);
}

/* Write text to dir/name and import it; the import must succeed. */
static void import_text_ok(const char *name, const char *text, ThemaImportResult *res) {
  char *p = th_write(dir, name, text, strlen(text));
  import_ok(p, res);
  free(p);
}

static void sql(const char *s) { th_exec(st, s); }

/* Every row of a query, as "a|b\n" lines. */
static char *rows(const char *q) { return th_rows(st, q); }

#define EXPECT_ROWS(q, want)                                                               \
  do {                                                                                     \
    char *r_ = rows(q);                                                                    \
    cr_expect_str_eq(r_, want, "%s\ngot:\n%s", q, r_);                                     \
    free(r_);                                                                              \
  } while (0)

Test(codebook, store_writes_codes_rules_and_hash) {
  char *path = repo_file("tests/data/codebook/small.csv");
  ThemaImportResult res;
  import_ok(path, &res);
  cr_expect_eq(res.rows, 6);
  cr_expect_eq(res.unchanged, 0);
  ThemaCodebook cb;
  load_ok(path, &cb);
  char q[400];
  snprintf(q, sizeof q, "SELECT name || '|' || path || '|' || hash FROM codebook");
  char want[1400];
  snprintf(want, sizeof want, "small|%s|%s\n", path, cb.hash);
  EXPECT_ROWS(q, want);
  EXPECT_ROWS("SELECT c.path, coalesce(p.path, ''), c.origin, coalesce(c.options, ''),"
              " coalesce(c.colour, ''), c.line, c.codebook_id FROM code c"
              " LEFT JOIN code p ON p.id = c.parent_id ORDER BY c.path",
              "context||deductive|||15|1\n"
              "context/schaal|context|deductive|case||16|1\n"
              "context/schaal/kleine-gemeente|context/schaal|deductive|fold||13|1\n"
              "leren||deductive||#336699|2|1\n"
              "leren/informeel|leren|deductive|fold, partial||10|1\n"
              "leren/overleg|leren|deductive||#6699cc|3|1\n");
  EXPECT_ROWS(
      "SELECT c.name, r.kind, r.text FROM code_rule r JOIN code c ON c.id = r.code_id"
      " WHERE c.name = 'overleg' ORDER BY r.id",
      "overleg|include|overleg\\w*\n"
      "overleg|include|vergader\\w*\n"
      "overleg|include|netwerk\\w* NEAR/3 (?:samen|bijeen)\\w*\n"
      "overleg|exclude|verkiezing\\w*\n"
      "overleg|match|Het overleg was nuttig.\n"
      "overleg|match|We vergaderen elke maand.\n"
      "overleg|match|Het netwerk komt vaak samen.\n"
      "overleg|nomatch|Na de verkiezingen viel het overleg stil.\n"
      "overleg|nomatch|We overlopen de cijfers.\n");
  EXPECT_ROWS("SELECT kind, count(*) FROM code_rule GROUP BY kind ORDER BY kind",
              "exclude|1\ninclude|7\nmatch|8\nnomatch|5\n");
  EXPECT_ROWS("SELECT description FROM code WHERE name = 'overleg'",
              "Formal consultation: meetings, \"overleg\", networks.\n");
  thema_codebook_free(&cb);
  free(path);
}

/* The store's codebook is the file's codebook: the same codes code alike. */
Test(codebook, the_stored_codebook_compiles_to_the_same_matcher) {
  char *path = repo_file("tests/data/codebook/small.csv");
  ThemaImportResult res;
  import_ok(path, &res);
  ThemaCodebook file, stored;
  load_ok(path, &file);
  ThemaError err = {0};
  cr_assert_eq(thema_codebook_from_store(st, &stored, &err), THEMA_OK, "%s", err.msg);
  cr_expect_eq(stored.n, 4); /* codes with include rules, by path */
  cr_expect_str_eq(stored.codes[0].path, "context/schaal");
  cr_expect_str_eq(stored.codes[3].path, "leren/overleg");
  int p1, f1, p2, f2;
  FILE *sink = fopen("/dev/null", "w");
  cr_assert_eq(thema_codebook_test(&file, sink, &p1, &f1, &err), THEMA_OK, "%s", err.msg);
  cr_assert_eq(thema_codebook_test(&stored, sink, &p2, &f2, &err), THEMA_OK, "%s", err.msg);
  fclose(sink);
  cr_expect_eq(p1, p2);
  cr_expect_eq(f2, 0);
  thema_codebook_free(&file);
  thema_codebook_free(&stored);
  free(path);
}

Test(codebook, an_empty_store_has_no_codebook) {
  ThemaCodebook cb;
  ThemaError err = {0};
  cr_expect_eq(thema_codebook_from_store(st, &cb, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "import a codebook first") != NULL, "%s", err.msg);
  thema_codebook_free(&cb);
}

Test(codebook, reimporting_the_same_content_changes_nothing) {
  char *path = repo_file("tests/data/codebook/small.csv");
  ThemaImportResult res;
  import_ok(path, &res);
  static const char *snapshot =
      "SELECT 'cb', id, name, hash, imported_at FROM codebook UNION ALL"
      " SELECT 'code', id, path, coalesce(parent_id, ''), line FROM code UNION ALL"
      " SELECT 'rule', id, code_id, kind, text FROM code_rule ORDER BY 1, 2";
  char *before = rows(snapshot);
  import_ok(path, &res);
  cr_expect_eq(res.unchanged, 1);
  char *after = rows(snapshot);
  cr_expect_str_eq(after, before);
  free(before);
  free(after);
  free(path);
}

/* A store with one segment, for codings. */
static void one_segment(void) {
  sql("INSERT INTO source(id, name, kind, format, path, hash, text, length, imported_at)"
      " VALUES (1, 's', 'transcript', 'txt', 's.txt', 'h', 'R: het overleg', 14, 'now');"
      "INSERT INTO segment(id, source_id, ordinal, start, end, text)"
      " VALUES (1, 1, 1, 3, 14, 'het overleg');"
      "INSERT INTO run(id, plugin, started_at, status) VALUES (1, 'deductive', 'now', 'ok');");
}

static void code_everything(void) {
  sql("INSERT INTO coding(code_id, segment_id, start, end, run_id)"
      " SELECT id, 1, 7, 14, 1 FROM code;"
      "INSERT INTO coding(code_id, segment_id, start, end, coder)"
      " SELECT id, 1, 3, 14, 'els' FROM code;");
}

Test(codebook, a_changed_codebook_updates_codes_in_place) {
  static const char text1[] = "code,parent,include,options\n"
                              "leren,,,\n"
                              "overleg,leren,overleg\\w*,\n"
                              "netwerk,leren,netwerk\\w*,\n"
                              "weg,leren,weg\\w*,\n"
                              "sub,weg,sub\\w*,\n";
  char *v1 = TH_WRITE(dir, "book.csv", text1);
  ThemaImportResult res;
  import_ok(v1, &res);
  one_segment();
  code_everything();
  /* A manual code and its codings belong to no codebook and stay. */
  sql("INSERT INTO code(name, path, origin) VALUES ('eigen', 'eigen', 'manual');"
      "INSERT INTO coding(code_id, segment_id, start, end, coder)"
      " SELECT id, 1, 3, 6, 'els' FROM code WHERE path = 'eigen';");
  char *ids_before =
      rows("SELECT path, id FROM code WHERE path IN ('leren', 'leren/overleg',"
           " 'leren/netwerk') ORDER BY path");
  cr_expect_eq(th_int(st, "SELECT count(*) FROM coding"), 2 * 5 + 1);

  /* Version 2: a changed pattern and option, a new code, 'weg' (and its
   * child 'sub') gone, 'netwerk' moved nowhere. */
  static const char text2[] = "code,parent,include,options,description\n"
                              "leren,,,,Het thema\n"
                              "overleg,leren,\"overleg\\w*\nvergader\\w*\",fold,\n"
                              "netwerk,leren,netwerk\\w*,,\n"
                              "nieuw,leren,nieuw\\w*,,\n";
  char *v2 = TH_WRITE(dir, "book.csv", text2);
  import_ok(v2, &res);
  cr_expect_eq(res.unchanged, 0);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM codebook"), 1);
  char *ids_after =
      rows("SELECT path, id FROM code WHERE path IN ('leren', 'leren/overleg',"
           " 'leren/netwerk') ORDER BY path");
  cr_expect_str_eq(ids_after, ids_before, "kept codes changed ids");
  EXPECT_ROWS(
      "SELECT path, coalesce(options, ''), coalesce(description, '') FROM code"
      " ORDER BY path",
      "eigen||\nleren||Het thema\nleren/netwerk||\nleren/nieuw||\nleren/overleg|fold|\n");
  EXPECT_ROWS("SELECT r.text FROM code_rule r JOIN code c ON c.id = r.code_id"
              " WHERE c.path = 'leren/overleg' ORDER BY r.id",
              "overleg\\w*\nvergader\\w*\n");
  /* Codings of kept codes survive; those of removed codes went with them. */
  EXPECT_ROWS("SELECT c.path, count(*) FROM coding g JOIN code c ON c.id = g.code_id"
              " GROUP BY c.path ORDER BY c.path",
              "eigen|1\nleren|2\nleren/netwerk|2\nleren/overleg|2\n");
  cr_expect_eq(
      th_int(st, "SELECT count(*) FROM coding WHERE code_id NOT IN (SELECT id FROM code)"),
      0);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM code_rule WHERE code_id NOT IN"
                          " (SELECT id FROM code)"),
               0);
  char hash[65];
  ThemaCodebook cb;
  load_ok(v2, &cb);
  memcpy(hash, cb.hash, sizeof hash);
  thema_codebook_free(&cb);
  char *stored = th_text(st, "SELECT hash FROM codebook");
  cr_expect_str_eq(stored, hash);
  free(stored);
  free(ids_before);
  free(ids_after);
  free(v1);
  free(v2);
}

Test(codebook, moving_a_code_to_another_parent_gives_a_new_path) {
  static const char text1[] = "code,parent,include\na,,\nb,,\nx,a,x\n";
  static const char text2[] = "code,parent,include\na,,\nb,,\nx,b,x\n";
  ThemaImportResult res;
  import_text_ok("move.csv", text1, &res);
  import_text_ok("move.csv", text2, &res);
  EXPECT_ROWS("SELECT c.path, coalesce(p.path, '') FROM code c LEFT JOIN code p"
              " ON p.id = c.parent_id ORDER BY c.path",
              "a|\nb|\nb/x|b\n");
}

Test(codebook, a_bad_pattern_at_import_stores_nothing) {
  static const char bad[] =
      "code,parent,include\nthema,,\ngoed,thema,goed\nx,thema,\"ok\n(kapot\"\n";
  char *p = TH_WRITE(dir, "broken.csv", bad);
  ThemaImportResult res;
  ThemaError err = {0};
  cr_expect_eq(import(p, &res, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "broken.csv:4: code 'thema/x': invalid pattern '(kapot'") !=
                NULL,
            "%s", err.msg);
  cr_expect(strstr(err.msg, "at offset 6") != NULL, "%s", err.msg);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM codebook"), 0);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM code"), 0);
  cr_expect_eq(th_int(st, "SELECT count(*) FROM code_rule"), 0);
  free(p);
}

Test(codebook, a_bad_new_version_leaves_the_old_one_intact) {
  static const char good[] = "code,include\ngoed,goed\n";
  static const char bad[] = "code,include\ngoed,goed\nnieuw,[kapot\n";
  ThemaImportResult res;
  import_text_ok("book.csv", good, &res);
  char *before =
      rows("SELECT * FROM codebook UNION ALL SELECT id, path, name, origin, line"
           " FROM code UNION ALL SELECT id, code_id, kind, text, '' FROM code_rule");
  char *p = TH_WRITE(dir, "book.csv", bad);
  ThemaError err = {0};
  cr_expect_eq(import(p, &res, &err), THEMA_EINPUT);
  cr_expect(strstr(err.msg, "book.csv:3: code 'nieuw'") != NULL, "%s", err.msg);
  char *after =
      rows("SELECT * FROM codebook UNION ALL SELECT id, path, name, origin, line"
           " FROM code UNION ALL SELECT id, code_id, kind, text, '' FROM code_rule");
  cr_expect_str_eq(after, before);
  free(before);
  free(after);
  free(p);
}

Test(codebook, two_codebooks_keep_their_own_codes) {
  static const char a[] = "code,include\neen,een\ntwee,twee\n";
  static const char b[] = "code,include\ndrie,drie\n";
  static const char a2[] = "code,include\neen,een\n";
  ThemaImportResult res;
  import_text_ok("a.csv", a, &res);
  import_text_ok("b.csv", b, &res);
  import_text_ok("a.csv", a2, &res);
  /* Updating a removes its own 'twee' only, not b's 'drie'. */
  EXPECT_ROWS("SELECT c.path, b.name FROM code c JOIN codebook b ON b.id = c.codebook_id"
              " ORDER BY c.path",
              "drie|b\neen|a\n");
}

Test(codebook, a_lua_codebook_imports_like_its_csv) {
  char *csv = repo_file("tests/data/codebook/small.csv");
  char *lua = repo_file("tests/data/codebook/small.lua");
  ThemaImportResult res;
  import_ok(csv, &res);
  static const char *q = "SELECT c.path, r.kind, r.text FROM code_rule r JOIN code c"
                         " ON c.id = r.code_id ORDER BY c.path, r.id";
  char *from_csv = rows(q);
  /* Same codebook name, so the Lua file replaces the CSV's version. */
  import_ok(lua, &res);
  cr_expect_eq(res.unchanged, 0);
  cr_expect_eq(res.rows, 6);
  char *from_lua = rows(q);
  cr_expect_str_eq(from_lua, from_csv);
  cr_expect_gt(strlen(from_lua), 100);
  free(from_csv);
  free(from_lua);
  free(csv);
  free(lua);
}
