-- POSTs the JSON bodies of the file named by $BODY (one a line), in turn, and prints one
-- RESULT line of key=value when done.
local bodies = {}
for line in io.lines(os.getenv("BODY")) do
  if #line > 0 then bodies[#bodies + 1] = line end
end
local n = 0
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["x-user-id"] = "bench"

function request()
  n = n % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[n])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
