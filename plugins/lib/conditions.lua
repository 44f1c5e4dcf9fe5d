-- conditions — the conditions of a comparative study as configuration, and
-- the raw evidence for each case (require("conditions")).
--
-- A conditions file is Lua, read as data (no library, no globals): one
-- `condition "NAME" { ... }` per condition and one `outcome "NAME" { ... }`,
-- optionally `negation { ... }` and `cases { ... }`. Each entry names its
-- evidence — coded segments (codes, with cue patterns saying whether a coded
-- turn reports the condition present or absent), monitor indicators and case
-- attributes — and its calibration (method and anchors). The fields are
-- documented in docs/plugins.md ("Conditions files"); the study's own file is
-- corpora/leren-om-te-leren/conditions.lua.
--
-- conditions.load(path [, store]) -> config, or raises "FILE:LINE: what; what
--   to do". With a store, codes and indicators are checked against it too.
-- conditions.check(config, store): the same store checks (evidence() runs them).
-- conditions.evidence(store, config, { coder = NAME } | { run = ID }) -> rows:
--   one row per case (organisations that belong to a network, and networks)
--   and condition (the outcome included), with the raw value, its counts and
--   every segment, observation and attribute behind it. A case without turns
--   (for coded evidence) or without the indicator is missing: raw = nil,
--   never 0.
--
-- Why cues and not codes alone: a code says a turn is about a condition (a
-- turn coded draagvlak may say "wij hebben draagvlak" or "er is geen
-- draagvlak"); the cues say which way it points. A negation word just before
-- a cue ("niet", "geen", "nooit", "nauwelijks") flips a supporting cue into an
-- opposing one and voids an opposing cue (a double negative is too weak to
-- count as support); every such decision is listed with the row.

local thema = require("thema")

local M = {}

local LEVELS = { "organisation", "network" }
local POLARITIES = { support = true, oppose = true, neutral = true }
local METHODS = { direct = true, indirect = true, data = true }

local DEFAULT_NEGATION = {
  words = { "niet", "ni", "nie", "geen", "gene", "nooit", "nauwelijks", "amper", "nergens" },
  window = 3,      -- words before a cue that are looked at, within its sentence
  support = "flip", -- a negated supporting cue counts as opposing
  oppose = "void",  -- a negated opposing cue counts for nothing
}

-- ---- errors ----

-- Raise "FILE:LINE: message" (no position of this file: the blame is the
-- configuration's).
local function fail_at(config, line, fmt, ...)
  error(string.format("%s:%d: " .. fmt, config.path, line or 1, ...), 0)
end

-- The first line at or after `from` holding `needle` literally (as written in
-- a long string, or with its backslashes doubled as in a quoted string); the
-- entry's own line when it is not found.
local function line_of(config, needle, from)
  needle = tostring(needle)
  local doubled = needle:gsub("\\", "\\\\")
  for i = from or 1, #config.lines do
    local l = config.lines[i]
    if l:find(needle, 1, true) or l:find(doubled, 1, true) then return i end
  end
  return from or 1
end

-- ---- reading the file ----

local function is_list(t)
  if type(t) ~= "table" then return false end
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n == #t
end

local function string_list(config, entry, key, value)
  if not is_list(value) or #value == 0 then
    fail_at(config, line_of(config, key, entry.line),
            "condition %s: %s must be a non-empty list of strings; write %s = { \"...\" }",
            entry.name, key, key)
  end
  for _, v in ipairs(value) do
    if type(v) ~= "string" or v == "" then
      fail_at(config, line_of(config, key, entry.line),
              "condition %s: %s holds %s, not a non-empty string", entry.name, key, tostring(v))
    end
  end
  return value
end

local function number_field(config, entry, t, key, where)
  local v = t[key]
  if type(v) ~= "number" or v ~= v then
    fail_at(config, line_of(config, key, entry.line),
            "condition %s: %s.%s must be a number, got %s", entry.name, where, key, tostring(v))
  end
  return v
end

-- Compile one cue pattern (accent- and case-insensitive, whole words).
local function compile_cue(config, entry, key, pattern)
  local rx, msg = thema.regex(pattern, "iaw")
  if not rx then
    fail_at(config, line_of(config, pattern, entry.line),
            "condition %s: %s cue: %s; fix the pattern", entry.name, key, msg)
  end
  return { pattern = pattern, rx = rx, line = line_of(config, pattern, entry.line) }
end

local function check_calibration(config, entry, cal)
  if type(cal) ~= "table" then
    fail_at(config, entry.line, "condition %s: calibration is missing; add calibration = " ..
            "{ method = \"direct\", anchors = { exclusion = ..., crossover = ..., " ..
            "inclusion = ... } }", entry.name)
  end
  local line = line_of(config, "calibration", entry.line)
  for k in pairs(cal) do
    if k ~= "method" and k ~= "anchors" then
      fail_at(config, line, "condition %s: calibration has an unknown field '%s' (accepted: " ..
              "method, anchors)", entry.name, tostring(k))
    end
  end
  if not METHODS[cal.method] then
    fail_at(config, line, "condition %s: calibration method must be direct, indirect or data, " ..
            "not %s", entry.name, tostring(cal.method))
  end
  if cal.method == "data" then
    if cal.anchors ~= nil then
      fail_at(config, line_of(config, "anchors", line), "condition %s: method data derives the " ..
              "anchors from the data; remove anchors or choose direct or indirect", entry.name)
    end
    return
  end
  local a = cal.anchors
  -- the direct method without anchors takes them from the data's
  -- distribution (the calibration says which); the indirect one needs them
  if a == nil and cal.method == "direct" then return end
  if type(a) ~= "table" then
    fail_at(config, line, "condition %s: method %s needs anchors = { exclusion = ..., " ..
            "crossover = ..., inclusion = ... }", entry.name, cal.method)
  end
  local aline = line_of(config, "anchors", line)
  for k in pairs(a) do
    if k ~= "exclusion" and k ~= "crossover" and k ~= "inclusion" then
      fail_at(config, aline, "condition %s: anchors has an unknown field '%s' (accepted: " ..
              "exclusion, crossover, inclusion)", entry.name, tostring(k))
    end
  end
  local e = number_field(config, entry, a, "exclusion", "anchors")
  local c = number_field(config, entry, a, "crossover", "anchors")
  local i = number_field(config, entry, a, "inclusion", "anchors")
  if not (e < c and c < i) then
    fail_at(config, aline, "condition %s: anchors out of order (exclusion %s, crossover %s, " ..
            "inclusion %s); full non-membership < crossover < full membership is needed",
            entry.name, tostring(e), tostring(c), tostring(i))
  end
end

local ENTRY_FIELDS = {
  label = true, codes = true, support = true, oppose = true, default = true, base = true,
  per = true, indicators = true, attributes = true, raw = true, calibration = true,
}

-- One indicator entry: { name = "inwoners", indicator = "NAME" } or
-- { name = "inwoners", quotient = { "A", "B" }, factor = 100 }, with
-- network = "sum" | "mean" (how a network's value is made from its members').
local function check_indicator(config, entry, ind)
  local line = line_of(config, ind.name or ind.indicator or "indicators", entry.line)
  if type(ind) ~= "table" then
    fail_at(config, line, "condition %s: each indicator is a table { name = ..., indicator = ... }",
            entry.name)
  end
  for k in pairs(ind) do
    if k ~= "name" and k ~= "indicator" and k ~= "quotient" and k ~= "factor" and
       k ~= "network" then
      fail_at(config, line, "condition %s: indicator has an unknown field '%s' (accepted: name, " ..
              "indicator, quotient, factor, network)", entry.name, tostring(k))
    end
  end
  if (ind.indicator == nil) == (ind.quotient == nil) then
    fail_at(config, line, "condition %s: an indicator gives indicator = \"NAME\" or " ..
            "quotient = { \"A\", \"B\" }, one of the two", entry.name)
  end
  if ind.quotient and (not is_list(ind.quotient) or #ind.quotient ~= 2 or
     type(ind.quotient[1]) ~= "string" or type(ind.quotient[2]) ~= "string") then
    fail_at(config, line, "condition %s: quotient must be two indicator names { \"A\", \"B\" }",
            entry.name)
  end
  if ind.indicator ~= nil and type(ind.indicator) ~= "string" then
    fail_at(config, line, "condition %s: indicator must be an indicator's name", entry.name)
  end
  if ind.factor ~= nil and type(ind.factor) ~= "number" then
    fail_at(config, line, "condition %s: factor must be a number", entry.name)
  end
  ind.network = ind.network or "mean"
  if ind.network ~= "sum" and ind.network ~= "mean" then
    fail_at(config, line, "condition %s: network must be sum or mean, not %s", entry.name,
            tostring(ind.network))
  end
  ind.name = ind.name or ind.indicator
  if type(ind.name) ~= "string" then
    fail_at(config, line, "condition %s: a quotient indicator needs a name", entry.name)
  end
  ind.line = line
  return ind
end

local function check_attribute(config, entry, att)
  local line = line_of(config, type(att) == "table" and att.attribute or "attributes", entry.line)
  if type(att) ~= "table" or type(att.attribute) ~= "string" or type(att.values) ~= "table" then
    fail_at(config, line, "condition %s: each attribute is { attribute = \"NAME\", values = " ..
            "{ ja = 1, nee = 0 } }", entry.name)
  end
  for k, v in pairs(att.values) do
    if type(k) ~= "string" or type(v) ~= "number" then
      fail_at(config, line, "condition %s: attribute %s: values maps strings to numbers",
              entry.name, att.attribute)
    end
  end
  att.line = line
  return att
end

-- Check one condition or outcome body and turn it into the entry the rest of
-- this file and the calibration use.
local function make_entry(config, kind, name, body, line)
  local entry = { name = name, kind = kind, line = line }
  if type(body) ~= "table" then
    fail_at(config, line, "%s %s: write %s \"%s\" { ... }", kind, name, kind, name)
  end
  for k in pairs(body) do
    if not ENTRY_FIELDS[k] then
      fail_at(config, line_of(config, tostring(k), line), "%s %s: unknown field '%s' (accepted: " ..
              "label, codes, support, oppose, default, base, per, indicators, attributes, raw, " ..
              "calibration)", kind, name, tostring(k))
    end
  end
  entry.label = body.label
  entry.codes = body.codes and string_list(config, entry, "codes", body.codes) or {}
  entry.code_lines = {}
  for i, code in ipairs(entry.codes) do entry.code_lines[i] = line_of(config, code, line) end
  entry.support, entry.oppose = {}, {}
  for _, key in ipairs({ "support", "oppose" }) do
    if body[key] then
      for _, p in ipairs(string_list(config, entry, key, body[key])) do
        entry[key][#entry[key] + 1] = compile_cue(config, entry, key, p)
      end
    end
  end
  entry.default = body.default or "neutral"
  if not POLARITIES[entry.default] then
    fail_at(config, line_of(config, "default", line), "%s %s: default must be support, oppose " ..
            "or neutral (the polarity of a coded turn without a cue), not %s", kind, name,
            tostring(entry.default))
  end
  entry.base = body.base or "turns"
  if entry.base ~= "turns" and entry.base ~= "words" then
    fail_at(config, line_of(config, "base", line), "%s %s: base must be turns or words, not %s",
            kind, name, tostring(entry.base))
  end
  entry.per = body.per or (entry.base == "words" and 1000 or 1)
  if type(entry.per) ~= "number" or entry.per <= 0 then
    fail_at(config, line_of(config, "per", line), "%s %s: per must be a positive number", kind,
            name)
  end
  entry.indicators = {}
  if body.indicators ~= nil then
    if not is_list(body.indicators) or #body.indicators == 0 then
      fail_at(config, line_of(config, "indicators", line), "%s %s: indicators must be a " ..
              "non-empty list", kind, name)
    end
    for i, ind in ipairs(body.indicators) do
      entry.indicators[i] = check_indicator(config, entry, ind)
    end
  end
  entry.attributes = {}
  if body.attributes ~= nil then
    if not is_list(body.attributes) or #body.attributes == 0 then
      fail_at(config, line_of(config, "attributes", line), "%s %s: attributes must be a " ..
              "non-empty list", kind, name)
    end
    for i, att in ipairs(body.attributes) do
      entry.attributes[i] = check_attribute(config, entry, att)
    end
  end
  if #entry.codes == 0 and #entry.indicators == 0 and #entry.attributes == 0 then
    fail_at(config, line, "%s %s names no evidence; give codes, indicators or attributes", kind,
            name)
  end
  if #entry.codes == 0 and (#entry.support > 0 or #entry.oppose > 0) then
    fail_at(config, line, "%s %s has cues but no codes; cues are looked for in coded turns", kind,
            name)
  end
  -- raw: "codes", an indicator's name or "attribute:NAME"; by default the
  -- coded evidence, else the first indicator, else the first attribute.
  local raw = body.raw
  if raw == nil then
    raw = #entry.codes > 0 and "codes" or
          (#entry.indicators > 0 and entry.indicators[1].name) or
          ("attribute:" .. entry.attributes[1].attribute)
  end
  local ok = raw == "codes" and #entry.codes > 0
  for _, ind in ipairs(entry.indicators) do ok = ok or raw == ind.name end
  for _, att in ipairs(entry.attributes) do ok = ok or raw == "attribute:" .. att.attribute end
  if not ok then
    fail_at(config, line_of(config, "raw", line), "%s %s: raw = %s names none of its evidence; " ..
            "use \"codes\", one of its indicators' names or \"attribute:NAME\"", kind, name,
            tostring(raw))
  end
  entry.raw = raw
  check_calibration(config, entry, body.calibration)
  entry.calibration = body.calibration
  return entry
end

local function read_file(path)
  local f, msg = io.open(path, "r")
  if not f then error(string.format("%s: cannot read the conditions file: %s", path, msg), 0) end
  local text = f:read("a")
  f:close()
  return text
end

-- Find the line of `kind "name"` in the file.
local function entry_line(config, kind, name)
  for i, l in ipairs(config.lines) do
    local k, n = l:match("^%s*(%a+)%s*%(?%s*[\"']([^\"']+)[\"']")
    if k == kind and n == name then return i end
  end
  return 1
end

function M.load(path, store)
  if type(path) ~= "string" then error("bad argument #1 to 'load' (path expected)", 2) end
  local text = read_file(path)
  local config = { path = path, lines = {}, conditions = {}, negation = DEFAULT_NEGATION,
                   exclude_speakers = { "I" }, network_turns = "meeting" }
  local body = text:sub(-1) == "\n" and text or text .. "\n"
  for l in body:gmatch("([^\n]*)\n") do config.lines[#config.lines + 1] = l end
  local bodies, seen = {}, {}
  local settings = {}
  local function constructor(kind)
    return function(name)
      if type(name) ~= "string" or not name:match("^[%w_%-]+$") then
        error(string.format("%s needs a name of letters, digits, - or _: %s \"name\" { ... }",
                            kind, kind), 2)
      end
      if seen[name] then
        error(string.format("%s '%s' is defined twice; give each condition once", kind, name), 2)
      end
      seen[name] = true
      return function(body)
        bodies[#bodies + 1] = { kind = kind, name = name, body = body }
      end
    end
  end
  local env = {
    condition = constructor("condition"),
    outcome = constructor("outcome"),
    negation = function(t) settings.negation = t end,
    cases = function(t) settings.cases = t end,
  }
  local chunk, msg = load(text, "@" .. path, "t", env)
  if not chunk then error(msg .. "; fix the Lua syntax", 0) end
  local ok, err = pcall(chunk)
  if not ok then error(tostring(err), 0) end

  if settings.negation ~= nil then
    local n, line = settings.negation, line_of(config, "negation", 1)
    if type(n) ~= "table" then fail_at(config, line, "negation takes a table") end
    for k in pairs(n) do
      if k ~= "words" and k ~= "window" and k ~= "support" and k ~= "oppose" then
        fail_at(config, line, "negation has an unknown field '%s' (accepted: words, window, " ..
                "support, oppose)", tostring(k))
      end
    end
    local neg = {}
    for k, v in pairs(DEFAULT_NEGATION) do neg[k] = n[k] == nil and v or n[k] end
    if not is_list(neg.words) then fail_at(config, line, "negation words must be a list") end
    if math.type(neg.window) ~= "integer" or neg.window < 1 then
      fail_at(config, line, "negation window must be a whole number of words, at least 1")
    end
    for _, k in ipairs({ "support", "oppose" }) do
      if neg[k] ~= "flip" and neg[k] ~= "void" and neg[k] ~= "keep" then
        fail_at(config, line, "negation %s must be flip, void or keep", k)
      end
    end
    config.negation = neg
  end
  if settings.cases ~= nil then
    local c, line = settings.cases, line_of(config, "cases", 1)
    if type(c) ~= "table" then fail_at(config, line, "cases takes a table") end
    for k in pairs(c) do
      if k ~= "exclude_speakers" and k ~= "network_turns" then
        fail_at(config, line, "cases has an unknown field '%s' (accepted: exclude_speakers, " ..
                "network_turns)", tostring(k))
      end
    end
    if c.network_turns ~= nil then
      if c.network_turns ~= "meeting" and c.network_turns ~= "members" then
        fail_at(config, line, "cases network_turns must be meeting (the turns of the " ..
                "network's own sources) or members (its members' turns anywhere), not %s",
                tostring(c.network_turns))
      end
      config.network_turns = c.network_turns
    end
    if c.exclude_speakers ~= nil then
      if not is_list(c.exclude_speakers) then
        fail_at(config, line, "cases exclude_speakers must be a list of speaker labels")
      end
      config.exclude_speakers = c.exclude_speakers
    end
  end
  config.negation_set = {}
  for _, w in ipairs(config.negation.words) do
    config.negation_set[thema.text.casefold(thema.text.strip_accents(w))] = true
  end

  for _, b in ipairs(bodies) do
    local entry = make_entry(config, b.kind, b.name, b.body, entry_line(config, b.kind, b.name))
    if b.kind == "outcome" then
      if config.outcome then
        fail_at(config, entry.line, "a second outcome '%s'; a conditions file has one outcome",
                b.name)
      end
      config.outcome = entry
    else
      config.conditions[#config.conditions + 1] = entry
    end
  end
  if #config.conditions == 0 then
    fail_at(config, #config.lines, "no condition defined; add condition \"NAME\" { ... }")
  end
  if not config.outcome then
    fail_at(config, #config.lines, "no outcome defined; add outcome \"NAME\" { ... }")
  end
  if store then M.check(config, store) end
  return config
end

-- ---- checks against the store ----

local function entries(config)
  local list = {}
  for i, c in ipairs(config.conditions) do list[i] = c end
  list[#list + 1] = config.outcome
  return list
end

function M.check(config, store)
  local indicators = {}
  for ind in store.indicators{} do indicators[ind.name] = true end
  for _, entry in ipairs(entries(config)) do
    for i, code in ipairs(entry.codes) do
      if not store.get_code(code) then
        fail_at(config, entry.code_lines[i], "%s %s: unknown code '%s'; import the codebook " ..
                "first or write the code's full path (theme/code)", entry.kind, entry.name, code)
      end
    end
    for _, ind in ipairs(entry.indicators) do
      for _, name in ipairs(ind.quotient or { ind.indicator }) do
        if not indicators[name] then
          fail_at(config, line_of(config, name, entry.line), "%s %s: unknown indicator '%s'; " ..
                  "import the monitor table first or copy the name from `thema query " ..
                  "\"SELECT name FROM indicator\"`", entry.kind, entry.name, name)
        end
      end
    end
  end
end

-- ---- the cases ----

-- Organisations that belong to a network (the local governments and
-- partnerships compared), then the networks; each with its turns and words.
-- A network's turns are those of its own sources (network_turns "meeting":
-- the network's meeting, whoever speaks) or those of its member
-- organisations' respondents in any source ("members").
local function collect_cases(store, config)
  local cases, by_key = {}, {}
  local function add(level, name)
    local c = { level = level, name = name, turns = 0, words = 0 }
    cases[#cases + 1] = c
    by_key[level .. "\0" .. name] = c
    return c
  end
  local networks_of = {}   -- organisation -> its networks' names
  for org in store.organisations{} do
    if org.networks and org.networks ~= "" then
      add("organisation", org.name)
      networks_of[org.name] = {}
      for net in org.networks:gmatch("[^;]+") do table.insert(networks_of[org.name], net) end
    end
  end
  for net in store.networks{} do add("network", net.name) end
  local excluded = {}
  for _, label in ipairs(config.exclude_speakers) do excluded[label] = true end
  local turns = {}   -- segment id -> { org = case, nets = { [case] = true }, seg = row }
  for seg in store.segments{ kind = "transcript" } do
    if not (seg.speaker and excluded[seg.speaker]) then
      local words = 0
      for _ in thema.text.words(seg.text) do words = words + 1 end
      local org = seg.organisation and by_key["organisation\0" .. seg.organisation]
      local nets, owners = {}, { org }
      if config.network_turns == "members" then
        for _, name in ipairs(seg.organisation and networks_of[seg.organisation] or {}) do
          owners[#owners + 1] = by_key["network\0" .. name]
        end
      else
        owners[#owners + 1] = seg.network and by_key["network\0" .. seg.network]
      end
      for _, c in pairs(owners) do   -- counts only: the order does not matter
        c.turns, c.words = c.turns + 1, c.words + words
        if c.level == "network" then nets[c] = true end
      end
      turns[seg.id] = { org = org, nets = nets, seg = seg }
    end
  end
  return cases, turns
end

-- ---- cues and negation ----

-- The folded words of `text` with their code-point spans, and where each
-- sentence ends (so that a negation never reaches over a full stop).
local function words_of(text)
  local list = {}
  for s, e, w in thema.text.words(text) do
    local folded = thema.text.casefold(thema.text.strip_accents(w))
    list[#list + 1] = { start = s, stop = e, word = folded }
  end
  return list
end

local function sentence_break(text, from, to)
  -- code points from..to-1 of text; true when a . ! ? ; or : lies between
  local piece = utf8.offset(text, from + 1) and
                text:sub(utf8.offset(text, from + 1), (utf8.offset(text, to + 1) or #text + 1) - 1)
  return piece and piece:find("[%.!%?;:]") ~= nil
end

-- The negation word within `window` words before code point `start`, or nil.
local function negation_before(config, text, words, start)
  local last = 0
  for i, w in ipairs(words) do
    if w.stop <= start then last = i else break end
  end
  for i = last, math.max(1, last - config.negation.window + 1), -1 do
    local w = words[i]
    if sentence_break(text, w.stop, start) then return nil end
    if config.negation_set[w.word] then return w.word end
  end
  return nil
end

-- Every cue match in the text; a match lying inside a longer match (of either
-- polarity) is dropped, so "geen draagvlak" (oppose) hides "draagvlak"
-- (support).
local function cue_matches(entry, text)
  local found = {}
  for _, polarity in ipairs({ "support", "oppose" }) do
    for _, cue in ipairs(entry[polarity]) do
      for s, e, m in cue.rx:gmatch(text) do
        if e > s then
          found[#found + 1] = { start = s, stop = e, text = m, polarity = polarity,
                                pattern = cue.pattern }
        end
      end
    end
  end
  local kept = {}
  for i, a in ipairs(found) do
    local inside = false
    for j, b in ipairs(found) do
      local la, lb = a.stop - a.start, b.stop - b.start
      if i ~= j and b.start <= a.start and a.stop <= b.stop and (lb > la or (lb == la and j < i)) then
        inside = true
        break
      end
    end
    if not inside then kept[#kept + 1] = a end
  end
  table.sort(kept, function(x, y)
    if x.start ~= y.start then return x.start < y.start end
    return x.polarity < y.polarity
  end)
  return kept
end

-- The polarity of one coded turn: supporting and opposing cues after
-- negation; more supporting than opposing is support, and the reverse oppose;
-- no cue at all is the entry's default; a tie is neutral. Returns polarity,
-- the decisions taken on negated cues, and the cues that counted.
local function turn_polarity(config, entry, seg)
  local matches = cue_matches(entry, seg.text)
  if #matches == 0 then return entry.default, {}, {} end
  local words = words_of(seg.text)
  local s, o, decisions, cues = 0, 0, {}, {}
  for _, m in ipairs(matches) do
    local polarity = m.polarity
    -- A cue that is itself a negated form ("geen draagvlak") counts as
    -- written: a negation before it is a repetition ("geen, allez, geen
    -- inspiratie") far more often than a double negative.
    local first
    for _, _, w in thema.text.words(m.text) do
      first = thema.text.casefold(thema.text.strip_accents(w))
      break
    end
    local neg = not (first and config.negation_set[first]) and
                negation_before(config, seg.text, words, m.start)
    local rule = neg and config.negation[polarity] or "keep"
    if rule == "flip" then
      decisions[#decisions + 1] = { segment = seg.id, source = seg.source, ordinal = seg.ordinal,
                                    cue = m.text, negation = neg, polarity = polarity,
                                    decision = "flipped" }
      polarity = polarity == "support" and "oppose" or "support"
    elseif rule == "void" then
      decisions[#decisions + 1] = { segment = seg.id, source = seg.source, ordinal = seg.ordinal,
                                    cue = m.text, negation = neg, polarity = polarity,
                                    decision = "voided" }
      polarity = nil
    end
    if polarity == "support" then s = s + 1 elseif polarity == "oppose" then o = o + 1 end
    if polarity then cues[#cues + 1] = { cue = m.text, polarity = polarity } end
  end
  if s > o then return "support", decisions, cues end
  if o > s then return "oppose", decisions, cues end
  return "neutral", decisions, cues
end

-- ---- indicators ----

-- The latest observation of `indicator` for `case` (by period, then by the
-- later row), or nil.
local function latest_observation(obs_index, indicator, case)
  local list = obs_index[indicator .. "\0" .. case]
  if not list then return nil end
  local best
  for _, o in ipairs(list) do
    if not best or tostring(o.period or "") > tostring(best.period or "") or
       (tostring(o.period or "") == tostring(best.period or "") and o.id > best.id) then
      best = o
    end
  end
  return best
end

-- An organisation's value of one indicator entry and the rows behind it, or nil.
local function organisation_value(obs_index, ind, name)
  if ind.indicator then
    local o = latest_observation(obs_index, ind.indicator, name)
    if not o or o.value == nil then return nil end
    return o.value, { o }
  end
  local a = latest_observation(obs_index, ind.quotient[1], name)
  local b = latest_observation(obs_index, ind.quotient[2], name)
  if not a or not b or a.value == nil or b.value == nil or b.value == 0 then return nil end
  return a.value / b.value * (ind.factor or 1), { a, b }
end

local function indicator_items(ind, rows, value, case)
  local items = {}
  for _, o in ipairs(rows) do
    items[#items + 1] = { indicator = o.indicator, observation = o.id, value = o.value,
                          case = case, source = o.source, line = o.line, period = o.period,
                          derived = ind.name }
  end
  if ind.quotient then
    items[#items + 1] = { indicator = ind.name, value = value, case = case,
                          derived = string.format("%s / %s * %s", ind.quotient[1], ind.quotient[2],
                                                  tostring(ind.factor or 1)) }
  end
  return items
end

-- A network's value: the sum or mean over the members that have one; nil when
-- none has. Members without a value are listed in `missing`.
local function network_value(store, obs_index, ind, net)
  local total, n, items, missing = 0, 0, {}, {}
  for _, member in ipairs(store.members(net)) do
    local v, rows = organisation_value(obs_index, ind, member)
    if v then
      total, n = total + v, n + 1
      for _, it in ipairs(indicator_items(ind, rows, v, member)) do items[#items + 1] = it end
    else
      missing[#missing + 1] = member
    end
  end
  if n == 0 then return nil, items, missing end
  return ind.network == "sum" and total or total / n, items, missing
end

-- ---- evidence ----

local function coder_filter(who)
  if type(who) ~= "table" or (who.coder == nil) == (who.run == nil) then
    error("bad argument #3 to 'evidence' ({ coder = NAME } or { run = ID } expected)", 3)
  end
  if who.coder then return { coder = who.coder } end
  return { run = who.run }
end

function M.evidence(store, config, who)
  local filter = coder_filter(who)
  M.check(config, store)
  local cases, turns = collect_cases(store, config)
  local obs_index = {}
  for o in store.observations{} do
    if o.case then
      local key = o.indicator .. "\0" .. o.case
      obs_index[key] = obs_index[key] or {}
      table.insert(obs_index[key], o)
    end
  end
  local rows = {}
  for _, entry in ipairs(entries(config)) do
    -- the coded turns of this entry, each once, with its polarity
    local coded = {}   -- segment id -> { polarity, decisions, cues, codes }
    local order = {}
    if #entry.codes > 0 then
      local f = { code = entry.codes }
      for k, v in pairs(filter) do f[k] = v end
      for c in store.codings(f) do
        local t = turns[c.segment]
        if t then
          local item = coded[c.segment]
          if not item then
            local polarity, decisions, cues = turn_polarity(config, entry, t.seg)
            item = { turn = t, polarity = polarity, decisions = decisions, cues = cues, codes = {} }
            coded[c.segment] = item
            order[#order + 1] = c.segment
          end
          local seen = false
          for _, code in ipairs(item.codes) do seen = seen or code == c.code end
          if not seen then item.codes[#item.codes + 1] = c.code end
        end
      end
    end
    for _, case in ipairs(cases) do
      local row = { case = case.name, level = case.level, condition = entry.name,
                    role = entry.kind, raw_source = entry.raw, support = 0, oppose = 0,
                    neutral = 0, base = entry.base == "words" and case.words or case.turns,
                    base_unit = entry.base, turns = case.turns, words = case.words,
                    items = {}, negations = {}, indicators = {}, missing = {} }
      for _, id in ipairs(order) do
        local item = coded[id]
        local mine
        if case.level == "organisation" then mine = item.turn.org == case
        else mine = item.turn.nets[case] end
        if mine then
          local seg = item.turn.seg
          row[item.polarity] = row[item.polarity] + 1
          local cue_texts = {}
          for _, cue in ipairs(item.cues) do
            cue_texts[#cue_texts + 1] = (cue.polarity == "support" and "+" or "-") .. cue.cue
          end
          row.items[#row.items + 1] = {
            polarity = item.polarity, source = seg.source, segment = seg.ordinal,
            segment_id = seg.id, speaker = seg.speaker, organisation = seg.organisation,
            code = table.concat(item.codes, ";"), cues = table.concat(cue_texts, " "),
            quote = seg.text }
          for _, d in ipairs(item.decisions) do
            row.negations[#row.negations + 1] = { segment = seg.ordinal, source = seg.source,
              segment_id = seg.id, cue = d.cue, negation = d.negation, polarity = d.polarity,
              decision = d.decision }
          end
        end
      end
      if #entry.codes > 0 then
        row.codes_raw = row.base > 0 and (row.support - row.oppose) / row.base * entry.per or nil
      end
      for _, ind in ipairs(entry.indicators) do
        local v, items, missing
        if case.level == "organisation" then
          local rows_behind
          v, rows_behind = organisation_value(obs_index, ind, case.name)
          items = v and indicator_items(ind, rows_behind, v, case.name) or {}
          missing = v and {} or { case.name }
        else
          v, items, missing = network_value(store, obs_index, ind, case.name)
        end
        row.indicators[ind.name] = v
        for _, it in ipairs(items) do row.items[#row.items + 1] = it end
        if #missing > 0 then row.missing[ind.name] = missing end
      end
      row.attributes = {}
      for _, att in ipairs(entry.attributes) do
        local v
        if case.level == "organisation" then
          local value = store.get_attributes("organisation", case.name)[att.attribute]
          v = value and att.values[value]
          row.items[#row.items + 1] = { attribute = att.attribute, value = value, score = v,
                                        case = case.name }
        end
        row.attributes[att.attribute] = v
      end
      if entry.raw == "codes" then
        row.raw = row.codes_raw
      elseif entry.raw:sub(1, 10) == "attribute:" then
        row.raw = row.attributes[entry.raw:sub(11)]
      else
        row.raw = row.indicators[entry.raw]
      end
      rows[#rows + 1] = row
    end
  end
  local rank = {}
  for i, e in ipairs(entries(config)) do rank[e.name] = i end
  local level_rank = { organisation = 1, network = 2 }
  table.sort(rows, function(a, b)
    if a.level ~= b.level then return level_rank[a.level] < level_rank[b.level] end
    if a.case ~= b.case then return a.case < b.case end
    return rank[a.condition] < rank[b.condition]
  end)
  return rows
end

M.LEVELS = LEVELS
return M
