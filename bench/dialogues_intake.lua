-- wrk script for the JSON intake (/gop-y/api/, or $INTAKE_PATH: the bare INSERT view of bench/bare_wsgi.py takes
-- the same body): each 201 carries a tracking code; the codes are written to $CODES_FILE at the end so the runner
-- can check every one is in the database, and the figures to $SUMMARY_FILE (one "name value" a line) for
-- bench/serving.py.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  codes = {}
  statuses = {}
  counter = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"category": "trat-tu-do-thi", "description": "Vỉa hè trước chợ bị lấn chiếm, lượt %d-%d", ' ..
    '"address": "Kiệt 12 Lê Lợi", "consent_to_publish": true}', id, counter)
  return wrk.format("POST", os.getenv("INTAKE_PATH") or "/gop-y/api/", nil, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    local code = body:match('"tracking_code": "([%w%-]+)"')
    if code then codes[#codes + 1] = code end
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("CODES_FILE") or "/tmp/dialogues-codes.txt", "w")
  local seen = {}
  for _, thread in ipairs(threads) do
    for _, code in ipairs(thread:get("codes")) do out:write(code, "\n") end
    for status, n in pairs(thread:get("statuses")) do seen[status] = (seen[status] or 0) + n end
  end
  out:close()
  for status, n in pairs(seen) do io.write(string.format("status %d: %d\n", status, n)) end
  local summary_file = os.getenv("SUMMARY_FILE")
  if summary_file then
    local f = io.open(summary_file, "w")
    f:write(string.format("requests %d\nseconds %.3f\n", summary.requests, summary.duration / 1e6))
    for _, p in ipairs({50, 95, 99}) do f:write(string.format("p%d %.3f\n", p, latency:percentile(p) / 1000)) end
    for status, n in pairs(seen) do f:write(string.format("status%d %d\n", status, n)) end
    f:write(string.format("errors %d\n", summary.errors.connect + summary.errors.read + summary.errors.write
                                          + summary.errors.timeout))
    f:close()
  end
  io.write(string.format("requests %d in %.1f s: %.1f/s\n", summary.requests, summary.duration / 1e6,
                         summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50/p95/p99 %.1f / %.1f / %.1f ms\n", latency:percentile(50) / 1000,
                         latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
