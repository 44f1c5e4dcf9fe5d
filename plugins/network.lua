-- network — the learning network: who names whom as an example, a guide, a
-- source of advice or of mistakes. A speaker of organisation A who names
-- organisation B (or a place the study lists) within `window` characters of
-- a cue draws the edge A -> B, with the quote. Measures by igraph
-- (thema.graph): in-degree and in-strength ("looked up to"), betweenness;
-- the drawing is laid out by Graphviz with a fixed seed.

local section = require("section")
local tables = require("tables")

local function read_config(path)
  local f = assert(io.open(path, "r"))
  local text = f:read("a")
  f:close()
  local chunk, msg = load(text, "@" .. path, "t", {})
  if not chunk then error(msg, 0) end
  local ok, cfg = pcall(chunk)
  if not ok then error(cfg, 0) end
  if type(cfg) ~= "table" or type(cfg.cues) ~= "table" then
    error(path .. ": a network configuration returns a table with 'cues'", 0)
  end
  return cfg
end

-- A CSV file of header and rows, closed (and its errors raised) here.
local function write_csv(out, name, header, rows)
  local w <close> = out.csv(name, header)
  for _, r in ipairs(rows) do w:row(r) end
  w:close()
end

local function round(x, d)
  local m = 10 ^ (d or 4)
  local r = math.floor(x * m + 0.5) / m
  return math.tointeger(r) or r
end

return {
  name = "network",
  version = "1.0.0",
  description = "The learning network between organisations, from cues in the transcripts",
  params = {
    config = { type = "path", required = true,
               description = "the study's network configuration (cues, window, places)" },
    kind = { type = "string", default = "transcript", description = "the sources read" },
    seed = { type = "number", default = 1, description = "the drawing's layout seed" },
  },
  run = function(ctx, params)
    local cfg = read_config(params.config)
    local window = cfg.window or 200
    -- The cues, compiled once; kinds in name order.
    local kinds, cues = tables.sorted_keys(cfg.cues), {}
    for _, kind in ipairs(kinds) do
      for i, p in ipairs(cfg.cues[kind]) do
        local rx, msg = thema.regex(p, "i")
        if not rx then error(params.config .. ": cue " .. kind .. " " .. i .. ": " .. msg, 0) end
        cues[#cues + 1] = { kind = kind, rx = rx, pattern = p }
      end
    end
    -- The nodes: every organisation, and the places the study lists.
    local nodes, index = {}, {}
    for o in ctx.store.organisations{} do
      nodes[#nodes + 1] = { id = o.name, label = o.name, group = o.networks ~= "" and o.networks or nil }
      index[o.name] = #nodes
    end
    for _, place in ipairs(cfg.others or {}) do
      if not index[place] then
        nodes[#nodes + 1] = { id = place, label = place, group = "elsewhere" }
        index[place] = #nodes
      end
    end
    local names = {}
    for _, n in ipairs(nodes) do
      names[#names + 1] = { name = n.id, rx = assert(thema.regex("\\b" .. n.id:gsub("[%^%$%(%)%.%[%]%*%+%-%?\\|{}]", "\\%0") .. "\\b")) }
    end
    -- Read every turn: cue and mention within the window.
    local edges, order, quotes = {}, {}, {}
    for seg in ctx.store.segments{ kind = params.kind } do
      local from = seg.organisation
      if from and from ~= "" and index[from] then
        local hits = {}
        for _, c in ipairs(cues) do
          for s, e in c.rx:gmatch(seg.text) do hits[#hits + 1] = { s = s, e = e, kind = c.kind } end
        end
        if #hits > 0 then
          for _, n in ipairs(names) do
            if n.name ~= from then
              for s, e in n.rx:gmatch(seg.text) do
                local best, dist
                for _, h in ipairs(hits) do
                  local d = math.max(0, h.s - e, s - h.e)
                  if d <= window and (not dist or d < dist) then best, dist = h, d end
                end
                if best then
                  local key = from .. "\0" .. n.name .. "\0" .. best.kind
                  if not edges[key] then
                    edges[key] = { from = from, to = n.name, label = best.kind, weight = 0, segments = {} }
                    order[#order + 1] = key
                  end
                  local edge = edges[key]
                  if not edge.segments[seg.id] then
                    edge.segments[seg.id] = true
                    edge.weight = edge.weight + 1
                    quotes[#quotes + 1] = { from = from, to = n.name, kind = best.kind, source = seg.source,
                      segment = seg.ordinal, speaker = seg.speaker or "", cue = utf8.char(table.unpack({ utf8.codepoint(seg.text, utf8.offset(seg.text, best.s + 1), utf8.offset(seg.text, best.e + 1) - 1) })),
                      text = seg.text }
                  end
                  break
                end
              end
            end
          end
        end
      end
    end
    table.sort(order)
    local edge_list = {}
    for _, k in ipairs(order) do edge_list[#edge_list + 1] = edges[k] end
    -- Only the nodes on an edge are drawn and measured.
    local used = {}
    for _, e in ipairs(edge_list) do used[e.from], used[e.to] = true, true end
    local gnodes = {}
    for _, n in ipairs(nodes) do if used[n.id] then gnodes[#gnodes + 1] = n end end
    local graph = { name = "learning", directed = true, nodes = gnodes, edges = edge_list }
    local m = thema.graph.measures(graph)
    for i, n in ipairs(gnodes) do n.size = m.in_strength[i] end
    graph.attrs = { in_degree = m.in_degree, in_strength = m.in_strength,
                    out_degree = m.out_degree, betweenness = m.betweenness }
    -- Size: the indicator's latest value per case.
    local size = {}
    if cfg.size_indicator then
      for o in ctx.store.observations{ indicator = cfg.size_indicator } do
        if o.value then size[o.case] = o.value end
      end
    end
    local up, down, unknown = 0, 0, 0
    for _, e in ipairs(edge_list) do
      local a, b = size[e.from], size[e.to]
      if a and b then
        if b > a then up = up + e.weight elseif b < a then down = down + e.weight end
      else unknown = unknown + e.weight end
    end
    -- Files
    local rows = {}
    for _, e in ipairs(edge_list) do rows[#rows + 1] = { e.from, e.to, e.label, e.weight } end
    write_csv(ctx.out, "edges.csv", { "from", "to", "kind", "turns" }, rows)
    local qrows = {}
    table.sort(quotes, function(a, b)
      if a.from ~= b.from then return a.from < b.from end
      if a.to ~= b.to then return a.to < b.to end
      if a.kind ~= b.kind then return a.kind < b.kind end
      if a.source ~= b.source then return a.source < b.source end
      return a.segment < b.segment
    end)
    for _, q in ipairs(quotes) do
      qrows[#qrows + 1] = { q.from, q.to, q.kind, q.source, q.segment, q.speaker, q.cue, q.text }
    end
    write_csv(ctx.out, "edge_quotes.csv", { "from", "to", "kind", "source", "segment", "speaker", "cue", "text" }, qrows)
    local nrows = {}
    for i, n in ipairs(gnodes) do
      nrows[#nrows + 1] = { n.id, n.group or "", round(m.in_degree[i]), round(m.in_strength[i]),
                            round(m.out_degree[i]), round(m.out_strength[i]), round(m.betweenness[i]),
                            size[n.id] and round(size[n.id]) or "" }
    end
    write_csv(ctx.out, "nodes.csv", { "organisation", "networks", "in_degree", "in_strength", "out_degree",
                               "out_strength", "betweenness", "size" }, nrows)
    ctx.out.write("network.gexf", thema.graph.write(graph, "gexf"))
    ctx.out.write("network.graphml", thema.graph.write(graph, "graphml"))
    ctx.out.write("network.dot", thema.graph.write(graph, "dot"))
    local svg = #gnodes > 0 and thema.graph.svg(graph, { engine = "neato", seed = params.seed }) or ""
    ctx.out.write("network.svg", svg)
    -- The section
    local s = section.new()
    s:heading(2, "Who learns from whom", "network")
    s:para(string.format("%d edges between %d organisations and places, from %d turns in which a " ..
      "speaker names another organisation within %d characters of a cue of learning " ..
      "(example, guide, advice, mistakes; the cues are in the study's network configuration).",
      #edge_list, #gnodes, #quotes, window))
    local looked = {}
    for i, n in ipairs(gnodes) do looked[#looked + 1] = { n.id, round(m.in_strength[i]), round(m.in_degree[i]), round(m.betweenness[i], 2) } end
    table.sort(looked, function(a, b) if a[2] ~= b[2] then return a[2] > b[2] end return a[1] < b[1] end)
    s:table({ "organisation", "named (turns)", "by (organisations)", "betweenness" }, looked,
      { align = { "l", "r", "r", "r" }, caption = "Looked up to: how often each is named as a source of learning" })
    s:table({ "from", "to", "kind", "turns" }, rows, { align = { "l", "l", "l", "r" } })
    s:para(string.format("Direction by size (%s): %d turns name a larger organisation, %d a smaller one, " ..
      "%d could not be compared (no value for one side).", cfg.size_indicator or "no indicator", up, down, unknown))
    ctx.out.write("section.md", s:markdown())
    ctx.out.write("section.html", s:html())
    return { edges = #edge_list, nodes = #gnodes, turns = #quotes, larger = up, smaller = down }
  end,
}
