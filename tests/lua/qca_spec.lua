-- qca_spec.lua — thema.qca (core/lua/bind_qca.c): the Lua face of the fuzzy-set
-- QCA kernels. The figures themselves are tested in tests/unit/test_qca.c; here:
-- values cross the boundary as documented (missing as nil, undefined figures as
-- nil fields, configurations as 0/1 arrays, case indices), both error channels
-- (misuse raises "bad argument", bad data returns nil plus the message), and the
-- CSV reader's errors name the file and line.
--
--   thema --quiet --db COPY_OF_STUDY_DB --out DIR script tests/lua/qca_spec.lua

local spec = require("spec")
local describe, it, eq, truthy, raises, has = spec.describe, spec.it, spec.eq, spec.truthy,
  spec.raises, spec.has

local qca = thema.qca

local function near(got, want, tol, what)
  if type(got) ~= "number" or math.abs(got - want) > (tol or 1e-9) then
    error(string.format("%s: got %s, want %.9f", what or "value", tostring(got), want), 2)
  end
end

describe("qca.calibrate", function()
  it("calibrates directly in both conventions, missing values staying nil", function()
    local a = { exclusion = 0, crossover = 5, inclusion = 10 }
    local r = assert(qca.calibrate({ 0, 5, 10, nil }, { anchors = a, n = 4 }))
    near(r[1], 0.05, 1e-12, "R exclusion")
    near(r[2], 0.5, 0, "crossover")
    near(r[3], 0.95, 1e-12, "R inclusion")
    eq(r[4], nil, "missing")
    local f = assert(qca.calibrate({ 10 }, { anchors = a, convention = "fsqca" }))
    near(f[1], 1 / (1 + math.exp(-3)), 1e-12, "fs/QCA inclusion")
    near(qca.log_odds("rqca"), math.log(19), 1e-12, "log-odds")
    eq(qca.log_odds("fsqca"), 3.0)
  end)
  it("calibrates indirectly", function()
    local r = assert(qca.calibrate({ 0, 1, 2, 3, 4, 5, 6, 7.5, 9 },
      { method = "indirect", anchors = { exclusion = 1, crossover = 3, inclusion = 5 } }))
    near(r[4], 0.50058186, 1e-7, "at the crossover")
  end)
  it("returns nil and a message for anchors out of order", function()
    local r, msg = qca.calibrate({ 1 }, { anchors = { exclusion = 5, crossover = 1, inclusion = 9 } })
    eq(r, nil)
    has(msg, "anchors out of order")
  end)
  it("raises on misuse", function()
    raises("method must be 'direct' or 'indirect', not 'x'", qca.calibrate, { 1 }, { anchors = {}, method = "x" })
    raises("unknown field 'bogus'", qca.calibrate, { 1 },
      { anchors = { exclusion = 0, crossover = 1, inclusion = 2 }, bogus = 1 })
    raises("field 'anchors' must be a table", qca.calibrate, { 1 }, {})
    raises("field 'crossover': number expected", qca.calibrate, { 1 },
      { anchors = { exclusion = 0, crossover = "a", inclusion = 2 } })
    raises("value [2] must be a number or nil, got string", qca.calibrate, { 1, "x" },
      { anchors = { exclusion = 0, crossover = 1, inclusion = 2 } })
  end)
end)

describe("qca.anchors", function()
  it("takes the 5th percentile, the median and the 95th percentile", function()
    local v = {}
    for i = 1, 21 do v[i] = i end
    local a = assert(qca.anchors(v))
    near(a.exclusion, 2, 1e-12)
    near(a.crossover, 11, 1e-12)
    near(a.inclusion, 20, 1e-12)
  end)
  it("returns nil and a message without spread", function()
    local a, msg = qca.anchors({ 3, 3, nil, 3 }, 4)
    eq(a, nil)
    has(msg, "without spread")
  end)
end)

describe("qca set relations", function()
  it("gives sufficiency and necessity, undefined figures nil", function()
    local s = assert(qca.sufficiency({ 0.2, 0.8 }, { 0.6, 0.4 }))
    near(s.consistency, 0.6, 1e-12)
    near(s.pri, 0, 1e-12)
    near(s.coverage, 0.6, 1e-12)
    local n = assert(qca.necessity({ 0.2, 0.8 }, { 0.6, 0.4 }))
    near(n.relevance, 1 / 1.4, 1e-12)
    local z = assert(qca.sufficiency({ 0, 0 }, { 0.6, 0.4 }))
    eq(z.consistency, nil, "0/0 is undefined")
    eq(z.coverage, 0.0)
  end)
  it("returns nil and a message for a membership outside [0, 1]", function()
    local s, msg = qca.sufficiency({ 0.2, 1.5 }, { 0.6, 0.4 })
    eq(s, nil)
    has(msg, "of case 2 is 1.5")
    raises("the outcome has 1 values, the condition 2", qca.necessity, { 0.2, 0.8 }, { 1 })
  end)
end)

describe("qca.truth_table and qca.minimise", function()
  -- True 011 110 111, false 000 001 (crisp): complex A*B + B*C, parsimonious B.
  local x = { { 0, 1, 1 }, { 1, 1, 0 }, { 1, 1, 1 }, { 0, 0, 0 }, { 0, 0, 1 } }
  local y = { 1, 1, 1, 0, 0 }
  it("lists every configuration with its cases", function()
    local tt = assert(qca.truth_table(x, y))
    eq(#tt, 8)
    spec.same(tt[4].config, { 0, 1, 1 })
    eq(tt[4].outcome, 1)
    eq(tt[4].n, 1)
    spec.same(tt[4].cases, { 1 })
    eq(tt[1].outcome, 0)
    eq(tt[3].outcome, "?", "010 is a remainder")
    eq(tt[3].incl, nil, "a remainder without membership has no consistency")
  end)
  it("minimises into the complex and the parsimonious solution", function()
    local c = assert(qca.minimise(x, y, { names = { "A", "B", "C" } }))
    eq(#c.models, 1)
    eq(c.models[1].expression, "A*B + B*C")
    spec.same(c.models[1].terms[1].cases, { 2, 3 })
    near(c.models[1].consistency, 1, 1e-12)
    local p = assert(qca.minimise(x, y, { names = { "A", "B", "C" }, remainders = true }))
    eq(p.models[1].expression, "B")
    spec.same(p.primes, { "A", "B" })
    near(p.models[1].terms[1].unique_coverage, 1, 1e-12)
  end)
  it("raises on misuse", function()
    raises("field 'names' has 2 names for 3 conditions", qca.minimise, x, y, { names = { "A", "B" } })
    raises("case 2 must be an array of 3 memberships", qca.truth_table, { { 0, 1, 1 }, { 1 } },
      { 1, 0 })
    raises("unknown field 'cut'", qca.truth_table, x, y, { cut = 1 })
    raises("field 'n_cut' must be at least 1", qca.truth_table, x, y, { n_cut = 0 })
  end)
end)

describe("qca.read_data", function()
  it("reads a table with numbers and missing cells (BOM, CRLF, decimal comma)", function()
    local path = thema.out.path("spec/data.csv")
    local f = assert(io.open(path, "w"))
    f:write("\xEF\xBB\xBFcase;A;Y\r\nx;0,25;1\r\ny;;-\r\n")
    f:close()
    local d = assert(qca.read_data(path))
    spec.same(d.header, { "case", "A", "Y" })
    eq(#d.rows, 2)
    eq(d.rows[1].case, "x")
    eq(d.rows[1].values[1], 0.25)
    eq(d.rows[2].line, 3)
    eq(d.rows[2].values[1], nil)
    eq(d.rows[2].values[2], nil)
  end)
  it("names the file and line of a bad cell", function()
    local path = thema.out.path("spec/bad.csv")
    local f = assert(io.open(path, "w"))
    f:write("case,A\nx,0.5\ny,much\n")
    f:close()
    local d, msg = qca.read_data(path)
    eq(d, nil)
    has(msg, path .. ":3: column A of case 'y': 'much' is not a number")
  end)
  it("refuses a path outside the readable folders", function()
    local d, msg = qca.read_data("/etc/passwd")
    eq(d, nil)
    has(msg, "outside the folders a plugin may read")
  end)
end)

spec.finish("qca")
