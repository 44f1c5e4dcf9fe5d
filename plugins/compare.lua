-- compare — groups side by side, for any grouping (by = network, source,
-- organisation, role, person, source.KEY, person.KEY, organisation.KEY; see
-- docs/plugins.md §10) and any coder (the automatic pass, a human coder, or
-- two of them with their agreement per code).
--
-- The segments compared are those of sources of kind `kind` (transcripts by
-- default), each in every group the grouping gives it (Genk's turns count in
-- Limburg and in the centrumsteden under by=network); segments without a
-- group form the group "(none)", so nothing is dropped from a total.
--
-- What it writes (OUT/compare/, columns in docs/plugins.md §11):
--   composition.csv    per group: members, who was present, spoke, was silent or
--                      absent, turns, words, dominance (Gini, top share)
--   participation.csv  per group and member person: turns, words, shares
--   organisations.csv  per group and organisation: status, turns, words, share
--   roles.csv          per group and role
--   context.csv, context_summary.csv   the monitor indicators of the members
--   code_group.csv     per coder, code and group: segments, share, rate per 1,000
--                      words, speakers and their share
--   keyness.csv        per coder, code and group: Fisher's exact test of the
--                      group against the rest, odds ratio with its interval
--   cooccurrence.csv   per coder and pair of codes: segments with both, Jaccard, lift
--   coverage.csv       per coder, group and role: share of turns and words coded
--   saturation.csv     per coder and source in order: new codes, cumulative codes
--   quotes.csv         per coder, code and group: the most representative quotes
--   agreement.csv, disagreements.csv   with two coders: agreement per code
--   section.md, section.html           the section the report includes
--
-- This file reads the segments, their groups and the codings, resolves the
-- coders and writes the section; the tables come from plugins/lib/
-- participation.lua, code_tables.lua and quotes.lua, numbers formatted by
-- figures.lua.
--
-- Numbers are rounded at output only (4 decimals; p-values to 4 significant
-- digits); rows are sorted; nothing depends on pairs() order, so the same
-- store gives the same bytes.

local thema = require("thema")
local stats = thema.stats
local text = thema.text
local sorted_keys = require("tables").sorted_keys
local coders_lib = require("coders")
local section = require("section")
local F = require("figures")
local participation = require("participation")
local code_tables = require("code_tables")
local quotes = require("quotes")
local NONE, fail, fmt4, fmtp, pct = F.NONE, F.fail, F.fmt4, F.fmtp, F.pct

-- ---- the segments and their groups ----

-- Every segment of the sources in scope, with its groups: segs (in store
-- order) and by_id.
local function load_segments(store, by, kind)
  local segs, by_id = {}, {}
  for r in store.get_segments_by(by, { kind = kind }) do
    local s = by_id[r.segment]
    if not s then
      s = { id = r.segment, source = r.source, ordinal = r.ordinal, speaker = r.speaker,
            person = r.person, organisation = r.organisation, role = r.role, words = r.words,
            groups = {} } -- the text is read again for quotes only: memory stays small
      by_id[r.segment] = s
      segs[#segs + 1] = s
    end
    if r.group then s.groups[#s.groups + 1] = r.group end
  end
  for _, s in ipairs(segs) do
    if #s.groups == 0 then s.groups[1] = NONE end
  end
  return segs, by_id
end

-- The groups in order: every label of the grouping, then "(none)" when some
-- segment has no group; with their members. A network or a role nobody spoke
-- in stays (its members are absent); a source, or a source attribute value,
-- with no segment of the compared kind is left out (a monitor table is no
-- group of turns).
local function load_groups(store, grouping, segs)
  local list, info, spoken = {}, {}, {}
  for _, s in ipairs(segs) do
    for _, g in ipairs(s.groups) do spoken[g] = true end
  end
  for _, g in ipairs(store.get_groups(grouping.spec)) do
    if grouping.kind ~= "source" or spoken[g.name] then
      list[#list + 1] = g.name
      info[g.name] = g
    end
  end
  for _, s in ipairs(segs) do
    if s.groups[1] == NONE then
      list[#list + 1] = NONE
      info[NONE] = { name = NONE, sources = {}, organisations = {}, persons = {} }
      break
    end
  end
  return list, info
end

-- Per group: its segments, turns, words, and talk by person and organisation.
local function tally_groups(segs, groups)
  local t = {}
  for _, g in ipairs(groups) do
    t[g] = { segs = {}, turns = 0, words = 0, persons = {}, orgs = {}, roles = {},
             sources = {} }
  end
  for _, s in ipairs(segs) do
    for _, g in ipairs(s.groups) do
      local x = t[g]
      x.segs[#x.segs + 1] = s
      x.turns = x.turns + 1
      x.words = x.words + s.words
      x.sources[s.source] = (x.sources[s.source] or 0) + 1
      if s.person then
        local p = x.persons[s.person] or { turns = 0, words = 0, organisation = s.organisation,
                                           role = s.role }
        p.turns, p.words = p.turns + 1, p.words + s.words
        x.persons[s.person] = p
      end
      if s.organisation then
        local o = x.orgs[s.organisation] or { turns = 0, words = 0 }
        o.turns, o.words = o.turns + 1, o.words + s.words
        x.orgs[s.organisation] = o
      end
      local role = s.role or NONE
      local r = x.roles[role] or { turns = 0, words = 0, speakers = {} }
      r.turns, r.words = r.turns + 1, r.words + s.words
      if s.person then r.speakers[s.person] = true end
      x.roles[role] = r
    end
  end
  return t
end

-- ---- codings ----

-- The coder's codings on the segments in scope: by segment a set of codes
-- (with each code's longest span as the quote), the codes used, and how
-- many codings.
local function load_codings(store, coder, by_id, selected)
  local by_seg, used, n = {}, {}, 0
  for c in store.codings(coder.spec) do
    if by_id[c.segment] and selected(c.code) then
      local codes = by_seg[c.segment] or {}
      local span = c.text or ""
      local prev = codes[c.code]
      if not prev or utf8.len(span) > utf8.len(prev.span) then
        codes[c.code] = { span = span, codings = (prev and prev.codings or 0) + 1 }
      else
        prev.codings = prev.codings + 1
      end
      by_seg[c.segment] = codes
      used[c.code] = true
      n = n + 1
    end
  end
  return by_seg, sorted_keys(used), n
end

-- ---- two coders ----

local function agreement(ctx, coders, params)
  local res = stats.agreement{ coders = { coders[1].spec, coders[2].spec },
                               codes = params.codes, mode = "binary",
                               samples = params.samples, seed = params.seed }
  local rows = {}
  local csv <close> = ctx.out.csv("agreement.csv", {
    "code", "units", "percent", "kappa", "alpha", "alpha_lo", "alpha_hi", "note" })
  local function row(code, r)
    local note = {}
    for _, why in ipairs({ r.pairs[1] and r.pairs[1].kappa_why, r.alpha_why, r.interval_why }) do
      if why then note[#note + 1] = why end
    end
    local kappa = r.pairs[1] and r.pairs[1].kappa
    csv:row{ code, r.units, fmt4(r.percent), fmt4(kappa), fmt4(r.alpha), fmt4(r.alpha_lo),
             fmt4(r.alpha_hi), table.concat(note, "; ") }
    rows[#rows + 1] = { code, r.units, fmt4(r.percent), fmt4(kappa), fmt4(r.alpha),
                        r.alpha_lo and string.format("[%s, %s]", fmt4(r.alpha_lo),
                                                     fmt4(r.alpha_hi)) or "" }
  end
  for i, code in ipairs(res.codes) do row(code, res.by_code[i]) end
  row("(overall)", res.overall)
  csv:close()
  local dis <close> = ctx.out.csv("disagreements.csv", {
    "code", "source", "segment", "speaker", coders[1].label, coders[2].label, "segment_text" })
  for _, d in ipairs(res.disagreements) do
    local seg = res.segments[d.segment]
    dis:row{ d.code, seg.source, seg.segment, seg.speaker, d.values[1], d.values[2], seg.text }
  end
  return rows, #res.disagreements
end

-- ---- the section ----

-- The first n words of s, with " …" when there were more.
local function clip(s, n)
  local k, cut = 0, nil
  for _, stop in text.words(s) do
    k = k + 1
    if k == n then cut = stop end
    if k > n then return s:sub(1, utf8.offset(s, cut + 1) - 1) .. " …" end
  end
  return s
end

-- d: what the run found (fields named as in the run function below).
local function write_section(ctx, d)
  local folder, by, coders, groups, comp, cg, found = d.folder, d.by, d.coders, d.groups,
    d.comp, d.cg, d.found
  local pairs_top, cov, sat, top_quotes, agree, ndis = d.pairs_top, d.cov, d.sat, d.top_quotes,
    d.agree, d.ndis
  local kind, alpha, ntests, context_summary = d.kind, d.alpha, d.ntests, d.context_summary
  local s = section.new()
  local id = "compare-" .. section.slug(folder or by)
  s:heading(2, "Groups compared by " .. by, id)
  local who = {}
  for _, c in ipairs(coders) do who[#who + 1] = c.label .. " (" .. c.what .. ")" end
  s:para(string.format("Grouping %s over the %s segments; coders: %s. A segment belongs to " ..
                       "every group the grouping gives it; %s holds the segments without one.",
                       by, kind, table.concat(who, ", "), NONE))
  s:heading(3, "Composition and participation", id .. "-composition")
  local rows = {}
  for _, r in ipairs(comp) do
    rows[#rows + 1] = { r.group, r.member_organisations, r.present_organisations,
                        r.spoke_organisations, r.silent_organisations, r.absent_organisations,
                        r.speakers, r.turns, r.words, r.gini_speakers, r.top_speaker,
                        r.top_speaker_share }
  end
  s:table({ "group", "member orgs", "present", "spoke", "silent", "absent", "speakers", "turns",
            "words", "Gini (speakers' words)", "top speaker", "top share" }, rows,
          { align = { "l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "l", "r" },
            caption = "present: a member with a person at some table (cases.csv); spoke: " ..
                      "quoted in the group's segments; silent: present, never quoted. " ..
                      "Details: participation.csv, organisations.csv, roles.csv." })
  -- the monitor context: one row per indicator and period, the median per group
  local keys, seen = {}, {}
  for _, g in ipairs(groups) do
    for key in pairs(context_summary[g] or {}) do
      if not seen[key] then seen[key] = true; keys[#keys + 1] = key end
    end
  end
  table.sort(keys)
  if #keys > 0 then
    s:heading(3, "The members' monitor figures", id .. "-context")
    local cols, crows, align = { "indicator", "period", "unit" }, {}, { "l", "l", "l" }
    for _, g in ipairs(groups) do cols[#cols + 1] = g; align[#align + 1] = "r" end
    for _, key in ipairs(keys) do
      local indicator, period, unit = key:match("^(.-)\t(.-)\t(.*)$")
      local row = { indicator, period, unit }
      for i, g in ipairs(groups) do
        local v = context_summary[g] and context_summary[g][key]
        row[3 + i] = v and string.format("%.6g (%d)", stats.quantile(v, 0.5), #v) or nil
      end
      crows[#crows + 1] = row
    end
    s:table(cols, crows, { align = align,
                           caption = "Median over the member organisations with a value " ..
                                     "(how many); every value: context.csv, mean and range: " ..
                                     "context_summary.csv." })
  end
  s:heading(3, "Codes by group", id .. "-codes")
  for _, coder in ipairs(coders) do
    local cols, by_code = { "code" }, {}
    for _, g in ipairs(groups) do cols[#cols + 1] = g end
    local order = {}
    for _, r in ipairs(cg) do
      if r.coder == coder.label then
        if not by_code[r.code] then by_code[r.code] = {}; order[#order + 1] = r.code end
        by_code[r.code][r.group] = string.format("%d (%s)", r.segments, pct(r.share))
      end
    end
    local trs = {}
    for _, code in ipairs(order) do
      local tr = { code }
      for i, g in ipairs(groups) do tr[i + 1] = by_code[code][g] end
      trs[#trs + 1] = tr
    end
    s:table(cols, trs, { caption = coder.label .. ": coded segments (share of the group's " ..
                                   "segments); rates per 1,000 words and speakers in code_group.csv" })
  end
  s:heading(3, "Codes a group uses more or less than the rest", id .. "-keyness")
  local krows = {}
  table.sort(found, function(a, b)
    if a.f.p ~= b.f.p then return a.f.p < b.f.p end
    if a.code ~= b.code then return a.code < b.code end
    return a.group < b.group
  end)
  for _, x in ipairs(found) do
    krows[#krows + 1] = { x.coder, x.code, x.group, x.direction,
                          string.format("%d/%d vs %d/%d", x.a, x.a + x.c, x.b, x.b + x.d),
                          fmt4(x.f.odds_ratio), string.format("[%s, %s]", fmt4(x.f.ci_lo),
                          fmt4(x.f.ci_hi)), fmt4(x.k.log_ratio), fmtp(x.f.p), fmtp(x.p_holm) }
  end
  s:table({ "coder", "code", "group", "uses it", "group vs rest", "odds ratio", "95% interval",
            "log ratio", "p (Fisher)", "p (Holm)" }, krows,
          { caption = string.format("%d of %d tests with p <= %g (two-sided Fisher's exact " ..
                                    "test, segments of the group against all others); p " ..
                                    "(Holm) corrects for the number of tests. Every test: " ..
                                    "keyness.csv.", #found, ntests, alpha) })
  s:heading(3, "Codes that meet in the same segments", id .. "-cooccurrence")
  local prows = {}
  for _, p in ipairs(pairs_top) do
    prows[#prows + 1] = { p.coder, p.a, p.b, p.both, fmt4(p.jaccard), fmt4(p.lift) }
  end
  s:table({ "coder", "code", "code", "segments with both", "Jaccard", "lift" }, prows,
          { caption = "The strongest pairs by Jaccard; every pair: cooccurrence.csv." })
  s:heading(3, "Coverage", id .. "-coverage")
  local crows = {}
  for _, r in ipairs(cov) do
    crows[#crows + 1] = { r.coder, r.group, r.turns, r.coded, pct(r.turn_share), pct(r.word_share) }
  end
  s:table({ "coder", "group", "turns", "coded", "of turns", "of words" }, crows,
          { caption = "Per role: coverage.csv." })
  s:heading(3, "Saturation", id .. "-saturation")
  local srows = {}
  for _, r in ipairs(sat) do srows[#srows + 1] = { r.coder, r.position, r.source, r.new, r.cumulative } end
  s:table({ "coder", "#", "source", "new codes", "codes so far" }, srows)
  s:heading(3, "Representative quotes", id .. "-quotes")
  local qrows = {}
  for _, q in ipairs(top_quotes) do
    qrows[#qrows + 1] = { q.coder, q.code, q.group,
                          string.format("%s:%d %s", q.source, q.ordinal, q.speaker or ""),
                          q.span, clip(q.text, 60) }
  end
  s:table({ "coder", "code", "group", "where", "coded", "turn" }, qrows,
          { caption = "The most typical coded passage per code and group (cosine of its " ..
                      "tf-idf vector with the code's centroid); more per cell: quotes.csv." })
  if agree then
    s:heading(3, "Agreement of the two coders", id .. "-agreement")
    s:table({ "code", "units", "percent", "kappa", "alpha", "alpha 95% interval" }, agree,
            { caption = string.format("%s against %s; %d disagreements with their text in " ..
                                      "disagreements.csv.", coders[1].label, coders[2].label,
                                      ndis) })
  end
  ctx.out.write("section.md", s:markdown())
  ctx.out.write("section.html", s:html())
end

-- ---- the plugin ----

-- ctx with its writers and output_dir moved into the subfolder name.
local function in_folder(ctx, name)
  local out = {
    csv = function(file, header) return ctx.out.csv(name .. "/" .. file, header) end,
    write = function(file, data) return ctx.out.write(name .. "/" .. file, data) end,
  }
  return setmetatable({ out = out, output_dir = ctx.output_dir .. "/" .. name },
                      { __index = ctx })
end

local function resolve_coders(store, params)
  local specs = {}
  for _, c in ipairs(params.coders or {}) do specs[#specs + 1] = c end
  if params.run then
    local id = math.tointeger(tonumber(params.run))
    specs[#specs + 1] = id and ("run:" .. id) or ("plugin:" .. params.run)
  end
  if params.coder then specs[#specs + 1] = "coder:" .. params.coder end
  if #specs == 0 then specs[1] = "plugin:deductive" end
  if #specs > 2 then
    fail("compare takes one or two coders, got %d (%s)", #specs, table.concat(specs, ", "))
  end
  local out = {}
  for i, spec in ipairs(specs) do out[i] = coders_lib.resolve(store, spec) end
  if #out == 2 and out[1].label == out[2].label then
    fail("coders: %s is given twice", out[1].label)
  end
  return out
end

local function check_codes(store, codes)
  if not codes then return end
  local all = {}
  for c in store.codes() do all[#all + 1] = c.path end
  local sel = code_tables.code_selector(codes)
  for _, want in ipairs(codes) do
    local hit = false
    for _, path in ipairs(all) do
      if path == want or path:sub(1, #want + 1) == want .. "/" then hit = true end
    end
    if not hit then
      fail("codes: no code '%s' in the store (codes: %s)", want,
           #all > 0 and table.concat(all, ", ", 1, math.min(#all, 40)) or "none; import a codebook")
    end
  end
  return sel
end

return {
  name = "compare",
  version = "1.0.0",
  description = "Groups side by side: composition, participation, codes by group, keyness " ..
                "of codes, co-occurrence, coverage, saturation, quotes, two coders' agreement",
  params = {
    by = { default = "network",
           description = "the grouping: source, network, organisation, role, person, " ..
                         "source.KEY, person.KEY or organisation.KEY" },
    coders = { type = "list",
               description = "one or two coders: run:ID, plugin:NAME or coder:NAME " ..
                             "(default plugin:deductive)" },
    run = { description = "a run id or plugin name as coder (shorthand for coders)" },
    coder = { description = "a human coder's name as coder (shorthand for coders)" },
    kind = { default = "transcript", values = { "transcript", "document" },
             description = "the kind of sources compared" },
    codes = { type = "list", description = "compare only these codes (and the codes under them)" },
    order = { type = "list", description = "the sources in the order of the saturation curve " ..
                                           "(default: by date, then name)" },
    quotes = { type = "integer", default = 3, min = 1,
               description = "quotes per code and group in quotes.csv" },
    pairs = { type = "integer", default = 10, min = 1,
              description = "strongest co-occurring pairs in the section" },
    alpha = { type = "number", default = 0.05,
              description = "the p-value up to which a keyness test is listed in the section" },
    samples = { type = "integer", default = 1000,
                description = "bootstrap resamples for alpha's interval (two coders)" },
    seed = { type = "integer", default = 1, description = "seed of the bootstrap" },
    folder = { description = "write into OUT/compare/FOLDER/ (letters, digits, - and _), to " ..
                             "keep several comparisons side by side" },
  },
  run = function(ctx, params)
    if params.folder and not params.folder:match("^[%w_-]+$") then
      fail("folder: '%s' is not a plain folder name (letters, digits, - and _)", params.folder)
    end
    if params.folder then ctx = in_folder(ctx, params.folder) end
    local store = ctx.store
    local grouping, why = store.get_grouping(params.by)
    if not grouping then fail("by: %s", why) end
    local coders = resolve_coders(store, params)
    local selected = check_codes(store, params.codes) or code_tables.code_selector(nil)

    local segs, by_id = load_segments(store, params.by, params.kind)
    if #segs == 0 then fail("no %s segments in the store; import some first", params.kind) end
    local groups, info = load_groups(store, grouping, segs)
    local sources = code_tables.source_order(store, segs, params.order) -- checked before anything is written
    local t = tally_groups(segs, groups)
    local total_words = 0
    for _, s in ipairs(segs) do total_words = total_words + s.words end

    local comp = participation.composition(ctx, groups, info, t, total_words)
    participation.participation(ctx, groups, info, t)
    participation.organisations(ctx, groups, info, t)
    participation.roles(ctx, groups, info, t)
    local context_summary = participation.context(ctx, store, groups, info, t)

    local cg_csv <close> = ctx.out.csv("code_group.csv", {
      "coder", "code", "group", "segments", "group_segments", "share", "codings", "words",
      "rate_per_1000_words", "speakers", "group_speakers", "speaker_share" })
    local key_csv <close> = ctx.out.csv("keyness.csv", {
      "coder", "code", "group", "a", "b", "c", "d", "group_share", "other_share", "expected",
      "odds_ratio", "ci_lo", "ci_hi", "log_odds", "p", "p_greater", "p_less", "p_holm", "g2",
      "log_ratio", "p_g2", "direction" })
    local co_csv <close> = ctx.out.csv("cooccurrence.csv", {
      "coder", "code_a", "code_b", "both", "segments_a", "segments_b", "segments", "expected",
      "jaccard", "lift" })
    local cov_csv <close> = ctx.out.csv("coverage.csv", {
      "coder", "group", "role", "turns", "coded_turns", "turn_share", "words", "coded_words",
      "word_share" })
    local sat_csv <close> = ctx.out.csv("saturation.csv", {
      "coder", "position", "source", "segments", "coded_segments", "codes", "new_codes",
      "cumulative_codes", "new" })
    local q_csv <close> = ctx.out.csv("quotes.csv", {
      "coder", "code", "group", "rank", "source", "segment", "speaker", "organisation", "score",
      "span", "text" })
    local cg, found, pairs_all, cov, sat, top_quotes = {}, {}, {}, {}, {}, {}
    local ntests, summary = 0, {}
    for _, coder in ipairs(coders) do
      local by_seg, codes, ncodings = load_codings(store, coder, by_id, selected)
      ctx.log("%s: %s, %d codings of %d codes on %d %s segments", coder.label, coder.what,
              ncodings, #codes, #segs, params.kind)
      if ncodings == 0 then
        ctx.log("%s has no codings on the compared segments: its tables are empty", coder.label)
      end
      local code_segs = code_tables.segments_by_code(segs, by_seg)
      code_tables.code_group(cg_csv, coder, codes, groups, t, by_seg, code_segs, cg)
      ntests = ntests + code_tables.keyness(key_csv, coder, codes, groups, t, segs, code_segs, params.alpha,
                                found)
      code_tables.cooccurrence(co_csv, coder, codes, segs, by_seg, pairs_all)
      code_tables.coverage(cov_csv, coder, groups, t, segs, by_seg, cov)
      code_tables.saturation(sat_csv, coder, sources, segs, by_seg, sat)
      quotes.quotes(q_csv, ctx, params.kind, coder, codes, groups, by_id, by_seg, code_segs,
             params.quotes, top_quotes)
      summary[#summary + 1] = { coder = coder.label, codings = ncodings, codes = #codes }
    end
    for _, w in ipairs({ cg_csv, key_csv, co_csv, cov_csv, sat_csv, q_csv }) do w:close() end
    table.sort(pairs_all, function(a, b)
      local ja, jb = fmt4(a.jaccard), fmt4(b.jaccard)
      if ja ~= jb then return ja > jb end
      if a.both ~= b.both then return a.both > b.both end
      if a.coder ~= b.coder then return a.coder < b.coder end
      if a.a ~= b.a then return a.a < b.a end
      return a.b < b.b
    end)
    local pairs_top = {}
    for i = 1, math.min(params.pairs, #pairs_all) do pairs_top[i] = pairs_all[i] end
    local agree, ndis
    if #coders == 2 then agree, ndis = agreement(ctx, coders, params) end
    write_section(ctx, { folder = params.folder, by = params.by, coders = coders,
                         groups = groups, comp = comp, cg = cg, found = found,
                         pairs_top = pairs_top, cov = cov, sat = sat, top_quotes = top_quotes,
                         agree = agree, ndis = ndis, kind = params.kind, alpha = params.alpha,
                         ntests = ntests, context_summary = context_summary })
    print(string.format("compare: by %s, %d groups, %d %s segments; %d keyness tests, %d " ..
                        "with p <= %g; tables in %s", params.by, #groups, #segs, params.kind,
                        ntests, #found, params.alpha, ctx.output_dir))
    return { by = params.by, groups = #groups, segments = #segs, coders = summary,
             tests = ntests, found = #found, output_dir = ctx.output_dir }
  end,
}
