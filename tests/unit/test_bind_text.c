/*
 * test_bind_text.c — thema.text from Lua (core/bind_text.c): case folding,
 * accent stripping, NFC, word tokens with code-point offsets, Snowball
 * stemming, stop word lists, and the errors for bad input.
 */
#include "lua/bind.h"
#include "lua_helpers.h"

static lua_State *L;

/* The shared eq() and fails(), and what the snippets of this file use. */
static const char prelude[] = TH_LUA_PRELUDE
    "text = thema.text\n"
    "function spans(list)\n"
    "  local out = {}\n"
    "  for _, t in ipairs(list) do out[#out + 1] = t.start .. '-' .. t.stop .. ':' .. t.text end\n"
    "  return table.concat(out, ' ')\n"
    "end\n";

static void setup(void) { L = th_lua_open(thema_bind_text, "thema_bind_text", prelude); }

static void teardown(void) {
  lua_close(L);
  L = NULL;
}

/* Run a snippet; fail the test with the Lua error if it raises. */
static void run_lua(const char *code) { th_lua_run(L, code); }

TestSuite(bind_text, .init = setup, .fini = teardown, .timeout = 30);

Test(bind_text, casefold_folds_full_case) {
  run_lua("eq(text.casefold('Straße'), 'strasse')\n"
          "eq(text.casefold('ÖSTERREICH'), 'österreich')\n"
          "eq(text.casefold('Coördinatie IN ’t'), 'coördinatie in ’t')\n"
          "eq(text.casefold(''), '')\n"
          "eq(text.casefold('a\\0B'), 'a\\0b', 'embedded NUL kept')\n");
}

Test(bind_text, strip_accents_removes_marks_and_recomposes) {
  run_lua(
      "eq(text.strip_accents('coördinatie café'), 'coordinatie cafe')\n"
      "eq(text.strip_accents('coo\\u{308}rdinatie'), 'coordinatie', 'decomposed input')\n"
      "eq(text.strip_accents('Ærø ß'), 'Ærø ß', 'letters without marks stay')\n"
      "eq(text.strip_accents('한국'), '한국', 'Hangul recomposed')\n");
}

Test(bind_text, normalise_gives_nfc) {
  run_lua("eq(text.normalise('coo\\u{308}rdinatie'), 'co\\u{F6}rdinatie')\n"
          "eq(text.normalise('coördinatie'), 'coördinatie')\n"
          "eq(#text.normalise('e\\u{301}'), 2)\n");
}

/* casefold, strip_accents and normalise share one scratch buffer: results
 * of any size, one after another, stay each call's own. */
Test(bind_text, mapped_strings_of_any_size_are_independent) {
  run_lua("local big = ('ÖSTERREICH '):rep(200000)\n"
          "local folded = text.casefold(big)\n"
          "eq(#folded, #big, 'same length'); eq(folded:sub(1, 12), 'österreich ')\n"
          "eq(text.strip_accents('Ö'), 'O', 'a small one after a large one')\n"
          "eq(folded:sub(-12), 'österreich ', 'the earlier result is unchanged')\n"
          "eq(text.normalise(big), big)\n"
          "eq(text.casefold('É'), 'é')\n");
}

Test(bind_text, tokenise_returns_words_with_code_point_offsets) {
  run_lua("local toks = text.tokenise('coördinatie in ’t Hageland, zo\\'n 3 keer.')\n"
          "eq(spans(toks), '0-11:coördinatie 12-14:in 16-17:t 18-26:Hageland '\n"
          "   .. '28-32:zo\\'n 33-34:3 35-39:keer')\n"
          "eq(#toks, 7)\n"
          "eq(#text.tokenise(''), 0)\n"
          "eq(#text.tokenise(' ,.– ’ '), 0)\n");
}

Test(bind_text, tokenise_keeps_apostrophes_and_marks_inside_words_only) {
  run_lua(
      "eq(spans(text.tokenise(\"ouders' kind’s 'ns\")), '0-6:ouders 8-14:kind’s 16-18:ns')\n"
      "eq(spans(text.tokenise('coo\\u{308}rdinatie')), '0-12:coo\\u{308}rdinatie',\n"
      "   'decomposed word stays whole')\n"
      "eq(spans(text.tokenise('\\u{308}x')), '1-2:x', 'a mark does not start a word')\n"
      "eq(spans(text.tokenise('Noord-Holland 2023/24')),\n"
      "   '0-5:Noord 6-13:Holland 14-18:2023 19-21:24')\n"
      "eq(spans(text.tokenise('東京に行く')), '0-5:東京に行く')\n");
}

Test(bind_text, words_iterates_like_tokenise) {
  run_lua(
      "local s = 'coördinatie in ’t Hageland, zo\\'n 3 keer.'\n"
      "local got = {}\n"
      "for st, sp, w in text.words(s) do got[#got + 1] = st .. '-' .. sp .. ':' .. w end\n"
      "eq(table.concat(got, ' '), spans(text.tokenise(s)))\n"
      "for _ in text.words('') do error('no words expected') end\n"
      "local it = text.words('a')\n"
      "eq(it(), 0); eq(it(), nil); eq(it(), nil)\n");
}

Test(bind_text, stem_dutch_by_default) {
  run_lua("eq(text.stem('gemeenten'), text.stem('gemeente'))\n"
          "eq(text.stem('gemeenten'), 'gemeent')\n"
          "eq(text.stem('leren'), 'ler')\n"
          "eq(text.stem('leren', 'dutch'), 'ler')\n"
          "eq(text.stem('leren', 'nl'), 'ler', 'ISO code')\n"
          "eq(text.stem(''), '')\n"
          "for i = 1, 3 do eq(text.stem('gemeenten'), 'gemeent', 'cached stemmer') end\n");
}

Test(bind_text, stem_other_languages_and_unknown_language) {
  run_lua("eq(text.stem('walking', 'english'), 'walk')\n"
          "local s, msg = text.stem('leren', 'klingon')\n"
          "eq(s, nil)\n"
          "eq(msg, \"unknown stemmer language 'klingon'\")\n"
          "s, msg = text.stem('leren', 'klingon')\n"
          "eq(s, nil, 'not cached')\n");
}

Test(bind_text, stopwords_are_sets) {
  run_lua("local sw = text.stopwords()\n"
          "eq(sw.de, true); eq(sw.het, true); eq(sw['en'], true); eq(sw.niet, true)\n"
          "eq(sw.gemeente, nil)\n"
          "local n = 0\n"
          "for w, v in pairs(sw) do n = n + 1; eq(v, true) end\n"
          "eq(n, 111, 'the Snowball Dutch list and its ten clitic spellings')\n"
          "eq(sw[\"'t\"], true); eq(sw[\"z'n\"], true)\n"
          "local fr = text.stopwords('fr')\n"
          "eq(fr.le, true); eq(fr[\"l'\"], true); eq(fr['école'], nil)\n"
          "eq(text.stopwords('dutch').zijn, true)\n"
          "sw.extra = true\n"
          "eq(text.stopwords().extra, nil, 'each call returns a fresh table')\n"
          "local en = text.stopwords('english')\n"
          "eq(en.the, true); eq(en['don\\'t'], true); eq(en.de, nil)\n"
          "local none, msg = text.stopwords('klingon')\n"
          "eq(none, nil)\n"
          "assert(msg:find(\"no stop word list for language 'klingon'\", 1, true), msg)\n");
}

Test(bind_text, bad_arguments_raise_with_the_argument_named) {
  run_lua(
      "fails(function() return text.stem(nil) end,\n"
      "      \"bad argument #1 to 'stem' (string expected, got nil)\")\n"
      "fails(function() return text.stem('x', {}) end,\n"
      "      \"bad argument #2 to 'stem' (string expected, got table)\")\n"
      "fails(function() return text.casefold() end,\n"
      "      \"bad argument #1 to 'casefold' (string expected, got no value)\")\n"
      "fails(function() return text.tokenise({}) end,\n"
      "      \"bad argument #1 to 'tokenise' (string expected, got table)\")\n"
      "fails(function() return text.words(nil) end, \"bad argument #1 to 'words'\")\n"
      "fails(function() return text.stopwords(true) end,\n"
      "      \"bad argument #1 to 'stopwords' (string expected, got boolean)\")\n"
      "fails(function() return text.normalise() end, \"bad argument #1 to 'normalise'\")\n"
      "fails(function() return text.strip_accents() end,\n"
      "      \"bad argument #1 to 'strip_accents'\")\n");
}

Test(bind_text, invalid_utf8_raises) {
  run_lua(
      "fails(function() return text.casefold('ab\\xC3(') end,\n"
      "      \"bad argument #1 to 'casefold' (invalid UTF-8 at byte 2)\")\n"
      "fails(function() return text.strip_accents('\\xff') end, 'invalid UTF-8 at byte 0')\n"
      "fails(function() return text.normalise('\\xED\\xA0\\x80') end, 'invalid UTF-8')\n"
      "fails(function() return text.tokenise('ok \\xC0\\xAF') end, 'invalid UTF-8 at byte 3')\n"
      "fails(function() return text.words('\\xff') end, 'invalid UTF-8')\n"
      "fails(function() return text.stem('\\xff') end,\n"
      "      \"bad argument #1 to 'stem' (invalid UTF-8 at byte 0)\")\n");
}
