/*
 * thema.h — what every core module shares: status codes, the error record that
 * fallible functions fill in, and a growable byte buffer.
 *
 * Library code never prints or exits: a fallible function returns a status and
 * leaves its message in a ThemaError; main.c turns the status into an exit code.
 */
#ifndef THEMA_H
#define THEMA_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define THEMA_VERSION "0.1.0"

/* Status codes double as the command line's exit codes (DESIGN §5). */
enum {
  THEMA_OK = 0,
  THEMA_EUSAGE = 1,  /* the command was called wrongly */
  THEMA_EINPUT = 2,  /* an input file or argument value is bad */
  THEMA_ERUNTIME = 3 /* a plugin, script, store or system failure */
};

typedef struct ThemaError {
  int status;     /* THEMA_OK until something fails */
  char msg[2048]; /* "file:line:col: what is wrong; what to do", no final period */
} ThemaError;

/* Record the first failure; later calls keep the first message. Returns status. */
int thema_error_set(ThemaError *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same, at a position in a file; line/col 0 are left out of the message. */
int thema_error_at(ThemaError *err, int status, const char *file, long line, long col,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void thema_error_clear(ThemaError *err);
/* The error in err, taken out to be put in context: its message is copied to
 * why (of sizeof err->msg bytes) and err is cleared, so that the next
 * thema_error_set or thema_error_at (which keep the first cause) can frame
 * it: thema_error_at(err, s, file, line, 0, "failed (%s)", thema_error_take(err, why)). */
const char *thema_error_take(ThemaError *err, char *why);

/* A growable byte buffer, always NUL-terminated. Owner frees with thema_buf_free. */
typedef struct ThemaBuf {
  char *data; /* NULL until the first append */
  size_t len; /* bytes used, excluding the terminating NUL */
  size_t cap; /* bytes allocated */
} ThemaBuf;

void thema_buf_append(ThemaBuf *b, const char *s, size_t n);
void thema_buf_puts(ThemaBuf *b, const char *s);
void thema_buf_putc(ThemaBuf *b, char c);
void thema_buf_printf(ThemaBuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void thema_buf_reset(ThemaBuf *b);
void thema_buf_free(ThemaBuf *b);
/* Returns the data (or "" when empty) so callers never see NULL. */
const char *thema_buf_str(const ThemaBuf *b);
/* Write the buffer to f and empty it once it holds more than limit bytes
 * (limit 0: always): output is streamed in blocks, never kept whole. */
void thema_buf_flush(ThemaBuf *b, FILE *f, size_t limit);

/* strcmp for qsort over an array of char *. */
int thema_cmp_str(const void *a, const void *b);

/* The choice (a NULL-terminated list) nearest to word by edit distance, when
 * it is at most 2 edits away and closer than the word's own length; else
 * NULL. For "did you mean" in messages about unknown keys and names. */
const char *thema_nearest(const char *word, const char *const *choices);

/* Allocation that aborts on exhaustion: the core has no sensible recovery.
 * The caller owns what these return and releases it with free(). */
void *thema_xmalloc(size_t n);
void *thema_xrealloc(void *p, size_t n);
void *thema_xcalloc(size_t count, size_t size); /* zeroed */
char *thema_xstrdup(const char *s);
char *thema_xstrndup(const char *s, size_t n);

#endif
