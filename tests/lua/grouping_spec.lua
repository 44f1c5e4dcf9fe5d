-- grouping_spec.lua — groupings from Lua (core/lua/bind_group.c): thema.store.get_grouping,
-- groups and get_segments_by on the shipped study, checked against thema.segments and the
-- cases, the label filter, and bad specs raising with the known kinds and keys.
--
--   thema --quiet --db COPY_OF_STUDY_DB --out DIR script tests/lua/grouping_spec.lua
--   (tests/lua/run.sh does this)

local spec = require("spec")
local describe, it, eq, truthy, raises = spec.describe, spec.it, spec.eq, spec.truthy,
  spec.raises
local S = thema.store

describe("grouping", function()
  it("parses a spec and returns nil and a message for a bad one", function()
    local g = S.get_grouping("organisation.province")
    eq(g.spec, "organisation.province")
    eq(g.kind, "organisation")
    eq(g.key, "province")
    eq(S.get_grouping("network").key, nil)
    local none, msg = S.get_grouping("party")
    eq(none, nil)
    truthy(msg:find("unknown grouping 'party'", 1, true), msg)
    truthy(msg:find("organisation.KEY", 1, true), msg)
    none, msg = S.get_grouping("person.party")
    truthy(msg:find("known keys: function", 1, true), msg)
  end)
  it("is ctx.store's too", function() eq(type(thema.store.get_segments_by), "function") end)
end)

describe("groups", function()
  it("lists every network with members who did and did not speak", function()
    local groups = S.get_groups("network")
    local names = {}
    for i, g in ipairs(groups) do names[i] = g.name end
    eq(table.concat(names, ","), "Centrumsteden,Leuven-Hageland,Limburg")
    local lh = groups[2]
    local orgs = {}
    for _, o in ipairs(lh.organisations) do orgs[#orgs + 1] = o.name .. "=" .. o.turns end
    local want = {}
    for _, name in ipairs(S.members("Leuven-Hageland")) do
      want[#want + 1] = name .. "=" .. S.count_segments { organisation = name }
    end
    eq(table.concat(orgs, ","), table.concat(want, ","))
    truthy(table.concat(orgs, ","):find("Aarschot=0", 1, true))
    for _, p in ipairs(lh.persons) do
      truthy(p.organisation == "Diest" or p.organisation == "Landen" or
             p.organisation == "Leuven", p.name)
    end
    eq(#lh.sources, 0)
  end)
  it("gives sources and their speakers for a source grouping", function()
    local fg1
    for _, g in ipairs(S.get_groups("source")) do
      if g.name == "fg1-leuven-hageland" then fg1 = g end
    end
    eq(fg1.sources[1].name, "fg1-leuven-hageland")
    eq(fg1.sources[1].turns, S.count_segments { source = "fg1-leuven-hageland" })
    local persons = {}
    for sp in S.speakers { source = "fg1-leuven-hageland" } do persons[#persons + 1] = sp.person end
    table.sort(persons)
    local got = {}
    for _, p in ipairs(fg1.persons) do got[#got + 1] = p.name end
    eq(table.concat(got, ","), table.concat(persons, ","))
  end)
  it("raises on a bad spec, naming the argument", function()
    raises("bad argument #1 to 'get_groups' (grouping 'organisation.party': no organisation",
      function() S.get_groups("organisation.party") end)
  end)
end)

describe("get_segments_by", function()
  it("gives every segment once with nth 0, and more rows for more groups", function()
    local firsts, rows, ungrouped, genk = 0, 0, 0, 0
    for r in S.get_segments_by("network", { kind = "transcript" }) do
      rows = rows + 1
      if r.nth == 0 then firsts = firsts + 1 end
      if r.group == nil then ungrouped = ungrouped + 1 end
      if r.organisation == "Genk" then genk = genk + 1 end
    end
    eq(firsts, S.count_segments { kind = "transcript" })
    eq(ungrouped, S.count_segments { kind = "transcript", role = "interviewer" } +
      S.count_segments { kind = "transcript", organisation = { "AgII", "VVSG",
        "Instituut voor de Overheid" } })
    -- Genk is in Limburg and in the centrumsteden: each of its turns twice
    eq(genk, 2 * S.count_segments { organisation = "Genk" })
    truthy(rows > firsts)
  end)
  it("agrees with thema.segments row for row", function()
    local it_seg = S.segments { source = "fg3-limburg" }
    for r in S.get_segments_by("organisation", { source = "fg3-limburg" }) do
      local s = it_seg()
      eq(r.segment, s.id)
      eq(r.text, s.text)
      eq(r.organisation, s.organisation)
      eq(r.group, s.organisation)
      truthy(r.words > 0 or #r.text == 0)
    end
    eq(it_seg(), nil)
  end)
  it("keeps only the groups named by filter group", function()
    local n = 0
    for r in S.get_segments_by("network", { group = { "Leuven-Hageland" } }) do
      eq(r.group, "Leuven-Hageland")
      n = n + 1
    end
    eq(n, S.count_segments { member_of = "Leuven-Hageland" })
    local m = 0
    for _ in S.get_segments_by("organisation.centrumstad", { group = "ja", source = "fg1-leuven-hageland" }) do
      m = m + 1
    end
    eq(m, S.count_segments { source = "fg1-leuven-hageland", organisation = "Leuven" })
  end)
  it("closes on break and raises on a bad filter", function()
    for _ in S.get_segments_by("role") do break end
    raises("bad argument #2 to 'get_segments_by' (unknown filter 'colour'",
      function() S.get_segments_by("role", { colour = "x" }) end)
    raises("'group' is an empty list", function() S.get_segments_by("role", { group = {} }) end)
  end)
end)

spec.finish("grouping")
