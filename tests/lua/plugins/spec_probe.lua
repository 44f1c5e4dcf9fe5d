-- spec_probe — a test plugin for tests/lua/sandbox_spec.lua and api_spec.lua: reports
-- what the sandbox lets a plugin reach (and what ctx.store holds), and tries one
-- forbidden thing on request.
return {
  name = "spec_probe",
  version = "0.1.0",
  description = "Report what a plugin can reach (test plugin)",
  params = {
    action = { type = "string", default = "report",
               values = { "report", "import", "write", "execute", "store" },
               description = "what to try" },
    path = { type = "string", description = "file to open for writing (action=write)" },
  },
  run = function(ctx, params)
    if params.action == "import" then
      return thema.import("transcript", "corpora/leren-om-te-leren/transcripts")
    elseif params.action == "write" then
      ctx.out.path("probe.txt") -- creates the output folder, which io.open does not
      local f, msg = io.open(params.path, "w")
      if f then f:write("x") f:close() end
      return { opened = f ~= nil, message = msg }
    elseif params.action == "execute" then
      return os.execute("true")
    elseif params.action == "store" then
      -- what ctx.store holds: its keys, sorted, and whether it is thema.store
      local keys = {}
      for k in pairs(ctx.store) do keys[#keys + 1] = k end
      table.sort(keys)
      return { keys = keys, is_thema_store = rawequal(ctx.store, thema.store) }
    end
    return {
      execute = type(os.execute), popen = type(io.popen), package = type(package),
      dump = type(string.dump), script_global = type(script_global),
      loaded_global = type(loaded_global),
      thema = type(thema), same_store = ctx.store == thema.store,
      run_id = ctx.run_id, plugin = ctx.plugin, output_dir = ctx.output_dir,
      out_dir = ctx.out.dir, log = type(ctx.log), progress = type(ctx.progress),
    }
  end,
}
