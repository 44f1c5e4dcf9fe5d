-- preconditions — fuzzy-set QCA of cases on conditions, from the study's
-- coded evidence and monitor data or from any cases x conditions CSV.
--
-- Two modes:
--   data=FILE.csv outcome=COL [conditions=A,B] [calibrate=COL:E:C:I,...]
--     the first column names the case, the others are conditions; a column
--     named in `calibrate` holds raw values and is calibrated (COL:E:C:I,
--     the anchors exclusion, crossover, inclusion, directly; COL:indirect:E:C:I
--     by the indirect method; COL:data directly with anchors from its
--     distribution; `*:data` for every column); every other column
--     must already hold memberships in [0, 1].
--   config=conditions.lua [source=plugin:deductive|coder:NAME|run:ID]
--     the raw evidence per case comes from plugins/lib/conditions.lua (one
--     row per case, level and condition, with the segments and observation
--     rows behind it) and each condition is calibrated as its configuration
--     says (method direct|indirect|data, anchors); direct without anchors
--     takes them from the data, and the anchors used are printed with every
--     score.
--
-- Then, per level (organisation, network; "case" for a CSV), on the cases
-- with a membership in every condition and the outcome (the others are
-- listed as excluded, never scored as 0): necessity (consistency, relevance,
-- coverage) and sufficiency (consistency, PRI, coverage) of every condition
-- and its negation, the truth table (a row's outcome is 1 from consistency
-- incl_cut and PRI pri_cut on, with at least n_cut cases; fewer is a
-- remainder "?"), and the complex (remainders false) and parsimonious
-- (remainders as don't-cares) solutions by Quine-McCluskey, every minimal
-- model, with consistency, PRI, raw and unique coverage per term.
--
-- Outputs (OUT/preconditions/): membership.csv, evidence.csv,
-- negations.csv, excluded.csv, necessity.csv, sufficiency.csv,
-- truth_table.csv, solutions.csv, section.md, section.html. Sorting and
-- rounding are documented in docs/plugins.md ("The preconditions plugin").

local thema = require("thema")
local qca = thema.qca

-- ---- errors and formatting ----

-- Bad data a user can fix: exit 2, the run rolled back.
local function input_error(fmt, ...)
  thema.input_error(string.format(fmt, ...))
end

-- Figures at 3 decimals, as QCA reports them; nil stays an empty cell.
local function fmt3(x)
  if x == nil then return nil end
  local s = string.format("%.3f", x)
  if s == "-0.000" then s = "0.000" end
  return s
end

-- Raw values with up to 6 significant digits.
local function fmt_raw(x)
  if x == nil then return nil end
  local s = string.format("%.6g", x)
  if s == "-0" then s = "0" end
  return s
end

local function split(s, sep)
  local out = {}
  for part in (s .. sep):gmatch("(.-)" .. sep:gsub("%p", "%%%0")) do out[#out + 1] = part end
  return out
end

-- ---- calibration ----

-- Calibrate values[1..n] (nil = missing) of condition `name` by spec
-- {method=, anchors=}; returns memberships, the anchors and where they
-- came from ("given" or "data"). `where` prefixes errors (FILE:LINE or the
-- configuration's condition).
local function calibrate(values, n, spec, convention, where)
  local method = spec.method or "direct"
  local anchors, from = spec.anchors, "given"
  if method == "data" or (method == "direct" and anchors == nil) then
    local a, msg = qca.anchors(values, n)
    if not a then input_error("%s: %s", where, msg) end
    anchors, from = a, "data"
    if method == "data" then method = "direct" end
  elseif anchors == nil then
    input_error("%s: the %s method needs anchors (exclusion, crossover, inclusion)", where,
                method)
  end
  local m, msg = qca.calibrate(values, { method = method, anchors = anchors,
                                         convention = convention, n = n })
  if not m then input_error("%s: %s", where, msg) end
  return m, anchors, from, method
end

-- ---- mode 1: a cases x conditions CSV ----

-- calibrate=DEV:350:550:900,LIT:data,*:data -> { DEV = {anchors=}, ... }
local function parse_calibrate(list, columns)
  local specs, all = {}, nil
  for _, item in ipairs(list or {}) do
    local parts = split(item, ":")
    local col = parts[1]
    local spec
    if #parts == 2 and parts[2] == "data" then
      spec = { method = "data" }
    elseif #parts == 4 or (#parts == 5 and parts[2] == "indirect") then
      local method = #parts == 5 and "indirect" or "direct"
      local at = #parts - 3
      local e, c, i = tonumber(parts[at + 1]), tonumber(parts[at + 2]), tonumber(parts[at + 3])
      if not (e and c and i) then
        input_error("calibrate: '%s': anchors must be numbers " ..
                    "(COLUMN:EXCLUSION:CROSSOVER:INCLUSION)", item)
      end
      spec = { method = method, anchors = { exclusion = e, crossover = c, inclusion = i } }
    else
      input_error("calibrate: '%s': write COLUMN:EXCLUSION:CROSSOVER:INCLUSION, " ..
                  "COLUMN:indirect:EXCLUSION:CROSSOVER:INCLUSION or COLUMN:data", item)
    end
    if col == "*" then
      all = spec
    elseif not columns[col] then
      input_error("calibrate: no column '%s' in the data", col)
    else
      specs[col] = spec
    end
  end
  return specs, all
end

local function read_csv_mode(params)
  local path = params.data
  local data, msg = qca.read_data(path)
  if not data then input_error("%s", msg) end
  local columns = {}
  for j, name in ipairs(data.header) do
    if j > 1 then
      if columns[name] then input_error("%s:1: column '%s' appears twice", path, name) end
      columns[name] = j - 1
    end
  end
  local listed = {}
  for j = 2, #data.header do listed[#listed + 1] = data.header[j] end
  if not params.outcome then
    input_error("%s: name the outcome column: outcome=COLUMN (columns: %s)", path,
                table.concat(listed, ", "))
  end
  if not columns[params.outcome] then
    input_error("%s:1: no outcome column '%s'; columns: %s", path, params.outcome,
                table.concat(listed, ", "))
  end
  local names = {}
  if params.conditions and #params.conditions > 0 then
    for _, c in ipairs(params.conditions) do
      if not columns[c] then
        input_error("%s:1: no condition column '%s'; columns: %s", path, c,
                    table.concat(listed, ", "))
      end
      if c == params.outcome then input_error("%s: '%s' is the outcome, not a condition", path, c) end
      names[#names + 1] = c
    end
  else
    for _, c in ipairs(listed) do if c ~= params.outcome then names[#names + 1] = c end end
  end
  if #names == 0 then input_error("%s: no condition column besides the outcome", path) end
  local seen = {}
  for _, row in ipairs(data.rows) do
    if row.case == "" then input_error("%s:%d: the case column is empty", path, row.line) end
    if seen[row.case] then
      input_error("%s:%d: case '%s' appears twice (first on line %d)", path, row.line, row.case,
                  seen[row.case])
    end
    seen[row.case] = row.line
  end
  if #data.rows == 0 then input_error("%s: no case rows below the header", path) end
  local specs, all = parse_calibrate(params.calibrate, columns)
  local entries = {}
  local order = {}
  for _, c in ipairs(names) do order[#order + 1] = c end
  order[#order + 1] = params.outcome
  local n = #data.rows
  for _, col in ipairs(order) do
    local values = {}
    for i, row in ipairs(data.rows) do values[i] = row.values[columns[col]] end
    local spec = specs[col] or all
    local entry = { name = col, outcome = col == params.outcome, values = values }
    if spec then
      entry.membership, entry.anchors, entry.anchors_from, entry.method =
        calibrate(values, n, spec, params.convention,
                  string.format("%s: column %s (calibrate=%s)", path, col,
                                table.concat(params.calibrate or {}, ",")))
    else
      for i, row in ipairs(data.rows) do
        local v = values[i]
        if v ~= nil and (v < 0 or v > 1) then
          input_error("%s:%d: column %s of case '%s' is %s, not a membership in [0, 1]; " ..
                      "calibrate it (calibrate=%s:EXCLUSION:CROSSOVER:INCLUSION or %s:data)",
                      path, row.line, col, row.case, fmt_raw(v), col, col)
        end
      end
      entry.membership, entry.method = values, "membership"
    end
    entries[#entries + 1] = entry
  end
  -- One record per case and condition, as the study mode makes them.
  local cases = {}
  for i, row in ipairs(data.rows) do
    local c = { name = row.case, level = "case", line = row.line, by = {} }
    for _, e in ipairs(entries) do
      c.by[e.name] = {
        raw = e.values[i], membership = e.membership[i],
        items = { { indicator = e.name, observation = string.format("%s:%d", path, row.line),
                    value = e.values[i] } },
      }
    end
    cases[#cases + 1] = c
  end
  table.sort(cases, function(a, b) return a.name < b.name end)
  return { levels = { "case" }, conditions = names, outcome = params.outcome,
           entries = entries, cases = cases, source = path }
end

-- ---- mode 2: the study's evidence ----

local function resolve_source(store, spec)
  local kind, what = (spec or ""):match("^(%a+):(.+)$")
  if kind == "coder" then return { coder = what }, spec end
  if kind == "run" then
    local id = math.tointeger(tonumber(what))
    if not id then input_error("source '%s': run:ID needs a run number", spec) end
    for r in store.runs{ id = id } do
      if r.status ~= "ok" then input_error("source '%s': run %d has status %s", spec, id, r.status) end
      return { run = id }, spec
    end
    input_error("source '%s': there is no run %d", spec, id)
  end
  if kind == "plugin" then
    local latest
    for r in store.runs{ plugin = what, status = "ok" } do latest = r end
    if not latest then
      input_error("source '%s': plugin %s has no run with status ok; run it first (thema run %s)",
                  spec, what, what)
    end
    return { run = latest.id }, string.format("%s (run %d)", spec, latest.id)
  end
  input_error("source '%s': write coder:NAME, run:ID or plugin:NAME", tostring(spec))
end

local function study_mode(store, params)
  local conditions = require("conditions")
  local ok, config = pcall(conditions.load, params.config, store)
  if not ok then input_error("%s", tostring(config)) end
  local by, source_label = resolve_source(store, params.source)
  local ok2, rows = pcall(conditions.evidence, store, config, by)
  if not ok2 then input_error("%s", tostring(rows)) end
  local outcome = config.outcome and config.outcome.name
  if not outcome then input_error("%s: the configuration names no outcome", params.config) end
  local names, specs = {}, {}
  for _, c in ipairs(config.conditions or {}) do
    names[#names + 1] = c.name
    specs[c.name] = c.calibration or {}
  end
  specs[outcome] = config.outcome.calibration or {}
  if params.conditions and #params.conditions > 0 then
    local known = {}
    for _, c in ipairs(names) do known[c] = true end
    for _, c in ipairs(params.conditions) do
      if not known[c] then
        input_error("conditions: '%s' is not a condition of %s (%s)", c, params.config,
                    table.concat(names, ", "))
      end
    end
    names = params.conditions
  end
  -- Cases by level, each with its rows by condition.
  local cases, index = {}, {}
  for _, r in ipairs(rows) do
    local key = r.level .. "\0" .. r.case
    local c = index[key]
    if not c then
      c = { name = r.case, level = r.level, by = {} }
      index[key] = c
      cases[#cases + 1] = c
    end
    c.by[r.condition] = { raw = r.raw, support = r.support, oppose = r.oppose, base = r.base,
                          items = r.items or {}, negations = r.negations or {} }
  end
  table.sort(cases, function(a, b)
    if a.level ~= b.level then return a.level < b.level end
    return a.name < b.name
  end)
  local levels, seen = {}, {}
  for _, c in ipairs(cases) do
    if not seen[c.level] then seen[c.level] = true; levels[#levels + 1] = c.level end
  end
  -- Calibrate each condition within each level: anchors from the data are
  -- those of the level's own distribution.
  local order = {}
  for _, c in ipairs(names) do order[#order + 1] = c end
  order[#order + 1] = outcome
  local entries = {}
  for _, level in ipairs(levels) do
    local lc = {}
    for _, c in ipairs(cases) do if c.level == level then lc[#lc + 1] = c end end
    for _, name in ipairs(order) do
      local values = {}
      for i, c in ipairs(lc) do values[i] = c.by[name] and c.by[name].raw end
      local has = false
      for i = 1, #lc do if values[i] ~= nil then has = true end end
      local m, anchors, from, method = {}, nil, nil, specs[name].method or "direct"
      if has then
        m, anchors, from, method = calibrate(values, #lc, specs[name], params.convention,
                                             string.format("%s: condition %s (%s level)",
                                                           params.config, name, level))
      end
      for i, c in ipairs(lc) do
        c.by[name] = c.by[name] or { items = {}, negations = {} }
        c.by[name].membership = m[i]
        c.by[name].anchors, c.by[name].anchors_from, c.by[name].method = anchors, from, method
      end
    end
  end
  return { levels = levels, conditions = names, outcome = outcome, cases = cases,
           source = source_label, entries = {} }
end

-- ---- analysis ----

-- The complete cases of a level, their matrix and outcome, and the excluded.
local function problem(model, level)
  local p = { cases = {}, x = {}, y = {}, excluded = {} }
  for _, c in ipairs(model.cases) do
    if c.level == level then
      local row, missing = {}, {}
      for j, name in ipairs(model.conditions) do
        row[j] = c.by[name] and c.by[name].membership
        if row[j] == nil then missing[#missing + 1] = name end
      end
      local y = c.by[model.outcome] and c.by[model.outcome].membership
      if y == nil then missing[#missing + 1] = model.outcome end
      if #missing > 0 then
        p.excluded[#p.excluded + 1] = { case = c.name, missing = table.concat(missing, ";") }
      else
        p.cases[#p.cases + 1] = c.name
        p.x[#p.x + 1] = row
        p.y[#p.y + 1] = y
      end
    end
  end
  return p
end

local function column_of(p, j, negate)
  local v = {}
  for i, row in ipairs(p.x) do v[i] = negate and 1 - row[j] or row[j] end
  return v
end

local function names_of(p, indices)
  local out = {}
  for _, i in ipairs(indices) do out[#out + 1] = p.cases[i] end
  table.sort(out)
  return table.concat(out, ";")
end

local function analyse(model, level, params)
  local p = problem(model, level)
  local r = { level = level, problem = p, necessity = {}, sufficiency = {}, truth = {},
              solutions = {} }
  if #p.cases == 0 then return r end
  for j, name in ipairs(model.conditions) do
    for _, negate in ipairs({ false, true }) do
      local x = column_of(p, j, negate)
      local label = (negate and "~" or "") .. name
      local nec = assert(qca.necessity(x, p.y))
      local suf = assert(qca.sufficiency(x, p.y))
      r.necessity[#r.necessity + 1] = { label, nec.consistency, nec.relevance, nec.coverage }
      r.sufficiency[#r.sufficiency + 1] = { label, suf.consistency, suf.pri, suf.coverage }
    end
  end
  if #model.conditions > 12 then
    input_error("a truth table takes at most 12 conditions; choose them with conditions=A,B,...")
  end
  local opts = { incl_cut = params.incl_cut, pri_cut = params.pri_cut, n_cut = params.n_cut }
  local tt = assert(qca.truth_table(p.x, p.y, opts))
  for _, row in ipairs(tt) do
    if row.n > 0 then r.truth[#r.truth + 1] = row end
  end
  for _, kind in ipairs({ "complex", "parsimonious" }) do
    local s = assert(qca.minimise(p.x, p.y, {
      names = model.conditions, remainders = kind == "parsimonious",
      incl_cut = params.incl_cut, pri_cut = params.pri_cut, n_cut = params.n_cut }))
    r.solutions[#r.solutions + 1] = { kind = kind, models = s.models }
  end
  return r
end

-- ---- output ----

local function write_membership(out, model)
  local w <close> = out.csv("membership.csv", {
    "case", "level", "condition", "raw", "membership", "method", "convention", "exclusion",
    "crossover", "inclusion", "anchors_from", "support", "oppose", "base", "items", "negations" })
  local order = {}
  for _, c in ipairs(model.conditions) do order[#order + 1] = c end
  order[#order + 1] = model.outcome
  for _, c in ipairs(model.cases) do
    for _, name in ipairs(order) do
      local e = c.by[name] or { items = {} }
      local a = e.anchors or {}
      w:row{ c.name, c.level, name, fmt_raw(e.raw), fmt3(e.membership), e.method,
             e.method == "direct" and e.anchors and model.convention or nil,
             fmt_raw(a.exclusion), fmt_raw(a.crossover), fmt_raw(a.inclusion), e.anchors_from,
             e.support, e.oppose, e.base, #(e.items or {}), e.negations and #e.negations or nil }
    end
  end
end

local function write_evidence(out, model)
  local w <close> = out.csv("evidence.csv", {
    "case", "level", "condition", "polarity", "source", "segment", "speaker", "quote",
    "indicator", "observation", "value", "code", "cues", "period", "line" })
  local n <close> = out.csv("negations.csv", { "case", "level", "condition", "segment", "cue",
                                               "decision" })
  local order = {}
  for _, c in ipairs(model.conditions) do order[#order + 1] = c end
  order[#order + 1] = model.outcome
  for _, c in ipairs(model.cases) do
    for _, name in ipairs(order) do
      local e = c.by[name]
      for _, it in ipairs(e and e.items or {}) do
        -- A case attribute is shown as an indicator "attribute:NAME".
        local indicator = it.indicator or (it.attribute and "attribute:" .. it.attribute)
        w:row{ c.name, c.level, name, it.polarity, it.source, it.segment, it.speaker, it.quote,
               indicator, it.observation, type(it.value) == "number" and fmt_raw(it.value)
                 or it.value, it.code, it.cues, it.period, it.line }
      end
      for _, g in ipairs(e and e.negations or {}) do
        n:row{ c.name, c.level, name, g.segment, g.cue, g.decision }
      end
    end
  end
end

local function write_tables(out, model, results)
  local ex <close> = out.csv("excluded.csv", { "level", "case", "missing" })
  local ne <close> = out.csv("necessity.csv", { "level", "condition", "consistency",
                                                 "relevance", "coverage", "cases" })
  local su <close> = out.csv("sufficiency.csv", { "level", "condition", "consistency", "pri",
                                                   "coverage", "cases" })
  local header = { "level" }
  for _, c in ipairs(model.conditions) do header[#header + 1] = c end
  for _, h in ipairs({ "outcome", "n", "consistency", "pri", "cases" }) do header[#header + 1] = h end
  local tt <close> = out.csv("truth_table.csv", header)
  local so <close> = out.csv("solutions.csv", { "level", "solution", "model", "part", "expression",
                                                 "consistency", "pri", "coverage",
                                                 "unique_coverage", "cases" })
  for _, r in ipairs(results) do
    local p = r.problem
    for _, e in ipairs(p.excluded) do ex:row{ r.level, e.case, e.missing } end
    for _, row in ipairs(r.necessity) do
      ne:row{ r.level, row[1], fmt3(row[2]), fmt3(row[3]), fmt3(row[4]), #p.cases }
    end
    for _, row in ipairs(r.sufficiency) do
      su:row{ r.level, row[1], fmt3(row[2]), fmt3(row[3]), fmt3(row[4]), #p.cases }
    end
    for _, row in ipairs(r.truth) do
      local cells = { r.level }
      for _, v in ipairs(row.config) do cells[#cells + 1] = v end
      cells[#cells + 1] = row.outcome
      cells[#cells + 1] = row.n
      cells[#cells + 1] = fmt3(row.incl)
      cells[#cells + 1] = fmt3(row.pri)
      cells[#cells + 1] = names_of(p, row.cases)
      tt:row(cells)
    end
    for _, s in ipairs(r.solutions) do
      for mi, m in ipairs(s.models) do
        local label = "M" .. mi
        so:row{ r.level, s.kind, label, "model", m.expression, fmt3(m.consistency), fmt3(m.pri),
                fmt3(m.coverage), nil, nil }
        for _, t in ipairs(m.terms) do
          so:row{ r.level, s.kind, label, "term", t.expression, fmt3(t.consistency), fmt3(t.pri),
                  fmt3(t.coverage), fmt3(t.unique_coverage), names_of(p, t.cases) }
        end
      end
    end
  end
end

-- The report section: the same tables as Markdown and as an HTML fragment.
local function escape_html(s)
  return (tostring(s):gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                                         ['"'] = "&quot;" }))
end

local function escape_md(s) return (tostring(s):gsub("|", "\\|")) end

local function add_table(md, html, caption, header, rows)
  md[#md + 1] = "**" .. caption .. "**\n"
  md[#md + 1] = "| " .. table.concat(header, " | ") .. " |"
  local rule = {}
  for i = 1, #header do rule[i] = "---" end
  md[#md + 1] = "|" .. table.concat(rule, "|") .. "|"
  html[#html + 1] = "<table class=\"preconditions\">\n<caption>" .. escape_html(caption) ..
                    "</caption>\n<thead><tr>"
  for _, h in ipairs(header) do html[#html + 1] = "<th>" .. escape_html(h) .. "</th>" end
  html[#html + 1] = "</tr></thead>\n<tbody>\n"
  for _, row in ipairs(rows) do
    local cells = {}
    for i = 1, #header do cells[i] = row[i] == nil and "" or tostring(row[i]) end
    local mdc = {}
    for i, c in ipairs(cells) do mdc[i] = escape_md(c) end
    md[#md + 1] = "| " .. table.concat(mdc, " | ") .. " |"
    html[#html + 1] = "<tr>"
    for _, c in ipairs(cells) do html[#html + 1] = "<td>" .. escape_html(c) .. "</td>" end
    html[#html + 1] = "</tr>\n"
  end
  md[#md + 1] = ""
  html[#html + 1] = "</tbody>\n</table>\n"
end

local function write_section(out, model, results, params)
  local md, html = {}, {}
  local conv = model.convention == "fsqca" and "fs/QCA (log-odds 3 at the anchors: 0.953)"
               or "R's QCA (0.95 at the full-membership anchor)"
  md[#md + 1] = "## Preconditions: fuzzy-set QCA\n"
  local intro = string.format(
    "Outcome %s; conditions %s; evidence from %s. Calibration convention: %s. " ..
    "Truth table: outcome 1 from consistency %.2f and PRI %.2f, at least %d case(s) a row.",
    model.outcome, table.concat(model.conditions, ", "), model.source, conv, params.incl_cut,
    params.pri_cut, params.n_cut)
  md[#md + 1] = intro .. "\n"
  html[#html + 1] = "<section class=\"preconditions\">\n<h2>Preconditions: fuzzy-set QCA</h2>\n"
  html[#html + 1] = "<p>" .. escape_html(intro) .. "</p>\n"
  local order = {}
  for _, c in ipairs(model.conditions) do order[#order + 1] = c end
  order[#order + 1] = model.outcome
  for _, r in ipairs(results) do
    local header = { "case" }
    for _, c in ipairs(order) do header[#header + 1] = c end
    local rows = {}
    for _, c in ipairs(model.cases) do
      if c.level == r.level then
        local row = { c.name }
        for _, name in ipairs(order) do
          local e = c.by[name]
          local m = e and e.membership
          row[#row + 1] = m and string.format("%s (%s)", fmt3(m), fmt_raw(e.raw) or "")
                          or "missing"
        end
        rows[#rows + 1] = row
      end
    end
    add_table(md, html, "Membership (raw value), level " .. r.level, header, rows)
    local anchors = {}
    for _, name in ipairs(order) do
      local shown
      for _, c in ipairs(model.cases) do
        local e = c.level == r.level and c.by[name]
        if e and e.anchors and not shown then
          shown = true
          anchors[#anchors + 1] = { name, e.method, fmt_raw(e.anchors.exclusion),
                                    fmt_raw(e.anchors.crossover), fmt_raw(e.anchors.inclusion),
                                    e.anchors_from }
        end
      end
    end
    if #anchors > 0 then
      add_table(md, html, "Calibration anchors, level " .. r.level,
                { "condition", "method", "exclusion", "crossover", "inclusion", "from" }, anchors)
    end
    local nec, suf = {}, {}
    for _, row in ipairs(r.necessity) do nec[#nec + 1] = { row[1], fmt3(row[2]), fmt3(row[3]), fmt3(row[4]) } end
    for _, row in ipairs(r.sufficiency) do suf[#suf + 1] = { row[1], fmt3(row[2]), fmt3(row[3]), fmt3(row[4]) } end
    add_table(md, html, "Necessity, level " .. r.level,
              { "condition", "consistency", "relevance", "coverage" }, nec)
    add_table(md, html, "Sufficiency, level " .. r.level,
              { "condition", "consistency", "PRI", "coverage" }, suf)
    local theader = {}
    for _, c in ipairs(model.conditions) do theader[#theader + 1] = c end
    for _, h in ipairs({ "OUT", "n", "consistency", "PRI", "cases" }) do theader[#theader + 1] = h end
    local trows = {}
    for _, row in ipairs(r.truth) do
      local cells = {}
      for _, v in ipairs(row.config) do cells[#cells + 1] = v end
      cells[#cells + 1] = row.outcome
      cells[#cells + 1] = row.n
      cells[#cells + 1] = fmt3(row.incl)
      cells[#cells + 1] = fmt3(row.pri)
      cells[#cells + 1] = names_of(r.problem, row.cases)
      trows[#trows + 1] = cells
    end
    add_table(md, html, "Truth table, level " .. r.level, theader, trows)
    local srows = {}
    for _, s in ipairs(r.solutions) do
      if #s.models == 0 then
        srows[#srows + 1] = { s.kind, "", "(no configuration with outcome 1)" }
      end
      for mi, m in ipairs(s.models) do
        srows[#srows + 1] = { s.kind, "M" .. mi, m.expression, fmt3(m.consistency), fmt3(m.pri),
                              fmt3(m.coverage), "" }
        for _, t in ipairs(m.terms) do
          srows[#srows + 1] = { "", "", t.expression, fmt3(t.consistency), fmt3(t.pri),
                                fmt3(t.coverage), fmt3(t.unique_coverage) }
        end
      end
    end
    add_table(md, html, "Solutions, level " .. r.level,
              { "solution", "model", "expression", "consistency", "PRI", "coverage",
                "unique coverage" }, srows)
    if #r.problem.excluded > 0 then
      local ex = {}
      for _, e in ipairs(r.problem.excluded) do ex[#ex + 1] = { e.case, e.missing } end
      add_table(md, html, "Excluded (missing membership), level " .. r.level,
                { "case", "missing" }, ex)
    end
  end
  html[#html + 1] = "</section>\n"
  out.write("section.md", table.concat(md, "\n"))
  out.write("section.html", table.concat(html))
end

return {
  name = "preconditions",
  version = "1.0.0",
  description = "Fuzzy-set QCA: calibration, necessity, sufficiency, truth table and " ..
                "minimisation, from coded evidence or a cases x conditions CSV",
  params = {
    data = { type = "path", description = "a cases x conditions CSV (first column the case)" },
    outcome = { description = "the outcome column (data mode) or condition (default: the configuration's)" },
    conditions = { type = "list", description = "the conditions to analyse (default: all)" },
    calibrate = { type = "list", description = "data mode: COLUMN:EXCLUSION:CROSSOVER:INCLUSION, COLUMN:indirect:E:C:I or COLUMN:data (*:data for all)" },
    config = { type = "path", description = "a conditions file (study mode; see plugins/lib/conditions.lua)" },
    source = { default = "plugin:deductive", description = "study mode: whose codings: plugin:NAME, run:ID or coder:NAME" },
    convention = { default = "rqca", values = { "rqca", "fsqca" },
                   description = "direct calibration: rqca (0.95 at the anchor) or fsqca (log-odds 3)" },
    incl_cut = { type = "number", default = 0.8, min = 0, max = 1,
                 description = "truth table: consistency from which a row's outcome is 1" },
    pri_cut = { type = "number", default = 0, min = 0, max = 1,
                description = "truth table: PRI a row needs for outcome 1" },
    n_cut = { type = "integer", default = 1, min = 1,
              description = "truth table: rows with fewer cases are remainders" },
  },
  run = function(ctx, params)
    local model
    if params.data and params.config then
      input_error("give data=FILE.csv or config=FILE, not both")
    elseif params.data then
      model = read_csv_mode(params)
    elseif params.config then
      model = study_mode(ctx.store, params)
      if params.outcome and params.outcome ~= model.outcome then
        input_error("outcome '%s': the configuration's outcome is '%s'", params.outcome,
                    model.outcome)
      end
    else
      input_error("give data=FILE.csv outcome=COLUMN (a cases x conditions table) or " ..
                  "config=FILE (a conditions file)")
    end
    model.convention = params.convention
    for _, e in ipairs(model.entries) do
      for _, c in ipairs(model.cases) do
        local b = c.by[e.name]
        b.anchors, b.anchors_from, b.method = e.anchors, e.anchors_from, e.method
      end
    end
    local results = {}
    for _, level in ipairs(model.levels) do results[#results + 1] = analyse(model, level, params) end
    write_membership(ctx.out, model)
    write_evidence(ctx.out, model)
    write_tables(ctx.out, model, results)
    write_section(ctx.out, model, results, params)
    local scored = 0
    for _, r in ipairs(results) do scored = scored + #r.problem.cases end
    ctx.log("%d case(s) scored on %d condition(s) for %s", scored, #model.conditions,
            model.outcome)
    return { cases = scored, conditions = #model.conditions }
  end,
}
