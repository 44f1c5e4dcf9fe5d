/*
 * run.h — the one writer of table run: the provenance of every plugin pass
 * (plugin, version, parameters, the hashes of what it read, timing, status).
 * A run is inserted as running inside its savepoint, marked ok when it
 * succeeds (its predecessors of the same plugin then become replaced), and a
 * failed run is inserted once the transaction it failed in is rolled back.
 */
#ifndef THEMA_STORE_RUN_H
#define THEMA_STORE_RUN_H

#include <stdint.h>

#include "store/store.h"

/* The columns of one run row; every string is borrowed for the call. */
typedef struct ThemaRunRow {
  const char *plugin;        /* the plugin's name */
  const char *version;       /* its declared version */
  const char *params;        /* the checked parameters as JSON, keys sorted */
  const char *input_hash;    /* SHA-256 hex of the sources (thema_run_hash_inputs) */
  const char *codebook_hash; /* SHA-256 hex of the codebook */
  const char *started_at;    /* ISO 8601 UTC (thema_store_now) */
  const char *finished_at;   /* ISO 8601 UTC; NULL while running */
  const char *message;       /* why a failed run failed; NULL otherwise */
} ThemaRunRow;

/* Insert a run with status running (plugin, version, params, both hashes
 * and started_at of row); its id into *id. */
int thema_run_begin(ThemaStore *st, const ThemaRunRow *row, int64_t *id, ThemaError *err);

/* Mark run id ok, finished at finished_at, with the hashes taken at its end. */
int thema_run_finish(ThemaStore *st, int64_t id, const char *finished_at,
                     const char *input_hash, const char *codebook_hash, ThemaError *err);

/* Mark plugin's earlier ok runs, all but keep_run, replaced. Call it after
 * thema_coding_delete_superseded, which finds their codings by status ok. */
int thema_run_supersede(ThemaStore *st, const char *plugin, int64_t keep_run,
                        ThemaError *err);

/* Insert a failed run (plugin, version, params, started_at, finished_at and
 * message of row; no hashes). */
int thema_run_add_failed(ThemaStore *st, const ThemaRunRow *row, ThemaError *err);

/* The hashes of what a run reads, as SHA-256 hex: input over every source
 * ("name:content hash" lines, by name), codebook over every code with its
 * options and rules (by path). An empty store hashes the empty string. */
int thema_run_hash_inputs(ThemaStore *st, char input[65], char codebook[65],
                          ThemaError *err);

#endif
