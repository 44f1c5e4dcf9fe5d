-- example_plugin_spec.lua — the worked example of docs/plugins.md,
-- plugins/examples/turns_per_role.lua, run through thema.run (tests/lua/run.sh puts
-- plugins/examples on THEMA_PLUGIN_PATH) and checked against counts computed here,
-- independently, with thema.segments and thema.speakers.

local spec = require("spec")
local describe, it = spec.describe, spec.it
local eq, same, has, raises, truthy, read = spec.eq, spec.same, spec.has, spec.raises,
  spec.truthy, spec.read

local OUT = thema.out.dir

-- Parse the plugin's CSV (no quoting needed: names have no commas) into
-- counts[network][role] = turns, checking the header and that rows are sorted.
local function parse(text)
  local lines = {}
  for line in text:gmatch("([^\n]*)\n") do lines[#lines + 1] = line end
  eq(lines[1], "network,role,turns", "header")
  local counts, rows, prev = {}, 0, nil
  for i = 2, #lines do
    local network, role, turns = lines[i]:match("^([^,]*),([^,]*),(%d+)$")
    truthy(network, "row " .. i .. ": " .. lines[i])
    local key = network .. "\0" .. role
    truthy(prev == nil or prev < key, "rows sorted by network, then role")
    prev = key
    counts[network] = counts[network] or {}
    counts[network][role] = tonumber(turns)
    rows = rows + 1
  end
  return counts, rows
end

-- The same counts, from the store: turns per (network, role) of one kind of source.
local function expected(kind)
  local counts, total = {}, 0
  for seg in thema.segments{ kind = kind } do
    local network, role = seg.network or "(none)", seg.role or "(unmapped)"
    counts[network] = counts[network] or {}
    counts[network][role] = (counts[network][role] or 0) + 1
    total = total + 1
  end
  return counts, total
end

describe("turns_per_role", function()
  local run_id, result = thema.run("turns_per_role")
  local csv_path = OUT .. "/turns_per_role/turns_per_role.csv"
  local counts = parse(read(csv_path) or "")

  it("runs from plugins/examples and records its run", function()
    eq(math.type(run_id), "integer")
    local r = thema.runs{ id = run_id }()
    eq(r.plugin, "turns_per_role"); eq(r.status, "ok"); eq(r.version, "1.0.0")
    eq(r.params, '{"kind":"transcript"}', "the default parameter")
    same(result, { turns = 88 }, "returns the number of transcript turns")
  end)
  it("writes its table in OUT/turns_per_role/", function()
    truthy(read(csv_path), csv_path)
  end)
  it("counts what thema.segments counts, per network and role", function()
    local want, total = expected("transcript")
    same(counts, want, "turns per network and role")
    eq(total, 88)
  end)
  it("gives the numbers of the study", function()
    -- fg1: Diest (R1.1, 9 turns), Landen (R1.2, 3) and Leuven (R1.3, 5)
    eq(counts["Leuven-Hageland"]["integratieambtenaar"], 17)
    eq(counts["Centrumsteden"]["integratieambtenaar"], 28)
    eq(counts["Centrumsteden"]["interviewer"], 2)
    eq(counts["Centrumsteden"]["diensthoofd"], 6)
    eq(counts["Limburg"]["integratieambtenaar"], 17)
    -- the interviews have no network
    eq(counts["(none)"]["projectmanager"], 7); eq(counts["(none)"]["stafmedewerker"], 5)
  end)
  it("agrees with the speakers' turn counts", function()
    for network, roles in pairs(counts) do
      if network ~= "(none)" then
        for role, turns in pairs(roles) do
          local n = 0
          for sp in thema.speakers{ network = network, role = role } do n = n + sp.turns end
          eq(turns, n, network .. "/" .. role)
        end
      end
    end
  end)
  it("counts document paragraphs with kind=document", function()
    local _, r = thema.run("turns_per_role", { kind = "document" })
    eq(r.turns, 172)
    local got = parse(read(csv_path))
    same(got, { ["(none)"] = { ["(unmapped)"] = 172 } })
    eq(thema.runs{ id = run_id }().status, "replaced", "the second run replaces the first")
  end)
  it("refuses a kind outside its values", function()
    raises("turns_per_role: parameter kind must be one of transcript, document, not 'monitor'",
      function() return thema.run("turns_per_role", { kind = "monitor" }) end)
  end)
  it("has no parameters besides kind", function()
    has(select(2, pcall(thema.run, "turns_per_role", { unit = "segment" })),
      "unknown parameter 'unit'; accepted: kind", "message")
  end)
end)

spec.finish("example plugin")
