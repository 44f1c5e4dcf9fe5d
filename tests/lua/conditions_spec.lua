-- conditions_spec.lua: specs for plugins/lib/conditions.lua (conditions files and
-- the raw evidence per case), run by tests/lua/run.sh against a store of the study.
--
-- A small meeting (tests/lua/fixtures/conditions/spec-conditions.txt, speaker A1 of
-- Aarschot, in network Leuven-Hageland) is imported next to the study and coded by hand
-- as coder "spec", so that every count below can be worked out from its nine turns:
--   1 "Wij hebben hier echt draagvlak ..."      support (cue draagvlak)
--   2 "Er is geen, allez geen draagvlak, ..."   oppose ("geen draagvlak" hides "draagvlak"; a
--                                               cue that starts with a negation is not
--                                               negated again by the "geen" before it)
--   3 "Er is niet echt draagvlak."              oppose (niet two words before: flipped)
--   4 "Het is nooit een gevecht geweest."       neutral (nooit before gevecht: voided)
--   5 "Draagvlak? Niet altijd. Maar draagvlak is er wel."
--                                               support 2 (the "Niet" lies in another sentence)
--   6 "Er is draagvlak."                        support
--   7 "Over iets anders."                       not coded
--   8 B1 (the AgII, in no network): "Het agentschap volgt dat van dichtbij op." not coded
--   9 I: "Een vraag over draagvlak?"            coded, but the interviewer is excluded
-- So Aarschot has support 3, oppose 2, neutral 1 on a base of 7 turns: raw (3 - 2) / 7.

local spec = require("spec")
local describe, it, eq = spec.describe, spec.it, spec.eq
local C = require("conditions")

local FIX = "tests/lua/fixtures/conditions/"
local STUDY = "corpora/leren-om-te-leren/"

thema.import("codebook", { STUDY .. "codebook.csv" })
thema.import("transcript", { FIX .. "spec-conditions.txt" })
thema.import("cases", { FIX .. "spec-cases.csv" })

local function segment_id(source, ordinal)
  for s in thema.store.segments{ source = source } do
    if s.ordinal == ordinal then return s.id end
  end
  error("no segment " .. ordinal .. " in " .. source)
end

for _, ordinal in ipairs({ 1, 2, 3, 4, 5, 6, 9 }) do
  thema.store.add_coding{ segment = segment_id("spec-conditions", ordinal),
                          code = "randvoorwaarden/draagvlak", coder = "spec" }
end
-- one outcome coding on a study turn of Leuven (R1.3, fg1 segment 1)
thema.store.add_coding{ segment = segment_id("fg1-leuven-hageland", 1), code = "belang/meerwaarde",
                        coder = "spec" }

local config = C.load(FIX .. "good.lua", thema.store)
local rows = C.evidence(thema.store, config, { coder = "spec" })

local function row(case, condition)
  for _, r in ipairs(rows) do
    if r.case == case and r.condition == condition then return r end
  end
  error("no row for " .. case .. " / " .. condition)
end

local function raises(f, want)
  local ok, err = pcall(f)
  if ok then error("expected an error: " .. want, 2) end
  if not tostring(err):find(want, 1, true) then
    error(string.format("expected an error containing %q, got %q", want, tostring(err)), 2)
  end
end

local function near(got, want, what)
  if type(got) ~= "number" or math.abs(got - want) > 1e-9 then
    error(string.format("%s: expected %s, got %s", what or "value", tostring(want),
                        tostring(got)), 2)
  end
end

describe("loading", function()
  it("reads conditions in file order and the outcome apart", function()
    eq(#config.conditions, 4)
    eq(config.conditions[1].name, "steun")
    eq(config.conditions[4].name, "stad")
    eq(config.outcome.name, "leren")
    eq(config.conditions[1].calibration.method, "direct")
    eq(config.conditions[1].calibration.anchors.crossover, 0.1)
  end)
  it("loads the study's own conditions against the study's codebook", function()
    local study = C.load(STUDY .. "conditions.lua", thema.store)
    local names = {}
    for i, c in ipairs(study.conditions) do names[i] = c.name end
    eq(table.concat(names, ","), "draagvlak,schaalgrootte,coordinatie,agenda,maturiteit")
    eq(study.outcome.name, "leren")
  end)
end)

describe("bad conditions files", function()
  it("names an unknown code with its file and line", function()
    raises(function() C.load(FIX .. "bad-code.lua", thema.store) end,
           FIX .. "bad-code.lua:4: condition steun: unknown code 'randvoorwaarden/bestaat-niet'")
  end)
  it("checks codes only against a store", function()
    eq(C.load(FIX .. "bad-code.lua").conditions[1].name, "steun")
    local unchecked = C.load(FIX .. "bad-code.lua")
    raises(function() C.evidence(thema.store, unchecked, { coder = "spec" }) end,
           "bad-code.lua:4: condition steun: unknown code")
  end)
  it("names an unknown indicator with its file and line", function()
    raises(function() C.load(FIX .. "bad-indicator.lua", thema.store) end,
           FIX .. "bad-indicator.lua:3: condition grootte: unknown indicator 'Aantal inwoners'")
  end)
  it("refuses anchors out of order", function()
    raises(function() C.load(FIX .. "bad-anchors.lua") end,
           FIX .. "bad-anchors.lua:7: condition steun: anchors out of order (exclusion 0.5, " ..
           "crossover 0.1, inclusion 0.9)")
  end)
  it("refuses an unknown field", function()
    raises(function() C.load(FIX .. "bad-field.lua") end,
           FIX .. "bad-field.lua:4: condition steun: unknown field 'polarity'")
  end)
  it("reports a syntax error with its line", function()
    raises(function() C.load(FIX .. "bad-syntax.lua") end, FIX .. "bad-syntax.lua:4:")
  end)
  it("reports a cue that does not compile", function()
    raises(function() C.load(FIX .. "bad-cue.lua") end,
           FIX .. "bad-cue.lua:4: condition steun: support cue: regex: invalid pattern")
  end)
  it("refuses a condition defined twice, at its second definition", function()
    raises(function() C.load(FIX .. "bad-twice.lua") end,
           FIX .. "bad-twice.lua:3: condition 'steun' is defined twice")
  end)
  it("needs an outcome", function()
    raises(function() C.load(FIX .. "bad-no-outcome.lua") end,
           "bad-no-outcome.lua:1: no outcome defined; add outcome \"NAME\" { ... }")
  end)
  it("refuses anchors with method data, which derives them", function()
    raises(function() C.load(FIX .. "bad-data-anchors.lua") end,
           "bad-data-anchors.lua:4: condition steun: method data derives the anchors")
  end)
  it("takes the direct method without anchors, not the indirect one", function()
    raises(function() C.load(FIX .. "bad-indirect.lua") end,
           "bad-indirect.lua:4: condition steun: method indirect needs anchors")
  end)
  it("reports a file that does not exist", function()
    raises(function() C.load(FIX .. "none.lua") end, "cannot read the conditions file")
  end)
  it("asks for a coder or a run", function()
    raises(function() C.evidence(thema.store, config, {}) end, "{ coder = NAME } or { run = ID }")
  end)
end)

describe("negation", function()
  local r = row("Aarschot", "steun")
  it("counts supporting, opposing and neutral turns after negation", function()
    eq(r.support, 3, "support")
    eq(r.oppose, 2, "oppose")
    eq(r.neutral, 1, "neutral")
  end)
  it("lists every decision on a negated cue", function()
    eq(#r.negations, 2)
    eq(r.negations[1].segment, 3)
    eq(r.negations[1].cue, "draagvlak")
    eq(r.negations[1].negation, "niet")
    eq(r.negations[1].decision, "flipped")
    eq(r.negations[2].segment, 4)
    eq(r.negations[2].cue, "gevecht")
    eq(r.negations[2].negation, "nooit")
    eq(r.negations[2].decision, "voided")
  end)
  it("gives each coded turn its polarity, speaker and quote", function()
    eq(#r.items, 6)
    eq(r.items[1].polarity, "support")
    eq(r.items[1].source, "spec-conditions")
    eq(r.items[1].segment, 1)
    eq(r.items[1].speaker, "A1")
    eq(r.items[1].quote, "Wij hebben hier echt draagvlak bij de schepen.")
    eq(r.items[2].polarity, "oppose")
    eq(r.items[2].cues, "-geen draagvlak")   -- counted as written: no decision on turn 2
    eq(r.items[3].polarity, "oppose")
    eq(r.items[4].polarity, "neutral")
    eq(r.items[5].polarity, "support")
    eq(r.items[5].cues, "+Draagvlak +draagvlak")
  end)
  it("never counts the interviewer's turns", function()
    for _, item in ipairs(r.items) do eq(item.speaker ~= "I", true) end
  end)
end)

describe("normalisation", function()
  it("divides net support by the case's turns", function()
    local r = row("Aarschot", "steun")
    eq(r.base, 7)
    near(r.raw, 1 / 7, "raw")
  end)
  it("divides by words per thousand with base = words", function()
    local r = row("Aarschot", "steun_woorden")
    -- words of turns 1-7: 8 + 11 + 5 + 6 + 8 + 3 + 3 = 44
    eq(r.base, 44)
    near(r.raw, 1 / 44 * 1000, "raw")
  end)
  it("gives a network the turns of its own sources, members or not", function()
    local r = row("Leuven-Hageland", "steun")
    eq(r.base, 17 + 7 + 1)   -- fg1, A1's seven turns and B1's one
    eq(r.support, 3)
    near(r.raw, 1 / 25, "raw")
  end)
  it("scores a case that speaks but says nothing on a condition at zero", function()
    local r = row("Landen", "steun")
    eq(r.base, 3)
    eq(r.raw, 0.0)
  end)
  it("counts an outcome turn with its default polarity", function()
    local r = row("Leuven", "leren")
    eq(r.support, 1)
    eq(r.base, 16)
    near(r.raw, 1 / 16, "raw")
  end)
end)

describe("network turns from members", function()
  local members = C.evidence(thema.store, C.load(FIX .. "members.lua", thema.store),
                             { coder = "spec" })
  local function mrow(case)
    for _, r in ipairs(members) do
      if r.case == case and r.condition == "steun" then return r end
    end
  end
  it("counts the turns of the members' respondents in every source", function()
    -- Aarschot 7 (the meeting) + Diest 9 + Landen 3 + Leuven 16 (fg1 5, fg2 11)
    eq(mrow("Leuven-Hageland").base, 35)
    eq(mrow("Leuven-Hageland").support, 3)
    -- Gent 11, Leuven 16, Mechelen 1, Oostende 2, Roeselare 4, Genk 4, Kortrijk 1
    eq(mrow("Centrumsteden").base, 39)
    -- Genk 4, Lommel 5, Dilsen-Stokkem 1, Maasmechelen 1, Leopoldsburg 10, the
    -- Welzijnsregio 1: the AgII's staff and the researcher belong to no member
    eq(mrow("Limburg").base, 22)
  end)
  it("leaves organisations as they are", function()
    eq(mrow("Aarschot").base, row("Aarschot", "steun").base)
    eq(mrow("Aarschot").support, row("Aarschot", "steun").support)
  end)
  it("refuses another value", function()
    raises(function() C.load(FIX .. "bad-cases.lua") end,
           FIX .. "bad-cases.lua:1: cases network_turns must be meeting")
  end)
end)

describe("missing data", function()
  it("leaves a case without turns missing, never zero", function()
    local r = row("Tienen", "steun")
    eq(r.base, 0)
    eq(r.raw, nil)
  end)
  it("derives an indicator from its observation rows", function()
    local r = row("Aarschot", "grootte")
    near(r.raw, 1030 / 3.5 * 100, "inwoners")
    eq(#r.items, 3)
    eq(r.items[1].indicator, "Aantal personen met vreemde nationaliteit")
    eq(r.items[1].value, 1030.0)
    eq(r.items[1].source, "liim-2018-leuven-hageland")
    eq(type(r.items[1].observation), "number")
    eq(r.items[2].indicator, "% t.o.v. totaal aantal inwoners")
  end)
  it("leaves a case without the indicator missing", function()
    local r = row("Gent", "grootte")
    eq(r.raw, nil)
    eq(r.missing.inwoners[1], "Gent")
  end)
  it("averages a network's members that have the indicator and names the others", function()
    local r = row("Centrumsteden", "grootte")
    local want = (18047 / 18 + 8017 / 12.1 + 5279 / 6.8) * 100 / 3   -- Leuven, Genk, Hasselt
    near(r.raw, want, "mean inwoners")
    eq(#r.missing.inwoners, 10)
  end)
  it("reads a case attribute through its value map", function()
    eq(row("Leuven", "stad").raw, 1)
    eq(row("Landen", "stad").raw, 0)
    eq(row("Limburg", "stad").raw, nil)
  end)
end)

describe("rows", function()
  it("are sorted by level, case and the file's order of conditions", function()
    eq(rows[1].level, "organisation")
    eq(rows[1].case, "Aalst")
    eq(rows[1].condition, "steun")
    eq(rows[5].condition, "leren")
    eq(rows[#rows].level, "network")
    eq(rows[#rows].case, "Limburg")
  end)
  it("are the same on a second call", function()
    local again = C.evidence(thema.store, config, { coder = "spec" })
    eq(#again, #rows)
    for i, r in ipairs(rows) do
      eq(again[i].case .. again[i].condition .. tostring(again[i].raw),
         r.case .. r.condition .. tostring(r.raw))
    end
  end)
end)

spec.finish("conditions")
