-- tables — small table helpers shared by plugins (require("tables")).
-- Results a researcher reads must not depend on the order pairs() happens to
-- visit keys in, so plugins sort before they write.

local M = {}

-- The keys of t, sorted (all keys must be of one comparable type).
function M.sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

return M
