/*
 * fs.c — whole-file reads, folder creation and the two path questions the
 * importers and the plugin host ask: a file's stem and its extension.
 */
#include "base/fs.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

int thema_fs_read(const char *path, ThemaBuf *out, ThemaError *err) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return thema_error_at(err, THEMA_EINPUT, path, 0, 0, "cannot open: %s",
                          strerror(errno));
  char chunk[1 << 16];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) thema_buf_append(out, chunk, n);
  int failed = ferror(f);
  fclose(f);
  if (failed)
    return thema_error_at(err, THEMA_EINPUT, path, 0, 0, "read error: %s", strerror(errno));
  if (!out->data) thema_buf_append(out, "", 0);
  return THEMA_OK;
}

char *thema_fs_stem(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  size_t n = (dot && dot != base) ? (size_t)(dot - base) : strlen(base);
  return thema_xstrndup(base, n);
}

int thema_fs_has_ext(const char *path, const char *ext) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  return dot && dot != base && strcasecmp(dot + 1, ext) == 0;
}

int thema_fs_mkdirs(const char *path) {
  char buf[PATH_MAX];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
    errno = ENAMETOOLONG;
    return -1;
  }
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}
