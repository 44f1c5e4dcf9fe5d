/*
 * test_bind_rx.c — thema.regex from Lua (core/bind_rx.c): code-point spans
 * on multi-byte text, gmatch with empty matches, captures, the i/a/w/m
 * flags, the match limit, invalid patterns, argument errors and closing.
 */
#include "lua/bind.h"
#include "lua_helpers.h"

static lua_State *L;

/* The shared eq() and fails(), and what the snippets of this file use. */
static const char prelude[] = TH_LUA_PRELUDE "S = 'coördinatie in ’t Hageland'\n";

static void setup(void) { L = th_lua_open(thema_bind_rx, "thema_bind_rx", prelude); }

static void teardown(void) {
  lua_close(L);
  L = NULL;
}

/* Run a snippet; fail the test with the Lua error if it raises. */
static void run_lua(const char *code) { th_lua_run(L, code); }

TestSuite(bind_rx, .init = setup, .fini = teardown, .timeout = 30);

Test(bind_rx, find_returns_code_point_spans_on_multibyte_text) {
  run_lua("local s, e = thema.regex('Hageland'):find(S)\n"
          "eq(s, 18, 'start'); eq(e, 26, 'stop')\n"
          "s, e = thema.regex('ö'):find(S)\n"
          "eq(s, 2, 'ö start'); eq(e, 3, 'ö stop')\n"
          "s, e = thema.regex('’t'):find(S)\n"
          "eq(s, 15); eq(e, 17)\n"
          "eq(utf8.len(S), 26, 'length')\n");
}

Test(bind_rx, find_starts_at_init_code_point) {
  run_lua("local rx = thema.regex('i')\n"
          "eq(select(1, rx:find(S)), 5)\n"
          "eq(select(1, rx:find(S, 5)), 5)\n"
          "local s, e = rx:find(S, 6)\n"
          "eq(s, 9); eq(e, 10)\n"
          "eq(select(1, rx:find(S, 10)), 12)\n"
          "eq(rx:find(S, 13), nil, 'no i after 13')\n"
          "eq(rx:find(S, 27), nil, 'init past the end')\n"
          "s, e = thema.regex(''):find(S, 26)\n"
          "eq(s, 26); eq(e, 26)\n"
          "s, e = thema.regex('(?<=ö)r'):find(S, 3)\n"
          "eq(s, 3, 'lookbehind sees text before init'); eq(e, 4)\n");
}

Test(bind_rx, find_returns_nil_when_nothing_matches) {
  run_lua("eq(select('#', thema.regex('xyz'):find(S)), 1)\n"
          "eq(thema.regex('xyz'):find(S), nil)\n"
          "eq(thema.regex('x'):find(''), nil)\n");
}

Test(bind_rx, find_returns_captures_as_strings_and_nil_when_unset) {
  run_lua("local s, e, a, b, c = thema.regex('(co)(ö)?(x)?rd'):find(S)\n"
          "eq(s, 0); eq(e, 5); eq(a, 'co'); eq(b, 'ö'); eq(c, nil)\n"
          "eq(select('#', thema.regex('(co)(ö)?(x)?rd'):find(S)), 5)\n"
          "local _, _, w = thema.regex('(?<name>\\\\w+)$'):find(S)\n"
          "eq(w, 'Hageland')\n"
          "local _, _, empty = thema.regex('in()'):find(S)\n"
          "eq(empty, '', 'empty capture is an empty string')\n");
}

Test(bind_rx, gmatch_yields_every_match_with_text) {
  run_lua("local got = {}\n"
          "for s, e, m in thema.regex('ö+'):gmatch('öö x ö') do\n"
          "  got[#got + 1] = s .. '-' .. e .. ':' .. m\n"
          "end\n"
          "eq(table.concat(got, ' '), '0-2:öö 5-6:ö')\n"
          "got = {}\n"
          "for s, e, m in thema.regex('a'):gmatch('banana') do got[#got + 1] = s end\n"
          "eq(table.concat(got, ','), '1,3,5')\n"
          "for s in thema.regex('q'):gmatch('banana') do error('no match expected') end\n");
}

Test(bind_rx, gmatch_advances_past_empty_matches_by_one_code_point) {
  run_lua("local got = {}\n"
          "for s, e, m in thema.regex('x*'):gmatch('aöx') do\n"
          "  got[#got + 1] = s .. '-' .. e .. ':' .. m\n"
          "end\n"
          "eq(table.concat(got, ' '), '0-0: 1-1: 2-3:x 3-3:')\n"
          "got = {}\n"
          "for s, e in thema.regex(''):gmatch('’ö') do got[#got + 1] = s .. '-' .. e end\n"
          "eq(table.concat(got, ' '), '0-0 1-1 2-2')\n"
          "got = 0\n"
          "for s in thema.regex(''):gmatch('') do got = got + 1 end\n"
          "eq(got, 1, 'one empty match in the empty string')\n");
}

Test(bind_rx, gmatch_iterator_stays_finished) {
  run_lua("local it = thema.regex('a'):gmatch('a')\n"
          "eq(it(), 0); eq(it(), nil); eq(it(), nil)\n");
}

Test(bind_rx, count_and_test) {
  run_lua("eq(thema.regex('a'):count('banana'), 3)\n"
          "eq(thema.regex('x*'):count('aöx'), 4)\n"
          "eq(thema.regex('z'):count('banana'), 0)\n"
          "eq(thema.regex('Hageland'):test(S), true)\n"
          "eq(thema.regex('hageland'):test(S), false)\n"
          "eq(thema.regex(''):test(''), true)\n");
}

Test(bind_rx, many_matches_on_a_long_subject_convert_offsets_in_one_pass) {
  run_lua("local s = ('ö a ’ '):rep(200000)\n"
          "local rx = thema.regex('a')\n"
          "local n, last = 0\n"
          "for st in rx:gmatch(s) do n = n + 1; last = st end\n"
          "eq(n, 200000); eq(last, 199999 * 6 + 2)\n"
          "eq(rx:count(s), 200000)\n"
          "n = 0\n"
          "for st in thema.regex('o', 'a'):gmatch(s) do n = n + 1; last = st end\n"
          "eq(n, 200000); eq(last, 199999 * 6)\n");
}

Test(bind_rx, flag_i_is_caseless) {
  run_lua("local s, e = thema.regex('HAGELAND', 'i'):find(S)\n"
          "eq(s, 18); eq(e, 26)\n"
          "eq(thema.regex('CO\\u{D6}RD', 'i'):test(S), true, 'non-ASCII case')\n"
          "eq(thema.regex('HAGELAND'):test(S), false)\n");
}

Test(bind_rx, flag_w_matches_whole_words_only) {
  run_lua("local s, e = thema.regex('in'):find(S)\n"
          "eq(s, 5, 'inside coördinatie')\n"
          "s, e = thema.regex('in', 'w'):find(S)\n"
          "eq(s, 12); eq(e, 14)\n"
          "eq(thema.regex('co', 'w'):test(S), false, 'ö is a word character')\n"
          "eq(thema.regex('t', 'w'):count(S), 1, 'only the t after the apostrophe')\n"
          "eq(thema.regex('in|Hage', 'w'):count(S), 1, 'alternation stays inside')\n"
          "local _, _, c = thema.regex('(Hage)land', 'w'):find(S)\n"
          "eq(c, 'Hage', 'capture numbers unchanged')\n"
          "eq(thema.regex('\\\\Qin', 'w'):count(S), 1, 'an open \\\\Q is closed')\n"
          "eq(thema.regex('(*UCP)(*LIMIT_MATCH=5000)in', 'w'):count(S), 1,\n"
          "   'start-of-pattern options stay in front')\n"
          "eq(thema.regex('(*F)|in', 'w'):count(S), 1, 'a verb is not hoisted')\n");
}

Test(bind_rx, flag_a_matches_without_accents_and_returns_original_offsets) {
  run_lua("local rx = thema.regex('coordinatie', 'a')\n"
          "local s, e = rx:find(S)\n"
          "eq(s, 0); eq(e, 11)\n"
          "local _, _, m = rx:gmatch(S)()\n"
          "eq(m, 'coördinatie', 'matched text is the original')\n"
          "eq(thema.regex('coordinatie'):test(S), false, 'without a')\n"
          "s, e = thema.regex('Hageland', 'a'):find(S)\n"
          "eq(s, 18); eq(e, 26)\n"
          /* the pattern's accents go too */
          "eq(thema.regex('café', 'a'):count('cafe café cafè'), 3)\n"
          /* a decomposed subject: the mark belongs to the match */
          "local nfd = 'coo\\u{308}rdinatie en'\n"
          "s, e = rx:find(nfd)\n"
          "eq(s, 0); eq(e, 12)\n"
          "s, e = thema.regex('coo', 'a'):find(nfd)\n"
          "eq(e, 4, 'trailing mark included')\n"
          "s, e = thema.regex('co', 'a'):find(nfd)\n"
          "eq(e, 2)\n"
          "s, e = thema.regex('en', 'a'):find(nfd)\n"
          "eq(s, 13); eq(e, 15)\n"
          /* captures and init refer to the original */
          "local _, _, c1, c2 = thema.regex('c(o+)r(d)', 'a'):find(S)\n"
          "eq(c1, 'oö'); eq(c2, 'd')\n"
          "eq(select(1, thema.regex('o', 'a'):find(S, 2)), 2)\n"
          "eq(select(1, thema.regex('r', 'a'):find(nfd, 3)), 4, 'init on a dropped mark')\n"
          /* letters without a decomposition are kept */
          "eq(thema.regex('o', 'a'):test('ø'), false)\n"
          "eq(thema.regex('한', 'a'):test('한국'), true, 'Hangul kept whole')\n"
          "s, e = thema.regex('COORD', 'ai'):find(S)\n"
          "eq(s, 0); eq(e, 5)\n");
}

/* The stripped copy is shorter than the subject, and a base letter may take
 * several bytes (U+1FF6 -> U+03C9): every match maps back through the byte
 * map (text/, shared with the matcher) to the original's code points. */
Test(bind_rx, flag_a_maps_every_match_back_through_the_stripped_copy) {
  run_lua(
      "local s = ('café '):rep(500)\n"
      "local n = 0\n"
      "for st, e, m in thema.regex('cafe', 'a'):gmatch(s) do\n"
      "  eq(st, 5 * n, 'start'); eq(e, 5 * n + 4, 'stop'); eq(m, 'café')\n"
      "  n = n + 1\n"
      "end\n"
      "eq(n, 500)\n"
      "local st, e = thema.regex('ω', 'a'):find('aῶb')\n"
      "eq(st, 1); eq(e, 2)\n"
      "local _, _, m = thema.regex('ω', 'a'):gmatch('aῶb')()\n"
      "eq(m, 'ῶ', 'the matched text is the original')\n"
      "local _, _, c = thema.regex('a(ω)b', 'a'):find('xaῶb')\n"
      "eq(c, 'ῶ', 'captures too')\n"
      "eq(select(1, thema.regex('b', 'a'):find('ῶῶb', 2)), 2, 'init after multi-byte bases')\n"
      "eq(thema.regex('', 'a'):count('éé'), 3, 'empty matches step by code point')\n");
}

Test(bind_rx, flag_m_anchors_at_lines) {
  run_lua("eq(thema.regex('^b'):test('a\\nb'), false)\n"
          "local s, e = thema.regex('^b', 'm'):find('ö\\nb')\n"
          "eq(s, 2); eq(e, 3)\n");
}

Test(bind_rx, catastrophic_pattern_raises_instead_of_hanging) {
  run_lua("local rx = thema.regex('(a+)+$')\n"
          "local s = ('a'):rep(64) .. 'b'\n"
          "fails(function() return rx:test(s) end, \"regex '(a+)+$': matching failed\")\n"
          "fails(function() return rx:find(s) end, 'limit')\n"
          "fails(function() return rx:count(s) end, 'limit')\n"
          "fails(function() for _ in rx:gmatch(s) do end end, 'limit')\n"
          "eq(rx:test('aaa'), true, 'still usable afterwards')\n");
}

Test(bind_rx, invalid_pattern_returns_nil_and_message_with_offset) {
  run_lua("local rx, msg = thema.regex('ab(c')\n"
          "eq(rx, nil)\n"
          "assert(msg:find('missing closing parenthesis', 1, true), msg)\n"
          "assert(msg:find('offset 4', 1, true), msg)\n"
          "rx, msg = thema.regex('ab(c', 'w')\n"
          "eq(rx, nil); assert(msg:find('offset 4', 1, true), 'w: ' .. msg)\n"
          "rx, msg = thema.regex('cöö[', 'a')\n"
          "eq(rx, nil); assert(msg:find('offset 6', 1, true), 'a: ' .. msg)\n"
          "rx, msg = thema.regex('a)(b', 'w')\n"
          "eq(rx, nil, 'unbalanced ) is not hidden by the wrapper')\n"
          "rx, msg = thema.regex('a\\0b')\n"
          "eq(rx, nil); assert(msg:find('NUL', 1, true), msg)\n"
          "rx, msg = thema.regex('a\\xffb')\n"
          "eq(rx, nil); assert(msg:find('UTF-8', 1, true), msg)\n"
          "rx, msg = thema.regex('x{2,1}')\n"
          "eq(rx, nil); assert(msg:find('^regex: '), msg)\n");
}

Test(bind_rx, bad_arguments_raise_with_the_argument_named) {
  run_lua("fails(function() return thema.regex() end,\n"
          "      \"bad argument #1 to 'regex' (string expected, got no value)\")\n"
          "fails(function() return thema.regex('x', 'iz') end,\n"
          "      \"bad argument #2 to 'regex' (unknown flag 'z'\")\n"
          "fails(function() return thema.regex('x', {}) end,\n"
          "      \"bad argument #2 to 'regex' (string expected, got table)\")\n"
          "local rx = thema.regex('x')\n"
          "fails(function() return rx:find(nil) end,\n"
          "      \"bad argument #1 to 'find' (string expected, got nil)\")\n"
          "fails(function() return rx:find('x', 'y') end,\n"
          "      \"bad argument #2 to 'find' (number expected, got string)\")\n"
          "fails(function() return rx:find('x', -1) end, \"bad argument #2 to 'find'\")\n"
          "fails(function() return rx:gmatch() end,\n"
          "      \"bad argument #1 to 'gmatch' (string expected, got no value)\")\n"
          "fails(function() return rx:test(false) end, \"bad argument #1 to 'test'\")\n"
          "fails(function() return rx:count('a\\xC3(') end,\n"
          "      \"bad argument #1 to 'count' (invalid UTF-8 at byte 1)\")\n"
          "fails(function() return rx.find('x', 'x') end, 'thema.Regex expected')\n");
}

Test(bind_rx, close_is_idempotent_and_closed_regex_refuses_use) {
  run_lua("local kept\n"
          "do\n"
          "  local r <close> = thema.regex('x')\n"
          "  eq(r:test('x'), true)\n"
          "  kept = r\n"
          "end\n"
          "eq(tostring(kept), 'thema.Regex (closed)')\n"
          "fails(function() return kept:test('x') end, 'attempt to use a closed regex')\n"
          "local mt = getmetatable(kept)\n"
          "mt.__close(kept); mt.__gc(kept)\n"
          "local it = thema.regex('a'):gmatch('aaa')\n"
          "collectgarbage(); collectgarbage()\n"
          "eq(it(), 0, 'the iterator keeps its regex alive')\n"
          "local r2 = thema.regex('a')\n"
          "local it2 = r2:gmatch('aaa')\n"
          "getmetatable(r2).__close(r2)\n"
          "fails(it2, 'closed regex')\n"
          "for _ in thema.regex('a', 'a'):gmatch('ááá') do break end\n"
          "collectgarbage()\n");
}

Test(bind_rx, tostring_shows_pattern_and_flags) {
  run_lua("eq(tostring(thema.regex('a+', 'wi')), 'thema.Regex(\"a+\", \"iw\")')\n"
          "eq(tostring(thema.regex('b')), 'thema.Regex(\"b\", \"\")')\n");
}
