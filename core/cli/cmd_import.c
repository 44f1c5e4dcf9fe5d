/*
 * cmd_import.c — "init" and "import KIND FILE...": every file of one command
 * is imported in one transaction, so a bad file leaves the store as it was.
 * A directory argument stands for its files with the kind's extensions, in
 * name order.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fs.h"
#include "cli/cli.h"
#include "ingest/kinds.h"
#include "lua/plugin.h"

int thema_cmd_init(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  if (argc > 1)
    return thema_error_set(err, THEMA_EUSAGE, "init: unexpected argument '%s'", argv[1]);
  ThemaStore *st = NULL;
  if (thema_cli_open(cli, THEMA_STORE_CREATE, &st, err)) return err->status;
  thema_store_close(st);
  printf("initialised %s (schema %d)\n", cli->db, THEMA_SCHEMA_VERSION);
  return THEMA_OK;
}

typedef struct FileList {
  char **paths; /* owned */
  int n;        /* number of paths */
} FileList;

static void list_add(FileList *l, const char *p) {
  l->paths = thema_xrealloc(l->paths, (size_t)(l->n + 1) * sizeof *l->paths);
  l->paths[l->n++] = thema_xstrdup(p);
}

static int expand(const ThemaImportKind *k, const char *arg, FileList *out,
                  ThemaError *err) {
  struct stat sb;
  if (stat(arg, &sb) != 0)
    return thema_error_set(err, THEMA_EINPUT, "%s: no such file or directory", arg);
  if (!S_ISDIR(sb.st_mode)) {
    list_add(out, arg);
    return THEMA_OK;
  }
  DIR *d = opendir(arg);
  if (!d) return thema_error_set(err, THEMA_EINPUT, "%s: cannot read directory", arg);
  FileList found = {0};
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    for (int i = 0; k->exts[i]; i++) {
      if (!thema_fs_has_ext(e->d_name, k->exts[i])) continue;
      size_t n = strlen(arg) + strlen(e->d_name) + 2;
      char *p = thema_xmalloc(n);
      snprintf(p, n, "%s/%s", arg, e->d_name);
      struct stat fsb; /* only files: a folder named "x.txt" is not a transcript */
      if (stat(p, &fsb) == 0 && S_ISREG(fsb.st_mode)) list_add(&found, p);
      free(p);
    }
  }
  closedir(d);
  if (found.n > 1) /* qsort must not be given NULL, even for no elements */
    qsort(found.paths, (size_t)found.n, sizeof *found.paths, thema_cmp_str);
  for (int i = 0; i < found.n; i++) {
    list_add(out, found.paths[i]);
    free(found.paths[i]);
  }
  free(found.paths);
  if (found.n == 0)
    return thema_error_set(err, THEMA_EINPUT, "%s: no %s files in this directory", arg,
                           k->name);
  return THEMA_OK;
}

static void report(const ThemaImportKind *k, const char *path, const ThemaImportResult *r) {
  ThemaBuf line = {0};
  thema_import_kind_report(k, &line, path, r);
  printf("%s\n", thema_buf_str(&line));
  /* What was read leniently (REFI-QDA deviations), on stderr. */
  for (const char *w = r->warnings, *nl; *w; w = nl + 1) {
    if (!(nl = strchr(w, '\n'))) break;
    fprintf(stderr, "warning: %.*s\n", (int)(nl - w), w);
  }
  thema_buf_free(&line);
}

/* The importer NAME.lua in the importers/ folder of a plugin folder
 * ($THEMA_PLUGIN_PATH first, then the project's plugins/), or NULL. A name
 * with a folder separator or a leading dot is no importer's. */
static char *find_importer(const ThemaCli *cli, const char *name) {
  if (!*name || strchr(name, '/') || name[0] == '.') return NULL;
  ThemaPluginPath pp;
  thema_plugin_path_init(&pp, getenv("THEMA_PLUGIN_PATH"), cli->root);
  char *found = NULL;
  for (int i = 0; i < pp.ndirs && !found; i++) {
    ThemaBuf path = {0};
    thema_buf_printf(&path, "%s/importers/%s.lua", pp.dirs[i], name);
    if (access(path.data, R_OK) == 0) found = thema_xstrdup(path.data);
    thema_buf_free(&path);
  }
  thema_plugin_path_free(&pp);
  return found;
}

/* An importer in Lua runs as a script (plugins/lib/run_importer.lua) over
 * the files: one transaction, its sources written through thema.add_source. */
static int run_importer(ThemaCli *cli, const char *importer, char **files, int nfiles,
                        ThemaError *err) {
  if (nfiles == 0)
    return thema_error_set(err, THEMA_EUSAGE, "usage: thema import NAME FILE...");
  ThemaBuf runner = {0};
  thema_buf_printf(&runner, "%s/plugins/lib/run_importer.lua", cli->root);
  char **args = thema_xmalloc((size_t)(nfiles + 3) * sizeof *args);
  args[0] = "script";
  args[1] = runner.data;
  args[2] = (char *)importer;
  for (int i = 0; i < nfiles; i++) args[3 + i] = files[i];
  ThemaCli with_files = *cli;
  with_files.read_files = files;
  with_files.nread_files = nfiles;
  int rc = thema_cmd_script(&with_files, nfiles + 3, args, err);
  free(args);
  thema_buf_free(&runner);
  return rc;
}

int thema_cmd_import(ThemaCli *cli, int argc, char **argv, ThemaError *err) {
  ThemaImportOptions opt = {0};
  FileList files = {0};
  ThemaStore *st = NULL;
  const ThemaImportKind *kind = NULL;
  const char *kind_name = NULL;
  ThemaBuf names = {0}, patterns = {0};
  char **rest = thema_xmalloc((size_t)argc * sizeof *rest);
  int nrest = 0;
  for (int i = 1; i < argc && !err->status; i++) {
    const char *a = argv[i];
    if (thema_cli_is(a, "--replace"))
      opt.replace = 1;
    else if (thema_cli_is(a, "--speaker-pattern")) {
      /* Given more than once: alternatives, one per line (ingest/turn.h). */
      const char *v = thema_cli_value(argc, argv, &i, a, err);
      if (v) thema_buf_printf(&patterns, "%s%s", patterns.len ? "\n" : "", v);
      opt.speaker_pattern = patterns.data;
    } else if (thema_cli_is(a, "--heading-pattern"))
      opt.heading_pattern = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--preamble")) {
      const char *v = thema_cli_value(argc, argv, &i, a, err);
      static const char *const modes[] = {"keep", "skip", "refuse", NULL};
      int m = -1;
      for (int k = 0; v && modes[k]; k++)
        if (strcmp(v, modes[k]) == 0) m = k;
      if (v && m < 0)
        thema_error_set(err, THEMA_EUSAGE,
                        "import: --preamble is keep, skip or refuse, not '%s'", v);
      opt.preamble = m < 0 ? 0 : m;
    } else if (thema_cli_is(a, "--form"))
      opt.form = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--columns"))
      opt.columns = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--period"))
      opt.period = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--indicator"))
      opt.indicator = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--units"))
      opt.units = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--decimal"))
      opt.decimal = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--coder"))
      opt.coder = thema_cli_value(argc, argv, &i, a, err);
    else if (thema_cli_is(a, "--author"))
      opt.author = thema_cli_value(argc, argv, &i, a, err);
    else if (a[0] == '-' && a[1] == '-')
      thema_error_set(err, THEMA_EUSAGE,
                      "import: unknown option '%s'; see 'thema import --help'", a);
    else if (!kind_name)
      kind_name = a;
    else
      rest[nrest++] = argv[i];
  }
  if (err->status) goto done;
  if (!kind_name || nrest == 0) {
    thema_import_kind_names(&names, "|", "|");
    thema_error_set(err, THEMA_EUSAGE, "usage: thema import %s FILE...", names.data);
    goto done;
  }
  kind = thema_import_kind_find(kind_name);
  if (!kind) {
    /* Not built in: an importer written in Lua (plugins/importers/NAME.lua). */
    char *importer = find_importer(cli, kind_name);
    if (importer) {
      run_importer(cli, importer, rest, nrest, err);
      free(importer);
      goto done;
    }
    thema_import_kind_names(&names, ", ", " or ");
    thema_error_set(err, THEMA_EUSAGE,
                    "import: unknown kind '%s'; expected %s, or an importer in "
                    "plugins/importers/",
                    kind_name, names.data);
    goto done;
  }
  for (int i = 0; i < nrest; i++)
    if (expand(kind, rest[i], &files, err)) goto done;
  if (thema_cli_open(cli, THEMA_STORE_CREATE, &st, err) || thema_store_begin_bulk(st, err))
    goto done;
  ThemaImportResult *results = thema_xmalloc((size_t)files.n * sizeof *results);
  for (int i = 0; i < files.n; i++) {
    thema_cli_progress(cli, "importing %s %d/%d %s", kind->name, i + 1, files.n,
                       files.paths[i]);
    memset(&results[i], 0, sizeof results[i]);
    if (kind->import(st, files.paths[i], &opt, &results[i], err)) break;
  }
  thema_cli_progress_done(cli);
  /* Report only once everything is committed: nothing is stored otherwise. */
  if (!err->status && !thema_store_commit(st, err))
    for (int i = 0; i < files.n; i++) report(kind, files.paths[i], &results[i]);
  free(results);
done:
  if (st) thema_store_rollback(st);
  thema_store_close(st);
  for (int i = 0; i < files.n; i++) free(files.paths[i]);
  free(files.paths);
  free(rest);
  thema_buf_free(&names);
  thema_buf_free(&patterns);
  return err->status;
}
