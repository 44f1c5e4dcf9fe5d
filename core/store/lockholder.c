/*
 * lockholder.c — who holds a write lock on the store, for the message of a
 * second writer that gave up waiting. SQLite knows only that the lock is
 * taken; the kernel knows by whom. /proc/locks is read rather than asking
 * with fcntl(F_GETLK), because F_GETLK needs a descriptor of the file, and
 * closing any descriptor of a file drops every POSIX lock this process holds
 * on it — SQLite's own locks included.
 */
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "store/internal.h"

/* The pid of another process with a WRITE lock on the inode of path, or 0. */
static long write_lock_pid(const char *path) {
  struct stat sb;
  if (stat(path, &sb) != 0) return 0;
  FILE *f = fopen("/proc/locks", "r");
  if (!f) return 0;
  char line[256];
  long found = 0;
  while (!found && fgets(line, sizeof line, f)) {
    /* "1: POSIX  ADVISORY  WRITE 1234 fd:01:5678 120 120" */
    char kind[16], mode[16], rw[16];
    long pid;
    unsigned maj, min;
    unsigned long long ino;
    char *p = strchr(line, ':');
    if (!p) continue;
    if (sscanf(p + 1, "%15s %15s %15s %ld %x:%x:%llu", kind, mode, rw, &pid, &maj, &min,
               &ino) != 7)
      continue;
    if (strcmp(rw, "WRITE") == 0 && pid != (long)getpid() &&
        ino == (unsigned long long)sb.st_ino && maj == major(sb.st_dev) &&
        min == minor(sb.st_dev))
      found = pid;
  }
  fclose(f);
  return found;
}

/* The command line of pid, its arguments joined by spaces. */
static void command_of(long pid, char *out, size_t n) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
  FILE *f = fopen(path, "r");
  out[0] = '\0';
  if (!f) return;
  size_t len = fread(out, 1, n - 1, f);
  fclose(f);
  out[len] = '\0';
  while (len > 0 && out[len - 1] == '\0') len--;
  for (size_t i = 0; i < len; i++)
    if (out[i] == '\0') out[i] = ' ';
}

/* The login name of the owner of pid's /proc entry. */
static void user_of(long pid, char *out, size_t n) {
  char path[64];
  struct stat sb;
  snprintf(path, sizeof path, "/proc/%ld", pid);
  out[0] = '\0';
  if (stat(path, &sb) != 0) return;
  struct passwd pw, *res = NULL;
  char buf[1024];
  if (getpwuid_r(sb.st_uid, &pw, buf, sizeof buf, &res) == 0 && res)
    snprintf(out, n, "%s", res->pw_name);
  else
    snprintf(out, n, "uid %u", (unsigned)sb.st_uid);
}

int thema_store_lock_holder(const char *path, char *out, size_t n) {
  char shm[4096];
  snprintf(shm, sizeof shm, "%s-shm", path);
  long pid = write_lock_pid(shm);       /* WAL mode: the write lock lives in -shm */
  if (!pid) pid = write_lock_pid(path); /* rollback journal: on the file itself */
  if (!pid) return 0;
  char cmd[512], user[64];
  command_of(pid, cmd, sizeof cmd);
  user_of(pid, user, sizeof user);
  snprintf(out, n, "pid %ld, user %s%s%s", pid, user[0] ? user : "?", cmd[0] ? ": " : "",
           cmd);
  return 1;
}
