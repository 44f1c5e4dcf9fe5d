/*
 * qdc.h — the codebook as a REFI-QDA codebook exchange file (.qdc,
 * Codebook.xsd, namespace urn:QDA-XML:codebook:1.0), and the parts of it the
 * project export (qdpx.h) shares: the code tree and the GUIDs.
 *
 * Every GUID is a version 5 UUID of what the object is (thema_refi_guid), so the
 * same store gives the same bytes; nothing time-dependent is written.
 */
#ifndef THEMA_EXPORT_QDC_H
#define THEMA_EXPORT_QDC_H

#include <libxml/xmlwriter.h>
#include <stdint.h>

#include "ingest/refi.h"
#include "store/store.h"

/* The store's codes as a tree: children sorted by name. */
typedef struct ThemaCodeNode {
  int64_t id;        /* the code's row */
  char *path, *name; /* owned */
  char *description; /* owned, NULL for none */
  char *colour;      /* owned, "#RRGGBB" or NULL when the stored colour is no RGB */
  int parent;        /* index of the parent node, -1 for a theme */
  int *children;     /* indexes, sorted by name; owned */
  int nchildren;     /* how many */
} ThemaCodeNode;

typedef struct ThemaCodeTree {
  ThemaCodeNode *nodes; /* owned, in path order */
  int n;                /* how many */
} ThemaCodeTree;

/* Read every code of st into *t (zeroed by the caller); free with
 * thema_code_tree_free, also after an error. */
int thema_code_tree_load(ThemaStore *st, ThemaCodeTree *t, ThemaError *err);
void thema_code_tree_free(ThemaCodeTree *t);

/* Called inside each <Code> after its Description: writes what the project
 * adds there (NoteRef), or NULL for nothing. Returns 0 or -1 (a write failed). */
typedef int (*ThemaCodeExtra)(void *ud, xmlTextWriterPtr w, const ThemaCodeNode *code);

/* <Codes> with every code of t nested as in the tree (isCodable true: every
 * thema code may be applied); nothing when t is empty. 0 or -1. */
int thema_qdc_write_codes(xmlTextWriterPtr w, const ThemaCodeTree *t, ThemaCodeExtra extra,
                          void *ud);

/* Write the codebook of st to path as a .qdc, through a temporary file
 * renamed into place: a failed export leaves no half-written file. */
int thema_export_qdc(ThemaStore *st, const char *path, ThemaError *err);

#endif
