/*
 * qdc.h — importing a REFI-QDA codebook (.qdc): its codes, nested, with
 * descriptions and colours, into a sink (refi.h reads the XML).
 */
#ifndef THEMA_INGEST_QDC_H
#define THEMA_INGEST_QDC_H

#include <stddef.h>

#include "ingest/ingest.h"
#include "ingest/sink.h"

/* The codebook in xml[0..n) (path names it in messages) into sink. */
int thema_parse_qdc(ThemaSink *sink, const char *path, const char *xml, size_t n,
                    ThemaError *err);
/* The .qdc file at path (the kinds' reader signature). */
int thema_read_qdc(ThemaSink *sink, const char *path, const ThemaImportOptions *opt,
                   ThemaError *err);

#endif
