-- POST /activities: a call logged on a random sampled account.
local common = dofile(os.getenv("LANES_BENCH_DIR") .. "/common.lua")
local accounts

function init(args)
  accounts = common.ids("accounts")
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  local body = string.format('{"subject":"Bench call","activity_type":"call","status":"completed","account_id":"%s"}',
    common.pick(accounts))
  return wrk.format("POST", "/activities", nil, body)
end
