/*
 * qdc.c — REFI-QDA codebook exchange files (.qdc, Codebook.xsd): every code
 * with its place in the tree, description and colour, as manual codes.
 * Code sets (<Sets>: ATLAS.ti's code groups) have no counterpart in thema
 * and are reported, not kept.
 */
#include "ingest/qdc.h"

#include <libxml/tree.h>
#include <stdlib.h>

#include "base/fs.h"
#include "ingest/refi.h"

int thema_parse_qdc(ThemaSink *sink, const char *path, const char *xml, size_t n,
                    ThemaError *err) {
  xmlDocPtr doc = NULL;
  if (thema_refi_parse(sink, path, xml, n, THEMA_REFI_CODEBOOK, &doc, err))
    return err->status;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  thema_refi_codes(sink, path, thema_refi_child(root, "Codes"), NULL, NULL, err);
  xmlNodePtr sets = thema_refi_child(root, "Sets");
  if (!err->status && sets) {
    long k = 0;
    for (xmlNodePtr s = thema_refi_child(sets, "Set"); s; s = thema_refi_next(s, "Set"))
      k++;
    thema_sink_warn(sink, "%s: %ld code set%s (code groups) not kept: thema has none", path,
                    k, k == 1 ? "" : "s");
  }
  xmlFreeDoc(doc);
  return err->status;
}

int thema_read_qdc(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                   ThemaError *err) {
  (void)opt;
  ThemaBuf buf = {0};
  if (!thema_fs_read(path, &buf, err)) thema_parse_qdc(sink, path, buf.data, buf.len, err);
  thema_buf_free(&buf);
  return err->status;
}
