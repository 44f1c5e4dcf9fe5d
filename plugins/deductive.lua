-- deductive — theory-driven ("top-down") coding: apply a codebook of
-- patterns to every selected segment and store each matched span as a
-- coding of this run. The matching itself runs in C (thema.matcher): a
-- literal prefilter over folded text, then PCRE2 only where a literal occurs.
-- What a pattern matches is documented in docs/plugins.md, "Matching rules".

local sorted_keys = require("tables").sorted_keys

-- Count segments and codings per code and per source and network, in one
-- pass. Codings come ordered by source and segment, so a code's codings of
-- one segment are adjacent: remembering each code's last segment is enough
-- to count segments once, in memory bounded by the codebook, not the corpus.
local function tally(store, run_id)
  local by = { source = {}, network = {} }
  local last_segment = {}
  for c in store.codings{ run = run_id } do
    local new_segment = last_segment[c.code] ~= c.segment
    last_segment[c.code] = c.segment
    for key, counts in pairs(by) do
      local k = c[key] or "(none)"
      counts[c.code] = counts[c.code] or {}
      local cell = counts[c.code][k] or { segments = 0, codings = 0 }
      counts[c.code][k] = cell
      cell.codings = cell.codings + 1
      if new_segment then cell.segments = cell.segments + 1 end
    end
  end
  return by
end

local function write_tally(out, name, key, by)
  local csv <close> = out.csv(name, { "code", key, "segments", "codings" })
  for _, code in ipairs(sorted_keys(by)) do
    for _, k in ipairs(sorted_keys(by[code])) do
      csv:row{ code, k, by[code][k].segments, by[code][k].codings }
    end
  end
end

return {
  name = "deductive",
  version = "1.0.0",
  description = "Apply a codebook of patterns to segments (deductive coding)",
  params = {
    codebook = { type = "path",
                 description = "codebook (.csv or .lua) to import first; default: the store's" },
    kind = { default = "transcript", values = { "transcript", "document" },
             description = "which sources to code" },
    exclude_speakers = { type = "list", default = { "I" },
                         description = "speaker labels never coded (the interviewer)" },
    roles = { type = "list", description = "code only speakers with these roles" },
    sources = { type = "list", description = "code only these sources" },
    unit = { default = "segment", values = { "segment" },
             description = "the unit a coding belongs to" },
  },
  run = function(ctx, params)
    local store = ctx.store
    -- importing and matching are thema's own libraries, not the store's
    if params.codebook then thema.import("codebook", params.codebook) end
    local matcher = assert(thema.matcher())
    local filters = { kind = params.kind }
    if #params.exclude_speakers > 0 then filters.except = { speaker = params.exclude_speakers } end
    if params.roles then filters.role = params.roles end
    if params.sources then filters.source = params.sources end
    local result = matcher:apply(filters)
    matcher:close()

    local by = tally(store, ctx.run_id)
    write_tally(ctx.out, "code_by_source.csv", "source", by.source)
    write_tally(ctx.out, "code_by_network.csv", "network", by.network)
    local summary <close> = ctx.out.csv("summary.csv", { "measure", "value" })
    summary:row{ "segments", result.segments }
    summary:row{ "coded", result.coded }
    summary:row{ "uncoded", result.uncoded }
    summary:row{ "codings", result.codings }
    -- The unit coded: a source's segments are turns or paragraphs as imported,
    -- or what `thema segment` re-cut them into (its attribute "unit").
    local units, seen = {}, {}
    for src in store.sources{ kind = params.kind, name = params.sources } do
      local u = store.get_attributes("source", src.name).unit
        or (src.kind == "transcript" and "turn" or "paragraph")
      if not seen[u] then seen[u] = true; units[#units + 1] = u end
    end
    table.sort(units)
    result.unit = table.concat(units, ";")
    summary:row{ "unit", result.unit }
    local per_code <close> = ctx.out.csv("codes.csv", { "code", "codings" })
    for _, code in ipairs(sorted_keys(result.codes)) do per_code:row{ code, result.codes[code] } end

    print(string.format("deductive: %d segments, %d coded, %d uncoded, %d codings",
                        result.segments, result.coded, result.uncoded, result.codings))
    for _, code in ipairs(sorted_keys(result.codes)) do
      print(string.format("  %-48s %5d", code, result.codes[code]))
    end
    return result
  end,
}
