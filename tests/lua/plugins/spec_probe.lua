-- spec_probe — a test plugin for tests/lua/sandbox_spec.lua and api_spec.lua: reports
-- what the sandbox lets a plugin reach, and tries one forbidden thing on request.
return {
  name = "spec_probe",
  version = "0.1.0",
  description = "Report what a plugin can reach (test plugin)",
  params = {
    action = { type = "string", default = "report",
               values = { "report", "import", "write", "execute" },
               description = "what to try" },
    path = { type = "string", description = "file to open for writing (action=write)" },
  },
  run = function(ctx, params)
    if params.action == "import" then
      return ctx.store.import("transcript", "corpora/leren-om-te-leren/transcripts")
    elseif params.action == "write" then
      ctx.out.path("probe.txt") -- creates the output folder, which io.open does not
      local f, msg = io.open(params.path, "w")
      if f then f:write("x") f:close() end
      return { opened = f ~= nil, message = msg }
    elseif params.action == "execute" then
      return os.execute("true")
    end
    return {
      execute = type(os.execute), popen = type(io.popen), package = type(package),
      dump = type(string.dump), script_global = type(script_global),
      loaded_global = type(loaded_global),
      thema = type(thema), same_store = ctx.store == thema,
      run_id = ctx.run_id, plugin = ctx.plugin, output_dir = ctx.output_dir,
      out_dir = ctx.out.dir, log = type(ctx.log), progress = type(ctx.progress),
    }
  end,
}
