-- attribute_filter_spec.lua — filters on any attribute in the iterators
-- (core/store/query.c, "attribute"): a source's, a person's or an
-- organisation's, each checked against the same rows counted in plain Lua.

local spec = require("spec")
local describe, it, eq, raises = spec.describe, spec.it, spec.eq, spec.raises
local S = thema.store

-- The organisations with attribute key = value, by hand.
local function orgs_with(key, value)
  local set = {}
  for o in S.organisations() do
    local a = S.get_attributes("organisation", o.name)
    if a[key] == value then set[o.name] = true end
  end
  return set
end

describe("attribute filters", function()
  it("segments by an organisation's attribute, as a loop counts them", function()
    local centrum = orgs_with("centrumstad", "ja")
    local want = 0
    for s in S.segments{ kind = "transcript" } do
      if s.organisation and centrum[s.organisation] then want = want + 1 end
    end
    eq(S.count_segments{ kind = "transcript", attribute = { centrumstad = "ja" } }, want)
    local n = 0
    for s in S.segments{ kind = "transcript", attribute = { centrumstad = "ja" } } do
      assert(centrum[s.organisation], s.organisation)
      n = n + 1
    end
    eq(n, want)
  end)
  it("a list of values is any of them; except leaves them out", function()
    local all = S.count_segments{ kind = "transcript" }
    local ja = S.count_segments{ kind = "transcript", attribute = { centrumstad = "ja" } }
    local nee = S.count_segments{ kind = "transcript", attribute = { centrumstad = "nee" } }
    eq(S.count_segments{ kind = "transcript", attribute = { centrumstad = { "ja", "nee" } } }, ja + nee)
    eq(S.count_segments{ kind = "transcript", except = { attribute = { centrumstad = "ja" } } }, all - ja)
  end)
  it("several attributes must all hold", function()
    local both = S.count_organisations{ attribute = { centrumstad = "ja", province = "Limburg" } }
    local by_hand = 0
    for o in S.organisations() do
      local a = S.get_attributes("organisation", o.name)
      if a.centrumstad == "ja" and a.province == "Limburg" then by_hand = by_hand + 1 end
    end
    eq(both, by_hand)
    eq(by_hand > 0, true)
  end)
  it("persons by their own attribute", function()
    local want = 0
    for p in S.persons() do
      if S.get_attributes("person", p.name)["function"] == "integratieambtenaar" then want = want + 1 end
    end
    eq(S.count_persons{ attribute = { ["function"] = "integratieambtenaar" } }, want)
  end)
  it("entities without attributes refuse the filter; a bad shape is named", function()
    raises("unknown filter 'attribute'", function() S.count_runs{ attribute = { x = "y" } } end)
    raises("filter 'attribute' must be a table of names and values, got string",
      function() S.count_segments{ attribute = "centrumstad" } end)
    raises("empty list", function() S.count_segments{ attribute = { centrumstad = {} } } end)
  end)
end)

spec.finish("attribute filters")
