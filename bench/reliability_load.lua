-- wrk script: rotate over list, detail, search and CSV requests; count answers by status class.
-- PATHS (comma-separated) picks the requests; default: the mixed set below.
local default = "/initiatives?limit=50,/initiatives/loop-co-operation-zone,/search?q=hydrogen,/metrics?format=csv"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for path in string.gmatch(os.getenv("PATHS") or default, "[^,]+") do
    table.insert(paths, path)
  end
  turn = math.random(#paths)
  ok, client_errors, server_errors = 0, 0, 0
end

function request()
  turn = turn % #paths + 1
  return wrk.format("GET", paths[turn])
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  elseif status >= 400 then
    client_errors = client_errors + 1
  else
    ok = ok + 1
  end
end

function done(summary, latency, requests)
  local total_ok, total_4xx, total_5xx = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_4xx = total_4xx + thread:get("client_errors")
    total_5xx = total_5xx + thread:get("server_errors")
  end
  local socket_errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.0f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f ok=%d 4xx=%d 5xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, total_ok, total_4xx, total_5xx, socket_errors))
end
