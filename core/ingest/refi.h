/*
 * refi.h — reading REFI-QDA XML (QDA-XML 1.0: the project.qde of a .qdpx
 * and the .qdc codebook): parse, repair the deviations other tools are
 * known to write (with a warning each, through the sink), and validate
 * against the standard's schemas, which are built into the program.
 *
 * Read leniently, each with a warning: a byte order mark; a namespace other
 * than 1.0 (urn:QDA-XML:codebook:1:0, ...:0:4, project:0:10, or none); an
 * empty container (<Sets/>, <Links/>, ...), which the schema forbids; a
 * colour that is no #RGB or #RRGGBB (rgb(...), #AARRGGBB: turned into
 * #RRGGBB, or dropped). Anything else the schema refuses is an input error
 * naming the file, the line and the element.
 */
#ifndef THEMA_REFI_H
#define THEMA_REFI_H

#include <libxml/tree.h>
#include <stddef.h>

#include "base/thema.h"
#include "ingest/sink.h"

typedef enum ThemaRefiSchema {
  THEMA_REFI_PROJECT, /* Project.xsd: urn:QDA-XML:project:1.0, root Project */
  THEMA_REFI_CODEBOOK /* Codebook.xsd: urn:QDA-XML:codebook:1.0, root CodeBook */
} ThemaRefiSchema;

/* Parse xml[0..n) into *doc (the caller frees it with xmlFreeDoc), repaired
 * and validated against schema; path names the file in messages and
 * warnings. No network access, no external entities. */
int thema_refi_parse(ThemaSink *sink, const char *path, const char *xml, size_t n,
                     ThemaRefiSchema schema, xmlDocPtr *doc, ThemaError *err);

/* A project being read: its parts, and its sources to come. Large projects
 * are streamed: the parts (users, codebook, variables, cases, notes) are a
 * small document and each source is read, and freed, in turn; a project
 * that needs repairs is read whole (the tools that need them write small
 * ones). */
/* Where a project's XML comes from, read as often as needed (a zip entry
 * is decompressed once per pass instead of being held whole). */
typedef struct ThemaRefiInput {
  void *ud; /* the implementation's */
  /* Start again from the first byte: 0, or -1 with failure set. */
  int (*rewind)(void *ud);
  /* Up to len bytes into buf: how many, 0 at the end, -1 with failure set. */
  int (*read)(void *ud, char *buf, int len);
  char failure[512]; /* why rewind or read failed ("" when they did not) */
} ThemaRefiInput;

/* in reading xml[0..n) from memory; mem is its state (zeroed by the caller). */
typedef struct ThemaRefiMemory {
  const char *xml; /* borrowed */
  size_t n, off;   /* bytes, bytes read */
} ThemaRefiMemory;
void thema_refi_input_memory(ThemaRefiInput *in, ThemaRefiMemory *mem, const char *xml,
                             size_t n);

typedef struct ThemaRefiProject {
  xmlDocPtr doc;      /* the project (streamed: without its sources); owned */
  int streamed;       /* 1 when the sources are read from in by thema_refi_each_source */
  ThemaRefiInput *in; /* borrowed */
  const char *path;   /* for messages */
} ThemaRefiProject;

/* Open the project read from in: parsed, repaired or checked, validated
 * against Project.xsd (errors as for thema_refi_parse). Free p with
 * thema_refi_project_free, also after an error. */
int thema_refi_open_project(ThemaSink *sink, const char *path, ThemaRefiInput *in,
                            ThemaRefiProject *p, ThemaError *err);
void thema_refi_project_free(ThemaRefiProject *p);

/* Call fn with every child element of <Sources>, in order; a streamed
 * source's subtree lives during the call only. */
typedef int (*ThemaRefiSourceFn)(void *ud, xmlNodePtr source, ThemaError *err);
int thema_refi_each_source(ThemaRefiProject *p, ThemaRefiSourceFn fn, void *ud,
                           ThemaError *err);

/* The GUID thema gives the object of kind ("code", "source", "person", ...)
 * named key, upper-case 8-4-4-4-12: a version 5 UUID (base/uuid.h) of kind
 * and key, so the same store always gives the same GUIDs; n > 0 tells apart
 * the n-th object with the same name. */
void thema_refi_guid(char out[37], const char *kind, const char *key, long n);

/* The lookup key of a GUID: lower case, without braces ("" when it is none). */
void thema_refi_key(const char *guid, char out[37]);

/* The attribute's value (owned by the caller: xmlFree), or NULL. */
char *thema_refi_attr(xmlNodePtr node, const char *name);
/* The first child element named name, or NULL; the next sibling element
 * named name after node. */
xmlNodePtr thema_refi_child(xmlNodePtr node, const char *name);
xmlNodePtr thema_refi_next(xmlNodePtr node, const char *name);
/* The text of the first child element named name (owned: xmlFree), or NULL. */
char *thema_refi_child_text(xmlNodePtr node, const char *name);

/* Called for every code read, with its GUID key and its thema path. */
typedef int (*ThemaRefiCodeFn)(void *ud, const char *key, const char *path,
                               ThemaError *err);

/* Emit every <Code> under codes (a <Codes> element) into sink as a code
 * whose path nests as the elements do ("theme/code"); a '/' in a name
 * becomes U+2215 (with a warning), since thema's paths use it. fn (may be
 * NULL) learns each code's path. */
int thema_refi_codes(ThemaSink *sink, const char *path, xmlNodePtr codes,
                     ThemaRefiCodeFn fn, void *ud, ThemaError *err);

/* "#RRGGBB" from a colour as tools write it (#RGB, #RRGGBB, #AARRGGBB,
 * rgb(r,g,b)); 0 when it cannot be read. */
int thema_refi_colour(const char *s, char out[8]);

#endif
