-- conditions_table.lua — the study's conditions scored for one coder or run, as
-- the Markdown tables of docs/preconditions-study.md. Run on a store that `make
-- run` built (the deductive run and coder thesis are in it):
--
--   thema --db out/leren-om-te-leren/thema.db script \
--     corpora/leren-om-te-leren/tools/conditions_table.lua thesis
--   thema --db out/leren-om-te-leren/thema.db script \
--     corpora/leren-om-te-leren/tools/conditions_table.lua deductive
--
-- The first argument is `thesis` (coder thesis), `deductive` (the latest ok
-- run of the deductive plugin) or a run id. The raw values come from
-- plugins/lib/conditions.lua; membership is an INTERIM calibration, Ragin's
-- direct method with log-odds of exactly -3, 0 and +3 at the anchors of
-- conditions.lua (fs/QCA's convention), computed here so that the tables can
-- be read before the precondition plugin's own calibration is used. Cells:
-- membership (raw; support/oppose turns), "–" for a missing case.

local conditions = require("conditions")

local who = arg[1] or "thesis"
local spec
if who == "thesis" then
  spec = { coder = "thesis" }
elseif who == "deductive" then
  for r in thema.store.runs{ plugin = "deductive", status = "ok" } do spec = { run = r.id } end
  if not spec then error("no ok run of the deductive plugin; run it first", 0) end
else
  spec = { run = assert(math.tointeger(tonumber(who)), "thesis, deductive or a run id") }
end

local config = conditions.load((arg[2] or "corpora/leren-om-te-leren") .. "/conditions.lua",
                               thema.store)
local rows = conditions.evidence(thema.store, config, spec)

-- Ragin's direct method: log-odds 3 (x - c) / (i - c) above the crossover,
-- 3 (x - c) / (c - e) below it; membership exp(lo) / (1 + exp(lo)).
local function interim(raw, a)
  if raw == nil then return nil end
  local lo = raw >= a.crossover and 3 * (raw - a.crossover) / (a.inclusion - a.crossover)
             or 3 * (raw - a.crossover) / (a.crossover - a.exclusion)
  return 1 / (1 + math.exp(-lo))
end

local entries = {}
for _, c in ipairs(config.conditions) do entries[#entries + 1] = c end
entries[#entries + 1] = config.outcome

local function cell(r, entry)
  if r.raw == nil then return "–" end
  local m = interim(r.raw, entry.calibration.anchors)
  local raw = entry.raw == "codes" and string.format("%.3f", r.raw) or
              string.format("%.0f", r.raw)
  if entry.raw == "codes" then
    return string.format("%.2f (%s; %d/%d)", m, raw, r.support, r.oppose)
  end
  return string.format("%.2f (%s)", m, raw)
end

local by_case, order = {}, {}
for _, r in ipairs(rows) do
  local key = r.level .. "\0" .. r.case
  if not by_case[key] then
    by_case[key] = { level = r.level, case = r.case, turns = r.turns, cells = {} }
    order[#order + 1] = key
  end
  by_case[key].cells[r.condition] = r
end

local header = { "case", "turns" }
for _, e in ipairs(entries) do header[#header + 1] = e.name end
print("| " .. table.concat(header, " | ") .. " |")
print("|" .. string.rep("---|", #header))
for _, level in ipairs({ "network", "organisation" }) do
  for _, key in ipairs(order) do
    local c = by_case[key]
    if c.level == level and c.turns > 0 then
      local line = { (level == "network" and "**" .. c.case .. "**" or c.case), tostring(c.turns) }
      for _, e in ipairs(entries) do line[#line + 1] = cell(c.cells[e.name], e) end
      print("| " .. table.concat(line, " | ") .. " |")
    end
  end
end
