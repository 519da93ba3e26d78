-- wrk script for scripts/bench: cycles through the paths of BENCH_QUERIES (one per line), each
-- thread from its own offset, and prints one parseable line of results.
local paths = {}
local file = assert(io.open(os.getenv("BENCH_QUERIES") or "scripts/bench-queries.txt"))
for line in file:lines() do
  if line ~= "" then paths[#paths + 1] = line end
end
file:close()

local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 37)
  table.insert(threads, thread)
end

wrk.headers["Connection"] = "close" -- Praxis closes every connection: say so, or wrk times reconnects as latency

local index = 0
function request()
  index = index + 1
  return wrk.format("GET", paths[(index + offset) % #paths + 1])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d pages_per_s=%.0f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
