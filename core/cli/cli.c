/*
 * cli.c — helpers every command shares: option values, help lookup, opening
 * the store, and progress reporting on a terminal.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int thema_cli_is(const char *arg, const char *name) {
  size_t n = strlen(name);
  return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

const char *thema_cli_value(int argc, char **argv, int *i, const char *name,
                            ThemaError *err) {
  const char *eq = strchr(argv[*i], '=');
  if (eq && strncmp(argv[*i], "--", 2) == 0) return eq + 1;
  if (*i + 1 >= argc) {
    thema_error_set(err, THEMA_EUSAGE, "%s: option %s needs a value", argv[0], name);
    return NULL;
  }
  return argv[++*i];
}

int thema_cli_wants_help(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
  return 0;
}

int thema_cli_open(ThemaCli *cli, int flags, ThemaStore **st, ThemaError *err) {
  struct stat sb;
  if (!(flags & THEMA_STORE_CREATE) && strcmp(cli->db, ":memory:") != 0 &&
      stat(cli->db, &sb) != 0) {
    if (errno != ENOENT)
      return thema_error_set(err, THEMA_EINPUT, "%s: cannot open store: %s", cli->db,
                             errno == ELOOP
                                 ? "too many levels of symbolic links (a link loop?)"
                                 : strerror(errno));
    return thema_error_set(err, THEMA_EINPUT,
                           "%s: no such store; create it with 'thema --db %s init' "
                           "or give --db",
                           cli->db, cli->db);
  }
  return thema_store_open(cli->db, flags, st, err);
}

void thema_cli_progress(const ThemaCli *cli, const char *fmt, ...) {
  if (cli->quiet || !isatty(STDERR_FILENO)) return;
  va_list ap;
  va_start(ap, fmt);
  fputs("\r\033[K", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fflush(stderr);
}

void thema_cli_progress_done(const ThemaCli *cli) {
  if (cli->quiet || !isatty(STDERR_FILENO)) return;
  fputs("\r\033[K", stderr);
  fflush(stderr);
}
