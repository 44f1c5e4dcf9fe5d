/*
 * resegment.h — re-cutting a source into other units: sentences (ICU, in
 * the source's language), paragraphs (blank lines) or windows of N words.
 * A new unit never crosses an old one, so it keeps its turn's speaker,
 * section and times; offsets stay exact code points into the source's text;
 * codings move to the unit that holds their span, and when one does not fit
 * in a single unit the whole re-cut is refused.
 */
#ifndef THEMA_STORE_RESEGMENT_H
#define THEMA_STORE_RESEGMENT_H

#include <stdint.h>

#include "store/store.h"

typedef enum ThemaUnit {
  THEMA_UNIT_SENTENCE,
  THEMA_UNIT_PARAGRAPH,
  THEMA_UNIT_WINDOW
} ThemaUnit;

typedef struct ThemaUnitSpec {
  ThemaUnit unit;
  int window;           /* words per window (THEMA_UNIT_WINDOW) */
  const char *language; /* sentences: "nl", "fr", "en", ...; NULL: the root rules */
} ThemaUnitSpec;

/* Parse "sentence", "paragraph" or "window=N" into *spec (language left as
 * is); a usage error otherwise. */
int thema_unit_parse(const char *text, ThemaUnitSpec *spec, ThemaError *err);
/* The unit as it is named in the source attribute "unit" ("window=50"). */
void thema_unit_name(const ThemaUnitSpec *spec, char *out, size_t n);

typedef struct ThemaResegmentResult {
  int64_t before, after; /* segments */
  int64_t moved;         /* codings moved to a new unit */
} ThemaResegmentResult;

/* Re-cut the source with id source_id, inside the caller's transaction. */
int thema_resegment(ThemaStore *st, int64_t source_id, const ThemaUnitSpec *spec,
                    ThemaResegmentResult *res, ThemaError *err);

#endif
