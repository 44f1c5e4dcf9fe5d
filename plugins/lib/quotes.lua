-- quotes — the most representative coded turns per code and group
-- (require("quotes")): quotes.csv of the compare plugin. Columns and the
-- score: docs/plugins.md §11.

local thema = require("thema")
local compare = thema.compare
local text = thema.text
local sorted_keys = require("tables").sorted_keys
local F = require("figures")
local fmt4 = F.fmt4

local M = {}


-- The stemmed content words of a text, counted. A word form's term (false
-- for a stop word, a number or a word of one or two letters) is worked out
-- once per run: folding and stemming every token again costs most of the time.
local stop = text.stopwords()
local function term_of(cache, w)
  local t = cache[w]
  if t == nil then
    local f = text.casefold(w)
    t = not stop[f] and utf8.len(f) > 2 and not f:match("^%d+$") and text.stem(f)
    cache[w] = t
  end
  return t
end

local function terms(s, cache)
  local counts = {}
  for _, _, w in text.words(s) do
    local t = term_of(cache, w)
    if t then counts[t] = (counts[t] or 0) + 1 end
  end
  return counts
end

-- Per coded segment, its tf-idf vector over the segments in scope (count ×
-- the smoothed idf of analysis/keyness.h, unit length), and its text: one more pass over the segments, keeping only what
-- the coded ones need.
local function vectors(store, kind, by_id, by_seg)
  local tf, df, n, cache, texts = {}, {}, 0, {}, {}
  for r in store.segments{ kind = kind } do
    if by_id[r.id] then
      n = n + 1
      local counts = terms(r.text, cache)
      if by_seg[r.id] then
        tf[r.id] = counts
        texts[r.id] = r.text
      end
      for term in pairs(counts) do df[term] = (df[term] or 0) + 1 end
    end
  end
  local vec = {}
  for id, counts in pairs(tf) do
    local v, norm = {}, 0
    for _, term in ipairs(sorted_keys(counts)) do
      local w = counts[term] * compare.idf(df[term], n)
      v[term] = w
      norm = norm + w * w
    end
    norm = math.sqrt(norm)
    if norm > 0 then for term, w in pairs(v) do v[term] = w / norm end end
    vec[id] = v
  end
  return vec, texts
end

-- For each code, its centroid over every segment with it; each coded
-- segment's score is the cosine with its code's centroid: how typical it is
-- of everything coded so.
function M.quotes(csv, ctx, kind, coder, codes, groups, by_id, by_seg, code_segs, per_cell,
                      out)
  local vec, texts = vectors(ctx.store, kind, by_id, by_seg)
  local terms_of = {} -- segment id -> its terms, sorted
  for id, v in pairs(vec) do terms_of[id] = sorted_keys(v) end
  for _, code in ipairs(codes) do
    local centroid = {}
    for _, s in ipairs(code_segs[code]) do
      for _, term in ipairs(terms_of[s.id]) do
        centroid[term] = (centroid[term] or 0) + vec[s.id][term]
      end
    end
    local norm = 0
    for _, term in ipairs(sorted_keys(centroid)) do norm = norm + centroid[term] ^ 2 end
    norm = math.sqrt(norm)
    local cands_of = {}
    for _, s in ipairs(code_segs[code]) do
      local dot = 0
      for _, term in ipairs(terms_of[s.id]) do
        dot = dot + vec[s.id][term] * (centroid[term] or 0)
      end
      local cand = { s = s, span = by_seg[s.id][code].span, score = norm > 0 and dot / norm or 0 }
      for _, g in ipairs(s.groups) do
        cands_of[g] = cands_of[g] or {}
        table.insert(cands_of[g], cand)
      end
    end
    for _, g in ipairs(groups) do
      local cands = cands_of[g] or {}
      table.sort(cands, function(a, b)
        local sa, sb = fmt4(a.score), fmt4(b.score) -- compare what is printed: no float noise
        if sa ~= sb then return sa > sb end
        if a.s.source ~= b.s.source then return a.s.source < b.s.source end
        return a.s.ordinal < b.s.ordinal
      end)
      for rank = 1, math.min(per_cell, #cands) do
        local q = cands[rank]
        csv:row{ coder.label, code, g, rank, q.s.source, q.s.ordinal, q.s.speaker,
                 q.s.organisation, fmt4(q.score), q.span, texts[q.s.id] }
        if rank == 1 then
          out[#out + 1] = { coder = coder.label, code = code, group = g, source = q.s.source,
                            ordinal = q.s.ordinal, speaker = q.s.speaker, span = q.span,
                            text = texts[q.s.id] }
        end
      end
    end
  end
end

return M
