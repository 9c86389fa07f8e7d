-- GET the path given as the script argument; each "{name}" (e.g. "{account}", "{contact}")
-- becomes a random id sampled from "<name>s.txt".
local common = dofile(os.getenv("LANES_BENCH_DIR") .. "/common.lua")
local template
local samples = {}

function init(args)
  template = args[1]
  for name in template:gmatch("{(%w+)}") do
    samples[name] = common.ids(name .. "s")
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  local path = template:gsub("{(%w+)}", function(name) return common.pick(samples[name]) end)
  return wrk.format("GET", path)
end
