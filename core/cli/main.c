/*
 * main.c — the thema command line: global options, the command table with
 * each command's help, and the only place that prints an error and exits.
 * Exit codes: 0 ok, 1 usage error, 2 input error, 3 plugin or runtime error.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ingest/kinds.h"

/* The import command's help around its list of kinds. */
static const char import_intro[] =
    "Import files into the store, all of them in one transaction: if any file is\n"
    "bad, nothing is stored and the error names the file, line and what to do.\n"
    "A directory stands for its files with the kind's extensions, in name order.\n"
    "The source name is the file name without extension; re-importing identical\n"
    "content is a no-op, changed content under the same name is an error unless\n"
    "--replace is given (which also drops the old version's codings).\n\n";
static const char import_options[] =
    "\noptions:\n"
    "  --replace               replace a same-named source whose content changed\n"
    "  --speaker-pattern RE    PCRE2 matched at line start, with (?<label>...) and\n"
    "                          optionally (?<ts>...) for a time or (?<num>...) for a\n"
    "                          speech number, e.g. for council minutes:\n"
    "                          '(?<ts>\\d\\d\\.\\d\\d) (?<label>[^:]+):'; give it again\n"
    "                          for alternatives tried in order ('(?<label>De voorzitter):')\n"
    "  --heading-pattern RE    transcripts: lines that are headings (agenda items) and\n"
    "                          give the turns under them their section; Markdown\n"
    "                          '# ...' headings always do\n"
    "  --preamble keep|skip|refuse  transcripts: text outside any turn (a title page,\n"
    "                          those present) as a segment without a speaker (keep,\n"
    "                          the default), left out, or an error\n"
    "  --form wide|long        monitor: table shape (overrides FILE.meta)\n"
    "  --columns indicator|period   monitor, wide: what the value columns are\n"
    "  --period P / --indicator NAME   monitor, wide: the fixed period or indicator\n"
    "  --units 'u1; u2; ...'   monitor: unit per value column, or one for all\n"
    "  --decimal ,|.           monitor: decimal mark (default ',', Dutch)\n"
    "  --coder NAME            codings: the coder, when the file has no coder column\n"
    "  --author NAME           document: who wrote it (a speech, an essay); every\n"
    "                          paragraph is that person's (or 'author:' in front matter)\n";

/* The counting options of freq, keyness and collocations (cmd_corpus.c). */
#define CORPUS_OPTIONS                                                                     \
  "Counting options:\n"                                                                    \
  "  --lang L           language of stems and word lists (default dutch; nl, fr,\n"        \
  "                     en, de, or any Snowball language)\n"                               \
  "  --stem             count Snowball stems, each shown by its most frequent form\n"      \
  "  --no-stopwords     keep the stop words (Snowball's list of the language)\n"           \
  "  --no-fillers       keep fillers and backchannels (euh, allez, ja, amai, ...)\n"       \
  "  --stopwords FILE, --fillers FILE   leave out a study's own words too\n"               \
  "  --numbers          count numbers too\n"                                               \
  "  --min N            leave out terms seen fewer than N times\n"                         \
  "  --min-chars N      leave out words shorter than N characters\n"                       \
  "  --ngram N|N-M      terms of N (to M) words (freq, keyness; default 1)\n"              \
  "  --where KEY=VALUE, --except KEY=VALUE   select segments (source, kind, role,\n"       \
  "                     speaker, person, organisation, member_of, ...)\n"                  \
  "  --limit N          at most N rows (default 50; 0: all)\n"

ThemaCommand thema_commands[] = {
    {"init", thema_cmd_init, "init",
     "Create the store (default thema.db, or --db FILE) with the current schema.\n"
     "Opening an existing store migrates it forward; init on one is a no-op.\n"},
    /* usage and help come from the table of import kinds: import_texts() */
    {"import", thema_cmd_import, NULL, NULL},
    {"query", thema_cmd_query, "query \"SELECT ...\" [--format csv|tsv]",
     "Run one read-only SQL statement on the store and print the rows with a header\n"
     "(CSV by default). Statements that would write are refused.\n"},
    {"kwic", thema_cmd_kwic,
     "kwic PATTERN [--width N] [--source NAME] [--case] [--format text|tsv]",
     "Keyword in context: every match of the PCRE2 PATTERN (case-insensitive unless\n"
     "--case) in every segment, with N code points of context each side (default\n"
     "40), in source and segment order. tsv adds code-point start/end offsets.\n"},
    {"stats", thema_cmd_stats, "stats [--by GROUPING] [--kind transcript|document]",
     "Counts of what the store holds, then per group of GROUPING (default network,\n"
     "through organisation membership): its members, sources with their turns,\n"
     "turns, words, speakers, and which member organisations (or persons) spoke\n"
     "in the group's segments and which did not; then the segments without a\n"
     "group. GROUPING is source, network, organisation, role, person, or\n"
     "source.KEY, person.KEY, organisation.KEY for an attribute (source.network:\n"
     "the transcript's front matter). --kind counts only sources of that kind.\n"},
    {"export", thema_cmd_export, "export codings --format csv [--output FILE]",
     "One row per coding: source, segment, speaker, organisation, network, code,\n"
     "start, end (code points into the source text), span_text, segment_text, run\n"
     "(the run id, or the coder's name for a human coding). Codings of failed runs\n"
     "are never exported.\n"
     "\n"
     "export qdpx FILE.qdpx   the project as REFI-QDA (ATLAS.ti, NVivo, MAXQDA,\n"
     "                        QualCoder): codes, sources, codings with their coder,\n"
     "                        cases and variables, memos; GUIDs derived from content\n"
     "export qdc FILE.qdc     the codebook as REFI-QDA (also: export codebook\n"
     "                        --format qdc --output FILE.qdc)\n"},
    {"run", thema_cmd_run, "run PLUGIN [key=value ...]",
     "Run a plugin over the store as one recorded run: its parameters are checked\n"
     "against the plugin's declaration, and its results replace those of the\n"
     "plugin's previous run only if it succeeds. A failing plugin reports\n"
     "plugin: file:line: message (a traceback with --verbose), exits 3, keeps none\n"
     "of its writes and is recorded as a failed run. Output files go to\n"
     "OUT/PLUGIN/ (--out, default out/).\n"},
    {"script", thema_cmd_script, "script FILE.lua [args ...]",
     "Run a researcher's Lua script with the thema API (global `thema`, and `arg`),\n"
     "all in one transaction: thema.import, thema.run(plugin, params), the store's\n"
     "iterators and the output writers. The sandbox applies unless --unsafe.\n"},
    {"plugins", thema_cmd_plugins, "plugins",
     "List every plugin in $THEMA_PLUGIN_PATH (':'-separated folders, searched\n"
     "first) and in the project's plugins/ folder, with version, description and\n"
     "parameters. A broken plugin is reported on stderr with its path and what is\n"
     "wrong, and the others are still listed.\n"},
    {"codebook", thema_cmd_codebook, "codebook test FILE",
     "Compile the codebook (.csv or .lua) and check every example: each 'match'\n"
     "sentence must be coded with its code, each 'nomatch' sentence must not.\n"
     "Prints every failure with its code and example, then 'N passed, N failed';\n"
     "exits 2 when any example fails. Needs no store.\n"},
    {"freq", thema_cmd_freq,
     "freq [--by GROUPING] [--ngram N|N-M] [COUNTING OPTIONS] [--format text|csv]",
     "Term frequencies over the selected segments, most frequent first: term (its\n"
     "most frequent surface form), n (words), count, per_1000 (of the counted\n"
     "terms of that length), segments. --by GROUPING gives a block per group.\n" CORPUS_OPTIONS},
    {"keyness", thema_cmd_keyness,
     "keyness --by GROUPING --group X [--against Y] [COUNTING OPTIONS] [--format text|csv]",
     "What group X says more (and less) than the rest of the selection, or than\n"
     "group Y: per term the counts on both sides, their rates per 1000 terms, G2\n"
     "(log-likelihood over the 2x2 table, positive when more frequent in X),\n"
     "log_ratio (log2 of the ratio of relative frequencies, a zero taken as 0.5),\n"
     "p (chi-square, 1 df) and kwic, a pattern for thema kwic that finds the\n"
     "term. Highest G2 first. --min defaults to 3 (both sides together).\n" CORPUS_OPTIONS},
    {"collocations", thema_cmd_collocations,
     "collocations [COUNTING OPTIONS] [--format text|csv]",
     "Pairs of counted words that stand next to each other within a phrase, seen\n"
     "at least --min times (default 3): count, how often each word starts or ends\n"
     "a pair, PMI and NPMI (log2), and G2 (negative below chance). Highest G2\n"
     "first.\n" CORPUS_OPTIONS},
    {"memo", thema_cmd_memo,
     "memo add (--source NAME [--segment N]|--code PATH|--person NAME|--organisation NAME|--project) TEXT | memo list",
     "Add a memo (a researcher's note) to a source, a segment, a code, a person, an\n"
     "organisation or the project, with --author NAME (default $USER); or list the\n"
     "memos (--target KIND, --format csv|tsv|xlsx, --output FILE; --excel for a\n"
     "spreadsheet's CSV). Memos travel with the REFI-QDA export as notes.\n"},
    {"segment", thema_cmd_segment,
     "segment --unit sentence|paragraph|window=N [--language L] --source NAME...|--kind K|--all",
     "Re-cut sources into new units, in one transaction: sentences (ICU's rules\n"
     "for --language, e.g. nl, fr, en, with their abbreviations), paragraphs (blank\n"
     "lines) or windows of N words. A unit never crosses a turn or paragraph: it\n"
     "keeps its speaker, section and times. Offsets stay exact; every coding moves\n"
     "to the unit that holds its span, and a coding that no single unit holds\n"
     "refuses the whole re-cut. The unit is kept as the source's attribute 'unit'.\n"},
    {NULL, NULL, NULL, NULL},
};

/* Fill in the import command's usage line and help from the kinds table; the
 * texts live as long as the program. */
static void import_texts(void) {
  static ThemaBuf usage_line, help;
  thema_buf_puts(&usage_line, "import ");
  thema_import_kind_names(&usage_line, "|", "|");
  thema_buf_puts(&usage_line, " FILE|DIR...");
  thema_buf_puts(&help, import_intro);
  thema_import_kind_help(&help);
  thema_buf_puts(&help, import_options);
  for (ThemaCommand *c = thema_commands; c->name; c++)
    if (c->fn == thema_cmd_import) {
      c->usage = usage_line.data;
      c->help = help.data;
    }
}

static void print_help(const ThemaCommand *c) {
  printf("usage: thema [--db FILE] %s\n\n%s", c->usage, c->help);
}

static void usage(FILE *f) {
  fprintf(
      f,
      "usage: thema [--db FILE] [--out DIR] [--wait SECONDS] [--excel] [--quiet] [--verbose]\n"
      "             [--unsafe]\n"
      "             COMMAND [ARGS]\n"
      "       thema --version | --help | COMMAND --help\n"
      "plugins and scripts: [--allow-replace] [--max-instructions N] [--memory-limit MB]\n"
      "  --allow-replace        let plugin runs delete other runs' and coders' codings\n"
      "                         and replace a stored codebook or code (refused otherwise)\n"
      "  --max-instructions N   Lua instructions a command may run (default 2e10, 0 none)\n"
      "  --memory-limit MB      memory the Lua code may hold (default 4096, 0 none)\n"
      "\ncommands:\n");
  for (const ThemaCommand *c = thema_commands; c->name; c++) fprintf(f, "  %s\n", c->usage);
}

/* The project root: $THEMA_ROOT, else the folder above the binary's build/. */
static const char *find_root(void) {
  static char root[PATH_MAX];
  const char *env = getenv("THEMA_ROOT");
  if (env && *env) return env;
  ssize_t n = readlink("/proc/self/exe", root, sizeof root - 1);
  if (n <= 0) return ".";
  root[n] = '\0';
  for (int up = 0; up < 3; up++) {
    char *slash = strrchr(root, '/');
    if (!slash) break;
    *slash = '\0';
    char probe[PATH_MAX + 16];
    snprintf(probe, sizeof probe, "%s/plugins", root);
    if (access(probe, F_OK) == 0) return root;
  }
  return ".";
}

/* The value of a global option; its message names the option, not the
 * program's path as thema_cli_value would (argv[0] is not a command here). */
static const char *global_value(int argc, char **argv, int *i, const char *name,
                                ThemaError *err) {
  const char *eq = strchr(argv[*i], '=');
  if (eq) return eq + 1;
  if (*i + 1 >= argc || argv[*i + 1][0] == '-') {
    thema_error_set(err, THEMA_EUSAGE, "option %s needs a value", name);
    return NULL;
  }
  return argv[++*i];
}

/* The value of a numeric global option: a whole number from 0 to max. */
static long long count_value(int argc, char **argv, int *i, const char *name, long long max,
                             ThemaError *err) {
  const char *v = global_value(argc, argv, i, name, err);
  char *end;
  long long n = v ? strtoll(v, &end, 10) : 0;
  if (v && (!*v || *end || n < 0 || n > max))
    thema_error_set(err, THEMA_EUSAGE, "%s takes a whole number from 0 to %lld, not '%s'",
                    name, max, v);
  return n;
}

int main(int argc, char **argv) {
  ThemaCli cli = {.db = "thema.db", .max_instructions = -1, .memory_limit_mb = -1};
  ThemaError err = {0};
  /* A closed pipe (`thema kwic x | head`) must not kill thema silently in
   * the middle of a run: the write fails with EPIPE instead, and the command
   * reports it and exits 3 (base/outfile.h). */
  signal(SIGPIPE, SIG_IGN);
  int i = 1;
  import_texts();
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--version") == 0) {
      printf("thema %s\n", THEMA_VERSION);
      return 0;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      return 0;
    } else if (thema_cli_is(a, "--db")) {
      cli.db = global_value(argc, argv, &i, "--db", &err);
    } else if (thema_cli_is(a, "--wait")) {
      const char *v = global_value(argc, argv, &i, "--wait", &err);
      char *end = NULL;
      long secs = v ? strtol(v, &end, 10) : 0;
      if (v && (end == v || *end || secs < 0 || secs > 86400))
        thema_error_set(&err, THEMA_EUSAGE,
                        "--wait takes whole seconds from 0 to 86400, not '%s'", v);
      else if (v)
        thema_store_set_wait((int)secs * 1000);
    } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
      cli.quiet = 1;
    } else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
      cli.verbose = 1;
    } else if (thema_cli_is(a, "--out")) {
      cli.out = global_value(argc, argv, &i, "--out", &err);
    } else if (strcmp(a, "--unsafe") == 0) {
      cli.unsafe = 1;
    } else if (strcmp(a, "--excel") == 0) {
      cli.excel = 1;
    } else if (strcmp(a, "--xlsx") == 0) {
      cli.xlsx = 1;
    } else if (strcmp(a, "--allow-replace") == 0) {
      cli.allow_replace = 1;
    } else if (thema_cli_is(a, "--max-instructions")) {
      cli.max_instructions =
          count_value(argc, argv, &i, "--max-instructions", LLONG_MAX / 2, &err);
    } else if (thema_cli_is(a, "--memory-limit")) {
      cli.memory_limit_mb = count_value(argc, argv, &i, "--memory-limit", 1 << 30, &err);
    } else {
      thema_error_set(&err, THEMA_EUSAGE, "unknown option '%s'; see 'thema --help'", a);
    }
    if (err.status) break;
  }
  /* A store is a file: an empty name, ":memory:" or a URI would give a
   * temporary database, and a command would report success storing nothing. */
  if (!err.status &&
      (!cli.db[0] || strcmp(cli.db, ":memory:") == 0 || strncmp(cli.db, "file:", 5) == 0))
    thema_error_set(&err, THEMA_EUSAGE,
                    "--db '%s': a store is a file name (not empty, not ':memory:', not a "
                    "'file:' URI)",
                    cli.db);
  if (!err.status && i >= argc) {
    usage(stderr);
    return THEMA_EUSAGE;
  }
  cli.root = find_root();
  const ThemaCommand *cmd = NULL;
  if (!err.status) {
    for (const ThemaCommand *c = thema_commands; c->name; c++)
      if (strcmp(c->name, argv[i]) == 0) cmd = c;
    if (!cmd)
      thema_error_set(&err, THEMA_EUSAGE, "unknown command '%s'; see 'thema --help'",
                      argv[i]);
  }
  if (!err.status && thema_cli_wants_help(argc - i, argv + i)) {
    print_help(cmd);
    return 0;
  }
  if (!err.status) cmd->fn(&cli, argc - i, argv + i, &err);
  if ((fflush(stdout) != 0 || ferror(stdout)) && !err.status)
    thema_error_set(&err, THEMA_ERUNTIME, "cannot write the standard output");
  if (err.status) {
    fprintf(stderr, "thema: %s\n", err.msg);
    return err.status;
  }
  return 0;
}
