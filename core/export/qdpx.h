/*
 * qdpx.h — the store as a REFI-QDA project exchange file (.qdpx: a zip with
 * project.qde, Project.xsd, and sources/<GUID>.txt): users (human coders,
 * the plugin of each run, memo authors), the codebook, cases (persons and
 * organisations) with their variables, text sources with their selections
 * and codings, memos as notes. The same store gives the same bytes: GUIDs
 * are derived from content (qdc.h), the order is fixed and every zip entry
 * carries one fixed time.
 */
#ifndef THEMA_EXPORT_QDPX_H
#define THEMA_EXPORT_QDPX_H

#include "store/store.h"

/* Write st to path (the project is named after the file's stem), through
 * temporary files renamed into place: a failed export leaves no file. */
int thema_export_qdpx(ThemaStore *st, const char *path, ThemaError *err);

#endif
