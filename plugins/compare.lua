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
-- Numbers are rounded at output only (4 decimals; p-values to 4 significant
-- digits); rows are sorted; nothing depends on pairs() order, so the same
-- store gives the same bytes.

local thema = require("thema")
local compare = thema.compare
local stats = thema.stats
local text = thema.text
local sorted_keys = require("tables").sorted_keys
local coders_lib = require("coders")
local section = require("section")

local NONE = "(none)"
local ALL = "(all)"

local function fail(fmt, ...) error(string.format(fmt, ...), 0) end

local function fmt4(x)
  if x == nil or x ~= x then return nil end
  local s = string.format("%.4f", x)
  if s == "-0.0000" then s = "0.0000" end
  return s
end

local function fmtp(p)
  if p == nil then return nil end
  return string.format("%.4g", p)
end

local function ratio(a, b) if b == 0 then return nil end return a / b end

local function pct(x) if x == nil then return "" end return string.format("%.1f%%", 100 * x) end

local function join(list) return table.concat(list, ";") end

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

-- ---- composition and participation ----

local function values_of(map, field, keys)
  local v = {}
  for i, k in ipairs(keys) do v[i] = map[k] and map[k][field] or 0 end
  return v
end

-- The key with the largest field (ties: the first by name), and its value.
local function top_of(map, field)
  local best, bestv = nil, -1
  for _, k in ipairs(sorted_keys(map)) do
    if map[k][field] > bestv then best, bestv = k, map[k][field] end
  end
  return best, bestv
end

local function composition(ctx, groups, info, t, total_words)
  local rows = {}
  local csv <close> = ctx.out.csv("composition.csv", {
    "group", "member_organisations", "present_organisations", "spoke_organisations",
    "silent_organisations", "absent_organisations", "member_persons", "speakers", "turns",
    "words", "words_per_turn", "word_share", "gini_speakers", "top_speaker",
    "top_speaker_share", "gini_organisations", "top_organisation", "top_organisation_share",
    "silent", "absent" })
  for _, g in ipairs(groups) do
    local x, gi = t[g], info[g]
    local present, spoke, silent, absent = 0, 0, {}, {}
    local org_words, org_names = {}, {}
    for _, o in ipairs(gi.organisations) do
      local talk = x.orgs[o.name]
      org_names[#org_names + 1] = o.name
      org_words[#org_words + 1] = talk and talk.words or 0
      if o.present_in then
        present = present + 1
        if talk then spoke = spoke + 1 else silent[#silent + 1] = o.name end
      else
        absent[#absent + 1] = o.name
      end
    end
    if #gi.organisations == 0 then -- no organisation members: the speakers' organisations
      org_names = sorted_keys(x.orgs)
      org_words = values_of(x.orgs, "words", org_names)
    end
    local speakers = sorted_keys(x.persons)
    local gini_sp = compare.gini(values_of(x.persons, "words", speakers))
    local top_sp, top_sp_words = top_of(x.persons, "words")
    local gini_org = compare.gini(org_words)
    local top_org, top_org_words = nil, -1
    for i, name in ipairs(org_names) do
      if org_words[i] > top_org_words then top_org, top_org_words = name, org_words[i] end
    end
    local row = {
      group = g, member_organisations = #gi.organisations,
      present_organisations = #gi.organisations > 0 and present or nil,
      spoke_organisations = #gi.organisations > 0 and spoke or nil,
      silent_organisations = #gi.organisations > 0 and #silent or nil,
      absent_organisations = #gi.organisations > 0 and #absent or nil,
      member_persons = #gi.persons, speakers = #speakers, turns = x.turns, words = x.words,
      words_per_turn = fmt4(ratio(x.words, x.turns)),
      word_share = fmt4(ratio(x.words, total_words)),
      gini_speakers = fmt4(gini_sp), top_speaker = top_sp,
      top_speaker_share = top_sp and fmt4(ratio(top_sp_words, x.words)) or nil,
      gini_organisations = fmt4(gini_org), top_organisation = x.words > 0 and top_org or nil,
      top_organisation_share = x.words > 0 and top_org and fmt4(ratio(top_org_words, x.words))
        or nil,
      silent = join(silent), absent = join(absent),
    }
    csv:row(row)
    rows[#rows + 1] = row
  end
  return rows
end

local function participation(ctx, groups, info, t)
  local csv <close> = ctx.out.csv("participation.csv", {
    "group", "person", "organisation", "role", "member", "present_in", "turns", "words",
    "turn_share", "word_share", "rank" })
  for _, g in ipairs(groups) do
    local x, gi = t[g], info[g]
    local people, seen = {}, {}
    for _, p in ipairs(gi.persons) do
      local talk = x.persons[p.name] or { turns = 0, words = 0 }
      people[#people + 1] = { name = p.name, organisation = p.organisation, role = p.role,
                              member = 1, present_in = join(p.present_in or {}),
                              turns = talk.turns, words = talk.words }
      seen[p.name] = true
    end
    for _, name in ipairs(sorted_keys(x.persons)) do
      if not seen[name] then
        local talk = x.persons[name]
        people[#people + 1] = { name = name, organisation = talk.organisation,
                                role = talk.role, member = 0, turns = talk.turns,
                                words = talk.words }
      end
    end
    table.sort(people, function(a, b)
      if a.words ~= b.words then return a.words > b.words end
      return a.name < b.name
    end)
    for i, p in ipairs(people) do
      csv:row{ g, p.name, p.organisation, p.role, p.member, p.present_in, p.turns, p.words,
               fmt4(ratio(p.turns, x.turns)), fmt4(ratio(p.words, x.words)), i }
    end
  end
end

local function organisations(ctx, groups, info, t)
  local csv <close> = ctx.out.csv("organisations.csv", {
    "group", "organisation", "member", "status", "present_in", "turns", "words",
    "word_share" })
  for _, g in ipairs(groups) do
    local x, gi = t[g], info[g]
    local seen = {}
    for _, o in ipairs(gi.organisations) do
      local talk = x.orgs[o.name]
      local status = talk and "spoke" or (o.present_in and "silent" or "absent")
      csv:row{ g, o.name, 1, status, join(o.present_in or {}), talk and talk.turns or 0,
               talk and talk.words or 0, fmt4(ratio(talk and talk.words or 0, x.words)) }
      seen[o.name] = true
    end
    for _, name in ipairs(sorted_keys(x.orgs)) do
      if not seen[name] then
        local talk = x.orgs[name]
        csv:row{ g, name, 0, "spoke", nil, talk.turns, talk.words,
                 fmt4(ratio(talk.words, x.words)) }
      end
    end
  end
end

local function roles(ctx, groups, info, t)
  local csv <close> = ctx.out.csv("roles.csv",
    { "group", "role", "member_persons", "speakers", "turns", "words", "word_share" })
  for _, g in ipairs(groups) do
    local x, gi = t[g], info[g]
    local members = {}
    for _, p in ipairs(gi.persons) do
      local r = p.role or NONE
      members[r] = (members[r] or 0) + 1
    end
    local names = {}
    for r in pairs(members) do names[r] = true end
    for r in pairs(x.roles) do names[r] = true end
    for _, r in ipairs(sorted_keys(names)) do
      local talk = x.roles[r] or { turns = 0, words = 0, speakers = {} }
      csv:row{ g, r, members[r] or 0, #sorted_keys(talk.speakers), talk.turns, talk.words,
               fmt4(ratio(talk.words, x.words)) }
    end
  end
end

-- ---- the monitor context of the members ----

local function context(ctx, store, groups, info, t)
  local by_case = {}
  for o in store.observations() do
    local list = by_case[o.case] or {}
    list[#list + 1] = o
    by_case[o.case] = list
  end
  local csv <close> = ctx.out.csv("context.csv", {
    "group", "organisation", "indicator", "period", "value", "raw", "unit", "source" })
  local summary = {} -- group -> "indicator\tperiod\tunit" -> values
  for _, g in ipairs(groups) do
    local orgs = {}
    for _, o in ipairs(info[g].organisations) do orgs[#orgs + 1] = o.name end
    if #orgs == 0 then orgs = sorted_keys(t[g].orgs) end
    summary[g] = {}
    for _, name in ipairs(orgs) do
      for _, o in ipairs(by_case[name] or {}) do
        csv:row{ g, name, o.indicator, o.period, o.value, o.raw, o.unit, o.source }
        if o.value then
          local key = o.indicator .. "\t" .. o.period .. "\t" .. (o.unit or "")
          local v = summary[g][key] or {}
          v[#v + 1] = o.value
          summary[g][key] = v
        end
      end
    end
  end
  csv:close()
  local sum <close> = ctx.out.csv("context_summary.csv", {
    "group", "indicator", "period", "unit", "organisations", "mean", "median", "min", "max" })
  local nvalues = 0
  for _, g in ipairs(groups) do
    for _, key in ipairs(sorted_keys(summary[g])) do
      local v = summary[g][key]
      local indicator, period, unit = key:match("^(.-)\t(.-)\t(.*)$")
      local total, lo, hi = 0, math.huge, -math.huge
      for _, x in ipairs(v) do total = total + x; lo = math.min(lo, x); hi = math.max(hi, x) end
      sum:row{ g, indicator, period, unit ~= "" and unit or nil, #v, fmt4(total / #v),
               fmt4(stats.quantile(v, 0.5)), fmt4(lo), fmt4(hi) }
      nvalues = nvalues + #v
    end
  end
  return summary, nvalues
end

-- ---- codings ----

-- A code is selected when there is no restriction, or it equals an entry of
-- codes or lies under one.
local function code_selector(codes)
  if not codes then return function() return true end end
  return function(code)
    for _, want in ipairs(codes) do
      if code == want or code:sub(1, #want + 1) == want .. "/" then return true end
    end
    return false
  end
end

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

-- Per code, its segments in segment order: every per-code figure walks these
-- instead of every segment, so the cost grows with the codings.
local function segments_by_code(segs, by_seg)
  local out = {}
  for _, s in ipairs(segs) do
    local here = by_seg[s.id]
    if here then
      for code in pairs(here) do
        local list = out[code] or {}
        list[#list + 1] = s
        out[code] = list
      end
    end
  end
  return out
end

local function code_group(csv, coder, codes, groups, t, by_seg, code_segs, rows)
  for _, code in ipairs(codes) do
    local nseg, ncod, speakers = {}, {}, {}
    for _, s in ipairs(code_segs[code]) do
      local c = by_seg[s.id][code]
      for _, g in ipairs(s.groups) do
        nseg[g] = (nseg[g] or 0) + 1
        ncod[g] = (ncod[g] or 0) + c.codings
        if s.person then
          speakers[g] = speakers[g] or {}
          speakers[g][s.person] = true
        end
      end
    end
    for _, g in ipairs(groups) do
      local x = t[g]
      local n = nseg[g] or 0
      local nspeakers = speakers[g] and #sorted_keys(speakers[g]) or 0
      local ngroup_speakers = #sorted_keys(x.persons)
      csv:row{ coder.label, code, g, n, x.turns, fmt4(ratio(n, x.turns)), ncod[g] or 0,
               x.words, fmt4(x.words > 0 and 1000 * n / x.words or nil), nspeakers,
               ngroup_speakers, fmt4(ratio(nspeakers, ngroup_speakers)) }
      rows[#rows + 1] = { coder = coder.label, code = code, group = g, segments = n,
                          share = ratio(n, x.turns),
                          rate = x.words > 0 and 1000 * n / x.words or nil }
    end
  end
end

-- Holm's step-down adjustment of a list of p-values (same order back).
local function holm(ps)
  local order = {}
  for i = 1, #ps do order[i] = i end
  table.sort(order, function(a, b)
    if ps[a] ~= ps[b] then return ps[a] < ps[b] end
    return a < b
  end)
  local adj, running, m = {}, 0, #ps
  for rank, i in ipairs(order) do
    running = math.max(running, math.min(1, (m - rank + 1) * ps[i]))
    adj[i] = running
  end
  return adj
end

local function keyness(csv, coder, codes, groups, t, segs, code_segs, alpha, found)
  local tests = {}
  local total = #segs
  for _, code in ipairs(codes) do
    local list = code_segs[code]
    local with, in_group = #list, {}
    for _, s in ipairs(list) do
      for _, g in ipairs(s.groups) do in_group[g] = (in_group[g] or 0) + 1 end
    end
    for _, g in ipairs(groups) do
      local n_group = t[g].turns
      if g ~= NONE and n_group > 0 and n_group < total then
        local a = in_group[g] or 0
        local b, c = with - a, n_group - a
        local d = total - n_group - b
        tests[#tests + 1] = { coder = coder.label, code = code, group = g, a = a, b = b, c = c,
                              d = d, f = compare.fisher(a, b, c, d) }
      end
    end
  end
  local ps = {}
  for i, x in ipairs(tests) do ps[i] = x.f.p end
  local adj = holm(ps)
  for i, x in ipairs(tests) do
    local f = x.f
    local share_in, share_out = ratio(x.a, x.a + x.c), ratio(x.b, x.b + x.d)
    local direction = "same"
    if (share_in or 0) > (share_out or 0) then direction = "more" end
    if (share_in or 0) < (share_out or 0) then direction = "less" end
    csv:row{ coder.label, x.code, x.group, x.a, x.b, x.c, x.d, fmt4(share_in), fmt4(share_out),
             fmt4(f.expected), fmt4(f.odds_ratio), fmt4(f.ci_lo), fmt4(f.ci_hi),
             fmt4(f.log_odds), fmtp(f.p), fmtp(f.p_greater), fmtp(f.p_less), fmtp(adj[i]),
             direction }
    x.p_holm, x.direction = adj[i], direction
    if f.p <= alpha then found[#found + 1] = x end
  end
  return #tests
end

local function cooccurrence(csv, coder, codes, segs, by_seg, pairs_out)
  local n = #segs
  local count, both = {}, {}
  for _, s in ipairs(segs) do
    local here = by_seg[s.id]
    if here then
      local list = sorted_keys(here)
      for i, a in ipairs(list) do
        count[a] = (count[a] or 0) + 1
        for j = i + 1, #list do
          local key = a .. "\0" .. list[j]
          both[key] = (both[key] or 0) + 1
        end
      end
    end
  end
  for i, a in ipairs(codes) do
    for j = i + 1, #codes do
      local b = codes[j]
      local nab, na, nb = both[a .. "\0" .. b] or 0, count[a] or 0, count[b] or 0
      local jac, lift = compare.cooccurrence(nab, na, nb, n)
      csv:row{ coder.label, a, b, nab, na, nb, n, fmt4(n > 0 and na * nb / n or 0), fmt4(jac),
               fmt4(lift) }
      if nab > 0 then
        pairs_out[#pairs_out + 1] = { coder = coder.label, a = a, b = b, both = nab,
                                      jaccard = jac, lift = lift }
      end
    end
  end
end

local function coverage(csv, coder, groups, t, segs, by_seg, rows)
  local function measure(list)
    local by_role = {}
    local function add(role, s)
      local r = by_role[role] or { turns = 0, coded = 0, words = 0, coded_words = 0 }
      r.turns, r.words = r.turns + 1, r.words + s.words
      if by_seg[s.id] then r.coded, r.coded_words = r.coded + 1, r.coded_words + s.words end
      by_role[role] = r
    end
    for _, s in ipairs(list) do
      add(s.role or NONE, s)
      add(ALL, s)
    end
    return by_role
  end
  local all_groups = {}
  for _, g in ipairs(groups) do all_groups[#all_groups + 1] = g end
  all_groups[#all_groups + 1] = ALL
  for _, g in ipairs(all_groups) do
    local by_role = measure(g == ALL and segs or t[g].segs)
    for _, role in ipairs(sorted_keys(by_role)) do
      local r = by_role[role]
      csv:row{ coder.label, g, role, r.turns, r.coded, fmt4(ratio(r.coded, r.turns)), r.words,
               r.coded_words, fmt4(ratio(r.coded_words, r.words)) }
      if role == ALL then
        rows[#rows + 1] = { coder = coder.label, group = g, turns = r.turns, coded = r.coded,
                            turn_share = ratio(r.coded, r.turns),
                            word_share = ratio(r.coded_words, r.words) }
      end
    end
  end
end

-- The sources in scope in the order given (params.order), else by date then
-- name; a name in order that is not in scope is an error.
local function source_order(store, segs, order)
  local present, list = {}, {}
  for _, s in ipairs(segs) do
    if not present[s.source] then present[s.source] = true; list[#list + 1] = s.source end
  end
  if order then
    for _, name in ipairs(order) do
      if not present[name] then
        fail("order: no source '%s' among the compared ones (%s)", name, table.concat(list, ", "))
      end
    end
    local given, out = {}, {}
    for _, name in ipairs(order) do given[name] = true; out[#out + 1] = name end
    for _, name in ipairs(list) do if not given[name] then out[#out + 1] = name end end
    return out
  end
  local date = {}
  for s in store.sources() do date[s.name] = s.date or "" end
  table.sort(list, function(a, b)
    if date[a] ~= date[b] then return date[a] < date[b] end
    return a < b
  end)
  return list
end

local function saturation(csv, coder, sources, segs, by_seg, rows)
  local by_source = {}
  for _, s in ipairs(segs) do
    local x = by_source[s.source] or { segments = 0, coded = 0, codes = {} }
    x.segments = x.segments + 1
    if by_seg[s.id] then
      x.coded = x.coded + 1
      for code in pairs(by_seg[s.id]) do x.codes[code] = true end
    end
    by_source[s.source] = x
  end
  local seen, cumulative = {}, 0
  for i, name in ipairs(sources) do
    local x = by_source[name]
    local new = {}
    for _, code in ipairs(sorted_keys(x.codes)) do
      if not seen[code] then seen[code] = true; new[#new + 1] = code end
    end
    cumulative = cumulative + #new
    csv:row{ coder.label, i, name, x.segments, x.coded, #sorted_keys(x.codes), #new, cumulative,
             join(new) }
    rows[#rows + 1] = { coder = coder.label, position = i, source = name, new = #new,
                        cumulative = cumulative }
  end
end

-- ---- representative quotes ----

-- The stemmed content words of a text, counted. A word form's term (false
-- for a stop word, a number or a word of one or two letters) is worked out
-- once per run: folding and stemming every token again costs most of the time.
local stop = text.stopwords()
local function term_of(cache, w)
  local t = cache[w]
  if t == nil then
    local f = text.casefold(w)
    t = not stop[f] and utf8.len(f) > 2 and not f:match("^%d+$") and text.stem(f)
    cache[w] = t
  end
  return t
end

local function terms(s, cache)
  local counts = {}
  for _, _, w in text.words(s) do
    local t = term_of(cache, w)
    if t then counts[t] = (counts[t] or 0) + 1 end
  end
  return counts
end

-- Per coded segment, its tf-idf vector over the segments in scope (unit
-- length), and its text: one more pass over the segments, keeping only what
-- the coded ones need.
local function vectors(store, kind, by_id, by_seg)
  local tf, df, n, cache, texts = {}, {}, 0, {}, {}
  for r in store.segments{ kind = kind } do
    if by_id[r.id] then
      n = n + 1
      local counts = terms(r.text, cache)
      if by_seg[r.id] then
        tf[r.id] = counts
        texts[r.id] = r.text
      end
      for term in pairs(counts) do df[term] = (df[term] or 0) + 1 end
    end
  end
  local vec = {}
  for id, counts in pairs(tf) do
    local v, norm = {}, 0
    for _, term in ipairs(sorted_keys(counts)) do
      local w = (1 + math.log(counts[term])) * math.log(n / df[term])
      v[term] = w
      norm = norm + w * w
    end
    norm = math.sqrt(norm)
    if norm > 0 then for term, w in pairs(v) do v[term] = w / norm end end
    vec[id] = v
  end
  return vec, texts
end

-- For each code, its centroid over every segment with it; each coded
-- segment's score is the cosine with its code's centroid: how typical it is
-- of everything coded so.
local function quotes(csv, ctx, kind, coder, codes, groups, by_id, by_seg, code_segs, per_cell,
                      out)
  local vec, texts = vectors(ctx.store, kind, by_id, by_seg)
  local terms_of = {} -- segment id -> its terms, sorted
  for id, v in pairs(vec) do terms_of[id] = sorted_keys(v) end
  for _, code in ipairs(codes) do
    local centroid = {}
    for _, s in ipairs(code_segs[code]) do
      for _, term in ipairs(terms_of[s.id]) do
        centroid[term] = (centroid[term] or 0) + vec[s.id][term]
      end
    end
    local norm = 0
    for _, term in ipairs(sorted_keys(centroid)) do norm = norm + centroid[term] ^ 2 end
    norm = math.sqrt(norm)
    local cands_of = {}
    for _, s in ipairs(code_segs[code]) do
      local dot = 0
      for _, term in ipairs(terms_of[s.id]) do
        dot = dot + vec[s.id][term] * (centroid[term] or 0)
      end
      local cand = { s = s, span = by_seg[s.id][code].span, score = norm > 0 and dot / norm or 0 }
      for _, g in ipairs(s.groups) do
        cands_of[g] = cands_of[g] or {}
        table.insert(cands_of[g], cand)
      end
    end
    for _, g in ipairs(groups) do
      local cands = cands_of[g] or {}
      table.sort(cands, function(a, b)
        local sa, sb = fmt4(a.score), fmt4(b.score) -- compare what is printed: no float noise
        if sa ~= sb then return sa > sb end
        if a.s.source ~= b.s.source then return a.s.source < b.s.source end
        return a.s.ordinal < b.s.ordinal
      end)
      for rank = 1, math.min(per_cell, #cands) do
        local q = cands[rank]
        csv:row{ coder.label, code, g, rank, q.s.source, q.s.ordinal, q.s.speaker,
                 q.s.organisation, fmt4(q.score), q.span, texts[q.s.id] }
        if rank == 1 then
          out[#out + 1] = { coder = coder.label, code = code, group = g, source = q.s.source,
                            ordinal = q.s.ordinal, speaker = q.s.speaker, span = q.span,
                            text = texts[q.s.id] }
        end
      end
    end
  end
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

local function write_section(ctx, folder, by, coders, groups, comp, cg, found, pairs_top, cov, sat,
                             top_quotes, agree, ndis, kind, alpha, ntests, nvalues)
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
                        r.spoke_organisations, r.absent_organisations, r.speakers, r.turns,
                        r.words, r.gini_speakers, r.top_speaker, r.top_speaker_share }
  end
  s:table({ "group", "member orgs", "present", "spoke", "absent", "speakers", "turns", "words",
            "Gini (speakers' words)", "top speaker", "top share" }, rows,
          { align = { "l", "r", "r", "r", "r", "r", "r", "r", "r", "l", "r" },
            caption = "present: a member with a person at some table (cases.csv); spoke: " ..
                      "quoted in the group's segments. Details: participation.csv, " ..
                      "organisations.csv, roles.csv." })
  if nvalues > 0 then
    s:para("Monitor context of the members: context.csv (every value) and " ..
           "context_summary.csv (mean, median, range per group and indicator).")
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
                          fmt4(x.f.ci_hi)), fmtp(x.f.p), fmtp(x.p_holm) }
  end
  s:table({ "coder", "code", "group", "uses it", "group vs rest", "odds ratio", "95% interval",
            "p (Fisher)", "p (Holm)" }, krows,
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
  local sel = code_selector(codes)
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
    local selected = check_codes(store, params.codes) or code_selector(nil)

    local segs, by_id = load_segments(store, params.by, params.kind)
    if #segs == 0 then fail("no %s segments in the store; import some first", params.kind) end
    local groups, info = load_groups(store, grouping, segs)
    local sources = source_order(store, segs, params.order) -- checked before anything is written
    local t = tally_groups(segs, groups)
    local total_words = 0
    for _, s in ipairs(segs) do total_words = total_words + s.words end

    local comp = composition(ctx, groups, info, t, total_words)
    participation(ctx, groups, info, t)
    organisations(ctx, groups, info, t)
    roles(ctx, groups, info, t)
    local _, nvalues = context(ctx, store, groups, info, t)

    local cg_csv <close> = ctx.out.csv("code_group.csv", {
      "coder", "code", "group", "segments", "group_segments", "share", "codings", "words",
      "rate_per_1000_words", "speakers", "group_speakers", "speaker_share" })
    local key_csv <close> = ctx.out.csv("keyness.csv", {
      "coder", "code", "group", "a", "b", "c", "d", "group_share", "other_share", "expected",
      "odds_ratio", "ci_lo", "ci_hi", "log_odds", "p", "p_greater", "p_less", "p_holm",
      "direction" })
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
      local code_segs = segments_by_code(segs, by_seg)
      code_group(cg_csv, coder, codes, groups, t, by_seg, code_segs, cg)
      ntests = ntests + keyness(key_csv, coder, codes, groups, t, segs, code_segs, params.alpha,
                                found)
      cooccurrence(co_csv, coder, codes, segs, by_seg, pairs_all)
      coverage(cov_csv, coder, groups, t, segs, by_seg, cov)
      saturation(sat_csv, coder, sources, segs, by_seg, sat)
      quotes(q_csv, ctx, params.kind, coder, codes, groups, by_id, by_seg, code_segs,
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
    write_section(ctx, params.folder, params.by, coders, groups, comp, cg, found, pairs_top, cov, sat,
                  top_quotes, agree, ndis, params.kind, params.alpha, ntests, nvalues)
    print(string.format("compare: by %s, %d groups, %d %s segments; %d keyness tests, %d " ..
                        "with p <= %g; tables in %s", params.by, #groups, #segs, params.kind,
                        ntests, #found, params.alpha, ctx.output_dir))
    return { by = params.by, groups = #groups, segments = #segs, coders = summary,
             tests = ntests, found = #found, output_dir = ctx.output_dir }
  end,
}
