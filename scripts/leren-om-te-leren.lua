-- leren-om-te-leren.lua — the whole study as one reproducible pipeline:
-- import the shipped corpus, code it deductively with the study's codebook,
-- and summarise who took part in each network.
--
--   thema --db out/leren-om-te-leren/thema.db --out out/leren-om-te-leren \
--     script scripts/leren-om-te-leren.lua corpora/leren-om-te-leren
--
-- Everything runs in one transaction: if any step fails, the store is left
-- as it was. Later stages (inductive pass, precondition scoring, network
-- reports) are added here as their plugins land.

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

-- 3. Per network: sources, turns, speakers, member organisations present/absent.
local function network_summary()
  local csv <close> = thema.out.csv("networks.csv",
    { "network", "sources", "turns", "speakers", "members", "present", "absent" })
  print("")
  for net in thema.networks() do
    local sources = {}
    for s in thema.sources{ network = net.name } do sources[#sources + 1] = s.name end
    local speaking = {}   -- organisation -> true, for persons mapped in this network's sources
    local speakers = 0
    for sp in thema.speakers{ network = net.name } do
      if sp.organisation then speaking[sp.organisation] = true end
      if sp.turns > 0 then speakers = speakers + 1 end
    end
    local present, absent = {}, {}
    local members = thema.members(net.name)
    for _, org in ipairs(members) do
      if speaking[org] then present[#present + 1] = org else absent[#absent + 1] = org end
    end
    local turns = thema.count_segments{ network = net.name }
    csv:row{ net.name, table.concat(sources, ";"), turns, speakers, #members,
             table.concat(present, ";"), table.concat(absent, ";") }
    print(string.format("network %s", net.name))
    print(string.format("  sources   %d: %s", #sources, table.concat(sources, ", ")))
    print(string.format("  turns     %d", turns))
    print(string.format("  speakers  %d", speakers))
    print(string.format("  present   %d of %d: %s", #present, #members, table.concat(present, ", ")))
    print(string.format("  absent    %d: %s", #absent, table.concat(absent, ", ")))
  end
end

import_all()
code_deductively()
import_author_coding()
compare_with_author()
network_summary()

-- 4. The networks side by side (plugins/compare.lua): membership, participation,
-- codes by network, keyness, co-occurrence, coverage, saturation, quotes.
local _, compared = thema.run("compare", { by = "network" })
step("compare by network", string.format("%d groups, %d keyness tests, tables in %s",
  compared.groups, compared.tests, compared.output_dir))

-- 5. Candidate themes from the data (plugins/inductive.lua): NMF over TF-IDF of
-- the respondents' turns, k chosen by stability, reviewed against the codes above.
local _, induced = thema.run("inductive", {})
step("inductive themes", string.format("%d themes over %d segments, %d codings",
  induced.themes, induced.segments, induced.codings))
