-- POST /accounts with a new name each time.
dofile(os.getenv("LANES_BENCH_DIR") .. "/common.lua")
local n, prefix = 0, ""

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  prefix = tostring(math.random(1e9))
end

function request()
  n = n + 1
  local body = string.format('{"name":"Bench %s-%d","industry":"Logistics","city":"Oslo","account_type":"prospect"}', prefix, n)
  return wrk.format("POST", "/accounts", nil, body)
end
