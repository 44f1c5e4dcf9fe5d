/*
 * summary.c — what `thema stats` prints: counts of what the store holds,
 * and per network its sources, turns, speakers, and which member
 * organisations take part (a person of theirs speaks in one of the
 * network's sources) or not.
 */
#include "store/summary.h"

#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* Run a one-row, one-column query with an optional text parameter and append
 * the value (an integer count or a text list) to out. */
static int scalar(ThemaStore *st, const char *sql, const char *param, ThemaBuf *out,
                  ThemaError *err) {
  sqlite3_stmt *q = thema_store_stmt(st, sql, err);
  if (!q) return err->status;
  if (param) sqlite3_bind_text(q, 1, param, -1, SQLITE_TRANSIENT);
  thema_buf_reset(out);
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
    thema_buf_puts(out, (const char *)sqlite3_column_text(q, 0));
  sqlite3_reset(q);
  if (!out->len) thema_buf_puts(out, "0");
  return THEMA_OK;
}

static const char *const totals[][2] = {
    {"sources", "SELECT count(*) || ' (' || sum(kind = 'transcript') || ' transcripts, ' ||"
                " sum(kind = 'document') || ' documents, ' || sum(kind = 'monitor') ||"
                " ' monitor tables)' FROM source HAVING count(*) > 0"},
    {"segments", "SELECT count(*) FROM segment"},
    {"speakers", "SELECT count(*) FROM speaker"},
    {"persons", "SELECT count(*) FROM person"},
    {"organisations", "SELECT count(*) FROM organisation"},
    {"networks", "SELECT count(*) FROM network"},
    {"indicators", "SELECT count(*) FROM indicator"},
    {"observations", "SELECT count(*) FROM observation"},
    {"codes", "SELECT count(*) FROM code"},
    {"codings", "SELECT count(*) FROM coding"},
    {"runs", "SELECT count(*) || ' (' || sum(status = 'ok') || ' ok, ' ||"
             " sum(status = 'failed') || ' failed)' FROM run HAVING count(*) > 0"},
};

/* Per network; ?1 is the network's name. */
static const char *const per_network[][2] = {
    {"sources", "SELECT count(*) || coalesce(': ' || group_concat(name, ', '), '')"
                " FROM (SELECT name FROM source WHERE network = ?1 ORDER BY name)"},
    {"turns", "SELECT count(*) FROM segment g JOIN source s ON s.id = g.source_id"
              " WHERE s.network = ?1"},
    {"speakers", "SELECT count(DISTINCT g.speaker_id) FROM segment g"
                 " JOIN source s ON s.id = g.source_id WHERE s.network = ?1"},
    {"persons", "SELECT count(DISTINCT sp.person_id) FROM speaker sp"
                " JOIN source s ON s.id = sp.source_id WHERE s.network = ?1"},
    {"present", "SELECT count(*) || ' of ' || (SELECT count(*) FROM membership m2"
                " JOIN network n2 ON n2.id = m2.network_id WHERE n2.name = ?1)"
                " || coalesce(': ' || group_concat(name, ', '), '') FROM (SELECT o.name"
                " FROM organisation o JOIN membership m ON m.organisation_id = o.id"
                " JOIN network n ON n.id = m.network_id WHERE n.name = ?1 AND EXISTS ("
                "  SELECT 1 FROM person p JOIN speaker sp ON sp.person_id = p.id"
                "  JOIN source s ON s.id = sp.source_id"
                "  WHERE p.organisation_id = o.id AND s.network = ?1) ORDER BY o.name)"},
    {"absent",
     "SELECT count(*) || coalesce(': ' || group_concat(name, ', '), '') FROM ("
     " SELECT o.name FROM organisation o JOIN membership m ON m.organisation_id = o.id"
     " JOIN network n ON n.id = m.network_id WHERE n.name = ?1 AND NOT EXISTS ("
     "  SELECT 1 FROM person p JOIN speaker sp ON sp.person_id = p.id"
     "  JOIN source s ON s.id = sp.source_id"
     "  WHERE p.organisation_id = o.id AND s.network = ?1) ORDER BY o.name)"},
    {"also taking part",
     "SELECT count(*) || coalesce(': ' || group_concat(name, ', '), '') FROM ("
     " SELECT DISTINCT o.name FROM organisation o JOIN person p ON p.organisation_id = o.id"
     " JOIN speaker sp ON sp.person_id = p.id JOIN source s ON s.id = sp.source_id"
     " WHERE s.network = ?1 AND o.id NOT IN (SELECT m.organisation_id FROM membership m"
     "  JOIN network n ON n.id = m.network_id WHERE n.name = ?1) ORDER BY o.name)"},
};

static int each(ThemaStore *st, const char *const (*rows)[2], size_t n, const char *param,
                ThemaSummaryFn fn, void *ud, ThemaError *err) {
  ThemaBuf v = {0};
  for (size_t i = 0; i < n && !err->status; i++)
    if (!scalar(st, rows[i][1], param, &v, err)) fn(ud, rows[i][0], v.data);
  thema_buf_free(&v);
  return err->status;
}

int thema_summary_totals(ThemaStore *st, ThemaSummaryFn fn, void *ud, ThemaError *err) {
  return each(st, totals, sizeof totals / sizeof *totals, NULL, fn, ud, err);
}

int thema_summary_network(ThemaStore *st, const char *network, ThemaSummaryFn fn, void *ud,
                          ThemaError *err) {
  return each(st, per_network, sizeof per_network / sizeof *per_network, network, fn, ud,
              err);
}

int thema_summary_networks(ThemaStore *st, ThemaBuf *names, int *count, ThemaError *err) {
  sqlite3_stmt *nets = thema_store_stmt(st,
                                        "SELECT name FROM network UNION SELECT network FROM"
                                        " source WHERE network IS NOT NULL ORDER BY 1",
                                        err);
  *count = 0;
  if (!nets) return err->status;
  while (sqlite3_step(nets) == SQLITE_ROW) {
    thema_buf_puts(names, (const char *)sqlite3_column_text(nets, 0));
    thema_buf_putc(names, '\n');
    (*count)++;
  }
  sqlite3_reset(nets);
  return THEMA_OK;
}
