/*
 * outfile.h — checked, atomic file output: the one way the core writes a
 * result file. Every writer (export/, the command line's --output, the Lua
 * output writers, and every new writer) goes through it, so that no command
 * reports success while losing output:
 *
 *  - a regular file is written under a temporary name in its own folder
 *    (".NAME.XXXXXX", created exclusively) and renamed into place only when
 *    every byte has been written, flushed and closed: a reader sees the old
 *    file or the whole new one, never half of it, and a failed or
 *    interrupted writer leaves the old file as it was;
 *  - every fwrite, fflush and fclose is checked, and the first failure
 *    (ENOSPC, EIO, EPIPE, ...) is kept with its errno and reported by
 *    commit, with the path and the system's reason;
 *  - stdout ("-" or no path) and paths that are not regular files (a pipe,
 *    /dev/full) are written in place, with the same checks.
 *
 * Usage:
 *   ThemaOutfile o;
 *   if (thema_outfile_open(&o, path, err)) return err->status;
 *   thema_outfile_write(&o, data, n);          (any number of times)
 *   if (thema_outfile_commit(&o, err)) ...     (closes; o is done either way)
 * or thema_outfile_abort(&o) to throw the temporary file away.
 */
#ifndef THEMA_OUTFILE_H
#define THEMA_OUTFILE_H

#include <stdio.h>

#include "base/thema.h"

typedef struct ThemaOutfile {
  FILE *f;        /* the stream written; NULL once committed or aborted */
  char *path;     /* owned: the final path ("-" for stdout) */
  char *tmp;      /* owned: the temporary file renamed onto path; NULL when in place */
  int error;      /* errno of the first failed write, 0 while all is well */
  size_t written; /* bytes handed to the stream */
} ThemaOutfile;

/* Start writing path ("-" or NULL: stdout). *o is zeroed first, so it can be
 * aborted or committed whatever this returns. Fails (THEMA_ERUNTIME, the path
 * and the reason in err) when the temporary file cannot be created. */
int thema_outfile_open(ThemaOutfile *o, const char *path, ThemaError *err);

/* Append n bytes; a failure is remembered and reported by commit (later
 * writes are skipped). Returns 0, or -1 once a write has failed. */
int thema_outfile_write(ThemaOutfile *o, const void *data, size_t n);
/* Append the buffer's bytes and empty it when it holds more than limit bytes
 * (limit 0: always), as thema_buf_flush does for a plain FILE. */
int thema_outfile_put_buf(ThemaOutfile *o, ThemaBuf *b, size_t limit);

/* Flush, check, close and rename into place. On any failure the temporary
 * file is removed, the old file at path is left as it was and err says
 * "PATH: cannot write: REASON" (THEMA_ERUNTIME). *o is finished either way. */
int thema_outfile_commit(ThemaOutfile *o, ThemaError *err);

/* Close without publishing: the temporary file is removed (stdout and
 * in-place files are only flushed). Idempotent; silent. */
void thema_outfile_abort(ThemaOutfile *o);

/* Whether o is still open (neither committed nor aborted). */
int thema_outfile_is_open(const ThemaOutfile *o);

/* For fault tests: make every write after the next `after` bytes fail with
 * errno_value (ENOSPC, say) in every ThemaOutfile of the process; errno_value
 * 0 turns the injection off. */
void thema_outfile_inject_fault(int errno_value, size_t after);

#endif
