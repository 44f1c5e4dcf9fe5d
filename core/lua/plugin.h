/*
 * plugin.h — plugins as files: finding one on the plugin path, loading it in
 * the sandbox and checking its table field by field (unknown keys rejected,
 * as Redis checks register_function), checking and converting the parameters
 * a caller gives against the plugin's declarations, and the `thema plugins`
 * listing. Running a plugin as a recorded run is lua/run.h's job.
 */
#ifndef THEMA_PLUGIN_H
#define THEMA_PLUGIN_H

#include <lua.h>
#include <stdio.h>

#include "base/thema.h"

/* The folders plugins are found in, in search order. */
typedef struct ThemaPluginPath {
  char **dirs; /* owned: the folders, each owned */
  int ndirs;   /* entries of dirs */
} ThemaPluginPath;

/* The folders of plugin_path (':'-separated, left to right; NULL or "" for
 * none), then ROOT/plugins (root NULL means "."): a researcher's folder can
 * override a shipped plugin. Release with thema_plugin_path_free. */
void thema_plugin_path_init(ThemaPluginPath *p, const char *plugin_path, const char *root);
void thema_plugin_path_free(ThemaPluginPath *p);

/* The file of plugin name: NAME.lua in the first folder that has it
 * readable. The caller owns the result and frees it with free(); NULL when
 * no folder has it, or when name is not a name (letters, digits, '_' and
 * '-', starting with a letter or digit, at most 100 bytes), and then err
 * says which. */
char *thema_plugin_find(const ThemaPluginPath *p, const char *name, ThemaError *err);

/* Load the plugin file at path in the sandbox (lua/sandbox.h) and check its
 * table field by field; on success push it (with params = {} when it has
 * none). The message of a failure names path. */
int thema_plugin_load(lua_State *L, const char *path, ThemaError *err);

/* Check the parameters in the table at index given against the declarations
 * of the plugin table at index plugin (name is the plugin's, for messages):
 * on success push a new table of converted values with the defaults filled
 * in. A path parameter must be readable under the run context's policy
 * (lua/ctx.h). Unknown and missing parameters are usage errors listing the
 * accepted ones. */
int thema_plugin_check_params(lua_State *L, int plugin, int given, const char *name,
                              ThemaError *err);

/* `thema plugins`: every plugin of every folder (folders in search order,
 * files by name) with its metadata and parameters on out; a broken plugin
 * (with what is wrong) and one shadowed by an earlier folder's on errout.
 * Fails only when out cannot be written. */
int thema_plugin_list(lua_State *L, const ThemaPluginPath *p, FILE *out, FILE *errout,
                      ThemaError *err);

#endif
