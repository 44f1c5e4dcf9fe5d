-- leren-om-te-leren.lua — the whole study as one reproducible pipeline:
-- import the shipped corpus, code it deductively with the study's codebook,
-- compare the networks, read the learning network, and write the report.
--
--   thema --db out/leren-om-te-leren/thema.db --out out/leren-om-te-leren \
--     script scripts/leren-om-te-leren.lua corpora/leren-om-te-leren
--
-- Everything runs in one transaction: if any step fails, the store is left
-- as it was. Who took part in each network: `thema stats --by network` and
-- OUT/compare/composition.csv (one definition of a grouping for both).

local corpus = arg[1] or "corpora/leren-om-te-leren"

local function step(what, result)
  print(string.format("%-28s %s", what, result))
end

-- 1. Import: sources before cases, organisations before speakers.
local imports = {
  { "transcript", "transcripts", { "fg1-leuven-hageland.txt", "fg2-centrumsteden.txt",
      "fg3-limburg.txt", "interview-agii.txt", "interview-vvsg.txt" } },
  { "document", "documents", { "verkennend-gesprek.md", "topiclijst-interview-agii.md",
      "topiclijst-interview-vvsg.md", "topiclijst-fg-leuven-hageland.md",
      "topiclijst-fg-centrumsteden.md", "topiclijst-fg-limburg.md" } },
  { "monitor", "monitor", { "gemeentemonitor-2017-sympathiek.csv",
      "liim-2018-leuven-hageland.csv", "liim-2018-limburg.csv",
      "stadsmonitor-sociale-integratie.csv" } },
  { "cases", ".", { "organisations.csv", "cases.csv" } },
}

local function import_all()
  for _, item in ipairs(imports) do
    local kind, folder, files = item[1], item[2], item[3]
    local paths = {}
    for i, file in ipairs(files) do paths[i] = corpus .. "/" .. folder .. "/" .. file end
    local r = thema.import(kind, paths)
    step(kind, string.format("%d files, %d segments, %d observations, %d rows",
      r.files, r.segments, r.observations, r.rows))
  end
end

-- 2. Deductive coding with the study's codebook.
local function code_deductively()
  local run_id, result = thema.run("deductive", { codebook = corpus .. "/codebook.csv" })
  step("deductive coding", string.format("run %d: %d of %d segments coded, %d codings",
    run_id, result.coded, result.segments, result.codings))
end

-- 2b. The author's own coding: chapter 4 places every quote under the section
-- of its theme (codings-thesis.csv, made by tools/thesis_codings.py), stored
-- as coder `thesis` so that every analysis can run on it, on the deductive
-- pass, or on both.
local function import_author_coding()
  local r = thema.import("codings", { corpus .. "/codings-thesis.csv" })
  step("author's coding", string.format("%d codings as coder thesis", r.segments))
end

-- 2c. How far the deductive pass agrees with the author: per code, per theme
-- and per transcript (OUT/agreement/by_code.csv, by_theme.csv, by_source.csv).
local function compare_with_author()
  local run_id, r = thema.run("agreement", { coders = { "plugin:deductive", "coder:thesis" } })
  step("agreement with the author", string.format("run %d: kappa %.4f, alpha %.4f, %d units",
    run_id, r.kappa, r.alpha, r.units))
end

-- 6. Precondition scoring (fuzzy-set QCA) from the deductive pass, with the
-- study's conditions file; skipped while the corpus has none.
local function score_preconditions()
  local config = corpus .. "/conditions.lua"
  local f = io.open(config, "r")
  if not f then
    step("preconditions", "skipped: no " .. config)
    return
  end
  f:close()
  local run_id, result = thema.run("preconditions", { config = config,
                                                       source = "plugin:deductive" })
  step("preconditions", string.format("run %d: %d cases on %d conditions", run_id,
    result.cases, result.conditions))
end

import_all()
code_deductively()
import_author_coding()
compare_with_author()

-- 4. The networks side by side (plugins/compare.lua): membership, participation,
-- codes by network, keyness, co-occurrence, coverage, saturation, quotes, for
-- the deductive pass and the author's coding with their agreement per code.
local _, compared = thema.run("compare", { by = "network",
                                           coders = { "plugin:deductive", "coder:thesis" } })
step("compare by network", string.format("%d groups, %d keyness tests, tables in %s",
  compared.groups, compared.tests, compared.output_dir))

-- 5. Who learns from whom: organisations named near a cue of learning
-- (the cues are in the study's network.lua), with igraph's measures and a
-- drawing laid out by Graphviz.
local _, net = thema.run("network", { config = corpus .. "/network.lua" })
step("learning network", string.format("%d edges between %d organisations, from %d turns",
  net.edges, net.nodes, net.turns))

-- 6. Candidate themes from the data (plugins/inductive.lua): NMF over TF-IDF of
-- the respondents' turns, k chosen by stability, reviewed against the codes above.
local _, induced = thema.run("inductive", {})
step("inductive themes", string.format("%d themes over %d segments, %d codings",
  induced.themes, induced.segments, induced.codings))

-- 7. The preconditions scored from the coded evidence and the monitor data.
score_preconditions()

-- Last: the report, from everything above (OUT/report/report.html).
local _, report = thema.run("report", { title = "Leren om te leren? — interorganisational learning on integration policy" })
step("report", report.html)
