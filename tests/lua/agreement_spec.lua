-- agreement_spec.lua: specs for plugins/lib/agreement.lua (inter-coder agreement).
--
-- Run from anywhere:  lua5.4 tests/lua/agreement_spec.lua
-- The describe/it runner, the assertions and the CSV reader are tests/lua/lib/spec.lua's;
-- the expected values are worked out by hand in the comments next to each case. The last
-- line of output is "N passed, N failed"; the exit status is non-zero when anything failed.
-- Fixtures are looked up in $THEMA_AGREEMENT_FIXTURES, then tests/fixtures/agreement/
-- (a copy of the shared fixtures, with their published figures in tests/fixtures/README.md).

local spec_dir = (arg and arg[0] or ""):match("^(.*)[/\\]") or "."
local root = spec_dir .. "/../.."
local lib_path = root .. "/plugins/lib/agreement.lua"
if package then -- plain lua5.4; under `thema script` require() already finds these
  package.path = root .. "/plugins/lib/?.lua;" .. root .. "/tests/lua/lib/?.lua;"
    .. package.path
end

local A = require("agreement")
local spec = require("spec")
local describe, it, eq, same, fmt = spec.describe, spec.it, spec.eq, spec.same, spec.fmt

-- Assertions ----------------------------------------------------------------------------

-- Equal when rounded to 4 decimals, the precision the reference values are given in.
local function eq4(got, want, what)
  if type(got) ~= "number" or string.format("%.4f", got) ~= want then
    error(string.format("%s: expected %s, got %s", what or "value", want, fmt(got)), 2)
  end
end

local function near(got, want, what)
  if type(got) ~= "number" or math.abs(got - want) > 1e-12 then
    error(string.format("%s: expected %s, got %s", what or "value", fmt(want), fmt(got)), 2)
  end
end

-- Calls f and checks it raised exactly `want` (without the position prefix) and that the
-- error is blamed on this spec file, i.e. on the caller of the library function.
local function raises(f, want)
  local ok, err = pcall(f)
  if ok then error("expected an error: " .. want, 2) end
  err = tostring(err)
  local where, msg = err:match("^(.-:%d+): (.*)$")
  if msg ~= want then error("expected error " .. fmt(want) .. ", got " .. fmt(err), 2) end
  if not where:find("agreement_spec.lua", 1, true) then
    error("error blamed on " .. where .. ", not on the caller", 2)
  end
end

-- Fixtures ------------------------------------------------------------------------------

local function find_fixture(name)
  local dirs = { root .. "/tests/fixtures/agreement" }
  local env = os.getenv("THEMA_AGREEMENT_FIXTURES")
  if env and env ~= "" then table.insert(dirs, 1, env) end
  for _, dir in ipairs(dirs) do
    local path = dir .. "/" .. name
    local f = io.open(path, "r")
    if f then f:close(); return path end
  end
  error("fixture " .. name .. " not found in " .. table.concat(dirs, ", "))
end

-- Reads a fixture "unit,coder1,coder2,..." into a reliability matrix; empty = missing.
local function read_matrix(name)
  local m = { coders = {}, units = {}, values = {} }
  local header = true
  local text = assert(spec.read(find_fixture(name))):gsub("\r\n", "\n")
  for _, f in ipairs(spec.parse_csv(text)) do
    if not (#f == 1 and f[1] == "") then -- a blank line
      if header then
        for j = 2, #f do m.coders[j - 1] = f[j] end
        header = false
      else
        local u = #m.units + 1
        m.units[u] = f[1]
        m.values[u] = {}
        for j = 2, #f do
          if f[j] ~= "" then m.values[u][j - 1] = f[j] end
        end
      end
    end
  end
  return m
end

-- Builds a matrix from one list per coder (nil = missing); units are named u1, u2, ...
local function matrix(nunits, ...)
  local cols = { ... }
  local m = { coders = {}, units = {}, values = {} }
  for j = 1, #cols do m.coders[j] = "c" .. j end
  for u = 1, nunits do
    m.units[u] = "u" .. u
    m.values[u] = {}
    for j = 1, #cols do m.values[u][j] = cols[j][u] end
  end
  return m
end

-- Specs -----------------------------------------------------------------------------------

describe("diagnoses-raters-1-2.csv", function()
  -- 30 units, 2 raters, 5 diagnoses; 22 equal -> 73.33 %.
  -- Both coded all 30: kappa = (30*22 - S) / (900 - S) with S = sum n_a(c) n_b(c) = 212,
  -- i.e. 448 / 688 = 0.6512. Alpha: 8 disagreeing units, each 2 off-diagonal
  -- coincidences, n = 60 -> Do = 16/60; De = 0.7599 -> alpha = 0.6491.
  local ok, m = pcall(read_matrix, "diagnoses-raters-1-2.csv")

  it("reads 30 units and 2 coders", function()
    assert(ok, m)
    eq(#m.units, 30, "units"); eq(#m.coders, 2, "coders")
    eq(m.values[1][1], "4. Neurosis", "first value")
  end)

  it("has percent agreement 73.33 % over 30 units", function()
    assert(ok, m)
    local p, n = A.percent_agreement(m, 1, 2)
    eq(string.format("%.2f", p * 100), "73.33", "percent"); eq(n, 30, "n")
  end)

  it("has Cohen's kappa 0.6512", function()
    assert(ok, m)
    local k, s = A.cohen_kappa(m, 1, 2)
    eq4(k, "0.6512", "kappa"); near(k, 448 / 688, "kappa exact")
    near(s.po, 22 / 30, "po"); near(s.pe, 212 / 900, "pe"); eq(s.n, 30, "n")
  end)

  it("has Krippendorff's alpha (nominal) 0.6491", function()
    assert(ok, m)
    local a, s = A.krippendorff_alpha_nominal(m)
    eq4(a, "0.6491", "alpha"); eq(s.n, 60, "pairable values"); eq(s.units, 30, "units")
    near(s.do_, 16 / 60, "Do"); near(a, 1 - s.do_ / s.de, "alpha = 1 - Do/De")
  end)

  it("lists the 8 disagreements in unit order", function()
    assert(ok, m)
    local d = A.disagreements(m, 1, 2)
    eq(#d, 8, "count")
    local units = {}
    for i, x in ipairs(d) do units[i] = x.unit end
    eq(table.concat(units, " "), "3 11 12 14 20 22 25 29", "units")
    same(d[1], { unit = "3", a = "2. Personality Disorder", b = "3. Schizophrenia", index = 3 })
  end)

  it("bootstraps a 95 % interval that contains the point estimate", function()
    assert(ok, m)
    local a = A.krippendorff_alpha_nominal(m)
    local ci = A.bootstrap_alpha(m)
    eq(ci.level, 0.95, "level"); eq(ci.samples + ci.skipped, 1000, "samples + skipped")
    eq(ci.alpha, a, "point estimate")
    assert(ci.lo <= a and a <= ci.hi, ("%g not in [%g, %g]"):format(a, ci.lo, ci.hi))
    assert(ci.lo < ci.hi, "empty interval")
  end)

  it("bootstraps the same bytes for the same seed (golden values, seed 1)", function()
    assert(ok, m)
    local x = A.bootstrap_alpha(m, { seed = 1, samples = 1000 })
    local y = A.bootstrap_alpha(m, {})
    same(x, y)
    -- Pinned: a change here means the PRNG, the resampling or the quantile changed.
    eq(string.format("%.4f %.4f %d %d", x.lo, x.hi, x.samples, x.skipped),
      "0.4182 0.8562 1000 0", "interval")
  end)

  it("bootstraps differently for a different seed", function()
    assert(ok, m)
    local x = A.bootstrap_alpha(m, { seed = 1, samples = 200 })
    local y = A.bootstrap_alpha(m, { seed = 2, samples = 200 })
    assert(x.lo ~= y.lo or x.hi ~= y.hi, "seed has no effect")
    local z = A.bootstrap_alpha(m, { seed = 2.0, samples = 200, level = 0.9 })
    assert(z.lo >= y.lo and z.hi <= y.hi, "90 % interval not inside the 95 % one")
  end)
end)

describe("missing-small.csv", function()
  -- 12 units, s05 and s06 coded by one coder only. Coded by both: 10, equal on 7 -> 70 %.
  -- Over the 10: A used werk 3, taal 3, wonen 2, discriminatie 2; B werk 5, taal 3,
  -- wonen 1, discriminatie 1; S = 15 + 9 + 2 + 2 = 28; kappa = (70 - 28)/(100 - 28)
  -- = 42/72 = 0.5833.
  -- Alpha: s05, s06 are not pairable; n = 20 values: werk 8, taal 6, wonen 3, discr. 3,
  -- sum n_c^2 = 118; 3 disagreeing units give sum_{c~=k} o_ck = 6;
  -- alpha = 1 - (n-1) * 6 / (400 - 118) = 1 - 114/282 = 0.5957.
  local ok, m = pcall(read_matrix, "missing-small.csv")

  it("reads 12 units with 2 missing values", function()
    assert(ok, m)
    eq(#m.units, 12, "units"); eq(m.values[5][2], nil, "s05 coderB"); eq(m.values[6][1], nil, "s06 coderA")
  end)

  it("has percent agreement 70.00 % over the 10 units coded by both", function()
    assert(ok, m)
    local p, n = A.percent_agreement(m, 1, 2)
    eq(string.format("%.2f", p * 100), "70.00", "percent"); eq(n, 10, "n")
  end)

  it("has Cohen's kappa 0.5833 over the 10 units", function()
    assert(ok, m)
    local k, s = A.cohen_kappa(m, 1, 2)
    eq4(k, "0.5833", "kappa"); near(k, 42 / 72, "kappa exact"); eq(s.n, 10, "n")
    near(s.pe, 28 / 100, "pe")
  end)

  it("has Krippendorff's alpha 0.5957 with the unpairable units dropped", function()
    assert(ok, m)
    local a, s = A.krippendorff_alpha_nominal(m)
    eq4(a, "0.5957", "alpha"); near(a, 168 / 282, "alpha exact")
    eq(s.n, 20, "pairable values"); eq(s.units, 10, "pairable units")
  end)

  it("does not change the matrix it is given", function()
    assert(ok, m)
    local before = read_matrix("missing-small.csv")
    A.krippendorff_alpha_nominal(m); A.bootstrap_alpha(m, { samples = 10 })
    A.cohen_kappa(m, 2, 1); A.disagreements(m, 1, 2)
    same(m, before)
  end)
end)

describe("hand-worked cases", function()
  it("perfect agreement gives 1 everywhere", function()
    -- a b c a / a b c a: po = 1, pe = (2*2 + 1 + 1)/16 = 6/16, kappa = 1; Do = 0, alpha = 1.
    local m = matrix(4, { "a", "b", "c", "a" }, { "a", "b", "c", "a" })
    eq(A.percent_agreement(m, 1, 2), 1.0, "percent")
    local k, s = A.cohen_kappa(m, 1, 2)
    eq(k, 1.0, "kappa"); eq(s.pe, 6 / 16, "pe")
    eq(A.krippendorff_alpha_nominal(m), 1.0, "alpha")
    same(A.disagreements(m, 1, 2), {})
  end)

  it("systematic disagreement gives kappa -1 and alpha -0.75", function()
    -- x y x y / y x y x: po = 0; both used x twice and y twice, pe = 8/16 = 1/2,
    -- kappa = (0 - 1/2)/(1 - 1/2) = -1. Alpha: n = 8, every unit has 2 off-diagonal
    -- coincidences, sum = 8; n_x = n_y = 4, sum n_c n_k (c~=k) = 64 - 32 = 32;
    -- alpha = 1 - 7 * 8/32 = -0.75.
    local m = matrix(4, { "x", "y", "x", "y" }, { "y", "x", "y", "x" })
    eq(A.percent_agreement(m, 1, 2), 0.0, "percent")
    eq(A.cohen_kappa(m, 1, 2), -1.0, "kappa")
    eq(A.krippendorff_alpha_nominal(m), -0.75, "alpha")
    eq(#A.disagreements(m, 1, 2), 4, "disagreements")
  end)

  -- Three coders with missing values:
  --        c1   c2   c3     values  off-diagonal sum d_u = (m^2 - sum n_uc^2)/(m - 1)
  --   u1   a    a    a      3       0
  --   u2   a    b    -      2       (4 - 2)/1 = 2
  --   u3   -    b    b      2       0
  --   u4   c    -    -      1       not pairable, dropped
  --   u5   b    b    c      3       (9 - 5)/2 = 2
  -- n = 10; n_a = 4, n_b = 5, n_c = 1 (u4's c is dropped); sum n_c^2 = 42;
  -- alpha = 1 - (n-1) * 4 / (100 - 42) = 1 - 36/58 = 22/58 = 0.3793.
  -- Coders 1 and 2 both coded u1, u2, u5: po = 2/3; c1 a2 b1, c2 a1 b2, S = 4;
  -- kappa = (3*2 - 4)/(9 - 4) = 0.4.
  local three = matrix(5, { "a", "a", nil, "c", "b" }, { "a", "b", "b", nil, "b" },
    { "a", nil, "b", nil, "c" })

  it("three coders with missing values: alpha 22/58", function()
    local a, s = A.krippendorff_alpha_nominal(three)
    near(a, 22 / 58, "alpha"); eq(s.n, 10, "n"); eq(s.units, 4, "units")
    near(s.do_, 4 / 10, "Do"); near(s.de, 58 / 90, "De")
  end)

  it("three coders with missing values: pairwise statistics", function()
    local p, n = A.percent_agreement(three, 1, 2)
    near(p, 2 / 3, "percent"); eq(n, 3, "n")
    near(A.cohen_kappa(three, 1, 2), 0.4, "kappa 1-2")
    same(A.disagreements(three, 1, 2), { { unit = "u2", a = "a", b = "b", index = 2 } })
    same(A.disagreements(three, 3, 2), { { unit = "u5", a = "c", b = "b", index = 5 } })
    -- coders 1 and 3 both coded u1 (a a) and u5 (b c) only
    local p13, n13 = A.percent_agreement(three, 1, 3)
    eq(p13, 0.5, "percent 1-3"); eq(n13, 2, "n 1-3")
  end)

  it("Krippendorff (2011) 4-coder example: nominal alpha 0.743", function()
    -- Reliability data of section C (coders A-D, 12 units, * = missing):
    --   A: 1 2 3 3 2 1 4 1 2 * * *
    --   B: 1 2 3 3 2 2 4 1 2 5 * 3
    --   C: * 3 3 3 2 3 4 2 2 5 1 *
    --   D: 1 2 3 3 2 4 4 1 2 5 1 *
    -- Unit 12 is not pairable; n = 40, n_c = 9, 13, 10, 5, 3 (sum of squares 384);
    -- sum_{c~=k} o_ck = 8; alpha = 1 - 39 * 8 / (1600 - 384) = 904/1216 = 0.743.
    local m = matrix(12, { 1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil },
      { 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3 }, { nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil },
      { 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil })
    local a, s = A.krippendorff_alpha_nominal(m)
    eq(string.format("%.3f", a), "0.743", "alpha"); near(a, 904 / 1216, "alpha exact")
    eq(s.n, 40, "n"); eq(s.units, 11, "units"); near(s.do_, 8 / 40, "Do")
  end)

  it("alpha does not depend on the order of the coders", function()
    local swapped = matrix(5, { "a", nil, "b", nil, "c" }, { "a", "b", "b", nil, "b" },
      { "a", "a", nil, "c", "b" })
    eq(A.krippendorff_alpha_nominal(swapped), A.krippendorff_alpha_nominal(three), "alpha")
  end)

  it("treats 1 and 1.0 as one category, 1 and \"1\" as two", function()
    eq(A.percent_agreement(matrix(2, { 1, 2 }, { 1.0, 2 }), 1, 2), 1.0, "1 == 1.0")
    eq(A.percent_agreement(matrix(2, { 1, 2 }, { "1", 2 }), 1, 2), 0.5, "1 ~= \"1\"")
  end)
end)

describe("undefined statistics", function()
  it("kappa is nil with a reason when both coders used one category (pe = 1)", function()
    local m = matrix(3, { "x", "x", "x" }, { "x", "x", "x" })
    local k, msg = A.cohen_kappa(m, 1, 2)
    eq(k, nil, "kappa")
    eq(msg, "kappa undefined: both coders used one and the same category for every unit")
    eq(A.percent_agreement(m, 1, 2), 1.0, "percent still 1")
  end)

  it("alpha is nil with a reason when all values are in one category", function()
    local m = matrix(3, { "x", "x", "x" }, { "x", "x", nil }, { nil, "x", "x" })
    local a, msg = A.krippendorff_alpha_nominal(m)
    eq(a, nil, "alpha"); eq(msg, "alpha undefined: all pairable values are in one category")
    local ci, msg2 = A.bootstrap_alpha(m)
    eq(ci, nil, "ci"); eq(msg2, msg, "bootstrap reason")
  end)

  it("nothing is defined without overlap", function()
    local m = matrix(2, { "x", nil }, { nil, "y" })
    local p, msg = A.percent_agreement(m, 1, 2)
    eq(p, nil, "percent"); eq(msg, "no units coded by both coders")
    eq(select(2, A.cohen_kappa(m, 1, 2)), "no units coded by both coders")
    eq(select(2, A.krippendorff_alpha_nominal(m)), "alpha undefined: no pairable units")
    eq(select(2, A.krippendorff_alpha_nominal({ coders = {}, units = {}, values = {} })),
      "alpha undefined: no pairable units")
    same(A.disagreements(m, 1, 2), {})
  end)

  it("bootstrap skips and counts resamples where alpha is undefined", function()
    -- u1 x x, u2 x x, u3 x y: a resample without u3 has one category only
    -- (probability (2/3)^3 = 0.30 per resample).
    local m = matrix(3, { "x", "x", "x" }, { "x", "x", "y" })
    local ci = A.bootstrap_alpha(m, { samples = 200, seed = 7 })
    assert(ci.skipped > 20 and ci.skipped < 100, "skipped " .. ci.skipped)
    eq(ci.samples + ci.skipped, 200, "samples + skipped")
    same(A.bootstrap_alpha(m, { samples = 200, seed = 7 }), ci)
  end)

  it("bootstrap returns nil when every resample is undefined", function()
    -- u1 x x, u2 y y: alpha = 1, but a resample {u1, u1} or {u2, u2} has one category
    -- only (probability 1/2). With one resample, some seed among 1..20 draws such a pair.
    local m = matrix(2, { "x", "y" }, { "x", "y" })
    eq(A.krippendorff_alpha_nominal(m), 1.0, "alpha")
    local found
    for seed = 1, 20 do
      local ci, msg = A.bootstrap_alpha(m, { samples = 1, seed = seed })
      if ci == nil then found = msg; break end
      eq(ci.lo, 1.0, "lo"); eq(ci.hi, 1.0, "hi")
    end
    eq(found, "alpha undefined in every bootstrap sample", "reason")
  end)
end)

describe("binary_by_code", function()
  local codings = {
    { unit = "s1", coder = "ann", code = "werk" },
    { unit = "s1", coder = "bob", code = "werk" },
    { unit = "s2", coder = "ann", code = "taal" },
    { unit = "s2", coder = "bob", code = "werk" },
    { unit = "s3", coder = "ann", code = "taal" },
    { unit = "s3", coder = "ann", code = "werk" },
    { unit = "s4", coder = "carl", code = "werk" },  -- coder not compared: ignored
    { unit = "s9", coder = "ann", code = "werk" },   -- unit not compared: ignored
  }
  local units, coders = { "s1", "s2", "s3", "s4" }, { "ann", "bob" }

  it("marks present 1, absent 0, and not coded nil", function()
    local m = A.binary_by_code(codings, units, coders, "werk")
    same(m, { coders = { "ann", "bob" }, units = { "s1", "s2", "s3", "s4" }, code = "werk",
      values = { { 1, 1 }, { 0, 1 }, { 1 }, {} } })
    assert(m.units ~= units and m.coders ~= coders, "lists are not copied")
    local p, n = A.percent_agreement(m, 1, 2)
    eq(p, 0.5, "percent"); eq(n, 2, "n")
  end)

  it("uses coverage to know which units a coder examined", function()
    local coverage = { ann = { s1 = true, s2 = true, s3 = true, s4 = true },
      bob = { s1 = true, s2 = true, s3 = true } }
    local m = A.binary_by_code(codings, units, coders, "taal", coverage)
    same(m.values, { { 0, 0 }, { 1, 0 }, { 1, 0 }, { 0 } })
    eq(A.krippendorff_alpha_nominal(m) < 1, true, "alpha below 1")
  end)

  it("rejects bad arguments by position", function()
    raises(function() A.binary_by_code(nil, units, coders, "x") end,
      "bad argument #1 to 'binary_by_code' (table expected, got nil)")
    raises(function() A.binary_by_code({}, "s1", coders, "x") end,
      "bad argument #2 to 'binary_by_code' (table expected, got string)")
    raises(function() A.binary_by_code({}, units, nil, "x") end,
      "bad argument #3 to 'binary_by_code' (table expected, got nil)")
    raises(function() A.binary_by_code({}, units, coders) end,
      "bad argument #4 to 'binary_by_code' (code expected, got nil)")
    raises(function() A.binary_by_code({}, units, coders, "x", 1) end,
      "bad argument #5 to 'binary_by_code' (table or nil expected, got number)")
    raises(function() A.binary_by_code({ "s1" }, units, coders, "x") end,
      "bad argument #1 to 'binary_by_code' (codings[1] must be a table, got string)")
    raises(function() A.binary_by_code({}, { "s1", "s1" }, coders, "x") end,
      "bad argument #2 to 'binary_by_code' (duplicate unit id 's1')")
  end)
end)

describe("argument checking", function()
  local m = matrix(2, { "x", "y" }, { "x", "x" })

  it("names the matrix argument and what is wrong with it", function()
    raises(function() A.cohen_kappa(nil, 1, 2) end,
      "bad argument #1 to 'cohen_kappa' (table expected, got nil)")
    raises(function() A.percent_agreement("m", 1, 2) end,
      "bad argument #1 to 'percent_agreement' (table expected, got string)")
    raises(function() A.krippendorff_alpha_nominal({ coders = {}, units = {} }) end,
      "bad argument #1 to 'krippendorff_alpha_nominal' (field 'values' must be a table, got nil)")
    raises(function() A.krippendorff_alpha_nominal(matrix(1, { "x" }, { true })) end,
      "bad argument #1 to 'krippendorff_alpha_nominal' (values[1][2] must be a string, number or nil, got boolean)")
    raises(function() A.krippendorff_alpha_nominal(matrix(1, { 0 / 0 }, { 1 })) end,
      "bad argument #1 to 'krippendorff_alpha_nominal' (values[1][1] must be a string, number or nil, got nan)")
    raises(function() A.disagreements({ coders = { "a" }, units = { "u" }, values = { 5 } }, 1, 1) end,
      "bad argument #1 to 'disagreements' (values[1] must be a table or nil, got number)")
  end)

  it("names the coder index arguments", function()
    raises(function() A.cohen_kappa(m, 0, 2) end,
      "bad argument #2 to 'cohen_kappa' (coder index 0 out of range 1..2)")
    raises(function() A.percent_agreement(m, 1, "2") end,
      "bad argument #3 to 'percent_agreement' (coder index expected, got string)")
    raises(function() A.disagreements(m, 1) end,
      "bad argument #3 to 'disagreements' (coder index expected, got nil)")
    raises(function() A.cohen_kappa(m, 1.5, 2) end,
      "bad argument #2 to 'cohen_kappa' (coder index expected, got non-integer number)")
    raises(function() A.cohen_kappa(m, 2, 2.0) end,
      "bad argument #3 to 'cohen_kappa' (coder index must differ from argument #2 (both 2))")
    eq(A.percent_agreement(m, 2.0, 1), 0.5, "2.0 is a coder index")
  end)

  it("names the bootstrap options", function()
    raises(function() A.bootstrap_alpha(nil) end,
      "bad argument #1 to 'bootstrap_alpha' (table expected, got nil)")
    raises(function() A.bootstrap_alpha(m, 5) end,
      "bad argument #2 to 'bootstrap_alpha' (table or nil expected, got number)")
    raises(function() A.bootstrap_alpha(m, { sample = 10 }) end,
      "bad argument #2 to 'bootstrap_alpha' (unknown option 'sample' (accepted: level, samples, seed))")
    raises(function() A.bootstrap_alpha(m, { samples = 0 }) end,
      "bad argument #2 to 'bootstrap_alpha' (option 'samples' must be a positive integer)")
    raises(function() A.bootstrap_alpha(m, { samples = "10" }) end,
      "bad argument #2 to 'bootstrap_alpha' (option 'samples' must be a positive integer)")
    raises(function() A.bootstrap_alpha(m, { level = 95 }) end,
      "bad argument #2 to 'bootstrap_alpha' (option 'level' must be a number between 0 and 1 (exclusive))")
    raises(function() A.bootstrap_alpha(m, { seed = "x" }) end,
      "bad argument #2 to 'bootstrap_alpha' (option 'seed' must be an integer)")
    raises(function() A.splitmix64(0.5) end,
      "bad argument #1 to 'splitmix64' (integer expected, got non-integer number)")
    raises(function() A.splitmix64(1)(0) end,
      "bad argument #1 to 'next' (positive integer or nil expected)")
  end)
end)

describe("splitmix64", function()
  it("matches the reference splitmix64.c output for seed 0", function()
    local next = A.splitmix64(0)
    eq(string.format("%016x", next()), "e220a8397b1dcdaf", "1st")
    eq(string.format("%016x", next()), "6e789e6aa1b965f4", "2nd")
    eq(string.format("%016x", next()), "06c45d188009454f", "3rd")
  end)

  it("draws integers in 1..n, covering the range", function()
    local next, seen = A.splitmix64(42), {}
    for _ = 1, 1000 do
      local r = next(7)
      assert(math.type(r) == "integer" and r >= 1 and r <= 7, "out of range: " .. tostring(r))
      seen[r] = true
    end
    for r = 1, 7 do assert(seen[r], "never drew " .. r) end
    eq(A.splitmix64(9)(1), 1, "n = 1")
  end)
end)

describe("sandbox", function()
  it("loads and runs with no globals beyond a small allow-list", function()
    local allowed = { error = error, type = type, pairs = pairs, ipairs = ipairs,
      tostring = tostring, math = math, string = string, table = table }
    local env = setmetatable({}, {
      __index = function(_, k)
        if allowed[k] == nil then error("global read: " .. tostring(k), 2) end
        return allowed[k]
      end,
      __newindex = function(_, k) error("global write: " .. tostring(k), 2) end,
    })
    local chunk = assert(loadfile(lib_path, "t", env))
    local S = chunk()
    local m = matrix(5, { "a", "a", nil, "c", "b" }, { "a", "b", "b", nil, "b" },
      { "a", nil, "b", nil, "c" })
    near(S.krippendorff_alpha_nominal(m), 22 / 58, "alpha")
    S.percent_agreement(m, 1, 2); S.cohen_kappa(m, 1, 2); S.disagreements(m, 1, 2)
    S.bootstrap_alpha(m, { samples = 20 })
    S.binary_by_code({ { unit = 1, coder = 1, code = "x" } }, { 1 }, { 1, 2 }, "x")
    assert(not pcall(S.cohen_kappa, nil, 1, 2), "error path")
    assert(not pcall(S.bootstrap_alpha, m, { bad = 1 }), "error path (options)")
  end)
end)

spec.finish("agreement")
