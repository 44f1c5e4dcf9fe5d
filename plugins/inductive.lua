-- inductive — data-driven ("bottom-up") candidate themes (Braun & Clarke's
-- phases 2–4): segments selected by a stated rule, weighed by TF-IDF, grouped
-- into themes by NMF or by term communities (thema.corpus.themes, in C), each
-- theme with its label, size, quotes, coherence and stability, stored as
-- codes under inductive/ and reviewed against the codebook's codes.
-- docs/plugins.md, "The inductive pass", says what each figure means.

local section = require("section")
local extra_words = require("inductive_words")

local LANGUAGES = { "dutch", "english", "french", "german", "nl", "en", "fr", "de" }

local function fmt(x) return string.format("%.3f", x) end

-- A code path for theme n: its number and the slugs of its three top terms.
local function code_path(n, terms)
  local parts = {}
  for i = 1, math.min(3, #terms) do
    local s = section.slug(terms[i])
    if s ~= "" then parts[#parts + 1] = s end
  end
  return string.format("inductive/%02d-%s", n, table.concat(parts, "-"))
end

local function label_of(theme)
  local label = table.concat(theme.terms, ", ", 1, math.min(5, #theme.terms))
  if #theme.phrases > 0 then
    label = label .. "; " .. table.concat(theme.phrases, "; ")
  end
  return label
end

local function rule_text(p)
  local proc = p.procedural == "none" and "none"
    or (p.procedural == "default" and "the built-in pattern of openings, closings and votes"
        or ("the pattern " .. p.procedural))
  return string.format(
    "Segments of kind %s; left out: speaker labels %s; roles %s; procedural turns (%s); "
    .. "turns with fewer than %d content words (not stop words, fillers, numbers or "
    .. "one-letter tokens).",
    p.kind, table.concat(p.exclude_speakers, ", "), table.concat(p.exclude_roles, ", "), proc,
    p.min_words)
end

return {
  name = "inductive",
  version = "1.0.0",
  description = "Candidate themes from the data (NMF or term communities), reviewed against the codebook",
  params = {
    method = { default = "nmf", values = { "nmf", "leiden" },
               description = "nmf: NNDSVD-initialised NMF of TF-IDF; leiden: term co-occurrence communities" },
    k = { type = "integer", default = 0, min = 0,
          description = "number of themes; 0: chosen by stability over k_min..k_max" },
    k_min = { type = "integer", default = 3, min = 2, description = "smallest k tried" },
    k_max = { type = "integer", default = 12, min = 2, description = "largest k tried (leiden: most themes kept)" },
    seed = { type = "integer", default = 1, description = "seed of every random choice" },
    language = { default = "dutch", values = LANGUAGES, description = "stop words and stemmer" },
    stem = { type = "boolean", default = true, description = "terms are Snowball stems" },
    min_df = { type = "integer", default = 2, min = 1, description = "a term is in at least this many segments" },
    max_df = { type = "number", default = 0.5, min = 0, max = 1,
               description = "and in at most this share of them" },
    kind = { default = "transcript", values = { "transcript", "document" },
             description = "which sources" },
    sources = { type = "list", description = "only these sources" },
    exclude_speakers = { type = "list", default = { "I", "Interviewer" },
                         description = "speaker labels left out (the interviewer)" },
    exclude_roles = { type = "list", default = { "interviewer", "voorzitter", "chair" },
                      description = "person roles left out" },
    procedural = { default = "default",
                   description = "caseless pattern of procedural turns; 'default': openings, closings, votes; 'none'" },
    min_words = { type = "integer", default = 4, min = 0,
                  description = "content words a turn needs to carry a theme" },
    word_files = { type = "list", description = "a study's own stop word files" },
    stability_runs = { type = "integer", default = 5, min = 0,
                       description = "refits on subsamples for stability (0: none)" },
    subsample = { type = "number", default = 0.8, min = 0.05, max = 1,
                  description = "share of segments in each refit" },
    min_share = { type = "number", default = 0.35, min = 0, max = 1,
                  description = "a segment is coded with its strongest theme and any with this share of its weight" },
    cover = { type = "number", default = 0.3, min = 0, max = 1,
              description = "a code covers a theme (and a theme supports a code) from this share" },
    min_cooc = { type = "integer", default = 3, min = 1, description = "leiden: segments two terms share for an edge" },
    resolution = { type = "number", default = 1, min = 0.01, description = "leiden: modularity resolution" },
    keyness_by = { type = "list", default = { "network" },
                   description = "groupings for keyness_<grouping>.csv (each group against the rest); none: no file" },
    keyness_limit = { type = "integer", default = 30, min = 1,
                      description = "keyness rows per group and collocations kept" },
    export = { type = "boolean", default = false,
               description = "also write segments.csv: the selected segments with their terms" },
  },
  run = function(ctx, params)
    local store = ctx.store
    local filters = { kind = params.kind }
    if params.sources then filters.source = params.sources end
    local lang = ({ nl = "dutch", en = "english", fr = "french", de = "german" })[params.language]
      or params.language
    local th <close> = thema.corpus.themes{
      filters = filters, method = params.method, k = params.k, k_min = params.k_min,
      k_max = params.k_max, seed = params.seed, language = lang, stem = params.stem,
      min_df = params.min_df, max_df = params.max_df, exclude_speakers = params.exclude_speakers,
      exclude_roles = params.exclude_roles,
      procedural = params.procedural == "none" and false
        or (params.procedural ~= "default" and params.procedural or nil),
      min_words = params.min_words, word_files = params.word_files,
      stop_words = extra_words[lang], stability_runs = params.stability_runs,
      subsample = params.subsample, min_share = params.min_share, min_cooc = params.min_cooc,
      resolution = params.resolution,
    }
    local s = th:summary()
    local paths = {}
    for i, t in ipairs(s.themes) do
      paths[i] = code_path(i, t.terms)
      t.path = paths[i]
      t.label = label_of(t)
    end
    -- The codes first, with their descriptions, then the codings on them:
    -- a run may describe the codes it creates, not change them afterwards.
    for i, t in ipairs(s.themes) do
      store.add_code{ path = paths[i], origin = "inductive",
                      description = "Candidate theme: " .. t.label }
    end
    local codings = th:store(paths)

    -- themes.csv
    local csv <close> = ctx.out.csv("themes.csv", { "theme", "code", "label", "segments",
      "speakers", "sources", "coherence", "stability", "match", "top_terms", "stems", "phrases" })
    for i, t in ipairs(s.themes) do
      csv:row{ i, t.path, t.label, t.segments, t.speakers, t.sources, fmt(t.coherence),
               t.stability and fmt(t.stability) or "", t.match and fmt(t.match) or "",
               table.concat(t.terms, " ", 1, math.min(10, #t.terms)),
               table.concat(t.stems, " ", 1, math.min(10, #t.stems)),
               table.concat(t.phrases, "; ") }
    end
    -- theme_quotes.csv
    local qcsv <close> = ctx.out.csv("theme_quotes.csv", { "theme", "rank", "source", "segment",
      "speaker", "share", "text" })
    for i, t in ipairs(s.themes) do
      for r, q in ipairs(t.quotes) do
        local g = store.get_segment(q.segment)
        q.source, q.ordinal, q.speaker, q.text = g.source, g.ordinal, g.speaker or "", g.text
        qcsv:row{ i, r, g.source, g.ordinal, g.speaker or "", fmt(q.share), g.text }
      end
    end
    -- theme_vs_codes.csv and the review flags
    local best_cover, best_support = {}, {}
    local ocsv <close> = ctx.out.csv("theme_vs_codes.csv", { "theme", "code", "shared",
      "theme_segments", "code_segments", "jaccard", "share_of_theme", "share_of_code" })
    local codes, seen = {}, {}
    for _, o in ipairs(s.overlap) do
      if o.shared > 0 then
        ocsv:row{ o.theme, o.code, o.shared, o.theme_segments, o.code_segments, fmt(o.jaccard),
                  fmt(o.share_of_theme), fmt(o.share_of_code) }
      end
      if not seen[o.code] then seen[o.code] = true; codes[#codes + 1] = o end
      local bc = best_cover[o.theme]
      if not bc or o.share_of_theme > bc.share_of_theme then best_cover[o.theme] = o end
      local bs = best_support[o.code]
      if not bs or o.share_of_code > bs.share_of_code then best_support[o.code] = o end
    end

    -- the section
    local sec = section.new()
    sec:heading(2, "Candidate themes (inductive pass)", "inductive")
    sec:para(string.format("Method %s, %d themes%s, seed %d, language %s%s, terms in at least "
      .. "%d segments and at most %d%% of them: %d terms over %d segments.",
      params.method, #s.themes,
      params.k > 0 and " (given)" or string.format(" (chosen by stability over k = %d..%d)",
        params.k_min, params.k_max),
      params.seed, lang, params.stem and " (stems)" or "", params.min_df,
      math.floor(params.max_df * 100 + 0.5), s.terms, s.segments))
    sec:para("Selection rule: " .. rule_text(params) .. string.format(
      " Read %d segments; left out %d for the speaker, %d for the role, %d as procedural, "
      .. "%d as too short; kept %d.", s.selection.read, s.selection.speaker, s.selection.role,
      s.selection.procedural, s.selection.short, s.selection.kept))
    if #s.candidates > 0 then
      local rows = {}
      for _, c in ipairs(s.candidates) do rows[#rows + 1] = { c.k, fmt(c.stability), fmt(c.coherence) } end
      sec:table({ "k", "stability (mean best-match Jaccard)", "coherence (mean NPMI)" }, rows,
        { align = { "r", "r", "r" }, caption = "The number of themes: the k with the highest stability" })
    end
    local rows = {}
    for i, t in ipairs(s.themes) do
      local covered = best_cover[i] and best_cover[i].share_of_theme >= params.cover
      rows[#rows + 1] = { i, t.label, t.segments, t.speakers, t.sources, fmt(t.coherence),
        t.stability and fmt(t.stability) or "",
        covered and string.format("%s (%.0f%%)", best_cover[i].code, best_cover[i].share_of_theme * 100)
          or "latent: no code covers it" }
    end
    sec:table({ "theme", "label", "segments", "speakers", "sources", "coherence", "stability",
      "closest code" }, rows, { align = { "r", "l", "r", "r", "r", "r", "r", "l" } })
    for i, t in ipairs(s.themes) do
      sec:heading(3, string.format("Theme %d: %s", i, t.label), string.format("inductive-theme-%d", i))
      local qrows = {}
      for _, q in ipairs(t.quotes) do
        qrows[#qrows + 1] = { q.source .. " #" .. q.ordinal, q.speaker, q.text }
      end
      sec:table({ "segment", "speaker", "quote" }, qrows)
    end
    local unsupported = {}
    for _, o in ipairs(codes) do
      local b = best_support[o.code]
      if o.code_segments > 0 and (not b or b.share_of_code < params.cover) then
        unsupported[#unsupported + 1] = { o.code, o.code_segments,
          b and string.format("%.0f%% (theme %d)", b.share_of_code * 100, b.theme) or "" }
      end
    end
    sec:heading(3, "Codes no candidate theme supports", "inductive-unsupported")
    if #unsupported == 0 then sec:para("Every code with segments in the selection is supported.")
    else
      sec:table({ "code", "segments", "best share in one theme" }, unsupported, { align = { "l", "r", "r" } })
    end
    sec:heading(3, "Near-duplicate themes", "inductive-duplicates")
    if #s.duplicates == 0 then sec:para("No pair of themes is similar enough to merge.")
    else
      local drows = {}
      for _, d in ipairs(s.duplicates) do
        drows[#drows + 1] = { d.a, d.b, fmt(d.cosine), d.shared, fmt(d.jaccard) }
      end
      sec:table({ "theme", "theme", "term cosine", "shared segments", "segment Jaccard" }, drows,
        { align = { "r", "r", "r", "r", "r" }, caption = "Candidates to merge" })
    end
    -- familiarisation figures beside the themes, by thema.corpus (the same
    -- segments' filters, the interviewer left out; stems as the themes use)
    local corpus_filters = { kind = params.kind, except = { speaker = params.exclude_speakers } }
    if params.sources then corpus_filters.source = params.sources end
    local key_files = {}
    for _, by in ipairs(params.keyness_by) do
      if by == "none" then break end
      local file = "keyness_" .. by:gsub("[^%w]+", "_") .. ".csv"
      local kcsv <close> = ctx.out.csv(file, { "group", "term", "target", "reference",
        "g2", "log_ratio", "p", "kwic" })
      for _, g in ipairs(store.get_groups(by)) do
        local ok, rows = pcall(thema.corpus.keyness, { by = by, group = g.name,
          filters = corpus_filters, lang = lang, stem = params.stem, limit = params.keyness_limit })
        if not ok and not tostring(rows):find("empty", 1, true) then error(rows, 0) end
        for _, r in ipairs(ok and rows or {}) do -- a group with no segment has no rows
          kcsv:row{ g.name, r.term, r.target, r.reference, fmt(r.g2), fmt(r.log_ratio),
                    string.format("%.3g", r.p), r.kwic }
        end
      end
      key_files[#key_files + 1] = file
    end
    local ccsv <close> = ctx.out.csv("collocations.csv", { "first", "second", "count", "pmi",
      "npmi", "g2" })
    for _, r in ipairs(thema.corpus.collocations{ filters = corpus_filters, lang = lang,
                                                  stem = params.stem, limit = params.keyness_limit }) do
      ccsv:row{ r.first, r.second, r.count, fmt(r.pmi), fmt(r.npmi), fmt(r.g2) }
    end
    if params.export then
      local ecsv <close> = ctx.out.csv("segments.csv", { "segment", "source", "ordinal",
        "speaker", "text", "terms" })
      for _, id in ipairs(th:rows()) do
        local g = store.get_segment(id)
        ecsv:row{ id, g.source, g.ordinal, g.speaker or "", g.text, th:tokens(id) }
      end
    end
    ctx.out.write("section.md", sec:markdown())
    ctx.out.write("section.html", sec:html())

    print(string.format("inductive: %d themes over %d segments (%d left out), %d codings",
      #s.themes, s.segments, s.selection.read - s.selection.kept, codings))
    for i, t in ipairs(s.themes) do
      print(string.format("  %2d %-60s %4d  npmi %s", i, t.path, t.segments, fmt(t.coherence)))
    end
    return { themes = #s.themes, segments = s.segments, codings = codings }
  end,
}
