-- participation — who belongs to each group and who took part (require("participation")):
-- composition.csv, participation.csv, organisations.csv, roles.csv and the
-- members' monitor figures (context.csv, context_summary.csv) of the compare
-- plugin, from its tally of the groups. Columns: docs/plugins.md §11.

local thema = require("thema")
local compare = thema.compare
local stats = thema.stats
local sorted_keys = require("tables").sorted_keys
local F = require("figures")
local NONE, fmt4, ratio, join = F.NONE, F.fmt4, F.ratio, F.join

local M = {}

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

function M.composition(ctx, groups, info, t, total_words)
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

function M.participation(ctx, groups, info, t)
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

function M.organisations(ctx, groups, info, t)
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

function M.roles(ctx, groups, info, t)
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

function M.context(ctx, store, groups, info, t)
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

return M
