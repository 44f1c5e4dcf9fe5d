-- turns_per_role — the worked example of docs/plugins.md: count the turns
-- of every speaker role, per network, and write them as a CSV table.
-- Run it with THEMA_PLUGIN_PATH=plugins/examples thema run turns_per_role

local function count_turns(store, kind)
  local counts = {}   -- counts[network][role] = turns
  for seg in store.segments{ kind = kind } do
    local network = seg.network or "(none)"
    local role = seg.role or "(unmapped)"
    counts[network] = counts[network] or {}
    counts[network][role] = (counts[network][role] or 0) + 1
  end
  return counts
end

-- plugins/lib/tables.lua: helpers shared by plugins, found by require
local sorted_keys = require("tables").sorted_keys

return {
  name = "turns_per_role",
  version = "1.0.0",
  description = "Count transcript turns per speaker role and network",
  params = {
    kind = { type = "string", default = "transcript", values = { "transcript", "document" },
             description = "which sources to count" },
  },
  run = function(ctx, params)
    local counts = count_turns(ctx.store, params.kind)
    local csv <close> = ctx.out.csv("turns_per_role.csv", { "network", "role", "turns" })
    local total = 0
    for _, network in ipairs(sorted_keys(counts)) do
      for _, role in ipairs(sorted_keys(counts[network])) do
        csv:row{ network, role, counts[network][role] }
        total = total + counts[network][role]
      end
    end
    ctx.log("%d turns counted", total)
    return { turns = total }
  end,
}
