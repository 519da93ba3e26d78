-- wrk script for scripts/bench: cycles through the request paths of a query file (one per line,
-- e.g. /api/practices?q=integration&country=SE), each thread from its own offset, and prints one
-- parseable line of results:
--   RESULT requests=N pages_per_s=N p50_ms=N p95_ms=N p99_ms=N non2xx=N errors=N
-- (non2xx counts answers of 400 and up, as wrk does; errors are socket errors and timeouts).
-- The query file: wrk ... -s scripts/bench.lua URL -- FILE, or BENCH_QUERIES=FILE, or
-- scripts/bench-queries.txt.

-- Praxis closes every connection after its answer: say so, or wrk counts the reconnect as a
-- read error and times it as latency.
wrk.headers["Connection"] = "close"

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("offset", threads * 37)
end

local requests = {}
local index = 0

function init(args)
  local path = args[1] or os.getenv("BENCH_QUERIES") or "scripts/bench-queries.txt"
  local file = io.open(path)
  if not file then
    io.stderr:write("bench.lua: cannot open the query file " .. path .. "\n")
    os.exit(1)
  end
  for line in file:lines() do
    line = line:gsub("%s+$", "")
    if line ~= "" and line:sub(1, 1) ~= "#" then
      requests[#requests + 1] = wrk.format("GET", line)
    end
  end
  file:close()
  if #requests == 0 then
    io.stderr:write("bench.lua: no requests in " .. path .. "\n")
    os.exit(1)
  end
  index = offset or 0
end

function request()
  index = index + 1
  return requests[index % #requests + 1]
end

function done(summary, latency, _)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d pages_per_s=%.0f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
