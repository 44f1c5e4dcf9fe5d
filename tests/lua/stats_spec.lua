-- stats_spec.lua — thema.stats (core/lua/bind_stats.c) against its oracle,
-- plugins/lib/agreement.lua: every function is called on the same input in both, and
-- every result must be the same value to the last bit (floats compared as %.17g, with
-- their Lua subtype), every undefined figure the same message, every argument error the
-- same text at the same position. The inputs: both fixtures of tests/fixtures/agreement
-- with their published figures, the hand-worked cases of agreement_spec.lua, seeded
-- random matrices with missing data, and, for stats.agreement, the shipped study with
-- seeded human coders, measured the way plugins/agreement.lua measured before its
-- numbers moved to C (that pipeline is kept below, on the oracle).
--
--   THEMA_STUDY_DB=... thema --quiet --db COPY_OF_STUDY_DB --out DIR \
--     script tests/lua/stats_spec.lua                  (tests/lua/run.sh does this)

local spec = require("spec")
local describe, it, eq, truthy, raises = spec.describe, spec.it, spec.eq, spec.truthy,
  spec.raises
local fmt = spec.fmt

local A = require("agreement") -- the oracle
local S = thema.stats
local CODEBOOK = "corpora/leren-om-te-leren/codebook.csv"

-- ---- exact comparison ----

-- The path of the first difference between x and y, or nil when they are the same:
-- numbers must have the same subtype and print the same with %.17g.
local function differ(x, y, path)
  if type(x) ~= type(y) then
    return string.format("%s: %s vs %s", path, fmt(x), fmt(y))
  end
  if type(x) == "number" then
    if math.type(x) ~= math.type(y) or string.format("%.17g", x) ~= string.format("%.17g", y)
    then
      return string.format("%s: %s vs %s", path, fmt(x), fmt(y))
    end
  elseif type(x) == "table" then
    for k, v in pairs(x) do
      local d = differ(v, y[k], path .. "[" .. fmt(k) .. "]")
      if d then return d end
    end
    for k, v in pairs(y) do
      if x[k] == nil then return string.format("%s[%s]: nil vs %s", path, fmt(k), fmt(v)) end
    end
  elseif x ~= y then
    return string.format("%s: %s vs %s", path, fmt(x), fmt(y))
  end
end

local function identical(got, want, what)
  local d = differ(got, want, what or "value")
  if d then error("C and Lua differ at " .. d, 2) end
end

-- Both libraries' results of call(lib), packed, must be identical.
local function both(what, call)
  identical(table.pack(call(S)), table.pack(call(A)), what)
end

-- call(lib) must raise in both libraries with the same message, blamed on this file.
local function both_raise(what, call)
  local ok1, e1 = pcall(call, S)
  local ok2, e2 = pcall(call, A)
  if ok1 or ok2 then
    error(string.format("%s: expected both to raise; C %s, Lua %s", what,
      ok1 and "did not" or fmt(e1), ok2 and "did not" or fmt(e2)), 2)
  end
  if e1 ~= e2 then error(string.format("%s: C says %s, Lua says %s", what, fmt(e1), fmt(e2)), 2) end
  if not tostring(e1):find("stats_spec.lua:%d+: bad argument #") then
    error(what .. ": not blamed on the caller: " .. fmt(e1), 2)
  end
end

-- ---- matrices ----

local function find_fixture(name)
  local dirs = { "tests/fixtures/agreement" }
  local env = os.getenv("THEMA_AGREEMENT_FIXTURES")
  if env and env ~= "" then table.insert(dirs, 1, env) end
  for _, dir in ipairs(dirs) do
    local text = spec.read(dir .. "/" .. name)
    if text then return text end
  end
  error("fixture " .. name .. " not found in " .. table.concat(dirs, ", "))
end

-- A fixture "unit,coder1,coder2,..." as a reliability matrix; empty = missing.
local function read_matrix(name)
  local m = { coders = {}, units = {}, values = {} }
  local rows = spec.parse_csv((find_fixture(name):gsub("\r\n", "\n")))
  for j = 2, #rows[1] do m.coders[j - 1] = rows[1][j] end
  for r = 2, #rows do
    local f = rows[r]
    if not (#f == 1 and f[1] == "") then
      local u = #m.units + 1
      m.units[u], m.values[u] = f[1], {}
      for j = 2, #f do if f[j] ~= "" then m.values[u][j - 1] = f[j] end end
    end
  end
  return m
end

-- A matrix from one list per coder (nil = missing); units u1, u2, ...
local function matrix(nunits, ...)
  local cols = { ... }
  local m = { coders = {}, units = {}, values = {} }
  for j = 1, #cols do m.coders[j] = "c" .. j end
  for u = 1, nunits do
    m.units[u], m.values[u] = "u" .. u, {}
    for j = 1, #cols do m.values[u][j] = cols[j][u] end
  end
  return m
end

-- Every function of both libraries on m: pairs both ways, alpha, bootstraps.
local function compare_all(m, what, boots)
  local n = #m.coders
  for a = 1, n do
    for b = 1, n do
      if a ~= b then
        local w = string.format("%s (%d, %d)", what, a, b)
        both(w .. " percent", function(L) return L.percent_agreement(m, a, b) end)
        both(w .. " kappa", function(L) return L.cohen_kappa(m, a, b) end)
        both(w .. " disagreements", function(L) return L.disagreements(m, a, b) end)
      end
    end
  end
  both(what .. " alpha", function(L) return L.krippendorff_alpha_nominal(m) end)
  for _, opts in ipairs(boots or { {} }) do
    both(what .. " bootstrap " .. thema.json(opts),
      function(L) return L.bootstrap_alpha(m, opts) end)
  end
end

-- A seeded random matrix: up to maxunits units, ncoders coders, values drawn from a pool
-- of strings and numbers (1 and 1.0 are one category), about `missing` of them nil and
-- now and then a whole row nil.
local POOL = { "a", "b", "c", 1, 2, 1.0, 3.5, "1", "d" }
local function random_matrix(next, maxunits, ncoders, ncat, missing)
  local m = { coders = {}, units = {}, values = {} }
  for j = 1, ncoders do m.coders[j] = "coder" .. j end
  local nunits = next(maxunits + 1) - 1
  for u = 1, nunits do
    m.units[u] = next(2) == 1 and "u" .. u or u
    if next(20) > 1 then
      local row = {}
      for j = 1, ncoders do
        if next(1000) > missing * 1000 then row[j] = POOL[next(ncat)] end
      end
      m.values[u] = row
    end
  end
  return m
end

-- ---- specs ----

describe("the fixtures", function()
  local diagnoses = read_matrix("diagnoses-raters-1-2.csv")
  local missing = read_matrix("missing-small.csv")

  it("diagnoses: 73.33 %, kappa 0.6512, alpha 0.6491, as the oracle gives them", function()
    local p, n = S.percent_agreement(diagnoses, 1, 2)
    eq(string.format("%.2f", 100 * p), "73.33", "percent"); eq(n, 30, "n")
    eq(string.format("%.4f", S.cohen_kappa(diagnoses, 1, 2)), "0.6512", "kappa")
    eq(string.format("%.4f", S.krippendorff_alpha_nominal(diagnoses)), "0.6491", "alpha")
    compare_all(diagnoses, "diagnoses", { {}, { seed = 7, samples = 300, level = 0.9 } })
  end)

  it("diagnoses: the pinned 95 % interval, seed 1", function()
    local x = S.bootstrap_alpha(diagnoses, { seed = 1, samples = 1000 })
    eq(string.format("%.4f %.4f %d %d", x.lo, x.hi, x.samples, x.skipped),
      "0.4182 0.8562 1000 0", "interval")
  end)

  it("missing-small: 70.00 %, kappa 0.5833, alpha 0.5957, as the oracle gives them", function()
    local p, n = S.percent_agreement(missing, 1, 2)
    eq(string.format("%.2f", 100 * p), "70.00", "percent"); eq(n, 10, "n")
    eq(string.format("%.4f", S.cohen_kappa(missing, 1, 2)), "0.5833", "kappa")
    local a, s = S.krippendorff_alpha_nominal(missing)
    eq(string.format("%.4f", a), "0.5957", "alpha"); eq(s.n, 20, "values"); eq(s.units, 10, "units")
    compare_all(missing, "missing-small",
      { {}, { seed = -4, samples = 250 }, { seed = math.maxinteger, level = 0.5 } })
  end)

  it("leaves the matrix as it was", function()
    local before = read_matrix("missing-small.csv")
    S.krippendorff_alpha_nominal(missing); S.bootstrap_alpha(missing, { samples = 10 })
    S.cohen_kappa(missing, 2, 1); S.disagreements(missing, 1, 2)
    identical(missing, before, "matrix")
  end)
end)

describe("hand-worked cases", function()
  local cases = {
    perfect = matrix(4, { "a", "b", "c", "a" }, { "a", "b", "c", "a" }),
    opposite = matrix(4, { "x", "y", "x", "y" }, { "y", "x", "y", "x" }),
    three = matrix(5, { "a", "a", nil, "c", "b" }, { "a", "b", "b", nil, "b" },
      { "a", nil, "b", nil, "c" }),
    krippendorff_2011 = matrix(12, { 1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil },
      { 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3 }, { nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil },
      { 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil }),
    one_category = matrix(3, { "x", "x", "x" }, { "x", "x", nil }, { nil, "x", "x" }),
    no_overlap = matrix(2, { "x", nil }, { nil, "y" }),
    mostly_one = matrix(3, { "x", "x", "x" }, { "x", "x", "y" }),
    two_units = matrix(2, { "x", "y" }, { "x", "y" }),
    numbers = matrix(3, { 1, 2, 2.0 }, { 1.0, "2", 2 }),
    empty = { coders = { "a", "b" }, units = {}, values = {} },
  }
  local names = {}
  for name in pairs(cases) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    it(name .. ": the same figures and reasons", function()
      local boots = { {}, { samples = 200, seed = 7 } }
      for seed = 1, 20 do boots[#boots + 1] = { samples = 1, seed = seed } end
      compare_all(cases[name], name, boots)
    end)
  end

  it("Krippendorff (2011): alpha 0.743", function()
    eq(string.format("%.3f", S.krippendorff_alpha_nominal(cases.krippendorff_2011)), "0.743")
  end)

  it("undefined figures say why", function()
    local k, msg = S.cohen_kappa(matrix(3, { "x", "x", "x" }, { "x", "x", "x" }), 1, 2)
    eq(k, nil); eq(msg, "kappa undefined: both coders used one and the same category for every unit")
    eq(select(2, S.krippendorff_alpha_nominal(cases.one_category)),
      "alpha undefined: all pairable values are in one category")
    eq(select(2, S.percent_agreement(cases.no_overlap, 1, 2)), "no units coded by both coders")
    eq(select(2, S.krippendorff_alpha_nominal(cases.empty)), "alpha undefined: no pairable units")
    local found
    for seed = 1, 20 do
      local ci, why = S.bootstrap_alpha(cases.two_units, { samples = 1, seed = seed })
      if not ci then found = why; break end
    end
    eq(found, "alpha undefined in every bootstrap sample")
  end)
end)

describe("seeded random matrices with missing data", function()
  it("300 small matrices, 1 to 5 coders: every function the same", function()
    local next = A.splitmix64(20261201)
    for i = 1, 300 do
      local m = random_matrix(next, 40, next(5), next(#POOL), next(5) / 10)
      local opts = { samples = next(60), seed = next() , level = ({ 0.5, 0.9, 0.95, 0.99 })[next(4)] }
      compare_all(m, "matrix " .. i, { opts })
    end
  end)

  it("large matrices: 2 coders x 3000 units, 5 coders x 800 units (fractional d)", function()
    local next = A.splitmix64(7)
    local two = random_matrix(next, 3000, 2, 3, 0.1)
    local five = random_matrix(next, 800, 5, 4, 0.3)
    compare_all(two, "2 x 3000", { { samples = 100, seed = 11 } })
    compare_all(five, "5 x 800", { { samples = 100, seed = -11, level = 0.8 } })
  end)
end)

describe("splitmix64", function()
  it("the same 64-bit sequence for every seed", function()
    for _, seed in ipairs({ 0, 1, -1, 42, 1 << 40, math.maxinteger, math.mininteger, 3.0 }) do
      local x, y = S.splitmix64(seed), A.splitmix64(seed)
      for i = 1, 50 do
        local a, b = x(), y()
        if a ~= b then error(string.format("seed %s, output %d: %d vs %d", seed, i, a, b)) end
      end
    end
  end)

  it("the same draws for every range, rejections included", function()
    local ns = { 1, 2, 7, 1000, (1 << 32) + 1, (1 << 62) + 1, math.maxinteger, 5.0 }
    for _, n in ipairs(ns) do
      local x, y = S.splitmix64(n // 3), A.splitmix64(n // 3)
      for i = 1, 300 do
        local a, b = x(n), y(n)
        if a ~= b or math.type(a) ~= "integer" then
          error(string.format("n %s, draw %d: %s vs %s", n, i, a, b))
        end
        if i % 7 == 0 then eq(x(), y(), "interleaved 64-bit output") end
      end
    end
  end)
end)

describe("binary_by_code", function()
  local codings = {
    { unit = "s1", coder = "ann", code = "werk" }, { unit = "s1", coder = "bob", code = "werk" },
    { unit = "s2", coder = "ann", code = "taal" }, { unit = "s2", coder = "bob", code = "werk" },
    { unit = "s3", coder = "ann", code = "taal" }, { unit = "s3", coder = "ann", code = "werk" },
    { unit = "s4", coder = "carl", code = "werk" }, { unit = "s9", coder = "ann", code = "werk" },
    { unit = 4, coder = "bob", code = 1 }, { coder = "ann", code = "werk" },
  }
  local units, coders = { "s1", "s2", "s3", "s4", 4 }, { "ann", "bob" }
  local coverage = { ann = { s1 = true, s2 = true, s3 = true, s4 = true },
    bob = { s1 = true, s2 = true, s3 = true, [4] = 1 } }

  it("the same matrices, with and without coverage", function()
    for _, code in ipairs({ "werk", "taal", 1, 1.0, "none" }) do
      both("code " .. tostring(code),
        function(L) return L.binary_by_code(codings, units, coders, code) end)
      both("code " .. tostring(code) .. " with coverage",
        function(L) return L.binary_by_code(codings, units, coders, code, coverage) end)
    end
    both("empty lists", function(L) return L.binary_by_code({}, {}, {}, "x") end)
  end)

  it("random codings: the same matrices and figures", function()
    local next = A.splitmix64(99)
    for i = 1, 50 do
      local us, cs, ks = {}, {}, {}
      for u = 1, next(30) do us[u] = "u" .. u end
      for c = 1, next(4) do cs[c] = "k" .. c end
      for _ = 1, next(80) do
        ks[#ks + 1] = { unit = "u" .. next(35), coder = "k" .. next(5), code = "c" .. next(3) }
      end
      local cov = next(2) == 1 and {} or nil
      if cov then
        for _, c in ipairs(cs) do
          cov[c] = {}
          for _, u in ipairs(us) do if next(3) > 1 then cov[c][u] = true end end
        end
      end
      local m1 = S.binary_by_code(ks, us, cs, "c1", cov)
      identical(m1, A.binary_by_code(ks, us, cs, "c1", cov), "matrix " .. i)
      if #cs >= 2 then compare_all(m1, "binary matrix " .. i, { { samples = 20 } }) end
    end
  end)
end)

describe("argument errors", function()
  local m = matrix(2, { "x", "y" }, { "x", "x" })
  local cases = {
    { "kappa of nil", function(L) L.cohen_kappa(nil, 1, 2) end },
    { "percent of a string", function(L) L.percent_agreement("m", 1, 2) end },
    { "alpha without values", function(L) L.krippendorff_alpha_nominal({ coders = {}, units = {} }) end },
    { "alpha without coders", function(L) L.krippendorff_alpha_nominal({ units = {}, values = {} }) end },
    { "a boolean value", function(L) L.krippendorff_alpha_nominal(matrix(1, { "x" }, { true })) end },
    { "a nan value", function(L) L.krippendorff_alpha_nominal(matrix(1, { 0 / 0 }, { 1 })) end },
    { "a row that is a number", function(L)
      L.disagreements({ coders = { "a" }, units = { "u" }, values = { 5 } }, 1, 1) end },
    { "coder index 0", function(L) L.cohen_kappa(m, 0, 2) end },
    { "coder index 3", function(L) L.cohen_kappa(m, 1, 3) end },
    { "coder index a string", function(L) L.percent_agreement(m, 1, "2") end },
    { "coder index missing", function(L) L.disagreements(m, 1) end },
    { "coder index 1.5", function(L) L.cohen_kappa(m, 1.5, 2) end },
    { "coder index huge", function(L) L.cohen_kappa(m, 1, 2 ^ 70) end },
    { "the same coder twice", function(L) L.cohen_kappa(m, 2, 2.0) end },
    { "bootstrap of nil", function(L) L.bootstrap_alpha(nil) end },
    { "options a number", function(L) L.bootstrap_alpha(m, 5) end },
    { "an unknown option", function(L) L.bootstrap_alpha(m, { sample = 10 }) end },
    { "unknown options, smallest name", function(L) L.bootstrap_alpha(m, { zz = 1, aa = 2, [3] = 1 }) end },
    { "samples 0", function(L) L.bootstrap_alpha(m, { samples = 0 }) end },
    { "samples a string", function(L) L.bootstrap_alpha(m, { samples = "10" }) end },
    { "samples 2.5", function(L) L.bootstrap_alpha(m, { samples = 2.5 }) end },
    { "level 95", function(L) L.bootstrap_alpha(m, { level = 95 }) end },
    { "level nan", function(L) L.bootstrap_alpha(m, { level = 0 / 0 }) end },
    { "level 1", function(L) L.bootstrap_alpha(m, { level = 1 }) end },
    { "seed a string", function(L) L.bootstrap_alpha(m, { seed = "x" }) end },
    { "seed 0.5", function(L) L.splitmix64(0.5) end },
    { "seed a string", function(L) L.splitmix64("1") end },
    { "seed missing", function(L) L.splitmix64() end },
    { "next(0)", function(L) L.splitmix64(1)(0) end },
    { "next('3')", function(L) L.splitmix64(1)("3") end },
    { "next(2.5)", function(L) L.splitmix64(1)(2.5) end },
    { "codings nil", function(L) L.binary_by_code(nil, {}, {}, "x") end },
    { "units a string", function(L) L.binary_by_code({}, "s1", {}, "x") end },
    { "coders nil", function(L) L.binary_by_code({}, {}, nil, "x") end },
    { "code missing", function(L) L.binary_by_code({}, {}, {}) end },
    { "coverage a number", function(L) L.binary_by_code({}, {}, {}, "x", 1) end },
    { "a coding that is a string", function(L) L.binary_by_code({ "s1" }, {}, {}, "x") end },
    { "a unit twice", function(L) L.binary_by_code({}, { "s1", "s1" }, {}, "x") end },
    { "a coder twice", function(L) L.binary_by_code({}, {}, { 1, 1.0 }, "x") end },
    { "coverage of a coder not a table",
      function(L) L.binary_by_code({}, { "s1" }, { "ann" }, "x", { ann = true }) end },
  }
  for _, case in ipairs(cases) do
    it(case[1] .. ": the same message", function() both_raise(case[1], case[2]) end)
  end
end)

describe("quantile", function()
  it("is R's type 7", function()
    -- R: quantile(c(4, 1, 3, 2), c(0, .25, .5, .9, 1)) = 1, 1.75, 2.5, 3.7, 4
    local x = { 4, 1, 3, 2 }
    eq(S.quantile(x, 0), 1.0); eq(S.quantile(x, 0.25), 1.75); eq(S.quantile(x, 0.5), 2.5)
    eq(string.format("%.12g", S.quantile(x, 0.9)), "3.7"); eq(S.quantile(x, 1), 4.0)
    eq(S.quantile({ 7 }, 0.3), 7.0)
    identical(x, { 4, 1, 3, 2 }, "the list is not sorted in place")
  end)

  it("checks its arguments", function()
    raises("bad argument #1 to 'quantile' (table expected, got nil)", S.quantile)
    raises("bad argument #1 to 'quantile' (non-empty list of numbers expected)", S.quantile, {}, 0.5)
    raises("bad argument #1 to 'quantile' (list[2] must be a number, got string)",
      S.quantile, { 1, "2" }, 0.5)
    raises("bad argument #2 to 'quantile' (probability expected, got nil)", S.quantile, { 1 })
    raises("bad argument #2 to 'quantile' (probability must lie between 0 and 1, not 1.5)",
      S.quantile, { 1 }, 1.5)
  end)
end)

-- ---- stats.agreement on the store, against the plugin's former Lua pipeline ----

-- The oracle pipeline: what plugins/agreement.lua computed before thema.stats.agreement,
-- on plugins/lib/agreement.lua. coders: list of {run = ID} or {coder = NAME}.
local function oracle_agreement(p)
  local selected = function() return true end
  if p.codes then
    selected = function(code)
      for _, want in ipairs(p.codes) do
        if code == want or code:sub(1, #want + 1) == want .. "/" then return true end
      end
      return false
    end
  end
  local coders, labels = {}, {}
  for j, c in ipairs(p.coders) do
    local coder = { codings = {}, sources = {}, label = j }
    local filters = { source = p.sources }
    if c.run then filters.run = c.run else filters.coder = c.coder end
    for k in thema.codings(filters) do
      if c.run or k.run == nil then
        coder.codings[#coder.codings + 1] = { segment = k.segment, code = k.code }
        coder.sources[k.source] = true
      end
    end
    coders[j], labels[j] = coder, j
  end
  local covered, list = {}, {}
  for _, c in ipairs(coders) do for s in pairs(c.sources) do covered[s] = true end end
  for s in pairs(covered) do list[#list + 1] = s end
  table.sort(list)
  local units, info, by_source = {}, {}, {}
  if #list > 0 then
    for seg in thema.segments{ source = list } do
      units[#units + 1] = seg.id
      info[seg.id] = { source = seg.source, segment = seg.ordinal }
      by_source[seg.source] = by_source[seg.source] or {}
      table.insert(by_source[seg.source], seg.id)
    end
  end
  local coverage = {}
  for j, c in ipairs(coders) do
    coverage[j] = {}
    for s in pairs(c.sources) do for _, id in ipairs(by_source[s]) do coverage[j][id] = true end end
  end
  local codes, per_code, overall = {}, {}, nil
  if p.mode == "nominal" then
    local index, values, applied = {}, {}, {}
    for i, u in ipairs(units) do index[u] = i; values[i] = {} end
    local conflicts = {}
    for j, c in ipairs(coders) do
      for _, k in ipairs(c.codings) do
        local i = index[k.segment]
        if i and selected(k.code) then
          local old = values[i][j]
          if old ~= nil and old ~= k.code then
            local lo, hi = old, k.code
            if hi < lo then lo, hi = hi, lo end
            conflicts[#conflicts + 1] = { coder = j, source = info[k.segment].source,
              segment = info[k.segment].segment, codes = { lo, hi } }
          else
            values[i][j] = k.code
          end
        end
      end
    end
    if #conflicts > 0 then
      local shown = {}
      for k = 1, math.min(5, #conflicts) do shown[k] = conflicts[k] end
      return { conflicts = shown, nconflicts = #conflicts }
    end
    for i = 1, #units do
      local n = 0
      for j = 1, #coders do if values[i][j] ~= nil then n = n + 1 end end
      if n >= 2 then for j = 1, #coders do if values[i][j] ~= nil then applied[values[i][j]] = true end end end
    end
    overall = { coders = labels, units = units, values = values }
    local codings, cov = {}, {}
    for j in ipairs(labels) do
      cov[j] = {}
      for i, u in ipairs(units) do
        if values[i][j] ~= nil then
          cov[j][u] = true
          codings[#codings + 1] = { unit = u, coder = j, code = values[i][j] }
        end
      end
    end
    for c in pairs(applied) do codes[#codes + 1] = c end
    table.sort(codes)
    for _, c in ipairs(codes) do per_code[c] = A.binary_by_code(codings, units, labels, c, cov) end
  else
    local seen_by, codings, applied = {}, {}, {}
    for _, seen in pairs(coverage) do for u in pairs(seen) do seen_by[u] = (seen_by[u] or 0) + 1 end end
    for j, c in ipairs(coders) do
      for _, k in ipairs(c.codings) do
        if selected(k.code) then
          codings[#codings + 1] = { unit = k.segment, coder = j, code = k.code }
          if seen_by[k.segment] >= 2 then applied[k.code] = true end
        end
      end
    end
    for c in pairs(applied) do codes[#codes + 1] = c end
    table.sort(codes)
    overall = { coders = labels, units = {}, values = {} }
    for _, c in ipairs(codes) do
      local m = A.binary_by_code(codings, units, labels, c, coverage)
      per_code[c] = m
      for i, u in ipairs(units) do
        overall.units[#overall.units + 1] = c .. "\0" .. u
        overall.values[#overall.units] = m.values[i]
      end
    end
  end
  local function measure(m)
    local r = { pairs = {}, units = 0 }
    local gave = {}
    for i = 1, #m.units do
      local row, n = m.values[i], 0
      if row then
        for j = 1, #m.coders do if row[j] ~= nil then n = n + 1 end end
        if n >= 2 then
          r.units = r.units + 1
          for j = 1, #m.coders do if row[j] ~= nil then gave[j] = true end end
        end
      end
    end
    r.coders = 0
    for _ in pairs(gave) do r.coders = r.coders + 1 end
    local psum, pn, ksum, kn = 0, 0, 0, 0
    for a = 1, #m.coders - 1 do
      for b = a + 1, #m.coders do
        local pa, n = A.percent_agreement(m, a, b)
        local k, kinfo = A.cohen_kappa(m, a, b)
        if pa then psum, pn = psum + pa, pn + 1 end
        if k then ksum, kn = ksum + k, kn + 1 end
        r.pairs[#r.pairs + 1] = { a = a, b = b, units = pa and n or 0, percent = pa and 100 * pa,
          kappa = k, percent_why = not pa and n or nil, kappa_why = not k and kinfo or nil }
      end
    end
    r.percent = pn > 0 and 100 * psum / pn or nil
    r.kappa = kn > 0 and ksum / kn or nil
    local alpha, ainfo = A.krippendorff_alpha_nominal(m)
    if alpha then
      r.alpha, r.do_, r.de, r.values = alpha, ainfo.do_, ainfo.de, ainfo.n
      local boot, msg = A.bootstrap_alpha(m, { samples = p.samples, seed = p.seed, level = p.level })
      if boot then
        r.alpha_lo, r.alpha_hi, r.samples, r.skipped = boot.lo, boot.hi, boot.samples, boot.skipped
      else
        r.interval_why, r.samples, r.skipped = msg, 0, p.samples
      end
    else
      r.alpha_why = ainfo
    end
    return r
  end
  local out = { codes = codes, by_code = {}, overall = measure(overall), units = #units,
    nconflicts = 0, disagreements = {} }
  for i, c in ipairs(codes) do out.by_code[i] = measure(per_code[c]) end
  local function disagreements(code, m)
    local set = {}
    for a = 1, #m.coders - 1 do
      for b = a + 1, #m.coders do
        for _, d in ipairs(A.disagreements(m, a, b)) do set[d.index] = true end
      end
    end
    local idx = {}
    for i in pairs(set) do idx[#idx + 1] = i end
    table.sort(idx)
    for _, i in ipairs(idx) do
      local values = {}
      for j = 1, #m.coders do values[j] = m.values[i][j] end
      out.disagreements[#out.disagreements + 1] = { code = code, source = info[units[i]].source,
        segment = info[units[i]].segment, values = values }
    end
  end
  if p.mode == "nominal" then
    disagreements(nil, overall)
  else
    for _, c in ipairs(codes) do disagreements(c, per_code[c]) end
  end
  return out
end

-- stats.agreement's result in the oracle's shape (disagreements with their unit).
local function c_agreement(p)
  local res = S.agreement(p)
  if res.nconflicts > 0 then return { conflicts = res.conflicts, nconflicts = res.nconflicts } end
  local function strip(f)
    local r = {}
    for k, v in pairs(f) do r[k] = v end
    return r
  end
  local out = { codes = res.codes, by_code = {}, overall = strip(res.overall), units = res.units,
    nconflicts = 0, disagreements = {} }
  for i, f in ipairs(res.by_code) do out.by_code[i] = strip(f) end
  for i, d in ipairs(res.disagreements) do
    local seg = res.segments[d.segment]
    out.disagreements[i] = { code = d.code, source = seg.source, segment = seg.segment,
      values = d.values }
  end
  return out
end

describe("stats.agreement on the shipped study", function()
  local ded
  local codes = {}

  -- Seeded human coders: `coder` codes each source with probability cover, each of its
  -- segments with up to `most` codes drawn from `pool`.
  local function human(coder, seed, cover, most, pool)
    local next = A.splitmix64(seed)
    local source, keep
    for seg in thema.segments() do
      if seg.source ~= source then source, keep = seg.source, next(100) <= cover * 100 end
      if keep then
        for _ = 1, next(most + 1) - 1 do
          thema.add_coding{ segment = seg.id, code = pool[next(#pool)], coder = coder }
        end
      end
    end
  end

  it("sets up a deductive run and five seeded human coders", function()
    ded = truthy(thema.run("deductive", { codebook = CODEBOOK }), "run id")
    for c in thema.codes{ origin = "deductive" } do
      if c.parent then codes[#codes + 1] = c.path end
    end
    truthy(#codes >= 10, "codes")
    human("r1", 1, 0.7, 3, codes)
    human("r2", 2, 0.6, 2, codes)
    local few = { codes[1], codes[2], codes[3] }
    human("n1", 3, 0.8, 1, few)
    human("n2", 4, 0.8, 1, few)
    human("n3", 5, 0.5, 1, few)
    truthy(thema.count_codings{ coder = "r1" } > 0 and thema.count_codings{ coder = "n3" } > 0,
      "human codings")
  end)

  local configs = {
    { "binary, deductive and r1", { coders = { "ded", "r1" } } },
    { "binary, three coders with missing coverage", { coders = { "ded", "r1", "r2" }, seed = 5 } },
    { "binary, two sources and one theme",
      { coders = { "ded", "r1", "r2" }, sources = { "fg1-leuven-hageland", "fg3-limburg" },
        codes = { "randvoorwaarden" }, level = 0.9 } },
    { "binary, a code nobody applied", { coders = { "r1", "r2" }, codes = { "no/such-code" } } },
    { "nominal, three coders", { coders = { "n1", "n2", "n3" }, mode = "nominal", seed = -2 } },
    { "nominal, one code", { coders = { "ded", "n1" }, mode = "nominal", codes = { "?" } } },
    { "nominal, with conflicts", { coders = { "r1", "r2" }, mode = "nominal" } },
  }
  for _, config in ipairs(configs) do
    it(config[1] .. ": the oracle's figures, bit for bit", function()
      truthy(ded, "setup ran")
      local p = {}
      for k, v in pairs(config[2]) do p[k] = v end
      p.coders = {}
      for j, name in ipairs(config[2].coders) do
        p.coders[j] = name == "ded" and { run = ded } or { coder = name }
      end
      if p.codes and p.codes[1] == "?" then p.codes = { codes[1] } end
      p.samples, p.seed, p.level = 150, p.seed or 1, p.level or 0.95
      local want = oracle_agreement(p)
      local got = c_agreement(p)
      identical(got, want, config[1])
      if config[1]:find("conflicts") then truthy(got.nconflicts > 0, "conflicts found") end
      if config[1]:find("missing") then
        local holes = 0
        for _, d in ipairs(got.disagreements) do
          for j = 1, 3 do if d.values[j] == nil then holes = holes + 1 end end
        end
        truthy(holes > 0, "some disagreement has a coder missing")
      end
    end)
  end

  it("coder_codings counts a coder's visible codings and their sources", function()
    local n, s = S.coder_codings({ run = ded })
    eq(n, thema.count_codings{ run = ded }, "codings of the run")
    local per = {}
    for k in thema.codings{ coder = "r1" } do per[k.source] = true end
    local ns = 0
    for _ in pairs(per) do ns = ns + 1 end
    local n1, s1 = S.coder_codings({ coder = "r1" })
    eq(n1, thema.count_codings{ coder = "r1" }, "codings of r1"); eq(s1, ns, "sources of r1")
    local n2 = S.coder_codings({ coder = "r1" }, { "fg1-leuven-hageland" })
    eq(n2, thema.count_codings{ coder = "r1", source = "fg1-leuven-hageland" }, "in one source")
    eq(S.coder_codings({ coder = "nobody" }), 0, "an unknown coder")
    eq(S.coder_codings({ run = 999 }), 0, "an unknown run")
    truthy(s >= 1, "sources of the run")
  end)

  it("checks its arguments", function()
    raises("bad argument #1 to 'agreement' (table expected, got nil)", S.agreement)
    raises("bad argument #1 to 'agreement' (unknown field 'coder' (accepted: codes, coders, level, mode, samples, seed, sources))",
      S.agreement, { coder = {} })
    raises("bad argument #1 to 'agreement' (field 'coders' must list 2 to 1000 coders, not 1)",
      S.agreement, { coders = { { run = 1 } } })
    raises("bad argument #1 to 'agreement' (coders[2] needs one of the fields run and coder)",
      S.agreement, { coders = { { run = 1 }, {} } })
    raises("bad argument #1 to 'agreement' (coders[2] is the same coder as coders[1])",
      S.agreement, { coders = { { coder = "x" }, { coder = "x" } } })
    raises("bad argument #1 to 'agreement' (coders[1]: field 'run' must be a positive integer)",
      S.agreement, { coders = { { run = "1" }, { coder = "x" } } })
    raises("bad argument #1 to 'agreement' (field 'sources' must be a list of 1 to 30000 strings)",
      S.agreement, { coders = { { run = 1 }, { coder = "x" } }, sources = {} })
    raises("bad argument #1 to 'agreement' (field 'mode' must be 'binary' or 'nominal')",
      S.agreement, { coders = { { run = 1 }, { coder = "x" } }, mode = "ordinal" })
    raises("bad argument #1 to 'agreement' (field 'samples' must be an integer of at least 1)",
      S.agreement, { coders = { { run = 1 }, { coder = "x" } }, samples = 0 })
    raises("bad argument #1 to 'agreement' (field 'level' must be a number between 0 and 1 (exclusive))",
      S.agreement, { coders = { { run = 1 }, { coder = "x" } }, level = 1 })
    raises("bad argument #1 to 'coder_codings' (the coder: unknown field 'plugin' (accepted: coder, run))",
      S.coder_codings, { coder = "x", plugin = "y" })
    raises("bad argument #2 to 'coder_codings' (sources[1] must be a string, got number)",
      S.coder_codings, { coder = "x" }, { 1 })
  end)
end)

spec.finish("stats")
