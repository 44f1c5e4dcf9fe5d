-- report — the whole study in one self-contained file: report.html (inline
-- SVG figures, every figure linked to the quotes behind it, no script, font
-- or style fetched from anywhere, readable printed) and report.md, from the
-- results the other plugins left in the output folder (compare, network,
-- inductive, preconditions) and from the store. A plugin whose results are
-- missing is named in the report as not run, never silently left out.

local section = require("section")
local svg = require("svg")

local function slurp(path)
  local f = io.open(path, "r")
  if not f then return nil end
  local text = f:read("a")
  f:close()
  return text
end

local function csv_file(path)
  local text = slurp(path)
  if not text or text == "" then return nil end
  return (thema.csv.parse(text, path))
end

local function esc(s)
  return (tostring(s):gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                                          ['"'] = "&quot;" }))
end

local slug = section.slug

-- A number from a table cell, in thema's CSV or a spreadsheet's (--excel:
-- a decimal comma).
local function num(s)
  if s == nil or s == "" then return nil end
  return tonumber(s) or tonumber((tostring(s):gsub(",", ".")))
end

-- The figures ----------------------------------------------------------------

-- Code x group heatmap: the share of each group's segments with the code;
-- each cell links to the quotes of its code and group.
local function heatmap(rows, prefix)
  if not rows or #rows == 0 then return nil end
  local coder = rows[1].coder
  local codes, groups, seen_c, seen_g, cell = {}, {}, {}, {}, {}
  for _, r in ipairs(rows) do
    if r.coder == coder then
      if not seen_c[r.code] then seen_c[r.code] = true; codes[#codes + 1] = r.code end
      if not seen_g[r.group] then seen_g[r.group] = true; groups[#groups + 1] = r.group end
      cell[r.code .. "\0" .. r.group] = r
    end
  end
  local fig = svg.new(260 + 90 * #groups, 60 + 18 * #codes)
  for j, g in ipairs(groups) do
    fig:text(260 + 90 * (j - 1) + 45, 40, g, { anchor = "middle", size = 11 })
  end
  for i, c in ipairs(codes) do
    local y = 50 + 18 * (i - 1)
    fig:text(255, y + 13, c, { anchor = "end", size = 10 })
    for j, g in ipairs(groups) do
      local r = cell[c .. "\0" .. g]
      local share = r and num(r.share) or 0
      local x = 260 + 90 * (j - 1)
      fig:link("#" .. prefix .. "q-" .. slug(c .. "-" .. g), function()
        fig:rect(x + 1, y, 88, 16, svg.shade(share), string.format("%s, %s: %s of %s segments (%.0f%%)",
          c, g, r and r.segments or 0, r and r.group_segments or 0, share * 100))
        fig:text(x + 45, y + 12, r and r.segments or "0", { anchor = "middle", size = 10,
          colour = share > 0.5 and "#ffffff" or "#000000" })
      end)
    end
  end
  fig:text(10, 20, "Share of each group's segments coded (" .. coder .. "); the number is segments", { size = 11 })
  return fig:render(), coder
end

-- Participation: words per group as bars, linking to the composition table.
local function participation(rows, target)
  if not rows or #rows == 0 then return nil end
  local max = 0
  for _, r in ipairs(rows) do max = math.max(max, num(r.words) or 0) end
  local fig = svg.new(640, 40 + 22 * #rows)
  fig:text(10, 18, "Words spoken per group (share of all compared words)", { size = 11 })
  for i, r in ipairs(rows) do
    local y = 30 + 22 * (i - 1)
    local w = max > 0 and 380 * (num(r.words) or 0) / max or 0
    fig:text(195, y + 13, r.group, { anchor = "end", size = 11 })
    fig:link("#" .. target, function()
      fig:rect(200, y, math.max(w, 1), 16, "#4e79a7", string.format("%s: %s words, %s turns", r.group, r.words, r.turns))
    end)
    fig:text(205 + w, y + 13, string.format("%s (%.0f%%)", r.words, (num(r.word_share) or 0) * 100), { size = 10 })
  end
  return fig:render()
end

-- The preconditions table coloured by membership, each cell linking to its
-- evidence.
local function membership_table(rows)
  if not rows or #rows == 0 then return nil end
  local conds, cases, seen_c, seen_k, cell = {}, {}, {}, {}, {}
  for _, r in ipairs(rows) do
    if not seen_c[r.condition] then seen_c[r.condition] = true; conds[#conds + 1] = r.condition end
    local key = r.level .. ":" .. r.case
    if not seen_k[key] then seen_k[key] = true; cases[#cases + 1] = { key = key, case = r.case, level = r.level } end
    cell[key .. "\0" .. r.condition] = r
  end
  local html = { '<table class="membership"><caption>Membership in each condition (0 out, 0.5 the crossover, 1 in); empty: missing</caption><tr><th>case</th><th>level</th>' }
  for _, c in ipairs(conds) do html[#html + 1] = "<th>" .. esc(c) .. "</th>" end
  html[#html + 1] = "</tr>\n"
  local md = { "| case | level | " .. table.concat(conds, " | ") .. " |", "|---|---|" .. string.rep("---:|", #conds) }
  for _, k in ipairs(cases) do
    html[#html + 1] = "<tr><td>" .. esc(k.case) .. "</td><td>" .. esc(k.level) .. "</td>"
    local mdrow = { k.case, k.level }
    for _, c in ipairs(conds) do
      local r = cell[k.key .. "\0" .. c]
      local m = r and num(r.membership)
      if m then
        html[#html + 1] = string.format('<td class="num" style="background:%s;color:%s"><a href="#ev-%s">%.2f</a></td>',
          svg.shade(m), m > 0.5 and "#fff" or "#000", slug(k.case .. "-" .. c), m)
        mdrow[#mdrow + 1] = string.format("%.2f", m)
      else
        html[#html + 1] = '<td class="num missing">–</td>'
        mdrow[#mdrow + 1] = ""
      end
    end
    html[#html + 1] = "</tr>\n"
    md[#md + 1] = "| " .. table.concat(mdrow, " | ") .. " |"
  end
  html[#html + 1] = "</table>\n"
  return table.concat(html), table.concat(md, "\n") .. "\n"
end

-- Quotes appendices ----------------------------------------------------------

local function quote_html(id, title, quotes)
  local h = { string.format('<section class="quotes" id="%s"><h4>%s</h4>', esc(id), esc(title)) }
  for _, q in ipairs(quotes) do
    h[#h + 1] = string.format("<blockquote><p>%s</p><footer>%s</footer></blockquote>",
      esc(q.text), esc(q.who))
  end
  h[#h + 1] = "</section>\n"
  return table.concat(h)
end

local PAGE_STYLE = [[
body{font-family:Georgia,'Times New Roman',serif;max-width:60em;margin:2em auto;padding:0 1em;color:#111;line-height:1.45}
h1,h2,h3,h4{font-family:Helvetica,Arial,sans-serif;line-height:1.2}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border:1px solid #bbb;padding:.2em .5em;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
caption{caption-side:bottom;font-size:.85em;color:#444;text-align:left}
blockquote{margin:.5em 0 .5em 1em;padding-left:.8em;border-left:3px solid #ccc}
blockquote footer{font-size:.85em;color:#555}
figure{margin:1em 0}figcaption{font-size:.85em;color:#444}
svg{max-width:100%;height:auto}
nav ul{columns:2}
.missing{color:#999}
@media print{body{max-width:none;margin:0}a{color:inherit;text-decoration:none}section{break-inside:auto}h2{break-before:page}figure,table{break-inside:avoid}}
]]

return {
  name = "report",
  version = "1.0.0",
  description = "The study in one self-contained report (report.html, report.md) from the other plugins' results",
  params = {
    title = { type = "string", default = "Report", description = "the report's title" },
    sections = { type = "list", default = { "compare", "network", "inductive", "preconditions" },
                 description = "the plugin folders (in OUT/) whose results are included, in order" },
  },
  run = function(ctx, params)
    local root = ctx.out.dir:match("^(.*)/[^/]+/?$")
    local html, md = {}, {}
    local toc = {}
    local function add(id, title, h, m)
      toc[#toc + 1] = { id = id, title = title }
      html[#html + 1] = h
      md[#md + 1] = m
    end
    -- What the store holds
    local counts = {}
    for _, e in ipairs({ "sources", "segments", "persons", "organisations", "codes", "codings" }) do
      local f = ctx.store["count_" .. e]
      counts[#counts + 1] = { e, f and f{} or "" }
    end
    local s = section.new()
    s:heading(2, "The study", "study")
    s:para("What the store holds. Every figure below is computed from it by the plugins named in its section; each links to the quotes behind it.")
    s:table({ "what", "count" }, counts, { align = { "l", "r" } })
    add("study", "The study", s:html(), s:markdown())
    local ran = {}
    for _, name in ipairs(params.sections) do
      local dir = root .. "/" .. name
      local sec_html = slurp(dir .. "/section.html")
      local sec_md = slurp(dir .. "/section.md")
      if not sec_html then
        local m = section.new()
        m:heading(2, name, slug(name) .. "-missing")
        m:para("Not included: the plugin '" .. name .. "' has no results in this output folder (run it before the report).")
        add(slug(name), name .. " (not run)", m:html(), m:markdown())
      else
        ran[#ran + 1] = name
        local figs, figs_md = {}, {}
        local prefix = slug(name) .. "-"
        if name:match("^compare") then
          local comp = csv_file(dir .. "/composition.csv")
          local base = sec_html:match('<h2 id="([^"]+)"') or slug(name)
          local p = participation(comp, base .. "-composition")
          if p then
            figs[#figs + 1] = '<figure id="' .. prefix .. 'participation">' .. p .. '<figcaption>Participation per group (' .. esc(name) .. '/composition.csv); the bars link to the composition table.</figcaption></figure>'
          end
          local hm, coder = heatmap(csv_file(dir .. "/code_group.csv"), prefix)
          if hm then
            figs[#figs + 1] = '<figure id="' .. prefix .. 'heatmap">' .. hm .. '<figcaption>Codes by group (' .. esc(name) .. '/code_group.csv, coder ' .. esc(coder) .. '); each cell links to its quotes.</figcaption></figure>'
            -- the quotes behind each cell
            local quotes = csv_file(dir .. "/quotes.csv") or {}
            local by = {}
            local order = {}
            for _, q in ipairs(quotes) do
              if q.coder == coder then
                local id = prefix .. "q-" .. slug(q.code .. "-" .. q.group)
                if not by[id] then by[id] = { title = q.code .. " — " .. q.group, quotes = {} }; order[#order + 1] = id end
                table.insert(by[id].quotes, { text = q.span ~= "" and q.span or q.text,
                  who = string.format("%s, %s (%s), turn %s", q.source, q.speaker, q.organisation, q.segment) })
              end
            end
            local qh = { '<section id="' .. prefix .. 'heatmap-quotes"><h3>Quotes behind the heatmap</h3>' }
            for _, id in ipairs(order) do qh[#qh + 1] = quote_html(id, by[id].title, by[id].quotes) end
            qh[#qh + 1] = "</section>"
            figs[#figs + 1] = table.concat(qh)
          end
          figs_md[#figs_md + 1] = "Figures: participation and the code × group heatmap are in report.html.\n"
        elseif name == "network" then
          local drawing = slurp(dir .. "/network.svg")
          if drawing and drawing ~= "" then
            drawing = drawing:gsub("^<%?xml.-%?>%s*", ""):gsub("<!DOCTYPE.->%s*", ""):gsub("<!%-%-.-%-%->%s*", "")
            figs[#figs + 1] = '<figure id="fig-network"><a href="#network-quotes">' .. drawing .. '</a><figcaption>Who names whom as a source of learning (network/edges.csv; laid out by Graphviz, seeded); the drawing links to the quotes of every edge.</figcaption></figure>'
          end
          local quotes = csv_file(dir .. "/edge_quotes.csv") or {}
          local qh = { '<section id="network-quotes"><h3>Quotes behind the edges</h3>' }
          for _, q in ipairs(quotes) do
            qh[#qh + 1] = quote_html("edge-" .. slug(q.from .. "-" .. q.to .. "-" .. q.kind .. "-" .. q.source .. "-" .. q.segment),
              q.from .. " → " .. q.to .. " (" .. q.kind .. ", cue: " .. q.cue .. ")",
              { { text = q.text, who = string.format("%s, %s, turn %s", q.source, q.speaker, q.segment) } })
          end
          qh[#qh + 1] = "</section>"
          figs[#figs + 1] = table.concat(qh)
          figs_md[#figs_md + 1] = "The network drawing is network/network.svg (also GEXF, GraphML, DOT).\n"
        elseif name == "preconditions" then
          local h, m = membership_table(csv_file(dir .. "/membership.csv"))
          if h then
            figs[#figs + 1] = '<figure id="fig-membership">' .. h .. '</figure>'
            figs_md[#figs_md + 1] = m
            local ev = csv_file(dir .. "/evidence.csv") or {}
            local by, order = {}, {}
            for _, e in ipairs(ev) do
              local id = "ev-" .. slug(e.case .. "-" .. e.condition)
              if not by[id] then by[id] = { title = e.case .. " — " .. e.condition, quotes = {} }; order[#order + 1] = id end
              local text = e.quote ~= "" and e.quote or (e.indicator .. " = " .. e.value .. (e.period ~= "" and " (" .. e.period .. ")" or ""))
              table.insert(by[id].quotes, { text = text, who = (e.polarity ~= "" and e.polarity .. "; " or "") ..
                (e.source ~= "" and (e.source .. ", " .. e.speaker .. ", turn " .. e.segment) or "indicator row " .. e.line) })
            end
            local qh = { '<section id="preconditions-evidence"><h3>Evidence behind the scores</h3>' }
            for _, id in ipairs(order) do qh[#qh + 1] = quote_html(id, by[id].title, by[id].quotes) end
            qh[#qh + 1] = "</section>"
            figs[#figs + 1] = table.concat(qh)
          end
        end
        local title = (sec_md:match("^#+%s*([^\n]+)") or name)
        add(slug(name), title, sec_html .. table.concat(figs, "\n"), sec_md .. "\n" .. table.concat(figs_md, "\n"))
      end
    end
    -- Assemble
    local page = { "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>", esc(params.title),
      "</title>\n<style>", PAGE_STYLE, "</style>\n</head>\n<body>\n<h1>", esc(params.title), "</h1>\n<nav><ul>" }
    for _, t in ipairs(toc) do page[#page + 1] = string.format('<li><a href="#%s">%s</a></li>', esc(t.id), esc(t.title)) end
    page[#page + 1] = "</ul></nav>\n"
    for i, h in ipairs(html) do
      page[#page + 1] = string.format('<section id="%s">\n%s\n</section>\n', esc(toc[i].id), h)
    end
    page[#page + 1] = "<footer><p>Made by thema " .. esc(thema.version) .. " from the results of: " ..
      esc(table.concat(ran, ", ")) .. ".</p></footer>\n</body>\n</html>\n"
    ctx.out.write("report.html", table.concat(page))
    ctx.out.write("report.md", "# " .. params.title .. "\n\n" .. table.concat(md, "\n"))
    return { sections = #toc, included = #ran, html = ctx.out.dir .. "/report.html" }
  end,
}
