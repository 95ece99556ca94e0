-- wrk script: POST the JSON body in BENCH_BODY, or with BENCH_METHOD=GET a bodiless GET (with
-- BENCH_AUTH as a bearer token when set), and print one JSON line of results at the end.
-- Latencies are microseconds.
if os.getenv("BENCH_METHOD") == "GET" then
  wrk.method = "GET"
else
  wrk.method = "POST"
  wrk.body = os.getenv("BENCH_BODY")
  wrk.headers["Content-Type"] = "application/json"
end
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then wrk.headers["Authorization"] = "Bearer " .. auth end

-- The count of requests slower than `limit`: wrk keeps every latency, so find the first
-- percentile above it by bisection.
local function slower_than(latency, limit, total)
  if total == 0 or latency.max <= limit then return 0 end
  local lo, hi = 0.0, 100.0
  for _ = 1, 40 do
    local mid = (lo + hi) / 2
    if latency:percentile(mid) > limit then hi = mid else lo = mid end
  end
  return math.floor(total * (100 - hi) / 100 + 0.5)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"p50":%d,"p99":%d,"max":%d,"over1s":%d,' ..
    '"non2xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    latency.max, slower_than(latency, 1e6, summary.requests), e.status, e.connect, e.read, e.write,
    e.timeout))
end
