-- compare_spec.lua — thema.compare (core/lua/bind_compare.c) with its argument
-- errors, the section writer (plugins/lib/section.lua) escaping for both formats, the
-- coder resolution (plugins/lib/coders.lua), and the compare plugin run from a
-- script: its result, and the same files twice.
--
--   thema --quiet --db COPY_OF_STUDY_DB --out DIR script tests/lua/compare_spec.lua
--   (tests/lua/run.sh does this)

local spec = require("spec")
local describe, it, eq, truthy, raises = spec.describe, spec.it, spec.eq, spec.truthy,
  spec.raises
local C = thema.compare

local function near(x, want, what)
  truthy(math.abs(x - want) < 1e-12, string.format("%s: %.17g vs %.17g", what or "", x, want))
end

describe("thema.compare", function()
  it("fisher gives the lady tasting tea's p-values and an interval", function()
    local f = C.fisher(3, 1, 1, 3)
    near(f.p, 34 / 70, "p")
    near(f.p_greater, 17 / 70, "p_greater")
    near(f.odds_ratio, 9, "odds ratio")
    truthy(f.ci_lo < 9 and f.ci_hi > 9)
    near(f.expected, 2, "expected")
  end)
  it("refuses bad counts", function()
    raises("bad argument #1 to 'fisher' (count must not be negative)", function() C.fisher(-1, 1, 1, 1) end)
    raises("bad argument #3 to 'fisher'", function() C.fisher(1, 1, 1.5, 1) end)
    raises("the table is empty", function() C.fisher(0, 0, 0, 0) end)
  end)
  it("gini, top share and co-occurrence", function()
    near(C.gini({ 1, 2, 3, 4, 5 }), 4 / 15, "gini")
    near(C.gini({}), 0, "gini of nothing")
    near(C.top_share({ 1, 1, 2 }), 0.5, "top share")
    raises("value 2 must be a number, got string", function() C.gini({ 1, "x" }) end)
    raises("values must be finite and not negative", function() C.gini({ 1, -1 }) end)
    local j, lift = C.cooccurrence(2, 4, 6, 20)
    near(j, 0.25, "jaccard")
    near(lift, 40 / 24, "lift")
    raises("inconsistent counts", function() C.cooccurrence(5, 4, 6, 20) end)
  end)
  it("keyness and idf are the inductive pass's kernels", function()
    local k = C.keyness(3, 1, 39, 49)
    truthy(k.g2 > 0 and k.log_ratio > 0 and k.p > 0 and k.p < 1)
    local less = C.keyness(1, 3, 49, 39)
    truthy(less.g2 < 0 and less.log_ratio < 0)
    near(C.idf(1, 1), 1, "idf of a term in every document")
    near(C.idf(0, 3), math.log(4) + 1, "idf")
    raises("df must not exceed ndocs", function() C.idf(4, 3) end)
    raises("inconsistent counts", function() C.keyness(5, 1, 4, 10) end)
  end)
end)

describe("section", function()
  local section = require("section")
  it("escapes text for Markdown and HTML", function()
    local s = section.new()
    s:heading(2, "A <b> & c")
    s:table({ "x", "y" }, { { "a|b", "<script>alert(1)</script>" }, { nil, 3 } },
      { align = { "l", "r" } })
    local html, md = s:html(), s:markdown()
    truthy(html:find("&lt;script&gt;", 1, true), html)
    truthy(not html:find("<script", 1, true), html)
    truthy(html:find('<h2 id="a-b-c">A &lt;b&gt; &amp; c</h2>', 1, true), html)
    truthy(md:find("a\\|b", 1, true), md)
    truthy(md:find("|---|---:|", 1, true), md)
    truthy(html:find('<td class="num">3</td>', 1, true), html)
  end)
end)

describe("coders", function()
  local coders = require("coders")
  it("resolves a plugin's latest run and names what exists", function()
    raises("coder 'plugin:deductive': plugin deductive has no run with status ok",
      function() coders.resolve(thema.store, "plugin:deductive") end)
    raises("expected run:ID, plugin:NAME or coder:NAME",
      function() coders.resolve(thema.store, "deductive") end)
    raises("no codings by a human coder named x (human coders: none)",
      function() coders.resolve(thema.store, "coder:x") end)
  end)
end)

describe("the compare plugin", function()
  local function read(path)
    local f = assert(io.open(path, "rb"))
    local s = f:read("a")
    f:close()
    return s
  end
  it("compares the networks and writes the same files twice", function()
    thema.run("deductive", { codebook = "corpora/leren-om-te-leren/codebook.csv" })
    local _, r = thema.run("compare", { by = "network" })
    eq(r.by, "network")
    eq(r.groups, 4) -- three networks and (none)
    eq(r.segments, thema.store.count_segments { kind = "transcript" })
    eq(r.coders[1].coder, "plugin:deductive")
    local dir = r.output_dir
    local first = {}
    for _, f in ipairs({ "code_group.csv", "participation.csv", "keyness.csv", "section.html" }) do
      first[f] = read(dir .. "/" .. f)
    end
    thema.run("compare", { by = "network" })
    for f, bytes in pairs(first) do eq(read(dir .. "/" .. f), bytes, f) end
  end)
  it("fails on a bad grouping naming the known kinds", function()
    raises("by: unknown grouping 'party' (known: source, network",
      function() thema.run("compare", { by = "party" }) end)
  end)
end)

spec.finish("compare")
