-- coders — who coded: a coder named the way the agreement plugin names one,
-- resolved against the store (require("coders")).
--
--   run:ID        the codings of that run (it must have status ok)
--   plugin:NAME   the codings of NAME's latest run with status ok
--   coder:NAME    a human coder's codings (thema import codings FILE --coder NAME)
--
-- resolve(store, spec) returns { label = spec, what = "run 3 of deductive",
-- spec = { run = ID } | { coder = NAME } } or raises a message saying what
-- exists instead.

local M = {}

local function fail(fmt, ...) error(string.format(fmt, ...), 0) end

-- The human coders with codings in the store, "a, b" or "none".
function M.human_coders(store)
  local names, list = {}, {}
  for c in store.codings{} do
    if c.run == nil and c.coder and not names[c.coder] then
      names[c.coder] = true
      list[#list + 1] = c.coder
    end
  end
  table.sort(list)
  return #list > 0 and table.concat(list, ", ") or "none"
end

-- The plugins with a run of status ok, "a, b" or "none".
local function ok_plugins(store)
  local seen, list = {}, {}
  for r in store.runs{ status = "ok" } do
    if not seen[r.plugin] then seen[r.plugin] = true; list[#list + 1] = r.plugin end
  end
  table.sort(list)
  return #list > 0 and table.concat(list, ", ") or "none"
end

function M.resolve(store, spec)
  local kind, what = tostring(spec):match("^(%a+):(.+)$")
  if kind == "run" then
    local id = math.tointeger(tonumber(what))
    if not id then fail("coder '%s': run:ID needs a run number, e.g. run:3", spec) end
    local run
    for r in store.runs{ id = id } do run = r end
    if not run then
      fail("coder '%s': there is no run %d (list them: thema query " ..
           "\"SELECT id, plugin, status FROM run\")", spec, id)
    end
    if run.status ~= "ok" then
      fail("coder '%s': run %d (%s) has status %s; only a run with status ok can be a coder",
           spec, id, run.plugin, run.status)
    end
    return { label = spec, what = string.format("run %d of %s", id, run.plugin),
             spec = { run = id } }
  elseif kind == "plugin" then
    local latest
    for r in store.runs{ plugin = what, status = "ok" } do latest = r end -- ordered by id
    if not latest then
      fail("coder '%s': plugin %s has no run with status ok (plugins with one: %s); " ..
           "run it first (thema run %s)", spec, what, ok_plugins(store), what)
    end
    return { label = spec, what = string.format("run %d of %s", latest.id, what),
             spec = { run = latest.id } }
  elseif kind == "coder" then
    if store.count_codings{ coder = what } == 0 then
      fail("coder '%s': no codings by a human coder named %s (human coders: %s)", spec, what,
           M.human_coders(store))
    end
    return { label = spec, what = "human coder " .. what, spec = { coder = what } }
  end
  fail("coder '%s': expected run:ID, plugin:NAME or coder:NAME", spec)
end

return M
