-- sandbox_spec.lua — what scripts and plugins may not do without --unsafe (DESIGN §4):
-- no programs, no native code, no binary chunks, no registry, no files outside the
-- project (reading) or the output folder (writing); and what they still may do: read
-- project files, write in the output folder, require helpers from plugins/lib.
--
-- Runs WITHOUT --unsafe, as tests/lua/run.sh runs every spec:
--   THEMA_PLUGIN_PATH=tests/lua/plugins:plugins/examples \
--     thema --quiet --db COPY_OF_STUDY_DB --out DIR script tests/lua/sandbox_spec.lua
-- The working directory is the repository root.

local spec = require("spec")
local describe, it = spec.describe, spec.it
local eq, same, has, raises, truthy, read = spec.eq, spec.same, spec.has, spec.raises,
  spec.truthy, spec.read

local OUT = thema.out.dir
local EACCES = 13

-- io.open(path, mode) is refused with (nil, message, EACCES); returns the message.
local function refused_open(path, mode, want)
  local f, msg, code = io.open(path, mode)
  if f then
    f:close()
    error(string.format("io.open(%q, %q) was allowed", path, mode or "r"), 2)
  end
  has(msg, want, "message of io.open(" .. path .. ")")
  has(msg, "--unsafe", "the message names the way out")
  eq(code, EACCES, "error code")
  return msg
end

describe("refused", function()
  it("running programs: os.execute and io.popen are absent", function()
    eq(os.execute, nil); eq(io.popen, nil)
    raises("attempt to call a nil value (field 'execute')", function() os.execute("true") end)
    raises("attempt to call a nil value (field 'popen')", function() io.popen("ls") end)
  end)
  it("native code: package (and with it package.loadlib) is absent", function()
    eq(package, nil)
    raises("attempt to index a nil value (global 'package')",
      function() return package.loadlib("libc.so.6", "system") end)
  end)
  it("changing the file system or the process: os.exit, os.remove, os.rename, os.tmpname", function()
    for _, name in ipairs({ "exit", "remove", "rename", "tmpname", "setlocale" }) do
      eq(os[name], nil, "os." .. name)
    end
    eq(io.tmpfile, nil, "io.tmpfile"); eq(io.output, nil, "io.output"); eq(io.input, nil, "io.input")
    -- what os keeps only reads the clock and the environment
    eq(type(os.time()), "number"); eq(type(os.clock()), "number"); eq(type(os.date("%Y")), "string")
  end)
  it("the registry and upvalues: debug keeps only traceback", function()
    eq(debug.getregistry, nil); eq(debug.getupvalue, nil); eq(debug.setupvalue, nil)
    eq(debug.sethook, nil); eq(debug.getinfo, nil); eq(debug.setmetatable, nil)
    eq(debug.getlocal, nil); eq(debug.upvaluejoin, nil)
    eq(type(debug.traceback), "function")
  end)
  it("binary chunks: string.dump is absent and load takes text only", function()
    eq(string.dump, nil)
    local fake = "\27Lua\84\0\25\147\13\10\26\10\4\8\8"
    local f, msg = load(fake)
    eq(f, nil); has(msg, "attempt to load a binary chunk", "load of a fake chunk")
    f, msg = load(fake, "=fake", "b")
    eq(f, nil); has(msg, "attempt to load a binary chunk", "load with mode 'b'")
    f, msg = load(fake, "=fake", "bt")
    eq(f, nil); has(msg, "attempt to load a binary chunk", "load with mode 'bt'")
    -- even real bytecode, dumped through the string metatable, is refused
    local dump = getmetatable("").__index.dump
    if dump then
      f, msg = load(dump(function() return 1 end))
      eq(f, nil); has(msg, "attempt to load a binary chunk", "load of real bytecode")
    end
  end)
  it("string.dump through the string metatable; the host's own string library", function()
    eq(("").dump, nil, "(''):dump reaches string.dump")
    -- string methods must come from the sandbox's copy: the real table is the host's,
    -- and changing it (say, its format) would change thema.log for every plugin
    eq(getmetatable("").__index, string, "the string metatable's __index")
  end)
  it("loaded text chunks get the sandbox, not the real globals", function()
    local f = assert(load("return os.execute, io.popen, package, thema"))
    local execute, popen, pkg, api = f()
    eq(execute, nil); eq(popen, nil); eq(pkg, nil); eq(api, thema)
    f = assert(load("return x", "=x", "t", { x = 42 }))
    eq(f(), 42, "an explicit environment is honoured")
  end)
  it("reading outside the project: io.open, io.lines, dofile, loadfile", function()
    refused_open("/etc/passwd", nil, "/etc/passwd: reading outside the project and output folders")
    refused_open("/etc/passwd", "rb", "reading outside")
    refused_open("corpora/../../../etc/passwd", "r", "reading outside")
    raises("/etc/passwd: reading outside the project and output folders is not allowed",
      function() for _ in io.lines("/etc/passwd") do end end)
    raises("io.lines without a file name is not available", function() return io.lines() end)
    raises("/etc/passwd: outside the project folder", function() return dofile("/etc/passwd") end)
    local f, msg = loadfile("/etc/passwd")
    eq(f, nil); has(msg, "/etc/passwd: outside the project folder", "loadfile")
    f, msg = loadfile("plugins/lib/agreement.lua", "b")
    eq(f, nil); has(msg, "binary chunks are not allowed", "loadfile with mode 'b'")
  end)
  it("writing outside the output folder, in any mode", function()
    refused_open("/tmp/thema-sandbox-spec.txt", "w", "writing outside the output folder")
    refused_open("tests/lua/written-by-sandbox-spec.txt", "w", "writing outside the output folder")
    refused_open("corpora/leren-om-te-leren/README.md", "a", "writing outside")
    refused_open("corpora/leren-om-te-leren/README.md", "r+", "writing outside")
    refused_open(OUT .. "/../escaped.txt", "w", "writing outside")
    refused_open(OUT .. "/no-such-folder/../../escaped.txt", "w", "writing outside")
    eq(read("tests/lua/written-by-sandbox-spec.txt"), nil, "nothing was created")
  end)
  it("require of C modules and missing modules lists the paths it searched", function()
    local msg = raises("module 'lfs' not found:", function() return require("lfs") end)
    has(msg, "no file '", "searched paths")
    has(msg, "plugins/lib/lfs.lua'", "plugins/lib is searched")
    has(msg, "tests/lua/lib/lfs.lua'", "the script's lib/ is searched")
    msg = raises("module 'socket.core' not found:", function() return require("socket.core") end)
    has(msg, "socket/core.lua'", "dots become folders")
    eq(msg:find("%.so"), nil, "no shared objects are searched")
    raises("module 'no_such_helper' not found:", function() return require("no_such_helper") end)
    raises("module 'a/b': bad name", function() return require("a/b") end)
  end)
end)

describe("allowed", function()
  it("reading a project file with io.open and io.lines", function()
    local f = assert(io.open("corpora/leren-om-te-leren/README.md", "r"))
    local text = f:read("a")
    f:close()
    truthy(#text > 0, "README has text")
    local n = 0
    for _ in io.lines("corpora/leren-om-te-leren/organisations.csv") do n = n + 1 end
    truthy(n > 30, "organisations.csv has a line per organisation")
  end)
  it("loadfile and dofile of a project file, as text in the sandbox", function()
    local chunk = assert(loadfile("plugins/lib/agreement.lua"))
    eq(type(chunk().krippendorff_alpha_nominal), "function")
    eq(type(dofile("plugins/lib/agreement.lua").cohen_kappa), "function")
  end)
  it("writing and reading back inside the output folder", function()
    local path = OUT .. "/sandbox/written.txt"
    thema.out.path("sandbox/written.txt") -- creates the folder
    local f = assert(io.open(path, "w"))
    f:write("één\n")
    f:close()
    f = assert(io.open(path, "a")); f:write("twee\n"); f:close()
    eq(read(path), "één\ntwee\n")
  end)
  it("require('agreement') from plugins/lib, loaded once", function()
    local A = require("agreement")
    eq(type(A.krippendorff_alpha_nominal), "function")
    eq(require("agreement"), A, "the second require returns the same table")
    eq(require("thema"), thema)
    eq(require("spec"), spec, "the script's lib/ folder")
  end)
  it("the harmless standard library", function()
    for _, name in ipairs({ "assert", "error", "ipairs", "pairs", "pcall", "xpcall", "select",
      "tostring", "tonumber", "type", "setmetatable", "getmetatable", "rawget", "rawset",
      "rawequal", "rawlen", "next", "print" }) do
      eq(type(_G[name]), "function", name)
    end
    for _, name in ipairs({ "coroutine", "math", "table", "utf8", "string" }) do
      eq(type(_G[name]), "table", name)
    end
    eq(utf8.len("één"), 3); eq(("%d"):format(3), "3")
    eq(type(os.getenv("HOME") or ""), "string")
  end)
end)

describe("hardening", function()
  it("io.open(path) with the default mode reads", function()
    local f, msg = io.open("README.md")
    truthy(f, "io.open without a mode: " .. tostring(msg))
    truthy(f:read("l"), "a line read")
    f:close()
  end)
  it("getmetatable(_ENV) does not hand out the sandbox", function()
    eq(getmetatable(_ENV), false)
  end)
  it("the metatables of strings and files come as copies", function()
    local mt = getmetatable("")
    mt.__index = { upper = function() return "HIJACKED" end }
    eq(("a"):upper(), "A", "changing the copy changes nothing")
    local f = assert(io.open("README.md"))
    local fmt = getmetatable(f)
    if type(fmt) == "table" and type(fmt.__index) == "table" then fmt.__index.read = nil end
    eq(type(f.read), "function", "file methods are intact")
    f:close()
  end)
  it("a plugin run gets a thema table of its own", function()
    local real = thema.matcher
    thema.matcher = function() error("HIJACKED") end
    local id, res = thema.run("spec_coder", { limit = 1 })
    truthy(id, "the run ran")
    thema.matcher = real
  end)
  it("plugin names are names, never paths", function()
    raises("never by a path", function() thema.run("../../x") end)
    raises("never by a path", function() thema.run("a/b") end)
    raises("never by a path", function() thema.run(".hidden") end)
  end)
end)

describe("plugins", function()
  it("run in the same sandbox, with their own globals", function()
    script_global = "set by the spec" -- a global on purpose
    assert(load("loaded_global = 'set by a loaded chunk'"))()
    local _, r = thema.run("spec_probe")
    same(r, {
      execute = "nil", popen = "nil", package = "nil", dump = "nil",
      script_global = "nil", loaded_global = "nil", thema = "table", same_store = true, run_id = r.run_id,
      plugin = "spec_probe", output_dir = OUT .. "/spec_probe", out_dir = OUT .. "/spec_probe",
      log = "function", progress = "function",
    })
    script_global = nil
    loaded_global = nil
  end)
  it("cannot write outside the output folder either", function()
    local _, r = thema.run("spec_probe", { action = "write", path = "/tmp/thema-probe.txt" })
    eq(r.opened, false); has(r.message, "writing outside the output folder", "message")
    _, r = thema.run("spec_probe", { action = "write", path = OUT .. "/spec_probe/ok.txt" })
    eq(r.opened, true); eq(read(OUT .. "/spec_probe/ok.txt"), "x")
  end)
  it("fail with the plugin's file and line when they call os.execute", function()
    local runs = thema.count_runs()
    raises("spec_probe: tests/lua/plugins/spec_probe.lua:", function()
      return thema.run("spec_probe", { action = "execute" }) end)
    raises("attempt to call a nil value (field 'execute')", function()
      return thema.run("spec_probe", { action = "execute" }) end)
    eq(thema.count_runs(), runs, "the failure is recorded after the script, not in it")
  end)
end)

spec.finish("sandbox")
