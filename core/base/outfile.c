/*
 * outfile.c — checked, atomic file output (see outfile.h).
 *
 * Why each check: glibc reports an ENOSPC met by a large fwrite at that
 * fwrite (the bytes already in the buffer are lost), a small one only at
 * fflush or fclose; so every one of the three is checked and the first
 * failure is kept. Why the rename: a file being written is visible under its
 * final name otherwise, and a reader (or a crash) could take half a file for
 * a whole one.
 */
#include "base/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The fault injection of thema_outfile_inject_fault: process-wide, for tests. */
static int fault_errno;
static size_t fault_after;

void thema_outfile_inject_fault(int errno_value, size_t after) {
  fault_errno = errno_value;
  fault_after = after;
}

static int is_stdout(const char *path) { return !path || strcmp(path, "-") == 0; }

/* Release what o owns; the stream is already closed or is stdout. */
static void finish(ThemaOutfile *o) {
  o->f = NULL;
  free(o->path);
  free(o->tmp);
  o->path = o->tmp = NULL;
}

/* A failed open: o owns nothing, and err says why. */
static int open_failed(ThemaOutfile *o, const char *path, int e, ThemaError *err) {
  finish(o);
  return thema_error_set(err, THEMA_ERUNTIME, "%s: cannot write: %s", path, strerror(e));
}

int thema_outfile_open(ThemaOutfile *o, const char *path, ThemaError *err) {
  memset(o, 0, sizeof *o);
  o->path = thema_xstrdup(is_stdout(path) ? "-" : path);
  if (is_stdout(path)) {
    o->f = stdout;
    return THEMA_OK;
  }
  struct stat sb;
  if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
    /* A pipe or a device (/dev/full, /dev/stdout) cannot be replaced by a
     * rename: write it in place, with the same checks. */
    if (!(o->f = fopen(path, "wb"))) return open_failed(o, path, errno, err);
    return THEMA_OK;
  }
  const char *slash = strrchr(path, '/');
  size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
  ThemaBuf tmp = {0};
  thema_buf_append(&tmp, path, dirlen);
  thema_buf_printf(&tmp, ".%s.XXXXXX", path + dirlen);
  int fd = mkstemp(tmp.data);
  if (fd < 0) {
    int e = errno;
    thema_buf_free(&tmp);
    return open_failed(o, path, e, err);
  }
  o->tmp = tmp.data; /* owned now */
  /* mkstemp makes the file private (0600); a result file gets the usual
   * permissions, as fopen would have given it. */
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0 || !(o->f = fdopen(fd, "wb"))) {
    int e = errno;
    close(fd);
    unlink(o->tmp);
    return open_failed(o, path, e, err);
  }
  return THEMA_OK;
}

int thema_outfile_is_open(const ThemaOutfile *o) { return o->f != NULL; }

int thema_outfile_write(ThemaOutfile *o, const void *data, size_t n) {
  if (!o->f || o->error) return -1;
  size_t room = n;
  if (fault_errno) room = o->written >= fault_after ? 0 : fault_after - o->written;
  if (room > n) room = n;
  size_t w = room ? fwrite(data, 1, room, o->f) : 0;
  o->written += w;
  if (w == n) return 0;
  o->error = w < room ? (errno ? errno : EIO) : fault_errno;
  return -1;
}

int thema_outfile_put_buf(ThemaOutfile *o, ThemaBuf *b, size_t limit) {
  if (b->len <= limit && limit) return o->error ? -1 : 0;
  int rc = b->len ? thema_outfile_write(o, b->data, b->len) : (o->error ? -1 : 0);
  thema_buf_reset(b);
  return rc;
}

int thema_outfile_commit(ThemaOutfile *o, ThemaError *err) {
  if (!o->f) return thema_error_set(err, THEMA_ERUNTIME, "internal: output already closed");
  int e = o->error;
  if (fflush(o->f) != 0 && !e) e = errno ? errno : EIO;
  if (ferror(o->f) && !e) e = EIO;
  if (o->f != stdout && fclose(o->f) != 0 && !e) e = errno ? errno : EIO;
  if (!e && o->tmp && rename(o->tmp, o->path) != 0) e = errno;
  if (e && o->tmp) unlink(o->tmp);
  if (e)
    thema_error_set(err, THEMA_ERUNTIME, "%s: cannot write: %s",
                    strcmp(o->path, "-") ? o->path : "standard output", strerror(e));
  finish(o);
  return e ? THEMA_ERUNTIME : THEMA_OK;
}

void thema_outfile_abort(ThemaOutfile *o) {
  if (!o->f) return;
  if (o->f == stdout)
    fflush(stdout);
  else
    fclose(o->f);
  if (o->tmp) unlink(o->tmp);
  finish(o);
}
