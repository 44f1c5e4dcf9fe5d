-- svg — small inline SVG figures for reports (require("svg")): rectangles,
-- text and links, written with fixed precision so the same figure gives the
-- same bytes. No script, no style sheet, no font fetched: presentation
-- attributes only, so the figure reads the same inline, printed or alone.
--
--   local fig = svg.new(400, 100)
--   fig:link("#quotes", function() fig:rect(10, 10, 50, 16, svg.shade(0.4), "a tooltip") end)
--   fig:text(70, 22, "label", { size = 11, anchor = "start" })
--   local markup = fig:render()

local M = {}
M.__index = M

local function esc(s)
  return (tostring(s):gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
                                          ['"'] = "&quot;" }))
end

local function n(x) return string.format("%.1f", x) end

function M.new(width, height)
  return setmetatable({ width = width, height = height, parts = {} }, M)
end

-- A fill from white (0) to dark blue (1) for a share or a membership.
function M.shade(v)
  v = math.max(0, math.min(1, tonumber(v) or 0))
  local r = math.floor(255 - v * (255 - 33) + 0.5)
  local g = math.floor(255 - v * (255 - 74) + 0.5)
  local b = math.floor(255 - v * (255 - 140) + 0.5)
  return string.format("#%02x%02x%02x", r, g, b)
end

function M:rect(x, y, w, h, fill, title)
  local p = self.parts
  p[#p + 1] = string.format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#999999" stroke-width="0.5">',
    n(x), n(y), n(w), n(h), esc(fill))
  if title then p[#p + 1] = "<title>" .. esc(title) .. "</title>" end
  p[#p + 1] = "</rect>\n"
end

-- opts: size (px), anchor ("start", "middle", "end"), colour.
function M:text(x, y, s, opts)
  opts = opts or {}
  self.parts[#self.parts + 1] = string.format(
    '<text x="%s" y="%s" font-family="Helvetica, Arial, sans-serif" font-size="%d" text-anchor="%s" fill="%s">%s</text>\n',
    n(x), n(y), opts.size or 11, opts.anchor or "start", esc(opts.colour or "#000000"), esc(s))
end

-- Everything fn draws links to href.
function M:link(href, fn)
  self.parts[#self.parts + 1] = string.format('<a href="%s">', esc(href))
  fn()
  self.parts[#self.parts + 1] = "</a>\n"
end

function M:render()
  return string.format('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img">\n',
    self.width, self.height, self.width, self.height) .. table.concat(self.parts) .. "</svg>\n"
end

return M
