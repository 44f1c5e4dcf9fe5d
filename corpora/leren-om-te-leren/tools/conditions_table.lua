-- conditions_table.lua — the study's conditions scored by the preconditions
-- plugin for one coder or run, as the Markdown table of
-- docs/preconditions-study.md. Run on a store that `make run` built (the
-- deductive run and coder thesis are in it):
--
--   thema --db out/leren-om-te-leren/thema.db --out OUT script \
--     corpora/leren-om-te-leren/tools/conditions_table.lua thesis
--   ... conditions_table.lua deductive
--
-- The first argument is `thesis` (coder thesis), `deductive` (the latest ok
-- run of the deductive plugin) or a run id; the second the corpus folder. The
-- script runs `preconditions config=CORPUS/conditions.lua source=...` (its
-- default calibration: Ragin's direct method in R's QCA convention, with the
-- anchors of conditions.lua), so OUT/preconditions/ holds that run's tables,
-- and prints one row per case that has turns: `membership (raw;
-- supporting/opposing turns)` per condition, for schaalgrootte `membership
-- (inhabitants)`, and "–" for a missing case. Networks come first, in bold.

local conditions = require("conditions")

local who = arg[1] or "thesis"
local corpus = arg[2] or "corpora/leren-om-te-leren"
local source
if who == "thesis" then
  source = "coder:thesis"
elseif who == "deductive" then
  source = "plugin:deductive"
else
  source = "run:" .. assert(math.tointeger(tonumber(who)), "thesis, deductive or a run id")
end

local path = corpus .. "/conditions.lua"
local config = conditions.load(path, thema.store)
thema.run("preconditions", { config = path, source = source })

-- membership.csv holds no quoted cell (case and condition names have no comma
-- or quote; numbers are plain), so a split at commas reads it; a quote
-- would mean that this no longer holds.
local f = assert(io.open(thema.out.dir .. "/preconditions/membership.csv", "r"))
local header, rows = nil, {}
for line in f:lines() do
  assert(not line:find('"', 1, true), "membership.csv: a quoted cell; read it with a CSV parser")
  local cells = {}
  for cell in (line .. ","):gmatch("([^,]*),") do cells[#cells + 1] = cell end
  if not header then
    header = {}
    for i, name in ipairs(cells) do header[name] = i end
  else
    rows[#rows + 1] = cells
  end
end
f:close()
local function get(r, name) return r[header[name]] end

local entries = {}
for _, c in ipairs(config.conditions) do entries[#entries + 1] = c end
entries[#entries + 1] = config.outcome

local by_case, order = {}, {}
for _, r in ipairs(rows) do
  local key = get(r, "level") .. "\0" .. get(r, "case")
  if not by_case[key] then
    by_case[key] = { level = get(r, "level"), case = get(r, "case"), cells = {}, turns = 0 }
    order[#order + 1] = key
  end
  local c = by_case[key]
  c.cells[get(r, "condition")] = r
  c.turns = math.max(c.turns, tonumber(get(r, "base")) or 0)
end

local function cell(r, entry)
  if get(r, "membership") == "" then return "–" end
  local m, raw = tonumber(get(r, "membership")), tonumber(get(r, "raw"))
  if entry.raw == "codes" then
    return string.format("%.2f (%.3f; %s/%s)", m, raw, get(r, "support"), get(r, "oppose"))
  end
  return string.format("%.2f (%.0f)", m, raw)
end

local head = { "case", "turns" }
for _, e in ipairs(entries) do head[#head + 1] = e.name end
print("| " .. table.concat(head, " | ") .. " |")
print("|" .. string.rep("---|", #head))
for _, level in ipairs({ "network", "organisation" }) do
  for _, key in ipairs(order) do
    local c = by_case[key]
    if c.level == level and c.turns > 0 then
      local line = { level == "network" and "**" .. c.case .. "**" or c.case, tostring(c.turns) }
      for _, e in ipairs(entries) do line[#line + 1] = cell(c.cells[e.name], e) end
      print("| " .. table.concat(line, " | ") .. " |")
    end
  end
end
