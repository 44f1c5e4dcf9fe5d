-- spec_coder — a test plugin for tests/lua/api_spec.lua: codes the first
-- `limit` turns of one source with one code, writes them to coded.csv, and
-- fails on request after its writes (to check that a failed run keeps none).
return {
  name = "spec_coder",
  version = "0.1.0",
  description = "Code the first turns of a source (test plugin)",
  params = {
    source = { type = "string", default = "fg1-leuven-hageland", description = "source name" },
    code = { type = "string", default = "spec/turn", description = "code path" },
    limit = { type = "integer", default = 3, description = "turns to code" },
    fail = { type = "boolean", default = false, description = "raise after coding" },
  },
  run = function(ctx, params)
    local coded = 0
    local csv <close> = ctx.out.csv("coded.csv", { "segment", "code" })
    for seg in ctx.store.segments{ source = params.source } do
      if coded >= params.limit then break end
      ctx.store.add_coding{ segment = seg.id, code = params.code }
      csv:row{ seg.id, params.code }
      coded = coded + 1
    end
    if params.fail then error("asked to fail after " .. coded .. " codings") end
    return { coded = coded, run_id = ctx.run_id, output_dir = ctx.output_dir }
  end,
}
