-- agreement — inter-coder agreement between any runs and human coders. Each
-- entry of `coders` is a coder: `run:ID` (that run's codings), `plugin:NAME`
-- (the codings of NAME's latest run with status ok) or `coder:NAME` (a human
-- coder's codings, imported with `thema import codings FILE --coder NAME`).
-- Two or more coders are compared at a unit (the segment) and the plugin
-- reports percent agreement, Cohen's kappa, Krippendorff's alpha (nominal,
-- any number of coders, missing data allowed) with a percentile bootstrap
-- confidence interval, and every disagreement with its text. The numbers
-- come from thema.stats.agreement, which reads the coders' codings from the
-- store and computes every figure in C (the same figures, to the last bit, as
-- plugins/lib/agreement.lua, its test oracle); this file resolves the coders,
-- turns undefined figures into notes and writes the tables.
--
-- Coverage (which units a coder has seen, for missing data): the segments of
-- every source in which the coder has at least one coding (of any code),
-- counting only the sources in `sources` when it is given. A unit outside a
-- coder's coverage is missing for that coder: it is left out of that coder's
-- pairs and adds nothing to alpha. A run that coded nothing in a source it did
-- read therefore counts as not having seen that source.
--
-- mode=binary (default): per code, a unit is 1 for a coder that applied the
--   code anywhere in the segment, 0 for a coder that covered the unit but did
--   not apply it, missing otherwise. The "(overall)" row pools every code x
--   unit decision into one matrix (so its units are code x unit pairs).
-- mode=nominal: the code is the category; a coder gives at most one code per
--   unit (the same code twice counts once; two different codes are an error
--   naming the unit). A covered unit the coder gave no code is missing, not a
--   category of its own. "(overall)" is the nominal matrix; each code's row is
--   that code against the other codes, on the units the coder gave a code.
-- The codes compared are those some coder applied to a unit that at least two
--   coders cover (binary) or code (nominal): a code used only where no other
--   coder looked says nothing about agreement, and would otherwise add 0-0
--   "agreements" to the pooled figures. `codes` keeps a code when it equals an
--   entry or lies under it ("belang" keeps "belang/behoefte"); `sources` keeps
--   only those sources' segments.
--
-- Figures: units = units with values from at least two coders; percent =
-- percentage of them on which the coders agree (2 coders), else the mean over
-- coder pairs; kappa = Cohen's kappa (kappa_kind "cohen", 2 coders), else the
-- mean of the defined pairwise kappas (kappa_kind "mean_pairwise", Light's
-- kappa); alpha_lo/alpha_hi = the `level` percentile bootstrap interval of
-- alpha over `samples` resamples of the units, drawn from seed `seed`. An
-- undefined figure (no variation, no shared unit) is an empty cell, and the
-- row's note says why. Numbers are rounded to 4 decimals at output only.
--
-- Outputs (OUT/agreement/): by_code.csv, pairs.csv (every pair of coders per
-- code and overall), by_source.csv (the by_code figures on each source's
-- units alone: every source given in `sources`, else every source in which a
-- coder has a coding), by_theme.csv (per theme, the pooled figures of the
-- compared codes under it; both only with breakdowns=true, the default),
-- disagreements.csv (one row per code and unit on which
-- the coders differ, binary; per unit with code "(overall)", nominal; one
-- column per coder with its value, empty where the unit is missing for it).

local stats = require("thema").stats

local OVERALL = "(overall)"

local sorted_keys = require("tables").sorted_keys

-- %.4f, or nil (an empty cell) for an undefined figure; never "-0.0000".
local function fmt4(x)
  if x == nil then return nil end
  local s = string.format("%.4f", x)
  if s == "-0.0000" then s = "0.0000" end
  return s
end

local function fail(fmt, ...)
  error(string.format(fmt, ...), 0)
end

-- ---- the coders ----

-- A code is selected when there is no restriction, or it equals an entry of
-- `codes` or lies under one.
local function code_selector(codes)
  if not codes then return function() return true end end
  return function(code)
    for _, want in ipairs(codes) do
      if code == want or code:sub(1, #want + 1) == want .. "/" then return true end
    end
    return false
  end
end

-- Human coders with codings in the store, for error messages.
local function human_coders(store)
  local names = {}
  for c in store.codings{} do
    if c.run == nil and c.coder then names[c.coder] = true end
  end
  local list = sorted_keys(names)
  return #list > 0 and table.concat(list, ", ") or "none"
end

-- Resolve one `coders` entry to {label, run = id | human = name}.
local function resolve_coder(store, spec)
  local kind, what = spec:match("^(%a+):(.+)$")
  if kind == "run" then
    local id = math.tointeger(tonumber(what))
    if not id then fail("coder '%s': run:ID needs a run number, e.g. run:3", spec) end
    local run
    for r in store.runs{ id = id } do run = r end
    if not run then
      fail("coder '%s': there is no run %d (list them: thema query " ..
           "\"SELECT id, plugin, status FROM run\")", spec, id)
    end
    if run.status ~= "ok" then
      fail("coder '%s': run %d (%s) has status %s; only a run with status ok can be a coder",
           spec, id, run.plugin, run.status)
    end
    return { label = spec, run = id, what = string.format("run %d of %s", id, run.plugin),
             spec = { run = id } }
  elseif kind == "plugin" then
    local latest
    for r in store.runs{ plugin = what, status = "ok" } do latest = r end   -- ordered by id
    if not latest then
      fail("coder '%s': plugin %s has no run with status ok; run it first (thema run %s)",
           spec, what, what)
    end
    return { label = spec, run = latest.id,
             what = string.format("run %d of %s", latest.id, what), spec = { run = latest.id } }
  elseif kind == "coder" then
    return { label = spec, human = what, what = "human coder " .. what,
             spec = { coder = what } }
  end
  fail("coder '%s' must be run:ID, plugin:NAME or coder:NAME", spec)
end

-- How many codings the coder has on the selected sources, and in how many
-- sources: sets coder.ncodings and coder.nsources. Fails when it has none.
local function count_codings(store, coder, sources)
  coder.ncodings, coder.nsources = stats.coder_codings(coder.spec, sources)
  if coder.ncodings == 0 then
    local where = sources and " in the sources " .. table.concat(sources, ", ") or ""
    if coder.human then
      fail("coder '%s' has no codings%s; import them with thema import codings FILE " ..
           "--coder %s (human coders in the store: %s)", coder.label, where, coder.human,
           human_coders(store))
    end
    fail("coder '%s' (%s) has no codings%s; nothing to compare", coder.label, coder.what, where)
  end
end

local function check_params(store, params)
  -- two or more coders: checked by the host from the declaration (min = 2)
  for _, name in ipairs({ "codes", "sources" }) do
    if params[name] and #params[name] == 0 then
      fail("parameter %s is an empty list; leave it out to use every %s", name,
           name == "codes" and "code" or "source")
    end
  end
  for _, source in ipairs(params.sources or {}) do
    if not store.get_source(source) then fail("parameter sources: no source named '%s'", source) end
  end
  if params.samples < 1 then
    fail("parameter samples must be at least 1, not %d", params.samples)
  end
  if not (params.level > 0 and params.level < 1) then
    fail("parameter level must lie between 0 and 1 (exclusive), not %s", params.level)
  end
end

local function resolve_coders(store, params)
  local coders, seen = {}, {}
  for i, entry in ipairs(params.coders) do
    local spec = entry:match("^%s*(.-)%s*$")
    local coder = resolve_coder(store, spec)
    local key = coder.run and "run " .. coder.run or "human " .. coder.human
    if seen[key] then
      fail("coders '%s' and '%s' are the same coder (%s); give each coder once",
           seen[key], spec, coder.what)
    end
    seen[key] = spec
    count_codings(store, coder, params.sources)
    coders[i] = coder
  end
  return coders
end

-- ---- the figures of one matrix ----

-- The figures thema.stats.agreement gives for one matrix, with a note for
-- every figure that is undefined (each reason once, in the order met).
local function measure(f, labels, params)
  local r = { pairs = {}, notes = {}, units = f.units, coders = f.coders }
  local function note(msg)
    for _, seen in ipairs(r.notes) do if seen == msg then return end end
    r.notes[#r.notes + 1] = msg
  end
  for _, p in ipairs(f.pairs) do
    if not p.percent then note(p.percent_why) end
    if not p.kappa and p.percent then note(p.kappa_why) end
    r.pairs[#r.pairs + 1] = { a = labels[p.a], b = labels[p.b], units = p.units,
                              percent = p.percent, kappa = p.kappa }
  end
  r.percent, r.kappa = f.percent, f.kappa
  r.kappa_kind = #labels == 2 and "cohen" or "mean_pairwise"
  if f.alpha then
    r.alpha = f.alpha
    if f.alpha_lo then
      r.alpha_lo, r.alpha_hi = f.alpha_lo, f.alpha_hi
      if f.skipped > 0 then
        note(string.format("%d of %d bootstrap samples had alpha undefined and were skipped",
                           f.skipped, params.samples))
      end
    else
      note(f.interval_why)
    end
  else
    note(f.alpha_why)
  end
  return r
end

-- Nominal mode: a coder gave a unit two codes; the first five, then a count.
local function fail_conflicts(res, labels)
  local shown = {}
  for k, c in ipairs(res.conflicts) do
    shown[k] = string.format("%s gave %s segment %d two codes (%s, %s)", labels[c.coder],
                             c.source, c.segment, c.codes[1], c.codes[2])
  end
  fail("mode=nominal needs at most one code per coder and unit, but %s%s; restrict " ..
       "codes= to one dimension or use mode=binary", table.concat(shown, "; "),
       res.nconflicts > 5 and string.format(" (and %d more)", res.nconflicts - 5) or "")
end

-- ---- output ----

local function by_code_row(csv, code, r)
  csv:row{ code, r.units, r.coders, fmt4(r.percent), fmt4(r.kappa), r.kappa_kind,
           fmt4(r.alpha), fmt4(r.alpha_lo), fmt4(r.alpha_hi), table.concat(r.notes, "; ") }
end

-- The by_code.csv figures of one matrix after some leading cells (a source and
-- a code, or a theme and its number of codes).
local function figures_row(csv, lead, m)
  local n = #lead
  local row = { m.units, m.coders, fmt4(m.percent), fmt4(m.kappa), m.kappa_kind,
                fmt4(m.alpha), fmt4(m.alpha_lo), fmt4(m.alpha_hi), table.concat(m.notes, "; ") }
  local out = {}
  for i = 1, n do out[i] = lead[i] end
  for i = 1, 9 do out[n + i] = row[i] end   -- cells may be nil (empty): no ipairs
  csv:row(out)
end

local function pair_rows(csv, code, r)
  for _, p in ipairs(r.pairs) do
    csv:row{ p.a, p.b, code, p.units, fmt4(p.percent), fmt4(p.kappa) }
  end
end

-- One row per disagreement: the code, the unit, each coder's value (an empty
-- cell where the unit is missing for the coder) and the unit's text.
local function disagreement_rows(csv, res, ncoders, show)
  for _, d in ipairs(res.disagreements) do
    local seg = res.segments[d.segment]
    local row = { d.code or OVERALL, seg.source, seg.segment, seg.speaker }
    for j = 1, ncoders do row[4 + j] = show(d.values[j]) end
    row[5 + ncoders] = seg.text
    csv:row(row)
  end
  return #res.disagreements
end

local function show_value(v)
  if v == nil then return nil end
  return tostring(v)
end

-- ---- breakdowns: per source and per theme ----

-- The sources to break the figures down by: those given, else every source
-- in which some coder has a coding, by name.
local function breakdown_sources(store, coders, params)
  if params.sources then
    local list = {}
    for i, s in ipairs(params.sources) do list[i] = s end
    table.sort(list)
    return list
  end
  local list = {}
  for src in store.sources{} do
    for _, coder in ipairs(coders) do
      if stats.coder_codings(coder.spec, { src.name }) > 0 then
        list[#list + 1] = src.name
        break
      end
    end
  end
  return list
end

-- The codes compared, grouped by theme (the first part of the path), in
-- byte order of the themes.
local function codes_by_theme(codes)
  local groups = {}
  for _, code in ipairs(codes) do
    local theme = code:match("^[^/]+")
    groups[theme] = groups[theme] or {}
    table.insert(groups[theme], code)
  end
  return groups, sorted_keys(groups)
end

return {
  name = "agreement",
  version = "1.1.0",
  description = "Inter-coder agreement (percent, Cohen's kappa, Krippendorff's alpha) " ..
                "between runs and human coders",
  params = {
    coders = { type = "list", required = true, min = 2,
               description = "two or more coders: run:ID, plugin:NAME (its latest ok run) " ..
                             "or coder:NAME (a human coder's imported codings)" },
    unit = { default = "segment", values = { "segment" },
             description = "the unit coders are compared on" },
    mode = { default = "binary", values = { "binary", "nominal" },
             description = "binary: per code, applied or not; nominal: the code is the " ..
                           "category (one code per coder and unit)" },
    codes = { type = "list", description = "compare only these codes (and the codes under them)" },
    sources = { type = "list", description = "compare only these sources" },
    samples = { type = "integer", default = 1000,
                description = "bootstrap resamples for alpha's confidence interval" },
    seed = { type = "integer", default = 1, description = "seed of the bootstrap" },
    level = { type = "number", default = 0.95,
              description = "confidence level of alpha's interval" },
    breakdowns = { type = "boolean", default = true,
                   description = "also write by_theme.csv and by_source.csv (one more " ..
                                 "agreement pass per theme and per source)" },
  },
  run = function(ctx, params)
    local store = ctx.store
    check_params(store, params)
    local coders = resolve_coders(store, params)
    for _, coder in ipairs(coders) do
      ctx.log("%s: %s, %d codings in %d source%s", coder.label, coder.what, coder.ncodings,
              coder.nsources, coder.nsources == 1 and "" or "s")
    end
    local labels = {}
    for j, coder in ipairs(coders) do labels[j] = coder.label end
    local specs = {}
    for j, coder in ipairs(coders) do specs[j] = coder.spec end
    local res = stats.agreement{ coders = specs, sources = params.sources, codes = params.codes,
                                 mode = params.mode, samples = params.samples,
                                 seed = params.seed, level = params.level }
    if res.nconflicts > 0 then fail_conflicts(res, labels) end
    local codes = res.codes
    for _, want in ipairs(params.codes or {}) do
      local hit = false
      for _, code in ipairs(codes) do hit = hit or code_selector({ want })(code) end
      if not hit then
        ctx.log("codes: no coder applied '%s' or a code under it to a unit another coder saw",
                want)
      end
    end

    local results = {}
    for i, code in ipairs(codes) do results[code] = measure(res.by_code[i], labels, params) end
    local total = measure(res.overall, labels, params)
    if #codes == 0 then total.notes[#total.notes + 1] = "no coder applied any selected code" end

    local header = { "code", "units", "coders", "percent", "kappa", "kappa_kind", "alpha",
                     "alpha_lo", "alpha_hi", "note" }
    local by_code <close> = ctx.out.csv("by_code.csv", header)
    for _, code in ipairs(codes) do by_code_row(by_code, code, results[code]) end
    by_code_row(by_code, OVERALL, total)
    by_code:close()

    local pairs_csv <close> = ctx.out.csv("pairs.csv",
      { "coder_a", "coder_b", "code", "units", "percent", "kappa" })
    for _, code in ipairs(codes) do pair_rows(pairs_csv, code, results[code]) end
    pair_rows(pairs_csv, OVERALL, total)
    pairs_csv:close()

    -- Per source: the same figures on each source's units alone (every code
    -- compared there and the overall row), so a reader sees where the coders
    -- part. Per theme: the pooled binary (or nominal) figures of the theme's
    -- codes, from the same call restricted to those codes.
    local function call(sources, codes)
      return stats.agreement{ coders = specs, sources = sources, codes = codes,
                              mode = params.mode, samples = params.samples, seed = params.seed,
                              level = params.level }
    end
    local source_totals, theme_totals = {}, {}
    if params.breakdowns then
      local by_source <close> = ctx.out.csv("by_source.csv",
        { "source", "code", "units", "coders", "percent", "kappa", "kappa_kind", "alpha",
          "alpha_lo", "alpha_hi", "note" })
      local sources_list = breakdown_sources(store, coders, params)
      for _, src in ipairs(sources_list) do
        local r = call({ src }, params.codes)
        for i, code in ipairs(r.codes) do
          figures_row(by_source, { src, code }, measure(r.by_code[i], labels, params))
        end
        local m = measure(r.overall, labels, params)
        if #r.codes == 0 then
          m.notes[#m.notes + 1] = "no selected code applied to a unit two coders saw"
        end
        figures_row(by_source, { src, OVERALL }, m)
        source_totals[#source_totals + 1] = { name = src, m = m }
      end
      by_source:close()

      local by_theme <close> = ctx.out.csv("by_theme.csv",
        { "theme", "codes", "units", "coders", "percent", "kappa", "kappa_kind", "alpha",
          "alpha_lo", "alpha_hi", "note" })
      local groups, themes = codes_by_theme(codes)
      for _, theme in ipairs(themes) do
        local r = call(params.sources, groups[theme])
        local m = measure(r.overall, labels, params)
        figures_row(by_theme, { theme, #groups[theme] }, m)
        theme_totals[#theme_totals + 1] = { name = theme, m = m }
      end
      by_theme:close()
    end

    local dheader = { "code", "source", "segment", "speaker" }
    for _, coder in ipairs(coders) do dheader[#dheader + 1] = coder.label end
    dheader[#dheader + 1] = "segment_text"
    local dis <close> = ctx.out.csv("disagreements.csv", dheader)
    local ndis = disagreement_rows(dis, res, #coders, show_value)
    dis:close()

    local function line(name, r)
      return string.format("  %-40s %5d units  percent %s  kappa %s  alpha %s [%s, %s]", name,
        r.units, fmt4(r.percent) or "-", fmt4(r.kappa) or "-", fmt4(r.alpha) or "-",
        fmt4(r.alpha_lo) or "-", fmt4(r.alpha_hi) or "-")
    end
    print(string.format("agreement: %s; unit %s, mode %s, %d codes, kappa %s, alpha %g%% " ..
                        "interval from %d samples (seed %d)", table.concat(labels, ", "),
                        params.unit, params.mode, #codes, total.kappa_kind,
                        100 * params.level, params.samples, params.seed))
    for _, code in ipairs(codes) do print(line(code, results[code])) end
    print(line(OVERALL, total))
    if params.breakdowns then
      print("  per theme (pooled over its codes):")
      for _, t in ipairs(theme_totals) do print(line(t.name, t.m)) end
      print("  per source (all codes, pooled):")
      for _, t in ipairs(source_totals) do print(line(t.name, t.m)) end
    end
    print(string.format("  %d disagreements in %s", ndis, ctx.output_dir .. "/disagreements.csv"))

    return {
      mode = params.mode, unit = params.unit, coders = labels, codes = #codes,
      units = total.units, percent = total.percent, kappa = total.kappa,
      kappa_kind = total.kappa_kind, alpha = total.alpha, alpha_lo = total.alpha_lo,
      alpha_hi = total.alpha_hi, disagreements = ndis, sources = #source_totals,
      themes = #theme_totals, output_dir = ctx.output_dir,
    }
  end,
}
