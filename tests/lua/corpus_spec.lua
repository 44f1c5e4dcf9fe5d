-- corpus_spec.lua — thema.corpus (core/lua/bind_corpus.c) and the counting side of
-- thema.text (tokens, stems, fillers) on the shipped study: the rows are those of
-- `thema freq|keyness|collocations` (the same counts, in the same order), keyness
-- figures recomputed here from the rows' own counts with the formulas of
-- analysis/keyness.h, determinism, and the errors for bad options.
--
--   THEMA_STUDY_DB=... thema --quiet --db COPY_OF_STUDY_DB --out DIR \
--     script tests/lua/corpus_spec.lua                 (tests/lua/run.sh does this)

local spec = require("spec")
local describe, it, eq, truthy, raises = spec.describe, spec.it, spec.eq, spec.truthy,
  spec.raises
local C, T = thema.corpus, thema.text

-- G2 of a 2x2 table over all four cells, for checking.
local function g2(a, b, n1, n2)
  local n = n1 + n2
  local s = 0
  for _, cell in ipairs { { a, n1, a + b }, { b, n2, a + b }, { n1 - a, n1, n - a - b },
    { n2 - b, n2, n - a - b } } do
    local o, row, col = cell[1], cell[2], cell[3]
    if o > 0 then s = s + o * math.log(o / (row * col / n)) end
  end
  return 2 * s
end

describe("thema.text.tokens", function()
  it("cuts clitics, elisions, compounds and numbers as the counts do", function()
    local got = {}
    for _, t in ipairs(T.tokens("Da’s l'école van Leuven-Hageland, 2.775 mensen")) do
      got[#got + 1] = t.form .. "/" .. t.kind .. (t.boundary and "|" or "")
    end
    eq(table.concat(got, " "),
      "da's/word l'/word école/word van/word leuven-hageland/word 2.775/number| mensen/word")
  end)
  it("gives code-point offsets of the text", function()
    local t = T.tokens("’t Coördinatie")
    eq(t[1].text, "’t"); eq(t[1].start, 0); eq(t[1].stop, 2)
    eq(t[2].start, 3); eq(t[2].stop, 14)
  end)
  it("stems a list in a language, and refuses an unknown one", function()
    eq(table.concat(T.stems({ "gemeenten", "samenwerking" }), " "), "gemeent samenwerk")
    eq(T.stems({ "communes" }, "fr")[1], "commun")
    eq(T.stems({ "networks" }, "en")[1], "network")
    local none, msg = T.stems({ "x" }, "klingon")
    eq(none, nil); eq(msg, "unknown stemmer language 'klingon'")
  end)
  it("ships filler lists", function()
    local f = T.fillers()
    for _, w in ipairs { "euh", "allez", "hé", "ja", "enfin", "ge", "da", "amai" } do
      eq(f[w], true, w)
    end
    eq(T.fillers("en").um, true)
    eq(select(2, T.fillers("de")), "no filler list for language 'de' (have: dutch, english, french)")
  end)
end)

describe("thema.corpus.freq", function()
  it("counts terms most frequent first", function()
    local rows = C.freq { limit = 3 }
    eq(#rows, 3)
    eq(rows[1].term, "lokale"); eq(rows[1].count, 120); eq(rows[1].n, 1)
    truthy(rows[1].count >= rows[2].count and rows[2].count >= rows[3].count)
  end)
  it("leaves stop words and fillers out unless asked", function()
    local with = {}
    for _, r in ipairs(C.freq { stopwords = false, fillers = false }) do with[r.term] = r.count end
    truthy(with.de and with.de > 0, "de kept")
    for _, r in ipairs(C.freq {}) do truthy(r.term ~= "de" and r.term ~= "ja", r.term) end
  end)
  it("a study's own words are left out too", function()
    for _, r in ipairs(C.freq { leave_out = { "Lokale" } }) do truthy(r.term ~= "lokale") end
  end)
  it("phrases with ngram, groups with by", function()
    local rows = C.freq { ngram = 2, limit = 1 }
    eq(rows[1].term, "lokale besturen"); eq(rows[1].n, 2)
    local by = C.freq { by = "network", limit = 1 }
    eq(#by, 3)
    eq(by[1].group, "Centrumsteden"); eq(by[3].group, "Limburg")
  end)
  it("stems shown by their most frequent form", function()
    for _, r in ipairs(C.freq { stem = true, limit = 20 }) do
      if r.term == "diensten" then eq(r.stem, "dienst") end
    end
  end)
end)

describe("thema.corpus.keyness", function()
  local rows = C.keyness { by = "network", group = "Limburg" }
  it("highest signed G2 first, with its figures from the counts", function()
    truthy(#rows > 10)
    for i = 2, #rows do truthy(rows[i - 1].g2 >= rows[i].g2, "sorted at " .. i) end
    local n1, n2 = 0, 0
    for _, r in ipairs(C.keyness { by = "network", group = "Limburg", min = 1 }) do
      n1 = n1 + r.target; n2 = n2 + r.reference
    end
    for _, r in ipairs(rows) do
      local want = g2(r.target, r.reference, n1, n2)
      if r.target / n1 < r.reference / n2 then want = -want end
      truthy(math.abs(r.g2 - want) < 1e-9, r.term)
      truthy(r.p > 0 and r.p <= 1, r.term)
      local lr = math.log((math.max(r.target, 0.5) / n1) / (math.max(r.reference, 0.5) / n2), 2)
      truthy(math.abs(r.log_ratio - lr) < 1e-9, r.term)
    end
  end)
  it("each row can be followed into kwic", function()
    eq(rows[1].kwic, "(?<!\\w)heel(?!\\w)")
  end)
  it("is the same on a rerun", function()
    local again = C.keyness { by = "network", group = "Limburg" }
    spec.same(again, rows)
  end)
  it("against a named group", function()
    local r = C.keyness { by = "network", group = "Limburg", against = "Centrumsteden", limit = 1 }
    eq(#r, 1)
  end)
end)

describe("thema.corpus.collocations", function()
  it("scores adjacent pairs above a floor", function()
    local rows = C.collocations { min = 5 }
    eq(rows[1].first, "lokale"); eq(rows[1].second, "besturen")
    for _, r in ipairs(rows) do truthy(r.count >= 5) end
    truthy(rows[1].npmi > 0 and rows[1].npmi <= 1)
  end)
end)

describe("bad input", function()
  it("an empty selection", function()
    raises("no segments match", C.freq, { filters = { source = "nope" } })
  end)
  it("an unknown language or grouping", function()
    raises("unknown language 'klingon'", C.freq, { lang = "klingon" })
    raises("unknown grouping 'klingon'", C.keyness, { by = "klingon", group = "x" })
    raises("no group 'Mars'", C.keyness, { by = "network", group = "Mars" })
  end)
  it("unknown fields and bad values", function()
    raises("unknown field 'bogus'", C.freq, { bogus = 1 })
    raises("needs fields 'by' and 'group'", C.keyness, { by = "network" })
    raises("n-gram sizes", C.freq, { ngram = 9 })
  end)
end)

spec.finish("corpus")
