-- run_importer.lua — how `thema import NAME FILE...` runs an importer written
-- in Lua (plugins/importers/NAME.lua): as a script, in one transaction, each
-- file given to the importer's read(path), which adds its sources with
-- thema.add_source. Not meant to be run by hand.
--
-- An importer is a file returning
--   { name = "tsv_turns", version = "1.0.0", description = "...",
--     read = function(path) ... thema.add_source{ ... } ... end }
-- read returns a short report of the file (e.g. "12 turns") or nothing.

local importer_path = arg[1]
local f = assert(io.open(importer_path, "r"))
local code = f:read("a")
f:close()
local chunk, msg = load(code, "@" .. importer_path, "t")
if not chunk then error(msg, 0) end
local imp = chunk()
if type(imp) ~= "table" or type(imp.read) ~= "function" or type(imp.name) ~= "string" then
  error(importer_path .. ": an importer returns a table with 'name' and a function 'read(path)'", 0)
end
for k in pairs(imp) do
  if k ~= "name" and k ~= "version" and k ~= "description" and k ~= "read" and k ~= "extensions" then
    error(importer_path .. ": unknown field '" .. tostring(k) ..
      "' (an importer has name, version, description, extensions, read)", 0)
  end
end
for i = 2, #arg do
  local report = imp.read(arg[i])
  print(string.format("imported %s %s%s", imp.name, arg[i], report and (": " .. report) or ""))
end
