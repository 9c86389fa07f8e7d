-- PUT /opportunities/{id}/stage: open deals moved between open stages.
local common = dofile(os.getenv("LANES_BENCH_DIR") .. "/common.lua")
local deals
local stages = { "qualification", "proposal", "negotiation" }

function init(args)
  deals = common.ids("opportunities")
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  local body = string.format('{"stage":"%s"}', common.pick(stages))
  return wrk.format("PUT", "/opportunities/" .. common.pick(deals) .. "/stage", nil, body)
end
