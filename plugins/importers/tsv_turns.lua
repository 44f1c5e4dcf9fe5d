-- tsv_turns — an importer written in Lua, the plugin guide's worked example
-- (docs/plugins.md §14): a transcript kept in a spreadsheet and saved as
-- tab-separated text, one turn per row under the header
--
--   speaker <TAB> text [<TAB> time]
--
-- with an optional time as hh:mm:ss. Every row is a turn of its speaker;
-- the source is named after the file. Run it as
--
--   thema import tsv_turns interview.tsv
--
-- The core checks what thema.add_source is given (UTF-8, spans inside the
-- text, segments in order) and stores the file's sources in one transaction.

local function seconds(s)
  local h, m, sec = s:match("^(%d+):(%d%d):(%d%d)$")
  if not h then return nil end
  return tonumber(h) * 3600 + tonumber(m) * 60 + tonumber(sec)
end

return {
  name = "tsv_turns",
  version = "1.0.0",
  description = "Transcripts as tab-separated rows: speaker, text, optional time",
  extensions = { "tsv" },
  read = function(path)
    local f = assert(io.open(path, "r"))
    local header = f:read("l")
    if not header or not header:match("^speaker\ttext") then
      f:close()
      error(path .. ":1: the header must start with 'speaker<TAB>text' (optionally '<TAB>time')", 0)
    end
    local segments, line = {}, 1
    for row in f:lines() do
      line = line + 1
      if row ~= "" then
        local speaker, text, time = row:match("^([^\t]*)\t([^\t]*)\t?([^\t]*)$")
        if not speaker or speaker == "" or text == "" then
          f:close()
          error(string.format("%s:%d: a row is 'speaker<TAB>text[<TAB>time]', with both filled in", path, line), 0)
        end
        local t = time ~= "" and seconds(time) or nil
        if time ~= "" and not t then
          f:close()
          error(string.format("%s:%d: time '%s' is not hh:mm:ss", path, line, time), 0)
        end
        segments[#segments + 1] = { speaker = speaker, text = text, time_start = t }
      end
    end
    f:close()
    local name = path:match("([^/]+)%.[^./]*$") or path:match("([^/]+)$")
    local r = thema.add_source{ name = name, kind = "transcript", format = "tsv", segments = segments }
    return r.unchanged and "unchanged" or string.format("%d turns", r.segments)
  end,
}
