-- section — a report section written twice, as Markdown and as an HTML
-- fragment (tables, headings and paragraphs only: no script, no style, no
-- link to anything outside), from the same calls (require("section")).
--
--   local s = section.new()
--   s:heading(2, "Participation")
--   s:para("Who took part ...")
--   s:table({ "group", "turns" }, { { "Limburg", 22 }, ... }, { align = { "l", "r" } })
--   ctx.out.write("section.md", s:markdown()); ctx.out.write("section.html", s:html())
--
-- Cells are strings or numbers (nil prints as an empty cell); text is escaped
-- for each format, so a quote may hold any character.

local M = {}
M.__index = M

function M.new() return setmetatable({ md_parts = {}, html_parts = {} }, M) end

local function html_escape(s)
  return (tostring(s):gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                                          ['"'] = "&quot;" }))
end

local function md_escape(s)
  return (tostring(s):gsub("[|\\`*_%[%]<>]", "\\%0"):gsub("\r?\n", " "))
end

local function cell(v) if v == nil then return "" end return tostring(v) end

-- A slug for ids and anchors: letters and digits of the heading, lowercased.
function M.slug(s)
  return (tostring(s):lower():gsub("[^%w]+", "-"):gsub("^-+", ""):gsub("-+$", ""))
end

function M:heading(level, title, id)
  self.md_parts[#self.md_parts + 1] = string.rep("#", level) .. " " .. md_escape(title) .. "\n"
  self.html_parts[#self.html_parts + 1] = string.format('<h%d id="%s">%s</h%d>\n', level,
    html_escape(id or M.slug(title)), html_escape(title), level)
end

function M:para(text)
  self.md_parts[#self.md_parts + 1] = md_escape(text) .. "\n"
  self.html_parts[#self.html_parts + 1] = "<p>" .. html_escape(text) .. "</p>\n"
end

-- header: column names; rows: arrays of cells; opts.align: "l"/"r" per column;
-- opts.caption: a line under the table.
function M:table(header, rows, opts)
  opts = opts or {}
  local align = opts.align or {}
  local md = { "| " .. table.concat((function()
    local t = {}
    for i, h in ipairs(header) do t[i] = md_escape(h) end
    return t
  end)(), " | ") .. " |" }
  local rule = {}
  for i = 1, #header do rule[i] = align[i] == "r" and "---:" or "---" end
  md[#md + 1] = "|" .. table.concat(rule, "|") .. "|"
  local html = { "<table>" }
  if opts.caption then html[#html + 1] = "<caption>" .. html_escape(opts.caption) .. "</caption>" end
  local th = {}
  for i, h in ipairs(header) do th[i] = "<th>" .. html_escape(h) .. "</th>" end
  html[#html + 1] = "<thead><tr>" .. table.concat(th) .. "</tr></thead>"
  html[#html + 1] = "<tbody>"
  for _, row in ipairs(rows) do
    local m, h = {}, {}
    for i = 1, #header do
      local v = cell(row[i])
      m[i] = md_escape(v)
      h[i] = (align[i] == "r" and '<td class="num">' or "<td>") .. html_escape(v) .. "</td>"
    end
    md[#md + 1] = "| " .. table.concat(m, " | ") .. " |"
    html[#html + 1] = "<tr>" .. table.concat(h) .. "</tr>"
  end
  html[#html + 1] = "</tbody>\n</table>"
  self.md_parts[#self.md_parts + 1] = table.concat(md, "\n") .. "\n"
  if opts.caption then self.md_parts[#self.md_parts + 1] = md_escape(opts.caption) .. "\n" end
  self.html_parts[#self.html_parts + 1] = table.concat(html, "\n") .. "\n"
end

function M:markdown() return table.concat(self.md_parts, "\n") end

function M:html()
  return '<section class="thema-section">\n' .. table.concat(self.html_parts) .. "</section>\n"
end

return M
