-- Shared by the wrk scripts: the bearer token and the sampled record ids (bench/run.py writes
-- them and passes LANES_TOKEN, LANES_IDS and LANES_BENCH_DIR in the environment).
local common = {}

wrk.headers["Authorization"] = "Bearer " .. os.getenv("LANES_TOKEN")
wrk.headers["Content-Type"] = "application/json"

function common.ids(name)
  local ids = {}
  for line in io.lines(os.getenv("LANES_IDS") .. "/" .. name .. ".txt") do
    if line ~= "" then ids[#ids + 1] = line end
  end
  return ids
end

function common.pick(list)
  return list[math.random(#list)]
end

return common
