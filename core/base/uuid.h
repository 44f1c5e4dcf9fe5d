/*
 * uuid.h — name-based UUIDs (RFC 4122 version 5: SHA-1 of a namespace and a
 * name). The REFI-QDA export derives every GUID from what the object is (a
 * code's path, a source's name), so the same store gives the same file.
 */
#ifndef THEMA_UUID_H
#define THEMA_UUID_H

#include <stddef.h>
#include <stdint.h>

/* A UUID as its 16 bytes, in network order. */
typedef struct ThemaUuid {
  uint8_t b[16]; /* the bytes */
} ThemaUuid;

/* The namespace of thema's REFI-QDA GUIDs: uuid5(URL, "urn:thema:refi-qda"). */
extern const ThemaUuid thema_uuid_refi;

/* The version 5 UUID of name[0..n) in namespace ns. */
ThemaUuid thema_uuid5(const ThemaUuid *ns, const void *name, size_t n);

/* Parse "8-4-4-4-12" hex (either case, optionally in braces) into *out: 1 on
 * success, 0 when s is not a UUID. */
int thema_uuid_parse(const char *s, ThemaUuid *out);

/* Format u as 36 characters and a NUL: lower case, or upper case with upper. */
void thema_uuid_format(const ThemaUuid *u, int upper, char out[37]);

#endif
