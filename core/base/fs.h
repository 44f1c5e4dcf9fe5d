/*
 * fs.h — files and paths: read a whole file, create folders, a file's stem
 * and whether it has an extension.
 */
#ifndef THEMA_FS_H
#define THEMA_FS_H

#include "base/thema.h"

/* Read a whole file into out (appended); an empty file is returned as length
 * 0. Errors name the path and the system's reason. */
int thema_fs_read(const char *path, ThemaBuf *out, ThemaError *err);
/* Create path and its missing parents (like mkdir -p); 0 or -1 with errno. */
int thema_fs_mkdirs(const char *path);
/* The file's name without folders and without its last extension. The caller
 * owns the result and frees it with free(). */
char *thema_fs_stem(const char *path);
/* 1 when the file name's last extension is ext (ASCII case-insensitive, ext
 * without the dot), 0 otherwise. */
int thema_fs_has_ext(const char *path, const char *ext);

#endif
