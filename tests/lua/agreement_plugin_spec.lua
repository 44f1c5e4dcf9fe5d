-- agreement_plugin_spec.lua — plugins/agreement.lua on the shipped study: run the
-- deductive plugin with the study's codebook, add a human coder's codings of
-- fg1-leuven-hageland (tests/data/agreement/fg1-els.csv), compare the two with
-- thema.run("agreement", ...) and check its CSV output and return value against
-- figures computed here, independently of plugins/lib/agreement.lua: percent, kappa
-- (po - pe) / (1 - pe) and alpha 1 - Do/De straight from 0/1 vectors, plus one code
-- worked out by hand.
--
--   THEMA_STUDY_DB=... thema --quiet --db COPY_OF_STUDY_DB --out DIR \
--     script tests/lua/agreement_plugin_spec.lua        (tests/lua/run.sh does this)

local spec = require("spec")
local describe, it = spec.describe, spec.it
local eq, same, raises, truthy, read = spec.eq, spec.same, spec.raises, spec.truthy,
  spec.read
local parse_csv = spec.parse_csv

local FG1 = "fg1-leuven-hageland"
local OUT = thema.out.dir
local CODINGS = "tests/data/agreement/fg1-els.csv"
local CODEBOOK = "corpora/leren-om-te-leren/codebook.csv"

-- ---- CSV ----

-- The header and the rows of a CSV file, rows keyed by column name.
local function read_csv(path)
  local text = assert(read(path))
  local all = parse_csv(text)
  local header, rows = all[1], {}
  for i = 2, #all do
    local r = {}
    for j, name in ipairs(header) do r[name] = all[i][j] end
    rows[#rows + 1] = r
  end
  return header, rows
end

-- ---- the independent computation ----

local function f4(x)
  if x == nil then return "" end
  local s = string.format("%.4f", x)
  return s == "-0.0000" and "0.0000" or s
end

-- Percent, kappa and alpha of two complete 0/1 vectors (same length, no missing).
local function figures(a, b)
  local n, agree, a1, b1 = #a, 0, 0, 0
  for i = 1, n do
    if a[i] == b[i] then agree = agree + 1 end
    a1, b1 = a1 + a[i], b1 + b[i]
  end
  local po = agree / n
  local pe = (a1 / n) * (b1 / n) + ((n - a1) / n) * ((n - b1) / n)
  local kappa = pe < 1 and (po - pe) / (1 - pe) or nil
  -- alpha: 2n pairable values; each disagreeing unit adds 2 off-diagonal coincidences
  local values, ones = 2 * n, a1 + b1
  local d_o = 2 * (n - agree) / values
  local d_e = 2 * ones * (values - ones) / (values * (values - 1))
  local alpha = d_e > 0 and 1 - d_o / d_e or nil
  return { units = n, percent = 100 * po, kappa = kappa, alpha = alpha }
end

-- ---- the data ----

local segments = {}   -- ordinal -> segment row of fg1, in order
for seg in thema.segments{ source = FG1 } do segments[#segments + 1] = seg end

-- The human coding file as rows; thema.import has no "codings" kind (that is
-- `thema import codings` on the command line), so a script adds them one by one.
local function import_codings(path)
  local _, rows = read_csv(path)
  local by_ordinal = {}
  for _, seg in ipairs(segments) do by_ordinal[seg.ordinal] = seg.id end
  for _, r in ipairs(rows) do
    assert(r.source == FG1, "the file codes " .. FG1 .. " only")
    thema.add_coding{ segment = assert(by_ordinal[tonumber(r.segment)]), code = r.code,
                      coder = r.coder, memo = r.memo ~= "" and r.memo or nil }
  end
  return rows
end

-- set[code][ordinal] = true for a list of {code=, ordinal=}.
local function code_sets(list)
  local set = {}
  for _, c in ipairs(list) do
    set[c.code] = set[c.code] or {}
    set[c.code][c.ordinal] = true
  end
  return set
end

-- ---- specs ----

local ded_run, human, expected, codes, by_code, result

describe("setup", function()
  it("runs deductive with the study's codebook", function()
    local run_id, res = thema.run("deductive", { codebook = CODEBOOK })
    ded_run = truthy(run_id, "run id")
    truthy(res.codings > 0, "deductive coded something")
  end)

  it("adds coder els's codings of " .. FG1, function()
    human = import_codings(CODINGS)
    eq(#human, 13, "rows in the file")
    eq(thema.count_codings{ coder = "els" }, 13, "stored codings of els")
  end)

  -- Both coders cover fg1's 17 turns (els codes only there; deductive codes there and
  -- elsewhere, which els has not seen). The codes compared: those either applied in fg1.
  it("computes the expected figures per code and pooled", function()
    truthy(ded_run and human, "setup ran")
    local ded_list, els_list = {}, {}
    for c in thema.codings{ run = ded_run, source = FG1 } do
      ded_list[#ded_list + 1] = { code = c.code, ordinal = c.ordinal }
    end
    for _, r in ipairs(human) do
      els_list[#els_list + 1] = { code = r.code, ordinal = tonumber(r.segment) }
    end
    local ded, els = code_sets(ded_list), code_sets(els_list)
    local all = {}
    for code in pairs(ded) do all[code] = true end
    for code in pairs(els) do all[code] = true end
    codes = {}
    for code in pairs(all) do codes[#codes + 1] = code end
    table.sort(codes)
    expected = { vectors = {} }
    local pooled_a, pooled_b = {}, {}
    for _, code in ipairs(codes) do
      local a, b = {}, {}
      for i, seg in ipairs(segments) do
        a[i] = (ded[code] or {})[seg.ordinal] and 1 or 0
        b[i] = (els[code] or {})[seg.ordinal] and 1 or 0
        pooled_a[#pooled_a + 1], pooled_b[#pooled_b + 1] = a[i], b[i]
      end
      expected[code] = figures(a, b)
      expected.vectors[code] = { a, b }
    end
    expected["(overall)"] = figures(pooled_a, pooled_b)
    eq(#segments, 17, "turns of fg1")
    truthy(#codes >= 8, "codes applied in fg1")
  end)
end)

describe("binary: plugin:deductive against coder:els", function()
  it("runs", function()
    local run_id
    run_id, result = thema.run("agreement", { coders = { "plugin:deductive", "coder:els" } })
    truthy(run_id > ded_run, "a new run")
  end)

  it("writes by_code.csv with one row per code and the overall row", function()
    local header
    header, by_code = read_csv(OUT .. "/agreement/by_code.csv")
    same(header, { "code", "units", "coders", "percent", "kappa", "kappa_kind", "alpha",
                   "alpha_lo", "alpha_hi", "note" }, "header")
    local got = {}
    for i, r in ipairs(by_code) do got[i] = r.code end
    local want = {}
    for i, code in ipairs(codes) do want[i] = code end
    want[#want + 1] = "(overall)"
    same(got, want, "codes, sorted, then (overall)")
  end)

  it("matches the independent figures, code by code and pooled", function()
    for _, r in ipairs(by_code) do
      local e = expected[r.code]
      eq(r.units, tostring(e.units), r.code .. " units")
      eq(r.coders, "2", r.code .. " coders")
      eq(r.percent, f4(e.percent), r.code .. " percent")
      eq(r.kappa, f4(e.kappa), r.code .. " kappa")
      eq(r.kappa_kind, "cohen", r.code .. " kappa_kind")
      eq(r.alpha, f4(e.alpha), r.code .. " alpha")
      if e.alpha then
        truthy(tonumber(r.alpha_lo) <= tonumber(r.alpha_hi), r.code .. " interval ordered")
        truthy(tonumber(r.alpha_hi) <= 1, r.code .. " interval at most 1")
      else
        eq(r.alpha_lo, "", r.code .. " no interval without alpha")
        truthy(r.note ~= "", r.code .. " says why alpha is missing")
      end
    end
  end)

  -- randvoorwaarden/draagvlak, by hand: deductive codes turns 7 8 9 12 13, els 7 8 9 12
  -- 13 14. Agree on 16 of 17 (94.1176 %). Kappa: S = 5*6 + 12*11 = 162, (17*16 - 162) /
  -- (289 - 162) = 110/127 = 0.8661. Alpha: 34 values, o11 = 10, o00 = 22, D = 2,
  -- n1 = 11, n0 = 23: 1 - 33*2 / (2*11*23) = 0.8696.
  it("has the figures worked out by hand for randvoorwaarden/draagvlak", function()
    local row
    for _, r in ipairs(by_code) do if r.code == "randvoorwaarden/draagvlak" then row = r end end
    truthy(row, "a draagvlak row")
    same({ row.units, row.percent, row.kappa, row.alpha },
         { "17", "94.1176", "0.8661", "0.8696" }, "draagvlak")
  end)

  it("pools every code x turn decision in the overall row", function()
    local row = by_code[#by_code]
    eq(row.units, tostring(17 * #codes), "units")
  end)

  it("returns the overall figures", function()
    local e = expected["(overall)"]
    eq(result.mode, "binary", "mode")
    same(result.coders, { "plugin:deductive", "coder:els" }, "coders")
    eq(result.codes, #codes, "codes")
    eq(result.units, e.units, "units")
    eq(f4(result.percent), f4(e.percent), "percent")
    eq(f4(result.kappa), f4(e.kappa), "kappa")
    eq(f4(result.alpha), f4(e.alpha), "alpha")
    eq(result.kappa_kind, "cohen", "kappa_kind")
    truthy(result.alpha_lo <= result.alpha_hi, "interval")
    eq(result.sources, 5, "one breakdown per transcript a coder coded")
    local themes, nthemes = {}, 0
    for _, code in ipairs(codes) do
      local t = code:match("^[^/]+")
      if not themes[t] then themes[t], nthemes = true, nthemes + 1 end
    end
    eq(result.themes, nthemes, "one breakdown per theme")
  end)

  it("writes pairs.csv with the pair's percent and kappa per code", function()
    local header, rows = read_csv(OUT .. "/agreement/pairs.csv")
    same(header, { "coder_a", "coder_b", "code", "units", "percent", "kappa" }, "header")
    eq(#rows, #by_code, "one row per by_code row")
    for i, r in ipairs(rows) do
      same({ r.coder_a, r.coder_b, r.code, r.units, r.percent, r.kappa },
           { "plugin:deductive", "coder:els", by_code[i].code, by_code[i].units,
             by_code[i].percent, by_code[i].kappa }, "pair row " .. i)
    end
  end)

  it("lists every disagreement with both values and the turn's text", function()
    local header, rows = read_csv(OUT .. "/agreement/disagreements.csv")
    same(header, { "code", "source", "segment", "speaker", "plugin:deductive", "coder:els",
                   "segment_text" }, "header")
    local want = {}
    for _, code in ipairs(codes) do
      local a, b = expected.vectors[code][1], expected.vectors[code][2]
      for i, seg in ipairs(segments) do
        if a[i] ~= b[i] then
          want[#want + 1] = { code, FG1, tostring(seg.ordinal), seg.speaker, tostring(a[i]),
                              tostring(b[i]), seg.text }
        end
      end
    end
    local got = {}
    for i, r in ipairs(rows) do
      got[i] = { r.code, r.source, r.segment, r.speaker, r["plugin:deductive"],
                 r["coder:els"], r.segment_text }
    end
    same(got, want, "disagreements")
    truthy(#rows > 0, "some disagreements")
  end)

  it("writes by_source.csv: per source the figures on its units alone", function()
    local header, rows = read_csv(OUT .. "/agreement/by_source.csv")
    same(header, { "source", "code", "units", "coders", "percent", "kappa", "kappa_kind",
                   "alpha", "alpha_lo", "alpha_hi", "note" }, "header")
    -- els coded fg1 only, so fg1's rows are by_code.csv's and the other sources have no
    -- unit both coders saw
    local fg1, others = {}, {}
    for _, r in ipairs(rows) do
      if r.source == FG1 then fg1[#fg1 + 1] = r else others[#others + 1] = r end
    end
    eq(#fg1, #by_code, "one fg1 row per by_code row")
    for i, r in ipairs(fg1) do
      same({ r.code, r.units, r.percent, r.kappa, r.alpha, r.alpha_lo, r.alpha_hi },
           { by_code[i].code, by_code[i].units, by_code[i].percent, by_code[i].kappa,
             by_code[i].alpha, by_code[i].alpha_lo, by_code[i].alpha_hi }, "fg1 row " .. i)
    end
    truthy(#others > 0, "rows for the sources only deductive coded")
    for _, r in ipairs(others) do
      eq(r.units, "0", r.source .. " " .. r.code .. " units")
      eq(r.percent, "", r.source .. " no percent without shared units")
      truthy(r.note ~= "", r.source .. " says why")
    end
  end)

  it("writes by_theme.csv: per theme the pooled figures of its codes", function()
    local header, rows = read_csv(OUT .. "/agreement/by_theme.csv")
    same(header, { "theme", "codes", "units", "coders", "percent", "kappa", "kappa_kind",
                   "alpha", "alpha_lo", "alpha_hi", "note" }, "header")
    local themes = {}
    for _, code in ipairs(codes) do
      local t = code:match("^[^/]+")
      themes[t] = themes[t] or { n = 0, percent = 0 }
      themes[t].n = themes[t].n + 1
      themes[t].percent = themes[t].percent + expected[code].percent
    end
    local names = {}
    for t in pairs(themes) do names[#names + 1] = t end
    table.sort(names)
    eq(#rows, #names, "one row per theme")
    for i, r in ipairs(rows) do
      local t = themes[names[i]]
      -- each code has the same 17 units, so the pooled percent is the mean of the codes'
      same({ r.theme, r.codes, r.units, r.percent },
           { names[i], tostring(t.n), tostring(17 * t.n), f4(t.percent / t.n) }, names[i])
    end
  end)

  it("skips the breakdowns with breakdowns=false, by_code.csv unchanged", function()
    local before = read(OUT .. "/agreement/by_code.csv")
    local _, res = thema.run("agreement", { coders = { "plugin:deductive", "coder:els" },
                                            breakdowns = false })
    eq(res.sources, 0, "no source breakdown")
    eq(res.themes, 0, "no theme breakdown")
    eq(read(OUT .. "/agreement/by_code.csv"), before, "by_code.csv")
  end)

  it("treats run:ID like plugin:NAME", function()
    local before = read(OUT .. "/agreement/by_code.csv")
    thema.run("agreement", { coders = { "run:" .. ded_run, "coder:els" } })
    eq(read(OUT .. "/agreement/by_code.csv"), before, "by_code.csv")
  end)

  it("gives the same figures with sources restricted to the shared one", function()
    local before = read(OUT .. "/agreement/by_code.csv")
    thema.run("agreement", { coders = { "plugin:deductive", "coder:els" }, sources = { FG1 } })
    eq(read(OUT .. "/agreement/by_code.csv"), before, "by_code.csv")
  end)

  it("keeps only the codes under an entry of codes", function()
    local _, res = thema.run("agreement", { coders = { "plugin:deductive", "coder:els" },
                                            codes = { "randvoorwaarden" } })
    local _, rows = read_csv(OUT .. "/agreement/by_code.csv")
    local want = {}
    for _, code in ipairs(codes) do
      if code:find("^randvoorwaarden/") then want[#want + 1] = code end
    end
    want[#want + 1] = "(overall)"
    local got = {}
    for i, r in ipairs(rows) do got[i] = r.code end
    same(got, want, "codes")
    eq(res.units, 17 * (#want - 1), "pooled units")
  end)
end)

describe("bad input", function()
  it("refuses nominal mode when a coder gave a turn two codes, naming the turn", function()
    raises("coder:els gave " .. FG1 .. " segment 1 two codes (belang/meerwaarde, " ..
           "leren-in-de-praktijk/expliciete-kennis)",
           thema.run, "agreement", { coders = { "coder:els", "plugin:deductive" },
                                     mode = "nominal" })
  end)

  it("names the human coders when one is unknown", function()
    raises("coder 'coder:nobody' has no codings; import them with thema import codings " ..
           "FILE --coder nobody (human coders in the store: els)",
           thema.run, "agreement", { coders = { "plugin:deductive", "coder:nobody" } })
  end)

  it("needs two coders", function()
    raises("agreement: parameter coders must have at least 2 entries",
           thema.run, "agreement", { coders = { "coder:els" } })
  end)

  it("needs a plugin's ok run", function()
    raises("coder 'plugin:turns_per_role': plugin turns_per_role has no run with status ok",
           thema.run, "agreement", { coders = { "plugin:turns_per_role", "coder:els" } })
  end)
end)

spec.finish("agreement plugin")
