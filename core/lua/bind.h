/*
 * bind.h — the Lua side of the core modules (bind_<module>.c). Each
 * thema_bind_<module> function adds its part of the `thema` API to the table
 * on the top of the Lua stack and leaves the stack as it found it; the host
 * (lua/host.c) assembles the table: thema.store from thema_bind_store alone,
 * the sub-libraries thema.text, thema.out and thema.stats, and the rest.
 *
 * Conventions for every function bound here (see docs/plugins.md):
 * arguments are checked as Lua's own library does ("bad argument #2 to
 * 'find' (string expected, got nil)"); misuse raises, an expected failure
 * returns nil plus a message; offsets are 0-based code points with an
 * exclusive end, as stored (REFI-QDA's convention). Bindings read the run
 * context (lua/ctx.h), never the host.
 */
#ifndef THEMA_BIND_H
#define THEMA_BIND_H

#include <lauxlib.h>
#include <lua.h>

#include "base/thema.h"
#include "store/query.h"
#include "store/store.h"

/* thema.regex(pattern [, flags]) -> Regex with :find, :gmatch, :test. */
void thema_bind_rx(lua_State *L);
/* thema.text: tokenise, casefold, strip_accents, normalise, stem, stopwords. */
void thema_bind_text(lua_State *L);
/* The store API (sources, segments, cases, codes, codings, runs, memos), and
 * nothing else, into the table at the top of the stack: the host calls it on
 * the table that becomes thema.store and ctx.store. The store is the run
 * context's (lua/ctx.h). */
void thema_bind_store(lua_State *L);
/* Groupings (store/grouping.h) into the table at the top of the stack, the
 * host's thema.store: get_grouping, get_groups, get_segments_by. */
void thema_bind_group(lua_State *L);
/* thema.out (csv, json, write, path, dir) confined to output_dir, and
 * thema.json, thema.log, thema.progress. */
void thema_bind_output(lua_State *L, const char *output_dir);

/* thema.import(kind, files [, options]) for scripts. */
void thema_bind_ingest(lua_State *L);

/* thema.stats: agreement kernels (kappa, alpha, bootstrap, quantiles). */
void thema_bind_stats(lua_State *L);

/* thema.qca: fuzzy-set QCA (calibrate, anchors, necessity, sufficiency,
 * truth_table, minimise). */
void thema_bind_qca(lua_State *L);

/* thema.add_source{...}: the write API for importers in Lua. */
void thema_bind_source(lua_State *L);

/* thema.csv.parse(text [, name]) -> rows, header (text/csv.h's reader). */
void thema_bind_csv(lua_State *L);

/* thema.graph: measures of a network, and the network as DOT, GEXF, GraphML
 * or an SVG drawing. */
void thema_bind_graph(lua_State *L);

/* thema.compare: Fisher's exact test, Gini, top share, Jaccard and lift. */
void thema_bind_compare(lua_State *L);

/* thema.corpus: freq, keyness and collocations over the store's segments. */
void thema_bind_corpus(lua_State *L);

/* thema.matcher([codes]) -> Matcher with :scan(text) and :apply(filters). */
void thema_bind_matcher(lua_State *L);

/* thema.corpus.themes(options) -> Themes (the inductive pass's themes). */
void thema_bind_themes(lua_State *L);
/* For other bindings: a cursor over entity e for the filters table at index
 * filters (raising on a bad filter). The cursor belongs to a userdata pushed
 * on the stack, which closes it when collected: valid while that is alive. */
ThemaCursor *thema_bind_query(lua_State *L, ThemaEntity e, int filters);
/* Push the current row of c as a table keyed by field name. */
void thema_bind_push_row(lua_State *L, const ThemaCursor *c);
/* The id of a code path, created with its parents when missing; raises. */
int64_t thema_bind_code_ensure(lua_State *L, const char *path, const char *origin);

/* Push a new table of writers (csv, json, write, path, dir) confined to dir:
 * a plugin run's ctx.out. */
void thema_bind_push_output(lua_State *L, const char *dir);
/* Finish the CSV writers that run run_id (0: the script) left open: publish
 * them (publish = 1; the first failed write is reported in err, and the run
 * must then fail) or throw them away (0: the run failed). */
int thema_bind_output_finish(lua_State *L, int64_t run_id, int publish, ThemaError *err);

#endif
