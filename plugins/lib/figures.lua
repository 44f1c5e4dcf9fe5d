-- figures — the shared vocabulary of the comparison's tables
-- (require("figures")): the names of the groups that are no label, and
-- numbers rounded at output only, the same way in every file.

local M = {}

M.NONE = "(none)" -- the segments without a group
M.ALL = "(all)" -- every group or role together

function M.fail(fmt, ...) error(string.format(fmt, ...), 0) end

-- %.4f, or nil for an undefined figure; never "-0.0000".
function M.fmt4(x)
  if x == nil or x ~= x then return nil end
  local s = string.format("%.4f", x)
  if s == "-0.0000" then s = "0.0000" end
  return s
end

-- A p-value to 4 significant digits.
function M.fmtp(p)
  if p == nil then return nil end
  return string.format("%.4g", p)
end

function M.ratio(a, b) if b == 0 then return nil end return a / b end

function M.pct(x) if x == nil then return "" end return string.format("%.1f%%", 100 * x) end

function M.join(list) return table.concat(list, ";") end


return M
