-- code_tables — the codes of one coder across groups (require("code_tables")):
-- code_group.csv, keyness.csv, cooccurrence.csv, coverage.csv and
-- saturation.csv of the compare plugin. Every per-code figure walks the
-- code's own segments. Columns: docs/plugins.md §11.

local thema = require("thema")
local compare = thema.compare
local sorted_keys = require("tables").sorted_keys
local F = require("figures")
local NONE, ALL, fail, fmt4, fmtp, ratio, join = F.NONE, F.ALL, F.fail, F.fmt4, F.fmtp, F.ratio,
  F.join

local M = {}

-- A code is selected when there is no restriction, or it equals an entry of
-- codes or lies under one.
function M.code_selector(codes)
  if not codes then return function() return true end end
  return function(code)
    for _, want in ipairs(codes) do
      if code == want or code:sub(1, #want + 1) == want .. "/" then return true end
    end
    return false
  end
end

-- Per code, its segments in segment order: every per-code figure walks these
-- instead of every segment, so the cost grows with the codings.
function M.segments_by_code(segs, by_seg)
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

function M.code_group(csv, coder, codes, groups, t, by_seg, code_segs, rows)
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

function M.keyness(csv, coder, codes, groups, t, segs, code_segs, alpha, found)
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
                              d = d, f = compare.fisher(a, b, c, d),
                              k = compare.keyness(a, b, n_group, total - n_group) }
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
             fmt4(x.k.g2), fmt4(x.k.log_ratio), fmtp(x.k.p), direction }
    x.p_holm, x.direction = adj[i], direction
    if f.p <= alpha then found[#found + 1] = x end
  end
  return #tests
end

function M.cooccurrence(csv, coder, codes, segs, by_seg, pairs_out)
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

function M.coverage(csv, coder, groups, t, segs, by_seg, rows)
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
function M.source_order(store, segs, order)
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

function M.saturation(csv, coder, sources, segs, by_seg, rows)
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

return M
