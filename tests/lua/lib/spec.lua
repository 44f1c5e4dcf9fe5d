-- spec.lua — the tiny describe/it runner shared by the Lua specs (tests/lua/*_spec.lua).
--
--   local spec = require("spec")          -- found in tests/lua/lib/ by thema's require
--   local describe, it, eq = spec.describe, spec.it, spec.eq
--   describe("segments", function()
--     it("counts the turns of a source", function() eq(thema.count_segments{...}, 17) end)
--   end)
--   spec.finish("api")                    -- prints "N passed, N failed" as the last line
--
-- A failing `it` prints "FAIL <describe path> <name>" and its error with a traceback on
-- stderr and the run goes on; finish() raises when anything failed, so the script exits
-- non-zero. A skipped spec says why (spec.skip). Assertion helpers take an optional
-- `what` naming the value, and blame the caller's line.

local M = {}

local passed, failed, skipped = 0, 0, 0
local prefix = {}

local function full_name(name)
  local parts = {}
  for i = 1, #prefix do parts[i] = prefix[i] end
  parts[#parts + 1] = name
  return table.concat(parts, " ")
end

function M.describe(name, body)
  prefix[#prefix + 1] = name
  local ok, err = xpcall(body, debug.traceback)
  prefix[#prefix] = nil
  if not ok then -- an error outside any `it` counts as one failure
    failed = failed + 1
    io.stderr:write("FAIL ", full_name(name), " (in describe)\n  ",
      (tostring(err):gsub("\n", "\n  ")), "\n")
  end
end

function M.it(name, body)
  local ok, err = xpcall(body, debug.traceback)
  if ok then
    passed = passed + 1
  else
    failed = failed + 1
    io.stderr:write("FAIL ", full_name(name), "\n  ", (tostring(err):gsub("\n", "\n  ")), "\n")
  end
end

-- A spec that cannot run here; `why` is printed so that a skip is never silent.
function M.skip(name, why)
  skipped = skipped + 1
  io.stderr:write("SKIP ", full_name(name), ": ", why, "\n")
end

-- Print the tally as the last stdout line and raise when anything failed.
function M.finish(what)
  print(string.format("%d passed, %d failed%s", passed, failed,
    skipped > 0 and string.format(" (%d skipped)", skipped) or ""))
  if failed > 0 then error(string.format("%d %s specs failed", failed, what or ""), 0) end
end

-- ---- assertions ----

local function fmt(v)
  if type(v) == "string" then return string.format("%q", v) end
  if math.type(v) == "float" then return string.format("%.17g", v) end
  return tostring(v)
end
M.fmt = fmt

function M.eq(got, want, what)
  if got ~= want then
    error(string.format("%s: expected %s, got %s", what or "value", fmt(want), fmt(got)), 2)
  end
end

function M.truthy(v, what)
  if not v then error((what or "value") .. ": expected a true value, got " .. fmt(v), 2) end
  return v
end

-- Deep equality of plain tables (keys both ways).
local function same(got, want, path, level)
  if type(want) ~= "table" then
    if got ~= want then
      error(string.format("%s: expected %s, got %s", path, fmt(want), fmt(got)), level)
    end
    return
  end
  if type(got) ~= "table" then
    error(string.format("%s: expected a table, got %s", path, fmt(got)), level)
  end
  for k, v in pairs(want) do same(got[k], v, path .. "[" .. fmt(k) .. "]", level + 1) end
  for k, v in pairs(got) do
    if want[k] == nil then
      error(string.format("%s: unexpected key %s = %s", path, fmt(k), fmt(v)), level)
    end
  end
end

function M.same(got, want, what) same(got, want, what or "value", 3) end

-- s contains needle, as plain text.
function M.has(s, needle, what)
  if type(s) ~= "string" or not s:find(needle, 1, true) then
    error(string.format("%s: expected text containing %s, got %s", what or "value",
      fmt(needle), fmt(s)), 2)
  end
end

-- f(...) raises an error whose message contains `want` (plain text); returns the message.
function M.raises(want, f, ...)
  local ok, err = pcall(f, ...)
  if ok then error(string.format("expected an error containing %s, but it succeeded",
    fmt(want)), 2) end
  err = tostring(err)
  if not err:find(want, 1, true) then
    error(string.format("expected an error containing %s, got %s", fmt(want), fmt(err)), 2)
  end
  return err
end

-- The rows of an iterator call, as an array (the for loop closes the cursor).
function M.rows(iter, a, b, c)
  local out = {}
  for row in iter, a, b, c do out[#out + 1] = row end
  return out
end

-- Names (or another field) of an array of rows.
function M.pluck(rows, field)
  local out = {}
  for i, r in ipairs(rows) do out[i] = r[field or "name"] end
  return out
end

-- The code points start..stop (0-based, stop exclusive) of s.
function M.slice(s, start, stop)
  local from = utf8.offset(s, start + 1)
  local to = utf8.offset(s, stop + 1)
  assert(from and to, "slice out of range")
  return s:sub(from, to - 1)
end

-- Rows of a whole CSV text (RFC 4180: quoted fields may hold commas, quotes as "",
-- and newlines), each an array of strings.
function M.parse_csv(text)
  local rows, row, pos, n = {}, {}, 1, #text
  while pos <= n do
    local field
    if text:sub(pos, pos) == '"' then
      local buf, i = {}, pos + 1
      while true do
        local q = assert(text:find('"', i, true), "unterminated quote")
        buf[#buf + 1] = text:sub(i, q - 1)
        if text:sub(q + 1, q + 1) == '"' then buf[#buf + 1] = '"'; i = q + 2
        else pos = q + 1; break end
      end
      field = table.concat(buf)
    else
      local stop = text:find("[,\n]", pos) or n + 1
      field = text:sub(pos, stop - 1)
      pos = stop
    end
    row[#row + 1] = field
    local sep = text:sub(pos, pos)
    pos = pos + 1
    if sep ~= "," then rows[#rows + 1] = row; row = {} end
  end
  return rows
end

-- Whole contents of a file (nil, msg when it cannot be opened).
function M.read(path)
  local f, msg = io.open(path, "rb")
  if not f then return nil, msg end
  local s = f:read("a")
  f:close()
  return s
end

return M
