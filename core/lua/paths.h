/*
 * paths.h — the sandbox's path policy: plugin and script code may read under
 * the project, plugin and script folders and the output folder, and write
 * under the output folder only (inside a plugin run: under its own folder
 * OUT/PLUGIN). Paths are compared after resolving links and "..", so
 * neither can lead out; a path that cannot be resolved (a dangling link, a
 * missing folder on the way, a path longer than PATH_MAX) is refused.
 */
#ifndef THEMA_PATHS_H
#define THEMA_PATHS_H

typedef struct ThemaPathPolicy {
  char *out_root;    /* owned real path of the output root, NULL until it exists */
  char **read_roots; /* owned real paths code may read under */
  int nread_roots;   /* entries of read_roots */
  int unsafe;        /* --unsafe: every path is allowed */
} ThemaPathPolicy;

/* Set up the policy for output root out_root (which must exist). */
void thema_paths_init(ThemaPathPolicy *p, const char *out_root, int unsafe);
/* Allow reading under dir (its real path; ignored when it does not exist). */
void thema_paths_add_read_root(ThemaPathPolicy *p, const char *dir);
void thema_paths_free(ThemaPathPolicy *p);

/* Whether path may be opened for writing (write = 1) or reading (0). Inside
 * a plugin run (run_plugin not NULL) writes stay in OUT/run_plugin. */
int thema_paths_allowed(const ThemaPathPolicy *p, const char *run_plugin, const char *path,
                        int write);

/* 1 when path is root or lies below it (both real paths). */
int thema_paths_under(const char *path, const char *root);

#endif
