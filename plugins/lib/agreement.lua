-- agreement.lua: inter-coder agreement statistics for thema plugins.
--
-- Pure Lua 5.4: no C, no globals, no require, no io/os, so it runs inside the plugin
-- sandbox. Every result is deterministic: counts are kept as integers, floating-point
-- sums run in unit order, and the bootstrap draws from its own seeded PRNG
-- (splitmix64), never from math.random, so the same input gives the same bytes on every
-- machine.
--
-- Data shape, a "reliability matrix" (Krippendorff's term):
--   m = {
--     coders = { "A", "B", ... },            -- coder names, index = coder index
--     units  = { "u1", "u2", ... },          -- unit ids, index = unit index, in output order
--     values = { [unit_index] = { [coder_index] = category or nil } },
--   }
-- A category is a string or a number (1 and 1.0 are the same category, 1 and "1" are
-- not); nil means the coder did not code that unit (missing). A whole row may be nil.
--
-- Two error channels, as in Lua's standard library: misuse (wrong types, coder index out
-- of range, unknown option) raises "bad argument #n to 'fn' (...)" blamed on the caller;
-- a statistic that is undefined for valid data returns nil plus a message.
--
-- The caller owns the matrix; no function modifies it or keeps a reference to it. Every
-- returned table is fresh and owned by the caller.

local M = {}

local floor, tointeger, mtype = math.floor, math.tointeger, math.type
local maxinteger = math.maxinteger
local sort = table.sort
local format = string.format

-- Argument checking ----------------------------------------------------------------
-- argerror's `depth` is the number of function frames between argerror and the public
-- function (1 when the public function calls argerror itself), so the message is blamed
-- on the public function's caller, as luaL_argerror does. Never tail-call a check.

local function argerror(depth, fname, narg, msg)
  error(format("bad argument #%d to '%s' (%s)", narg, fname, msg), depth + 2)
end

local function check_matrix(fname, m)
  if type(m) ~= "table" then
    argerror(2, fname, 1, "table expected, got " .. type(m))
  end
  for _, field in ipairs({ "coders", "units", "values" }) do
    if type(m[field]) ~= "table" then
      argerror(2, fname, 1, format("field '%s' must be a table, got %s", field, type(m[field])))
    end
  end
  local ncoders, nunits = #m.coders, #m.units
  for i = 1, nunits do
    local row = m.values[i]
    if row ~= nil then
      if type(row) ~= "table" then
        argerror(2, fname, 1, format("values[%d] must be a table or nil, got %s", i, type(row)))
      end
      for j = 1, ncoders do
        local v = row[j]
        local t = type(v)
        if v ~= nil and t ~= "string" and (t ~= "number" or v ~= v) then
          argerror(2, fname, 1, format("values[%d][%d] must be a string, number or nil, got %s",
            i, j, t == "number" and "nan" or t))
        end
      end
    end
  end
  return ncoders, nunits
end

-- An integer-valued number (2 or 2.0, never the string "2"), or nil.
local function as_integer(x)
  return mtype(x) ~= nil and tointeger(x) or nil
end

local function check_coder(fname, narg, x, ncoders)
  local i = as_integer(x)
  if i == nil then
    local got = mtype(x) == "float" and "non-integer number" or type(x)
    argerror(3, fname, narg, "coder index expected, got " .. got)
  end
  if i < 1 or i > ncoders then
    argerror(3, fname, narg, format("coder index %d out of range 1..%d", i, ncoders))
  end
  return i
end

-- Checks arguments #2 and #3, two distinct coder indices; returns them as integers.
local function check_pair(fname, a, b, ncoders)
  a = check_coder(fname, 2, a, ncoders)
  b = check_coder(fname, 3, b, ncoders)
  if a == b then
    argerror(2, fname, 3, format("coder index must differ from argument #2 (both %d)", a))
  end
  return a, b
end

-- Pairwise statistics --------------------------------------------------------------

-- Calls f(i, va, vb) for every unit i, in unit order, that coders a and b both coded.
local function each_paired(m, a, b, nunits, f)
  local values = m.values
  for i = 1, nunits do
    local row = values[i]
    if row then
      local va, vb = row[a], row[b]
      if va ~= nil and vb ~= nil then f(i, va, vb) end
    end
  end
end

-- percent_agreement(m, a, b) -> p, n | nil, msg
-- Proportion of the units coded by both coders a and b (coder indices) on which they
-- chose the same category: p = (units with equal values) / n, n = units coded by both.
-- Missing values are ignored pairwise. Returns nil, msg when n == 0.
function M.percent_agreement(m, a, b)
  local ncoders, nunits = check_matrix("percent_agreement", m)
  a, b = check_pair("percent_agreement", a, b, ncoders)
  local n, agree = 0, 0
  each_paired(m, a, b, nunits, function(_, va, vb)
    n = n + 1
    if va == vb then agree = agree + 1 end
  end)
  if n == 0 then return nil, "no units coded by both coders" end
  return agree / n, n
end

-- cohen_kappa(m, a, b) -> kappa, {po=, pe=, n=} | nil, msg
-- Cohen's (1960) kappa over the n units coded by both coders a and b:
--   po = observed agreement, pe = sum over categories c of (n_a(c)/n) * (n_b(c)/n),
--   kappa = (po - pe) / (1 - pe),
-- computed from integer counts as (n*agree - S) / (n^2 - S), S = sum n_a(c)*n_b(c), so
-- it is exact up to the final division.
-- Undefined cases return nil, msg: n == 0, and pe == 1 (both coders used one and the same
-- category for every unit; then po is 1 too and kappa is 0/0). We deliberately do not
-- report 1 there: data without variation says nothing about chance-corrected agreement;
-- percent_agreement still reports 1 for it.
function M.cohen_kappa(m, a, b)
  local ncoders, nunits = check_matrix("cohen_kappa", m)
  a, b = check_pair("cohen_kappa", a, b, ncoders)
  local n, agree = 0, 0
  local count_a, count_b = {}, {}
  each_paired(m, a, b, nunits, function(_, va, vb)
    n = n + 1
    if va == vb then agree = agree + 1 end
    count_a[va] = (count_a[va] or 0) + 1
    count_b[vb] = (count_b[vb] or 0) + 1
  end)
  if n == 0 then return nil, "no units coded by both coders" end
  local s = 0                                   -- integer sum: order does not matter
  for c, na in pairs(count_a) do
    s = s + na * (count_b[c] or 0)
  end
  local n2 = n * n
  if s == n2 then
    return nil, "kappa undefined: both coders used one and the same category for every unit"
  end
  return (n * agree - s) / (n2 - s), { po = agree / n, pe = s / n2, n = n }
end

-- disagreements(m, a, b) -> list of {unit=, a=, b=, index=}
-- The units, in unit order, that coders a and b both coded with different categories:
-- unit = m.units[i], a and b = the two categories, index = i. Empty list when none.
function M.disagreements(m, a, b)
  local ncoders, nunits = check_matrix("disagreements", m)
  a, b = check_pair("disagreements", a, b, ncoders)
  local out = {}
  each_paired(m, a, b, nunits, function(i, va, vb)
    if va ~= vb then out[#out + 1] = { unit = m.units[i], a = va, b = vb, index = i } end
  end)
  return out
end

-- Krippendorff's alpha ---------------------------------------------------------------

-- Reduces a matrix to its pairable units, each summarised for the nominal metric:
--   counts[k] = number of values of category k in the unit (categories are numbered
--               1..K in order of first appearance, unit by unit, coder by coder),
--   m         = number of values in the unit (m >= 2),
--   d         = sum over c ~= k of n_uc * n_uk / (m - 1) = (m^2 - sum_c n_uc^2) / (m - 1),
--               the unit's off-diagonal contribution to the coincidence matrix.
-- Units with fewer than two values cannot be paired and are dropped.
local function pairable_units(m, ncoders, nunits)
  local index_of, ncat = {}, 0
  local out = {}
  for i = 1, nunits do
    local row = m.values[i]
    if row then
      local counts, mu = {}, 0
      for j = 1, ncoders do
        local v = row[j]
        if v ~= nil then
          local k = index_of[v]
          if not k then ncat = ncat + 1; k = ncat; index_of[v] = k end
          counts[k] = (counts[k] or 0) + 1
          mu = mu + 1
        end
      end
      if mu >= 2 then
        local sq = 0
        for _, c in pairs(counts) do sq = sq + c * c end   -- integers: order-free
        out[#out + 1] = { counts = counts, m = mu, d = (mu * mu - sq) / (mu - 1) }
      end
    end
  end
  return out
end

-- Nominal alpha of a sequence of summarised units (see pairable_units), given as a list
-- and, optionally, a list of indices into it (the bootstrap's resample).
local function alpha_of(units, pick)
  local count = pick and #pick or #units
  local n, d = 0, 0.0
  local n_c = {}
  for s = 1, count do
    local u = units[pick and pick[s] or s]
    n = n + u.m
    d = d + u.d                                          -- float sum in unit order
    for k, c in pairs(u.counts) do n_c[k] = (n_c[k] or 0) + c end
  end
  if n < 2 then return nil, "alpha undefined: no pairable units" end
  local sq = 0
  for _, c in pairs(n_c) do sq = sq + c * c end          -- integers: order-free
  local e = n * n - sq                                   -- sum over c ~= k of n_c * n_k
  if e == 0 then
    return nil, "alpha undefined: all pairable values are in one category"
  end
  local do_, de = d / n, e / (n * (n - 1))
  return 1 - (n - 1) * d / e, do_, de, n
end

-- krippendorff_alpha_nominal(m) -> alpha, {do_=, de=, n=, units=} | nil, msg
-- Krippendorff's alpha for nominal data, any number of coders, missing values allowed,
-- via the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's
-- Alpha-Reliability", section C):
--   o_ck = sum over units u of (number of c-k pairs in u) / (m_u - 1),  n_c = sum_k o_ck,
--   n = sum_c n_c (pairable values),
--   Do = (1/n) sum_{c~=k} o_ck,  De = 1/(n(n-1)) sum_{c~=k} n_c n_k,  alpha = 1 - Do/De.
-- Units with fewer than two values are dropped. Returns nil, msg when there is no
-- pairable unit or all pairable values fall in one category (De == 0).
-- In the table: do_ = Do, de = De, n = pairable values, units = pairable units.
function M.krippendorff_alpha_nominal(m)
  local ncoders, nunits = check_matrix("krippendorff_alpha_nominal", m)
  local units = pairable_units(m, ncoders, nunits)
  local alpha, do_, de, n = alpha_of(units)
  if alpha == nil then return nil, do_ end
  return alpha, { do_ = do_, de = de, n = n, units = #units }
end

-- Seeded PRNG ------------------------------------------------------------------------

-- splitmix64(seed) -> next
-- Steele, Lea & Flood (2014) SplitMix64, as in Vigna's reference splitmix64.c, in Lua 5.4
-- integer arithmetic (64-bit wrap-around, logical >>). next() returns the next 64-bit
-- value as a Lua integer (negative when the top bit is set); next(n) returns an unbiased
-- integer in 1..n (rejection sampling on the top 63 bits).
function M.splitmix64(seed)
  local s = as_integer(seed)
  if s == nil then
    argerror(1, "splitmix64", 1, "integer expected, got " ..
      (mtype(seed) == "float" and "non-integer number" or type(seed)))
  end
  local state = s
  local function next64()
    state = state + 0x9e3779b97f4a7c15
    local z = state
    z = (z ~ (z >> 30)) * 0xbf58476d1ce4e5b9
    z = (z ~ (z >> 27)) * 0x94d049bb133111eb
    return z ~ (z >> 31)
  end
  return function(n)
    if n == nil then return next64() end
    n = as_integer(n)
    if n == nil or n < 1 then
      argerror(1, "next", 1, "positive integer or nil expected")
    end
    -- 2^63 mod n, then accept r in 0 .. 2^63 - 1 - rem so every residue is equally likely
    local rem = (maxinteger % n + 1) % n
    local limit = maxinteger - rem
    while true do
      local r = next64() >> 1
      if r <= limit then return r % n + 1 end
    end
  end
end

-- Bootstrap --------------------------------------------------------------------------

local bootstrap_options = { samples = true, level = true, seed = true }

-- Type-7 quantile (linear interpolation between order statistics, R's default) of a
-- sorted list x at probability p.
local function quantile(x, p)
  local h = (#x - 1) * p + 1
  local lo = floor(h)
  if lo >= #x then return x[#x] end
  return x[lo] + (h - lo) * (x[lo + 1] - x[lo])
end

-- bootstrap_alpha(m, opts) -> {lo=, hi=, level=, samples=, skipped=, alpha=} | nil, msg
-- Percentile bootstrap confidence interval for krippendorff_alpha_nominal: draw
-- opts.samples resamples (default 1000) of the pairable units with replacement (as many
-- units as there are pairable units; unpairable units add nothing to alpha), compute alpha
-- of each, and report the (1 - level)/2 and (1 + level)/2 type-7 quantiles
-- (opts.level, default 0.95). Draws come from splitmix64(opts.seed) (default 1), so
-- the same data, samples and seed give the same interval everywhere.
-- Resamples where alpha is undefined (one category only) are skipped: samples = number
-- used, skipped = number skipped (samples + skipped = opts.samples); alpha = the point
-- estimate. Returns nil, msg when alpha of the data is undefined or every resample is.
function M.bootstrap_alpha(m, opts)
  local ncoders, nunits = check_matrix("bootstrap_alpha", m)
  if opts == nil then
    opts = {}
  elseif type(opts) ~= "table" then
    argerror(1, "bootstrap_alpha", 2, "table or nil expected, got " .. type(opts))
  end
  local names = {}
  for k in pairs(opts) do
    if not bootstrap_options[k] then names[#names + 1] = tostring(k) end
  end
  if #names > 0 then
    sort(names)
    argerror(1, "bootstrap_alpha", 2, format("unknown option '%s' (accepted: level, samples, seed)", names[1]))
  end
  local samples = opts.samples == nil and 1000 or as_integer(opts.samples)
  if samples == nil or samples < 1 then
    argerror(1, "bootstrap_alpha", 2, "option 'samples' must be a positive integer")
  end
  local level = opts.level == nil and 0.95 or opts.level
  if type(level) ~= "number" or not (level > 0 and level < 1) then
    argerror(1, "bootstrap_alpha", 2, "option 'level' must be a number between 0 and 1 (exclusive)")
  end
  local seed = opts.seed == nil and 1 or as_integer(opts.seed)
  if seed == nil then
    argerror(1, "bootstrap_alpha", 2, "option 'seed' must be an integer")
  end

  local units = pairable_units(m, ncoders, nunits)
  local point, msg = alpha_of(units)
  if point == nil then return nil, msg end

  local draw = M.splitmix64(seed)
  local nu = #units
  local pick, alphas, skipped = {}, {}, 0
  for _ = 1, samples do
    for s = 1, nu do pick[s] = draw(nu) end
    local a = alpha_of(units, pick)
    if a == nil then skipped = skipped + 1 else alphas[#alphas + 1] = a end
  end
  if #alphas == 0 then
    return nil, "alpha undefined in every bootstrap sample"
  end
  sort(alphas)
  local tail = (1 - level) / 2
  return {
    lo = quantile(alphas, tail), hi = quantile(alphas, 1 - tail), level = level,
    samples = #alphas, skipped = skipped, alpha = point,
  }
end

-- Building matrices from codings -------------------------------------------------------

-- binary_by_code(codings, units, coders, code [, coverage]) -> m
-- Builds a reliability matrix for one code with categories 1 (the coder applied `code`
-- to the unit) and 0 (the coder coded the unit but not with `code`); nil where the coder
-- did not code the unit at all.
--   codings  list of { unit = unit_id, coder = coder_id, code = code_value }; codings
--            whose unit or coder is not in the lists below are ignored
--   units    list of unit ids: the matrix's units, in this order
--   coders   list of coder ids: the matrix's coders, in this order
--   code     the code to compare (compared with ==)
--   coverage optional, coverage[coder_id][unit_id] = true when the coder examined the
--            unit; without it, a coder examined a unit when it has any coding (of any
--            code) on it. A coding of `code` always counts as examined.
-- The result copies units and coders and also carries m.code = code.
function M.binary_by_code(codings, units, coders, code, coverage)
  local fname = "binary_by_code"
  if type(codings) ~= "table" then argerror(1, fname, 1, "table expected, got " .. type(codings)) end
  if type(units) ~= "table" then argerror(1, fname, 2, "table expected, got " .. type(units)) end
  if type(coders) ~= "table" then argerror(1, fname, 3, "table expected, got " .. type(coders)) end
  if code == nil then argerror(1, fname, 4, "code expected, got nil") end
  if coverage ~= nil and type(coverage) ~= "table" then
    argerror(1, fname, 5, "table or nil expected, got " .. type(coverage))
  end

  local unit_index, coder_index = {}, {}
  local out_units, out_coders = {}, {}
  for i, u in ipairs(units) do
    if unit_index[u] then argerror(1, fname, 2, format("duplicate unit id '%s'", tostring(u))) end
    unit_index[u] = i; out_units[i] = u
  end
  for j, c in ipairs(coders) do
    if coder_index[c] then argerror(1, fname, 3, format("duplicate coder id '%s'", tostring(c))) end
    coder_index[c] = j; out_coders[j] = c
  end

  local values = {}
  for i = 1, #out_units do values[i] = {} end
  if coverage then
    for j, c in ipairs(out_coders) do
      local seen = coverage[c]
      if seen ~= nil and type(seen) ~= "table" then
        argerror(1, fname, 5, format("coverage['%s'] must be a table, got %s", tostring(c), type(seen)))
      end
      if seen then
        for i, u in ipairs(out_units) do
          if seen[u] then values[i][j] = 0 end
        end
      end
    end
  end
  for n, coding in ipairs(codings) do
    if type(coding) ~= "table" then
      argerror(1, fname, 1, format("codings[%d] must be a table, got %s", n, type(coding)))
    end
    local i, j = unit_index[coding.unit], coder_index[coding.coder]
    if i and j then
      if coding.code == code then
        values[i][j] = 1
      elseif not coverage and values[i][j] == nil then
        values[i][j] = 0
      end
    end
  end
  return { coders = out_coders, units = out_units, values = values, code = code }
end

return M
