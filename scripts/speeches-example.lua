-- speeches-example.lua — the second study: council speeches grouped by party
-- and by year, through the same plugins and the same report as the thesis's
-- study (corpora/speeches-example/README.md).
--
--   thema --db out/speeches/thema.db --out out/speeches \
--     script scripts/speeches-example.lua corpora/speeches-example

local corpus = arg[1] or "corpora/speeches-example"
local function step(what, result) print(string.format("%-24s %s", what, result)) end

local speeches = {}
for _, name in ipairs({ "speech-2019-claes", "speech-2019-maes", "speech-2019-peeters",
                        "speech-2020-claes", "speech-2020-peeters", "speech-2020-wouters" }) do
  speeches[#speeches + 1] = corpus .. "/speeches/" .. name .. ".txt"
end
local r = thema.import("transcript", speeches)
step("speeches", string.format("%d files, %d turns", r.files, r.segments))
thema.import("cases", { corpus .. "/organisations.csv", corpus .. "/cases.csv" })
local _, coded = thema.run("deductive", { codebook = corpus .. "/codebook.csv" })
step("deductive", string.format("%d codings", coded.codings or 0))
for _, by in ipairs({ { "person.party", "party" }, { "source.year", "year" } }) do
  local _, c = thema.run("compare", { by = by[1], folder = by[2] })
  step("compare by " .. by[1], string.format("%d groups", c.groups))
end
local _, net = thema.run("network", { config = corpus .. "/network.lua" })
step("network", string.format("%d edges", net.edges))
local _, report = thema.run("report", { title = "Council speeches on integration, by party and year",
  sections = { "compare/party", "compare/year", "network" } })
step("report", report.html)
