/*
 * paths.c — the sandbox's path policy (see paths.h).
 */
#include "lua/paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/thema.h"

void thema_paths_init(ThemaPathPolicy *p, const char *out_root, int unsafe) {
  memset(p, 0, sizeof *p);
  p->unsafe = unsafe;
  char real[PATH_MAX];
  if (out_root && realpath(out_root, real)) p->out_root = thema_xstrdup(real);
}

void thema_paths_add_read_root(ThemaPathPolicy *p, const char *dir) {
  char real[PATH_MAX];
  if (!dir || !realpath(dir, real)) return;
  for (int i = 0; i < p->nread_roots; i++)
    if (strcmp(p->read_roots[i], real) == 0) return;
  p->read_roots =
      thema_xrealloc(p->read_roots, (size_t)(p->nread_roots + 1) * sizeof *p->read_roots);
  p->read_roots[p->nread_roots++] = thema_xstrdup(real);
}

void thema_paths_free(ThemaPathPolicy *p) {
  for (int i = 0; i < p->nread_roots; i++) free(p->read_roots[i]);
  free(p->read_roots);
  free(p->out_root);
  memset(p, 0, sizeof *p);
}

int thema_paths_under(const char *path, const char *root) {
  size_t n = strlen(root);
  if (n == 1 && root[0] == '/') return path[0] == '/';
  return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The real path of path, or of its folder plus its name when the file does
 * not exist yet. 0 when the folder does not exist either, or path is a
 * dangling link. */
static int resolve(const char *path, char out[PATH_MAX]) {
  if (realpath(path, out)) return 1;
  struct stat sb;
  if (lstat(path, &sb) == 0) return 0; /* exists but does not resolve: a dangling link */
  char dir[PATH_MAX];
  if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir) return 0;
  char *slash = strrchr(dir, '/');
  const char *base = path;
  if (slash) {
    *slash = '\0';
    base = path + (slash - dir) + 1;
    if (!*dir) snprintf(dir, sizeof dir, "/");
  } else {
    snprintf(dir, sizeof dir, ".");
  }
  char real[PATH_MAX];
  if (!realpath(dir, real) || !*base || strchr(base, '/') || strcmp(base, "..") == 0 ||
      strcmp(base, ".") == 0)
    return 0;
  return snprintf(out, PATH_MAX, "%s/%s", strcmp(real, "/") ? real : "", base) < PATH_MAX;
}

int thema_paths_allowed(const ThemaPathPolicy *p, const char *run_plugin, const char *path,
                        int write) {
  if (p->unsafe) return 1;
  char real[PATH_MAX];
  if (!resolve(path, real)) return 0;
  if (p->out_root && thema_paths_under(real, p->out_root)) {
    if (!write || !run_plugin) return 1;
    char run_dir[PATH_MAX];
    if (snprintf(run_dir, sizeof run_dir, "%s/%s", p->out_root, run_plugin) >=
        (int)sizeof run_dir)
      return 0;
    return thema_paths_under(real, run_dir);
  }
  if (write) return 0;
  for (int i = 0; i < p->nread_roots; i++)
    if (thema_paths_under(real, p->read_roots[i])) return 1;
  return 0;
}
