-- GET the path given as the script argument; "{account}" becomes a random sampled account id.
local common = dofile(os.getenv("LANES_BENCH_DIR") .. "/common.lua")
local template, accounts

function init(args)
  template = args[1]
  accounts = common.ids("accounts")
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  local path = template:gsub("{account}", function() return common.pick(accounts) end)
  return wrk.format("GET", path)
end
