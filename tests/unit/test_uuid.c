/*
 * test_uuid.c — version 5 UUIDs (core/base/uuid.c) against published values:
 * RFC 4122's DNS namespace example as Python's uuid module computes it, and
 * the GUIDs Taguette writes into its codebooks (uuid5 of a fixed namespace
 * and the tag's path), which sit in the Taguette sample we import.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/uuid.h"

static ThemaUuid parse(const char *s) {
  ThemaUuid u;
  cr_assert(thema_uuid_parse(s, &u), "parse %s", s);
  return u;
}

static void expect5(const char *ns, const char *name, int upper, const char *want) {
  ThemaUuid n = parse(ns), u = thema_uuid5(&n, name, strlen(name));
  char got[37];
  thema_uuid_format(&u, upper, got);
  cr_expect_str_eq(got, want, "uuid5(%s, %s)", ns, name);
}

Test(uuid, dns_namespace_example) {
  expect5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org", 0,
          "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

Test(uuid, taguette_codebook_guids) {
  const char *ns = "51B2B2B7-27EB-4ECB-9D56-E75B0A0496C2";
  expect5(ns, "interesting", 1, "0D62985D-B147-5D01-A9B5-CAE5DCD98342");
  expect5(ns, "people", 1, "DFE5C38E-9449-5959-A1F7-E3D895CFA87F");
  expect5(ns, "interesting\\places", 1, "55BB6892-6F30-5129-8CB8-557A1B12137B");
}

Test(uuid, thema_namespace_is_derived_from_its_urn) {
  ThemaUuid url = parse("6ba7b811-9dad-11d1-80b4-00c04fd430c8");
  const char *urn = "urn:thema:refi-qda";
  ThemaUuid u = thema_uuid5(&url, urn, strlen(urn));
  cr_expect(memcmp(u.b, thema_uuid_refi.b, 16) == 0);
}

Test(uuid, same_name_same_uuid_other_name_other_uuid) {
  ThemaUuid a = thema_uuid5(&thema_uuid_refi, "code\0a/b", 8);
  ThemaUuid b = thema_uuid5(&thema_uuid_refi, "code\0a/b", 8);
  ThemaUuid c = thema_uuid5(&thema_uuid_refi, "code\0a/c", 8);
  cr_expect(memcmp(a.b, b.b, 16) == 0);
  cr_expect(memcmp(a.b, c.b, 16) != 0);
  cr_expect_eq(a.b[6] >> 4, 5, "version 5");
  cr_expect_eq(a.b[8] >> 6, 2, "RFC 4122 variant");
}

Test(uuid, parse_accepts_braces_and_case_and_refuses_the_rest) {
  ThemaUuid u;
  cr_expect(thema_uuid_parse("{1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294}", &u));
  char s[37];
  thema_uuid_format(&u, 0, s);
  cr_expect_str_eq(s, "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294");
  static const char *const bad[] = {"",
                                    "c001",
                                    "1FF58B12-6F6F-4B0C-8BE5-BBDC91F5529",
                                    "1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294x",
                                    "1FF58B12x6F6F-4B0C-8BE5-BBDC91F55294",
                                    "1FF58B12-6F6F-4B0C-8BE5-BBDC91F5529G",
                                    "{1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    cr_expect(!thema_uuid_parse(bad[i], &u), "refuses '%s'", bad[i]);
}
